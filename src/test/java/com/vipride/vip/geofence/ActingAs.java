package com.vipride.vip.geofence;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * SQL as the service login acting for an end user, exactly as the service does it: one transaction,
 * SET LOCAL ROLE and app.current_user_id, committed when the work succeeds and rolled back otherwise.
 */
final class ActingAs {

    private ActingAs() {}

    static <T> T inTransaction(
            DataSource serviceLogin, String role, java.util.UUID userId, Function<JdbcClient, T> work) {
        try (Connection connection = serviceLogin.getConnection()) {
            connection.setAutoCommit(false);
            JdbcClient sql = JdbcClient.create(new SingleConnectionDataSource(connection, true));
            try {
                sql.sql("SELECT set_config('role', :role, true), set_config('app.current_user_id', :id, true)")
                        .param("role", role)
                        .param("id", userId == null ? "" : userId.toString())
                        .query()
                        .singleRow();
                T result = work.apply(sql);
                connection.commit();
                return result;
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
