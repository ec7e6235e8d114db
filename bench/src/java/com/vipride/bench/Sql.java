package com.vipride.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** One-value queries and one-off statements, for the loaders, the checks and the reports. */
public final class Sql {

    private Sql() {}

    /** The first column of the first row, as a number (0 for SQL NULL). */
    public static long queryLong(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static long queryLong(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return queryLong(statement, sql);
        }
    }

    /** The first column of the first row, as a number (0 for SQL NULL). */
    public static double queryDouble(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    /** The first column of the first row, as text. */
    public static String queryText(Statement statement, String sql) throws SQLException {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    public static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
