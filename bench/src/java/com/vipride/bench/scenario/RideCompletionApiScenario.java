package com.vipride.bench.scenario;

import static com.vipride.bench.report.Formats.ms;
import static com.vipride.bench.report.Formats.ratio;
import static com.vipride.bench.report.Formats.round1;

import com.vipride.bench.BenchContext;
import com.vipride.bench.Scenario;
import com.vipride.bench.load.RideDataGenerator;
import com.vipride.bench.load.RowIds;
import com.vipride.bench.load.VipRidersAtPremium;
import com.vipride.bench.measure.CpuMeter;
import com.vipride.bench.measure.HttpLoad;
import com.vipride.bench.measure.LatencyStats;
import com.vipride.bench.measure.ServiceThreads;
import com.vipride.bench.measure.ServiceUnderTest;
import com.vipride.bench.report.ScenarioReport;
import com.vipride.platform.security.PlatformRole;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ride completion through the real HTTP API — {@code POST /api/v1/rides/{id}/complete}, which completes the
 * ride, charges the rider's saved card through the sandbox processor and posts the fare's journal entries,
 * all in one transaction — against its ceiling: pgbench running the same SQL statements per completion
 * on the same cluster, in the same run.
 */
public final class RideCompletionApiScenario implements Scenario {

    static final String RIDE_KEY = "bench-completion-ride:";
    private static final String DISTANCE_M = "9000";

    /** The columns the service's ride UPDATE returns (com.vipride.rides.Rides.COLUMNS). */
    private static final String RIDE_COLUMNS = """
            id, requested_at, status, customer_id, driver_id, vehicle_id, fleet_company_id, city, customer_tier,
            billing_model, vehicle_type, passengers, quote_id, currency, estimated_fare_minor, final_fare_minor,
            surge_multiplier, actual_distance_m, actual_duration_s, assigned_at, accepted_at, arrived_at, started_at,
            completed_at, cancelled_at, cancelled_by, cancellation_fee_minor, expired_at, emergency_at, driver_rating,
            rider_rating""";

    // One completion, statement for statement what the service sends (see the report's pg_stat_statements):
    // CallerIdentityTransactionManager's identity, RideLifecycle's UPDATE … RETURNING, then
    // RidePaymentCapture's instrument lookup and record_ride_payment with the sandbox processor's fee.
    private static final String PGBENCH_SCRIPT = """
            \\set i :i + 1
            \\set n :first + :client_id * :per_client + :i
            \\set d 1 + :n %% :drivers
            BEGIN;
            SELECT set_config('role', 'driver_user', true), set_config('app.current_user_id', md5('bench-driver-user:' || :d)::uuid::text, true), set_config('app.client_ip', '127.0.0.1', true), set_config('app.user_agent', 'pgbench', true);
            UPDATE public.rides SET status = 'completed', actual_distance_m = %s WHERE id = md5('%s' || :n)::uuid RETURNING %s \\gset
            SELECT method, processor, processor_token FROM public.ride_payment_instrument(:id, :requested_at) \\gset
            \\set fee least(200000, (:final_fare_minor * 15 + 500) / 1000 + 100)
            SELECT public.record_ride_payment(:id, :requested_at, :method, :processor, 'sbx_' || :id, :fee, true, NULL);
            COMMIT;
            """.formatted(DISTANCE_M, RIDE_KEY, RIDE_COLUMNS.replace("\n", " "));

    private static final Pattern TPS = Pattern.compile("tps = ([\\d.]+) \\(without initial connection time\\)");
    private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");

    @Override
    public String name() {
        return "ride-completion-api";
    }

    @Override
    public String title() {
        return "POST /api/v1/rides/{id}/complete (payment captured, ledger posted) vs. pgbench with the same SQL";
    }

    @Override
    public ScenarioReport run(BenchContext context) throws Exception {
        var settings = context.settings();
        int customers = settings.integer("customers", 20_000);
        int drivers = settings.integer("drivers", 4_000);
        long rides = settings.longValue("rides", 200_000);
        int workers = settings.integer("workers", 4);
        int clients = settings.integer("pgbenchClients", workers);
        int seconds = settings.integer("seconds", 20);
        int warmupSeconds = settings.integer("warmupSeconds", 10);
        int rounds = settings.integer("rounds", 2);
        String pgbench = settings.string("pgbench", "/usr/lib/postgresql/15/bin/pgbench");
        ScenarioReport report = new ScenarioReport();
        var out = context.out();

        var config = new RideDataGenerator.Config(
                customers,
                drivers,
                0,
                1,
                settings.integer("batchRows", 100_000),
                settings.longValue("seed", 42),
                false);
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement()) {
            Map<String, Object> accounts = new RideDataGenerator(config, out).load(superuser);
            // A VIP's ride holds its route only sealed by the service under the VIP's key, which bulk SQL
            // cannot make: the generator's VIP riders ride at the premium tier here (the rides below are all
            // normal-tier sedan rides with plain points).
            accounts.put("vip_riders_at_premium_tier", VipRidersAtPremium.apply(statement));
            report.put("accounts", accounts);
            report.put("rides_in_progress", loadRidesInProgress(superuser, customers, drivers, rides, out));
        }

