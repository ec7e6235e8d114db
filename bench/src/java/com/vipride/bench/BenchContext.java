package com.vipride.bench;

import com.vipride.platform.db.EmbeddedPostgresServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** What a scenario gets: the settings, the migrated server, connections per login, and stdout. */
public final class BenchContext {

    private final BenchSettings settings;
    private final EmbeddedPostgresServer server;
    private final Path projectDir;
    private final PrintStream out;

    BenchContext(BenchSettings settings, EmbeddedPostgresServer server, Path projectDir, PrintStream out) {
        this.settings = settings;
        this.server = server;
        this.projectDir = projectDir;
        this.out = out;
    }

    public BenchSettings settings() {
        return settings;
    }

    public EmbeddedPostgresServer server() {
        return server;
    }

    public Path projectDir() {
        return projectDir;
    }

    public PrintStream out() {
        return out;
    }

    /** A new connection as the given login (the embedded cluster trusts local logins). */
    public Connection connect(String login) throws SQLException {
        return connect(login, null);
    }

    private Connection connect(String login, String options) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", login);
        properties.setProperty("ApplicationName", "vipride-bench");
        if (options != null) {
            properties.setProperty("options", options);
        }
        return DriverManager.getConnection(server.jdbcUrl(), properties);
    }

    /**
     * The loaders' connection. It commits synchronously: with the embedded cluster's asynchronous commits a
     * VACUUM right after a load cannot set hint bits on rows whose commit record is not yet flushed, so it
     * leaves their pages not all-visible and index-only scans of them fetch the heap.
     */
    public Connection superuser() throws SQLException {
        return connect(server.superuser(), "-c synchronous_commit=on");
    }

    /**
     * Runs the SQL file named by {@code -Dbench.extraSql} (if any) as the superuser. Scenarios call it
     * after loading and before measuring, so that a proposed schema change (say, a new version of a
     * policy function) can be measured before it is written as a migration. The file's text is recorded
     * in the results; a run with it does not measure the schema as it is.
     */
    public String applyExtraSql() throws SQLException, java.io.IOException {
        String file = settings.string("extraSql", null);
        if (file == null) {
            return null;
        }
        java.nio.file.Path path = java.nio.file.Path.of(file);
        if (!path.isAbsolute()) {
            path = projectDir.resolve(path);
        }
        String sql = java.nio.file.Files.readString(path);
        try (Connection connection = superuser();
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        out.println("[bench] applied -Dbench.extraSql=" + file);
        return sql;
    }

    /** Session settings for every measured connection, from {@code -Dbench.planCacheMode}. */
    public void configureSession(Connection connection) throws SQLException {
        String planCacheMode = settings.string("planCacheMode", null);
        if (planCacheMode != null) {
            if (!planCacheMode.matches("auto|force_generic_plan|force_custom_plan")) {
                throw new IllegalArgumentException(
                        "-Dbench.planCacheMode must be auto, force_generic_plan or force_custom_plan");
            }
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute("SET plan_cache_mode = " + planCacheMode);
            }
        }
    }
}
