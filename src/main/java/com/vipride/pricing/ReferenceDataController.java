package com.vipride.pricing;

import com.vipride.platform.web.NotFound;
import com.vipride.platform.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.List;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Cities and exchange rates: system admins add and change them; every signed-in role that prices reads them. */
@RestController
@Validated
@Tag(name = "Reference data")
class ReferenceDataController {

    private final ReferenceData data;

    ReferenceDataController(ReferenceData data) {
        this.data = data;
    }

    @GetMapping("/api/v1/admin/cities")
    @Operation(summary = "Every city's settings")
    @Transactional(readOnly = true)
    List<CitySettings> cities() {
        return data.cities();
    }

    @GetMapping("/api/v1/admin/cities/{city}")
    @Operation(summary = "One city's settings; 404 if there is none")
    @Transactional(readOnly = true)
    CitySettings city(@PathVariable String city) {
        return data.city(city).orElseThrow(() -> NotFound.of("city", city));
    }

    @PostMapping("/api/v1/admin/cities")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Open a city: its currency and reference latitude, other settings optional (system_admin)")
    @Transactional
    CitySettings addCity(@Valid @RequestBody CitySettings.NewCity city) {
        if (city.settings().currency() == null || city.settings().referenceLat() == null) {
            throw CityProblem.incomplete();
        }
        return data.addCity(city.city(), city.settings());
    }

    @PatchMapping("/api/v1/admin/cities/{city}")
    @Operation(summary = "Change a city's settings; absent ones keep their value (system_admin; audited)")
    @Transactional
    CitySettings changeCity(@PathVariable String city, @Valid @RequestBody CitySettings.Change change) {
        return data.changeCity(city, change);
    }

    @GetMapping("/api/v1/admin/exchange-rates")
    @Operation(summary = "Dated exchange rates, newest first; filter by base and quote currency")
    @Transactional(readOnly = true)
    Page<ExchangeRate> rates(
            @RequestParam(required = false) @Pattern(regexp = "[A-Z]{3}") String base,
            @RequestParam(required = false) @Pattern(regexp = "[A-Z]{3}") String quote,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        var items = data.rates(base, quote, before == null ? Instant.parse("9999-12-31T00:00:00Z") : before, limit);
        return Page.of(items, limit, ExchangeRate::effectiveFrom);
    }

    @PostMapping("/api/v1/admin/exchange-rates")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Add a dated exchange rate, in force from effectiveFrom (default now); rates are never changed"
                    + " (system_admin)")
    @Transactional
    ExchangeRate addRate(@Valid @RequestBody ExchangeRate.NewRate rate) {
        return data.addRate(rate);
    }
}
