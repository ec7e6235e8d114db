package com.vipride.pricing;

import jakarta.validation.constraints.Max;
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
        @NotNull @Min(0) @Max(MAX_COMPONENT_MINOR) Long baseFareMinor,
        @NotNull @Min(0) @Max(MAX_COMPONENT_MINOR) Long perKmMinor,
        @NotNull @Min(0) @Max(MAX_COMPONENT_MINOR) Long perMinuteMinor,
        @NotNull @Min(0) @Max(MAX_COMPONENT_MINOR) Long flatFareMinor,
        @NotNull @Min(0) @Max(MAX_COMPONENT_MINOR) Long minimumFareMinor,
        @NotNull @Min(0) @Max(MAX_COMPONENT_MINOR) Long cancellationFeeMinor,
        @NotNull @Min(0) @Max(86_400) Integer freeCancellationS) {

    /** The largest price-list component, in minor units (also a CHECK on public.tariffs). */
    static final long MAX_COMPONENT_MINOR = 100_000_000L;

    enum RiderTier {
        normal,
        premium,
        vip
    }
}
