package com.vipride.bench.load;

import com.vipride.bench.BenchSettings;
import com.vipride.bench.Sql;
import com.vipride.bench.measure.Elapsed;
import com.vipride.bench.measure.LatencyStats;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a realistic data set for benchmarks, set-based ({@code INSERT … SELECT … generate_series}),
 * as the cluster superuser:
 * <ul>
 *   <li>N customers ({@code public.users}): unique lower-case emails, unique E.164 phones
 *       ({@code +23480xxxxxxxx}), tiers normal 80% / premium 15% / vip 5%;</li>
 *   <li>drivers ({@code public.users} of type driver plus {@code public.drivers}), approved, with
 *       Lagos positions;</li>
 *   <li>M rides spread uniformly over K monthly partitions that end with the current UTC month:
 *       Lagos-area pickups and drop-offs (lat 6.40–6.70, lng 3.10–3.60, never equal), fares in NGN,
 *       92% completed (with driver and the full assigned → arrived → started → completed timeline),
 *       8% cancelled by the rider or the driver.</li>
 * </ul>
 * Ids are derived from the row number ({@code md5('bench-customer:' || i)::uuid}), so rides can name
 * their customer and driver, and repeat the customer's tier, without a join. The tier is a hash of the
 * customer number, so it is the same expression for users and rides. {@code random()} is seeded
 * ({@code -Dbench.seed}), so the same settings give the same data (ride ids aside).
 *
 * <p>Creates the monthly partitions first with {@code public.create_monthly_ride_partition(date)},
 * prints progress (percent, rows/s) while loading, and ends with {@code VACUUM (ANALYZE)}.
 */
public final class RideDataGenerator {

    private static final String EMAIL_DOMAIN = "@bench.vipride.test";

    /** Same expression for users.tier and rides.customer_tier: 80% normal, 15% premium, 5% vip. */
    private static final String TIER_OF = """
            (CASE WHEN ((hashint4(${n})::bigint % 100) + 100) % 100 < 80 THEN 'normal'
                  WHEN ((hashint4(${n})::bigint % 100) + 100) % 100 < 95 THEN 'premium'
                  ELSE 'vip' END)::public.user_tier""";

    private static final String FIRST_NAMES = "ARRAY['Adaeze','Babatunde','Chiamaka','Chinedu','Damilola','Emeka',"
            + "'Folake','Funmilayo','Ifeanyi','Ngozi','Oluwaseun','Segun','Tolulope','Uchenna','Yetunde','Zainab',"
            + "'Kelechi','Bolanle','Obinna','Amaka','Tunde','Halima','Ibrahim','Aisha']";
    private static final String LAST_NAMES = "ARRAY['Adeyemi','Okafor','Balogun','Eze','Ogunleye','Nwosu',"
            + "'Bello','Okonkwo','Adebayo','Olawale','Chukwu','Abubakar','Oyelaran','Nnamdi','Akinola','Ibekwe',"
            + "'Lawal','Uzor','Fashola','Danjuma']";
    private static final String PLACES = "ARRAY['Victoria Island','Ikoyi','Lekki Phase 1','Ikeja GRA','Surulere',"
            + "'Yaba','Ajah','Maryland','Apapa','Murtala Muhammed Airport','Eko Atlantic','Oniru','Gbagada',"
            + "'Magodo','Festac Town','Ogba','Banana Island','Allen Avenue','Marina','Oshodi']";

    private static final String INSERT_CUSTOMERS = """
            INSERT INTO public.users (id, email, phone, password_hash, first_name, last_name, user_type, tier,
                                      preferred_language, home_city, email_verified_at, phone_verified_at,
                                      marketing_consent, data_processing_consent, consent_updated_at,
                                      last_login_at, created_at, updated_at)
            SELECT md5('bench-customer:' || i)::uuid,
                   'rider' || i || '${domain}',
                   '+23480' || lpad(i::text, 8, '0'),
                   '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2htYXJr$bench-data-not-a-real-hash',
                   (${firstNames})[1 + i % 24],
                   (${lastNames})[1 + (i / 24) % 20],
                   'customer',
                   ${tier},
                   CASE WHEN r_lang < 0.70 THEN 'en' WHEN r_lang < 0.82 THEN 'yo' WHEN r_lang < 0.90 THEN 'ig'
                        WHEN r_lang < 0.95 THEN 'ha' ELSE 'fr' END,
                   'lagos',
                   created + interval '5 minutes', created + interval '2 minutes',
                   r_marketing < 0.3, true, created,
                   now() - r_login * interval '30 days', created, created
              FROM (SELECT i, random() AS r_lang, random() AS r_marketing, random() AS r_login,
                           now() - interval '${ageDays} days' * (0.1 + 0.9 * random()) AS created
                      FROM generate_series(${from}, ${to}) AS i) AS s
            """;

