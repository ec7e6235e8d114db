package com.vipride.bench.scenario;

import static com.vipride.bench.report.Formats.microsColumns;
import static com.vipride.bench.report.Formats.round1;

import com.vipride.bench.BenchContext;
import com.vipride.bench.BenchSettings;
import com.vipride.bench.Scenario;
import com.vipride.bench.load.RideDataGenerator;
import com.vipride.bench.measure.CpuMeter;
import com.vipride.bench.measure.HttpLoad;
import com.vipride.bench.measure.LatencyStats;
import com.vipride.bench.measure.ServiceUnderTest;
import com.vipride.bench.report.ScenarioReport;
import com.vipride.platform.security.PlatformRole;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One customer's ride history for one month over 1,000,000 rides in 12 monthly partitions: the
 * spec's query under row-level security as {@code customer_user}, against the same query without RLS.
 *
 * <p>RLS side: login {@code app_backend}; every query is its own transaction that first switches to
 * {@code customer_user} and sets {@code app.current_user_id}, transaction-locally, in one statement
 * (exactly what {@code CallerIdentityTransactionManager} does for every request), then runs the query.
 * Ceiling: the same transaction shape minus the role switch, as {@code vipride_backup}. That login
 * has BYPASSRLS; the table owner is no baseline because rides has FORCE ROW LEVEL SECURITY (the
 * owner is subject to the policies and, having none of the policy roles, would see no row).
 *
 * <p>Both sides run the very same (customer, month) sequence in alternating blocks (A B, B A, …) so
 * drift, cache warming and order effects cancel.
 */
public final class RlsHistoryScenario implements Scenario {

    static final String QUERY = "SELECT * FROM public.rides WHERE customer_id = ? AND requested_at >= ?"
            + " AND requested_at < ? ORDER BY requested_at DESC";
    /** = SET LOCAL ROLE customer_user; SELECT set_config('app.current_user_id', ?, true) — in one round trip. */
    static final String RLS_IDENTITY =
            "SELECT set_config('role', 'customer_user', true), set_config('app.current_user_id', ?, true)";

    static final String BASELINE_IDENTITY = "SELECT set_config('app.current_user_id', ?, true)";
    static final double TARGET_RATIO = 1.2;

    /** One ride in the API's JSON page (each item has exactly one "customerTier"). */
    private static final Pattern ITEM = Pattern.compile("\"customerTier\"");

    private static final Pattern PARTITION = Pattern.compile("\\bon (rides_(?:y\\d{4}m\\d{2}|default))\\b");
    private static final Pattern INDEX_ACCESS = Pattern.compile(
            "(Index Scan(?: Backward)?|Index Only Scan(?: Backward)?|Bitmap Index Scan) (?:using|on) (\\S*customer\\S*)");

    /** Issue #5 (c): absolute targets of the 10M-ride history, in SQL (RLS query p99) and through the API. */
    static final double TARGET_SQL_P99_US = 2_000;

    static final double TARGET_API_P99_US = 10_000;

    private final String name;
    private final String title;
    private final long defaultRides;
    private final int defaultMonths;
    private final boolean throughApi;

    public RlsHistoryScenario() {
        this(
                "rls-history",
                "One customer's ride history for one month over 1,000,000 rides in 12 monthly partitions: "
                        + "RLS as customer_user vs. the same query without RLS",
                1_000_000,
                12,
                false);
    }

    private RlsHistoryScenario(String name, String title, long defaultRides, int defaultMonths, boolean throughApi) {
        this.name = name;
        this.title = title;
        this.defaultRides = defaultRides;
        this.defaultMonths = defaultMonths;
        this.throughApi = throughApi;
    }

