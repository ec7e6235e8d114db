package com.vipride.bench.load;

import com.vipride.bench.BenchSettings;
import com.vipride.bench.measure.Elapsed;
import com.vipride.bench.measure.LatencyStats;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads a dispatchable fleet for the ride benchmarks, set-based, as the cluster superuser: N
 * approved owner-operators in Lagos (lat 6.40–6.70, lng 3.10–3.60), each with a {@code users} row, an
 * active vehicle of their own and a {@code drivers} row that is online, available and freshly pinged.
 * Vehicle types: sedan 50%, SUV 20%, premium 12%, luxury 10%, van 8% (a hash of the driver number);
 * half of the luxury and premium vehicles are VIP-certified and half of those drivers VIP-vetted, so
 * about 5.5% of the fleet may take VIP rides.
 *
 * <p>Users and vehicles are plain rows and load with {@code session_replication_role = replica} (no
 * audit trigger, no FK checks; the rows satisfy the keys). Drivers load the normal way, so the
 * service's own row triggers compute {@code dispatch_xy} (the position on the city's dispatch plane) and the dispatch columns
 * ({@code dispatch_vehicle_type}, {@code dispatch_seats}, {@code vip_eligible}) from the vehicle, and the
 * partial GiST index is built row by row as in production; only the statement-level audit trigger is
 * disabled for the load (it would log every driver as JSON). Ids: {@code md5('bench-fleet-driver:' || j)}.
 *
 * <p>The city's {@code driver_stale_after_s} is raised to a day: nothing pings during a benchmark, and
 * the dispatcher would otherwise take every driver out of dispatch a minute after the load.
 */
public final class DriverFleetGenerator {

    public static final String CITY = "lagos";

    private static final String BUCKET = "(((hashint4(j)::bigint % 100) + 100) % 100)";

    private static final String INSERT_USERS = """
            INSERT INTO public.users (id, email, phone, password_hash, first_name, last_name, user_type,
                                      email_verified_at, phone_verified_at, data_processing_consent,
                                      consent_updated_at, home_city, created_at, updated_at)
            SELECT md5('bench-fleet-user:' || j)::uuid, 'fleet' || j || '@bench.vipride.test',
                   '+23482' || lpad(j::text, 8, '0'),
                   '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2htYXJr$bench-data-not-a-real-hash',
                   'Driver', 'Fleet' || j, 'driver', now(), now(), true, now(), 'lagos', now(), now()
              FROM generate_series(${from}, ${to}) AS j
            """;

    private static final String INSERT_VEHICLES = """
            INSERT INTO public.vehicles (id, plate_number, make, model, model_year, color, vehicle_type, seats,
                                         owner_user_id, vip_certified, status)
            SELECT md5('bench-fleet-vehicle:' || j)::uuid, 'LAG-' || lpad(j::text, 7, '0'),
                   'Toyota', 'Camry', 2018 + j % 7, (ARRAY['black', 'white', 'silver', 'blue'])[1 + j % 4],
                   t.vehicle_type, t.seats, md5('bench-fleet-user:' || j)::uuid,
                   t.vehicle_type IN ('luxury', 'premium') AND j % 2 = 0, 'active'
              FROM generate_series(${from}, ${to}) AS j
             CROSS JOIN LATERAL (SELECT CASE WHEN b < 50 THEN 'sedan' WHEN b < 70 THEN 'suv' WHEN b < 82 THEN 'premium'
                                             WHEN b < 92 THEN 'luxury' ELSE 'van' END::public.vehicle_type AS vehicle_type,
                                        CASE WHEN b < 50 THEN 4 WHEN b < 70 THEN 6 WHEN b < 92 THEN 4 ELSE 8 END AS seats
                                   FROM (SELECT ${bucket} AS b) AS h) AS t
            """;

