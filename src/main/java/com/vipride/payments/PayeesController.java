package com.vipride.payments;

import com.vipride.platform.web.NotFound;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** What payees manage: drivers' subscriptions, every payee's payouts, and lease statements. */
@RestController
@Tag(name = "Payments")
class PayeesController {

    private final Subscriptions subscriptions;
    private final Payouts payouts;
    private final LeaseBilling leases;

    PayeesController(Subscriptions subscriptions, Payouts payouts, LeaseBilling leases) {
        this.subscriptions = subscriptions;
        this.payouts = payouts;
        this.leases = leases;
    }

    @GetMapping("/api/v1/subscription-plans")
    @Operation(summary = "Driver subscription tiers, monthly prices and what each gives")
    List<Subscriptions.Plan> plans() {
        return subscriptions.plans();
    }

    @PostMapping("/api/v1/drivers/me/subscription")
    @Operation(
            summary = "Subscribe or change tier at the plan's current price, which renewals keep; "
                    + "the first month is charged from your earnings at once")
    Subscriptions.Subscription subscribe(@Valid @RequestBody TierChoice choice) {
        return subscriptions.subscribe(choice.tier(), choice.currency() == null ? "USD" : choice.currency());
    }

    @GetMapping("/api/v1/drivers/me/subscription")
    @Operation(summary = "The signed-in driver's latest subscription")
    Subscriptions.Subscription mine() {
        return subscriptions.mine().orElseThrow(() -> NotFound.of("subscription", "for your account"));
    }

    @GetMapping("/api/v1/earnings/payouts")
    @Operation(summary = "Payouts to the caller as driver, fleet, vehicle owner or hotel")
    List<Payouts.Payout> myPayouts() {
        return payouts.mine();
    }

    @GetMapping("/api/v1/leases/{id}/statements")
    @Operation(summary = "A lease's monthly statements (its fleet's admins, the vehicle's owner, staff)")
    List<LeaseBilling.Statement> leaseStatements(@PathVariable UUID id) {
        return leases.statements(id);
    }

    @PostMapping("/api/v1/leases/{id}/statements")
    @Operation(
            summary =
                    "Issue a lease's statement for a month, e.g. month=2026-10 (system_admin; the job does it monthly)")
    LeaseBilling.Statement issueLeaseStatement(@PathVariable UUID id, @RequestParam YearMonth month) {
        return leases.issue(id, month);
    }

    /** A tier, and the currency of the plan's price (USD unless given); the charge is in the driver's city's currency. */
    record TierChoice(
            @NotNull Subscriptions.Tier tier,
            @Pattern(regexp = "[A-Z]{3}") String currency) {}
}