    private static final String INSERT_DRIVER_USERS = """
            INSERT INTO public.users (id, email, phone, password_hash, first_name, last_name, user_type,
                                      email_verified_at, phone_verified_at, data_processing_consent,
                                      consent_updated_at, created_at, updated_at)
            SELECT md5('bench-driver-user:' || j)::uuid,
                   'driver' || j || '${domain}',
                   '+23481' || lpad(j::text, 8, '0'),
                   '$argon2id$v=19$m=19456,t=2,p=1$YmVuY2htYXJr$bench-data-not-a-real-hash',
                   (${firstNames})[1 + (j * 7) % 24],
                   (${lastNames})[1 + (j * 3) % 20],
                   'driver',
                   created, created, true, created, created, created
              FROM (SELECT j, now() - interval '${ageDays} days' * (0.5 + 0.5 * random()) AS created
                      FROM generate_series(1, ${drivers}) AS j) AS s
            """;

    // Approved drivers; a third online and available, with a position (the trigger fills current_position).
    private static final String INSERT_DRIVERS = """
            INSERT INTO public.drivers (id, user_id, license_number, license_expires_on, category, subscription_tier,
                                        subscription_expires_at, status, vip_vetted_at, is_online, is_available,
                                        current_lat, current_lng, position_updated_at, city, rating, rating_count)
            SELECT md5('bench-driver:' || j)::uuid,
                   md5('bench-driver-user:' || j)::uuid,
                   'LAG-DL-' || lpad(j::text, 8, '0'),
                   current_date + 180 + j % 900,
                   CASE WHEN j % 5 < 3 THEN 'private_driver' ELSE 'owner_operator' END::public.driver_category,
                   (ARRAY['basic', 'premium', 'elite'])[1 + j % 3]::public.driver_subscription_tier,
                   now() + interval '30 days',
                   'approved',
                   CASE WHEN j % 10 = 0 THEN now() - interval '90 days' END,
                   j % 3 = 0, j % 3 = 0,
                   CASE WHEN j % 3 = 0 THEN round((6.40 + 0.30 * random())::numeric, 6)::float8 END,
                   CASE WHEN j % 3 = 0 THEN round((3.10 + 0.50 * random())::numeric, 6)::float8 END,
                   CASE WHEN j % 3 = 0 THEN now() END,
                   'lagos',
                   round((3.8 + 1.2 * random())::numeric, 2),
                   (random() * 500)::int
              FROM generate_series(1, ${drivers}) AS j
            """;

