package com.vipride.pricing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A market's settings (public.city_settings): its currency, the reference latitude of its dispatch
 * plane, trip estimates and dispatch timing. The bounds here are the database's CHECK constraints.
 */
record CitySettings(
        String city,
        String currency,
        double referenceLat,
        BigDecimal roadFactor,
        BigDecimal averageSpeedKmh,
        int surgeRadiusM,
        int surgeWindowS,
        int quoteTtlS,
        int maxPickupDistanceM,
        int offerTimeoutS,
        int dispatchRetryS,
        int dispatchDeadlineS,
        int driverStaleAfterS,
        Instant updatedAt) {

    /** A new city: its name, currency and reference latitude; every other setting has a default. */
    record NewCity(
            @NotNull @Pattern(regexp = "[a-z][a-z_-]{1,63}") String city,
            @NotNull @Valid Change settings) {}

    /**
     * Settings to set; absent ones keep their value (a new city's keep the defaults). A new city needs
     * its currency and reference latitude.
     */
    record Change(
            @Pattern(regexp = "[A-Z]{3}") String currency,
            @DecimalMin("-85") @DecimalMax("85") Double referenceLat,
            @DecimalMin("1.00") @DecimalMax("3.00") BigDecimal roadFactor,
            @DecimalMin("5") @DecimalMax("120") BigDecimal averageSpeedKmh,
            @Min(1) @Max(100_000) Integer surgeRadiusM,
            @Min(1) @Max(86_400) Integer surgeWindowS,
            @Min(1) @Max(3_600) Integer quoteTtlS,
            @Min(1) @Max(100_000) Integer maxPickupDistanceM,
            @Min(1) @Max(600) Integer offerTimeoutS,
            @Min(1) @Max(3_600) Integer dispatchRetryS,
            @Min(1) @Max(86_400) Integer dispatchDeadlineS,
            @Min(1) @Max(3_600) Integer driverStaleAfterS) {}
}