    /**
     * Issue #5 (c): the same measurement over 10,000,000 rides in 24 monthly partitions (sizes still
     * -Dbench.rides / -Dbench.months), against absolute targets (RLS query p99 ≤ 2 ms), and then the
     * same history through the real service: {@code GET /api/v1/rides?from=…&to=…} with the rider's token
     * (p99 ≤ 10 ms).
     */
    public static RlsHistoryScenario rideHistory10m() {
        return new RlsHistoryScenario(
                "ride-history-10m",
                "One customer's ride history for one month over 10,000,000 "
                        + "rides in 24 monthly partitions under RLS: SQL (vs. no RLS) and through the API; targets p99 ≤ 2 ms "
                        + "in SQL, ≤ 10 ms through the API",
                10_000_000,
                24,
                true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String title() {
        return title;
    }

    private record Query(UUID customer, Instant from, Instant to) {}

    /** One side of the comparison: its connection, statements and measurements. */
    private static final class Side {
        final String name;
        final String login;
        final Connection connection;
        final PreparedStatement identity;
        final PreparedStatement query;
        final LatencyStats queryTimes;
        final LatencyStats transactionTimes;
        long rows;
        int emptyResults;

        Side(String name, String login, Connection connection, String identitySql, int expected) throws SQLException {
            this.name = name;
            this.login = login;
            this.connection = connection;
            connection.setAutoCommit(false);
            this.identity = connection.prepareStatement(identitySql);
            this.query = connection.prepareStatement(QUERY);
            this.queryTimes = new LatencyStats(expected);
            this.transactionTimes = new LatencyStats(expected);
        }

        /** One transaction: identity, query (all rows read), commit. Returns the row count. */
        int run(Query q, boolean record) throws SQLException {
            long begin = System.nanoTime();
            identity.setString(1, q.customer().toString());
            try (ResultSet rs = identity.executeQuery()) {
                rs.next();
            }
            long queryStart = System.nanoTime();
            query.setObject(1, q.customer());
            query.setObject(2, OffsetDateTime.ofInstant(q.from(), ZoneOffset.UTC));
            query.setObject(3, OffsetDateTime.ofInstant(q.to(), ZoneOffset.UTC));
            int n = 0;
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    n++;
                }
            }
            long queryEnd = System.nanoTime();
            connection.commit();
            long end = System.nanoTime();
            if (record) {
                queryTimes.record(queryEnd - queryStart);
                transactionTimes.record(end - begin);
                rows += n;
                if (n == 0) {
                    emptyResults++;
                }
            }
            return n;
        }
    }

