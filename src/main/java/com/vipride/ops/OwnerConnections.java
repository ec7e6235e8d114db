package com.vipride.ops;

import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.stereotype.Component;

/**
 * Connections as the owner login — the one Flyway migrates as ({@code SPRING_FLYWAY_USER}) — for the
 * maintenance worker only: VACUUM and ANALYZE need the table owner (or the database owner), and the
 * runtime login owns nothing. Deliberately not a {@code DataSource} bean, so nothing else can pick it up.
 */
@Component
class OwnerConnections {

    private final PGSimpleDataSource dataSource;

    OwnerConnections(ObjectProvider<FlywayConnectionDetails> owner, JdbcConnectionDetails runtime) {
        this.dataSource = owner.stream()
                .findFirst()
                .map(login -> {
                    PGSimpleDataSource source = new PGSimpleDataSource();
                    source.setUrl(login.getJdbcUrl() != null ? login.getJdbcUrl() : runtime.getJdbcUrl());
                    source.setUser(login.getUsername());
                    source.setPassword(login.getPassword());
                    source.setApplicationName("vipride-maintenance");
                    return source;
                })
                .orElse(null);
    }

    /** A new autocommit connection (VACUUM cannot run in a transaction block). */
    Connection open() throws SQLException {
        if (dataSource == null) {
            throw new SQLException("no owner login is configured (SPRING_FLYWAY_USER / SPRING_FLYWAY_PASSWORD)");
        }
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(true);
        return connection;
    }
}
