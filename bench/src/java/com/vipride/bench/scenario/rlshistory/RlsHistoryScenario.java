package com.vipride.bench.scenario.rlshistory;

import com.vipride.bench.BenchContext;
import com.vipride.bench.BenchSettings;
import com.vipride.bench.Scenario;
import com.vipride.bench.load.RideDataGenerator;
import com.vipride.bench.measure.CpuMeter;
import com.vipride.bench.measure.HttpLoad;
import com.vipride.bench.measure.LatencyStats;
import com.vipride.bench.measure.ServiceThreads;
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
    static final Pattern ITEM = Pattern.compile("\"customerTier\"");

    static final Pattern PARTITION = Pattern.compile("\\bon (rides_(?:y\\d{4}m\\d{2}|default))\\b");
    static final Pattern INDEX_ACCESS = Pattern.compile(
            "(Index Scan(?: Backward)?|Index Only Scan(?: Backward)?|Bitmap Index Scan) (?:using|on) (\\S*customer\\S*)");

    /** Issue #5 (c): absolute targets of the 10M-ride history, in SQL (RLS query p99) and through the API. */
    static final double TARGET_SQL_P99_US = 2_000;

    static final double TARGET_API_P99_US = 10_000;

    final String name;
    final String title;
    final long defaultRides;
    final int defaultMonths;
    final boolean throughApi;

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

    record Query(UUID customer, Instant from, Instant to) {}

    /** One side of the comparison: its connection, statements and measurements. */
    static final class Side {
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
        RlsHistoryLoader.Loaded data = RlsHistoryLoader.load(context, defaultRides, defaultMonths);
        Map<String, Object> loaded = data.facts();
        List<UUID> customers = data.customers();
        String extraSql = context.applyExtraSql();
        if (customers.isEmpty()) {
            throw new IllegalStateException("No rides loaded: -Dbench.rides must be > 0");
        }
        List<RideDataGenerator.Month> months = data.months();
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
            results.put("rls", RlsHistoryReport.side(rls));
            results.put("baseline", RlsHistoryReport.side(baseline));
            results.put("same_rows_both_sides", sameRows);
            Map<String, Object> planCache = new LinkedHashMap<>();
            planCache.put("rls", planCache(rlsConnection));
            planCache.put("baseline", planCache(baselineConnection));
            Map<String, Object> ratios = new LinkedHashMap<>();
            ratios.put("query", RlsHistoryReport.ratios(rls.queryTimes, baseline.queryTimes));
            ratios.put("transaction", RlsHistoryReport.ratios(rls.transactionTimes, baseline.transactionTimes));
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
            plans.put("rls_custom_plan", RlsHistoryReport.withText(rlsCheck, rlsPlan));
            plans.put("rls_generic_plan", RlsHistoryReport.withText(planCheck(rlsGeneric), rlsGeneric));
            plans.put("baseline_plan", RlsHistoryReport.withText(planCheck(baselinePlan), baselinePlan));
            plans.put("plan_cache", planCache);
            results.put("plans", plans);

            RlsHistoryReport.settingsAndData(
                    report, settings, warmup, measured, block, seed, extraSql, loaded, results);
            RlsHistoryReport.markdown(report, loaded, rls, baseline, ratios, plans, isolation, measured, warmup, block);
            RlsHistoryReport.summary(report, loaded, rls, baseline, ratios, rlsCheck);
            if (throughApi) {
                RlsHistoryReport.absoluteTargets(report, results, rls);
            }
        }
        if (throughApi) {
            Map<String, Object> api = historyApi(context, report, random, customers, months);
            results.put("api", api);
        }
        return report;
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
            CpuMeter meter = new CpuMeter(context.server().dataDirectory(), ServiceThreads::group);
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
            context.out()
                    .printf(
                            "[%s] API: %,d requests, p50 %.0f µs, p99 %.0f µs, %d errors%n",
                            name,
                            result.requests(),
                            result.latency().percentileMicros(50),
                            result.latency().percentileMicros(99),
                            result.errors());
            RlsHistoryReport.api(report, api, result, items.get(), warmup, measured);
        }
        return api;
    }

    static Supplier<HttpLoad.Call> requests(ServiceUnderTest service, Map<UUID, String> tokens, List<Query> queries) {
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

    static List<Query> queries(
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
    static void runInterleaved(Side a, Side b, List<Query> queries, int block, boolean record) throws SQLException {
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
    static Map<String, Object> isolationCheck(Side rls, Side baseline, List<Query> queries) throws SQLException {
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

    static int countRows(Side side, Query q) {
        try {
            return side.run(q, false);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String explain(Connection connection, String identitySql, Query q, boolean generic) throws SQLException {
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

    /** How PostgreSQL planned the side's server-prepared query: custom plans per execution or a generic one. */
    static Map<String, Object> planCache(Connection connection) throws SQLException {
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
}