    @Override
    public ScenarioReport run(BenchContext context) throws Exception {
        PrintStream out = context.out();
        BenchSettings settings = context.settings();
        int warmup = settings.integer("warmup", 500);
        int measured = settings.integer("queries", 5000);
        int block = Math.max(1, settings.integer("block", 100));
        long seed = settings.longValue("seed", 42);

        ScenarioReport report = new ScenarioReport();
        RideDataGenerator generator =
                new RideDataGenerator(RideDataGenerator.Config.from(settings, defaultRides, defaultMonths), out);
        Map<String, Object> loaded;
        List<UUID> customers = new ArrayList<>();
        try (Connection superuser = context.superuser()) {
            loaded = generator.load(superuser);
            try (Statement statement = superuser.createStatement();
                    ResultSet rs = statement.executeQuery(
                            "SELECT DISTINCT customer_id FROM public.rides ORDER BY customer_id")) {
                while (rs.next()) {
                    customers.add(rs.getObject(1, UUID.class));
                }
            }
        }
        String extraSql = context.applyExtraSql();
        if (customers.isEmpty()) {
            throw new IllegalStateException("No rides loaded: -Dbench.rides must be > 0");
        }
        List<RideDataGenerator.Month> months = generator.months();
        SplittableRandom random = new SplittableRandom(seed);
        List<Query> warmupQueries = queries(random, customers, months, warmup);
        List<Query> measuredQueries = queries(random, customers, months, measured);
        out.printf(
                "[" + name + "] %,d customers with rides; %,d warm-up + %,d measured queries per side, blocks of %d%n",
                customers.size(),
                warmup,
                measured,
                block);

        Map<String, Object> results = new LinkedHashMap<>();
        try (Connection rlsConnection = context.connect("app_backend");
                Connection baselineConnection = context.connect("vipride_backup")) {
            context.configureSession(rlsConnection);
            context.configureSession(baselineConnection);
            Side rls = new Side("RLS (customer_user)", "app_backend", rlsConnection, RLS_IDENTITY, measured);
            Side baseline =
                    new Side("no RLS (BYPASSRLS)", "vipride_backup", baselineConnection, BASELINE_IDENTITY, measured);

            Map<String, Object> isolation = isolationCheck(rls, baseline, measuredQueries);
            report.check(Boolean.TRUE.equals(isolation.get("passed")));

            runInterleaved(rls, baseline, warmupQueries, block, false);
            long started = System.nanoTime();
            runInterleaved(rls, baseline, measuredQueries, block, true);
            double seconds = (System.nanoTime() - started) / 1e9;
            out.printf("[" + name + "] measured %,d queries per side in %.1f s%n", measured, seconds);

            boolean sameRows = rls.rows == baseline.rows;
            report.check(sameRows);
            results.put("rls", side(rls));
            results.put("baseline", side(baseline));
            results.put("same_rows_both_sides", sameRows);
            Map<String, Object> planCache = new LinkedHashMap<>();
            planCache.put("rls", planCache(rlsConnection));
            planCache.put("baseline", planCache(baselineConnection));
            Map<String, Object> ratios = new LinkedHashMap<>();
            ratios.put("query", ratios(rls.queryTimes, baseline.queryTimes));
            ratios.put("transaction", ratios(rls.transactionTimes, baseline.transactionTimes));
            ratios.put("target", TARGET_RATIO);
            results.put("ratios", ratios);
            results.put("isolation_check", isolation);

            Query sample = measuredQueries.stream()
                    .filter(q -> countRows(baseline, q) >= 2)
                    .findFirst()
                    .orElse(measuredQueries.get(0));
            Map<String, Object> plans = new LinkedHashMap<>();
            String rlsPlan = explain(rlsConnection, RLS_IDENTITY, sample, false);
            String rlsGeneric = explain(rlsConnection, RLS_IDENTITY, sample, true);
            String baselinePlan = explain(baselineConnection, BASELINE_IDENTITY, sample, false);
            Map<String, Object> rlsCheck = planCheck(rlsPlan);
            report.check(Boolean.TRUE.equals(rlsCheck.get("passed")));
            plans.put(
                    "sample",
                    Map.of(
                            "customer",
                            sample.customer().toString(),
                            "from",
                            sample.from().toString(),
                            "to",
                            sample.to().toString()));
            plans.put("rls_custom_plan", withText(rlsCheck, rlsPlan));
            plans.put("rls_generic_plan", withText(planCheck(rlsGeneric), rlsGeneric));
            plans.put("baseline_plan", withText(planCheck(baselinePlan), baselinePlan));
            plans.put("plan_cache", planCache);
            results.put("plans", plans);

            Map<String, Object> runSettings = new LinkedHashMap<>();
            runSettings.put("warmup_per_side", warmup);
            runSettings.put("measured_per_side", measured);
            runSettings.put("block", block);
            runSettings.put("seed", seed);
            runSettings.put("plan_cache_mode", settings.string("planCacheMode", "auto (server default)"));
            runSettings.put("extra_sql", extraSql);
            report.put("settings", runSettings);
            if (extraSql != null) {
                report.paragraph("**What-if run:** this SQL was applied after the load (`-Dbench.extraSql`), so the "
                        + "numbers are not those of the schema as it is:");
                report.code("sql", extraSql);
            }
            if (settings.string("planCacheMode", null) != null) {
                report.paragraph(
                        "**Both sides ran with `plan_cache_mode = " + settings.string("planCacheMode", null) + "`.**");
            }
            report.put("load", loaded.get("load"));
            report.put("data", loaded.get("data"));
            report.put("results", results);
            markdown(report, loaded, rls, baseline, ratios, plans, isolation, measured, warmup, block);
            summary(report, loaded, rls, baseline, ratios, rlsCheck);
            if (throughApi) {
                absoluteTargets(report, results, rls);
            }
        }
        if (throughApi) {
            Map<String, Object> api = historyApi(context, report, random, customers, months);
            results.put("api", api);
        }
        return report;
    }

