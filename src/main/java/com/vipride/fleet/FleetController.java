package com.vipride.fleet;

import com.vipride.fleet.FleetRequests.Decision;
import com.vipride.fleet.FleetRequests.FleetApplication;
import com.vipride.fleet.FleetRequests.Reason;
import com.vipride.fleet.FleetViews.DriverView;
import com.vipride.fleet.FleetViews.FleetCompanyView;
import com.vipride.fleet.FleetViews.FleetDriver;
import com.vipride.fleet.FleetViews.FleetLease;
import com.vipride.fleet.FleetViews.FleetRide;
import com.vipride.fleet.FleetViews.VehicleView;
import com.vipride.platform.web.NotFound;
import com.vipride.platform.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Fleet")
class FleetController {

    private final FleetRecords records;
    private final Onboarding onboarding;

    FleetController(FleetRecords records, Onboarding onboarding) {
        this.records = records;
        this.onboarding = onboarding;
    }

    @GetMapping("/api/v1/drivers/{id}")
    @Operation(
            summary =
                    "A driver the caller may see (self, own fleet's, the driver of the caller's active ride); 404 otherwise")
    @Transactional(readOnly = true)
    DriverView driver(@PathVariable UUID id) {
        return records.driver(id).orElseThrow(() -> NotFound.of("driver", id));
    }

    @GetMapping("/api/v1/vehicles/{id}")
    @Operation(summary = "A vehicle the caller may see; 404 otherwise")
    @Transactional(readOnly = true)
    VehicleView vehicle(@PathVariable UUID id) {
        return records.vehicle(id).orElseThrow(() -> NotFound.of("vehicle", id));
    }

    @GetMapping("/api/v1/fleets/{id}")
    @Operation(summary = "A fleet company the caller may see (their own, or their application); 404 otherwise")
    @Transactional(readOnly = true)
    FleetCompanyView fleet(@PathVariable UUID id) {
        return visibleFleet(id);
    }

    @PostMapping("/api/v1/fleets")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Apply for a fleet company (a normal-tier rider); pending until a system admin vets it")
    @Transactional
    FleetCompanyView apply(@Valid @RequestBody FleetApplication application) {
        return visibleFleet(onboarding.applyForFleet(application));
    }

    @PostMapping("/api/v1/fleets/{id}/verification")
    @Operation(
            summary = "Vet a pending fleet (system admin): approve (the applicant becomes its fleet admin) or reject,"
                    + " with a reason")
    @Transactional
    FleetCompanyView verify(@PathVariable UUID id, @Valid @RequestBody Decision decision) {
        onboarding.changeFleetStatus(id, decision.approve() ? "approve" : "reject", decision.reason());
        return visibleFleet(id);
    }

    @PostMapping("/api/v1/fleets/{id}/suspension")
    @Operation(summary = "Suspend an active fleet (system admin); its drivers go offline")
    @Transactional
    FleetCompanyView suspend(@PathVariable UUID id, @Valid @RequestBody Reason reason) {
        onboarding.changeFleetStatus(id, "suspend", reason.reason());
        return visibleFleet(id);
    }

    @PostMapping("/api/v1/fleets/{id}/reinstatement")
    @Operation(summary = "Reinstate a suspended fleet (system admin)")
    @Transactional
    FleetCompanyView reinstate(@PathVariable UUID id, @Valid @RequestBody Reason reason) {
        onboarding.changeFleetStatus(id, "reinstate", reason.reason());
        return visibleFleet(id);
    }

    @GetMapping("/api/v1/fleets/{id}/drivers")
    @Operation(summary = "The fleet's drivers, newest first; q searches name, e-mail and licence number")
    @Transactional(readOnly = true)
    Page<FleetDriver> drivers(
            @PathVariable UUID id,
            @RequestParam(required = false) @Size(max = 100) String q,
            @RequestParam(required = false) Instant before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        visibleFleet(id);
        return Page.of(records.fleetDrivers(id, q, before, limit), limit, FleetDriver::createdAt);
    }

    @GetMapping("/api/v1/fleets/{id}/vehicles")
    @Operation(summary = "The fleet's vehicles, newest first; q searches plate, make and model")
    @Transactional(readOnly = true)
    Page<VehicleView> vehicles(
            @PathVariable UUID id,
            @RequestParam(required = false) @Size(max = 100) String q,
            @RequestParam(required = false) Instant before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        visibleFleet(id);
        return Page.of(records.fleetVehicles(id, q, before, limit), limit, VehicleView::createdAt);
    }

    @GetMapping("/api/v1/fleets/{id}/leases")
    @Operation(summary = "The fleet's vehicle leases, newest first; q searches the plate and the status")
    @Transactional(readOnly = true)
    Page<FleetLease> leases(
            @PathVariable UUID id,
            @RequestParam(required = false) @Size(max = 100) String q,
            @RequestParam(required = false) Instant before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        visibleFleet(id);
        return Page.of(records.fleetLeases(id, q, before, limit), limit, FleetLease::createdAt);
    }

    @GetMapping("/api/v1/fleets/{id}/rides")
    @Operation(summary = "The fleet's rides, newest first, optionally of one status")
    @Transactional(readOnly = true)
    Page<FleetRide> rides(
            @PathVariable UUID id,
            @RequestParam(required = false) @Size(max = 20) String status,
            @RequestParam(required = false) Instant before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        visibleFleet(id);
        return Page.of(records.fleetRides(id, status, before, limit), limit, FleetRide::requestedAt);
    }

    private FleetCompanyView visibleFleet(UUID id) {
        return records.fleet(id).orElseThrow(() -> NotFound.of("fleet company", id));
    }
}
