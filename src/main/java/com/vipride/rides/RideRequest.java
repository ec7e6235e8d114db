package com.vipride.rides;

import com.vipride.pricing.TripRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/**
 * A ride request: either a quote the rider accepted ({@code quoteId}) or the trip itself, which is then
 * quoted and requested in one step. Addresses are the rider's labels for the two points.
 */
record RideRequest(
        UUID quoteId,
        @Valid TripRequest trip,
        @Size(max = 200) String pickupAddress,
        @Size(max = 200) String dropoffAddress) {

    /** What makes two requests the same request, for Idempotency-Key reuse checks. */
    String fingerprint() {
        return String.join(
                "|",
                String.valueOf(quoteId),
                String.valueOf(trip),
                String.valueOf(pickupAddress),
                String.valueOf(dropoffAddress));
    }
}
