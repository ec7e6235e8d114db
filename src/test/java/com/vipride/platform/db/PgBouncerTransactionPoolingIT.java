package com.vipride.platform.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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

    private Process pgbouncer;
    private Path folder;
    private HikariDataSource throughPgBouncer;

    @BeforeAll
    void startPgBouncer() throws Exception {
        Optional<Path> binary = Stream.of("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
        Assumptions.assumeTrue(
                binary.isPresent(),
                "pgbouncer is not installed: apt-get install pgbouncer (Debian's package) to run this test");
        folder = Files.createTempDirectory("vipride-pgbouncer");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port = freePort();
        Files.writeString(folder.resolve("users.txt"), "\"app_backend\" \"\"\n");
        Files.writeString(folder.resolve("pgbouncer.ini"), """
                [databases]
                %s = host=127.0.0.1 port=%d dbname=%s
                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = %d
                unix_socket_dir =
                auth_type = trust
                auth_file = %s
                pool_mode = transaction
                default_pool_size = %d
                max_client_conn = 200
                ignore_startup_parameters = extra_float_digits
                """.formatted(
                        postgres.database(),
                        postgres.port(),
                        postgres.database(),
                        port,
                        folder.resolve("users.txt"),
                        SERVER_CONNECTIONS));
        for (Path file : List.of(folder.resolve("users.txt"), folder.resolve("pgbouncer.ini"))) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        List<String> command = new ArrayList<>(List.of(binary.get().toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "nobody")); // PgBouncer refuses to run as root
        }
        command.add(folder.resolve("pgbouncer.ini").toString());
        pgbouncer = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("pgbouncer.log").toFile())
                .start();
        awaitListening(port);

        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/" + postgres.database() + "?prepareThreshold=0");
        config.setUsername(EmbeddedPostgresServer.RUNTIME_LOGIN);
        config.setMaximumPoolSize(32);
        config.setPoolName("through-pgbouncer");
        throughPgBouncer = new HikariDataSource(config);
    }

    @AfterAll
    void stopPgBouncer() throws IOException {
        if (throughPgBouncer != null) {
            throughPgBouncer.close();
        }
        if (pgbouncer != null) {
            pgbouncer.destroy();
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
        System.out.printf(
                "DRILL-SUMMARY {\"drill\":\"pgbouncer-identity\",\"transactions\":%d,\"clients\":32,"
                        + "\"serverConnections\":%d,\"mismatches\":0,\"seconds\":%.2f}%n",
                requests, serverProcesses.size(), took.toMillis() / 1000.0);
        // Many clients really shared a few server connections.
        assertThat(serverProcesses).hasSizeLessThanOrEqualTo(SERVER_CONNECTIONS);

        // Between transactions every server connection is the bare runtime login again.
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                held.add(throughPgBouncer.getConnection());
            }
            for (Connection connection : held) {
                try (Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery("SELECT current_user, session_user, "
                                + "coalesce(current_setting('app.current_user_id', true), ''), "
                                + "coalesce(current_setting('app.client_ip', true), '')")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("app_backend");
                    assertThat(rs.getString(2)).isEqualTo("app_backend");
                    assertThat(rs.getString(3)).isEmpty();
                    assertThat(rs.getString(4)).isEmpty();
                }
            }
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }

    @Test
    void outsideATransactionAConnectionThroughPgBouncerCanReadNothing() throws Exception {
        try (Connection connection = throughPgBouncer.getConnection();
                Statement statement = connection.createStatement()) {
            assertThat(catchThrowable(() -> statement.executeQuery("SELECT count(*) FROM public.users")))
                    .hasMessageContaining("permission denied");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening(int port) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!pgbouncer.isAlive()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(
                "pgbouncer did not start: " + Files.readString(folder.resolve("pgbouncer.log")));
    }
}
