package com.vipride.pricing;

import java.time.Instant;
import java.util.UUID;

/** A current price list. */
record Tariff(
        UUID id,
        String city,
        String vehicleType,
        String riderTier,
        String billingModel,
        String currency,
        long baseFareMinor,
        long perKmMinor,
        long perMinuteMinor,
        long flatFareMinor,
        long minimumFareMinor,
        long cancellationFeeMinor,
        int freeCancellationS,
        Instant createdAt) {}
