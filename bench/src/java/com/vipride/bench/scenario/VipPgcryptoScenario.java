package com.vipride.bench.scenario;

import com.vipride.bench.BenchContext;
import com.vipride.bench.BenchSettings;
import com.vipride.bench.Scenario;
import com.vipride.bench.Sql;
import com.vipride.bench.load.LagosTracks;
import com.vipride.bench.load.VipDrives;
import com.vipride.bench.measure.CpuMeter;
import com.vipride.bench.measure.LatencyStats;
import com.vipride.bench.measure.ServiceUnderTest;
import com.vipride.bench.measure.ServiceUnderTest.Account;
import com.vipride.bench.measure.TimedWorkers;
import com.vipride.bench.report.ScenarioReport;
import com.vipride.vip.LocationBatch;
import com.vipride.vip.LocationIngestService;
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
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The naive design against ours, on the same points. Naive: PostgreSQL encrypts each point with
 * pgcrypto — {@code pgp_sym_encrypt(coords_json, passphrase, 'cipher-algo=aes256')} — one INSERT per
 * point into a scratch table of the same shape as {@code vip_data.vip_location_history}. Ours: the
 * service seals each point with AES-256-GCM (Tink, per-VIP data key) and writes the batch with one
 * {@code INSERT … unnest}: {@code LocationIngestService.ingest} called in-process (no HTTP, no JSON —
 * the HTTP path is {@code vip-ingest}), as the VIP, into the real table.
 *
 * <p>Two controls split the difference into its causes: the same row-by-row INSERT with a
 * service-sized ciphertext passed in (no pgcrypto: the cost of one statement per point), and pgcrypto in
 * one {@code INSERT … SELECT pgp_sym_encrypt(…) FROM unnest(…)} per 1000 points (pgcrypto's own cost).
 * All four sides run on the same number of threads/connections, 1000 points per transaction, in
 * alternating time-boxed blocks (A B C D, D C B A, …), each starting at the first point of the same sequence,
 * on an emptied table after a CHECKPOINT.
 */
public final class VipPgcryptoScenario implements Scenario {

    static final double TARGET_RATIO = 10.0;
    static final String SCRATCH = "bench_scratch.vip_location_pgcrypto";
    static final String PGCRYPTO_ROW =
            "INSERT INTO " + SCRATCH + " (user_id, encrypted_coordinates, accuracy_m, speed_kmh, "
                    + "heading_deg, location_type, recorded_at) VALUES (?, pgp_sym_encrypt(?, ?, 'cipher-algo=aes256'), ?, ?, ?, ?, ?)";
    static final String PLAIN_ROW =
            "INSERT INTO " + SCRATCH + " (user_id, encrypted_coordinates, accuracy_m, speed_kmh, "
                    + "heading_deg, location_type, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    static final String PGCRYPTO_BATCH =
            "INSERT INTO " + SCRATCH + " (user_id, encrypted_coordinates, accuracy_m, speed_kmh, "
                    + "heading_deg, location_type, recorded_at) SELECT ?, pgp_sym_encrypt(p.coords, ?, 'cipher-algo=aes256'), p.accuracy, "
                    + "p.speed, p.heading, p.kind, p.recorded_at FROM unnest(?::text[], ?::real[], ?::real[], ?::real[], ?::text[], "
                    + "?::timestamptz[]) AS p(coords, accuracy, speed, heading, kind, recorded_at)";

    private static final String OURS = "ours: service-side AES-256-GCM + one INSERT … unnest per 1000 points";
    private static final String NAIVE = "naive: pgp_sym_encrypt in PostgreSQL, one INSERT per point";
    private static final String ROWWISE_PLAIN = "control: one INSERT per point, ciphertext passed in (no pgcrypto)";
    private static final String PGCRYPTO_BATCHED = "control: pgp_sym_encrypt in one INSERT … unnest per 1000 points";

    @Override
    public String name() {
        return "vip-pgcrypto";
    }

    @Override
    public String title() {
        return "VIP location writes: pgcrypto pgp_sym_encrypt row by row (the naive design) vs. service-side AES-256-GCM "
                + "with one batched INSERT (ours), same points";
    }

    static String threadGroup(String name) {
        if (name == null) {
            return "other JVM threads";
        }
        if (name.startsWith("bench-side")) {
            return "measured threads (service code in-process, JDBC clients)";
        }
        return "other JVM threads";
    }

    private interface Worker {
        /** Writes one transaction of points starting at {@code next}; returns how many points were committed. */
        int writeBatch(int next) throws Exception;
    }

    private interface WorkerFactory {
        Worker open(int thread, List<AutoCloseable> resources) throws Exception;
    }

    private record Side(String key, String label, WorkerFactory factory) {}

    private static final class Tally {
        long points;
        double seconds;
        long transactions;
        final LatencyStats transactionTimes = new LatencyStats(1024);
        final List<Map<String, Object>> blocks = new ArrayList<>();
        final List<Map<String, Object>> cpu = new ArrayList<>();

        double rate() {
            return points / seconds;
        }
    }

    @Override
    public ScenarioReport run(BenchContext context) throws Exception {
        PrintStream out = context.out();
        BenchSettings settings = context.settings();
        int threads = settings.integer("threads", 2);
        int blockSeconds = settings.integer("blockSeconds", 10);
        int rounds = settings.integer("rounds", 2);
        int warmupSeconds = settings.integer("warmupSeconds", 5);
        int vipCount = settings.integer("vips", 2);
        int batchCount = settings.integer("bodies", 64);
        int batchPoints = settings.integer("batchPoints", 1000);
        long seed = settings.longValue("seed", 42);
        String passphrase = "bench-passphrase-" + Long.toHexString(new SplittableRandom(seed).nextLong());

        ScenarioReport report = new ScenarioReport();
        CpuMeter meter = new CpuMeter(context.server().dataDirectory(), VipPgcryptoScenario::threadGroup);
        try (ServiceUnderTest service = ServiceUnderTest.start(context)) {
            VipDrives setup = VipDrives.create(service, vipCount, batchCount, batchPoints, seed);
            List<Account> vips = setup.vips();
            createScratchTable(context);

            // The same points for every side: batch b belongs to VIP b % vips; point i of the sequence is
            // point i % 1000 of batch i / 1000.
            List<List<LagosTracks.Point>> drives = setup.drives();
            List<LocationBatch> requests =
                    drives.stream().map(LagosTracks::batch).toList();
            List<List<String>> plaintexts = drives.stream()
                    .map(d -> d.stream().map(LagosTracks::plaintext).toList())
                    .toList();
            int envelopeBytes = serviceEnvelopeBytes(context, service, vips.get(0), requests.get(0));
            SplittableRandom bytes = new SplittableRandom(seed + 1);
            List<byte[]> fakeCiphertexts = new ArrayList<>();
            for (int i = 0; i < 4096; i++) {
                byte[] c = new byte[envelopeBytes];
                for (int k = 0; k < c.length; k++) {
                    c[k] = (byte) bytes.nextInt(256);
                }
                fakeCiphertexts.add(c);
            }
            LocationIngestService ingest = service.bean(LocationIngestService.class);
            out.printf(
                    "[vip-pgcrypto] %d VIPs, %d batches of %d points, %d threads per side, %d rounds of %d s blocks%n",
                    vips.size(), drives.size(), batchPoints, threads, rounds, blockSeconds);

            List<Side> sides = List.of(
                    new Side("ours", OURS, (thread, resources) -> {
                        return next -> {
                            int b = (next / batchPoints) % requests.size();
                            service.actAs(setup.vipOf(b));
                            try {
                                return ingest.ingest(requests.get(b)).accepted();
                            } finally {
                                ServiceUnderTest.actAsNobody();
                            }
                        };
                    }),
                    new Side("naive_pgcrypto_row_by_row", NAIVE, (thread, resources) -> {
                        Connection connection = context.superuser();
                        resources.add(connection);
                        connection.setAutoCommit(false);
                        PreparedStatement insert = connection.prepareStatement(PGCRYPTO_ROW);
                        return next -> {
                            int b = (next / batchPoints) % drives.size();
                            List<LagosTracks.Point> drive = drives.get(b);
                            UUID vip = setup.vipOf(b).id();
                            for (int k = 0; k < drive.size(); k++) {
                                LagosTracks.Point p = drive.get(k);
                                insert.setObject(1, vip);
                                insert.setString(2, plaintexts.get(b).get(k));
                                insert.setString(3, passphrase);
                                insert.setFloat(4, p.accuracyM());
                                insert.setFloat(5, p.speedKmh());
                                insert.setFloat(6, p.headingDeg());
                                insert.setString(7, p.type());
                                insert.setObject(8, OffsetDateTime.ofInstant(p.recordedAt(), ZoneOffset.UTC));
                                insert.executeUpdate();
                            }
                            connection.commit();
                            return drive.size();
                        };
                    }),
                    new Side("control_row_by_row_no_pgcrypto", ROWWISE_PLAIN, (thread, resources) -> {
                        Connection connection = context.superuser();
                        resources.add(connection);
                        connection.setAutoCommit(false);
                        PreparedStatement insert = connection.prepareStatement(PLAIN_ROW);
                        return next -> {
                            int b = (next / batchPoints) % drives.size();
                            List<LagosTracks.Point> drive = drives.get(b);
                            UUID vip = setup.vipOf(b).id();
                            for (int k = 0; k < drive.size(); k++) {
                                LagosTracks.Point p = drive.get(k);
                                insert.setObject(1, vip);
                                insert.setBytes(
                                        2, fakeCiphertexts.get((b * drive.size() + k) % fakeCiphertexts.size()));
                                insert.setFloat(3, p.accuracyM());
                                insert.setFloat(4, p.speedKmh());
                                insert.setFloat(5, p.headingDeg());
                                insert.setString(6, p.type());
                                insert.setObject(7, OffsetDateTime.ofInstant(p.recordedAt(), ZoneOffset.UTC));
                                insert.executeUpdate();
                            }
                            connection.commit();
                            return drive.size();
                        };
                    }),
                    new Side("control_pgcrypto_batched", PGCRYPTO_BATCHED, (thread, resources) -> {
                        Connection connection = context.superuser();
                        resources.add(connection);
                        connection.setAutoCommit(false);
                        PreparedStatement insert = connection.prepareStatement(PGCRYPTO_BATCH);
                        return next -> {
                            int b = (next / batchPoints) % drives.size();
                            List<LagosTracks.Point> drive = drives.get(b);
                            int n = drive.size();
                            Float[] acc = new Float[n];
                            Float[] speed = new Float[n];
                            Float[] heading = new Float[n];
                            Object[] kind = new Object[n];
                            Object[] at = new Object[n];
                            for (int k = 0; k < n; k++) {
                                LagosTracks.Point p = drive.get(k);
                                acc[k] = p.accuracyM();
                                speed[k] = p.speedKmh();
                                heading[k] = p.headingDeg();
                                kind[k] = p.type();
                                at[k] = p.recordedAt().toString();
                            }
                            insert.setObject(1, setup.vipOf(b).id());
                            insert.setString(2, passphrase);
                            insert.setArray(
                                    3,
                                    connection.createArrayOf(
                                            "text", plaintexts.get(b).toArray()));
                            insert.setArray(4, connection.createArrayOf("float4", acc));
                            insert.setArray(5, connection.createArrayOf("float4", speed));
                            insert.setArray(6, connection.createArrayOf("float4", heading));
                            insert.setArray(7, connection.createArrayOf("text", kind));
                            insert.setArray(8, connection.createArrayOf("text", at));
                            int inserted = insert.executeUpdate();
                            connection.commit();
                            return inserted;
                        };
                    }));

            Map<String, Tally> tallies = new LinkedHashMap<>();
            Map<String, Long> expected = new LinkedHashMap<>(Map.of("vip_data.vip_location_history", 1L, SCRATCH, 0L));
            Map<String, Tally> warmups = new LinkedHashMap<>();
            for (Side side : sides) {
                tallies.put(side.key(), new Tally());
                Tally warm = new Tally();
                warmups.put(side.key(), warm);
                runBlock(side, threads, warmupSeconds, warm, meter);
                expected.merge(table(side), warm.points, Long::sum);
                out.printf("[vip-pgcrypto] warm-up %-32s %,9.0f points/s%n", side.key(), warm.rate());
            }
            for (int round = 0; round < rounds; round++) {
                List<Side> order = new ArrayList<>(sides);
                if (round % 2 == 1) {
                    java.util.Collections.reverse(order);
                }
                for (Side side : order) {
                    Tally tally = tallies.get(side.key());
                    reset(context, table(side), expected);
                    long before = tally.points;
                    double rate = runBlock(side, threads, blockSeconds, tally, meter);
                    expected.merge(table(side), tally.points - before, Long::sum);
                    out.printf("[vip-pgcrypto] round %d %-32s %,9.0f points/s%n", round + 1, side.key(), rate);
                }
            }

            // ---- checks: the rows are there and both kinds of ciphertext open ----
            Map<String, Object> checks = checks(context, passphrase, expected, plaintexts, envelopeBytes);
            report.check(Boolean.TRUE.equals(checks.get("passed")));

            double ours = tallies.get("ours").rate();
            double naive = tallies.get("naive_pgcrypto_row_by_row").rate();
            double ratio = ours / naive;
            Map<String, Object> settingsJson = new LinkedHashMap<>();
            settingsJson.put("threads_per_side", threads);
            settingsJson.put("block_seconds", blockSeconds);
            settingsJson.put("rounds", rounds);
            settingsJson.put("warmup_seconds_per_side", warmupSeconds);
            settingsJson.put("vips", vipCount);
            settingsJson.put("batches", batchCount);
            settingsJson.put("points_per_transaction", batchPoints);
            settingsJson.put("seed", seed);
            settingsJson.put(
                    "pgcrypto_call",
                    "pgp_sym_encrypt(coords_json, passphrase, 'cipher-algo=aes256') — defaults otherwise "
                            + "(s2k-mode 3: iterated, salted S2K key derivation on every call)");
            settingsJson.put(
                    "naive_and_control_login",
                    "postgres (superuser: no RLS; the scratch table has the same columns, "
                            + "CHECKs, indexes, FK to users and monthly partitioning)");
            settingsJson.put(
                    "ours_login", "app_backend as customer_user (the VIP), via the service's transaction manager");
            report.put("settings", settingsJson);
            report.put("service", service.startupFacts());
            Map<String, Object> sidesJson = new LinkedHashMap<>();
            for (Side side : sides) {
                Tally t = tallies.get(side.key());
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("what", side.label());
                json.put("points", t.points);
                json.put("seconds", LatencyStats.round2(t.seconds));
                json.put("points_per_s", Math.round(t.rate()));
                json.put("transactions", t.transactions);
                Map<String, Object> transactionMs = new LinkedHashMap<>();
                transactionMs.put("p50", LatencyStats.round1(t.transactionTimes.percentileMicros(50) / 1000));
                transactionMs.put("p99", LatencyStats.round1(t.transactionTimes.percentileMicros(99) / 1000));
                json.put("transaction_ms", transactionMs);
                double[] cpu = cpuMicrosPerPoint(t);
                json.put("jvm_cpu_us_per_point", LatencyStats.round1(cpu[0]));
                json.put("postgres_cpu_us_per_point", LatencyStats.round1(cpu[1]));
                json.put("blocks", t.blocks);
                json.put("cpu_per_block", t.cpu);
                sidesJson.put(side.key(), json);
            }
            report.put("sides", sidesJson);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ours_points_per_s", Math.round(ours));
            result.put("naive_pgcrypto_points_per_s", Math.round(naive));
            result.put("ratio_ours_to_naive", LatencyStats.round1(ratio));
            result.put("target_ratio", TARGET_RATIO);
            result.put("meets_target", ratio >= TARGET_RATIO);
            result.put(
                    "row_by_row_cost_ratio",
                    LatencyStats.round1(
                            ours / tallies.get("control_row_by_row_no_pgcrypto").rate()));
            result.put(
                    "pgcrypto_cost_ratio_row_by_row",
                    LatencyStats.round1(
                            tallies.get("control_row_by_row_no_pgcrypto").rate() / naive));
            result.put(
                    "ours_to_pgcrypto_batched_ratio",
                    LatencyStats.round1(
                            ours / tallies.get("control_pgcrypto_batched").rate()));
            report.put("result", result);
            report.put("checks", checks);

            markdown(report, sides, tallies, result, checks, settingsJson);
            report.summary(String.format(
                    "ours %,.0f points/s vs. naive pgcrypto row by row %,.0f points/s: %.1f× (target ≥ %.0f×: %s)",
                    ours, naive, ratio, TARGET_RATIO, ratio >= TARGET_RATIO ? "met" : "NOT met"));
            for (Side side : sides) {
                report.summary(String.format(
                        "  %-34s %,9.0f points/s",
                        side.key(), tallies.get(side.key()).rate()));
            }
            report.summary("checks: " + checks);
        }
        return report;
    }

    /** Runs one time-boxed block of a side on {@code threads} threads; adds to the tally; returns points/s. */
    private static double runBlock(Side side, int threads, int seconds, Tally tally, CpuMeter meter) throws Exception {
        long[] points = new long[threads];
        long[] transactions = new long[threads];
        List<AutoCloseable> resources = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(side.factory().open(t, resources));
        }
        TimedWorkers.Block run = TimedWorkers.run(
                threads,
                seconds,
                "bench-side-" + side.key() + "-",
                TimedWorkers.End.EARLY_WHEN_A_WORKER_STOPS,
                meter,
                thread -> {
                    int[] next = {0};
                    return () -> {
                        long t0 = System.nanoTime();
                        int written = workers.get(thread).writeBatch(next[0]);
                        long took = System.nanoTime() - t0;
                        points[thread] += written;
                        transactions[thread]++;
                        next[0] += written;
                        return took;
                    };
                });
        double elapsed = run.seconds();
        for (AutoCloseable resource : resources) {
            resource.close();
        }
        if (run.failure() != null) {
            throw new IllegalStateException(
                    side.key() + " failed: " + run.failure().getMessage(), run.failure());
        }
        long total = java.util.Arrays.stream(points).sum();
        tally.points += total;
        tally.seconds += elapsed;
        tally.transactions += java.util.Arrays.stream(transactions).sum();
        run.recordInto(tally.transactionTimes);
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("points", total);
        block.put("seconds", LatencyStats.round2(elapsed));
        block.put("points_per_s", Math.round(total / elapsed));
        tally.blocks.add(block);
        tally.cpu.add(run.cpu());
        return total / elapsed;
    }

    private static void createScratchTable(BenchContext context) throws SQLException {
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS bench_scratch");
            statement.execute("DROP TABLE IF EXISTS " + SCRATCH);
            // Same columns, defaults, CHECKs and indexes (PK (id, recorded_at), (user_id, recorded_at DESC), ride_id),
            // the FK to users, and monthly range partitions like the real table.
            statement.execute("CREATE TABLE " + SCRATCH + " (LIKE vip_data.vip_location_history INCLUDING DEFAULTS "
                    + "INCLUDING CONSTRAINTS INCLUDING INDEXES) PARTITION BY RANGE (recorded_at)");
            statement.execute("ALTER TABLE " + SCRATCH + " ADD FOREIGN KEY (user_id) REFERENCES public.users (id)");
            statement.execute("""
                    DO $$
                    DECLARE m timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
                    BEGIN
                        EXECUTE format('CREATE TABLE bench_scratch.vip_location_pgcrypto_current PARTITION OF %s '
                                       'FOR VALUES FROM (%L) TO (%L)', 'bench_scratch.vip_location_pgcrypto', m, m + interval '1 month');
                        EXECUTE 'CREATE TABLE bench_scratch.vip_location_pgcrypto_default PARTITION OF '
                                'bench_scratch.vip_location_pgcrypto DEFAULT';
                    END $$""");
        }
    }

    /** The size of the envelope the service writes for one point: one point through the service, read back. */
    private static int serviceEnvelopeBytes(
            BenchContext context, ServiceUnderTest service, Account vip, LocationBatch batch) throws Exception {
        service.actAs(vip);
        try {
            service.bean(LocationIngestService.class)
                    .ingest(new LocationBatch(null, batch.points().subList(0, 1)));
        } finally {
            ServiceUnderTest.actAsNobody();
        }
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement()) {
            return (int) Math.round(LatencyStats.round1(Sql.queryDouble(
                    statement, "SELECT avg(octet_length(encrypted_coordinates)) FROM vip_data.vip_location_history")));
        }
    }

    private static String table(Side side) {
        return side.key().equals("ours") ? "vip_data.vip_location_history" : SCRATCH;
    }

    /** Before every measured block: the side's table emptied and a fresh checkpoint, so every block starts alike. */
    private static void reset(BenchContext context, String table, Map<String, Long> expected) throws SQLException {
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement()) {
            statement.execute("TRUNCATE " + table);
            statement.execute("CHECKPOINT");
        }
        expected.put(table, 0L);
    }

    private static Map<String, Object> checks(
            BenchContext context,
            String passphrase,
            Map<String, Long> expected,
            List<List<String>> plaintexts,
            int envelopeBytes)
            throws SQLException {
        Map<String, Object> checks = new LinkedHashMap<>();
        long oursExpected = expected.get("vip_data.vip_location_history");
        long scratchExpected = expected.get(SCRATCH);
        boolean passed;
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement()) {
            long oursRows = Sql.queryLong(statement, "SELECT count(*) FROM vip_data.vip_location_history");
            long scratchRows = Sql.queryLong(statement, "SELECT count(*) FROM " + SCRATCH);
            checks.put("ours_rows_expected", oursExpected);
            checks.put("ours_rows_stored", oursRows);
            checks.put("scratch_rows_expected", scratchExpected);
            checks.put("scratch_rows_stored", scratchRows);
            checks.put("ours_envelope_bytes", envelopeBytes);
            checks.put(
                    "pgcrypto_ciphertext_bytes_avg",
                    LatencyStats.round1(Sql.queryDouble(
                            statement,
                            "SELECT avg(octet_length(encrypted_coordinates)) FROM " + SCRATCH
                                    + " WHERE octet_length(encrypted_coordinates) <> " + envelopeBytes)));
            String opened;
            try (PreparedStatement decrypt =
                    superuser.prepareStatement("SELECT pgp_sym_decrypt(encrypted_coordinates, ?) FROM " + SCRATCH
                            + " WHERE octet_length(encrypted_coordinates) <> " + envelopeBytes + " LIMIT 1")) {
                decrypt.setString(1, passphrase);
                try (ResultSet rs = decrypt.executeQuery()) {
                    opened = rs.next() ? rs.getString(1) : null;
                }
            }
            boolean known = opened != null && plaintexts.stream().anyMatch(batch -> batch.contains(opened));
            checks.put("pgcrypto_row_decrypts_to", opened);
            checks.put("pgcrypto_plaintext_is_one_of_the_points", known);
            passed = oursRows == oursExpected && scratchRows == scratchExpected && known;
        }
        checks.put("passed", passed);
        return checks;
    }

    /** JVM and PostgreSQL CPU-µs per point over a side's blocks, and the mean cores of JVM, PostgreSQL, other processes. */
    static double[] cpuMicrosPerPoint(Tally t) {
        double jvm = 0;
        double postgres = 0;
        double other = 0;
        double seconds = 0;
        for (Map<String, Object> cpu : t.cpu) {
            double s = ((Number) cpu.get("seconds")).doubleValue();
            jvm += ((Number) cpu.get("jvm_cores")).doubleValue() * s;
            postgres += ((Number) cpu.get("postgres_cores")).doubleValue() * s;
            other += ((Number) cpu.get("other_processes_cores")).doubleValue() * s;
            seconds += s;
        }
        long points = Math.max(1, t.points);
        return new double[] {
            jvm * 1e6 / points, postgres * 1e6 / points, jvm / seconds, postgres / seconds, other / seconds
        };
    }

    @SuppressWarnings("unchecked")
    private static void markdown(
            ScenarioReport report,
            List<Side> sides,
            Map<String, Tally> tallies,
            Map<String, Object> result,
            Map<String, Object> checks,
            Map<String, Object> settings) {
        report.paragraph(String.format(
                "Same points (1000-point drives through Lagos) on every side, %s threads/connections per side, "
                        + "1000 points per transaction, %s rounds of %s s blocks in alternating order (A B C D, D C B A), each block "
                        + "on an emptied table (TRUNCATE) after a CHECKPOINT. "
                        + "*Ours* calls the service's `LocationIngestService.ingest` in-process as the VIP (service-side Tink "
                        + "AES-256-GCM envelope per point, one `INSERT … unnest` per batch, into `vip_data.vip_location_history`); "
                        + "no HTTP and no JSON (those are in `vip-ingest`). The others write into `%s`, a scratch table of the same "
                        + "shape (columns, CHECKs, indexes, FK to users, monthly partitions), as the superuser. pgcrypto call: %s.",
                settings.get("threads_per_side"),
                settings.get("rounds"),
                settings.get("block_seconds"),
                SCRATCH,
                settings.get("pgcrypto_call")));
        List<List<String>> rows = new ArrayList<>();
        double ours = tallies.get("ours").rate();
        for (Side side : sides) {
            Tally t = tallies.get(side.key());
            double[] cpu = cpuMicrosPerPoint(t);
            rows.add(List.of(
                    side.label(),
                    String.format("%,.0f", t.rate()),
                    String.format("%,d", t.points),
                    String.format("%.1f", t.transactionTimes.percentileMicros(50) / 1000),
                    String.format("%.1f", t.transactionTimes.percentileMicros(99) / 1000),
                    String.format("%.2f / %.2f / %.2f", cpu[2], cpu[3], cpu[4]),
                    String.format("%.1f / %.1f", cpu[0], cpu[1]),
                    String.format("%.1f×", ours / t.rate())));
        }
        report.table(
                List.of(
                        "side",
                        "points/s",
                        "points",
                        "p50 ms per 1000",
                        "p99 ms per 1000",
                        "CPU cores: JVM / PostgreSQL / other processes",
                        "CPU µs per point: JVM / PostgreSQL",
                        "ours is … faster"),
                rows);
        report.table(
                List.of("result", "value"),
                List.of(
                        List.of("ours (points/s)", String.format("%,d", (Long) result.get("ours_points_per_s"))),
                        List.of(
                                "naive pgcrypto row by row (points/s)",
                                String.format("%,d", (Long) result.get("naive_pgcrypto_points_per_s"))),
                        List.of(
                                "ratio ours / naive",
                                result.get("ratio_ours_to_naive") + "× — target ≥ " + TARGET_RATIO + "×: "
                                        + ((Boolean) result.get("meets_target") ? "met" : "**not met**")),
                        List.of(
                                "of which one statement per point (ours / row-by-row without pgcrypto)",
                                result.get("row_by_row_cost_ratio") + "×"),
                        List.of(
                                "of which pgcrypto (row-by-row without / with pgcrypto)",
                                result.get("pgcrypto_cost_ratio_row_by_row") + "×"),
                        List.of("ours / pgcrypto batched", result.get("ours_to_pgcrypto_batched_ratio") + "×")));
        report.paragraph(String.format(
                "Ciphertext sizes: ours %s bytes (self-describing envelope with subject, row context, key id, IV, "
                        + "tag), pgcrypto %s bytes. Consistency: rows ours %s/%s, scratch %s/%s; a pgcrypto row decrypts to `%s` — %s.",
                checks.get("ours_envelope_bytes"),
                checks.get("pgcrypto_ciphertext_bytes_avg"),
                checks.get("ours_rows_stored"),
                checks.get("ours_rows_expected"),
                checks.get("scratch_rows_stored"),
                checks.get("scratch_rows_expected"),
                checks.get("pgcrypto_row_decrypts_to"),
                Boolean.TRUE.equals(checks.get("passed")) ? "passed" : "**FAILED**"));
    }
}
