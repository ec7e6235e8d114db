package com.vipride.bench.scenario;

import com.vipride.bench.BenchContext;
import com.vipride.bench.BenchSettings;
import com.vipride.bench.Scenario;
import com.vipride.bench.Sql;
import com.vipride.bench.load.DriverFleetGenerator;
import com.vipride.bench.load.RideDataGenerator;
import com.vipride.bench.load.RowIds;
import com.vipride.bench.measure.CpuMeter;
import com.vipride.bench.measure.DriverTurnover;
import com.vipride.bench.measure.HttpLoad;
import com.vipride.bench.measure.JfrProfile;
import com.vipride.bench.measure.LatencyStats;
import com.vipride.bench.measure.Pgbench;
import com.vipride.bench.measure.ServiceUnderTest;
import com.vipride.bench.report.Json;
import com.vipride.bench.report.ScenarioReport;
import com.vipride.platform.security.PlatformRole;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue #5 benchmark (b): ride request → driver assigned through the HTTP API of the real service
 * ({@code POST /api/v1/rides} with a quoteId and an Idempotency-Key), sustained for a fixed time by a
 * closed-loop Java HTTP load generator in the same JVM as the service, on the same 2 cores as
 * PostgreSQL. Target: ≥ 800 requests/s with p99 ≤ 30 ms. Ceiling in the same run: pgbench with the
 * statements the service runs per request, as {@code app_backend} with the caller's identity.
 *
 * <p>Quotes are pre-created in bulk (SQL, priced by {@code public.fare_for} under the current tariffs),
 * one per request, so that only the request is timed; riders' access tokens are minted by the
 * service's own {@code AccessTokens}. Drivers do not answer offers in this benchmark, so the city's
 * offer timeout is raised to an hour (else the dispatcher would re-offer every ride after 20 s, doubling
 * the work), and between blocks every claimed driver is made available again.
 */
public final class RideRequestApiScenario implements Scenario {

