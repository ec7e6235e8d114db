package com.vipride.payments;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** Request bodies of refunds and disputes. Amounts are minor units of the payment's currency. */
final class MoneyRequests {

    private MoneyRequests() {}

    record RefundRequest(
            @NotNull @Min(1) @Max(1_000_000_000_000L) Long amountMinor,
            @NotBlank @Size(max = 500) String reason) {}

    record DisputeRequest(
            @NotNull @Min(1) @Max(1_000_000_000_000L) Long amountMinor,
            @NotBlank @Size(max = 500) String reason) {}

    record DisputeResolution(
            @NotNull @Pattern(regexp = "under_review|won|lost")
            String status) {}
}