        // Half the rides for the API (taken in order), half for pgbench: one slice per client and block,
        // the warm-up block first.
        long apiRides = rides / 2;
        long perClient = (rides - apiRides) / ((long) (rounds + 1) * clients);
        Map<String, Object> sides = new LinkedHashMap<>();
        List<HttpLoad.Result> apiBlocks = new ArrayList<>();
        List<Map<String, Object>> pgbenchBlocks = new ArrayList<>();
        try (ServiceUnderTest service = ServiceUnderTest.start(context)) {
            report.put("service", service.startupFacts());
            String[] tokens = new String[drivers + 1];
            for (int d = 1; d <= drivers; d++) {
                tokens[d] = service.accessToken(RowIds.md5Uuid("bench-driver-user:" + d), PlatformRole.DRIVER_USER);
            }
            AtomicLong next = new AtomicLong();
            String body = "{\"actualDistanceM\":" + DISTANCE_M + "}";
            Supplier<HttpLoad.Call> completion = () -> {
                long n = next.incrementAndGet();
                if (n > apiRides) {
                    return null;
                }
                return HttpLoad.Call.post(
                        service.baseUrl() + "/api/v1/rides/" + RowIds.md5Uuid(RIDE_KEY + n) + "/complete",
                        tokens[(int) (1 + n % drivers)],
                        body);
            };
            out.printf("[ride-completion-api] warm-up: %d workers for %d s%n", workers, warmupSeconds);
            CpuMeter meter = new CpuMeter(context.server().dataDirectory(), ServiceThreads::group);
            HttpLoad.run(workers, warmupSeconds, completion, RideCompletionApiScenario::outcome, meter);
            runPgbench(context, pgbench, clients, warmupSeconds, apiRides, perClient, drivers);

            resetStatements(context);
            for (int round = 0; round < rounds; round++) {
                HttpLoad.Result api =
                        HttpLoad.run(workers, seconds, completion, RideCompletionApiScenario::outcome, meter);
                apiBlocks.add(api);
                out.printf(
                        "[ride-completion-api] API block %d: %.1f completions/s, p50 %.1f ms, p99 %.1f ms, %d errors%n",
                        round + 1,
                        api.perSecond(),
                        api.latency().percentileMicros(50) / 1000,
                        api.latency().percentileMicros(99) / 1000,
                        api.errors());
                if (round == 0) {
                    sides.put("api_pg_stat_statements", topStatements(context, api.seconds()));
                }
                Map<String, Object> block = runPgbench(
                        context,
                        pgbench,
                        clients,
                        seconds,
                        apiRides + (round + 1L) * perClient * clients,
                        perClient,
                        drivers);
                pgbenchBlocks.add(block);
                out.printf(
                        "[ride-completion-api] pgbench block %d: %s tps, p50 %s µs, p99 %s µs, %s failed%n",
                        round + 1,
                        block.get("tps"),
                        ((Map<?, ?>) block.get("transaction_latency")).get("p50_us"),
                        ((Map<?, ?>) block.get("transaction_latency")).get("p99_us"),
                        block.get("failed_transactions"));
            }
        }

