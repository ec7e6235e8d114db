package com.vipride.bench.scenario.ledgerstatement;

import com.vipride.bench.BenchContext;
import com.vipride.bench.Scenario;
import com.vipride.bench.load.RowIds;
import com.vipride.bench.measure.CpuMeter;
import com.vipride.bench.measure.HttpLoad;
import com.vipride.bench.measure.JfrProfile;
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
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * A payee's balance and one month of their statement over 1,000,000 journal entries, as the payee
 * ({@code driver_user} with the driver's identity, under row-level security: exactly the SQL of
 * {@code MoneyMovements.myBalances} / {@code myStatement}) and through the API
 * ({@code GET /api/v1/earnings/balances}, {@code GET /api/v1/earnings/statement?from&to}); target p99 ≤ 5 ms.
 * Ceiling, same run: the same SQL as {@code vipride_backup}, which bypasses row-level security, with the
 * payee's ids passed in instead of computed by {@code current_payee_ids()}: the index work alone.
 */
public final class LedgerStatementScenario implements Scenario {

    static final double TARGET_P99_MS = 5.0;
    static final int STATEMENT_LIMIT = 100; // the API's default page

    /** CallerIdentityTransactionManager's preamble for a driver. */
    static final String IDENTITY = """
            SELECT set_config('role', 'driver_user', true), set_config('app.current_user_id', ?, true),
                   set_config('app.client_ip', '127.0.0.1', true), set_config('app.user_agent', 'bench', true)""";
    /** The ceiling's: the same round trip without the role switch (vipride_backup bypasses RLS). */
    static final String CEILING_IDENTITY = "SELECT set_config('app.current_user_id', ?, true)";

    static final String PAYEE_IDS = "public.current_payee_ids()";
    /** MoneyMovements.myBalances. */
    static final String BALANCES = """
            SELECT holder_kind, holder_id, currency, balance_minor FROM public.payee_balances
             WHERE holder_id = ANY (public.current_payee_ids()) ORDER BY holder_kind, currency""";
    /** MoneyMovements.myStatement (JdbcClient's named parameters become these four). */
    static final String STATEMENT = """
            SELECT a.holder_kind, a.currency, l.posted_at, -l.amount_minor AS amount_minor, l.entry_id
              FROM public.ledger_accounts a
              CROSS JOIN LATERAL (
                    SELECT j.posted_at, j.amount_minor, j.entry_id FROM public.journal_lines j
                     WHERE j.account_id = a.id AND j.posted_at >= ? AND j.posted_at < ?
                     ORDER BY j.posted_at DESC LIMIT ?) l
             WHERE a.purpose = 'payable' AND a.holder_id = ANY (public.current_payee_ids())
             ORDER BY l.posted_at DESC LIMIT ?""";

    /** Stages of an API request for the CPU profile: the innermost marker on a sample's stack names it. */
    static final List<JfrProfile.Marker> STAGES = List.of(
            new JfrProfile.Marker("org.postgresql", "JDBC driver (PostgreSQL protocol)"),
            new JfrProfile.Marker("com.vipride.payments.MoneyMovements", "the query (JdbcClient, row mapping)"),
            new JfrProfile.Marker("io.micrometer", "metrics and observations (Micrometer)"),
            new JfrProfile.Marker("org.springframework.jdbc.core", "the query (JdbcClient, row mapping)"),
            new JfrProfile.Marker("com.vipride.platform.db", "transaction begin/commit + caller identity"),
            new JfrProfile.Marker("org.springframework.jdbc.datasource", "transaction begin/commit + caller identity"),
            new JfrProfile.Marker("org.springframework.transaction", "transaction begin/commit + caller identity"),
            new JfrProfile.Marker("com.zaxxer.hikari", "connection pool"),
            new JfrProfile.Marker("com.nimbusds", "JWT decoding and signature check"),
            new JfrProfile.Marker("org.springframework.security", "Spring Security filters"),
            new JfrProfile.Marker("tools.jackson", "JSON (Jackson)"),
            new JfrProfile.Marker("com.fasterxml.jackson", "JSON (Jackson)"),
            new JfrProfile.Marker("org.springframework.web", "Spring MVC (dispatch, handler, return value)"));

    static final List<String> KINDS = List.of(
            "balance, typical payee",
            "balance, heavy payee",
            "statement month, typical payee",
            "statement month, heavy payee");

    @Override
    public String name() {
        return "ledger-statement";
    }

