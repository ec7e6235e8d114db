package com.vipride.payments;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Subscription plan prices with their history: system admins add dated prices; plan readers see them all. */
@RestController
@Tag(name = "Reference data")
class SubscriptionPlansController {

    private final SubscriptionPlanPrices prices;

    SubscriptionPlansController(SubscriptionPlanPrices prices) {
        this.prices = prices;
    }

    @GetMapping("/api/v1/admin/subscription-plans")
    @Operation(summary = "Every dated subscription price per tier and currency, newest first within each")
    @Transactional(readOnly = true)
    List<SubscriptionPlanPrices.Price> history() {
        return prices.history();
    }

    @PostMapping("/api/v1/admin/subscription-plans")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Set a tier's monthly price in a currency from effectiveFrom (default now); existing "
                    + "subscriptions keep their price (system_admin)")
    @Transactional
    SubscriptionPlanPrices.Price add(@Valid @RequestBody SubscriptionPlanPrices.NewPrice price) {
        return prices.add(price);
    }
}
