package com.vipride.rides;

import java.time.Instant;
import java.util.UUID;

import com.vipride.platform.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Rides")
class RidesController {

    private final RideHistoryService history;

    RidesController(RideHistoryService history) {
        this.history = history;
    }

    @GetMapping("/api/v1/rides/{id}")
    @Operation(summary = "A ride the caller may see (their own, assigned to them, their fleet's …); 404 otherwise")
    RideView ride(@PathVariable UUID id) {
        return history.ride(id);
    }

    @GetMapping("/api/v1/rides")
    @Operation(summary = "Ride history in [from, to), newest first; staff add customerId")
    Page<RideView> rides(@RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
                         @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
                         @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant before,
                         @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
                         @RequestParam(required = false) UUID customerId) {
        return history.history(from, to, before, limit, customerId);
    }
}
