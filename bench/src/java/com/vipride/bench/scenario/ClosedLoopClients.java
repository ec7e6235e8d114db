package com.vipride.bench.scenario;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;

import com.vipride.bench.LatencyStats;

/**
 * A closed-loop HTTP load generator: {@code workers} threads, each with its own
 * {@code java.net.http.HttpClient} (HTTP/1.1 keep-alive), send requests back to back for a fixed time.
 * A response counts when {@code ok} accepts it; the latency of every accepted response is recorded.
 * {@code next} returns null when the prepared requests are used up, which ends the block early.
 */
final class ClosedLoopClients {

    record Result(int workers, double seconds, long requests, long errors, String firstError, boolean ranOut,
                  LatencyStats latency) {

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
            return json;
        }
    }

    private ClosedLoopClients() {
    }

    static Result run(int workers, double seconds, Supplier<HttpRequest> next, Predicate<HttpResponse<String>> ok)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean ranOut = new AtomicBoolean();
        AtomicReference<String> firstError = new AtomicReference<>();
        LongAdder requests = new LongAdder();
        LongAdder errors = new LongAdder();
        LatencyStats[] latencies = new LatencyStats[workers];
        List<Thread> threads = new ArrayList<>();
        long begin = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            LatencyStats mine = new LatencyStats(4096);
            latencies[w] = mine;
            Thread thread = new Thread(() -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build();
                while (!stop.get()) {
                    HttpRequest request = next.get();
                    if (request == null) {
                        ranOut.set(true);
                        stop.set(true);
                        break;
                    }
                    long start = System.nanoTime();
                    String error = null;
                    try {
                        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                        if (!ok.test(response)) {
                            error = request.uri().getPath() + " answered " + response.statusCode() + " " + response.body();
                        }
                    } catch (Exception e) {
                        error = e.toString();
                    }
                    long took = System.nanoTime() - start;
                    requests.increment();
                    if (error != null) {
                        errors.increment();
                        firstError.compareAndSet(null, error);
                    } else {
                        mine.record(took);
                    }
                }
            }, "bench-client-" + w);
            thread.start();
            threads.add(thread);
        }
        long deadline = begin + (long) (seconds * 1e9);
        while (!stop.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        LatencyStats all = new LatencyStats(4096);
        for (LatencyStats mine : latencies) {
            all.addAll(mine);
        }
        return new Result(workers, elapsed, requests.sum(), errors.sum(), firstError.get(), ranOut.get(), all);
    }
}
