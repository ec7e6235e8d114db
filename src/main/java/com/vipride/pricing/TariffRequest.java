package com.vipride.pricing;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/** A new price list for one city, vehicle type, rider tier and billing model; amounts in minor units. */
record TariffRequest(
        @NotNull @Pattern(regexp = "^[a-z][a-z_-]{1,63}$") String city,
        @NotNull VehicleType vehicleType,
        @NotNull RiderTier riderTier,
        @NotNull BillingModel billingModel,
        @NotNull @Pattern(regexp = "^[A-Z]{3}$") String currency,
        @NotNull @Min(0) Long baseFareMinor,
        @NotNull @Min(0) Long perKmMinor,
        @NotNull @Min(0) Long perMinuteMinor,
        @NotNull @Min(0) Long flatFareMinor,
        @NotNull @Min(0) Long minimumFareMinor,
        @NotNull @Min(0) Long cancellationFeeMinor,
        @NotNull @Min(0) Integer freeCancellationS) {

    enum RiderTier {
        normal,
        premium,
        vip
    }
}
