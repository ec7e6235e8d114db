package com.vipride.bench.measure;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One client's requests against the floor {@code GET /api/v1/me} of the same caller: both warmed up, then
 * measured in two halves, the requests first and the floor first, so that a drift of the machine during
 * the run weighs on both sides alike.
 */
public record AgainstFloor(LatencyStats requests, LatencyStats floor, long errors) {

    private static final int BLOCK_SECONDS = 600;

    /** {@code call} makes the request of one prepared item; a request answered 200 counts as done. */
    public static <T> AgainstFloor measure(
            ServiceUnderTest service,
            String token,
            CpuMeter meter,
            List<T> warmup,
            List<T> measured,
            Function<T, HttpLoad.Call> call)
            throws InterruptedException {
        Function<HttpLoad.Answer, String> outcome = a -> a.status() == 200 ? "200" : null;
        HttpLoad.run(1, BLOCK_SECONDS, calls(warmup, call), outcome, meter);
        HttpLoad.run(1, BLOCK_SECONDS, floorCalls(service, token, warmup.size()), outcome, meter);
        int half = measured.size() / 2;
        LatencyStats requests = new LatencyStats(measured.size());
        LatencyStats floor = new LatencyStats(measured.size());
        long errors = 0;
        for (int part = 0; part < 2; part++) {
            List<T> slice = measured.subList(part * half, (part + 1) * half);
            HttpLoad.Result me = null;
            if (part == 1) {
                me = HttpLoad.run(1, BLOCK_SECONDS, floorCalls(service, token, half), outcome, meter);
            }
            HttpLoad.Result r = HttpLoad.run(1, BLOCK_SECONDS, calls(slice, call), outcome, meter);
            if (part == 0) {
                me = HttpLoad.run(1, BLOCK_SECONDS, floorCalls(service, token, half), outcome, meter);
            }
            requests.addAll(r.latency());
            floor.addAll(me.latency());
            errors += r.errors() + me.errors();
        }
        return new AgainstFloor(requests, floor, errors);
    }

    private static <T> Supplier<HttpLoad.Call> calls(List<T> items, Function<T, HttpLoad.Call> call) {
        AtomicInteger next = new AtomicInteger();
        return () -> {
            int i = next.getAndIncrement();
            return i < items.size() ? call.apply(items.get(i)) : null;
        };
    }

    private static Supplier<HttpLoad.Call> floorCalls(ServiceUnderTest service, String token, int count) {
        AtomicInteger next = new AtomicInteger();
        return () -> next.getAndIncrement() < count ? HttpLoad.Call.get(service.baseUrl() + "/api/v1/me", token) : null;
    }
}
