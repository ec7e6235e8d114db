package com.vipride.pricing;

import java.util.UUID;

/**
 * Seals and opens a VIP rider's route: an AES-256-GCM envelope under the rider's subject key, bound to the
 * table, column and row it is stored in. The vip capability, which holds the keys, implements it; the
 * database decides who receives an envelope, and the key is released only to those it allows.
 */
public interface RouteVault {

    byte[] seal(UUID rider, String table, UUID row, Route route);

    Route open(UUID rider, String table, UUID row, byte[] envelope);

    /** The two ends of a trip; an address is the rider's label, or null. */
    record Route(
            double pickupLat,
            double pickupLng,
            String pickupAddress,
            double dropoffLat,
            double dropoffLng,
            String dropoffAddress) {}
}
