package com.vipride.bench.report;

import com.vipride.bench.measure.LatencyStats;

/** The number formats of the result tables and summaries, shared by the scenarios' report writers. */
public final class Formats {

    private Formats() {}

    /** A percentile in milliseconds, rounded to 2 decimals ({@code 1.5}, {@code 12.34}). */
    public static String ms(LatencyStats stats, double percentile) {
        return String.valueOf(LatencyStats.round2(stats.percentileMicros(percentile) / 1000));
    }

    /** Microseconds as milliseconds with exactly 2 decimals ({@code 1.50}). */
    public static String msFixed(double micros) {
        return fixed2(micros / 1000);
    }

    /** Exactly 2 decimals ({@code 0.50}). */
    public static String fixed2(double value) {
        return String.format("%.2f", value);
    }

    /** Thousands separators and 1 decimal ({@code 1,234.5}). */
    public static String grouped1(double value) {
        return String.format("%,.1f", value);
    }

    /** Rounded to 1 decimal ({@code 1234.5}). */
    public static String round1(double value) {
        return String.valueOf(LatencyStats.round1(value));
    }

    /** {@code a / b} rounded to 2 decimals, with a times sign ({@code 1.23×}). */
    public static String ratio(double a, double b) {
        return LatencyStats.round2(a / b) + "×";
    }

    /** The ratio of the same percentile of two series ({@code 1.23×}). */
    public static String ratio(LatencyStats a, LatencyStats b, double percentile) {
        return ratio(a.percentileMicros(percentile), b.percentileMicros(percentile));
    }

    /**
     * A summary line of a series in µs: the label, then p50, p95, p99 and mean in columns of 8 with 1
     * decimal, each after a space.
     */
    public static String microsColumns(String label, LatencyStats stats) {
        return String.format(
                "%s %8.1f %8.1f %8.1f %8.1f",
                label,
                stats.percentileMicros(50),
                stats.percentileMicros(95),
                stats.percentileMicros(99),
                stats.meanMicros());
    }
}
