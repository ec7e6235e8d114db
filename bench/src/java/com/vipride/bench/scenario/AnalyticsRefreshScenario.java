package com.vipride.bench.scenario;

import static com.vipride.bench.report.Formats.fixed2;

import com.vipride.bench.BenchContext;
import com.vipride.bench.BenchSettings;
import com.vipride.bench.Scenario;
import com.vipride.bench.Sql;
import com.vipride.bench.load.RideDataGenerator;
import com.vipride.bench.measure.Elapsed;
import com.vipride.bench.measure.LatencyStats;
import com.vipride.bench.report.ScenarioReport;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Refreshing the analytics materialized views over 10,000,000 rides ({@code -Dbench.rides}), with the
 * fare split of every completed ride in {@code ride_earnings}, 100,000 hotel bookings and some compliance
 * records. Measured per view, in the same run:
 * <ul>
 *   <li>ceiling: the view's own query, all its rows read by the client, as the owner (the refresh runs as the
 *       owner too, under the same row-level security) — best of two passes, one before and one after the
 *       refreshes, so cache warming and the machine's other work favour neither side;</li>
 *   <li>{@code analytics.refresh_materialized_views()} called as the service calls it ({@code app_backend}
 *       acting as {@code system_admin}): the first refresh after the load (the views were empty) and a
 *       second one with nothing changed — both CONCURRENTLY, with the durations the function records;</li>
 *   <li>a plain (blocking) {@code REFRESH MATERIALIZED VIEW}, for comparison.</li>
 * </ul>
 * The ratio is the concurrent refresh against the ceiling.
 */
public final class AnalyticsRefreshScenario implements Scenario {

    private static final long DEFAULT_RIDES = 10_000_000;

    /** Fare split of every completed ride: commission by tier inside the spec's bands. */
    private static final String LOAD_EARNINGS = """
            INSERT INTO public.ride_earnings (ride_id, ride_requested_at, driver_id, currency, fare_minor,
                                              commission_rate_bp, commission_rule, platform_commission_minor,
                                              driver_share_minor, earned_at)
            SELECT r.id, r.requested_at, r.driver_id, r.currency, r.final_fare_minor, b.bp, 'tier:' || r.customer_tier,
                   r.final_fare_minor * b.bp / 10000, r.final_fare_minor - r.final_fare_minor * b.bp / 10000, r.completed_at
              FROM public.rides r
             CROSS JOIN LATERAL (SELECT CASE r.customer_tier WHEN 'vip' THEN 2750 WHEN 'premium' THEN 2250 ELSE 1750 END AS bp) b
             WHERE r.status = 'completed'""";
    /** 100 hotels with 20 rooms each; every room booked for 2 nights each week for 50 weeks, never overlapping. */
    private static final String LOAD_HOTELS = """
            INSERT INTO public.hotel_partners (id, name, partnership_tier, city, address, lat, lng, star_rating,
                                               commission_rate_bp, contact_email, contact_phone, status)
            SELECT md5('bench-hotel:' || h)::uuid, 'Hotel ' || h,
                   (ARRAY['standard', 'preferred', 'exclusive'])[1 + h % 3]::public.hotel_partnership_tier, 'lagos',
                   h || ' Marina', 6.45, 3.39, 3 + h % 3, 800 + 100 * (h % 8), 'hotel' || h || '@bench.vipride.test',
                   '+23482' || lpad(h::text, 8, '0'), 'active'
              FROM generate_series(1, 100) h;
            INSERT INTO public.hotel_rooms (id, hotel_id, room_number, room_type, max_occupancy, nightly_rate_minor, currency)
            SELECT md5('bench-room:' || h || ':' || n)::uuid, md5('bench-hotel:' || h)::uuid, n::text,
                   (ARRAY['standard', 'deluxe', 'suite', 'presidential'])[1 + n % 4], 2, 2500000 + 500000 * (n % 4), 'NGN'
              FROM generate_series(1, 100) h, generate_series(1, 20) n;
            INSERT INTO public.hotel_bookings (hotel_id, room_id, customer_id, guest_name, guest_phone, check_in, check_out,
                                               status, total_minor, currency, created_at)
            SELECT md5('bench-hotel:' || h)::uuid, md5('bench-room:' || h || ':' || n)::uuid,
                   md5('bench-customer:' || (1 + (h * 20 + n + w * 7) % %CUSTOMERS%))::uuid, 'Bench Guest', '+2348000000000',
                   d, d + 2,
                   CASE WHEN d + 2 < current_date THEN (ARRAY['checked_out', 'checked_out', 'checked_out', 'cancelled', 'no_show'])[1 + (h + n + w) % 5]
                        ELSE 'confirmed' END,
                   2 * (2500000 + 500000 * (n % 4)), 'NGN', d - 14
              FROM generate_series(1, 100) h, generate_series(1, 20) n, generate_series(0, 49) w,
                   LATERAL (SELECT current_date - 300 + w * 7 + n % 5 AS d) x""";

