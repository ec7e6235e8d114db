package com.vipride.fleet;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A vehicle owner's lease offer to a fleet company or a driver (exactly one of the two). Amounts are
 * minor units of {@code currency}, at most 10^12 (the database holds the same bound); which amounts a
 * type needs (a fixed rent, a revenue share, both, a per-ride fee), the dates and the parties are
 * checked by {@code public.offer_vehicle_lease}.
 */
record LeaseOffer(
        @NotNull UUID vehicleId,
        UUID fleetCompanyId,
        UUID driverId,
        @NotNull LeaseType leaseType,
        @NotNull @Pattern(regexp = "[A-Z]{3}") String currency,
        @Min(0) @Max(MAX_MINOR) Long fixedMonthlyMinor,
        @Min(0) @Max(10_000) Integer revenueShareBp,
        @Min(0) @Max(MAX_MINOR) Long perRideMinor,
        @Min(0) @Max(MAX_MINOR) Long minimumMonthlyMinor,
        @Min(1) @Max(10_000_000) Integer mileageLimitKm,
        @Min(0) @Max(MAX_MINOR) Long excessKmRateMinor,
        @Min(0) @Max(MAX_MINOR) Long lateFeeMinor,
        @Min(0) @Max(MAX_MINOR) Long earlyTerminationFeeMinor,
        @NotNull LocalDate startsOn,
        LocalDate endsOn) {

    /** The platform's largest amount of money, in minor units. */
    static final long MAX_MINOR = 1_000_000_000_000L;

    enum LeaseType {
        fixed_rate,
        revenue_share,
        hybrid,
        per_ride
    }
}