    /*
     * One batch of rides in one month. The innermost subquery draws every random number once per row
     * (a subquery with volatile outputs is never flattened, so each value is computed once); the
     * outer levels derive the ride from them. OFFSET 0 keeps each level from being flattened into the
     * next, so a derived value is computed once rather than once per use (2.5x faster).
     */
    private static final String INSERT_RIDES = """
            INSERT INTO public.rides (id, requested_at, customer_id, driver_id, city, status, customer_tier,
                                      billing_model, vehicle_type, pickup_lat, pickup_lng, pickup_address,
                                      dropoff_lat, dropoff_lng, dropoff_address, currency, estimated_fare_minor,
                                      final_fare_minor, surge_multiplier, estimated_distance_m, actual_distance_m,
                                      estimated_duration_s, actual_duration_s, vip_priority_level, assigned_at,
                                      arrived_at, started_at, completed_at, cancelled_at, cancelled_by,
                                      cancellation_reason, created_at, updated_at)
            SELECT gen_random_uuid(), requested_at, md5('bench-customer:' || c)::uuid,
                   CASE WHEN has_driver THEN md5('bench-driver:' || d)::uuid END,
                   'lagos', status, tier, billing, vehicle,
                   CASE WHEN tier <> 'vip' THEN plat END, CASE WHEN tier <> 'vip' THEN plng END,
                   CASE WHEN tier <> 'vip' THEN (${places})[1 + floor(r_paddr * 20)::int] END,
                   CASE WHEN tier <> 'vip' THEN dlat END, CASE WHEN tier <> 'vip' THEN dlng END,
                   CASE WHEN tier <> 'vip' THEN (${places})[1 + floor(r_daddr * 20)::int] END,
                   'NGN', est_fare,
                   CASE WHEN completed THEN round(est_fare * (0.90 + 0.25 * r_fare))::bigint END,
                   surge, est_dist, CASE WHEN completed THEN act_dist END,
                   est_dur, CASE WHEN completed THEN act_dur END,
                   CASE tier WHEN 'vip' THEN 3 + floor(r_prio * 3)::int WHEN 'premium' THEN 1 ELSE 0 END,
                   CASE WHEN has_driver THEN assigned_at END,
                   CASE WHEN completed THEN assigned_at + (120 + 780 * r_arrive) * interval '1 second' END,
                   CASE WHEN completed THEN started_at END,
                   CASE WHEN completed THEN started_at + act_dur * interval '1 second' END,
                   cancelled_at,
                   CASE WHEN NOT completed THEN cancelled_by END,
                   CASE WHEN NOT completed AND cancelled_by = 'customer'
                        THEN (ARRAY['changed plans', 'driver too far', 'booked by mistake', 'found another ride'])[1 + floor(r_cancel * 4)::int]
                        WHEN NOT completed
                        THEN (ARRAY['rider not at pickup', 'vehicle issue', 'unsafe pickup location'])[1 + floor(r_cancel * 3)::int]
                   END,
                   requested_at,
                   CASE WHEN completed THEN started_at + act_dur * interval '1 second' ELSE cancelled_at END
              FROM (
                SELECT t.*,
                       round((150000 + 35 * est_dist + 67 * (round(est_dist / 6.5)::int + 120))
                             * CASE tier WHEN 'vip' THEN 3.5 WHEN 'premium' THEN 1.8 ELSE 1.0 END
                             * CASE vehicle WHEN 'luxury' THEN 1.6 WHEN 'premium' THEN 1.3 WHEN 'suv' THEN 1.2
                                            WHEN 'van' THEN 1.25 ELSE 1.0 END
                             * surge)::bigint AS est_fare,
                       assigned_at + (120 + 780 * r_arrive + 30 + 270 * r_start) * interval '1 second' AS started_at,
                       CASE WHEN completed THEN NULL
                            WHEN cancelled_by = 'driver' THEN assigned_at + (60 + 600 * r_cancel) * interval '1 second'
                            ELSE requested_at + (30 + 570 * r_cancel) * interval '1 second' END AS cancelled_at,
                       round(est_dist / 6.5)::int + 120 AS est_dur,
                       round(act_dist / (4.0 + 5.0 * r_speed))::int + 60 AS act_dur
                  FROM (
                    SELECT u.*,
                           status = 'completed' AS completed,
                           status = 'completed' OR cancelled_by = 'driver' AS has_driver,
                           round(straight_m * 1.3)::int + 200 AS est_dist,
                           round(straight_m * (1.2 + 0.3 * r_road))::int + 200 AS act_dist,
                           CASE WHEN billing = 'surge_pricing' THEN round((1.2 + 1.3 * r_surge)::numeric, 2)
                                ELSE 1.00 END AS surge,
                           (CASE tier
                                WHEN 'vip' THEN CASE WHEN r_vehicle < 0.60 THEN 'luxury' WHEN r_vehicle < 0.85 THEN 'premium' ELSE 'suv' END
                                WHEN 'premium' THEN CASE WHEN r_vehicle < 0.40 THEN 'premium' WHEN r_vehicle < 0.75 THEN 'suv' ELSE 'sedan' END
                                ELSE CASE WHEN r_vehicle < 0.65 THEN 'sedan' WHEN r_vehicle < 0.80 THEN 'suv'
                                          WHEN r_vehicle < 0.90 THEN 'van' ELSE 'premium' END
                            END)::public.vehicle_type AS vehicle,
                           requested_at + (20 + 280 * r_assign) * interval '1 second' AS assigned_at
                      FROM (
                        SELECT s.*,
                               sqrt(((dlng - plng) * 110600) ^ 2 + ((dlat - plat) * 110574) ^ 2) AS straight_m
                          FROM (
                            SELECT r.*,
                                   ${tierOfC} AS tier,
                                   (CASE WHEN r_status < 0.92 THEN 'completed' ELSE 'cancelled' END)::public.ride_status AS status,
                                   (CASE WHEN r_cancel_by < 0.65 THEN 'customer' ELSE 'driver' END)::public.user_type AS cancelled_by,
                                   (CASE WHEN r_billing < 0.55 THEN 'per_ride' WHEN r_billing < 0.70 THEN 'distance_based'
                                         WHEN r_billing < 0.80 THEN 'time_based' WHEN r_billing < 0.92 THEN 'surge_pricing'
                                         ELSE 'flat_rate' END)::public.billing_model AS billing,
                                   -- Never the pickup point itself (rides_distinct_ends_chk).
                                   CASE WHEN dlat0 = plat AND dlng = plng THEN dlat0 - 0.0005 ELSE dlat0 END AS dlat
                              FROM (
                                SELECT q.*,
                                       least(6.70, greatest(6.40, round((plat + (r_dlat - 0.5) * 0.16)::numeric, 6)::float8)) AS dlat0,
                                       least(3.60, greatest(3.10, round((plng + (r_dlng - 0.5) * 0.24)::numeric, 6)::float8)) AS dlng
                                  FROM (
                                    SELECT 1 + floor(random() * ${customers})::int AS c,
                                           1 + floor(random() * ${drivers})::int AS d,
                                           timestamptz '${from}' + random() * ${span} * interval '1 second' AS requested_at,
                                           round((6.40 + 0.30 * random())::numeric, 6)::float8 AS plat,
                                           round((3.10 + 0.50 * random())::numeric, 6)::float8 AS plng,
                                           random() AS r_status, random() AS r_cancel_by, random() AS r_billing,
                                           random() AS r_vehicle, random() AS r_prio, random() AS r_dlat,
                                           random() AS r_dlng, random() AS r_road, random() AS r_speed,
                                           random() AS r_fare, random() AS r_surge, random() AS r_assign,
                                           random() AS r_arrive, random() AS r_start, random() AS r_cancel,
                                           random() AS r_paddr, random() AS r_daddr
                                      FROM generate_series(1, ${rows})
                                  OFFSET 0) AS q
                              OFFSET 0) AS r
                          OFFSET 0) AS s
                      OFFSET 0) AS u
                  OFFSET 0) AS t
              ) AS ride
            """;

