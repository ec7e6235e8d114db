package com.vipride.bench.scenario.auditoverhead;

import com.vipride.bench.BenchContext;
import com.vipride.bench.BenchSettings;
import com.vipride.bench.Scenario;
import com.vipride.bench.Sql;
import com.vipride.bench.measure.LatencyStats;
import com.vipride.bench.report.ScenarioReport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audit trigger's overhead on a write-heavy table: inserting rides (public.rides is audited by the
 * statement-level trigger audit.record_changes()) with the trigger enabled, against the very same
 * inserts with it disabled ({@code ALTER TABLE public.rides DISABLE TRIGGER rides_audit_insert}, as the
 * superuser, re-enabled afterwards). Target: at most 1.3× the unaudited insert time.
 *
 * <p>Two shapes, both through the service's path — login {@code app_backend}, every transaction first
 * switching to {@code customer_user} with the rider's id, address and user agent, exactly as
 * {@code CallerIdentityTransactionManager} does:
 * <ul>
 *   <li><b>single-row OLTP</b>: one ride request per transaction (identity, INSERT, COMMIT), the way
 *       the API writes;</li>
 *   <li><b>multi-row</b>: INSERT … SELECT of {@code bench.statementRows} rides per statement and
 *       transaction, {@code bench.bulkRows} rides per side.</li>
 * </ul>
 * The two sides alternate in blocks (audited first, then unaudited first, …), with a few unrecorded
 * statements after every switch (the ALTER TABLE invalidates cached plans), so drift and noise from
 * other work on the machine hit both alike. The report explains the ratio: WAL and bytes written per
 * ride on each side, the trigger's share of an EXPLAIN ANALYZE, pg_stat_statements of the trigger's
 * own statements, and how fast audit.seal_pending() seals what the audited side wrote.
 */
public final class AuditOverheadScenario implements Scenario {

    static final double TARGET_RATIO = 1.3;
    static final String IDENTITY = "SELECT set_config('role', 'customer_user', true), "
            + "set_config('app.current_user_id', ?, true), set_config('app.client_ip', ?, true), "
            + "set_config('app.user_agent', 'vipride-bench/1.0', true)";
    /**
     * A rider's request as the service makes it: the ride names its quote, and the database copies the
     * priced trip from it (the riders' quotes are made beforehand, numbered per rider: see QUOTES).
     */
    static final String INSERT_ONE = """
            INSERT INTO public.rides (customer_id, quote_id, pickup_address, dropoff_address)
            VALUES (?, md5('bench-quote:' || ? || ':' || ?)::uuid, ?, 'Murtala Muhammed International Airport')""";

    static final String INSERT_MANY = """
            INSERT INTO public.rides (customer_id, quote_id, pickup_address, dropoff_address)
            SELECT ?, md5('bench-quote:' || ? || ':' || (? + i))::uuid, (1 + i % 200) || ' Ozumba Mbadiwe Avenue, Victoria Island',
                   'Murtala Muhammed International Airport'
              FROM generate_series(1, ?) AS i""";
    /** Unused, unexpired quotes 1…:perRider of every measured rider, across Lagos, under the current tariffs. */
    static final String QUOTES = """
            INSERT INTO public.fare_quotes (id, customer_id, city, tariff_id, vehicle_type, billing_model, rider_tier,
                                            passengers, pickup_lat, pickup_lng, dropoff_lat, dropoff_lng, currency,
                                            estimated_distance_m, estimated_duration_s, demand, supply, surge_multiplier,
                                            estimated_fare_minor, expires_at)
            SELECT md5('bench-quote:' || r.n || ':' || k)::uuid, r.id, 'lagos', t.id, t.vehicle_type, 'per_ride', r.tier, 1,
                   g.lat, g.lng, g.lat + 0.01 + 0.05 * random(), g.lng - 0.01 - 0.05 * random(), 'NGN',
                   3000 + (random() * 25000)::int, 600 + (random() * 3000)::int, 0, 0, 1.00,
                   150000 + (random() * 900000)::bigint, now() + interval '1 day'
              FROM unnest(CAST(? AS uuid[]), CAST(? AS public.user_tier[])) WITH ORDINALITY AS r (id, tier, n)
             CROSS JOIN generate_series(1, ?) AS k
             CROSS JOIN LATERAL (SELECT 6.40 + 0.25 * random() AS lat, 3.15 + 0.40 * random() AS lng WHERE k > 0) g  -- one draw per quote
              JOIN public.tariffs t ON t.city = 'lagos' AND t.rider_tier = r.tier AND t.billing_model = 'per_ride'
                                   AND t.retired_at IS NULL
                                   AND t.vehicle_type = (ARRAY['sedan', 'suv', 'van', 'premium', 'luxury']::public.vehicle_type[])[1 + (k % 5)]""";

