package com.vipride.rides;

import com.vipride.pricing.TripRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A ride request: either a quote the rider accepted ({@code quoteId}) or the trip itself, which is then
 * quoted and requested in one step. Addresses are the rider's labels for the two points. With {@code
 * scheduledFor} (15 minutes to 30 days ahead) the ride is booked for that pickup time: it waits and is offered to
 * drivers from 15 minutes before it; otherwise it is dispatched now.
 */
record RideRequest(
        UUID quoteId,
        @Valid TripRequest trip,
        @Size(max = 200) String pickupAddress,
        @Size(max = 200) String dropoffAddress,
        OffsetDateTime scheduledFor) {

    /** What makes two requests the same request, for Idempotency-Key reuse checks. */
    String fingerprint() {
        return String.join(
                "|",
                String.valueOf(quoteId),
                String.valueOf(trip),
                String.valueOf(pickupAddress),
                String.valueOf(dropoffAddress),
                String.valueOf(scheduledFor == null ? null : scheduledFor.toInstant()));
    }
}
