package com.vipride.bench.measure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * A closed-loop HTTP load generator in the benchmark JVM: N workers ({@code bench-client-*} threads,
 * each with its own Apache HttpClient 5 classic client and one keep-alive HTTP/1.1 connection) send
 * requests back to back for a fixed time. The classic client does its socket I/O on the calling thread,
 * so a request costs the generator one wake-up, where java.net.http's hand-offs between its selector
 * and caller threads cost several (on this 2-core VM a wake-up is tens of µs of CPU). Each response is
 * classified by the scenario (an outcome such as "driver_assigned", or null for an error); latencies
 * are recorded for every classified response.
 */
public final class HttpLoad {

    /** One request: method, absolute URI, bearer token and Idempotency-Key (null for none), JSON body (null for none). */
    public record Call(String method, String uri, String bearerToken, String idempotencyKey, String json) {

        public static Call get(String uri, String bearerToken) {
            return new Call("GET", uri, bearerToken, null, null);
        }

        public static Call post(String uri, String bearerToken, String json) {
            return new Call("POST", uri, bearerToken, null, json);
        }

        public Call withIdempotencyKey(String key) {
            return new Call(method, uri, bearerToken, key, json);
        }

        public ClassicHttpRequest request() {
            ClassicRequestBuilder builder = ClassicRequestBuilder.create(method).setUri(uri);
            if (bearerToken != null) {
                builder.addHeader("Authorization", "Bearer " + bearerToken);
            }
            if (idempotencyKey != null) {
                builder.addHeader("Idempotency-Key", idempotencyKey);
            }
            if (json != null) {
                builder.setEntity(json, ContentType.APPLICATION_JSON);
            }
            return builder.build();
        }
    }

    /** A response: its status and its body. */
    public record Answer(int status, String body) {}

    /** One block: throughput, latencies, outcomes and where the CPU went. */
    public record Result(
            int workers,
            double seconds,
            long requests,
            long errors,
            String firstError,
            boolean ranOut,
            LatencyStats latency,
            Map<String, Long> outcomes,
            Map<String, Object> cpu) {

        public double perSecond() {
            return (requests - errors) / seconds;
        }

        public Map<String, Object> json() {
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

    private HttpLoad() {}

    /**
     * Runs {@code workers} clients for {@code seconds}. {@code next} hands out the next request (null when
     * the prepared ones are used up, which ends the block early); {@code outcome} names a response's
     * outcome, or returns null for an error.
     */
    public static Result run(
            int workers, int seconds, Supplier<Call> next, Function<Answer, String> outcome, CpuMeter meter)
            throws InterruptedException {
        AtomicReference<String> firstError = new AtomicReference<>();
        Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
        LongAdder requests = new LongAdder();
        LongAdder errors = new LongAdder();
        TimedWorkers.Block block = TimedWorkers.run(
                workers, seconds, "bench-client-", TimedWorkers.End.EARLY_WHEN_A_WORKER_STOPS, meter, worker -> {
                    CloseableHttpClient client = client();
                    return new TimedWorkers.Worker() {
                        @Override
                        public long step() {
                            Call call = next.get();
                            if (call == null) {
                                return TimedWorkers.STOP;
                            }
                            long start = System.nanoTime();
                            String result;
                            String error = null;
                            try {
                                Answer answer = send(client, call);
                                result = outcome.apply(answer);
                                if (result == null) {
                                    error = answer.status() + " " + answer.body();
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
                                return TimedWorkers.NOT_TIMED;
                            }
                            outcomes.computeIfAbsent(result, k -> new LongAdder())
                                    .increment();
                            return took;
                        }

                        @Override
                        public void finish() {
                            client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
                        }
                    };
                });
        if (block.failure() != null) {
            throw new IllegalStateException(block.failure());
        }
        Map<String, Long> counted = new LinkedHashMap<>();
        outcomes.forEach((key, value) -> counted.put(key, value.sum()));
        return new Result(
                workers,
                block.seconds(),
                requests.sum(),
                errors.sum(),
                firstError.get(),
                block.stopped(),
                block.recordInto(new LatencyStats(4096)),
                counted,
                block.cpu());
    }

    /** Sends one request on the calling thread and reads the whole answer. */
    public static Answer send(CloseableHttpClient client, Call call) throws IOException {
        return client.execute(
                call.request(),
                response -> new Answer(
                        response.getCode(),
                        response.getEntity() == null
                                ? ""
                                : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)));
    }

    /** One worker's client: a single pooled keep-alive connection, no retries, no cookies, no redirects. */
    public static CloseableHttpClient client() {
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(1)
                        .setMaxConnPerRoute(1)
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setResponseTimeout(Timeout.ofSeconds(60))
                        .build())
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableRedirectHandling()
                .build();
    }
}
