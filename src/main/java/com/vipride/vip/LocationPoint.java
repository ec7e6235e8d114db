package com.vipride.vip;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Instant;

/** One reported position of a VIP. */
public record LocationPoint(
        @NotNull @DecimalMin("-90") @DecimalMax("90") Double lat,
        @NotNull @DecimalMin("-180") @DecimalMax("180") Double lng,
        @NotNull Instant recordedAt,
        @PositiveOrZero @Max(100_000) Float accuracyM,
        @PositiveOrZero @Max(400) Float speedKmh,

        @PositiveOrZero @DecimalMax(value = "360", inclusive = false)
        Float headingDeg,

        LocationType locationType) {

    public enum LocationType {
        pickup,
        dropoff,
        waypoint,
        emergency,
        routine
    }

    @Override
    public String toString() {
        return "LocationPoint[redacted]";
    }
}
