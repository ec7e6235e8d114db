package com.vipride.dispatch;

import java.time.Instant;
import java.util.UUID;

/** A ride offered to the signed-in driver. */
record RideOffer(
        UUID rideId,
        Instant rideRequestedAt,
        int pickupDistanceM,
        String status,
        Instant offeredAt,
        Instant expiresAt,
        Instant respondedAt) {}
