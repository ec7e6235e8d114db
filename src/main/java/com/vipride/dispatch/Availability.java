package com.vipride.dispatch;

import java.time.Instant;
import java.util.UUID;

/** A driver's dispatch state as the driver sees it. */
record Availability(
        UUID driverId,
        boolean online,
        boolean available,
        String vehicleType,
        Integer seats,
        boolean vipEligible,
        Double lat,
        Double lng,
        Instant positionUpdatedAt) {}
