package com.vipride.fleet;

import com.vipride.platform.web.NotFound;
import com.vipride.platform.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Vehicle leases between an owner and a fleet company or a driver: offer, accept, end, list. */
@RestController
@Validated
@Tag(name = "Fleet")
class LeasesController {

    private final Leases leases;

    LeasesController(Leases leases) {
        this.leases = leases;
    }

    @PostMapping("/api/v1/leases")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Offer your vehicle on lease to a fleet company or a driver; pending until they accept")
    @Transactional
    LeaseView offer(@Valid @RequestBody LeaseOffer offer) {
        return leases.offer(offer);
    }

    @PostMapping("/api/v1/leases/{id}/accept")
    @Operation(summary = "Accept a lease offered to your fleet or to you as a driver; it becomes active")
    @Transactional
    LeaseView accept(@PathVariable UUID id) {
        return leases.accept(id);
    }

    @PostMapping("/api/v1/leases/{id}/terminate")
    @Operation(
            summary = "End a lease you are a party to: withdraw or decline an offer, or end an active lease "
                    + "(before its end date, for the contract's early-termination fee)")
    @Transactional
    LeaseView terminate(@PathVariable UUID id) {
        return leases.terminate(id);
    }

    @GetMapping("/api/v1/leases/{id}")
    @Operation(summary = "A lease the caller is a party to (or staff); 404 otherwise")
    @Transactional(readOnly = true)
    LeaseView lease(@PathVariable UUID id) {
        return leases.find(id).orElseThrow(() -> NotFound.of("lease", id));
    }

    @GetMapping("/api/v1/leases")
    @Operation(
            summary = "The caller's leases, newest first: as the vehicle's owner, as an admin of the lessee "
                    + "fleet, or as the lessee driver")
    @Transactional(readOnly = true)
    Page<LeaseView> mine(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        var items = leases.page(before == null ? Instant.now() : before, limit);
        return Page.of(items, limit, LeaseView::createdAt);
    }
}