    static final String TOGGLE = "ALTER TABLE public.rides %s TRIGGER rides_audit_insert";
    static final String AUDIT_ROWS = "SELECT count(*) FROM audit.audit_log WHERE table_name = 'rides'";

    static final Pattern TRIGGER_TIME = Pattern.compile("Trigger rides_audit_insert on rides: time=([0-9.]+)");
    static final Pattern EXECUTION_TIME = Pattern.compile("Execution Time: ([0-9.]+) ms");

    @Override
    public String name() {
        return "audit-overhead";
    }

    @Override
    public String title() {
        return "Audit trigger overhead on a write-heavy table: inserting rides with the audit trigger vs. without "
                + "(single-row OLTP transactions and multi-row statements, as customer_user)";
    }

    /** A measured rider: their number in the quote ids and the next quote they have not used. */
    record Rider(UUID id, String tier, int number, int[] nextQuote) {
        int takeQuotes(int count) {
            int first = nextQuote[0];
            nextQuote[0] += count;
            return first;
        }
    }

    /** One measured series: the whole transactions and their INSERT statements, and what they wrote. */
    static final class Series {
        final String name;
        final LatencyStats transactions;
        final LatencyStats statements;
        long rows;
        long walBytes;
        long auditRowsWritten;
        long drainNanos;

        Series(String name, int expected) {
            this.name = name;
            this.transactions = new LatencyStats(expected);
            this.statements = new LatencyStats(expected);
        }
    }