    private static final String INSERT_DRIVERS = """
            INSERT INTO public.drivers (id, user_id, current_vehicle_id, license_number, license_expires_on, category,
                                        subscription_tier, subscription_expires_at, status, vip_vetted_at, is_online,
                                        is_available, current_lat, current_lng, position_updated_at, city, rating,
                                        rating_count)
            SELECT md5('bench-fleet-driver:' || j)::uuid, md5('bench-fleet-user:' || j)::uuid,
                   md5('bench-fleet-vehicle:' || j)::uuid, 'LAG-FL-' || lpad(j::text, 8, '0'), current_date + 365,
                   'owner_operator', (ARRAY['basic', 'premium', 'elite'])[1 + j % 3]::public.driver_subscription_tier,
                   now() + interval '30 days', 'approved', CASE WHEN j % 4 = 0 THEN now() - interval '90 days' END,
                   true, true, round((6.40 + 0.30 * random())::numeric, 6)::float8,
                   round((3.10 + 0.50 * random())::numeric, 6)::float8, now(), 'lagos',
                   round((3.8 + 1.2 * random())::numeric, 2), (random() * 500)::int
              FROM generate_series(${from}, ${to}) AS j
            """;

    /**
     * The vehicle type a rider asks for, as SQL over a rider tier expression and a random number in [0, 1):
     * sedan 55%, SUV 20%, premium 12%, van 6%, luxury 7%; VIP riders luxury (70%) or premium.
     */
    public static String requestedVehicleType(String tier, String random) {
        return ("(CASE WHEN ${tier} = 'vip' THEN CASE WHEN ${r} < 0.7 THEN 'luxury' ELSE 'premium' END"
                        + " WHEN ${r} < 0.55 THEN 'sedan' WHEN ${r} < 0.75 THEN 'suv' WHEN ${r} < 0.87 THEN 'premium'"
                        + " WHEN ${r} < 0.93 THEN 'van' ELSE 'luxury' END)::public.vehicle_type")
                .replace("${tier}", tier)
                .replace("${r}", random);
    }

    /**
     * What both ride scenarios load: {@code customers} riders ({@link RideDataGenerator}, one partition for
     * the current month, no rides) and then a fleet of {@code drivers}. -Dbench.batchRows and -Dbench.seed apply.
     */
    public static Map<String, Object> loadRidersAndFleet(
            Connection superuser, BenchSettings settings, int customers, int drivers, PrintStream out)
            throws SQLException {
        int batchRows = settings.integer("batchRows", 100_000);
        long seed = settings.longValue("seed", 42);
        Map<String, Object> loaded = new LinkedHashMap<>();
        var riders =
                new RideDataGenerator(new RideDataGenerator.Config(customers, 1, 0, 1, batchRows, seed, false), out);
        loaded.put("customers", riders.load(superuser).get("data"));
        loaded.putAll(new DriverFleetGenerator(drivers, batchRows, seed, out).load(superuser));
        return loaded;
    }

    private final int drivers;
    private final int batchRows;
    private final long seed;
    private final PrintStream out;

    public DriverFleetGenerator(int drivers, int batchRows, long seed, PrintStream out) {
        if (drivers < 1 || drivers > 9_999_999) {
            throw new IllegalArgumentException("Fleet size out of range: " + drivers);
        }
        this.drivers = drivers;
        this.batchRows = Math.max(1, batchRows);
        this.seed = seed;
        this.out = out;
    }

