package com.vipride.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What the simulated city did so far: counters every actor adds to, and the unexpected answers by status and code. */
public final class Stats {

    final AtomicLong requests = new AtomicLong();
    final AtomicLong positions = new AtomicLong();
    final AtomicLong ridesRequested = new AtomicLong();
    final AtomicLong ridesAccepted = new AtomicLong();
    final AtomicLong ridesCompleted = new AtomicLong();
    final AtomicLong cancellations = new AtomicLong();
    final AtomicLong unserved = new AtomicLong();
    final AtomicLong sosRaised = new AtomicLong();
    final AtomicLong sosResolved = new AtomicLong();
    final AtomicLong refunds = new AtomicLong();
    final AtomicLong hotelBookings = new AtomicLong();
    final AtomicLong refusalsExpected = new AtomicLong();
    final AtomicLong throttled = new AtomicLong();
    final AtomicLong offersStreamed = new AtomicLong();
    final AtomicLong offersPolled = new AtomicLong();
    final AtomicLong streamConnects = new AtomicLong();
    final AtomicLong streamReconnects = new AtomicLong();
    final AtomicLong streamFailures = new AtomicLong();
    final AtomicLong vipRidesRequested = new AtomicLong();
    final AtomicLong vipRidesCompleted = new AtomicLong();
    final AtomicLong vipPositions = new AtomicLong();
    final AtomicLong chauffeurRuns = new AtomicLong();
    private final Map<String, AtomicLong> errors = new ConcurrentHashMap<>();

    void error(String statusAndCode) {
        errors.computeIfAbsent(statusAndCode, k -> new AtomicLong()).incrementAndGet();
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public Map<String, Long> errorsByStatus() {
        Map<String, Long> copy = new TreeMap<>();
        errors.forEach((key, count) -> copy.put(key, count.get()));
        return copy;
    }

    public long ridesRequested() {
        return ridesRequested.get();
    }

    public long ridesCompleted() {
        return ridesCompleted.get();
    }

    public long cancellations() {
        return cancellations.get();
    }

    public long sosRaised() {
        return sosRaised.get();
    }

    public long sosResolved() {
        return sosResolved.get();
    }

    public long refunds() {
        return refunds.get();
    }

    public long hotelBookings() {
        return hotelBookings.get();
    }

    public long positions() {
        return positions.get();
    }

    /** Offers that reached their driver on the driver's live stream. */
    public long offersStreamed() {
        return offersStreamed.get();
    }

    /** Offers a driver found by polling, because their stream was down. */
    public long offersPolled() {
        return offersPolled.get();
    }

    public long streamFailures() {
        return streamFailures.get();
    }

    /** Flat-rate luxury rides the chauffeur drove while seeding, to earn the premium plan. */
    public long chauffeurRuns() {
        return chauffeurRuns.get();
    }

    public long vipRidesRequested() {
        return vipRidesRequested.get();
    }

    public long vipRidesCompleted() {
        return vipRidesCompleted.get();
    }

    /** VIP positions the chauffeur reported during VIP trips (stored encrypted). */
    public long vipPositions() {
        return vipPositions.get();
    }

    /** One line: what happened so far. */
    public String line() {
        return "requests=" + requests.get() + " positions=" + positions.get() + " rides-requested="
                + ridesRequested.get() + " accepted=" + ridesAccepted.get() + " completed=" + ridesCompleted.get()
                + " cancelled=" + cancellations.get() + " unserved=" + unserved.get() + " sos=" + sosRaised.get()
                + "/" + sosResolved.get() + " refunds=" + refunds.get() + " hotel-bookings=" + hotelBookings.get()
                + " chauffeur-runs=" + chauffeurRuns.get() + " vip-rides=" + vipRidesRequested.get() + "/"
                + vipRidesCompleted.get() + " vip-positions="
                + vipPositions.get() + " offers-streamed=" + offersStreamed.get() + " offers-polled="
                + offersPolled.get() + " stream-reconnects=" + streamReconnects.get() + " stream-failures="
                + streamFailures.get() + " expected-refusals=" + refusalsExpected.get() + " throttled="
                + throttled.get() + " errors="
                + errorCount() + (errors.isEmpty() ? "" : " " + errorsByStatus());
    }
}
