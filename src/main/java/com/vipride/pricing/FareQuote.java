package com.vipride.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/** A stored price promise: honoured if the ride is requested before {@code expiresAt}. */
public record FareQuote(
        UUID id,
        String city,
        String vehicleType,
        String billingModel,
        String riderTier,
        int passengers,
        String currency,
        long estimatedFareMinor,
        BigDecimal surgeMultiplier,
        int demand,
        int supply,
        int estimatedDistanceM,
        int estimatedDurationS,
        Instant createdAt,
        Instant expiresAt) {}
