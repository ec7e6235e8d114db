package com.vipride.bench.measure;

/** Wall-clock time since a {@link System#nanoTime()} reading. */
public final class Elapsed {

    private Elapsed() {}

    public static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
