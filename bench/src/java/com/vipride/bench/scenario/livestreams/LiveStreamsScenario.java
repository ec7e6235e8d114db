package com.vipride.bench.scenario.livestreams;

import com.vipride.bench.BenchContext;
import com.vipride.bench.BenchSettings;
import com.vipride.bench.Scenario;
import com.vipride.bench.load.RowIds;
import com.vipride.bench.measure.HttpLoad;
import com.vipride.bench.measure.LatencyStats;
import com.vipride.bench.measure.ServiceUnderTest;
import com.vipride.bench.report.ScenarioReport;
import com.vipride.bench.scenario.riderequestapi.RideRequestApiLoader;
import com.vipride.platform.security.PlatformRole;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;

/**
 * Live streams: one service instance holds 10,000 open Server-Sent Events streams (9,000 drivers and
 * 1,000 riders, opened by a client JVM of their own) while riders request rides through the API at a
 * steady rate. Each request commits an offer to the nearest driver (the driver's stream) and the ride's
 * assignment (the rider's stream). Measured: the delivery delay of both events, from the request's
 * response (the commit is before it: a lower bound) and from the request's start (the commit is after
 * it: an upper bound); the service's heap per open stream (after a full GC, before and after opening).
 * Target: p99 ≤ 500 ms from the commit.
 */
public final class LiveStreamsScenario implements Scenario {

    static final double TARGET_P99_MS = 500;
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");

    @Override
    public String name() {
        return "live-streams";
    }

    @Override
    public String title() {
        return "10,000 open SSE streams (9,000 drivers, 1,000 riders) on one instance while rides are requested: "
                + "offer and ride events delivered p99 ≤ 500 ms from their commit; heap per open stream";
    }

    private record Timed(long startMicros, long endMicros) {}

