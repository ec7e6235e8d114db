package com.vipride.bench.scenario;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;

import com.vipride.bench.LatencyStats;

/**
 * A closed-loop HTTP load generator in the benchmark JVM: N workers ({@code bench-client-*} threads,
 * each with its own {@code java.net.http.HttpClient}, HTTP/1.1 keep-alive) send requests back to back
 * for a fixed time. Each response is classified by the scenario (an outcome such as "driver_assigned",
 * or null for an error); latencies are recorded for every classified response.
 */
final class HttpLoad {

    /** One block: throughput, latencies, outcomes and where the CPU went. */
    record Result(int workers, double seconds, long requests, long errors, String firstError, boolean ranOut,
                  LatencyStats latency, Map<String, Long> outcomes, Map<String, Object> cpu) {

        double perSecond() {
            return (requests - errors) / seconds;
        }

        Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("workers", workers);
            json.put("seconds", LatencyStats.round2(seconds));
            json.put("requests", requests);
            json.put("errors", errors);
            json.put("first_error", firstError);
            json.put("ran_out_of_prepared_requests", ranOut);
            json.put("requests_per_s", LatencyStats.round1(perSecond()));
            json.put("latency", latency.summary());
            json.put("outcomes", outcomes);
            json.put("cpu", cpu);
            return json;
        }
    }

    private HttpLoad() {
    }

    /**
     * Runs {@code workers} clients for {@code seconds}. {@code next} hands out the next request (null when
     * the prepared ones are used up, which ends the block early); {@code outcome} names a response's
     * outcome, or returns null for an error.
     */
    static Result run(int workers, int seconds, Supplier<HttpRequest> next, Function<HttpResponse<String>, String> outcome,
                      CpuMeter meter) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean ranOut = new AtomicBoolean();
        AtomicReference<String> firstError = new AtomicReference<>();
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        LongAdder requests = new LongAdder();
        LongAdder errors = new LongAdder();
        long[][] latencies = new long[workers][];
        List<Thread> threads = new ArrayList<>();
        CpuMeter.Snapshot before = meter.take();
        long begin = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            Thread thread = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build();
                long[] mine = new long[4096];
                int n = 0;
                while (!stop.get()) {
                    HttpRequest request = next.get();
                    if (request == null) {
                        ranOut.set(true);
                        stop.set(true);
                        break;
                    }
                    long start = System.nanoTime();
                    String result;
                    String error = null;
                    try {
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        result = outcome.apply(response);
                        if (result == null) {
                            error = response.statusCode() + " " + response.body();
                        }
                    } catch (Exception e) {
                        result = null;
                        error = e.toString();
                    }
                    long took = System.nanoTime() - start;
                    requests.increment();
                    if (result == null) {
                        errors.increment();
                        firstError.compareAndSet(null, error);
                        continue;
                    }
                    outcomes.computeIfAbsent(result, k -> new LongAdder()).increment();
                    if (n == mine.length) {
                        mine = Arrays.copyOf(mine, n * 2);
                    }
                    mine[n++] = took;
                }
                latencies[worker] = Arrays.copyOf(mine, n);
            }, "bench-client-" + w);
            thread.start();
            threads.add(thread);
        }
        long deadline = begin + seconds * 1_000_000_000L;
        while (!stop.get() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        CpuMeter.Snapshot after = meter.take();
        LatencyStats latency = new LatencyStats(4096);
        for (long[] mine : latencies) {
            for (long t : mine) {
                latency.record(t);
            }
        }
        Map<String, Long> counted = new LinkedHashMap<>();
        outcomes.forEach((key, value) -> counted.put(key, value.sum()));
        return new Result(workers, elapsed, requests.sum(), errors.sum(), firstError.get(), ranOut.get(), latency, counted,
                meter.between(before, after));
    }
}
