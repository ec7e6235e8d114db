package com.vipride.bench.measure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A time-boxed block of N worker threads that each repeat one step back to back: the loop shared by the
 * closed-loop load generators. Each worker opens its own state on its own thread, then runs steps until
 * the block ends; a step times itself (so that it decides what the latency covers) and returns the
 * nanoseconds to record, {@link #NOT_TIMED}, or {@link #STOP}. The CPU is taken just before the workers
 * start and just after they have all stopped; the block's wall time spans the same interval.
 */
public final class TimedWorkers {

    /** A step's answer: nothing to record (say, an error the step counted itself). */
    public static final long NOT_TIMED = -1;

    /** A step's answer: this worker has nothing more to do, and the block ends for every worker. */
    public static final long STOP = Long.MIN_VALUE;

    /** How the block's thread waits for its end. */
    public enum End {
        /** Sleeps the whole block: it lasts its seconds whatever the workers do. */
        SLEEP_WHOLE_BLOCK,
        /** Checks every 50 ms: a worker that stops (or fails) ends the block early. */
        EARLY_WHEN_A_WORKER_STOPS
    }

    /** One worker's loop body. */
    public interface Worker {

        /** One step; returns its latency in nanoseconds, {@link #NOT_TIMED} or {@link #STOP}. */
        long step() throws Exception;

        /** After the last step, on the worker's thread. */
        default void finish() {}
    }

    /** Opens worker {@code index}'s state, on its own thread. */
    public interface Workers {
        Worker open(int index) throws Exception;
    }

    /**
     * What a block did: its wall time, each worker's latencies in the order they were recorded, the CPU
     * used, whether a worker ended it, and the first failure of a step (the block ends at a failure).
     */
    public record Block(
            int workers,
            double seconds,
            List<long[]> latencies,
            Map<String, Object> cpu,
            boolean stopped,
            Exception failure) {

        /** Records every latency of every worker into {@code stats}, worker by worker. */
        public LatencyStats recordInto(LatencyStats stats) {
            for (long[] mine : latencies) {
                for (long t : mine) {
                    stats.record(t);
                }
            }
            return stats;
        }
    }

    private TimedWorkers() {}

    /** Runs {@code workers} threads named {@code threadPrefix + index} for {@code seconds}. */
    public static Block run(int workers, int seconds, String threadPrefix, End end, CpuMeter meter, Workers open)
            throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean stopped = new AtomicBoolean();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long[][] latencies = new long[workers][];
        List<Thread> threads = new ArrayList<>();
        CpuMeter.Snapshot before = meter.take();
        long begin = System.nanoTime();
        for (int w = 0; w < workers; w++) {
            int index = w;
            Thread thread = new Thread(
                    () -> {
                        long[] mine = new long[1024];
                        int n = 0;
                        Worker worker = null;
                        try {
                            worker = open.open(index);
                            while (!stop.get()) {
                                long took = worker.step();
                                if (took == STOP) {
                                    stopped.set(true);
                                    stop.set(true);
                                    break;
                                }
                                if (took == NOT_TIMED) {
                                    continue;
                                }
                                if (n == mine.length) {
                                    mine = Arrays.copyOf(mine, n * 2);
                                }
                                mine[n++] = took;
                            }
                        } catch (Exception e) {
                            failure.compareAndSet(null, e);
                            stop.set(true);
                        }
                        latencies[index] = Arrays.copyOf(mine, n);
                        if (worker != null) {
                            worker.finish();
                        }
                    },
                    threadPrefix + w);
            thread.start();
            threads.add(thread);
        }
        if (end == End.SLEEP_WHOLE_BLOCK) {
            Thread.sleep(seconds * 1000L);
        } else {
            long deadline = begin + seconds * 1_000_000_000L;
            while (!stop.get() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - begin) / 1e9;
        CpuMeter.Snapshot after = meter.take();
        return new Block(
                workers, elapsed, Arrays.asList(latencies), meter.between(before, after), stopped.get(), failure.get());
    }
}
