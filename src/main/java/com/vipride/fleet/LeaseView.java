package com.vipride.fleet;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** How the API shows a vehicle lease to its parties and to staff. */
record LeaseView(
        UUID id,
        UUID vehicleId,
        UUID ownerUserId,
        UUID fleetCompanyId,
        UUID driverId,
        String leaseType,
        String currency,
        long fixedMonthlyMinor,
        int revenueShareBp,
        long perRideMinor,
        long minimumMonthlyMinor,
        Integer mileageLimitKm,
        long excessKmRateMinor,
        long lateFeeMinor,
        long earlyTerminationFeeMinor,
        LocalDate startsOn,
        LocalDate endsOn,
        String status,
        Instant acceptedAt,
        Instant terminatedAt,
        UUID terminationEntryId,
        Instant createdAt) {}