    private static void absoluteTargets(ScenarioReport report, Map<String, Object> results, Side rls) {
        double p99 = rls.queryTimes.percentileMicros(99);
        results.put(
                "sql_target",
                Map.of(
                        "rls_query_p99_us",
                        LatencyStats.round1(p99),
                        "target_p99_us",
                        TARGET_SQL_P99_US,
                        "meets_target",
                        p99 <= TARGET_SQL_P99_US));
        report.paragraph(String.format(
                "**Absolute target, in SQL:** RLS query p99 %.0f µs, target ≤ %.0f µs: **%s** "
                        + "(whole transaction p99 %.0f µs).",
                p99,
                TARGET_SQL_P99_US,
                p99 <= TARGET_SQL_P99_US ? "met" : "not met",
                rls.transactionTimes.percentileMicros(99)));
        report.summary(String.format(
                "SQL target: RLS query p99 %.0f µs (≤ %.0f µs: %s)",
                p99, TARGET_SQL_P99_US, p99 <= TARGET_SQL_P99_US ? "met" : "NOT met"));
    }

    /**
     * The history through the real service: {@code -Dbench.apiWarmup} (2,000: the fresh service JIT-compiles
     * for a while) and {@code -Dbench.apiQueries} (2,000) sequential {@code GET /api/v1/rides?from=…&to=…}
     * by one client, random (customer, month) as in SQL, each with the rider's access token (minted by the
     * service's AccessTokens).
     */
    private Map<String, Object> historyApi(
            BenchContext context,
            ScenarioReport report,
            SplittableRandom random,
            List<UUID> customers,
            List<RideDataGenerator.Month> months)
            throws Exception {
        int warmup = context.settings().integer("apiWarmup", 2_000);
        int measured = context.settings().integer("apiQueries", 2_000);
        List<Query> warmupQueries = queries(random, customers, months, warmup);
        List<Query> measuredQueries = queries(random, customers, months, measured);
        Map<String, Object> api = new LinkedHashMap<>();
        try (ServiceUnderTest service = ServiceUnderTest.start(context)) {
            Map<UUID, String> tokens = new HashMap<>();
            for (Query q : warmupQueries) {
                tokens.computeIfAbsent(q.customer(), c -> service.accessToken(c, PlatformRole.CUSTOMER_USER));
            }
            for (Query q : measuredQueries) {
                tokens.computeIfAbsent(q.customer(), c -> service.accessToken(c, PlatformRole.CUSTOMER_USER));
            }
            CpuMeter meter = new CpuMeter(context.server().dataDirectory(), VipIngestScenario::threadGroup);
            AtomicLong items = new AtomicLong();
            Function<HttpLoad.Answer, String> outcome = response -> {
                if (response.status() != 200) {
                    return null;
                }
                items.addAndGet(ITEM.matcher(response.body()).results().count());
                return "200";
            };
            HttpLoad.run(1, 3_600, requests(service, tokens, warmupQueries), outcome, meter);
            items.set(0);
            HttpLoad.Result result = HttpLoad.run(1, 3_600, requests(service, tokens, measuredQueries), outcome, meter);
            double p99 = result.latency().percentileMicros(99);
            api.put("queries", result.json());
            api.put("rides_returned", items.get());
            api.put("target_p99_us", TARGET_API_P99_US);
            api.put("meets_target", p99 <= TARGET_API_P99_US && result.errors() == 0);
            context.out()
                    .printf(
                            "[%s] API: %,d requests, p50 %.0f µs, p99 %.0f µs, %d errors%n",
                            name, result.requests(), result.latency().percentileMicros(50), p99, result.errors());
            report.check(result.errors() == 0);
            report.paragraph(String.format(
                    "**Through the API:** the real service in the benchmark JVM (default "
                            + "configuration, on this cluster); one client sends %,d sequential `GET /api/v1/rides?from=…&to=…` "
                            + "(one calendar month, default limit 50) after %,d warm-up, random (customer, month) as above, each "
                            + "with the rider's bearer token (minted by the service's AccessTokens). Latency = request sent → "
                            + "whole JSON body received. %,d rides returned (%.2f per request), %d errors.",
                    measured,
                    warmup,
                    items.get(),
                    items.get() / (double) Math.max(1, result.requests()),
                    result.errors()));
            report.table(
                    List.of("side", "p50 µs", "p95 µs", "p99 µs", "mean µs", "requests/s", "target p99", "met"),
                    List.of(List.of(
                            "API GET /api/v1/rides",
                            round1(result.latency().percentileMicros(50)),
                            round1(result.latency().percentileMicros(95)),
                            round1(p99),
                            round1(result.latency().meanMicros()),
                            String.format("%.0f", result.perSecond()),
                            "≤ " + (int) TARGET_API_P99_US + " µs",
                            p99 <= TARGET_API_P99_US ? "yes" : "**no**")));
            report.summary(String.format(
                    "API target: GET /api/v1/rides p50 %.0f µs, p99 %.0f µs (≤ %.0f µs: %s), %d errors",
                    result.latency().percentileMicros(50),
                    p99,
                    TARGET_API_P99_US,
                    p99 <= TARGET_API_P99_US ? "met" : "NOT met",
                    result.errors()));
        }
        return api;
    }

