package com.vipride.ops;

import java.sql.Connection;
import java.sql.SQLException;

import org.postgresql.ds.PGSimpleDataSource;
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

    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();

    OwnerConnections(FlywayConnectionDetails owner, JdbcConnectionDetails runtime) {
        dataSource.setUrl(owner.getJdbcUrl() != null ? owner.getJdbcUrl() : runtime.getJdbcUrl());
        dataSource.setUser(owner.getUsername());
        dataSource.setPassword(owner.getPassword());
        dataSource.setApplicationName("vipride-maintenance");
    }

    /** A new autocommit connection (VACUUM cannot run in a transaction block). */
    Connection open() throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(true);
        return connection;
    }
}
