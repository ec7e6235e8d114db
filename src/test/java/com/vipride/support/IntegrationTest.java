package com.vipride.support;

import com.vipride.platform.db.EmbeddedPostgresServer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * Base of every test that needs the running service and its database. All such tests share one
 * application context, and so one embedded PostgreSQL, for the whole run; each test creates its own
 * uniquely named data, so tests never depend on each other's rows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@ContextConfiguration(initializers = TestMailServer.class)
public abstract class IntegrationTest {

    @LocalServerPort
    private int port;

    @Autowired
    protected EmbeddedPostgresServer postgres;

    private Api api;

    protected Api api() {
        if (api == null) {
            api = new Api(baseUrl());
        }
        return api;
    }

    @Autowired
    private com.vipride.platform.web.ManagementPort managementPort;

    /** The service's management port on localhost: health details, metrics, the VIP crypto agent. */
    protected Api management() {
        return new Api(managementUrl());
    }

    protected String managementUrl() {
        return managementPort.localUrl();
    }

    /** The service under test, as a client outside the JVM reaches it. */
    protected String baseUrl() {
        return "http://localhost:" + port;
    }

    protected TestAccounts accounts() {
        return new TestAccounts(api(), superuser());
    }

    /** Rides in known states in {@code world}, made through the database functions the service calls. */
    protected Rides rides(RideWorld world) {
        synchronized (IntegrationTest.class) {
            if (servicePool == null) {
                com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
                config.setDataSource(dataSourceFor("app_backend"));
                config.setMaximumPoolSize(2);
                config.setPoolName("test-rides");
                servicePool = new com.zaxxer.hikari.HikariDataSource(config);
            }
            return new Rides(world, servicePool);
        }
    }

    /** A connection as one of the database's logins (the embedded cluster trusts local logins). */
    protected JdbcClient loginAs(String login) {
        return JdbcClient.create(dataSourceFor(login));
    }

    protected javax.sql.DataSource dataSourceFor(String login) {
        org.postgresql.ds.PGSimpleDataSource dataSource = new org.postgresql.ds.PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
        dataSource.setUser(login);
        return dataSource;
    }

    /** Direct SQL as the cluster superuser: for arranging and inspecting state, never for the system under test. */
    protected JdbcClient superuser() {
        synchronized (IntegrationTest.class) {
            if (superuserPool == null) {
                com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
                config.setDataSource(postgres.superuserDataSource(postgres.database()));
                config.setMaximumPoolSize(4);
                config.setPoolName("test-superuser");
                superuserPool = new com.zaxxer.hikari.HikariDataSource(config);
            }
            return JdbcClient.create(superuserPool);
        }
    }

    private static com.zaxxer.hikari.HikariDataSource superuserPool;
    /** The service login, as the factories act for riders and drivers: one pool for the run, like the superuser's. */
    private static com.zaxxer.hikari.HikariDataSource servicePool;
}
