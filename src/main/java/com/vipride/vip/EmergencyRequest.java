package com.vipride.vip;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/** A VIP (vipUserId omitted) or the driver of their active ride (vipUserId given) raises an emergency. */
record EmergencyRequest(
        UUID vipUserId, @NotNull Kind kind, @Min(1) @Max(5) Integer severity) {

    enum Kind {
        panic_button,
        medical,
        security,
        vehicle_breakdown
    }
}