    @Override
    public String title() {
        return "A payee's balance and one-month statement over 1,000,000 journal entries, as the payee under RLS and through the API";
    }

    /** One query to measure: which payee (driver number) and which month (0 = this one, 1 = the last, …). */
    record Probe(int kind, int driver, int monthsBack) {}

    @Override
    public ScenarioReport run(BenchContext context) throws Exception {
        var settings = context.settings();
        long entries = settings.longValue("entries", 1_000_000);
        int drivers = settings.integer("drivers", 10_000);
        int heavy = settings.integer("heavyPayees", 5);
        int heavyLines = settings.integer("heavyLines", 20_000);
        int warmup = settings.integer("warmup", 200);
        int apiWarmupSeconds = settings.integer("apiWarmupSeconds", 150);
        boolean apiProfile = settings.bool("apiProfile", false);
        int queries = settings.integer("queries", 2_000);
        int block = settings.integer("block", 100);
        if (heavy < 1 || drivers <= heavy || (long) heavy * heavyLines > entries) {
            throw new IllegalArgumentException("need 1 ≤ heavyPayees < drivers and heavyPayees × heavyLines ≤ entries");
        }
        ScenarioReport report = new ScenarioReport();
        PrintStream out = context.out();

        LedgerStatementLoader.load(context, entries, drivers, heavy, heavyLines).forEach(report::put);
        String extraSql = context.applyExtraSql();
        if (extraSql != null) {
            report.put("extra_sql", extraSql);
        }

        Random random = new Random(settings.longValue("seed", 42));
        List<Probe> probes = new ArrayList<>();
        for (int i = 0; i < warmup + queries; i++) {
            for (int kind = 0; kind < KINDS.size(); kind++) {
                boolean heavyPayee = kind % 2 == 1;
                int driver = heavyPayee ? 1 + random.nextInt(heavy) : heavy + 1 + random.nextInt(drivers - heavy);
                probes.add(new Probe(kind, driver, random.nextInt(12)));
            }
        }
        int perKind = KINDS.size();

        // SQL: as the payee (RLS) and without RLS (ceiling), same probes, alternating blocks.
        LatencyStats[][] query = new LatencyStats[2][perKind];
        LatencyStats[][] transaction = new LatencyStats[2][perKind];
        for (int side = 0; side < 2; side++) {
            for (int kind = 0; kind < perKind; kind++) {
                query[side][kind] = new LatencyStats(queries);
                transaction[side][kind] = new LatencyStats(queries);
            }
        }
        Map<String, Object> checks = new LinkedHashMap<>();
        try (Side payee = new Side(context.connect("app_backend"), false);
                Side ceiling = new Side(context.connect("vipride_backup"), true)) {
            context.configureSession(payee.connection);
            context.configureSession(ceiling.connection);
            Side[] sides = {payee, ceiling};
            int rounds = (warmup + queries) * perKind;
            int step = block * perKind;
            for (int from = 0, b = 0; from < rounds; from += step, b++) {
                int to = Math.min(rounds, from + step);
                for (int s = 0; s < 2; s++) {
                    int side = (b % 2 == 0) ? s : 1 - s;
                    for (int i = from; i < to; i++) {
                        Probe probe = probes.get(i);
                        boolean measured = i >= warmup * perKind;
                        sides[side].run(
                                probe,
                                measured ? query[side][probe.kind] : null,
                                measured ? transaction[side][probe.kind] : null);
                    }
                }
            }
            out.printf("[ledger-statement] SQL: %,d measured queries per kind and side%n", queries);
            checks.putAll(checkRows(context, payee, ceiling, drivers));
            report.put("plans", explainAll(payee, heavy, drivers));
        }

        // API: one client, one request at a time, the same probes.
        LatencyStats[] api = new LatencyStats[perKind];
        for (int kind = 0; kind < perKind; kind++) {
            api[kind] = new LatencyStats(queries);
        }
        long apiErrors = 0;
        String firstApiError = null;
        Map<String, Object> apiCpu;
        Map<String, Object> profile;
        int warmupRequests;
        try (ServiceUnderTest service = ServiceUnderTest.start(context)) {
            CpuMeter meter = new CpuMeter(context.server().dataDirectory(), ServiceThreads::group);
            JfrProfile jfr = new JfrProfile(STAGES, ServiceThreads::group, ServiceThreads.SERVER_THREADS);
            CpuMeter.Snapshot measuredFrom = null;
            Map<Integer, String> tokens = new LinkedHashMap<>();
            // The fresh service JIT-compiles for minutes: its warm-up cycles through the probes for
            // apiWarmupSeconds, then the measured requests are the SQL side's measured probes.
            long warmupEnds = System.nanoTime() + apiWarmupSeconds * 1_000_000_000L;
            int warmedUp = 0;
            try (CloseableHttpClient http = HttpLoad.client()) {
                for (int measuredRequests = 0; measuredRequests < queries * perKind; ) {
                    boolean measured = measuredFrom != null || System.nanoTime() >= warmupEnds;
                    if (measured && measuredFrom == null) {
                        measuredFrom = meter.take();
                        if (apiProfile) {
                            jfr.start();
                        }
                    }
                    Probe probe =
                            probes.get(measured ? warmup * perKind + measuredRequests++ : warmedUp++ % probes.size());
                    String token = tokens.computeIfAbsent(
                            probe.driver,
                            d -> service.accessToken(
                                    RowIds.md5Uuid("bench-driver-user:" + d), PlatformRole.DRIVER_USER));
                    String path = probe.kind < 2
                            ? "/api/v1/earnings/balances"
                            : "/api/v1/earnings/statement?from=" + monthStart(probe.monthsBack) + "&to="
                                    + monthStart(probe.monthsBack).plusMonths(1);
                    long start = System.nanoTime();
                    HttpLoad.Answer answer = HttpLoad.send(http, HttpLoad.Call.get(service.baseUrl() + path, token));
                    long took = System.nanoTime() - start;
                    if (answer.status() != 200 || !answer.body().startsWith("[")) {
                        apiErrors++;
                        if (firstApiError == null) {
                            firstApiError = path + " answered " + answer.status() + " " + answer.body();
                        }
                    } else if (measured) {
                        api[probe.kind].record(took);
                    }
                }
                warmupRequests = warmedUp;
            }
            profile = apiProfile ? jfr.stop("other (Spring MVC, Tomcat, servlet filters, …)", 12) : Map.of();
            apiCpu = meter.between(measuredFrom, meter.take());
            out.printf("[ledger-statement] API: %,d measured requests per kind%n", queries);
        }

        LedgerStatementReport.write(
                report,
                entries,
                drivers,
                heavy,
                heavyLines,
                warmup,
                apiWarmupSeconds,
                apiProfile,
                queries,
                block,
                warmupRequests,
                query,
                transaction,
                api,
                checks,
                apiErrors,
                firstApiError,
                apiCpu,
                profile);
        return report;
    }

