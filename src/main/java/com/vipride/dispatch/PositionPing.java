package com.vipride.dispatch;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;

/** One GPS fix of a driver's phone; {@code recordedAt} defaults to the time it arrives. */
record PositionPing(
        @NotNull @DecimalMin("-90") @DecimalMax("90") Double lat,
        @NotNull @DecimalMin("-180") @DecimalMax("180") Double lng,
        Instant recordedAt) {}
