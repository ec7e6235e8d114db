package com.vipride.notifications;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where this instance's stream poller stands in {@code public.stream_events}: the highest id it has seen,
 * and the ids below it it has not seen yet ("holes"). Identity ids are taken in order but committed in any
 * order, so a read can see id 12 while the transaction holding id 11 has yet to commit; 11 is then looked
 * for again on every read until it shows up (it is announced once, then) or for at most {@code window}
 * (a rolled-back insert leaves its id unused for ever). Young holes are read every poll, older ones at most
 * every {@code slowRecheck}, so rolled-back ids cost little. Not thread-safe: one poller thread owns it.
 */
final class StreamCursor {

    /** One row of {@code public.stream_events_announced}. */
    record Announced(long id, java.util.UUID recipientId, String audience, String kind) {}

    private static final long YOUNG_NANOS = 2_000_000_000L;

    private final long windowNanos;
    private final long slowRecheckNanos;
    private final int maxHoles;
    /** Hole id → when it was first seen missing (System.nanoTime), in ascending id order. */
    private final LinkedHashMap<Long, Long> holes = new LinkedHashMap<>();

    private boolean started;
    private long after;
    private long lastFullRead = Long.MIN_VALUE;

    StreamCursor(long windowNanos, long slowRecheckNanos, int maxHoles) {
        this.windowNanos = windowNanos;
        this.slowRecheckNanos = slowRecheckNanos;
        this.maxHoles = maxHoles;
    }

    /** Null until the first read placed the cursor (then the read asks for the latest events). */
    Long after() {
        return started ? after : null;
    }

    int holes() {
        return holes.size();
    }

    /** The holes the next read looks for: the young ones every time, all of them every slow-recheck interval. */
    Read nextRead(long now) {
        boolean full = lastFullRead == Long.MIN_VALUE || now - lastFullRead >= slowRecheckNanos;
        List<Long> ids = new ArrayList<>();
        for (Map.Entry<Long, Long> hole : holes.entrySet()) {
            if (full || now - hole.getValue() < YOUNG_NANOS) {
                ids.add(hole.getKey());
            }
        }
        return new Read(after(), ids, full, now);
    }

    /** What one read is to ask for. */
    record Read(Long after, List<Long> holes, boolean full, long at) {}

    /**
     * Takes what a read returned and gives back the events to announce (each id once, ever). The first
     * read only places the cursor: it announces nothing.
     */
    List<Announced> accept(Read read, List<Announced> rows) {
        List<Announced> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingLong(Announced::id));
        List<Announced> announce = new ArrayList<>();
        if (!started) {
            long previous = -1;
            for (Announced row : sorted) {
                if (previous >= 0) {
                    addHoles(previous, row.id(), read.at());
                }
                previous = row.id();
            }
            after = Math.max(0, previous);
            started = true;
            lastFullRead = read.at();
            return announce;
        }
        for (Announced row : sorted) {
            if (holes.remove(row.id()) != null) {
                announce.add(row);
            } else if (row.id() > after) {
                addHoles(after, row.id(), read.at());
                after = row.id();
                announce.add(row);
            }
        }
        if (read.full()) {
            lastFullRead = read.at();
            // Only holes this read looked for may expire: a hole is never given up unread.
            holes.values().removeIf(firstMissed -> read.at() - firstMissed >= windowNanos);
        }
        return announce;
    }

    /** The ids strictly between {@code from} and {@code to} become holes (the highest ones when too many). */
    private void addHoles(long from, long to, long now) {
        long first = Math.max(from + 1, to - maxHoles);
        for (long id = first; id < to; id++) {
            holes.put(id, now);
        }
        Iterator<Long> oldest = holes.keySet().iterator();
        while (holes.size() > maxHoles && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }
}