    static OffsetDateTime monthStart(int monthsBack) {
        return OffsetDateTime.now(ZoneOffset.UTC)
                .withDayOfMonth(1)
                .toLocalDate()
                .atStartOfDay()
                .atOffset(ZoneOffset.UTC)
                .minusMonths(monthsBack);
    }

    static UUID driverUser(int driver) {
        return RowIds.md5Uuid("bench-driver-user:" + driver);
    }

    /** One login's connection running probes the way the service does: identity, query, COMMIT. */
    static final class Side implements AutoCloseable {

        private final Connection connection;
        private final boolean ceiling;
        private final PreparedStatement identity;
        private final PreparedStatement balances;
        private final PreparedStatement statement;

        /** The payee's side, or (ceiling) the same queries with the payee's ids as the first parameter. */
        Side(Connection connection, boolean ceiling) throws SQLException {
            this.connection = connection;
            this.ceiling = ceiling;
            connection.setAutoCommit(false);
            this.identity = connection.prepareStatement(ceiling ? CEILING_IDENTITY : IDENTITY);
            this.balances = connection.prepareStatement(sql(BALANCES));
            this.statement = connection.prepareStatement(sql(STATEMENT));
        }

        private String sql(String payeeSql) {
            return ceiling ? payeeSql.replace(PAYEE_IDS, "CAST(? AS uuid[])") : payeeSql;
        }

        private void actAs(int driver) throws SQLException {
            identity.setString(1, driverUser(driver).toString());
            identity.executeQuery().close();
        }

        /**
         * Binds the probe's parameters in the order the SQL has them: the statement's month and per-account
         * limit, the payee's ids (ceiling only), the page's limit.
         */
        private void bind(PreparedStatement query, Probe probe) throws SQLException {
            int p = 1;
            boolean statement = probe.kind >= 2;
            if (statement) {
                query.setObject(p++, monthStart(probe.monthsBack));
                query.setObject(p++, monthStart(probe.monthsBack).plusMonths(1));
                query.setInt(p++, STATEMENT_LIMIT);
            }
            if (ceiling) {
                query.setArray(p++, connection.createArrayOf("uuid", new Object[] {
                    driverUser(probe.driver), RowIds.md5Uuid("bench-driver:" + probe.driver)
                }));
            }
            if (statement) {
                query.setInt(p, STATEMENT_LIMIT);
            }
        }

