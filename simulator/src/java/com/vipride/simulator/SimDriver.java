package com.vipride.simulator;

import com.vipride.simulator.LagosRoads.Point;
import com.vipride.simulator.LagosRoads.Road;

/**
 * A simulated driver and where they are: cruising along a Lagos road at city speed while free (turning
 * at its ends), or driving a given path in a given time while on a ride. Positions are computed from the
 * clock, so the tick that posts them may run on any thread.
 */
final class SimDriver {

    private static final double CRUISE_MPS = 8.0;

    final Session session;
    final String driverId;
    /** A VIP chauffeur: VIP-vetted, in a VIP-certified luxury car, on the premium plan; takes VIP rides only. */
    final boolean chauffeur;

    volatile boolean busy;
    /** The driver's live stream, through which offers arrive (set when the traffic starts). */
    volatile OfferStream stream;

    private Road road;
    private double startOffsetM;
    private long startMs;
    private double speedMps;
    private boolean cruising;

    SimDriver(Session session, String driverId, Road road, double offsetM, boolean chauffeur) {
        this.session = session;
        this.driverId = driverId;
        this.chauffeur = chauffeur;
        cruise(road, offsetM);
    }

    synchronized void cruise(Road along, double offsetM) {
        road = along;
        startOffsetM = offsetM;
        startMs = System.currentTimeMillis();
        speedMps = CRUISE_MPS;
        cruising = true;
    }

    /** Drives from where the driver is now to {@code to} in {@code millis}. */
    synchronized void driveTo(Point to, long millis) {
        Point from = position();
        road = LagosRoads.path("trip", from, to);
        startOffsetM = 0;
        startMs = System.currentTimeMillis();
        speedMps = road.lengthM() / Math.max(1, millis / 1000.0);
        cruising = false;
    }

    synchronized Point position() {
        double travelled = speedMps * (System.currentTimeMillis() - startMs) / 1000.0;
        double length = road.lengthM();
        double offset = startOffsetM + travelled;
        if (cruising && length > 0) {
            double lap = offset % (2 * length);
            offset = lap <= length ? lap : 2 * length - lap;
        }
        return road.at(offset);
    }

    /** The road the driver cruises on and how far along it they are (for a pickup ahead of them). */
    synchronized Road road() {
        return road;
    }

    synchronized double offsetM() {
        double travelled = speedMps * (System.currentTimeMillis() - startMs) / 1000.0;
        double length = road.lengthM();
        double offset = startOffsetM + travelled;
        if (cruising && length > 0) {
            double lap = offset % (2 * length);
            offset = lap <= length ? lap : 2 * length - lap;
        }
        return Math.min(offset, length);
    }

    synchronized boolean cruising() {
        return cruising;
    }
}