    @Override
    public ScenarioReport run(BenchContext context) throws Exception {
        BenchSettings settings = context.settings();
        int oltp = settings.integer("transactions", 10_000);
        int warmup = settings.integer("warmup", 500);
        int block = settings.integer("block", 500);
        long bulkRows = settings.longValue("bulkRows", 200_000);
        int statementRows = settings.integer("statementRows", 1_000);
        int bulkBlock = settings.integer("bulkBlock", 20);
        ScenarioReport report = new ScenarioReport();

        Map<String, Object> loaded = AuditOverheadLoader.rides(context);
        String extraSql = context.applyExtraSql();

        try (Connection admin = context.superuser();
                Statement adminStatement = admin.createStatement()) {
            admin.setAutoCommit(true);
            // The trigger's own statements show up in pg_stat_statements only with track = all.
            adminStatement.execute("ALTER ROLE app_backend SET pg_stat_statements.track = 'all'");
            try (Connection app = context.connect("app_backend")) {
                context.configureSession(app);
                app.setAutoCommit(false);
                List<Rider> riders = AuditOverheadLoader.riders(admin, 200);
                // Single-row requests pick riders at random (1.5× their share is plenty); multi-row
                // statements take riders in turn, with room for the warm-up and EXPLAIN statements.
                long bulkStatements = 2 * Math.max(1, bulkRows / statementRows) + 2L * bulkBlock + 20;
                AuditOverheadLoader.quotes(
                        admin,
                        riders,
                        (int) (Math.ceil(1.5 * 2 * (warmup + oltp + 100) / riders.size())
                                + (Math.ceil((double) bulkStatements / riders.size()) + 1) * statementRows),
                        context);
                SplittableRandom random = new SplittableRandom(settings.longValue("seed", 42));
                Driver driver = new Driver(app, riders, random);

                context.out()
                        .printf(
                                "[bench] single-row OLTP: %,d warm-up + %,d measured transactions per side, blocks of %,d%n",
                                warmup, oltp, block);
                Series audited = new Series("audited", oltp);
                Series unaudited = new Series("unaudited", oltp);
                driver.oltp(warmup, null);
                setAudit(adminStatement, false);
                driver.oltp(warmup, null);
                setAudit(adminStatement, true);
                resetStatistics(adminStatement);
                alternate(
                        adminStatement,
                        block,
                        oltp,
                        audited,
                        unaudited,
                        (series, n) -> driver.oltp(n, series),
                        () -> driver.oltp(5, null),
                        context);

                Map<String, Object> statements = topStatements(adminStatement);

                context.out()
                        .printf(
                                "[bench] multi-row: %,d rides per side in statements of %,d rows, blocks of %,d statements%n",
                                bulkRows, statementRows, bulkBlock);
                Series bulkAudited = new Series("audited", (int) (bulkRows / statementRows));
                Series bulkUnaudited = new Series("unaudited", (int) (bulkRows / statementRows));
                driver.bulk(5, statementRows, null);
                int statementsPerSide = (int) Math.max(1, bulkRows / statementRows);
                alternate(
                        adminStatement,
                        bulkBlock,
                        statementsPerSide,
                        bulkAudited,
                        bulkUnaudited,
                        (series, n) -> driver.bulk(n, statementRows, series),
                        () -> driver.bulk(1, statementRows, null),
                        context);

                Map<String, Object> explain = explainBulk(app, riders.get(0), statementRows);
                Map<String, Object> sizes = sizes(adminStatement);
                Map<String, Object> sealing = sealing(adminStatement);

                boolean oltpCounted = audited.auditRowsWritten == audited.rows && unaudited.auditRowsWritten == 0;
                boolean bulkCounted =
                        bulkAudited.auditRowsWritten == bulkAudited.rows && bulkUnaudited.auditRowsWritten == 0;
                report.check(oltpCounted && bulkCounted);

                AuditOverheadReport.write(
                        report,
                        oltp,
                        warmup,
                        block,
                        bulkRows,
                        bulkBlock,
                        extraSql,
                        loaded,
                        audited,
                        unaudited,
                        bulkAudited,
                        bulkUnaudited,
                        statementRows,
                        oltpCounted,
                        bulkCounted,
                        explain,
                        sizes,
                        statements,
                        sealing);
            } finally {
                setAudit(adminStatement, true);
                adminStatement.execute("ALTER ROLE app_backend RESET pg_stat_statements.track");
            }
        }
        return report;
    }

    /** Runs {@code work} on a series; the step the two sides alternate. */
    @FunctionalInterface
    interface Work {
        void run(Series series, int count) throws SQLException;
    }

    @FunctionalInterface
    interface Warm {
        void run() throws SQLException;
    }

    /**
     * Alternates the two sides in blocks (audited first, then unaudited first, …) until each has run
     * {@code total} units; after every switch of the trigger a few unrecorded units re-plan and warm up.
     * WAL written and audit rows added are taken per block, around the measured units only.
     */
    static void alternate(
            Statement admin,
            int block,
            int total,
            Series audited,
            Series unaudited,
            Work work,
            Warm warm,
            BenchContext context)
            throws SQLException {
        int done = 0;
        boolean auditedFirst = true;
        while (done < total) {
            int n = Math.min(block, total - done);
            for (Series series : auditedFirst ? List.of(audited, unaudited) : List.of(unaudited, audited)) {
                setAudit(admin, series == audited);
                warm.run();
                drain(admin);
                long wal = walLsn(admin);
                long auditRows = Sql.queryLong(admin, AUDIT_ROWS);
                work.run(series, n);
                series.walBytes += walLsn(admin) - wal;
                long drainStart = System.nanoTime();
                drain(admin);
                series.drainNanos += System.nanoTime() - drainStart;
                series.auditRowsWritten += Sql.queryLong(admin, AUDIT_ROWS) - auditRows;
            }
            done += n;
            auditedFirst = !auditedFirst;
            context.out().printf("\r[bench]   %,d / %,d per side", done, total);
        }
        context.out().println();
        setAudit(admin, true);
    }

    /**
     * Moves what the block's triggers captured into audit.audit_log, as the service's drain job does
     * every second: off the write path, so outside the measured units, but timed (its cost is reported).
     */
    static void drain(Statement admin) throws SQLException {
        long moved;
        do {
            moved = Sql.queryLong(admin, "SELECT coalesce(audit.drain_inbox(100000), -1)");
        } while (moved != 0);
    }