        /** Runs the probe; returns the rows it read as (amount, posted_at) pairs, or the balance as one. */
        List<long[]> run(Probe probe, LatencyStats queryTime, LatencyStats transactionTime) throws SQLException {
            long begin = System.nanoTime();
            actAs(probe.driver);
            long queryBegin = System.nanoTime();
            List<long[]> rows = new ArrayList<>();
            PreparedStatement query = probe.kind < 2 ? balances : statement;
            bind(query, probe);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(
                            probe.kind < 2
                                    ? new long[] {rs.getLong(4)}
                                    : new long[] {
                                        rs.getLong(4), rs.getTimestamp(3).getTime()
                                    });
                }
            }
            long queryEnd = System.nanoTime();
            connection.commit();
            long end = System.nanoTime();
            if (queryTime != null) {
                queryTime.record(queryEnd - queryBegin);
                transactionTime.record(end - begin);
            }
            return rows;
        }

        String explain(Probe probe) throws SQLException {
            actAs(probe.driver);
            StringBuilder plan = new StringBuilder();
            try (PreparedStatement explain = connection.prepareStatement(
                    "EXPLAIN (ANALYZE, BUFFERS) " + sql(probe.kind < 2 ? BALANCES : STATEMENT))) {
                bind(explain, probe);
                try (ResultSet rs = explain.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
            }
            connection.commit();
            return plan.toString();
        }

        long count(int driver, String sql) throws SQLException {
            actAs(driver);
            try (Statement count = connection.createStatement();
                    ResultSet rs = count.executeQuery(sql)) {
                rs.next();
                long n = rs.getLong(1);
                connection.commit();
                return n;
            }
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    /**
     * The payee sees exactly their own balance (the superuser's sum of their account's lines), and so
     * does the ceiling; a full first page of last month; another driver sees none of a heavy payee's
     * lines; every entry balances.
     */
    static Map<String, Object> checkRows(BenchContext context, Side payee, Side ceiling, int drivers)
            throws SQLException {
        Map<String, Object> checks = new LinkedHashMap<>();
        Probe heavyBalance = new Probe(1, 1, 0);
        long seen = payee.run(heavyBalance, null, null).get(0)[0];
        long ceilingSeen = ceiling.run(heavyBalance, null, null).get(0)[0];
        List<long[]> page = payee.run(new Probe(3, 1, 1), null, null);
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement();
                ResultSet rs = statement.executeQuery("""
                     SELECT (SELECT -sum(l.amount_minor) FROM public.journal_lines l WHERE l.account_id = md5('bench-payable:1')::uuid),
                            (SELECT count(*) FROM (SELECT FROM public.journal_lines GROUP BY entry_id
                                                    HAVING sum(amount_minor) <> 0) AS unbalanced),
                            (SELECT count(*) FROM public.journal_lines l WHERE l.account_id = md5('bench-payable:1')::uuid
                                AND l.posted_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 month'
                                AND l.posted_at < date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')""")) {
            rs.next();
            checks.put("payee_balance_equals_ledger_sum", seen == rs.getLong(1));
            checks.put("ceiling_balance_equals_ledger_sum", ceilingSeen == rs.getLong(1));
            checks.put("every_entry_balances", rs.getLong(2) == 0);
            checks.put("statement_page_full", page.size() == Math.min(STATEMENT_LIMIT, rs.getLong(3)));
        }
        checks.put(
                "other_payee_sees_none_of_heavy_lines",
                payee.count(
                                drivers,
                                "SELECT count(*) FROM public.journal_lines WHERE account_id = md5('bench-payable:1')::uuid")
                        == 0);
        return checks;
    }

    static Map<String, String> explainAll(Side payee, int heavy, int drivers) throws SQLException {
        Map<String, String> plans = new LinkedHashMap<>();
        plans.put(KINDS.get(0), payee.explain(new Probe(0, drivers, 0)));
        plans.put(KINDS.get(1), payee.explain(new Probe(1, heavy, 0)));
        plans.put(KINDS.get(2), payee.explain(new Probe(2, drivers, 1)));
        plans.put(KINDS.get(3), payee.explain(new Probe(3, heavy, 1)));
        return plans;
    }
}
