package com.vipride.bench.scenario.vipingest;

import com.vipride.bench.BenchContext;
import com.vipride.bench.BenchSettings;
import com.vipride.bench.Scenario;
import com.vipride.bench.load.LagosTracks;
import com.vipride.bench.load.VipDrives;
import com.vipride.bench.measure.CpuMeter;
import com.vipride.bench.measure.JfrProfile;
import com.vipride.bench.measure.LatencyStats;
import com.vipride.bench.measure.ServiceThreads;
import com.vipride.bench.measure.ServiceUnderTest;
import com.vipride.bench.measure.ServiceUnderTest.Account;
import com.vipride.bench.measure.TimedWorkers;
import com.vipride.bench.report.ScenarioReport;
import com.vipride.vip.LocationBatch;
import com.vipride.vip.LocationIngestService;
import com.vipride.vip.crypto.FieldContext;
import com.vipride.vip.crypto.VipCipher;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * VIP location ingest through the real HTTP batch API — {@code POST /api/v1/vip/locations/batch}, 1000
 * points per request, each point's coordinates sealed with AES-256-GCM under the VIP's data key in the
 * service, the batch written with one {@code INSERT … SELECT FROM unnest(…)} — with the service, the
 * database and the load generator on the same machine. The ceiling, measured in the same run right
 * after each API block: a plain {@code COPY} (pgjdbc CopyManager, superuser) of as many rows of the same
 * shape (same columns, ciphertext of the service's envelope size) into the same table.
 *
 * <p>Then, at the best worker count, a profiled block (JFR execution samples per stage, CPU split
 * between the service, PostgreSQL and the load generator, pg_stat_statements) and single-threaded
 * timings of each stage of one 1000-point batch, to show where the time goes.
 */
public final class VipIngestScenario implements Scenario {

    static final double TARGET_POINTS_PER_S = 50_000;
    static final String TABLE = "vip_data.vip_location_history";
    static final String COLUMN = "encrypted_coordinates";
    static final String COPY_SQL = "COPY vip_data.vip_location_history (id, user_id, ride_id, ride_requested_at, "
            + "encrypted_coordinates, accuracy_m, speed_kmh, heading_deg, location_type, recorded_at) FROM STDIN";
    /** The statement of {@code VipLocations.insert}, verbatim (for the single-statement timing). */
    static final String INSERT_BATCH = """
            INSERT INTO vip_data.vip_location_history (id, user_id, ride_id, ride_requested_at, encrypted_coordinates,
                                                       accuracy_m, speed_kmh, heading_deg, location_type, recorded_at)
            SELECT p.id, ?, ?, ?, p.coordinates, p.accuracy, p.speed, p.heading, p.kind, p.recorded_at
              FROM unnest(?::uuid[], ?::bytea[], ?::real[], ?::real[], ?::real[], ?::text[], ?::timestamptz[])
                   AS p(id, coordinates, accuracy, speed, heading, kind, recorded_at)""";

    static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");

    @Override
    public String name() {
        return "vip-ingest";
    }

    @Override
    public String title() {
        return "VIP location ingest through POST /api/v1/vip/locations/batch (1000 points per request, AES-256-GCM per "
                + "point in the service) vs. a plain COPY of the same rows into vip_data.vip_location_history";
    }

    /** One request body: a 1000-point drive of one VIP, as JSON, with the request ready to send. */
    record Body(Account vip, List<LagosTracks.Point> points, byte[] json, HttpRequest request) {}

    record ApiBlock(
            int workers,
            double seconds,
            long requests,
            long points,
            long errors,
            String firstError,
            LatencyStats latency,
            Map<String, Object> cpu) {
        double pointsPerSecond() {
            return points / seconds;
        }
    }

    /** What the run measured, block by block, for the report. */
    record Blocks(
            ApiBlock warmup,
            CopyBlock copyWarmup,
            List<ApiBlock> api,
            List<CopyBlock> copy,
            List<CopyBlock> parallelCopy,
            ApiBlock profiled,
            Map<String, Object> samples,
            List<Map<String, Object>> statements,
            Map<String, Object> stages) {}

    record CopyBlock(long rows, double seconds, Map<String, Object> cpu, int streams) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    @Override
    public ScenarioReport run(BenchContext context) throws Exception {
        PrintStream out = context.out();
        BenchSettings settings = context.settings();
        List<Integer> workerCounts = Arrays.stream(
                        settings.string("workers", "2,4,8").split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .toList();
        int seconds = settings.integer("seconds", 20);
        int warmupSeconds = settings.integer("warmupSeconds", 30);
        int profileSeconds = settings.integer("profileSeconds", 15);
        int vipCount = settings.integer("vips", 4);
        int bodyCount = settings.integer("bodies", 64);
        int batchPoints = settings.integer("batchPoints", 1000);
        long seed = settings.longValue("seed", 42);
        int maxWorkers = workerCounts.stream().mapToInt(Integer::intValue).max().orElse(4);
        boolean truncate = settings.bool("truncate", true);
        long[] expected = {0}; // rows that must be in the table now

        ScenarioReport report = new ScenarioReport();
        CpuMeter meter = new CpuMeter(context.server().dataDirectory(), ServiceThreads::group);
        try (ServiceUnderTest service = ServiceUnderTest.start(context)) {
            VipDrives setup = VipDrives.create(service, vipCount, bodyCount, batchPoints, seed);
            List<Account> vips = setup.vips();
            out.printf("[vip-ingest] vip_admin and %d VIPs created through the API%n", vips.size());

            List<Body> bodies = VipIngestLoader.bodies(service, setup);
            double meanBodyBytes =
                    bodies.stream().mapToInt(b -> b.json().length).average().orElse(0);
            out.printf(
                    "[vip-ingest] %d request bodies of %d points (%.0f KB each) over %d VIPs%n",
                    bodies.size(), batchPoints, meanBodyBytes / 1024, vips.size());

            // Warm-up: JIT, connection pool, key cache, the table's first pages.
            out.printf("[vip-ingest] warm-up: %d workers for %d s%n", maxWorkers, warmupSeconds);
            // JFR runs during the warm-up too: its first start retransforms classes and deoptimises compiled code,
            // which must not happen in the profiled block.
            JfrProfile warmupJfr = new JfrProfile(stageMarkers(), ServiceThreads::group, ServiceThreads.SERVER_THREADS);
            warmupJfr.start();
            ApiBlock warmup = apiBlock(service, bodies, maxWorkers, warmupSeconds, meter);
            expected[0] += warmup.points();
            warmupJfr.stop("other", 1);
            out.printf("[vip-ingest]   warm-up %,.0f points/s%n", warmup.pointsPerSecond());
            Map<String, Object> envelope = envelopeSizes(context);
            int envelopeBytes = (int) Math.round(((Number) envelope.get("avg_bytes")).doubleValue());
            List<byte[]> copyRows =
                    VipIngestLoader.copyRowSuffixes(bodies, envelopeBytes, new SplittableRandom(seed + 1));
            CopyBlock copyWarmup = copyBlock(context, copyRows, 40_000, new SplittableRandom(seed + 2), meter, 2);
            expected[0] += copyWarmup.rows();
            out.printf(
                    "[vip-ingest]   warm-up COPY %,.0f rows/s (envelope %d bytes)%n",
                    copyWarmup.rowsPerSecond(), envelopeBytes);

            // Measured: for each worker count, an API block, then a COPY of as many rows (A B, A B, …).
            List<ApiBlock> apiBlocks = new ArrayList<>();
            List<CopyBlock> copyBlocks = new ArrayList<>();
            List<CopyBlock> parallelCopyBlocks = new ArrayList<>();
            SplittableRandom ids = new SplittableRandom(seed + 3);
            for (int workers : workerCounts) {
                reset(context, truncate, expected);
                ApiBlock api = apiBlock(service, bodies, workers, seconds, meter);
                expected[0] += api.points();
                apiBlocks.add(api);
                out.printf(
                        "[vip-ingest] API  %d workers: %,9.0f points/s  p50 %6.1f ms  p99 %6.1f ms  (%d requests, %d errors; "
                                + "CPU: service JVM %.2f, PostgreSQL %.2f, other processes %.2f cores)%n",
                        workers,
                        api.pointsPerSecond(),
                        api.latency().percentileMicros(50) / 1000,
                        api.latency().percentileMicros(99) / 1000,
                        api.requests(),
                        api.errors(),
                        api.cpu().get("jvm_cores"),
                        api.cpu().get("postgres_cores"),
                        api.cpu().get("other_processes_cores"));
                reset(context, truncate, expected);
                CopyBlock copy = copyBlock(context, copyRows, Math.max(1, api.points()), ids, meter, 1);
                expected[0] += copy.rows();
                copyBlocks.add(copy);
                out.printf(
                        "[vip-ingest] COPY %,d rows, 1 stream:  %,9.0f rows/s   (API/COPY %.2f; PostgreSQL %.2f cores)%n",
                        copy.rows(),
                        copy.rowsPerSecond(),
                        api.pointsPerSecond() / copy.rowsPerSecond(),
                        copy.cpu().get("postgres_cores"));
                reset(context, truncate, expected);
                CopyBlock parallel = copyBlock(context, copyRows, Math.max(2, api.points()), ids, meter, 2);
                expected[0] += parallel.rows();
                parallelCopyBlocks.add(parallel);
                out.printf(
                        "[vip-ingest] COPY %,d rows, 2 streams: %,9.0f rows/s   (API/COPY %.2f; PostgreSQL %.2f cores)%n",
                        parallel.rows(),
                        parallel.rowsPerSecond(),
                        api.pointsPerSecond() / parallel.rowsPerSecond(),
                        parallel.cpu().get("postgres_cores"));
            }
            int best = 0;
            for (int i = 1; i < apiBlocks.size(); i++) {
                if (apiBlocks.get(i).pointsPerSecond() > apiBlocks.get(best).pointsPerSecond()) {
                    best = i;
                }
            }
            ApiBlock headline = apiBlocks.get(best);
            CopyBlock headlineCopy = copyBlocks.get(best);
            CopyBlock headlineParallelCopy = parallelCopyBlocks.get(best);

            // Where does the time go: a profiled block at the best worker count, then each stage alone.
            out.printf(
                    "[vip-ingest] profiling: %d workers for %d s (JFR, pg_stat_statements, CPU per process)%n",
                    headline.workers(), profileSeconds);
            Map<String, Object> tableAfterSweep = tableSize(context);
            out.printf("[vip-ingest] table after the blocks: %s%n", tableAfterSweep);
            reset(context, truncate, expected);
            resetStatements(context);
            JfrProfile jfr = new JfrProfile(stageMarkers(), ServiceThreads::group, ServiceThreads.SERVER_THREADS);
            jfr.start();
            ApiBlock profiled = apiBlock(service, bodies, headline.workers(), profileSeconds, meter);
            expected[0] += profiled.points();
            Map<String, Object> samples = jfr.stop("other (Tomcat, Spring MVC, filters, response)", 12);
            List<Map<String, Object>> statements = topStatements(context, 8, profiled.seconds());
            out.printf("[vip-ingest]   profiled block %,.0f points/s%n", profiled.pointsPerSecond());
            Map<String, Object> stages = stageTimings(context, service, bodies, out);

            long expectedRows = expected[0] + ((Number) stages.get("rows_written")).longValue();
            long storedRows = countRows(context);
            long errors = warmup.errors()
                    + profiled.errors()
                    + apiBlocks.stream().mapToLong(ApiBlock::errors).sum();

            VipIngestReport.write(
                    report,
                    workerCounts,
                    seconds,
                    warmupSeconds,
                    profileSeconds,
                    vipCount,
                    bodyCount,
                    batchPoints,
                    seed,
                    truncate,
                    service.startupFacts(),
                    tableAfterSweep,
                    meanBodyBytes,
                    envelope,
                    headline,
                    headlineCopy,
                    headlineParallelCopy,
                    new Blocks(
                            warmup,
                            copyWarmup,
                            apiBlocks,
                            copyBlocks,
                            parallelCopyBlocks,
                            profiled,
                            samples,
                            statements,
                            stages),
                    errors,
                    expectedRows,
                    storedRows);
        }
        return report;
    }

    // ------------------------------------------------------------------------------------------
    // The API side: N workers, each with its own HttpClient (one keep-alive connection), posting
    // 1000-point batches back to back.
    // ------------------------------------------------------------------------------------------

    static ApiBlock apiBlock(ServiceUnderTest service, List<Body> bodies, int workers, int seconds, CpuMeter meter)
            throws Exception {
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] requests = new long[workers];
        long[] points = new long[workers];
        long[] errors = new long[workers];
        TimedWorkers.Block block = TimedWorkers.run(
                workers, seconds, "bench-client-", TimedWorkers.End.SLEEP_WHOLE_BLOCK, meter, worker -> {
                    HttpClient client = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(Duration.ofSeconds(10))
                            .build();
                    int[] next = {worker * (bodies.size() / Math.max(1, workers)) + worker};
                    return () -> {
                        Body body = bodies.get(next[0]++ % bodies.size());
                        long start = System.nanoTime();
                        try {
                            HttpResponse<String> response =
                                    client.send(body.request(), HttpResponse.BodyHandlers.ofString());
                            long took = System.nanoTime() - start;
                            requests[worker]++;
                            Matcher accepted = ACCEPTED.matcher(response.body());
                            if (response.statusCode() == 201
                                    && accepted.find()
                                    && Integer.parseInt(accepted.group(1))
                                            == body.points().size()) {
                                points[worker] += body.points().size();
                                return took;
                            }
                            errors[worker]++;
                            firstError.compareAndSet(null, response.statusCode() + " " + response.body());
                        } catch (Exception e) {
                            requests[worker]++;
                            errors[worker]++;
                            firstError.compareAndSet(null, e.toString());
                        }
                        return TimedWorkers.NOT_TIMED;
                    };
                });
        if (block.failure() != null) {
            throw block.failure();
        }
        return new ApiBlock(
                workers,
                block.seconds(),
                Arrays.stream(requests).sum(),
                Arrays.stream(points).sum(),
                Arrays.stream(errors).sum(),
                firstError.get(),
                block.recordInto(new LatencyStats(1024)),
                block.cpu());
    }

    // ------------------------------------------------------------------------------------------
    // The ceiling: one plain COPY (text format) as the superuser, same columns, same points, a random
    // ciphertext of the service's envelope size per row, fresh ids.
    // ------------------------------------------------------------------------------------------

    /** COPYs {@code count} rows in {@code streams} parallel COPY statements (one connection each); the wall time of all. */
    static CopyBlock copyBlock(
            BenchContext context, List<byte[]> rows, long count, SplittableRandom ids, CpuMeter meter, int streams)
            throws Exception {
        List<Connection> connections = new ArrayList<>();
        try {
            for (int s = 0; s < streams; s++) {
                connections.add(context.superuser());
            }
            AtomicReference<Exception> failure = new AtomicReference<>();
            long[] copied = new long[streams];
            List<Thread> threads = new ArrayList<>();
            CpuMeter.Snapshot before = meter.take();
            long begin = System.nanoTime();
            for (int s = 0; s < streams; s++) {
                int stream = s;
                long share = count / streams + (s == 0 ? count % streams : 0);
                int offset = (int) ((long) rows.size() * s / streams);
                SplittableRandom random = ids.split();
                Thread thread = new Thread(
                        () -> {
                            try {
                                copied[stream] = copy(connections.get(stream), rows, offset, share, random);
                            } catch (Exception e) {
                                failure.compareAndSet(null, e);
                            }
                        },
                        "bench-copy-" + s);
                thread.start();
                threads.add(thread);
            }
            for (Thread thread : threads) {
                thread.join();
            }
            double elapsed = (System.nanoTime() - begin) / 1e9;
            CpuMeter.Snapshot after = meter.take();
            if (failure.get() != null) {
                throw failure.get();
            }
            return new CopyBlock(Arrays.stream(copied).sum(), elapsed, meter.between(before, after), streams);
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    static long copy(Connection connection, List<byte[]> rows, int offset, long count, SplittableRandom ids)
            throws Exception {
        var copyApi = connection.unwrap(PGConnection.class).getCopyAPI();
        byte[] buffer = new byte[1 << 20];
        CopyIn copy = copyApi.copyIn(COPY_SQL);
        int position = 0;
        for (long i = 0; i < count; i++) {
            byte[] row = rows.get((int) ((offset + i) % rows.size()));
            if (position + 36 + row.length > buffer.length) {
                copy.writeToCopy(buffer, 0, position);
                position = 0;
            }
            long high = ids.nextLong();
            if (TIME_ORDERED_COPY_IDS) {
                // UUIDv7 layout: 48-bit Unix milliseconds first, so new keys land at the right edge of the primary key.
                high = (System.currentTimeMillis() << 16) | 0x7000L | (high & 0x0FFFL);
            }
            position = writeUuid(buffer, position, high, ids.nextLong());
            System.arraycopy(row, 0, buffer, position, row.length);
            position += row.length;
        }
        copy.writeToCopy(buffer, 0, position);
        return copy.endCopy();
    }

    static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * -Dbench.copyIds=time-ordered: the COPY side uses time-ordered (v7) ids instead of random (v4) ones —
     * a what-if for the primary key (id, recorded_at) on a growing table; the service's ids stay random.
     */
    static final boolean TIME_ORDERED_COPY_IDS = "time-ordered".equals(System.getProperty("bench.copyIds"));

    /** A UUID in its text form: version 4 (random) unless the high word already carries version 7. */
    static int writeUuid(byte[] buffer, int at, long high, long low) {
        if ((high & 0xF000L) != 0x7000L || !TIME_ORDERED_COPY_IDS) {
            high = (high & 0xFFFFFFFFFFFF0FFFL) | 0x0000000000004000L;
        }
        low = (low & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        for (int i = 0; i < 32; i++) {
            if (i == 8 || i == 12 || i == 16 || i == 20) {
                buffer[at++] = '-';
            }
            long word = i < 16 ? high : low;
            int shift = 60 - 4 * (i % 16);
            buffer[at++] = HEX[(int) ((word >>> shift) & 0xF)];
        }
        return at;
    }

    // ------------------------------------------------------------------------------------------
    // Where the time goes
    // ------------------------------------------------------------------------------------------

    static List<JfrProfile.Marker> stageMarkers() {
        return List.of(
                new JfrProfile.Marker(
                        "com.vipride.vip.crypto.DataKeyring", "subject-key lookup and unwrap (DataKeyring)"),
                new JfrProfile.Marker(
                        "com.vipride.vip.crypto.VipCipher", "encryption (VipCipher: Tink AES-256-GCM, envelope)"),
                new JfrProfile.Marker("java.util.UUID.randomUUID", "row ids (UUID.randomUUID, SecureRandom)"),
                new JfrProfile.Marker(
                        "com.vipride.vip.LocationIngestService.coordinates", "plaintext (String.format of lat/lng)"),
                new JfrProfile.Marker(
                        "com.vipride.vip.VipLocations.insert", "INSERT … unnest (JDBC: arrays, encoding, round trip)"),
                new JfrProfile.Marker("com.vipride.vip.Emergencies.activeRide", "active-ride lookup (SQL)"),
                new JfrProfile.Marker("com.vipride.vip.geofence", "geofence tracking (track_geofences)"),
                new JfrProfile.Marker("com.vipride.vip.LocationIngestService", "ingest loop (other)"),
                new JfrProfile.Marker("org.springframework.transaction", "transaction begin/commit + caller identity"),
                new JfrProfile.Marker(
                        "org.springframework.jdbc.datasource", "transaction begin/commit + caller identity"),
                new JfrProfile.Marker(
                        "org.springframework.jdbc.support.JdbcTransactionManager",
                        "transaction begin/commit + caller identity"),
                new JfrProfile.Marker(
                        "com.vipride.platform.db.CallerIdentityTransactionManager",
                        "transaction begin/commit + caller identity"),
                new JfrProfile.Marker("org.hibernate.validator", "bean validation (@Valid on 1000 points)"),
                new JfrProfile.Marker("tools.jackson", "JSON (Jackson: parse request, write response)"),
                new JfrProfile.Marker("com.fasterxml.jackson", "JSON (Jackson: parse request, write response)"),
                new JfrProfile.Marker(
                        "com.vipride.platform.web.RequestBodyLimitFilter", "request body read (limit filter)"),
                new JfrProfile.Marker("org.springframework.security", "authentication (JWT, security filters)"),
                new JfrProfile.Marker("com.nimbusds", "authentication (JWT, security filters)"));
    }

    /**
     * Before every measured block (unless -Dbench.truncate=false): an empty table and a fresh checkpoint,
     * so that every block — API at each worker count, COPY, 2 × COPY — writes into the same state. On a
     * growing table later blocks would pay for earlier ones (the random-UUID primary key outgrows
     * shared_buffers), and a checkpoint would land in whichever block happens to be running.
     */
    static void reset(BenchContext context, boolean truncate, long[] expected) throws SQLException {
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement()) {
            if (truncate) {
                statement.execute("TRUNCATE vip_data.vip_location_history");
                expected[0] = 0;
            }
            statement.execute("CHECKPOINT");
        }
    }

    /** Rows and sizes of the table and its two indexes, and how often their index pages had to be read. */
    static Map<String, Object> tableSize(BenchContext context) throws SQLException {
        Map<String, Object> size = new LinkedHashMap<>();
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement();
                ResultSet rs = statement.executeQuery("""
                     SELECT (SELECT count(*) FROM vip_data.vip_location_history),
                            (SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree('vip_data.vip_location_history') WHERE isleaf),
                            (SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree('vip_data.vip_location_history_pkey') WHERE isleaf),
                            (SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree('vip_data.vip_location_history_user_time_idx') WHERE isleaf),
                            current_setting('shared_buffers'),
                            (SELECT sum(idx_blks_read) FROM pg_statio_all_indexes WHERE schemaname = 'vip_data'
                                AND relname LIKE 'vip_location_history%'),
                            (SELECT sum(idx_blks_hit) FROM pg_statio_all_indexes WHERE schemaname = 'vip_data'
                                AND relname LIKE 'vip_location_history%')""")) {
            rs.next();
            size.put("rows", rs.getLong(1));
            size.put("heap_mb", Math.round(rs.getLong(2) / 1048576.0));
            size.put("primary_key_mb", Math.round(rs.getLong(3) / 1048576.0));
            size.put("user_time_index_mb", Math.round(rs.getLong(4) / 1048576.0));
            size.put("shared_buffers", rs.getString(5));
            size.put("index_blocks_read_since_start", rs.getLong(6));
            size.put("index_blocks_hit_since_start", rs.getLong(7));
        }
        return size;
    }

    static void resetStatements(BenchContext context) throws SQLException {
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement()) {
            statement.execute("SELECT pg_stat_statements_reset()");
        }
    }

    static List<Map<String, Object>> topStatements(BenchContext context, int n, double wallSeconds)
            throws SQLException {
        List<Map<String, Object>> top = new ArrayList<>();
        try (Connection superuser = context.superuser();
                PreparedStatement statement = superuser.prepareStatement("""
                     SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, total_exec_time, mean_exec_time, rows
                       FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                      WHERE d.datname = current_database() AND query NOT LIKE '%pg_stat_statements%'
                      ORDER BY total_exec_time DESC LIMIT ?""")) {
            statement.setInt(1, n);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    String query = rs.getString("query");
                    row.put("query", query.length() > 160 ? query.substring(0, 157) + "…" : query);
                    row.put("calls", rs.getLong("calls"));
                    row.put("total_exec_s", LatencyStats.round2(rs.getDouble("total_exec_time") / 1000));
                    row.put("mean_exec_ms", LatencyStats.round2(rs.getDouble("mean_exec_time")));
                    row.put("rows", rs.getLong("rows"));
                    row.put(
                            "backend_cores_busy",
                            LatencyStats.round2(rs.getDouble("total_exec_time") / 1000 / wallSeconds));
                    top.add(row);
                }
            }
        }
        return top;
    }

    /**
     * Each stage of one 1000-point batch on its own, single-threaded, in the running service: the whole
     * request over HTTP, the service method without HTTP, JSON parsing and validation with the service's
     * own mapper and validator, the per-point work of the ingest loop, and the INSERT statement.
     */
    static Map<String, Object> stageTimings(
            BenchContext context, ServiceUnderTest service, List<Body> bodies, PrintStream out) throws Exception {
        int warm = 5;
        int measured = 20;
        Map<String, Object> stages = new LinkedHashMap<>();
        long[] rowsWritten = {0};
        Body body = bodies.get(0);
        UUID vip = body.vip().id();
        int n = body.points().size();

        // The whole request, one client, back to back.
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<String, Object> http = time(warm, measured, n, i -> {
            HttpResponse<String> response =
                    client.send(bodies.get(i % bodies.size()).request(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 201) {
                throw new IllegalStateException(response.statusCode() + " " + response.body());
            }
            rowsWritten[0] += n;
        });
        http.keySet()
                .removeAll(List.of(
                        "cpu_ms_per_batch",
                        "cpu_of",
                        "points_per_cpu_second",
                        "allocated_kb_per_batch")); // other threads
        stages.put("http_request_total", http);

        // The service method without HTTP and JSON: LocationIngestService.ingest as the VIP.
        LocationIngestService ingest = service.bean(LocationIngestService.class);
        List<LocationBatch> batches = bodies.stream()
                .filter(b -> b.vip().id().equals(vip))
                .map(b -> LagosTracks.batch(b.points()))
                .toList();
        service.actAs(body.vip());
        try {
            stages.put("service_ingest_in_process", time(warm, measured, n, i -> {
                rowsWritten[0] += ingest.ingest(batches.get(i % batches.size())).accepted();
            }));
        } finally {
            ServiceUnderTest.actAsNobody();
        }

        // JSON → LocationBatch with the service's own mapper, then bean validation with its validator.
        tools.jackson.databind.ObjectMapper mapper = service.context()
                .getBeanProvider(tools.jackson.databind.ObjectMapper.class)
                .getIfAvailable(
                        () -> tools.jackson.databind.json.JsonMapper.builder().build());
        stages.put(
                "json_parse",
                time(
                        warm,
                        measured,
                        n,
                        i -> mapper.readValue(bodies.get(i % bodies.size()).json(), LocationBatch.class)));
        jakarta.validation.Validator validator = service.context()
                .getBeanProvider(jakarta.validation.Validator.class)
                .getIfAvailable();
        if (validator != null) {
            LocationBatch parsed = mapper.readValue(body.json(), LocationBatch.class);
            stages.put("bean_validation", time(warm, measured, n, i -> {
                if (!validator.validate(parsed).isEmpty()) {
                    throw new IllegalStateException("invalid batch");
                }
            }));
        }

        // The ingest loop's per-point work, piece by piece.
        stages.put("plaintext_string_format", time(warm, measured, n, i -> {
            for (LagosTracks.Point p : body.points()) {
                LagosTracks.plaintext(p);
            }
        }));
        stages.put("uuid_random", time(warm, measured, n, i -> {
            for (int k = 0; k < n; k++) {
                UUID.randomUUID();
            }
        }));
        VipCipher cipher = service.bean(VipCipher.class);
        TransactionTemplate transaction = new TransactionTemplate(service.bean(PlatformTransactionManager.class));
        List<String> plaintexts =
                body.points().stream().map(LagosTracks::plaintext).toList();
        List<UUID> rowIds = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            rowIds.add(UUID.randomUUID());
        }
        List<byte[]> sealed = new ArrayList<>(n);
        service.actAs(body.vip());
        try {
            // In a transaction as the VIP, in case the cached data key expired and must be read again.
            stages.put("encrypt_envelopes", transaction.execute(status -> {
                try {
                    return time(warm, measured, n, i -> {
                        sealed.clear();
                        for (int k = 0; k < n; k++) {
                            sealed.add(cipher.encrypt(
                                    vip, FieldContext.of(TABLE, COLUMN, rowIds.get(k)), plaintexts.get(k)));
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        } finally {
            ServiceUnderTest.actAsNobody();
        }

        // The INSERT … unnest statement alone, as the service runs it: app_backend switched to customer_user.
        try (Connection connection = context.connect("app_backend")) {
            connection.setAutoCommit(false);
            Map<String, Object> build = new LinkedHashMap<>();
            LatencyStats arrays = new LatencyStats(measured);
            LatencyStats execute = new LatencyStats(measured);
            LatencyStats commit = new LatencyStats(measured);
            long backendPid;
            try (Statement statement = connection.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                backendPid = rs.getLong(1);
            }
            connection.commit();
            long backendCpu = 0;
            long javaCpu = 0;
            try (PreparedStatement identity = connection.prepareStatement(
                            "SELECT set_config('role', 'customer_user', true), set_config('app.current_user_id', ?, true)");
                    PreparedStatement insert = connection.prepareStatement(INSERT_BATCH)) {
                for (int i = 0; i < warm + measured; i++) {
                    long b0 = processCpuMillis(backendPid);
                    long c0 = THREADS.getCurrentThreadCpuTime();
                    identity.setString(1, vip.toString());
                    identity.executeQuery().close();
                    long t0 = System.nanoTime();
                    insert.setObject(1, vip);
                    insert.setObject(2, null);
                    insert.setObject(3, null);
                    Object[] idArray = new Object[n];
                    byte[][] cipherArray = new byte[n][];
                    Float[] acc = new Float[n];
                    Float[] speed = new Float[n];
                    Float[] heading = new Float[n];
                    Object[] kind = new Object[n];
                    Object[] at = new Object[n];
                    for (int k = 0; k < n; k++) {
                        LagosTracks.Point p = body.points().get(k);
                        idArray[k] = UUID.randomUUID();
                        cipherArray[k] = sealed.get(k);
                        acc[k] = p.accuracyM();
                        speed[k] = p.speedKmh();
                        heading[k] = p.headingDeg();
                        kind[k] = p.type();
                        at[k] = p.recordedAt().toString();
                    }
                    Array[] sqlArrays = {
                        connection.createArrayOf("uuid", idArray),
                        connection.createArrayOf("bytea", cipherArray),
                        connection.createArrayOf("float4", acc),
                        connection.createArrayOf("float4", speed),
                        connection.createArrayOf("float4", heading),
                        connection.createArrayOf("text", kind),
                        connection.createArrayOf("text", at)
                    };
                    for (int a = 0; a < sqlArrays.length; a++) {
                        insert.setArray(4 + a, sqlArrays[a]);
                    }
                    long t1 = System.nanoTime();
                    long c1 = THREADS.getCurrentThreadCpuTime();
                    int inserted = insert.executeUpdate();
                    long t2 = System.nanoTime();
                    long b1 = processCpuMillis(backendPid);
                    connection.commit();
                    long t3 = System.nanoTime();
                    rowsWritten[0] += inserted;
                    if (i >= warm) {
                        arrays.record(t1 - t0);
                        execute.record(t2 - t1);
                        commit.record(t3 - t2);
                        javaCpu += c1 - c0;
                        backendCpu += b1 - b0;
                    }
                }
            }
            stages.put("insert_build_arrays", perBatch(arrays, n, javaCpu / 1e6 / measured, "this thread"));
            stages.put(
                    "insert_execute",
                    perBatch(
                            execute,
                            n,
                            backendPid > 0 && backendCpu >= 0 ? (double) backendCpu / measured : Double.NaN,
                            "the PostgreSQL backend (/proc, 10 ms ticks)"));
            stages.put("insert_commit", perBatch(commit, n, Double.NaN, null));
            stages.put("insert_explain_analyze", explainInsert(connection, vip, body, sealed));
            rowsWritten[0] += n;
        }

        // The subject-key lookup the key cache saves (once per VIP per key-cache-ttl, 60 s by default).
        try (Connection connection = context.connect("app_backend")) {
            connection.setAutoCommit(false);
            LatencyStats lookup = new LatencyStats(measured);
            try (PreparedStatement identity = connection.prepareStatement(
                            "SELECT set_config('role', 'customer_user', true), set_config('app.current_user_id', ?, true)");
                    PreparedStatement find = connection.prepareStatement(
                            "SELECT keyset_enc, master_key_id, version FROM vip_data.subject_key(?)")) {
                for (int i = 0; i < warm + measured; i++) {
                    identity.setString(1, vip.toString());
                    identity.executeQuery().close();
                    find.setObject(1, vip);
                    long t0 = System.nanoTime();
                    try (ResultSet rs = find.executeQuery()) {
                        rs.next();
                    }
                    long t1 = System.nanoTime();
                    connection.commit();
                    if (i >= warm) {
                        lookup.record(t1 - t0);
                    }
                }
            } catch (SQLException e) {
                connection.rollback();
                out.println("[vip-ingest]   subject-key lookup not timed: " + e.getMessage());
            }
            if (lookup.count() > 0) {
                Map<String, Object> once = new LinkedHashMap<>();
                once.put("mean_ms_per_lookup", LatencyStats.round2(lookup.meanMicros() / 1000));
                once.put(
                        "note",
                        "SQL only (without unwrapping); the service does it once per VIP per key-cache-ttl, not per batch");
                stages.put("subject_key_lookup_sql", once);
            }
        }
        stages.put("rows_written", rowsWritten[0]);
        return stages;
    }

    /** EXPLAIN ANALYZE of one batch's INSERT (committed, like the others): where the statement's time goes. */
    static Map<String, Object> explainInsert(Connection connection, UUID vip, Body body, List<byte[]> sealed)
            throws SQLException {
        int n = body.points().size();
        StringBuilder plan = new StringBuilder();
        try (PreparedStatement identity = connection.prepareStatement(
                        "SELECT set_config('role', 'customer_user', true), set_config('app.current_user_id', ?, true)");
                PreparedStatement explain =
                        connection.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + INSERT_BATCH)) {
            identity.setString(1, vip.toString());
            identity.executeQuery().close();
            Object[] ids = new Object[n];
            Float[] acc = new Float[n];
            Float[] speed = new Float[n];
            Float[] heading = new Float[n];
            Object[] kind = new Object[n];
            Object[] at = new Object[n];
            for (int k = 0; k < n; k++) {
                LagosTracks.Point p = body.points().get(k);
                ids[k] = UUID.randomUUID();
                acc[k] = p.accuracyM();
                speed[k] = p.speedKmh();
                heading[k] = p.headingDeg();
                kind[k] = p.type();
                at[k] = p.recordedAt().toString();
            }
            explain.setObject(1, vip);
            explain.setObject(2, null);
            explain.setObject(3, null);
            explain.setArray(4, connection.createArrayOf("uuid", ids));
            explain.setArray(5, connection.createArrayOf("bytea", sealed.toArray(byte[][]::new)));
            explain.setArray(6, connection.createArrayOf("float4", acc));
            explain.setArray(7, connection.createArrayOf("float4", speed));
            explain.setArray(8, connection.createArrayOf("float4", heading));
            explain.setArray(9, connection.createArrayOf("text", kind));
            explain.setArray(10, connection.createArrayOf("text", at));
            try (ResultSet rs = explain.executeQuery()) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            connection.commit();
        }
        Map<String, Object> result = new LinkedHashMap<>();
        Matcher trigger = Pattern.compile(
                        "Trigger (?:for constraint )?(\\S+)(?: on \\S+)?: time=([\\d.]+) calls=(\\d+)")
                .matcher(plan);
        Map<String, Object> triggers = new LinkedHashMap<>();
        while (trigger.find()) {
            Map<String, Object> time = new LinkedHashMap<>();
            time.put("ms", Double.parseDouble(trigger.group(2)));
            time.put("calls", Long.parseLong(trigger.group(3)));
            triggers.put(trigger.group(1), time);
        }
        result.put("triggers", triggers);
        Matcher execution = Pattern.compile("Execution Time: ([\\d.]+) ms").matcher(plan);
        if (execution.find()) {
            result.put("execution_ms", Double.parseDouble(execution.group(1)));
        }
        Matcher planning = Pattern.compile("Planning Time: ([\\d.]+) ms").matcher(plan);
        if (planning.find()) {
            result.put("planning_ms", Double.parseDouble(planning.group(1)));
        }
        result.put("text", plan.toString().stripTrailing());
        return result;
    }

    interface Step {
        void run(int i) throws Exception;
    }

    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * Times a step: wall clock and this thread's CPU time. On a shared machine the wall clock includes
     * waiting for a core; the CPU time does not, so "points/s per core" is computed from the CPU time
     * where the work runs on this thread.
     */
    static Map<String, Object> time(int warm, int measured, int points, Step step) throws Exception {
        LatencyStats stats = new LatencyStats(measured);
        long cpu = 0;
        long allocated = 0;
        for (int i = 0; i < warm + measured; i++) {
            long a0 = allocatedBytes();
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            step.run(i);
            long took = System.nanoTime() - t0;
            long c1 = THREADS.getCurrentThreadCpuTime();
            long a1 = allocatedBytes();
            if (i >= warm) {
                stats.record(took);
                cpu += c1 - c0;
                allocated += a1 - a0;
            }
        }
        Map<String, Object> timing = perBatch(stats, points, cpu / 1e6 / Math.max(1, stats.count()), "this thread");
        timing.put("allocated_kb_per_batch", Math.round(allocated / 1024.0 / Math.max(1, stats.count())));
        return timing;
    }

    static Map<String, Object> perBatch(LatencyStats stats, int points, double cpuMsPerBatch, String cpuOf) {
        Map<String, Object> timing = new LinkedHashMap<>();
        double meanMs = stats.meanMicros() / 1000;
        timing.put("batches", stats.count());
        timing.put("mean_ms_per_batch", LatencyStats.round2(meanMs));
        timing.put("p50_ms_per_batch", LatencyStats.round2(stats.percentileMicros(50) / 1000));
        timing.put("us_per_point", LatencyStats.round2(meanMs * 1000 / points));
        if (!Double.isNaN(cpuMsPerBatch)) {
            timing.put("cpu_ms_per_batch", LatencyStats.round2(cpuMsPerBatch));
            timing.put("cpu_of", cpuOf);
            timing.put(
                    "points_per_cpu_second", cpuMsPerBatch <= 0 ? null : Math.round(points / (cpuMsPerBatch / 1000)));
        }
        return timing;
    }

    /** Bytes this thread has allocated so far (HotSpot), or 0. */
    static long allocatedBytes() {
        return THREADS instanceof com.sun.management.ThreadMXBean sun ? sun.getCurrentThreadAllocatedBytes() : 0;
    }

    /** utime + stime of a process in ms (Linux), or -1. */
    static long processCpuMillis(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
        } catch (Exception notLinux) {
            return -1;
        }
    }

    // ------------------------------------------------------------------------------------------

    static Map<String, Object> envelopeSizes(BenchContext context) throws SQLException {
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT avg(octet_length(encrypted_coordinates)), min(octet_length(encrypted_coordinates)),"
                                + " max(octet_length(encrypted_coordinates)), count(*) FROM vip_data.vip_location_history")) {
            rs.next();
            Map<String, Object> sizes = new LinkedHashMap<>();
            sizes.put("avg_bytes", LatencyStats.round1(rs.getDouble(1)));
            sizes.put("min_bytes", rs.getInt(2));
            sizes.put("max_bytes", rs.getInt(3));
            sizes.put("sampled_rows", rs.getLong(4));
            sizes.put(
                    "layout",
                    "0x01 | subject (16) | context length (2) | 'vip_data.vip_location_history.encrypted_coordinates/<row id>' (88)"
                            + " | Tink: key id (5) | IV (12) | ciphertext of {\"lat\": …, \"lng\": …} (36) | tag (16)");
            return sizes;
        }
    }

    static long countRows(BenchContext context) throws SQLException {
        try (Connection superuser = context.superuser();
                Statement statement = superuser.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM vip_data.vip_location_history")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