    private static final String LOAD_COMPLIANCE = """
            INSERT INTO audit.data_subject_requests (user_id, request_type, status, received_at, due_at, completed_at)
            SELECT md5('bench-customer:' || i)::uuid,
                   (ARRAY['access', 'portability', 'rectification', 'erasure', 'restriction', 'objection'])[1 + i % 6],
                   CASE WHEN i % 10 = 0 THEN 'received' ELSE 'completed' END, t, t + interval '30 days',
                   CASE WHEN i % 10 = 0 THEN NULL ELSE t + (i % 40) * interval '1 day' END
              FROM generate_series(1, 10000) i, LATERAL (SELECT now() - (i % 360) * interval '1 day' AS t) x;
            INSERT INTO audit.breach_reports (detected_at, severity, description, affected_users_count, status,
                                              regulator_notified_at)
            SELECT now() - i * interval '3 days', 1 + i % 5, 'bench breach ' || i, i * 10, 'closed',
                   CASE WHEN i % 7 <> 0 THEN now() - i * interval '3 days' + (i % 100) * interval '1 hour' END
              FROM generate_series(1, 100) i""";
    private static final String REFRESH_ALL = """
            SELECT view_name, duration_ms, row_count FROM analytics.refresh_materialized_views()""";

    @Override
    public String name() {
        return "analytics-refresh";
    }

    @Override
    public String title() {
        return "Refreshing the analytics materialized views over 10,000,000 rides: concurrent refresh vs. "
                + "running each view's query";
    }

    @Override
    public ScenarioReport run(BenchContext context) throws Exception {
        PrintStream out = context.out();
        BenchSettings settings = context.settings();
        RideDataGenerator.Config config = withDefaultRides(RideDataGenerator.Config.from(settings), settings);
        ScenarioReport report = new ScenarioReport();
        RideDataGenerator generator = new RideDataGenerator(config, out);
        Map<String, Object> loaded;
        Map<String, Object> extraLoad = new LinkedHashMap<>();
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement()) {
            loaded = generator.load(superuser);
            // Bulk data as the generator loads rides: no audit triggers, no FK checks (every row is valid).
            statement.execute("SET session_replication_role = replica");
            extraLoad.put("ride_earnings_s", timed(out, "ride_earnings", () -> statement.executeUpdate(LOAD_EARNINGS)));
            extraLoad.put(
                    "hotels_s",
                    timed(
                            out,
                            "hotel bookings",
                            () -> statement.execute(
                                    LOAD_HOTELS.replace("%CUSTOMERS%", String.valueOf(config.customers())))));
            extraLoad.put("compliance_s", timed(out, "compliance records", () -> statement.execute(LOAD_COMPLIANCE)));
            statement.execute("RESET session_replication_role");
            extraLoad.put(
                    "vacuum_analyze_s",
                    timed(
                            out,
                            "VACUUM (ANALYZE)",
                            () -> statement.execute(
                                    "VACUUM (ANALYZE) public.ride_earnings, public.hotel_partners, public.hotel_rooms, public.hotel_bookings,"
                                            + " audit.data_subject_requests, audit.breach_reports")));
            extraLoad.put("ride_earnings_rows", Sql.queryLong(statement, "SELECT count(*) FROM public.ride_earnings"));
            extraLoad.put(
                    "hotel_bookings_rows", Sql.queryLong(statement, "SELECT count(*) FROM public.hotel_bookings"));
        }
        String extraSql = context.applyExtraSql();

