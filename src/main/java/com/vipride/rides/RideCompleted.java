package com.vipride.rides;

import java.time.Instant;
import java.util.UUID;

/**
 * Published inside the completing transaction, after the database priced the ride and split its fare:
 * listeners (payments) act in the same transaction, so a failure rolls the completion back too.
 */
public record RideCompleted(UUID rideId, Instant requestedAt, long finalFareMinor, String currency) {}