    static final double TARGET_RPS = 800;
    static final double TARGET_P99_MS = 30;
    static final double TARGET_RATIO = 0.5;
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"(\\w+)\"");
    private static final String FINGERPRINT = "0".repeat(64);

    private static final String QUOTES = """
            INSERT INTO public.fare_quotes (id, customer_id, city, tariff_id, vehicle_type, billing_model, rider_tier,
                                            passengers, pickup_lat, pickup_lng, dropoff_lat, dropoff_lng, currency,
                                            estimated_distance_m, estimated_duration_s, demand, supply,
                                            surge_multiplier, estimated_fare_minor, created_at, expires_at)
            SELECT md5('bench-quote:' || n)::uuid, md5('bench-customer:' || c)::uuid, 'lagos', t.id, q.vehicle,
                   'per_ride', q.tier, 1, plat, plng, dlat, dlng, 'NGN', d.distance, d.duration, 0, 0, 1.00,
                   public.fare_for(t, d.distance, d.duration, 1.00), now(), now() + interval '3 hours'
              FROM (SELECT n, c, ${tier} AS tier,
                           ${vehicle} AS vehicle,
                           round((6.40 + 0.30 * r_lat)::numeric, 6)::float8 AS plat,
                           round((3.10 + 0.50 * r_lng)::numeric, 6)::float8 AS plng,
                           round((6.40 + 0.30 * r_dlat)::numeric, 6)::float8 + 0.0005 AS dlat,
                           round((3.10 + 0.50 * r_dlng)::numeric, 6)::float8 AS dlng
                      FROM (SELECT n, 1 + n % ${customers} AS c, random() AS r_type, random() AS r_lat, random() AS r_lng,
                                   random() AS r_dlat, random() AS r_dlng
                              FROM generate_series(${from}, ${to}) AS n OFFSET 0) AS r) AS q
             CROSS JOIN LATERAL (SELECT round(public.earth_distance(public.ll_to_earth(plat, plng),
                                                                     public.ll_to_earth(dlat, dlng)) * 1.3)::int AS distance) AS d0
             CROSS JOIN LATERAL (SELECT d0.distance, round(d0.distance / (24.0 / 3.6))::int AS duration) AS d
              JOIN public.tariffs t ON t.city = 'lagos' AND t.vehicle_type = q.vehicle AND t.rider_tier = q.tier
                                   AND t.billing_model = 'per_ride' AND t.retired_at IS NULL
            """;

    /**
     * The platform's day so far: completed rides of this month with their accepted offers, so that the
     * rides partition and ride_offers are the size production runs at (plans made over empty tables
     * scan them sequentially, and keep doing so as they fill) and VACUUM (ANALYZE) measures them.
     */
    private static final String HISTORY = """
            INSERT INTO public.rides (id, requested_at, customer_id, driver_id, vehicle_id, city, status, customer_tier,
                                      billing_model, vehicle_type, passengers, pickup_lat, pickup_lng, dropoff_lat,
                                      dropoff_lng, currency, estimated_fare_minor, final_fare_minor, actual_distance_m,
                                      actual_duration_s, assigned_at, accepted_at, arrived_at, started_at, completed_at,
                                      dispatch_attempts)
            SELECT md5('bench-history:' || n)::uuid, t, md5('bench-customer:' || (1 + n % ${customers}))::uuid,
                   md5('bench-fleet-driver:' || (1 + n % ${drivers}))::uuid, md5('bench-fleet-vehicle:' || (1 + n % ${drivers}))::uuid,
                   'lagos', 'completed', 'normal', 'per_ride', 'sedan', 1, 6.5, 3.4, 6.55, 3.45, 'NGN', 250000, 250000, 7000, 900,
                   t + interval '20 s', t + interval '30 s', t + interval '5 min', t + interval '6 min', t + interval '21 min', 1
              FROM generate_series(1, ${rides}) n
             CROSS JOIN LATERAL (SELECT greatest(date_trunc('month', now()), now() - interval '3 hours' - n * interval '100 ms') AS t) x;
            INSERT INTO public.ride_offers (ride_id, ride_requested_at, driver_id, pickup_distance_m, offered_at, expires_at,
                                            status, responded_at)
            SELECT r.id, r.requested_at, r.driver_id, 900, r.assigned_at, r.assigned_at + interval '20 s', 'accepted', r.accepted_at
              FROM public.rides r WHERE r.id IN (SELECT md5('bench-history:' || n)::uuid FROM generate_series(1, ${rides}) n);
            """;

    /**
     * What the service sends per request (RideRequests.request in one transaction, identity first, as
     * CallerIdentityTransactionManager does); ids computed from the quote number, the only difference.
     */
    private static final String PGBENCH_SCRIPT = """
            \\set k :k + 1
            \\set n :base + :client_id * :per_client + :k
            \\set c 1 + :n % :customers
            BEGIN;
            SELECT set_config('role', 'customer_user', true), set_config('app.current_user_id', md5('bench-customer:' || :c)::uuid::text, true), set_config('app.client_ip', '127.0.0.1', true), set_config('app.user_agent', 'pgbench', true);
            SELECT ${columns} FROM public.request_ride(md5('bench-quote:' || :n)::uuid, 'pgbench-' || :n, '${fingerprint}', NULL, NULL);
            COMMIT;
            """;

    private static final String RIDE_COLUMNS =
            "id, requested_at, status, customer_id, driver_id, vehicle_id, fleet_company_id,"
                    + " city, customer_tier, billing_model, vehicle_type, passengers, quote_id, currency, estimated_fare_minor,"
                    + " final_fare_minor, surge_multiplier, actual_distance_m, actual_duration_s, assigned_at, accepted_at, arrived_at,"
                    + " started_at, completed_at, cancelled_at, cancelled_by, cancellation_fee_minor, expired_at, emergency_at,"
                    + " driver_rating, rider_rating";

    @Override
    public String name() {
        return "ride-request-api";
    }

    @Override
    public String title() {
        return "Ride request → driver assigned through the HTTP API (POST /api/v1/rides with a quote), sustained, "
                + "vs. pgbench with the same statements: target ≥ 800 requests/s, p99 ≤ 30 ms, API/pgbench ≥ 0.5";
    }

    @Override
    public ScenarioReport run(BenchContext context) throws Exception {
        PrintStream out = context.out();
        BenchSettings settings = context.settings();
        int customers = settings.integer("customers", 20_000);
        int drivers = settings.integer("drivers", 150_000);
        List<Integer> workerCounts = new ArrayList<>();
        for (String w : settings.string("workers", "8").split(",")) {
            workerCounts.add(Integer.parseInt(w.trim()));
        }
        int seconds = settings.integer("seconds", 60);
        int warmupSeconds = settings.integer("warmupSeconds", 180);
        int profileSeconds = settings.integer("profileSeconds", 15);
        int pgbenchClients = settings.integer("pgbenchClients", 4);
        int pgbenchTransactions = settings.integer("pgbenchTransactions", 10_000);
        int pgbenchSeconds = settings.integer("pgbenchSeconds", 30);
        // Quotes for the API: enough for 1,500 requests/s over every API block, then pgbench's range.
        int apiQuotes = settings.integer(
                "apiQuotes", 1_500 * (warmupSeconds + seconds * workerCounts.size() + profileSeconds) + 1_000);
        int pgbenchQuotes = pgbenchClients * pgbenchTransactions;
        int historyRides = settings.integer("historyRides", 200_000);
        int floorSeconds = settings.integer("floorSeconds", 30);
        int rideSeconds = settings.integer("rideSeconds", 30);

        ScenarioReport report = new ScenarioReport();
        Map<String, Object> loaded;
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement()) {
            loaded = DriverFleetGenerator.loadRidersAndFleet(superuser, settings, customers, drivers, out);
            statement.execute("UPDATE public.city_settings SET offer_timeout_s = 3600 WHERE city = '"
                    + DriverFleetGenerator.CITY + "'");
            // A VIP's quote holds its route only sealed by the service under the VIP's key, which bulk SQL
            // cannot make: the generator's VIP riders ride at the premium tier here (this run times
            // non-VIP requests; a VIP request adds a second transaction and two envelope operations).
            statement.execute("UPDATE public.users SET tier = 'premium' WHERE tier = 'vip'");
            long begin = System.nanoTime();
            int total = apiQuotes + pgbenchQuotes;
            for (int from = 1; from <= total; from += 100_000) {
                int to = Math.min(total, from + 99_999);
                statement.executeUpdate(QUOTES.replace(
                                "${vehicle}",
                                DriverFleetGenerator.requestedVehicleType(RideDataGenerator.tierOf("c"), "r_type"))
                        .replace(
                                "${tier}",
                                "(CASE WHEN " + RideDataGenerator.tierOf("c")
                                        + " = 'vip' THEN 'premium'::public.user_tier" + " ELSE "
                                        + RideDataGenerator.tierOf("c") + " END)")
                        .replace("${customers}", String.valueOf(customers))
                        .replace("${from}", String.valueOf(from))
                        .replace("${to}", String.valueOf(to)));
                out.printf(
                        "[load] quotes      %5.1f%%  %,10d / %,d  %,9.0f rows/s%n",
                        100.0 * to / total, to, total, to / ((System.nanoTime() - begin) / 1e9));
            }
            statement.execute("VACUUM (ANALYZE) public.fare_quotes");
            loaded.put("quotes", Map.of("api", apiQuotes, "pgbench", pgbenchQuotes, "expire_after", "3 hours"));
            begin = System.nanoTime();
            statement.execute("SET session_replication_role = replica");
            statement.execute(HISTORY.replace("${customers}", String.valueOf(customers))
                    .replace("${drivers}", String.valueOf(drivers))
                    .replace("${rides}", String.valueOf(historyRides)));
            statement.execute("RESET session_replication_role");
            statement.execute("VACUUM (ANALYZE) public.rides, public.ride_offers");
            out.printf(
                    "[load] %,d completed rides of this month with their offers in %.1f s%n",
                    historyRides, (System.nanoTime() - begin) / 1e9);
            loaded.put("history_rides", historyRides);
        }
        String extraSql = context.applyExtraSql();

        Map<String, Object> results = new LinkedHashMap<>();
        List<HttpLoad.Result> blocks = new ArrayList<>();
        Map<String, Object> pgbenchRun;
        List<Map<String, Object>> statements;
        Map<String, Object> profile = null;
        HttpLoad.Result profiled = null;
        HttpLoad.Result floor;
        try (ServiceUnderTest service = ServiceUnderTest.start(context);
                DriverTurnover turnover =
                        rideSeconds > 0 ? new DriverTurnover(context.superuser(), rideSeconds) : null) {
            String[] tokens = new String[customers + 1];
            for (int c = 1; c <= customers; c++) {
                tokens[c] = service.accessToken(RowIds.md5Uuid("bench-customer:" + c), PlatformRole.CUSTOMER_USER);
            }
            AtomicInteger nextQuote = new AtomicInteger();
            Supplier<HttpLoad.Call> requests = () -> {
                int n = nextQuote.incrementAndGet();
                if (n > apiQuotes) {
                    return null;
                }
                return HttpLoad.Call.post(
                                service.baseUrl() + "/api/v1/rides",
                                tokens[1 + n % customers],
                                "{\"quoteId\":\"" + RowIds.md5Uuid("bench-quote:" + n) + "\"}")
                        .withIdempotencyKey("bench-" + n);
            };
            CpuMeter meter = new CpuMeter(context.server().dataDirectory(), VipIngestScenario::threadGroup);
            int maxWorkers =
                    workerCounts.stream().mapToInt(Integer::intValue).max().orElse(8);
            out.printf("[ride-request-api] warm-up: %d s at %d workers%n", warmupSeconds, maxWorkers);
            HttpLoad.Result warmup =
                    HttpLoad.run(maxWorkers, warmupSeconds, requests, RideRequestApiScenario::outcome, meter);
            out.printf(
                    "[ride-request-api] warm-up: %.0f requests/s, p99 %.1f ms, %d errors %s%n",
                    warmup.perSecond(),
                    warmup.latency().percentileMicros(99) / 1000,
                    warmup.errors(),
                    String.valueOf(warmup.firstError()));
            results.put("warmup", warmup.json());

            try (Connection superuser = context.superuser();
                    Statement statement = superuser.createStatement()) {
                for (int workers : workerCounts) {
                    release(superuser, turnover, out);
                    statement.execute("SELECT pg_stat_statements_reset()");
                    HttpLoad.Result block =
                            HttpLoad.run(workers, seconds, requests, RideRequestApiScenario::outcome, meter);
                    blocks.add(block);
                    out.printf(
                            "[ride-request-api] %d workers: %.0f requests/s, p50 %.1f ms, p99 %.1f ms, outcomes %s, %d errors%n",
                            workers,
                            block.perSecond(),
                            block.latency().percentileMicros(50) / 1000,
                            block.latency().percentileMicros(99) / 1000,
                            block.outcomes(),
                            block.errors());
                }
                statements = statementsPerRequest(statement, blocks.get(blocks.size() - 1));

                HttpLoad.Result best = best(blocks);
                // The service's floor on this machine: its lightest authenticated request with the same
                // transaction shape (identity, one statement, COMMIT) — GET /api/v1/me, one indexed read.
                AtomicInteger nextRider = new AtomicInteger();
                floor = HttpLoad.run(
                        best.workers(),
                        floorSeconds,
                        () -> HttpLoad.Call.get(
                                service.baseUrl() + "/api/v1/me", tokens[1 + nextRider.incrementAndGet() % customers]),
                        r -> r.status() == 200 ? "200" : null,
                        meter);
                out.printf(
                        "[ride-request-api] floor, GET /api/v1/me at %d workers: %.0f requests/s, p99 %.1f ms, %d errors%n",
                        floor.workers(),
                        floor.perSecond(),
                        floor.latency().percentileMicros(99) / 1000,
                        floor.errors());
                release(superuser, turnover, out);
                Map<String, String> variables = new LinkedHashMap<>();
                variables.put("k", "0");
                variables.put("base", String.valueOf(apiQuotes));
                variables.put("per_client", String.valueOf(pgbenchTransactions));
                // Each quote serves one request, so pgbench runs a fixed count per client (-t): about
                // -Dbench.pgbenchSeconds if pgbench is 3x as fast as the API, at most the quotes made for it.
                int perClient = (int) Math.min(
                        pgbenchTransactions,
                        Math.max(200, Math.ceil(3 * best.perSecond() * pgbenchSeconds / pgbenchClients)));
                variables.put("customers", String.valueOf(customers));
                CpuMeter.Snapshot before = meter.take();
                pgbenchRun = new Pgbench(context)
                        .run("app_backend", pgbenchScript(), pgbenchClients, 0, perClient, variables);
                pgbenchRun.put("cpu", meter.between(before, meter.take()));
                pgbenchRun.put(
                        "assigned",
                        Sql.queryLong(
                                statement,
                                "SELECT count(*) FROM public.rides WHERE status = 'driver_assigned' AND quote_id IN (SELECT md5('bench-quote:' || n)::uuid"
                                        + " FROM generate_series(" + (apiQuotes + 1) + ", "
                                        + (apiQuotes + pgbenchQuotes) + ") n)"));
                out.printf(
                        "[ride-request-api] pgbench -c %d: %s tps, latency average %s ms%n",
                        pgbenchClients, pgbenchRun.get("tps"), pgbenchRun.get("latency_average_ms"));
                // After pgbench: starting JFR and reading its recording keep the JIT busy for a while,
                // which would take CPU from pgbench and lower the ceiling.
                if (profileSeconds > 0) {
                    // The profiled block also tracks nested statements (functions, triggers): a reload
                    // reaches the service's pooled sessions too.
                    release(superuser, turnover, out);
                    statement.execute("ALTER SYSTEM SET pg_stat_statements.track = 'all'");
                    statement.execute("SELECT pg_reload_conf()");
                    statement.execute("SELECT pg_stat_statements_reset()");
                    JfrProfile jfr = new JfrProfile(
                            stageMarkers(), VipIngestScenario::threadGroup, VipIngestScenario.SERVER_THREADS);
                    jfr.start();
                    profiled = HttpLoad.run(
                            best.workers(), profileSeconds, requests, RideRequestApiScenario::outcome, meter);
                    profile = jfr.stop("other (servlet filters, JDK, …)", 12);
                    statements = statementsPerRequest(statement, profiled);
                    statement.execute("ALTER SYSTEM RESET pg_stat_statements.track");
                    statement.execute("SELECT pg_reload_conf()");
                }
            }
            results.put("service", service.startupFacts());
            if (turnover != null) {
                results.put("drivers_freed_by_turnover", turnover.released());
            }
        }

        HttpLoad.Result best = best(blocks);
        double pgbenchTps = ((Number) pgbenchRun.get("tps")).doubleValue();
        double ratio = best.perSecond() / pgbenchTps;
        double p99Ms = best.latency().percentileMicros(99) / 1000;
        boolean met = best.perSecond() >= TARGET_RPS && p99Ms <= TARGET_P99_MS;
        List<Map<String, Object>> blockJson = new ArrayList<>();
        blocks.forEach(b -> blockJson.add(b.json()));
        results.put("api_blocks", blockJson);
        results.put("pgbench", pgbenchRun);
        results.put("floor_get_me", floor.json());
        results.put("statements_per_request", statements);
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("best_workers", best.workers());
        verdict.put("api_requests_per_s", LatencyStats.round1(best.perSecond()));
        verdict.put("api_p99_ms", LatencyStats.round2(p99Ms));
        verdict.put("pgbench_tps", pgbenchTps);
        verdict.put("api_over_pgbench", LatencyStats.round2(ratio));
        verdict.put("floor_get_me_per_s", LatencyStats.round1(floor.perSecond()));
        verdict.put("api_over_floor", LatencyStats.round2(best.perSecond() / floor.perSecond()));
        verdict.put("meets_target", met);
        verdict.put("meets_ratio_goal", ratio >= TARGET_RATIO);
        results.put("verdict", verdict);
        if (profiled != null) {
            results.put("profiled_block", profiled.json());
            results.put("profile", profile);
        }
        boolean allAnswered = blocks.stream().allMatch(b -> b.errors() == 0 && !b.ranOut())
                && floor.errors() == 0
                && ((Number) pgbenchRun.get("failed_transactions")).longValue() == 0;
        report.check(allAnswered);

        Map<String, Object> runSettings = new LinkedHashMap<>();
        runSettings.put("customers", customers);
        runSettings.put("drivers", drivers);
        runSettings.put("workers", workerCounts);
        runSettings.put("seconds", seconds);
        runSettings.put("warmup_seconds", warmupSeconds);
        runSettings.put("ride_seconds", rideSeconds);
        runSettings.put("profile_seconds", profileSeconds);
        runSettings.put("pgbench_clients", pgbenchClients);
        runSettings.put("pgbench_transactions_per_client_max", pgbenchTransactions);
        runSettings.put("pgbench_seconds_aimed_at", pgbenchSeconds);
        runSettings.put("extra_sql", extraSql);
        report.put("settings", runSettings);
        report.put("data", loaded);
        report.put("results", results);
        markdown(
                report,
                loaded,
                runSettings,
                blocks,
                floor,
                pgbenchRun,
                statements,
                verdict,
                profiled,
                profile,
                extraSql);

        report.summary(String.format(
                "API, best of %s workers (%d): %.0f requests/s, p50 %.1f ms, p99 %.1f ms — target ≥ %.0f/s "
                        + "with p99 ≤ %.0f ms: %s",
                workerCounts,
                best.workers(),
                best.perSecond(),
                best.latency().percentileMicros(50) / 1000,
                p99Ms,
                TARGET_RPS,
                TARGET_P99_MS,
                met ? "met" : "NOT met"));
        report.summary(String.format(
                "outcomes %s; CPU: service JVM %s cores, PostgreSQL %s cores, others %s cores",
                best.outcomes(),
                best.cpu().get("jvm_cores"),
                best.cpu().get("postgres_cores"),
                best.cpu().get("other_processes_cores")));
        report.summary(String.format(
                "pgbench -c %d, same statements: %.0f tps → API / pgbench = %.2f (goal ≥ %.1f: %s)",
                pgbenchClients, pgbenchTps, ratio, TARGET_RATIO, ratio >= TARGET_RATIO ? "met" : "NOT met"));
        report.summary(String.format(
                "floor, GET /api/v1/me (identity + one read + COMMIT): %.0f requests/s → ride request / floor = %s",
                floor.perSecond(), verdict.get("api_over_floor")));
        return report;
    }

    private static HttpLoad.Result best(List<HttpLoad.Result> blocks) {
        return blocks.stream()
                .max((a, b) -> Double.compare(a.perSecond(), b.perSecond()))
                .orElseThrow();
    }

    /** A 201 names the ride's status (driver_assigned, or pending if no driver was in range); anything else is an error. */
    private static String outcome(HttpLoad.Answer response) {
        if (response.status() != 201) {
            return null;
        }
        Matcher status = STATUS.matcher(response.body());
        return status.find() ? status.group(1) : null;
    }

    private static void release(Connection superuser, DriverTurnover turnover, PrintStream out) throws SQLException {
        long released = turnover == null ? DriverFleetGenerator.releaseAll(superuser) : turnover.freeAll(superuser);
        try (Statement statement = superuser.createStatement()) {
            statement.execute(
                    "VACUUM (ANALYZE) public.drivers, public.fare_quotes, public.ride_request_keys, public.ride_offers, "
                            + "public.rides");
            statement.execute("CHECKPOINT");
        }
        out.printf("[ride-request-api] %,d claimed drivers made available again; VACUUM, CHECKPOINT%n", released);
    }

    static String pgbenchScript() {
        return PGBENCH_SCRIPT.replace("${fingerprint}", FINGERPRINT).replace("${columns}", RIDE_COLUMNS);
    }

    /** The statements of the last API block with their calls per request (pg_stat_statements, reset before it). */
    private static List<Map<String, Object>> statementsPerRequest(Statement statement, HttpLoad.Result block)
            throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        long requests = Math.max(1, block.requests());
        try (ResultSet rs = statement.executeQuery("""
                SELECT calls, round((total_exec_time / calls * 1000)::numeric, 1) AS mean_us,
                       round(total_exec_time::numeric, 1) AS total_ms, toplevel,
                       left(regexp_replace(query, '\\s+', ' ', 'g'), 160) AS query
                  FROM pg_stat_statements
                 WHERE calls >= 10
                 ORDER BY total_exec_time DESC LIMIT 15""")) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("calls_per_request", LatencyStats.round2(rs.getLong("calls") / (double) requests));
                row.put("mean_us", rs.getDouble("mean_us"));
                row.put("total_ms", rs.getDouble("total_ms"));
                row.put("toplevel", rs.getBoolean("toplevel"));
                row.put("query", rs.getString("query"));
                rows.add(row);
            }
        }
        return rows;
    }

    /**
     * Stages of a request for the CPU profile: the innermost marker on a sample's stack names it. The
     * security filters wrap all of Spring MVC, so MVC, Tomcat and the JDBC driver need markers of their
     * own, or their samples would count as the security filters'.
     */
    static List<JfrProfile.Marker> stageMarkers() {
        return List.of(
                new JfrProfile.Marker(
                        "com.vipride.rides.RideRequests.fingerprint", "Idempotency-Key fingerprint (SHA-256)"),
                new JfrProfile.Marker("org.postgresql", "JDBC driver (PostgreSQL protocol)"),
                new JfrProfile.Marker("com.vipride.rides", "ride request code (controller, JdbcClient, row mapping)"),
                new JfrProfile.Marker(
                        "org.springframework.jdbc.core", "ride request code (controller, JdbcClient, row mapping)"),
                new JfrProfile.Marker("org.springframework.transaction", "transaction begin/commit + caller identity"),
                new JfrProfile.Marker(
                        "org.springframework.jdbc.datasource", "transaction begin/commit + caller identity"),
                new JfrProfile.Marker(
                        "org.springframework.jdbc.support.JdbcTransactionManager",
                        "transaction begin/commit + caller identity"),
                new JfrProfile.Marker("com.vipride.platform.db", "transaction begin/commit + caller identity"),
                new JfrProfile.Marker("com.zaxxer.hikari", "connection pool (Hikari)"),
                new JfrProfile.Marker("org.hibernate.validator", "bean validation"),
                new JfrProfile.Marker("tools.jackson", "JSON (Jackson: parse request, write response)"),
                new JfrProfile.Marker("com.fasterxml.jackson", "JSON (Jackson: parse request, write response)"),
                new JfrProfile.Marker("io.micrometer", "metrics and observations (Micrometer)"),
                new JfrProfile.Marker("com.nimbusds", "JWT decoding and signature check"),
                new JfrProfile.Marker(
                        "org.springframework.security.web.firewall", "Spring Security firewall (header checks)"),
                new JfrProfile.Marker("org.springframework.security", "Spring Security filters"),
                new JfrProfile.Marker("org.springframework.web", "Spring MVC (dispatch, handler, return value)"),
                new JfrProfile.Marker("org.apache", "Tomcat (HTTP parsing, connector)"));
    }

    @SuppressWarnings("unchecked")
    private static void markdown(
            ScenarioReport report,
            Map<String, Object> loaded,
            Map<String, Object> runSettings,
            List<HttpLoad.Result> blocks,
            HttpLoad.Result floor,
            Map<String, Object> pgbenchRun,
            List<Map<String, Object>> statements,
            Map<String, Object> verdict,
            HttpLoad.Result profiled,
            Map<String, Object> profile,
            String extraSql) {
        if (extraSql != null) {
            report.paragraph("**What-if run:** this SQL was applied after the load (`-Dbench.extraSql`):");
            report.code("sql", extraSql);
        }
        Map<String, Object> fleet = (Map<String, Object>) loaded.get("fleet");
        report.paragraph(String.format(
                "Data: %,d riders (generator tiers), %,d online available drivers in Lagos with "
                        + "vehicles (%s), quotes pre-created in SQL for the run (%s) — **only the request is timed, not the "
                        + "quote**. Riders' access tokens minted by the service's AccessTokens (HS256, as at sign-in). "
                        + "Drivers never answer offers here: offer_timeout_s raised to 3600 for the run, and every claimed "
                        + "driver made available again (superuser UPDATE) before each block. %s",
                runSettings.get("customers"),
                runSettings.get("drivers"),
                fleet.get("available_by_vehicle_type"),
                loaded.get("quotes"),
                (Integer) runSettings.get("ride_seconds") > 0
                        ? "Drivers finish their rides: " + runSettings.get("ride_seconds")
                                + " s after a ride's request its driver "
                                + "is available again (a superuser UPDATE every 0.5 s, through the active-rides index; DriverTurnover), "
                                + "so the fleet reaches a steady state instead of running out during a block."
                        : "No turnover (`-Dbench.rideSeconds=0`): claimed drivers stay busy until the next block."));
        report.paragraph(String.format(
                "Load: closed loop, N workers in the service's JVM (Apache HttpClient 5 classic, one "
                        + "HTTP/1.1 keep-alive connection each), "
                        + "each `POST /api/v1/rides {\"quoteId\": …}` with `Idempotency-Key` and the rider's bearer token, back to "
                        + "back for %s s per block after a %s s warm-up; a request counts when it answers 201 (outcome = the ride's "
                        + "status). Service, PostgreSQL and load generator share the machine's cores.",
                runSettings.get("seconds"), runSettings.get("warmup_seconds")));
        List<List<String>> rows = new ArrayList<>();
        for (HttpLoad.Result b : blocks) {
            rows.add(List.of(
                    "API, " + b.workers() + " workers",
                    String.format("%.0f", b.perSecond()),
                    ms(b.latency().percentileMicros(50)),
                    ms(b.latency().percentileMicros(95)),
                    ms(b.latency().percentileMicros(99)),
                    String.valueOf(b.outcomes()),
                    String.valueOf(b.errors()),
                    String.valueOf(b.cpu().get("jvm_cores")),
                    String.valueOf(b.cpu().get("postgres_cores")),
                    String.valueOf(b.cpu().get("other_processes_cores"))));
        }
        rows.add(List.of(
                "floor: GET /api/v1/me, " + floor.workers() + " workers",
                String.format("%.0f", floor.perSecond()),
                ms(floor.latency().percentileMicros(50)),
                ms(floor.latency().percentileMicros(95)),
                ms(floor.latency().percentileMicros(99)),
                String.valueOf(floor.outcomes()),
                String.valueOf(floor.errors()),
                String.valueOf(floor.cpu().get("jvm_cores")),
                String.valueOf(floor.cpu().get("postgres_cores")),
                String.valueOf(floor.cpu().get("other_processes_cores"))));
        Map<String, Object> latency = (Map<String, Object>) pgbenchRun.get("transaction_latency");
        Map<String, Object> pgCpu = (Map<String, Object>) pgbenchRun.get("cpu");
        rows.add(List.of(
                "pgbench, " + pgbenchRun.get("clients") + " clients",
                String.valueOf(pgbenchRun.get("tps")),
                ms((Double) latency.get("p50_us")),
                ms((Double) latency.get("p95_us")),
                ms((Double) latency.get("p99_us")),
                "{driver_assigned=" + pgbenchRun.get("assigned") + " of " + pgbenchRun.get("transactions") + "}",
                String.valueOf(pgbenchRun.get("failed_transactions")),
                "—",
                String.valueOf(pgCpu.get("postgres_cores")),
                String.valueOf(pgCpu.get("other_processes_cores"))));
        report.table(
                List.of(
                        "side",
                        "requests/s",
                        "p50 ms",
                        "p95 ms",
                        "p99 ms",
                        "outcomes",
                        "errors",
                        "JVM cores",
                        "PostgreSQL cores",
                        "other processes' cores"),
                rows);
        report.paragraph(String.format(
                "**Verdict:** best API block %s workers: %s requests/s, p99 %s ms (target ≥ %.0f/s with "
                        + "p99 ≤ %.0f ms: %s); pgbench %s tps; API / pgbench = **%s** (goal ≥ %.1f: %s).",
                verdict.get("best_workers"),
                verdict.get("api_requests_per_s"),
                verdict.get("api_p99_ms"),
                TARGET_RPS,
                TARGET_P99_MS,
                (Boolean) verdict.get("meets_target") ? "met" : "**not met**",
                verdict.get("pgbench_tps"),
                verdict.get("api_over_pgbench"),
                TARGET_RATIO,
                (Boolean) verdict.get("meets_ratio_goal") ? "met" : "**not met**"));
        report.paragraph(String.format(
                "The service's floor on this machine, measured in the same run: its lightest "
                        + "authenticated request with the same transaction shape (identity, one indexed read, COMMIT), "
                        + "`GET /api/v1/me`, %s requests/s; a ride request runs at %s of it.",
                verdict.get("floor_get_me_per_s"), verdict.get("api_over_floor")));
        report.paragraph("The statements per request, from pg_stat_statements (reset before the block) over "
                + (profiled != null
                        ? "the profiled block, with `track = all`: top-level rows are what the service sends, the "
                                + "others run inside functions and triggers (their time is part of the top-level statement's)"
                        : "the last API block (top-level statements only)")
                + "; the dispatcher's periodic pass shows too:");
        List<List<String>> statementRows = new ArrayList<>();
        for (Map<String, Object> s : statements) {
            statementRows.add(List.of(
                    String.valueOf(s.get("calls_per_request")),
                    String.valueOf(s.get("mean_us")),
                    String.valueOf(s.get("total_ms")),
                    String.valueOf(s.get("toplevel")),
                    "`" + String.valueOf(s.get("query")).replace("|", "\\|") + "`"));
        }
        report.table(List.of("calls / request", "mean µs", "total ms", "top level", "statement"), statementRows);
        report.paragraph(
                "The pgbench script (as `app_backend`, `-M prepared`, one transaction per request; quote and rider ids "
                        + "computed with md5 from the quote number, the only difference from what the service binds):");
        report.code("sql", pgbenchScript());
        List<List<String>> pgStatements = new ArrayList<>();
        ((Map<String, Object>) pgbenchRun.get("statement_latency_ms"))
                .forEach((sql, ms) -> pgStatements.add(List.of(
                        String.valueOf(ms),
                        "`" + (sql.length() > 110 ? sql.substring(0, 110) + "…" : sql).replace("|", "\\|") + "`")));
        report.table(List.of("pgbench mean ms", "statement"), pgStatements);
        if (profiled != null) {
            report.paragraph(String.format(
                    "Where the time goes: a profiled block (%d workers, %.0f s, JFR execution samples "
                            + "every 10 ms): %.0f requests/s, p99 %s ms; CPU %s.",
                    profiled.workers(),
                    profiled.seconds(),
                    profiled.perSecond(),
                    ms(profiled.latency().percentileMicros(99)),
                    profiled.cpu().get("jvm_threads_cores")));
            report.code("json", Json.write(profile));
        }
    }

    private static String ms(double micros) {
        return String.format("%.2f", micros / 1000);
    }
}
