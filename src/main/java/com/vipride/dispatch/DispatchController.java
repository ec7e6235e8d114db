package com.vipride.dispatch;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Dispatch")
class DispatchController {

    private final DriverAvailability availability;
    private final RideOffers offers;

    DispatchController(DriverAvailability availability, RideOffers offers) {
        this.availability = availability;
        this.offers = offers;
    }

    @GetMapping("/api/v1/drivers/me/availability")
    @Operation(summary = "The signed-in driver's dispatch state")
    Availability availability() {
        return availability.current();
    }

    @PostMapping("/api/v1/drivers/me/online")
    @Operation(summary = "Go online: approved drivers with an active vehicle become available for offers")
    Availability online() {
        return availability.goOnline();
    }

    @PostMapping("/api/v1/drivers/me/offline")
    @Operation(summary = "Go offline: no more offers")
    Availability offline() {
        return availability.goOffline();
    }

    @PostMapping("/api/v1/drivers/me/position")
    @Operation(summary = "Report one position fix")
    Availability position(@Valid @RequestBody PositionPing ping) {
        return availability.ping(List.of(ping));
    }

    @PostMapping("/api/v1/drivers/me/positions")
    @Operation(summary = "Report buffered position fixes; the newest one counts")
    Availability positions(@Valid @RequestBody PositionBatch batch) {
        return availability.ping(batch.points());
    }

    @GetMapping("/api/v1/drivers/me/offers")
    @Operation(summary = "The signed-in driver's recent ride offers")
    List<RideOffer> offers() {
        return offers.recent();
    }

    @PostMapping("/api/v1/rides/{id}/accept")
    @Operation(summary = "Accept the open offer of a ride (the driver it was offered to)")
    Map<String, String> accept(@PathVariable UUID id) {
        return Map.of("offer", offers.respond(id, true));
    }

    @PostMapping("/api/v1/rides/{id}/decline")
    @Operation(summary = "Decline the open offer of a ride; it goes to the next nearest driver")
    Map<String, String> decline(@PathVariable UUID id) {
        return Map.of("offer", offers.respond(id, false));
    }
}