    @Override
    public ScenarioReport run(BenchContext context) throws Exception {
        PrintStream out = context.out();
        BenchSettings settings = context.settings();
        int drivers = settings.integer("drivers", 9_000);
        int riders = settings.integer("riders", 1_000);
        int rate = settings.integer("rate", 50);
        int seconds = settings.integer("seconds", 60);
        int senders = settings.integer("senders", 8);
        int quotes = rate * seconds + 1_000;

        Map<String, Object> loaded = RideRequestApiLoader.load(context, riders, drivers, quotes, 0, 0);
        ScenarioReport report = new ScenarioReport();
        Map<String, Object> results = new LinkedHashMap<>();
        Map<String, Timed> requests = new ConcurrentHashMap<>();
        LongAdder errors = new LongAdder();
        Path work = Files.createTempDirectory("live-streams");
        Path tokens = work.resolve("tokens.txt");
        Path events = work.resolve("events.txt");
        long heapBefore;
        long heapAfter;
        int open;
        int failedToOpen;
        int threadsBefore;
        int threadsAfter;
        try (ServiceUnderTest service = ServiceUnderTest.start(context)) {
            List<String> lines = new ArrayList<>();
            for (int j = 1; j <= drivers; j++) {
                lines.add("/api/v1/drivers/me/stream "
                        + service.accessToken(RowIds.md5Uuid("bench-fleet-user:" + j), PlatformRole.DRIVER_USER));
            }
            String[] riderTokens = new String[riders + 1];
            for (int c = 1; c <= riders; c++) {
                riderTokens[c] = service.accessToken(RowIds.md5Uuid("bench-customer:" + c), PlatformRole.CUSTOMER_USER);
                lines.add("/api/v1/me/stream " + riderTokens[c]);
            }
            Files.write(tokens, lines);
            heapBefore = usedHeapAfterGc();
            threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

            ProcessBuilder builder = new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g",
                    "-cp",
                    classPath(),
                    StreamClients.class.getName(),
                    service.baseUrl(),
                    tokens.toString(),
                    events.toString());
            builder.redirectErrorStream(true);
            long opening = System.nanoTime();
            Process clients = builder.start();
            BufferedReader clientOut =
                    new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
            String openLine = awaitLine(clientOut, "OPEN", out);
            String[] parts = openLine.split(" ");
            open = Integer.parseInt(parts[1]);
            failedToOpen = Integer.parseInt(parts[2]);
            double openSeconds = (System.nanoTime() - opening) / 1e9;
            out.printf("[live-streams] %,d streams open (%,d failed) in %.1f s%n", open, failedToOpen, openSeconds);
            heapAfter = usedHeapAfterGc();
            threadsAfter = ManagementFactory.getThreadMXBean().getThreadCount();
            results.put("open_seconds", Math.round(openSeconds * 10) / 10.0);

            // Rides requested at a steady rate by a pool of senders.
            ExecutorService pool = Executors.newFixedThreadPool(senders);
            ThreadLocal<CloseableHttpClient> clientsByThread = ThreadLocal.withInitial(HttpLoad::client);
            AtomicInteger next = new AtomicInteger();
            long begin = System.nanoTime();
            long intervalNanos = 1_000_000_000L / rate;
            for (int i = 0; i < rate * seconds; i++) {
                long due = begin + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                pool.execute(() -> {
                    int n = next.incrementAndGet();
                    long start = nowMicros();
                    try {
                        HttpLoad.Answer answer = HttpLoad.send(
                                clientsByThread.get(),
                                HttpLoad.Call.post(
                                                service.baseUrl() + "/api/v1/rides",
                                                riderTokens[1 + n % riders],
                                                "{\"quoteId\":\"" + RowIds.md5Uuid("bench-quote:" + n) + "\"}")
                                        .withIdempotencyKey("live-" + n));
                        long end = nowMicros();
                        Matcher id = ID.matcher(answer.body());
                        if (answer.status() == 201 && id.find()) {
                            requests.put(id.group(1), new Timed(start, end));
                        } else {
                            errors.increment();
                        }
                    } catch (Exception e) {
                        errors.increment();
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(2, TimeUnit.MINUTES);
            double requestSeconds = (System.nanoTime() - begin) / 1e9;
            results.put("requests", requests.size());
            results.put("request_errors", errors.sum());
            results.put("requests_per_s", Math.round(requests.size() / requestSeconds * 10) / 10.0);
            Thread.sleep(3_000);
            try (Writer toClients = new OutputStreamWriter(clients.getOutputStream(), StandardCharsets.UTF_8)) {
                toClients.write("DONE\n");
            }
            out.println("[live-streams] " + awaitLine(clientOut, "WROTE", out));
            clients.waitFor(60, TimeUnit.SECONDS);
            try (Connection superuser = context.superuser();
                    Statement statement = superuser.createStatement()) {
                statement.execute("SELECT 1");
            }
        }

        // Join arrivals with the requests that caused them.
        LatencyStats offerFromResponse = new LatencyStats(requests.size());
        LatencyStats offerFromStart = new LatencyStats(requests.size());
        LatencyStats rideFromResponse = new LatencyStats(requests.size());
        LatencyStats rideFromStart = new LatencyStats(requests.size());
        Map<String, Boolean> offered = new ConcurrentHashMap<>();
        Map<String, Boolean> assigned = new ConcurrentHashMap<>();
        for (String line : Files.readAllLines(events)) {
            String[] f = line.split(" ");
            Timed timed = requests.get(f[2]);
            if (timed == null) {
                continue;
            }
            long arrived = Long.parseLong(f[0]);
            if (f[1].equals("offer") && f[3].equals("offered") && offered.putIfAbsent(f[2], true) == null) {
                offerFromResponse.record(Math.max(0, arrived - timed.endMicros()) * 1_000);
                offerFromStart.record((arrived - timed.startMicros()) * 1_000);
            } else if (f[1].equals("ride")
                    && f[3].equals("driver_assigned")
                    && assigned.putIfAbsent(f[2], true) == null) {
                rideFromResponse.record(Math.max(0, arrived - timed.endMicros()) * 1_000);
                rideFromStart.record((arrived - timed.startMicros()) * 1_000);
            }
        }
        double perStreamKb = (heapAfter - heapBefore) / 1024.0 / Math.max(1, open);
        double p99Upper = Math.max(offerFromStart.percentileMicros(99), rideFromStart.percentileMicros(99)) / 1000;
        boolean met = open >= drivers + riders
                && p99Upper <= TARGET_P99_MS
                && errors.sum() == 0
                && offered.size() == requests.size()
                && assigned.size() == requests.size();
        results.put("streams_open", open);
        results.put("streams_failed", failedToOpen);
        results.put("heap_before_mb", heapBefore / 1024 / 1024);
        results.put("heap_after_mb", heapAfter / 1024 / 1024);
        results.put("heap_per_stream_kb", Math.round(perStreamKb * 10) / 10.0);
        results.put("threads_before", threadsBefore);
        results.put("threads_after", threadsAfter);
        results.put("offers_received", offered.size());
        results.put("ride_events_received", assigned.size());
        results.put("offer_ms_from_response", millis(offerFromResponse));
        results.put("offer_ms_from_request_start", millis(offerFromStart));
        results.put("ride_ms_from_response", millis(rideFromResponse));
        results.put("ride_ms_from_request_start", millis(rideFromStart));
        results.put("loaded", loaded);
        report.put("results", results);
        report.put("settings", Map.of("drivers", drivers, "riders", riders, "rate", rate, "seconds", seconds));
        report.heading("live-streams");
        report.paragraph(String.format(
                "%,d streams open (%,d failed); %,d rides requested at %d/s for %d s (%d errors); heap %,d → %,d MB "
                        + "after full GC: %.1f KB per open stream; threads %d → %d.",
                open,
                failedToOpen,
                requests.size(),
                rate,
                seconds,
                errors.sum(),
                heapBefore / 1024 / 1024,
                heapAfter / 1024 / 1024,
                perStreamKb,
                threadsBefore,
                threadsAfter));
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("offer (driver), from response", offerFromResponse));
        rows.add(row("offer (driver), from request start", offerFromStart));
        rows.add(row("ride assigned (rider), from response", rideFromResponse));
        rows.add(row("ride assigned (rider), from request start", rideFromStart));
        report.table(List.of("delivery ms", "n", "p50", "p95", "p99", "max"), rows);
        report.summary(String.format(
                "%,d streams, %.1f KB heap per stream; delivery p99 %.0f–%.0f ms (offer), %.0f–%.0f ms (ride) "
                        + "from the commit (bounds: response, request start); %,d/%,d offers and %,d ride events received: %s",
                open,
                perStreamKb,
                offerFromResponse.percentileMicros(99) / 1000,
                offerFromStart.percentileMicros(99) / 1000,
                rideFromResponse.percentileMicros(99) / 1000,
                rideFromStart.percentileMicros(99) / 1000,
                offered.size(),
                requests.size(),
                assigned.size(),
                met ? "target met" : "target NOT met"));
        report.check(met);
        return report;
    }

    private static List<String> row(String name, LatencyStats stats) {
        return List.of(
                name,
                String.valueOf(stats.count()),
                String.format("%.1f", stats.percentileMicros(50) / 1000),
                String.format("%.1f", stats.percentileMicros(95) / 1000),
                String.format("%.1f", stats.percentileMicros(99) / 1000),
                String.format("%.1f", stats.percentileMicros(100) / 1000));
    }

    private static Map<String, Object> millis(LatencyStats stats) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", stats.count());
        m.put("p50", LatencyStats.round1(stats.percentileMicros(50) / 1000));
        m.put("p95", LatencyStats.round1(stats.percentileMicros(95) / 1000));
        m.put("p99", LatencyStats.round1(stats.percentileMicros(99) / 1000));
        m.put("max", LatencyStats.round1(stats.percentileMicros(100) / 1000));
        return m;
    }

    private static String awaitLine(BufferedReader in, String prefix, PrintStream out) throws Exception {
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith(prefix)) {
                return line;
            }
            out.println("[live-streams clients] " + line);
        }
        throw new IllegalStateException("the stream clients ended before " + prefix);
    }

    /** The benchmark's class path (exec:java runs it in a class loader of its own inside Maven's JVM). */
    private static String classPath() {
        List<String> entries = new ArrayList<>();
        for (ClassLoader loader = LiveStreamsScenario.class.getClassLoader();
                loader != null;
                loader = loader.getParent()) {
            if (loader instanceof java.net.URLClassLoader urls) {
                for (java.net.URL url : urls.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                        // not a file
                    }
                }
            }
        }
        entries.add(System.getProperty("java.class.path"));
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(300);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
