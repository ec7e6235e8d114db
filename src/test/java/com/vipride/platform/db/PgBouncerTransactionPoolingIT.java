package com.vipride.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.vipride.support.BareRuntimeLogin;
import com.vipride.support.IntegrationTest;
import com.vipride.support.PgBouncer;
import com.vipride.support.TestAccounts.SignedIn;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The service's transactions through PgBouncer (Debian's package) in transaction pooling mode: many
 * client connections share a few server connections, so a caller identity that outlived its transaction
 * would reach another caller. The identity-isolation scenario — eight users' transactions, 400 of them
 * from 32 threads — runs through the service's own {@link CallerIdentityTransactionManager} over a pool
 * that connects through PgBouncer (prepareThreshold=0: PgBouncer 1.18 keeps no server-side prepared
 * statements), and every transaction sees exactly its own caller. Skipped when pgbouncer is not installed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PgBouncerTransactionPoolingIT extends IntegrationTest {

    private static final int SERVER_CONNECTIONS = 3;

    @Autowired
    private JwtDecoder jwtDecoder;

    private PgBouncer pgbouncer;
    private HikariDataSource throughPgBouncer;

    @BeforeAll
    void startPgBouncer() throws Exception {
        Assumptions.assumeTrue(
                PgBouncer.binary().isPresent(),
                "pgbouncer is not installed: apt-get install pgbouncer (Debian's package) to run this test");
        pgbouncer = PgBouncer.start(
                postgres.port(),
                postgres.database(),
                SERVER_CONNECTIONS,
                List.of(EmbeddedPostgresServer.RUNTIME_LOGIN));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(pgbouncer.jdbcUrl());
        config.setUsername(EmbeddedPostgresServer.RUNTIME_LOGIN);
        config.setMaximumPoolSize(32);
        config.setPoolName("through-pgbouncer");
        throughPgBouncer = new HikariDataSource(config);
    }

    @AfterAll
    void stopPgBouncer() {
        if (throughPgBouncer != null) {
            throughPgBouncer.close();
        }
        if (pgbouncer != null) {
            pgbouncer.close();
        }
    }

    @Test
    void concurrentTransactionsOfDifferentUsersEachSeeOnlyTheirOwnAccountThroughTransactionPooling() throws Exception {
        List<SignedIn> users = IntStream.range(0, 8)
                .mapToObj(i -> accounts().aSignedInCustomer())
                .toList();
        TransactionTemplate transactions =
                new TransactionTemplate(new CallerIdentityTransactionManager(throughPgBouncer));
        JdbcClient jdbc = JdbcClient.create(throughPgBouncer);
        Set<Integer> serverProcesses = ConcurrentHashMap.newKeySet();
        int requests = 400;

        Instant start = Instant.now();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                SignedIn user = users.get(i % users.size());
                SignedIn other = users.get((i + 1) % users.size());
                results.add(pool.submit(() -> {
                    SecurityContextHolder.getContext()
                            .setAuthentication(
                                    new JwtAuthenticationToken(jwtDecoder.decode(user.accessToken()), List.of()));
                    try {
                        return transactions.execute(status -> jdbc.sql("""
                                        SELECT pg_backend_pid(), current_setting('app.current_user_id', true),
                                               (SELECT email FROM public.users WHERE id = CAST(:me AS uuid)),
                                               (SELECT count(*) FROM public.users WHERE id = CAST(:other AS uuid))
                                        """)
                                .param("me", user.id().toString())
                                .param("other", other.id().toString())
                                .query((rs, n) -> {
                                    serverProcesses.add(rs.getInt(1));
                                    boolean own = user.id().toString().equals(rs.getString(2))
                                            && user.email().equals(rs.getString(3))
                                            && rs.getLong(4) == 0;
                                    return own
                                            ? "ok"
                                            : "mismatch: " + user.id() + " saw " + rs.getString(2) + " "
                                                    + rs.getString(3) + " other=" + rs.getLong(4);
                                })
                                .single());
                    } finally {
                        SecurityContextHolder.clearContext();
                    }
                }));
            }
            for (Future<String> result : results) {
                assertThat(result.get()).isEqualTo("ok");
            }
        } finally {
            pool.shutdown();
        }
        Duration took = Duration.between(start, Instant.now());
        com.vipride.support.DrillSummary.write(
                "pgbouncer-identity",
                requests + " transactions of 8 users from 32 client connections over " + serverProcesses.size()
                        + " PgBouncer server connections (transaction pooling) in "
                        + String.format("%.1f", took.toMillis() / 1000.0) + " s",
                "-",
                "-",
                "0 transactions saw another caller's identity",
                true,
                java.util.Map.of(
                        "transactions",
                        requests,
                        "clients",
                        32,
                        "serverConnections",
                        serverProcesses.size(),
                        "mismatches",
                        0,
                        "seconds",
                        took.toMillis() / 1000.0));
        // Many clients really shared a few server connections.
        assertThat(serverProcesses).hasSizeLessThanOrEqualTo(SERVER_CONNECTIONS);

        // Between transactions every server connection is the bare runtime login again.
        BareRuntimeLogin.assertEveryConnectionIsBare(throughPgBouncer, 16);
    }

    @Test
    void outsideATransactionAConnectionThroughPgBouncerCanReadNothing() throws Exception {
        try (Connection connection = throughPgBouncer.getConnection();
                Statement statement = connection.createStatement()) {
            assertThat(catchThrowable(() -> statement.executeQuery("SELECT count(*) FROM public.users")))
                    .hasMessageContaining("permission denied");
        }
    }
}