    /** The tier of customer number {@code n} (an SQL expression naming it), as the generator assigns it. */
    public static String tierOf(String n) {
        return TIER_OF.replace("${n}", n);
    }

    /** Settings: -Dbench.customers, -Dbench.drivers, -Dbench.rides, -Dbench.months, -Dbench.batchRows, -Dbench.seed. */
    public record Config(
            int customers, int drivers, long rides, int months, int batchRows, long seed, boolean ridesWithTriggers) {

        public static Config from(BenchSettings settings) {
            return from(settings, 1_000_000, 12);
        }

        /** The same settings with a scenario's own default size (-Dbench.rides and -Dbench.months still win). */
        public static Config from(BenchSettings settings, long defaultRides, int defaultMonths) {
            int customers = settings.integer("customers", 50_000);
            Config config = new Config(
                    customers,
                    settings.integer("drivers", Math.max(50, customers / 50)),
                    settings.longValue("rides", defaultRides),
                    settings.integer("months", defaultMonths),
                    settings.integer("batchRows", 100_000),
                    settings.longValue("seed", 42),
                    settings.bool("loadWithTriggers", false));
            if (config.customers < 1
                    || config.customers > 99_999_999
                    || config.drivers < 1
                    || config.drivers > 99_999_999
                    || config.rides < 0
                    || config.months < 1
                    || config.months > 120
                    || config.batchRows < 1) {
                throw new IllegalArgumentException("Out of range: " + config);
            }
            return config;
        }
    }

    /** One month of rides: its first day, and the requested_at range its rides are spread over. */
    public record Month(LocalDate firstDay, Instant from, Instant until, long rides) {

        /** Start of the next month: the exclusive upper bound of the month's partition. */
        public Instant nextMonth() {
            return firstDay.plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
    }

    private final Config config;
    private final PrintStream out;

    public RideDataGenerator(Config config, PrintStream out) {
        this.config = config;
        this.out = out;
    }

    public Config config() {
        return config;
    }

