package com.vipride.rides;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * An active ride as one of its two parties sees it. The driver ({@code viewer = "driver"}) gets the rider's
 * first name and the route; the rider ({@code viewer = "rider"}) gets the driver, the vehicle, the driver's
 * last position and the ETA. What the other side would see is absent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record TripView(
        UUID rideId,
        Instant requestedAt,
        String status,
        String viewer,
        String city,
        Rider rider,
        Place pickup,
        Place dropoff,
        Driver driver,
        Vehicle vehicle,
        Eta eta) {

    record Rider(String firstName) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Place(double lat, double lng, String address) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Driver(String firstName, BigDecimal rating, Position position) {}

    record Position(double lat, double lng, Instant at) {}

    record Vehicle(String make, String model, String colour, String plate) {}

    /** To the pickup while the driver approaches, to the drop-off during the trip. */
    record Eta(String target, int distanceM, int seconds) {}
}
