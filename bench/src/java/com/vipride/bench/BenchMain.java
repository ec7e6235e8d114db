package com.vipride.bench;

import com.vipride.bench.measure.Elapsed;
import com.vipride.bench.report.ResultFiles;
import com.vipride.bench.report.ScenarioReport;
import com.vipride.platform.db.EmbeddedPostgresProperties;
import com.vipride.platform.db.EmbeddedPostgresServer;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.slf4j.LoggerFactory;

/**
 * Runs one benchmark scenario:
 * <pre>./mvnw -q -Pbench test-compile exec:java -Dbench.scenario=rls-history</pre>
 * Starts a fresh, throw-away embedded PostgreSQL 15 (or the persistent cluster in
 * {@code -Dbench.dataDir}), installs the schema exactly as the service does (Flyway, as the owner
 * login), runs the scenario, writes {@code bench/results/<scenario>.json}, appends a section to
 * {@code bench/results/<scenario>.md} and prints a summary.
 */
public final class BenchMain {

    public static final String COMMAND = "./mvnw -q -Pbench test-compile exec:java -Dbench.scenario=";

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        BenchSettings settings = BenchSettings.fromSystemProperties();
        String name = args.length > 0 ? args[0] : settings.string("scenario", "list");
        Path projectDir = Path.of(args.length > 1 ? args[1] : System.getProperty("user.dir"))
                .toAbsolutePath();

        Supplier<Scenario> chosen = Scenarios.all().get(name);
        if (chosen == null) {
            out.println("Scenarios (run one with " + COMMAND + "<name>):");
            Scenarios.all()
                    .forEach((key, scenario) ->
                            out.println("  " + key + "  " + scenario.get().title()));
            if (!name.equals("list")) {
                throw new IllegalArgumentException("No scenario named '" + name + "'");
            }
            return;
        }
        quietLogging(settings.string("logLevel", "WARN"));
        Scenario scenario = chosen.get();
        out.println("[bench] " + scenario.name() + ": " + scenario.title());

        String dataDir = settings.string("dataDir", null);
        boolean ephemeral = dataDir == null;
        int port = settings.integer("port", 0);
        long startNanos = System.nanoTime();
        EmbeddedPostgresServer server = EmbeddedPostgresServer.startOrReuse(new EmbeddedPostgresProperties(
                Path.of(ephemeral ? "target/bench-postgres" : dataDir),
                port,
                "vipride",
                ephemeral,
                settings.string("sharedBuffers", "512MB"),
                settings.bool("durable", true)));
        out.printf(
                "[bench] PostgreSQL on localhost:%d (%s, %s) started in %.1f s%n",
                server.port(),
                ephemeral ? "fresh throw-away cluster" : "persistent cluster in " + dataDir,
                settings.bool("durable", true)
                        ? "durable: fsync and synchronous_commit on"
                        : "NOT durable: fsync and synchronous_commit off (-Dbench.durable=false)",
                Elapsed.secondsSince(startNanos));

