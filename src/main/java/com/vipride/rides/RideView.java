package com.vipride.rides;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A ride as the API shows it. The rider's pickup and drop-off are not part of it; {@code scheduledFor} is the
 * pickup time of a scheduled ride (null: as soon as possible).
 */
record RideView(
        UUID id,
        Instant requestedAt,
        String status,
        UUID customerId,
        UUID driverId,
        UUID vehicleId,
        UUID fleetCompanyId,
        String city,
        String customerTier,
        String billingModel,
        String vehicleType,
        int passengers,
        UUID quoteId,
        String currency,
        Long estimatedFareMinor,
        Long finalFareMinor,
        BigDecimal surgeMultiplier,
        Integer actualDistanceM,
        Integer actualDurationS,
        Instant assignedAt,
        Instant acceptedAt,
        Instant arrivedAt,
        Instant startedAt,
        Instant completedAt,
        Instant cancelledAt,
        String cancelledBy,
        long cancellationFeeMinor,
        Instant expiredAt,
        Instant emergencyAt,
        Integer driverRating,
        Integer riderRating,
        Instant scheduledFor) {}
