package com.vipride.rides;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Bodies of the ride steps that carry data. */
final class RideStepRequests {

    private RideStepRequests() {}

    /** The trip's distance as the driver's app measured it, in metres (at most 2,000 km). */
    record Completion(@NotNull @Min(0) @Max(2_000_000) Integer actualDistanceM) {}

    record Cancellation(@Size(max = 500) String reason) {}

    record Rating(@NotNull @Min(1) @Max(5) Integer stars) {}
}
