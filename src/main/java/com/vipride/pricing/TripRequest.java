package com.vipride.pricing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** The trip a rider wants priced (and, without a quote, requested). */
public record TripRequest(
        @NotNull @Pattern(regexp = "^[a-z][a-z_-]{1,63}$") String city,
        @NotNull VehicleType vehicleType,
        BillingModel billingModel,
        @Min(1) @Max(14) Integer passengers,
        @NotNull @Valid Coordinates pickup,
        @NotNull @Valid Coordinates dropoff) {

    BillingModel billingModelOrDefault() {
        return billingModel == null ? BillingModel.per_ride : billingModel;
    }

    int passengersOrDefault() {
        return passengers == null ? 1 : passengers;
    }
}