    /** The measured connection: the service's login acting for riders, one transaction per unit. */
    static final class Driver {
        final Connection connection;
        final PreparedStatement identity;
        final PreparedStatement one;
        final PreparedStatement many;
        final List<Rider> riders;
        final SplittableRandom random;
        int bulkTurn;

        Driver(Connection connection, List<Rider> riders, SplittableRandom random) throws SQLException {
            this.connection = connection;
            this.identity = connection.prepareStatement(IDENTITY);
            this.one = connection.prepareStatement(INSERT_ONE);
            this.many = connection.prepareStatement(INSERT_MANY);
            this.riders = riders;
            this.random = random;
        }

        void oltp(int count, Series series) throws SQLException {
            for (int i = 0; i < count; i++) {
                Rider rider = riders.get(random.nextInt(riders.size()));
                long begin = System.nanoTime();
                identify(rider);
                long statementStart = System.nanoTime();
                one.setObject(1, rider.id());
                one.setInt(2, rider.number());
                one.setInt(3, rider.takeQuotes(1));
                one.setString(4, (1 + random.nextInt(200)) + " Ozumba Mbadiwe Avenue, Victoria Island");
                one.executeUpdate();
                long statementEnd = System.nanoTime();
                connection.commit();
                long end = System.nanoTime();
                if (series != null) {
                    series.transactions.record(end - begin);
                    series.statements.record(statementEnd - statementStart);
                    series.rows++;
                }
            }
        }

        void bulk(int statements, int rows, Series series) throws SQLException {
            for (int i = 0; i < statements; i++) {
                Rider rider = riders.get(bulkTurn++ % riders.size());
                long begin = System.nanoTime();
                identify(rider);
                long statementStart = System.nanoTime();
                many.setObject(1, rider.id());
                many.setInt(2, rider.number());
                many.setInt(3, rider.takeQuotes(rows) - 1);
                many.setInt(4, rows);
                int inserted = many.executeUpdate();
                long statementEnd = System.nanoTime();
                connection.commit();
                long end = System.nanoTime();
                if (series != null) {
                    series.transactions.record(end - begin);
                    series.statements.record(statementEnd - statementStart);
                    series.rows += inserted;
                }
            }
        }

        private void identify(Rider rider) throws SQLException {
            identity.setString(1, rider.id().toString());
            identity.setString(2, "102.89." + random.nextInt(256) + "." + (1 + random.nextInt(254)));
            try (ResultSet rs = identity.executeQuery()) {
                rs.next();
            }
        }
    }

    static void setAudit(Statement admin, boolean on) throws SQLException {
        admin.execute(TOGGLE.formatted(on ? "ENABLE" : "DISABLE"));
    }

    static void resetStatistics(Statement admin) throws SQLException {
        admin.execute("SELECT pg_stat_statements_reset()");
    }

    static long walLsn(Statement admin) throws SQLException {
        return Sql.queryLong(admin, "SELECT pg_wal_lsn_diff(pg_current_wal_insert_lsn(), '0/0')::bigint");
    }