        LatencyStats apiLatency = new LatencyStats(100_000);
        long apiOk = 0;
        long apiErrors = 0;
        double apiTime = 0;
        for (HttpLoad.Result block : apiBlocks) {
            apiLatency.addAll(block.latency());
            apiOk += block.requests() - block.errors();
            apiErrors += block.errors();
            apiTime += block.seconds();
        }
        long pgbenchTx = 0;
        long pgbenchFailed = 0;
        long pgbenchClientErrors = 0;
        double pgbenchTps = 0;
        LatencyStats pgbenchLatency = new LatencyStats(100_000);
        for (Map<String, Object> block : pgbenchBlocks) {
            pgbenchTx += (Long) block.get("transactions");
            pgbenchFailed += (Long) block.get("failed_transactions");
            pgbenchClientErrors += ((List<?>) block.get("client_errors")).size();
            pgbenchTps += (Double) block.get("tps") / pgbenchBlocks.size();
            pgbenchLatency.addAll((LatencyStats) block.remove("latencies"));
        }
        double apiPerSecond = apiOk / apiTime;
        sides.put(
                "api",
                Map.of(
                        "blocks",
                        apiBlocks.stream().map(HttpLoad.Result::json).toList(),
                        "completions_per_s",
                        LatencyStats.round1(apiPerSecond),
                        "latency",
                        apiLatency.summary()));
        sides.put(
                "pgbench",
                Map.of(
                        "blocks",
                        pgbenchBlocks,
                        "tps",
                        LatencyStats.round1(pgbenchTps),
                        "latency",
                        pgbenchLatency.summary()));
        double ratio = apiPerSecond / pgbenchTps;
        report.put(
                "settings",
                Map.of(
                        "workers",
                        workers,
                        "pgbench_clients",
                        clients,
                        "seconds_per_block",
                        seconds,
                        "rounds",
                        rounds,
                        "warmup_seconds",
                        warmupSeconds,
                        "pgbench",
                        pgbench));
        report.put("sides", sides);
        report.put("throughput_api_over_pgbench", LatencyStats.round2(ratio));

        Map<String, Object> books = checkBooks(context);
        report.put("books", books);
        boolean booksOk = Boolean.TRUE.equals(books.get("ok"));
        report.check(apiErrors == 0 && pgbenchFailed == 0 && pgbenchClientErrors == 0 && booksOk);

