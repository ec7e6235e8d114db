package com.vipride.platform.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;

/**
 * A PostgreSQL 15 server run from the binaries bundled on the class path, one per data folder and
 * JVM. Starting it also prepares the database: it exists, is owned by the owner role, and the
 * superuser-only prerequisites of {@code database/cluster.sql} are in place, so that
 * Flyway can then migrate as the owner exactly as it would on an external server.
 *
 * <p>A server left running by a process that was killed (SIGKILL) is stopped before the new one
 * starts on the same folder.
 */
public final class EmbeddedPostgresServer {

    public static final String OWNER_LOGIN = "vipride_owner";
    public static final String RUNTIME_LOGIN = "app_backend";
    private static final String SUPERUSER = "postgres";
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Map<Path, EmbeddedPostgresServer> RUNNING = new ConcurrentHashMap<>();

    private final EmbeddedPostgres postgres;
    private final String database;
    private final Path dataDirectory;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, String database, Path dataDirectory) {
        this.postgres = postgres;
        this.database = database;
        this.dataDirectory = dataDirectory;
    }

    /** Starts the server for these settings, or returns the one this JVM already started. */
    public static EmbeddedPostgresServer startOrReuse(EmbeddedPostgresProperties properties) {
        Path dataDir = properties.ephemeral()
                ? ephemeralDir()
                : properties.dataDir().toAbsolutePath().normalize();
        return RUNNING.computeIfAbsent(dataDir, dir -> start(dir, properties));
    }

    private static EmbeddedPostgresServer start(Path dataDir, EmbeddedPostgresProperties properties) {
        try {
            Files.createDirectories(dataDir.getParent());
            stopOrphanedServer(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(properties.ephemeral())
                    .setPort(properties.port())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("timezone", "UTC")
                    .setServerConfig("listen_addresses", "localhost")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("shared_buffers", properties.sharedBuffers())
                    .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                    .setServerConfig("logging_collector", "on")
                    // The embedded library starts PostgreSQL with -F (fsync off) and synchronous_commit off;
                    // these settings come later on the command line and win.
                    .setServerConfig("fsync", onOff(properties.durable()))
                    .setServerConfig("synchronous_commit", onOff(properties.durable()))
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("log_directory", "log")
                    .setOutputRedirector(Redirect.appendTo(dataDir.resolveSibling(dataDir.getFileName() + "-server.log")
                            .toFile()))
                    .setErrorRedirector(Redirect.appendTo(dataDir.resolveSibling(dataDir.getFileName() + "-server.log")
                            .toFile()))
                    .start();
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, properties.database(), dataDir);
            server.prepareDatabase();
            log.info(
                    "Embedded PostgreSQL 15 serving database '{}' on localhost:{} from {} ({})",
                    properties.database(),
                    postgres.getPort(),
                    dataDir,
                    properties.durable()
                            ? "durable: fsync and synchronous_commit on"
                            : "NOT durable: fsync and synchronous_commit off");
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL in " + dataDir, e);
        }
    }

    private static String onOff(boolean on) {
        return on ? "on" : "off";
    }

    private static Path ephemeralDir() {
        try {
            return Files.createTempDirectory("vipride-pg-").resolve("data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A process killed with SIGKILL cannot stop the server it started; the server keeps the data
     * folder locked. Ask it to shut down (SIGTERM) and, if it will not, kill it; PostgreSQL then
     * recovers from its write-ahead log on the next start, losing no committed row.
     */
    private static void stopOrphanedServer(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String firstLine = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream()
                .findFirst()
                .orElse("")
                .trim();
        if (!firstLine.matches("\\d+")) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(Long.parseLong(firstLine))
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
        if (orphan.isEmpty()) {
            return;
        }
        ProcessHandle server = orphan.get();
        log.warn("Stopping PostgreSQL (pid {}) left running on {} by a previous process", server.pid(), dataDir);
        server.destroy();
        try {
            server.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception notStopped) {
            server.destroyForcibly();
            server.onExit().join();
        }
    }

    private void prepareDatabase() {
        try (Connection admin = superuserDataSource("postgres").getConnection();
                Statement statement = admin.createStatement()) {
            var exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'");
            if (!exists.next()) {
                statement.execute("CREATE DATABASE \"" + database + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + database, e);
        }
        runAsSuperuser(database, readClusterSetup());
    }

    /** Runs a SQL script as the superuser in the given database (tests and set-up only). */
    public void runAsSuperuser(String databaseName, String sql) {
        try (Connection connection = superuserDataSource(databaseName).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed in " + databaseName + ": " + e.getMessage(), e);
        }
    }

    private static String readClusterSetup() {
        try {
            return new ClassPathResource("db/cluster/cluster.sql").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("database/cluster.sql is missing from the class path", e);
        }
    }

    public DataSource superuserDataSource(String databaseName) {
        return postgres.getDatabase(SUPERUSER, databaseName);
    }

    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    public String jdbcUrl(String databaseName) {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + databaseName;
    }

    /** The cluster's folder; development-only files that must stay outside the database live beside it. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    public int port() {
        return postgres.getPort();
    }

    public String database() {
        return database;
    }

    public String superuser() {
        return SUPERUSER;
    }
}
