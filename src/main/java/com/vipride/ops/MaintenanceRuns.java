package com.vipride.ops;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs VACUUM / ANALYZE over every maintained table on an owner connection in autocommit mode, one
 * statement per table, and records the run in {@code maintenance.maintenance_runs}. A request made in SQL
 * is claimed first (its request number is unique there), so with several service instances exactly one
 * serves it.
 */
final class MaintenanceRuns {

    private static final Logger log = LoggerFactory.getLogger(MaintenanceRuns.class);

    private static final String CLAIM = """
            INSERT INTO maintenance.maintenance_runs (kind, request_id, requested_by, instance) VALUES (?, ?, ?, ?)
            ON CONFLICT (request_id) DO NOTHING RETURNING id""";
    private static final String TABLES = "SELECT table_name FROM maintenance.maintained_tables ORDER BY table_name";
    private static final String SUCCEEDED = """
            UPDATE maintenance.maintenance_runs SET outcome = 'succeeded', finished_at = clock_timestamp(), tables_processed = ?
             WHERE id = ?""";
    private static final String FAILED = """
            UPDATE maintenance.maintenance_runs SET outcome = 'failed', finished_at = clock_timestamp(), tables_processed = ?,
                   error = ? WHERE id = ?""";

    private MaintenanceRuns() {}

    /**
     * Claims and runs one run; returns the tables processed, or empty when another instance had already
     * claimed the request. A failing table ends the run as failed (recorded) and throws.
     */
    static OptionalLong run(
            Connection connection, MaintenanceKind kind, Long requestId, String requestedBy, String instance)
            throws SQLException {
        long runId;
        try (PreparedStatement claim = connection.prepareStatement(CLAIM)) {
            claim.setString(1, kind.code());
            claim.setObject(2, requestId);
            claim.setString(3, requestedBy);
            claim.setString(4, instance);
            try (ResultSet claimed = claim.executeQuery()) {
                if (!claimed.next()) {
                    return OptionalLong.empty();
                }
                runId = claimed.getLong(1);
            }
        }
        int processed = 0;
        try (Statement statement = connection.createStatement()) {
            for (String table : tables(connection)) {
                statement.execute(kind.statementFor(table));
                processed++;
            }
        } catch (SQLException e) {
            finish(connection, FAILED, runId, processed, e.getMessage());
            throw e;
        }
        finish(connection, SUCCEEDED, runId, processed, null);
        log.info("Maintenance run {} ({}) processed {} tables", runId, kind.code(), processed);
        return OptionalLong.of(processed);
    }

    private static List<String> tables(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(TABLES)) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        return tables;
    }

    private static void finish(Connection connection, String sql, long runId, int processed, String error)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setInt(1, processed);
            if (error == null) {
                update.setLong(2, runId);
            } else {
                update.setString(2, error);
                update.setLong(3, runId);
            }
            update.executeUpdate();
        }
    }
}