    /**
     * The K months ending with the current UTC month, with their share of the rides. In the current
     * month rides end three hours before now, so every completed ride lies in the past.
     */
    public List<Month> months() {
        Instant now = Instant.now();
        YearMonth current = YearMonth.now(ZoneOffset.UTC);
        List<Month> months = new ArrayList<>();
        for (int i = 0; i < config.months; i++) {
            YearMonth month = current.minusMonths(config.months - 1 - i);
            Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            Instant next = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            Instant until = next.isAfter(now.minus(Duration.ofHours(3))) ? now.minus(Duration.ofHours(3)) : next;
            if (!until.isAfter(from)) {
                until = from.plus(Duration.ofMinutes(1));
            }
            long share = config.rides / config.months + (i < config.rides % config.months ? 1 : 0);
            months.add(new Month(month.atDay(1), from, until, share));
        }
        return months;
    }

    /** Loads everything into an empty, migrated database and returns what it did, for the report. */
    public Map<String, Object> load(Connection superuser) throws SQLException {
        Map<String, Object> report = new LinkedHashMap<>();
        List<Month> months = months();
        superuser.setAutoCommit(true);
        try (Statement statement = superuser.createStatement()) {
            long existingRides = Sql.queryLong(statement, "SELECT count(*) FROM public.rides");
            long existingCustomers = Sql.queryLong(
                    statement, "SELECT count(*) FROM public.users WHERE email LIKE 'rider%" + EMAIL_DOMAIN + "'");
            if (existingRides == config.rides && existingCustomers == config.customers) {
                out.printf(
                        "[load] reusing the %,d customers and %,d rides already in the database%n",
                        existingCustomers, existingRides);
                report.put("reused", true);
                describe(statement, report);
                return report;
            }
            if (existingRides > 0 || existingCustomers > 0) {
                throw new IllegalStateException("The database already holds " + existingRides + " rides and "
                        + existingCustomers + " bench customers, not the requested data set; use a fresh cluster");
            }
            report.put("reused", false);
            // Same settings, same data: random() is seeded for this session.
            statement.execute("SELECT setseed(" + ((config.seed % 1000) / 1000.0) + ")");

            long started = System.nanoTime();
            for (Month month : months) {
                statement.execute("SELECT public.create_monthly_ride_partition(DATE '" + month.firstDay() + "')");
            }
            out.printf(
                    "[load] %d monthly ride partitions ready (%s … %s)%n",
                    months.size(),
                    months.get(0).firstDay(),
                    months.get(months.size() - 1).firstDay());

            long phase = System.nanoTime();
            long ageDays = config.months * 31L + 60;
            for (int from = 1; from <= config.customers; from += config.batchRows) {
                int to = (int) Math.min(config.customers, (long) from + config.batchRows - 1);
                statement.executeUpdate(fill(INSERT_CUSTOMERS, Map.of("from", from, "to", to, "ageDays", ageDays)));
                progress("customers", to, config.customers, phase, "");
            }
            double customerSeconds = Elapsed.secondsSince(phase);

            phase = System.nanoTime();
            statement.executeUpdate(fill(INSERT_DRIVER_USERS, Map.of("ageDays", ageDays)));
            statement.executeUpdate(fill(INSERT_DRIVERS, Map.of()));
            progress("drivers", config.drivers, config.drivers, phase, "");
            double driverSeconds = Elapsed.secondsSince(phase);

            // Rides are the bulk: 1M audit rows (the statement-level audit trigger logs every inserted
            // row as JSON) and 3M foreign-key look-ups would dominate the load and are not what any
            // scenario measures. So, as the superuser, the rides load runs with
            // session_replication_role = replica, which skips triggers and FK checks; every row is
            // generated to satisfy the FKs and all CHECK constraints (those are still enforced).
            // -Dbench.loadWithTriggers=true loads them the normal way instead.
            if (!config.ridesWithTriggers) {
                statement.execute("SET session_replication_role = replica");
            }
            phase = System.nanoTime();
            long loaded = 0;
            for (Month month : months) {
                double span = Duration.between(month.from(), month.until()).toNanos() / 1e9;
                for (long done = 0; done < month.rides(); ) {
                    long rows = Math.min(config.batchRows, month.rides() - done);
                    long batchStart = System.nanoTime();
                    statement.executeUpdate(
                            fill(INSERT_RIDES, Map.of("rows", rows, "from", month.from(), "span", span)));
                    done += rows;
                    loaded += rows;
                    progress(
                            "rides",
                            loaded,
                            config.rides,
                            phase,
                            String.format(
                                    " — %s batch %,.0f rows/s",
                                    month.firstDay().toString().substring(0, 7),
                                    rows / Elapsed.secondsSince(batchStart)));
                }
            }
            double rideSeconds = Elapsed.secondsSince(phase);
            statement.execute("RESET session_replication_role");

            phase = System.nanoTime();
            statement.execute("VACUUM (ANALYZE) public.users, public.drivers, public.rides");
            double analyzeSeconds = Elapsed.secondsSince(phase);
            out.printf(
                    "[load] VACUUM (ANALYZE) in %.1f s; load done in %.1f s%n",
                    analyzeSeconds, Elapsed.secondsSince(started));

            Map<String, Object> timing = new LinkedHashMap<>();
            timing.put("customers_s", LatencyStats.round2(customerSeconds));
            timing.put("drivers_s", LatencyStats.round2(driverSeconds));
            timing.put("rides_s", LatencyStats.round2(rideSeconds));
            timing.put("rides_per_s", Math.round(config.rides / rideSeconds));
            timing.put("customers_per_s", Math.round(config.customers / customerSeconds));
            timing.put("vacuum_analyze_s", LatencyStats.round2(analyzeSeconds));
            timing.put("total_s", LatencyStats.round2(Elapsed.secondsSince(started)));
            timing.put(
                    "rides_loaded_with",
                    config.ridesWithTriggers
                            ? "triggers and FK checks on"
                            : "session_replication_role = replica (no triggers, no FK checks)");
            report.put("load", timing);
            describe(statement, report);
        }
        return report;
    }

