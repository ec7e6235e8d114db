package com.vipride.pricing;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

/** A point on Earth in degrees (WGS 84). */
record Coordinates(
        @NotNull @DecimalMin("-90") @DecimalMax("90") Double lat,
        @NotNull @DecimalMin("-180") @DecimalMax("180") Double lng) {

    boolean sameAs(Coordinates other) {
        return lat.equals(other.lat) && lng.equals(other.lng);
    }
}
