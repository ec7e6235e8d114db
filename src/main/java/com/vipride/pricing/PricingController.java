package com.vipride.pricing;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Validated
@Tag(name = "Pricing")
class PricingController {

    private final FareQuotes quotes;
    private final PriceLists priceLists;

    PricingController(FareQuotes quotes, PriceLists priceLists) {
        this.quotes = quotes;
        this.priceLists = priceLists;
    }

    @PostMapping("/api/v1/fare-quotes")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Price a trip for the signed-in rider; the quote is honoured until expiresAt")
    FareQuote quote(@Valid @RequestBody TripRequest trip) {
        return quotes.quote(trip);
    }

    @GetMapping("/api/v1/pricing/tariffs")
    @Operation(summary = "Current tariffs of a city")
    List<Tariff> tariffs(@RequestParam String city) {
        return priceLists.currentTariffs(city);
    }

    @PostMapping("/api/v1/pricing/tariffs")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary =
                    "Publish a tariff, retiring the current one for the same city, vehicle, tier and model (system_admin)")
    Tariff publish(@Valid @RequestBody TariffRequest request) {
        return priceLists.replaceTariff(request);
    }

    @GetMapping("/api/v1/pricing/surge-rules/{city}")
    @Operation(summary = "Surge rules of a city")
    List<SurgeRule> surgeRules(@PathVariable String city) {
        return priceLists.surgeRules(city);
    }

    @PutMapping("/api/v1/pricing/surge-rules/{city}")
    @Operation(summary = "Replace the surge rules of a city (system_admin)")
    List<SurgeRule> replaceSurgeRules(
            @PathVariable String city, @RequestBody @Size(max = 20) List<@Valid SurgeRule> rules) {
        return priceLists.replaceSurgeRules(city, rules);
    }
}