    private void describe(Statement statement, Map<String, Object> report) throws SQLException {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("customers", config.customers);
        data.put("drivers", config.drivers);
        data.put("rides", config.rides);
        data.put("months", config.months);
        data.put("seed", config.seed);
        Map<String, Object> tiers = new LinkedHashMap<>();
        try (ResultSet rs =
                statement.executeQuery("SELECT tier, count(*) FROM public.users WHERE user_type = 'customer'"
                        + " AND email LIKE '%" + EMAIL_DOMAIN + "' GROUP BY tier ORDER BY tier")) {
            while (rs.next()) {
                tiers.put(rs.getString(1), rs.getLong(2));
            }
        }
        data.put("customer_tiers", tiers);
        Map<String, Object> partitions = new LinkedHashMap<>();
        try (ResultSet rs = statement.executeQuery("SELECT c.relname, c.reltuples::bigint FROM pg_inherits i"
                + " JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'public.rides'::regclass ORDER BY 1")) {
            while (rs.next()) {
                partitions.put(rs.getString(1), Math.max(0, rs.getLong(2)));
            }
        }
        data.put("ride_partitions_estimated_rows", partitions);
        data.put(
                "rides_table_size",
                Sql.queryText(
                        statement,
                        "SELECT pg_size_pretty(sum(pg_table_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'public.rides'::regclass"));
        data.put(
                "rides_index_size",
                Sql.queryText(
                        statement,
                        "SELECT pg_size_pretty(sum(pg_indexes_size(inhrelid))) FROM pg_inherits WHERE inhparent = 'public.rides'::regclass"));
        report.put("data", data);
    }

    private void progress(String what, long done, long total, long startedNanos, String extra) {
        double seconds = Elapsed.secondsSince(startedNanos);
        out.printf(
                "[load] %-9s %5.1f%%  %,12d / %,d  %,10.0f rows/s%s%n",
                what, 100.0 * done / Math.max(1, total), done, total, done / Math.max(seconds, 1e-9), extra);
    }

    /** Fills ${name} placeholders; values are numbers and instants the generator made, never input text. */
    private String fill(String template, Map<String, Object> values) {
        Map<String, Object> all = new LinkedHashMap<>(values);
        all.put("domain", EMAIL_DOMAIN);
        all.put("firstNames", FIRST_NAMES);
        all.put("lastNames", LAST_NAMES);
        all.put("places", PLACES);
        all.put("customers", config.customers);
        all.put("drivers", config.drivers);
        all.put("tier", tierOf("i"));
        all.put("tierOfC", tierOf("c"));
        String sql = template;
        for (Map.Entry<String, Object> entry : all.entrySet()) {
            sql = sql.replace("${" + entry.getKey() + "}", String.valueOf(entry.getValue()));
        }
        if (sql.contains("${")) {
            throw new IllegalStateException("Unfilled placeholder in: " + sql);
        }
        return sql;
    }
}
