package com.vipride.payments;

import java.util.List;

import com.vipride.platform.web.NotFound;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Payments")
class SubscriptionsController {

    private final Subscriptions subscriptions;
    private final Payouts payouts;

    SubscriptionsController(Subscriptions subscriptions, Payouts payouts) {
        this.subscriptions = subscriptions;
        this.payouts = payouts;
    }

    @GetMapping("/api/v1/subscription-plans")
    @Operation(summary = "Driver subscription tiers, monthly prices and what each gives")
    List<Subscriptions.Plan> plans() {
        return subscriptions.plans();
    }

    @PostMapping("/api/v1/drivers/me/subscription")
    @Operation(summary = "Subscribe or change tier; the first month is charged from your earnings at once")
    Subscriptions.Subscription subscribe(@Valid @RequestBody TierChoice choice) {
        return subscriptions.subscribe(choice.tier());
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

    record TierChoice(@NotNull Subscriptions.Tier tier) {
    }
}
