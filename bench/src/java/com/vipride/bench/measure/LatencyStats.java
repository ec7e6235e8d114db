package com.vipride.bench.measure;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Latencies of one measured series, in nanoseconds as recorded; reported in microseconds. */
public final class LatencyStats {

    private long[] samples;
    private int count;

    public LatencyStats(int expected) {
        samples = new long[Math.max(16, expected)];
    }

    public void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, samples.length * 2);
        }
        samples[count++] = nanos;
    }

    /** Adds every sample of {@code other} (e.g. one series per worker thread, merged at the end). */
    public void addAll(LatencyStats other) {
        for (int i = 0; i < other.count; i++) {
            record(other.samples[i]);
        }
    }

    public int count() {
        return count;
    }

    /** Nearest-rank percentile in microseconds. */
    public double percentileMicros(double percentile) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * count);
        return sorted[Math.min(count, Math.max(1, rank)) - 1] / 1_000.0;
    }

    public double meanMicros() {
        if (count == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += samples[i];
        }
        return sum / count / 1_000.0;
    }

    public Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("count", count);
        summary.put("p50_us", round1(percentileMicros(50)));
        summary.put("p95_us", round1(percentileMicros(95)));
        summary.put("p99_us", round1(percentileMicros(99)));
        summary.put("mean_us", round1(meanMicros()));
        summary.put("max_us", round1(percentileMicros(100)));
        return summary;
    }

    public static double round1(double value) {
        return Math.round(value * 10.0) / 10.0;
    }

    public static double round2(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