    /** The statements the audited OLTP side spent its time in, the trigger's own included (track = all). */
    static Map<String, Object> topStatements(Statement admin) throws SQLException {
        Map<String, Object> top = new LinkedHashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        try (ResultSet rs = admin.executeQuery("""
                SELECT calls, round(mean_exec_time::numeric * 1000, 1) AS mean_us,
                       round(total_exec_time::numeric, 1) AS total_ms, toplevel,
                       left(regexp_replace(query, '\\s+', ' ', 'g'), 140) AS query
                  FROM pg_stat_statements
                 WHERE calls >= 1000
                 ORDER BY total_exec_time DESC LIMIT 8""")) {
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("calls", rs.getLong("calls"));
                row.put("mean_us", rs.getDouble("mean_us"));
                row.put("total_ms", rs.getDouble("total_ms"));
                row.put("toplevel", rs.getBoolean("toplevel"));
                row.put("query", rs.getString("query"));
                rows.add(row);
            }
        } catch (SQLException noExtension) {
            top.put("unavailable", noExtension.getMessage());
            return top;
        }
        top.put("note", "both sides ran in this window; the trigger's statements come from the audited side only");
        top.put("statements", rows);
        return top;
    }

    /** EXPLAIN ANALYZE of one multi-row insert with the trigger, rolled back: the trigger's share of the time. */
    static Map<String, Object> explainBulk(Connection app, Rider rider, int rows) throws SQLException {
        Map<String, Object> result = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        try (PreparedStatement identity = app.prepareStatement(IDENTITY)) {
            identity.setString(1, rider.id().toString());
            identity.setString(2, "102.89.0.1");
            identity.executeQuery().close();
        }
        try (PreparedStatement explain = app.prepareStatement("EXPLAIN (ANALYZE, BUFFERS) " + INSERT_MANY)) {
            explain.setObject(1, rider.id());
            explain.setInt(2, rider.number());
            explain.setInt(3, rider.takeQuotes(rows) - 1);
            explain.setInt(4, rows);
            try (ResultSet rs = explain.executeQuery()) {
                while (rs.next()) {
                    text.append(rs.getString(1)).append('\n');
                }
            }
        } finally {
            app.rollback();
        }
        Matcher trigger = TRIGGER_TIME.matcher(text);
        Matcher execution = EXECUTION_TIME.matcher(text);
        if (trigger.find() && execution.find()) {
            double triggerMs = Double.parseDouble(trigger.group(1));
            double executionMs = Double.parseDouble(execution.group(1));
            result.put("rows", rows);
            result.put("trigger_ms", triggerMs);
            result.put("execution_ms", executionMs);
            result.put("trigger_share", LatencyStats.round2(triggerMs / executionMs));
        }
        result.put("text", text.toString());
        return result;
    }

    /** What one ride costs to store, with and without its audit row. */
    static Map<String, Object> sizes(Statement admin) throws SQLException {
        Map<String, Object> sizes = new LinkedHashMap<>();
        try (ResultSet rs = admin.executeQuery("""
                SELECT (SELECT round(avg(pg_column_size(r.*))) FROM (SELECT * FROM public.rides ORDER BY created_at DESC
                                                                      LIMIT 10000) r) AS ride_bytes,
                       (SELECT round(avg(pg_column_size(a.*))) FROM (SELECT * FROM audit.audit_log
                                                                      WHERE table_name = 'rides' ORDER BY id DESC
                                                                      LIMIT 10000) a) AS audit_row_bytes""")) {
            rs.next();
            sizes.put("ride_row_bytes", rs.getLong("ride_bytes"));
            sizes.put("audit_row_bytes", rs.getLong("audit_row_bytes"));
        }
        sizes.put("server_fsync", Sql.queryText(admin, "SHOW fsync"));
        sizes.put("server_synchronous_commit", Sql.queryText(admin, "SHOW synchronous_commit"));
        return sizes;
    }

    /** How fast audit.seal_pending() seals what the audited side wrote, in batches of 10,000. */
    static Map<String, Object> sealing(Statement admin) throws SQLException {
        Map<String, Object> sealing = new LinkedHashMap<>();
        long pending = Sql.queryLong(admin, """
                SELECT count(*) FROM audit.audit_log a
                 WHERE NOT EXISTS (SELECT FROM audit.audit_log_seals s WHERE s.audit_id = a.id)""");
        long sealed = 0;
        long started = System.nanoTime();
        for (int run = 0; run < 10_000 && sealed < pending; run++) {
            long n = Sql.queryLong(admin, "SELECT coalesce(audit.seal_pending(10000, interval '0'), 0)");
            sealed += n;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        sealing.put("rows_sealed", sealed);
        sealing.put("seconds", LatencyStats.round2(seconds));
        sealing.put("rows_per_s", Math.round(sealed / Math.max(seconds, 1e-9)));
        long verifyStart = System.nanoTime();
        long problems = Sql.queryLong(admin, "SELECT count(*) FROM audit.verify_chain()");
        double verifySeconds = (System.nanoTime() - verifyStart) / 1e9;
        sealing.put("verify_problems", problems);
        sealing.put("verify_rows", Sql.queryLong(admin, "SELECT count(*) FROM audit.audit_log"));
        sealing.put("verify_seconds", LatencyStats.round2(verifySeconds));
        return sealing;
    }
}