    /** Loads the fleet into a migrated database that has no bench fleet yet; returns what it did. */
    public Map<String, Object> load(Connection superuser) throws SQLException {
        superuser.setAutoCommit(true);
        Map<String, Object> report = new LinkedHashMap<>();
        try (Statement statement = superuser.createStatement()) {
            statement.execute("SELECT setseed(" + ((seed % 1000) / 1000.0 + 0.0005) + ")");
            // The generated positions stay fresh for the whole run: the longest staleness the city allows.
            statement.execute(
                    "UPDATE public.city_settings SET driver_stale_after_s = 3600 WHERE city = '" + CITY + "'");
            long started = System.nanoTime();

            statement.execute("SET session_replication_role = replica");
            long phase = System.nanoTime();
            batches(statement, INSERT_USERS, "fleet users", phase);
            double usersSeconds = Elapsed.secondsSince(phase);
            phase = System.nanoTime();
            batches(statement, INSERT_VEHICLES, "vehicles", phase);
            double vehiclesSeconds = Elapsed.secondsSince(phase);
            statement.execute("RESET session_replication_role");

            statement.execute("ALTER TABLE public.drivers DISABLE TRIGGER drivers_audit_insert");
            phase = System.nanoTime();
            try {
                batches(statement, INSERT_DRIVERS, "drivers", phase);
            } finally {
                statement.execute("ALTER TABLE public.drivers ENABLE TRIGGER drivers_audit_insert");
            }
            double driversSeconds = Elapsed.secondsSince(phase);

            phase = System.nanoTime();
            statement.execute("VACUUM (ANALYZE) public.users, public.vehicles, public.drivers");
            double vacuumSeconds = Elapsed.secondsSince(phase);
            out.printf(
                    "[load] fleet: VACUUM (ANALYZE) in %.1f s; fleet loaded in %.1f s%n",
                    vacuumSeconds, Elapsed.secondsSince(started));

            Map<String, Object> timing = new LinkedHashMap<>();
            timing.put("users_s", LatencyStats.round2(usersSeconds));
            timing.put("vehicles_s", LatencyStats.round2(vehiclesSeconds));
            timing.put("drivers_s", LatencyStats.round2(driversSeconds));
            timing.put("drivers_per_s", Math.round(drivers / driversSeconds));
            timing.put("vacuum_analyze_s", LatencyStats.round2(vacuumSeconds));
            timing.put("total_s", LatencyStats.round2(Elapsed.secondsSince(started)));
            report.put("fleet_load", timing);
            report.put("fleet", describe(statement));
        }
        return report;
    }

    private void batches(Statement statement, String template, String what, long phase) throws SQLException {
        for (int from = 1; from <= drivers; from += batchRows) {
            int to = (int) Math.min(drivers, (long) from + batchRows - 1);
            statement.executeUpdate(template.replace("${from}", String.valueOf(from))
                    .replace("${to}", String.valueOf(to))
                    .replace("${bucket}", BUCKET));
            double seconds = Elapsed.secondsSince(phase);
            out.printf(
                    "[load] %-11s %5.1f%%  %,10d / %,d  %,9.0f rows/s%n",
                    what, 100.0 * to / drivers, to, drivers, to / Math.max(seconds, 1e-9));
        }
    }

    /** What dispatch sees: the fleet by vehicle type, VIP eligibility, and the GiST index's size. */
    private Map<String, Object> describe(Statement statement) throws SQLException {
        Map<String, Object> fleet = new LinkedHashMap<>();
        fleet.put("drivers", drivers);
        Map<String, Object> byType = new LinkedHashMap<>();
        try (ResultSet rs = statement.executeQuery("""
                SELECT dispatch_vehicle_type, count(*), count(*) FILTER (WHERE vip_eligible)
                  FROM public.drivers WHERE is_available AND city = 'lagos' GROUP BY 1 ORDER BY 2 DESC""")) {
            while (rs.next()) {
                byType.put(
                        String.valueOf(rs.getString(1)),
                        Map.of("available", rs.getLong(2), "vip_eligible", rs.getLong(3)));
            }
        }
        fleet.put("available_by_vehicle_type", byType);
        try (ResultSet rs =
                statement.executeQuery("SELECT pg_size_pretty(pg_relation_size('public.drivers_online_xy_idx')),"
                        + " pg_size_pretty(pg_table_size('public.drivers'))")) {
            rs.next();
            fleet.put("gist_index_size", rs.getString(1));
            fleet.put("drivers_table_size", rs.getString(2));
        }
        return fleet;
    }

    /**
     * Makes every bench driver available again (between measured blocks): what the end of their rides
     * would do. A benchmark shortcut as the superuser; the service releases a driver per ride.
     */
    public static long releaseAll(Connection superuser) throws SQLException {
        try (Statement statement = superuser.createStatement()) {
            return statement.executeUpdate("UPDATE public.drivers SET is_available = true WHERE NOT is_available"
                    + " AND is_online AND status = 'approved' AND deleted_at IS NULL");
        }
    }
}
