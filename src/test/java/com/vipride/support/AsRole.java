package com.vipride.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * SQL as the service login switched into one of the group roles for no particular user — as a psql or BI
 * session of that role would run it: one transaction, SET LOCAL ROLE, rolled back afterwards.
 */
public final class AsRole {

    private AsRole() {}

    public static <T> T query(DataSource serviceLogin, String role, Function<JdbcClient, T> work) {
        try (Connection connection = serviceLogin.getConnection()) {
            connection.setAutoCommit(false);
            try {
                JdbcClient sql = JdbcClient.create(new SingleConnectionDataSource(connection, true));
                sql.sql("SELECT set_config('role', :role, true)")
                        .param("role", role)
                        .query()
                        .singleRow();
                return work.apply(sql);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