        Path throwAwayDir = ephemeral && !settings.bool("keepCluster", false) ? dataDirectory(server) : null;
        try {
            migrateAndRun(scenario, settings, server, projectDir, out, startNanos);
        } finally {
            if (throwAwayDir != null) {
                removeCluster(throwAwayDir, out);
            }
        }
    }

    private static void migrateAndRun(
            Scenario scenario,
            BenchSettings settings,
            EmbeddedPostgresServer server,
            Path projectDir,
            PrintStream out,
            long startNanos)
            throws Exception {
        long migrateNanos = System.nanoTime();
        var migration = Flyway.configure()
                .locations("classpath:db/migration")
                .placeholderReplacement(false)
                .validateMigrationNaming(true)
                .dataSource(server.jdbcUrl(), EmbeddedPostgresServer.OWNER_LOGIN, null)
                .load()
                .migrate();
        out.printf(
                "[bench] schema installed by Flyway as %s: %d migrations in %.1f s%n",
                EmbeddedPostgresServer.OWNER_LOGIN, migration.migrationsExecuted, Elapsed.secondsSince(migrateNanos));

        BenchContext context = new BenchContext(settings, server, projectDir, out);
        runScenario(scenario, settings, context, projectDir, out, startNanos);
    }

    private static void runScenario(
            Scenario scenario,
            BenchSettings settings,
            BenchContext context,
            Path projectDir,
            PrintStream out,
            long startNanos)
            throws Exception {
        String loadBefore = loadAverage();
        Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ScenarioReport report = scenario.run(context);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("scenario", scenario.name());
        json.put("title", scenario.title());
        json.put("run_at", startedAt.toString());
        json.put("command", command(scenario.name(), settings));
        Map<String, Object> environment = environment(context);
        environment.put("load_average_at_start", loadBefore);
        environment.put("load_average_at_end", loadAverage());
        json.put("environment", environment);
        json.putAll(report.json());
        json.put("checks_passed", report.passed());

        ResultFiles files = new ResultFiles(projectDir, settings.string("resultsDir", "bench/results"));
        Path jsonFile = files.writeJson(scenario.name(), json);
        Path mdFile = files.appendMarkdown(
                scenario.name(), ResultFiles.section(scenario.name(), scenario.title(), startedAt, json, report));

        out.println();
        out.println("[bench] " + scenario.name() + " — " + scenario.title());
        report.summaryLines().forEach(line -> out.println("  " + line));
        out.println("  results: " + files.shown(jsonFile) + ", " + files.shown(mdFile) + " (appended)");
        out.printf("  total run time %.0f s%n", Elapsed.secondsSince(startNanos));
        if (!report.passed()) {
            throw new IllegalStateException("Scenario " + scenario.name() + " failed a check; see " + mdFile);
        }
    }

    static String command(String scenario, BenchSettings settings) {
        StringBuilder command = new StringBuilder(COMMAND).append(scenario);
        settings.given().forEach((key, value) -> {
            if (!key.equals("bench.scenario")) {
                command.append(" -D").append(key).append('=').append(value);
            }
        });
        return command.toString();
    }

    private static Map<String, Object> environment(BenchContext context) throws Exception {
        Map<String, Object> environment = new LinkedHashMap<>();
        try (Connection connection = context.superuser();
                Statement statement = connection.createStatement()) {
            environment.put("postgres", Sql.queryText(statement, "SELECT version()"));
            for (String setting : new String[] {
                "shared_buffers",
                "work_mem",
                "effective_cache_size",
                "jit",
                "fsync",
                "synchronous_commit",
                "random_page_cost"
            }) {
                environment.put(setting, Sql.queryText(statement, "SHOW " + setting));
            }
        }
        environment.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        environment.put(
                "os",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"));
        environment.put("cores", Runtime.getRuntime().availableProcessors());
        environment.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        environment.put(
                "jvm_args",
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        return environment;
    }

    private static Path dataDirectory(EmbeddedPostgresServer server) throws Exception {
        try (Connection connection =
                        server.superuserDataSource(server.database()).getConnection();
                Statement statement = connection.createStatement()) {
            return Path.of(Sql.queryText(statement, "SHOW data_directory"));
        }
    }

    /**
     * The throw-away cluster of a 1M-ride run takes over 1 GB, and the embedded server leaves its folder
     * behind when the JVM exits: stop the server (SIGTERM, a smart shutdown: every connection is closed
     * by now) and delete its temporary folder. -Dbench.keepCluster=true keeps it for inspection.
     */
    private static void removeCluster(Path dataDir, PrintStream out) {
        try {
            Path pidFile = dataDir.resolve("postmaster.pid");
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
                Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
                if (postmaster.isPresent()) {
                    postmaster.get().destroy();
                    postmaster.get().onExit().get(60, TimeUnit.SECONDS);
                }
            }
            Path folder = dataDir.getParent();
            if (folder != null && folder.getFileName().toString().startsWith("vipride-pg-")) {
                try (Stream<Path> files = Files.walk(folder)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(file -> file.toFile().delete());
                }
            }
        } catch (Exception e) {
            out.println("[bench] could not remove the throw-away cluster in " + dataDir + ": " + e);
        }
    }

    /** 1, 5 and 15 minute load averages (Linux): other work on the machine shows up in the tails. */
    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception notLinux) {
            return "unknown";
        }
    }

    /** Keeps the embedded server's and Flyway's INFO/DEBUG lines out of the benchmark output. */
    private static void quietLogging(String level) {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext logback) {
            logback.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.toLevel(level));
            // The schema's idempotent CREATE EXTENSION IF NOT EXISTS notices are not worth a warning here.
            logback.getLogger("org.flywaydb").setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }
}