        report.heading("Ride completion through the API vs. pgbench (same SQL)");
        report.paragraph("""
                %,d rides in progress (lagos, sedan at the normal rider tier, a tariff each, riders with a sandbox \
                card), %,d drivers; %d HTTP \
                workers against the service in this JVM, pgbench with %d clients (`-M prepared`, as `app_backend`), \
                %d rounds of %d s each side after %d s of warm-up. API errors: %d; pgbench failed transactions: %d, \
                error lines: %d %s. %s""".formatted(
                rides,
                drivers,
                workers,
                clients,
                rounds,
                seconds,
                warmupSeconds,
                apiErrors,
                pgbenchFailed,
                pgbenchClientErrors,
                pgbenchBlocks.stream().map(block -> block.get("client_errors")).toList(),
                VipRidersAtPremium.NOTE));
        report.table(
                List.of("side", "completions", "per second", "p50 ms", "p95 ms", "p99 ms"),
                List.of(
                        List.of(
                                "API (HTTP)",
                                String.valueOf(apiOk),
                                round1(apiPerSecond),
                                ms(apiLatency, 50),
                                ms(apiLatency, 95),
                                ms(apiLatency, 99)),
                        List.of(
                                "pgbench (SQL only)",
                                String.valueOf(pgbenchTx),
                                round1(pgbenchTps),
                                ms(pgbenchLatency, 50),
                                ms(pgbenchLatency, 95),
                                ms(pgbenchLatency, 99)),
                        List.of(
                                "API / pgbench",
                                "",
                                LatencyStats.round2(ratio) + "×",
                                ratio(apiLatency, pgbenchLatency, 50),
                                "",
                                ratio(apiLatency, pgbenchLatency, 99))));
        report.paragraph("pgbench script (one completion per transaction):");
        report.code("sql", PGBENCH_SCRIPT);
        report.paragraph(
                "Where the time went in the first API block (pg_stat_statements, `track = all`: nested statements of triggers and functions too; by total time):");
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> row : statementsOf(sides)) {
            rows.add(List.of(
                    "`" + row.get("query") + "`",
                    String.valueOf(row.get("top_level")),
                    String.valueOf(row.get("calls")),
                    String.valueOf(row.get("mean_exec_ms")),
                    String.valueOf(row.get("backend_cores_busy"))));
        }
        report.table(List.of("statement", "top level", "calls", "mean ms", "backend cores busy"), rows);
        report.paragraph("Books after the run: " + books + ".");
        report.summary(
                "API %.1f completions/s (p50 %s ms, p99 %s ms) vs. pgbench %.1f tps (p50 %s ms, p99 %s ms): %.2f×"
                        .formatted(
                                apiPerSecond,
                                ms(apiLatency, 50),
                                ms(apiLatency, 99),
                                pgbenchTps,
                                ms(pgbenchLatency, 50),
                                ms(pgbenchLatency, 99),
                                ratio));
        report.summary("books: " + books);
        return report;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statementsOf(Map<String, Object> sides) {
        return (List<Map<String, Object>>) sides.getOrDefault("api_pg_stat_statements", List.of());
    }

    /**
     * The rides to complete, set-based as the superuser: a sandbox card for every rider, and the rides
     * already in progress on the current lagos sedan tariff (driver assigned, accepted, arrived, started). Loaded with
     * {@code session_replication_role = replica} like the generator's rides (no audit rows, no FK checks;
     * the rows satisfy every key and CHECK).
     */
    private static Map<String, Object> loadRidesInProgress(
            Connection superuser, int customers, int drivers, long rides, java.io.PrintStream out) throws SQLException {
        Map<String, Object> loaded = new LinkedHashMap<>();
        long begin = System.nanoTime();
        superuser.setAutoCommit(true);
        try (Statement statement = superuser.createStatement()) {
            int cards = statement.executeUpdate("""
                    INSERT INTO public.payment_methods (user_id, method, processor, processor_token, brand, last4)
                    SELECT md5('bench-customer:' || c)::uuid, 'card', 'sandbox', 'tok_bench_' || c, 'visa', '4242'
                      FROM generate_series(1, %d) AS c""".formatted(customers));
            out.printf("[load] %,d sandbox cards%n", cards);
            statement.execute("SET session_replication_role = replica");
            long batch = 50_000;
            for (long from = 1; from <= rides; from += batch) {
                long to = Math.min(rides, from + batch - 1);
                statement.executeUpdate("""
                        INSERT INTO public.rides (id, requested_at, customer_id, driver_id, city, status, customer_tier,
                                                  billing_model, vehicle_type, pickup_lat, pickup_lng, dropoff_lat, dropoff_lng,
                                                  currency, estimated_fare_minor, surge_multiplier, estimated_distance_m,
                                                  estimated_duration_s, tariff_id, assigned_at, accepted_at, arrived_at,
                                                  started_at, created_at, updated_at)
                        SELECT md5('%s' || n)::uuid, now() - interval '40 minutes', md5('bench-customer:' || (1 + n %% %d))::uuid,
                               md5('bench-driver:' || (1 + n %% %d))::uuid, 'lagos', 'in_progress', 'normal', 'per_ride', 'sedan',
                               6.45 + (n %% 997) / 10000.0, 3.30 + (n %% 991) / 10000.0, 6.52, 3.41,
                               'NGN', 200000, 1.00, 9000, 1500,
                               (SELECT t.id FROM public.tariffs t WHERE t.city = 'lagos' AND t.vehicle_type = 'sedan'
                                   AND t.rider_tier = 'normal' AND t.billing_model = 'per_ride' AND t.retired_at IS NULL),
                               now() - interval '35 minutes', now() - interval '35 minutes', now() - interval '30 minutes',
                               now() - interval '25 minutes', now() - interval '40 minutes', now() - interval '25 minutes'
                          FROM generate_series(%d, %d) AS n""".formatted(RIDE_KEY, customers, drivers, from, to));
                out.printf("[load] rides in progress: %,d of %,d (%.0f%%)%n", to, rides, 100.0 * to / rides);
            }
            statement.execute("RESET session_replication_role");
            statement.execute("VACUUM (ANALYZE) public.rides, public.payment_methods, public.drivers");
        }
        loaded.put("rides", rides);
        loaded.put("seconds", LatencyStats.round1((System.nanoTime() - begin) / 1e9));
        return loaded;
    }

    /**
     * One pgbench block of {@code seconds} as {@code app_backend}: client c (0-based) completes rides
     * first + c × perClient + 1, + 2, … (its own slice); latencies from the per-transaction log.
     */
    private static Map<String, Object> runPgbench(
            BenchContext context, String binary, int clients, int seconds, long first, long perClient, int drivers)
            throws Exception {
        Path dir = Files.createTempDirectory("vipride-pgbench-");
        try {
            Path script = dir.resolve("completion.sql");
            Files.writeString(script, PGBENCH_SCRIPT, StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of(
                    binary,
                    "-n",
                    "-M",
                    "prepared",
                    "-l",
                    "--log-prefix=" + dir.resolve("tx"),
                    "-h",
                    "localhost",
                    "-p",
                    String.valueOf(context.server().port()),
                    "-U",
                    "app_backend",
                    "-c",
                    String.valueOf(clients),
                    "-j",
                    String.valueOf(clients),
                    "-T",
                    String.valueOf(seconds),
                    "-D",
                    "i=0",
                    "-D",
                    "first=" + first,
                    "-D",
                    "per_client=" + perClient,
                    "-D",
                    "drivers=" + drivers,
                    "-f",
                    script.toString(),
                    context.server().database()));
            Path output = dir.resolve("output.txt");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            int exit = process.waitFor();
            String text = Files.readString(output);
            if (exit != 0) {
                throw new IllegalStateException("pgbench exited with " + exit + ":\n" + text);
            }
            LatencyStats latencies = new LatencyStats(100_000);
            try (var logs = Files.list(dir)) {
                for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("tx"))
                        .toList()) {
                    for (String line : Files.readAllLines(log)) {
                        String[] fields = line.split(" ");
                        if (fields.length >= 3 && fields[2].matches("\\d+")) {
                            latencies.record(Long.parseLong(fields[2]) * 1_000L);
                        }
                    }
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("clients", clients);
            result.put("seconds", seconds);
            result.put("tps", Double.parseDouble(find(TPS, text)));
            result.put("transactions", Long.parseLong(find(PROCESSED, text)));
            Matcher failed = FAILED.matcher(text);
            result.put("failed_transactions", failed.find() ? Long.parseLong(failed.group(1)) : 0L);
            result.put("transaction_latency", latencies.summary());
            // A client that hits an error (say, a deadlock) stops for the rest of the block: its lines tell why.
            result.put(
                    "client_errors",
                    text.lines()
                            .filter(line -> line.contains("aborted") || line.contains("ERROR"))
                            .limit(10)
                            .toList());
            result.put("latencies", latencies);
            return result;
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(file -> file.toFile().delete());
            }
        }
    }

    /** Every completed ride has its captured payment and fare entry; the ledger balances; nothing to reconcile. */
    private static Map<String, Object> checkBooks(BenchContext context) throws SQLException {
        Map<String, Object> books = new LinkedHashMap<>();
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement();
                ResultSet rs = statement.executeQuery("""
                     SELECT (SELECT count(*) FROM public.rides WHERE status = 'completed'),
                            (SELECT count(*) FROM public.payments WHERE payment_type = 'ride_fare' AND status = 'completed'),
                            (SELECT count(*) FROM public.journal_entries WHERE entry_type = 'ride_fare'),
                            (SELECT coalesce(sum(amount_minor), 0) FROM public.journal_lines),
                            (SELECT count(*) FROM public.ledger_discrepancies(now() - interval '1 day'))""")) {
            rs.next();
            books.put("completed_rides", rs.getLong(1));
            books.put("captured_payments", rs.getLong(2));
            books.put("fare_entries", rs.getLong(3));
            books.put("sum_of_all_lines", rs.getLong(4));
            books.put("discrepancies", rs.getLong(5));
            books.put(
                    "ok",
                    rs.getLong(1) == rs.getLong(2)
                            && rs.getLong(2) == rs.getLong(3)
                            && rs.getLong(4) == 0
                            && rs.getLong(5) == 0);
        }
        return books;
    }

    /** Counts nested statements too (triggers, functions), so the report shows where a completion's time goes. */
    private static void resetStatements(BenchContext context) throws SQLException {
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement()) {
            statement.execute("ALTER SYSTEM SET pg_stat_statements.track = 'all'");
            statement.execute("SELECT pg_reload_conf()");
            statement.execute("SELECT pg_stat_statements_reset()");
        }
    }

    private static List<Map<String, Object>> topStatements(BenchContext context, double wallSeconds)
            throws SQLException {
        List<Map<String, Object>> top = new ArrayList<>();
        try (Connection superuser = context.superuser();
                PreparedStatement statement = superuser.prepareStatement("""
                     SELECT regexp_replace(s.query, '\\s+', ' ', 'g'), s.calls, s.mean_exec_time, s.total_exec_time, s.toplevel
                       FROM pg_stat_statements s
                      WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                        AND s.query NOT LIKE '%pg_stat_statements%'
                      ORDER BY s.total_exec_time DESC LIMIT 20""");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                String query = rs.getString(1);
                row.put("query", query.length() > 140 ? query.substring(0, 137) + "…" : query);
                row.put("top_level", rs.getBoolean(5));
                row.put("calls", rs.getLong(2));
                row.put("mean_exec_ms", LatencyStats.round2(rs.getDouble(3)));
                row.put("backend_cores_busy", LatencyStats.round2(rs.getDouble(4) / 1000 / wallSeconds));
                top.add(row);
            }
        }
        return top;
    }

    private static String find(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            throw new IllegalStateException("pgbench output without " + pattern + ":\n" + text);
        }
        return matcher.group(1);
    }

    /** A completion answered 200 is counted as completed; anything else is an error. */
    private static String outcome(HttpLoad.Answer response) {
        return response.status() == 200 ? "completed" : null;
    }
}