    private static Supplier<HttpLoad.Call> requests(
            ServiceUnderTest service, Map<UUID, String> tokens, List<Query> queries) {
        AtomicInteger next = new AtomicInteger();
        return () -> {
            int i = next.getAndIncrement();
            if (i >= queries.size()) {
                return null;
            }
            Query q = queries.get(i);
            return HttpLoad.Call.get(
                    service.baseUrl() + "/api/v1/rides?from=" + q.from() + "&to=" + q.to(), tokens.get(q.customer()));
        };
    }

    private static List<Query> queries(
            SplittableRandom random, List<UUID> customers, List<RideDataGenerator.Month> months, int count) {
        List<Query> queries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            RideDataGenerator.Month month = months.get(random.nextInt(months.size()));
            queries.add(new Query(
                    customers.get(random.nextInt(customers.size())),
                    month.firstDay().atStartOfDay().toInstant(ZoneOffset.UTC),
                    month.nextMonth()));
        }
        return queries;
    }

    /** Blocks of the same queries on both sides, alternating which side goes first: A B, B A, A B, … */
    private static void runInterleaved(Side a, Side b, List<Query> queries, int block, boolean record)
            throws SQLException {
        for (int start = 0, n = 0; start < queries.size(); start += block, n++) {
            List<Query> slice = queries.subList(start, Math.min(queries.size(), start + block));
            Side first = n % 2 == 0 ? a : b;
            Side second = n % 2 == 0 ? b : a;
            for (Query q : slice) {
                first.run(q, record);
            }
            for (Query q : slice) {
                second.run(q, record);
            }
        }
    }

    /** RLS really filters: another customer's identity sees none of this customer's rides. */
    private static Map<String, Object> isolationCheck(Side rls, Side baseline, List<Query> queries)
            throws SQLException {
        Query own = queries.stream()
                .filter(q -> countRows(baseline, q) > 0)
                .findFirst()
                .orElseThrow();
        Query other = queries.stream()
                .filter(q -> !q.customer().equals(own.customer()))
                .findFirst()
                .orElseThrow();
        int visibleToOwner = rls.run(own, false);
        int expected = countRows(baseline, own);
        // As the other customer, ask for the first customer's rides.
        rls.identity.setString(1, other.customer().toString());
        try (ResultSet rs = rls.identity.executeQuery()) {
            rs.next();
        }
        rls.query.setObject(1, own.customer());
        rls.query.setObject(2, OffsetDateTime.ofInstant(own.from(), ZoneOffset.UTC));
        rls.query.setObject(3, OffsetDateTime.ofInstant(own.to(), ZoneOffset.UTC));
        int visibleToOther = 0;
        try (ResultSet rs = rls.query.executeQuery()) {
            while (rs.next()) {
                visibleToOther++;
            }
        }
        rls.connection.rollback();
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("rows_without_rls", expected);
        check.put("rows_as_the_customer", visibleToOwner);
        check.put("rows_as_another_customer", visibleToOther);
        check.put("passed", expected > 0 && visibleToOwner == expected && visibleToOther == 0);
        return check;
    }

    private static int countRows(Side side, Query q) {
        try {
            return side.run(q, false);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String explain(Connection connection, String identitySql, Query q, boolean generic)
            throws SQLException {
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement identity = connection.prepareStatement(identitySql)) {
            identity.setString(1, q.customer().toString());
            identity.executeQuery().close();
        }
        try (Statement statement = connection.createStatement()) {
            if (generic) {
                // What a long-lived prepared statement ends up with once PostgreSQL switches to a generic plan.
                statement.execute("SET LOCAL plan_cache_mode = force_generic_plan");
                statement.execute("PREPARE bench_history(uuid, timestamptz, timestamptz) AS "
                        + QUERY.replaceFirst("\\?", "\\$1")
                                .replaceFirst("\\?", "\\$2")
                                .replaceFirst("\\?", "\\$3"));
                try (ResultSet rs =
                        statement.executeQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) EXECUTE bench_history('"
                                + q.customer() + "', '" + q.from() + "', '" + q.to() + "')")) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                statement.execute("DEALLOCATE bench_history");
            } else {
                try (PreparedStatement explain =
                        connection.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + QUERY)) {
                    explain.setObject(1, q.customer());
                    explain.setObject(2, OffsetDateTime.ofInstant(q.from(), ZoneOffset.UTC));
                    explain.setObject(3, OffsetDateTime.ofInstant(q.to(), ZoneOffset.UTC));
                    try (ResultSet rs = explain.executeQuery()) {
                        while (rs.next()) {
                            plan.append(rs.getString(1)).append('\n');
                        }
                    }
                }
            }
        } finally {
            connection.rollback();
        }
        return plan.toString();
    }

    /** Exactly one rides partition in the plan, read through an index on customer_id. */
    static Map<String, Object> planCheck(String plan) {
        Set<String> partitions = new LinkedHashSet<>();
        Matcher partition = PARTITION.matcher(plan);
        while (partition.find()) {
            partitions.add(partition.group(1));
        }
        List<String> indexAccess = new ArrayList<>();
        Matcher index = INDEX_ACCESS.matcher(plan);
        while (index.find()) {
            indexAccess.add(index.group(1) + " " + index.group(2));
        }
        boolean seqScan = plan.contains("Seq Scan");
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("partitions", new ArrayList<>(partitions));
        check.put("index_access", indexAccess);
        check.put("seq_scan", seqScan);
        Matcher removed = Pattern.compile("Subplans Removed: (\\d+)").matcher(plan);
        if (removed.find()) {
            check.put("subplans_removed_at_run_time", Integer.parseInt(removed.group(1)));
        }
        // The policy's (SELECT public.current_app_user_id()) runs as an InitPlan: its time is RLS's run-time cost.
        Matcher initPlan = Pattern.compile(
                        "InitPlan \\d+ \\(returns \\$\\d+\\)\\s*\\n\\s*->\\s+Result\\s+(?:\\(cost=[^)]*\\)\\s+)?"
                                + "\\(actual time=[\\d.]+\\.\\.([\\d.]+)")
                .matcher(plan);
        if (initPlan.find()) {
            check.put("initplan_ms", Double.parseDouble(initPlan.group(1)));
        }
        Matcher planning = Pattern.compile("Planning Time: ([\\d.]+) ms").matcher(plan);
        if (planning.find()) {
            check.put("planning_ms", Double.parseDouble(planning.group(1)));
        }
        Matcher execution = Pattern.compile("Execution Time: ([\\d.]+) ms").matcher(plan);
        if (execution.find()) {
            check.put("execution_ms", Double.parseDouble(execution.group(1)));
        }
        check.put("passed", partitions.size() == 1 && !indexAccess.isEmpty() && !seqScan);
        return check;
    }

    private static Map<String, Object> withText(Map<String, Object> check, String plan) {
        Map<String, Object> withText = new LinkedHashMap<>(check);
        withText.put("text", plan.stripTrailing());
        return withText;
    }

    /** How PostgreSQL planned the side's server-prepared query: custom plans per execution or a generic one. */
    private static Map<String, Object> planCache(Connection connection) throws SQLException {
        Map<String, Object> cache = new LinkedHashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT generic_plans, custom_plans FROM pg_prepared_statements"
                        + " WHERE statement LIKE 'SELECT * FROM public.rides%'")) {
            if (rs.next()) {
                cache.put("generic_plans", rs.getLong(1));
                cache.put("custom_plans", rs.getLong(2));
            }
        } finally {
            connection.rollback();
        }
        return cache;
    }

    private static Map<String, Object> side(Side side) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("login", side.login);
        summary.put("query", side.queryTimes.summary());
        summary.put("transaction", side.transactionTimes.summary());
        summary.put("rows_returned", side.rows);
        summary.put("mean_rows_per_query", LatencyStats.round2((double) side.rows / side.queryTimes.count()));
        summary.put("empty_results", side.emptyResults);
        return summary;
    }

    private static Map<String, Object> ratios(LatencyStats rls, LatencyStats baseline) {
        Map<String, Object> ratios = new LinkedHashMap<>();
        double p50 = rls.percentileMicros(50) / baseline.percentileMicros(50);
        double p95 = rls.percentileMicros(95) / baseline.percentileMicros(95);
        double p99 = rls.percentileMicros(99) / baseline.percentileMicros(99);
        double mean = rls.meanMicros() / baseline.meanMicros();
        ratios.put("p50", LatencyStats.round2(p50));
        ratios.put("p95", LatencyStats.round2(p95));
        ratios.put("p99", LatencyStats.round2(p99));
        ratios.put("mean", LatencyStats.round2(mean));
        ratios.put("meets_target", p50 <= TARGET_RATIO && p99 <= TARGET_RATIO);
        return ratios;
    }

    @SuppressWarnings("unchecked")
    private static void markdown(
            ScenarioReport report,
            Map<String, Object> loaded,
            Side rls,
            Side baseline,
            Map<String, Object> ratios,
            Map<String, Object> plans,
            Map<String, Object> isolation,
            int measured,
            int warmup,
            int block) {
        Map<String, Object> data = (Map<String, Object>) loaded.get("data");
        Map<String, Object> load = (Map<String, Object>) loaded.get("load");
        report.paragraph(String.format(
                "Data: %,d customers (tiers %s), %,d drivers, %,d rides in %d monthly partitions "
                        + "(%s heap, %s indexes).%s",
                data.get("customers"),
                data.get("customer_tiers"),
                data.get("drivers"),
                data.get("rides"),
                data.get("months"),
                data.get("rides_table_size"),
                data.get("rides_index_size"),
                load == null
                        ? " Reused an already loaded cluster."
                        : String.format(
                                " Loaded in %s s (rides %,d rows/s, %s).",
                                load.get("total_s"), load.get("rides_per_s"), load.get("rides_loaded_with"))));
        report.paragraph(String.format(
                "%,d measured queries per side after %,d warm-up, same random (customer, month) "
                        + "sequence on both sides in alternating blocks of %d. *query* = execute + read all rows; "
                        + "*transaction* = identity statement + query + commit (3 round trips on both sides).",
                measured, warmup, block));
        List<List<String>> rows = new ArrayList<>();
        for (Side side : List.of(rls, baseline)) {
            rows.add(row(side.name + " — query", side.login, side.queryTimes));
        }
        for (Side side : List.of(rls, baseline)) {
            rows.add(row(side.name + " — transaction", side.login, side.transactionTimes));
        }
        report.table(List.of("side", "login", "p50 µs", "p95 µs", "p99 µs", "mean µs", "queries"), rows);
        Map<String, Object> query = (Map<String, Object>) ratios.get("query");
        Map<String, Object> tx = (Map<String, Object>) ratios.get("transaction");
        report.table(
                List.of("ratio RLS / no RLS", "p50", "p95", "p99", "mean", "target", "meets target (p50 and p99)"),
                List.of(
                        List.of(
                                "query",
                                String.valueOf(query.get("p50")),
                                String.valueOf(query.get("p95")),
                                String.valueOf(query.get("p99")),
                                String.valueOf(query.get("mean")),
                                "≤ " + TARGET_RATIO + "×",
                                (Boolean) query.get("meets_target") ? "yes" : "**no**"),
                        List.of(
                                "transaction",
                                String.valueOf(tx.get("p50")),
                                String.valueOf(tx.get("p95")),
                                String.valueOf(tx.get("p99")),
                                String.valueOf(tx.get("mean")),
                                "≤ " + TARGET_RATIO + "×",
                                (Boolean) tx.get("meets_target") ? "yes" : "**no**")));
        report.paragraph(String.format(
                "Rows returned: %,d on each side (%.2f per query, %,d empty results); "
                        + "isolation check: the customer sees %s rows, another customer sees %s — %s.",
                rls.rows,
                (double) rls.rows / Math.max(1, rls.queryTimes.count()),
                rls.emptyResults,
                isolation.get("rows_as_the_customer"),
                isolation.get("rows_as_another_customer"),
                Boolean.TRUE.equals(isolation.get("passed")) ? "passed" : "**FAILED**"));

        List<List<String>> planRows = new ArrayList<>();
        for (String key : List.of("rls_custom_plan", "rls_generic_plan", "baseline_plan")) {
            Map<String, Object> check = (Map<String, Object>) plans.get(key);
            planRows.add(List.of(
                    key.replace('_', ' '),
                    String.valueOf(check.get("partitions")),
                    String.valueOf(check.get("index_access")),
                    String.valueOf(check.get("planning_ms")),
                    String.valueOf(check.get("execution_ms")),
                    String.valueOf(check.getOrDefault("initplan_ms", "—")),
                    (Boolean) check.get("passed") ? "yes" : "**no**"));
        }
        report.table(
                List.of(
                        "plan",
                        "partitions read",
                        "index access",
                        "planning ms",
                        "execution ms",
                        "of which InitPlan ms",
                        "one partition, by index"),
                planRows);
        Map<String, Object> cache = (Map<String, Object>) plans.get("plan_cache");
        report.paragraph("How PostgreSQL planned the server-prepared query during the run (pg_prepared_statements): "
                + "RLS " + cache.get("rls") + ", no RLS " + cache.get("baseline")
                + ". Custom plans only means the query was planned afresh on every execution.");
        Map<String, Object> sample = (Map<String, Object>) plans.get("sample");
        report.paragraph("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) of one RLS query as customer_user (customer "
                + sample.get("customer") + ", " + sample.get("from") + " … " + sample.get("to") + "):");
        report.code("text", (String) ((Map<String, Object>) plans.get("rls_custom_plan")).get("text"));
        report.paragraph("The same query with a generic plan (plan_cache_mode = force_generic_plan), as a long-lived "
                + "prepared statement may end up using:");
        report.code("text", (String) ((Map<String, Object>) plans.get("rls_generic_plan")).get("text"));
        report.paragraph("The same query as vipride_backup (BYPASSRLS):");
        report.code("text", (String) ((Map<String, Object>) plans.get("baseline_plan")).get("text"));
    }

    private static List<String> row(String name, String login, LatencyStats stats) {
        return List.of(
                name,
                login,
                round1(stats.percentileMicros(50)),
                round1(stats.percentileMicros(95)),
                round1(stats.percentileMicros(99)),
                round1(stats.meanMicros()),
                String.format("%,d", stats.count()));
    }

    @SuppressWarnings("unchecked")
    private static void summary(
            ScenarioReport report,
            Map<String, Object> loaded,
            Side rls,
            Side baseline,
            Map<String, Object> ratios,
            Map<String, Object> rlsCheck) {
        Map<String, Object> load = (Map<String, Object>) loaded.get("load");
        if (load != null) {
            report.summary(String.format(
                    "load: %,d rides in %s s (%,d rows/s), total load %s s",
                    ((Map<String, Object>) loaded.get("data")).get("rides"),
                    load.get("rides_s"),
                    load.get("rides_per_s"),
                    load.get("total_s")));
        }
        report.summary(String.format("query µs        p50      p95      p99     mean"));
        report.summary(microsColumns("  RLS     ", rls.queryTimes));
        report.summary(microsColumns("  no RLS  ", baseline.queryTimes));
        Map<String, Object> query = (Map<String, Object>) ratios.get("query");
        Map<String, Object> tx = (Map<String, Object>) ratios.get("transaction");
        report.summary(String.format(
                "ratio RLS/no RLS (query): p50 %s×, p99 %s× (target ≤ %s×: %s)",
                query.get("p50"),
                query.get("p99"),
                TARGET_RATIO,
                (Boolean) query.get("meets_target") ? "met" : "NOT met"));
        report.summary(
                String.format("ratio RLS/no RLS (whole transaction): p50 %s×, p99 %s×", tx.get("p50"), tx.get("p99")));
        report.summary(String.format(
                "RLS plan: partitions %s, index access %s — %s",
                rlsCheck.get("partitions"),
                rlsCheck.get("index_access"),
                (Boolean) rlsCheck.get("passed") ? "one partition by index" : "CHECK FAILED"));
    }
}