        List<String> views = new ArrayList<>();
        Map<String, String> definitions = new LinkedHashMap<>();
        Map<String, Double> ceiling = new LinkedHashMap<>();
        Map<String, Long> ceilingRows = new LinkedHashMap<>();
        Map<String, Double> plain = new LinkedHashMap<>();
        try (Connection owner = context.connect("vipride_owner");
                Statement statement = owner.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT 'analytics.' || matviewname, definition FROM pg_matviews"
                    + " WHERE schemaname = 'analytics' ORDER BY matviewname")) {
                while (rs.next()) {
                    views.add(rs.getString(1));
                    definitions.put(rs.getString(1), rs.getString(2).replaceAll(";\\s*$", ""));
                }
            }
            runQueries(out, statement, views, definitions, ceiling, ceilingRows);
        }

        Map<String, Double> first;
        Map<String, Double> steady;
        Map<String, Long> rows = new LinkedHashMap<>();
        double firstTotal;
        double steadyTotal;
        try (Connection service = context.connect("app_backend")) {
            long start = System.nanoTime();
            first = refreshAll(service, rows);
            firstTotal = Elapsed.secondsSince(start);
            out.printf("[analytics-refresh] first refresh (from empty views), CONCURRENTLY: %.2f s%n", firstTotal);
            start = System.nanoTime();
            steady = refreshAll(service, rows);
            steadyTotal = Elapsed.secondsSince(start);
            out.printf("[analytics-refresh] second refresh (nothing changed), CONCURRENTLY: %.2f s%n", steadyTotal);
        }
        try (Connection owner = context.connect("vipride_owner");
                Statement statement = owner.createStatement()) {
            for (String view : views) {
                long start = System.nanoTime();
                statement.execute("REFRESH MATERIALIZED VIEW " + view);
                plain.put(view, Elapsed.secondsSince(start));
            }
            runQueries(out, statement, views, definitions, ceiling, ceilingRows);
        }

        boolean sameRows = views.stream().allMatch(v -> ceilingRows.get(v).equals(rows.get(v)));
        report.check(sameRows);
        List<List<String>> table = new ArrayList<>();
        List<Map<String, Object>> perView = new ArrayList<>();
        for (String view : views) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("view", view);
            result.put("rows", rows.get(view));
            result.put("ceiling_query_s", round(ceiling.get(view)));
            result.put("refresh_concurrently_first_s", round(first.get(view)));
            result.put("refresh_concurrently_unchanged_s", round(steady.get(view)));
            result.put("refresh_plain_s", round(plain.get(view)));
            result.put("ratio_first_to_ceiling", round(first.get(view) / ceiling.get(view)));
            result.put("ratio_unchanged_to_ceiling", round(steady.get(view) / ceiling.get(view)));
            perView.add(result);
            table.add(List.of(
                    "`" + view + "`",
                    String.format("%,d", rows.get(view)),
                    fixed2(ceiling.get(view)),
                    fixed2(first.get(view)),
                    fixed2(steady.get(view)),
                    fixed2(plain.get(view)),
                    String.format(
                            "%.2f× / %.2f×",
                            first.get(view) / ceiling.get(view), steady.get(view) / ceiling.get(view))));
        }
        double ceilingTotal =
                ceiling.values().stream().mapToDouble(Double::doubleValue).sum();
        double plainTotal =
                plain.values().stream().mapToDouble(Double::doubleValue).sum();
        table.add(List.of(
                "**total**",
                "",
                fixed2(ceilingTotal),
                fixed2(firstTotal),
                fixed2(steadyTotal),
                fixed2(plainTotal),
                String.format("%.2f× / %.2f×", firstTotal / ceilingTotal, steadyTotal / ceilingTotal)));

        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("ceiling_s", round(ceilingTotal));
        totals.put("refresh_all_first_s", round(firstTotal));
        totals.put("refresh_all_unchanged_s", round(steadyTotal));
        totals.put("refresh_plain_s", round(plainTotal));
        totals.put("ratio_first_to_ceiling", round(firstTotal / ceilingTotal));
        totals.put("ratio_unchanged_to_ceiling", round(steadyTotal / ceilingTotal));
        report.put("scenario", name())
                .put("title", title())
                .put("data", loaded)
                .put("extra_data", extraLoad)
                .put("views", perView)
                .put("totals", totals)
                .put("same_rows_as_ceiling", sameRows);
        if (extraSql != null) {
            report.put("extra_sql", extraSql);
        }
        report.heading("analytics-refresh: " + String.format("%,d", config.rides()) + " rides")
                .paragraph(
                        "Seconds per view. Ceiling: the view's query with all rows read, as the owner, best of a pass "
                                + "before and a pass after the refreshes. "
                                + "Refresh: `analytics.refresh_materialized_views()` as `app_backend` acting as `system_admin` "
                                + "(CONCURRENTLY, durations as the function records them), first from the empty views after the load, "
                                + "then with nothing changed; plain = blocking REFRESH MATERIALIZED VIEW.")
                .table(
                        List.of(
                                "view",
                                "rows",
                                "ceiling",
                                "concurrent (first)",
                                "concurrent (unchanged)",
                                "plain",
                                "ratio first / unchanged"),
                        table)
                .paragraph("Data: " + loaded.get("data") + "; extra: " + extraLoad);
        report.summary(String.format(
                "refresh all CONCURRENTLY: %.1f s first, %.1f s unchanged; ceiling %.1f s (%.2f× / %.2f×)",
                firstTotal, steadyTotal, ceilingTotal, firstTotal / ceilingTotal, steadyTotal / ceilingTotal));
        return report;
    }

    /** Runs each view's query, reading every row; keeps the fastest time seen per view. */
    private static void runQueries(
            PrintStream out,
            Statement statement,
            List<String> views,
            Map<String, String> definitions,
            Map<String, Double> best,
            Map<String, Long> rows)
            throws SQLException {
        for (String view : views) {
            long start = System.nanoTime();
            long n = 0;
            try (ResultSet rs = statement.executeQuery(definitions.get(view))) {
                while (rs.next()) {
                    n++;
                }
            }
            double seconds = Elapsed.secondsSince(start);
            best.merge(view, seconds, Math::min);
            rows.put(view, n);
            out.printf("[analytics-refresh] query %-34s %8.2f s  %,d rows%n", view, seconds, n);
        }
    }

    /** 10,000,000 rides unless -Dbench.rides says otherwise (the generator's own default is 1,000,000). */
    private static RideDataGenerator.Config withDefaultRides(RideDataGenerator.Config config, BenchSettings settings) {
        if (settings.given().containsKey("bench.rides")) {
            return config;
        }
        return new RideDataGenerator.Config(
                config.customers(),
                config.drivers(),
                DEFAULT_RIDES,
                config.months(),
                config.batchRows(),
                config.seed(),
                config.ridesWithTriggers());
    }

    /** One call of the refresh function exactly as AnalyticsRefresh makes it; per-view seconds as it recorded them. */
    private static Map<String, Double> refreshAll(Connection service, Map<String, Long> rows) throws SQLException {
        Map<String, Double> durations = new LinkedHashMap<>();
        service.setAutoCommit(false);
        try (Statement statement = service.createStatement()) {
            statement.execute("SET LOCAL ROLE system_admin");
            try (ResultSet rs = statement.executeQuery(REFRESH_ALL)) {
                while (rs.next()) {
                    durations.put(rs.getString(1), rs.getDouble(2) / 1000);
                    rows.put(rs.getString(1), rs.getLong(3));
                }
            }
        }
        service.commit();
        return durations;
    }

    private interface Work {
        void run() throws SQLException;
    }

    private static double timed(PrintStream out, String what, Work work) throws SQLException {
        long start = System.nanoTime();
        work.run();
        double seconds = Elapsed.secondsSince(start);
        out.printf("[load] %s in %.1f s%n", what, seconds);
        return round(seconds);
    }

    private static double round(double value) {
        return LatencyStats.round2(value);
    }
}
