package com.vipride.rides;

import com.vipride.platform.security.CurrentCaller;
import com.vipride.platform.security.PlatformRole;
import com.vipride.platform.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Rides")
class RidesController {

    private final RideHistoryService history;
    private final RideRequests requests;
    private final RideLifecycle lifecycle;
    private final Trips trips;

    RidesController(RideHistoryService history, RideRequests requests, RideLifecycle lifecycle, Trips trips) {
        this.history = history;
        this.requests = requests;
        this.lifecycle = lifecycle;
        this.trips = trips;
    }

    @PostMapping("/api/v1/rides")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Request a ride from a quote (or a trip, quoted now); it is offered to the nearest suitable "
                    + "driver at once. With Idempotency-Key a retry returns the same ride")
    RideView request(
            @Valid @RequestBody RideRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        try {
            return requests.request(request, idempotencyKey);
        } catch (RuntimeException refused) {
            // A VIP's quote keeps its points sealed: the refused plain request wrote nothing; seal and retry.
            if (request.quoteId() != null && RideRequests.needsSealedRoute(refused)) {
                return requests.requestSealed(request, idempotencyKey);
            }
            throw refused;
        }
    }

    @GetMapping("/api/v1/rides/{id}")
    @Operation(summary = "A ride the caller may see (their own, assigned to them, their fleet's …); 404 otherwise")
    RideView ride(@PathVariable UUID id) {
        return history.ride(id);
    }

    @GetMapping("/api/v1/rides/{id}/trip")
    @Operation(
            summary = "The active ride as its party sees it: the driver gets the rider's first name and the route; "
                    + "the rider gets the driver, the vehicle, the driver's position and the ETA. 404 for anyone else "
                    + "and once the ride has ended")
    TripView trip(@PathVariable UUID id) {
        return trips.trip(id);
    }

    @GetMapping("/api/v1/rides/{id}/route")
    @Operation(
            summary = "A ride's pickup and drop-off: its rider, its driver while active, and for a VIP's ride the VIP "
                    + "roles (each read logged in the VIP access log, with the purpose given); 404 for anyone else")
    RouteView route(@PathVariable UUID id, @RequestParam(required = false) @Size(max = 500) String purpose) {
        return trips.route(id, purpose);
    }

    @GetMapping("/api/v1/rides")
    @Operation(summary = "Ride history in [from, to), newest first; staff add customerId")
    Page<RideView> rides(
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant before,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit,
            @RequestParam(required = false) UUID customerId) {
        return history.history(from, to, before, limit, customerId);
    }

    @PostMapping("/api/v1/rides/{id}/arrive")
    @Operation(summary = "Driver: arrived at the pickup (after accepting the offer)")
    RideView arrive(@PathVariable UUID id) {
        return lifecycle.arrive(id);
    }

    @PostMapping("/api/v1/rides/{id}/start")
    @Operation(summary = "Driver: the rider is on board")
    RideView start(@PathVariable UUID id) {
        return lifecycle.start(id);
    }

    @PostMapping("/api/v1/rides/{id}/complete")
    @Operation(summary = "Driver: trip finished; the fare comes from the actual distance and time")
    RideView complete(@PathVariable UUID id, @Valid @RequestBody RideStepRequests.Completion completion) {
        return lifecycle.complete(id, completion.actualDistanceM());
    }

    @PostMapping("/api/v1/rides/{id}/cancel")
    @Operation(
            summary = "Rider or driver: cancel (a rider pays the tariff's fee after the free window). Support or a "
                    + "system admin: cancel a ride that has not ended, with a reason (required), at no fee; "
                    + "an ended ride is a 409 ride-finished")
    RideView cancel(
            @PathVariable UUID id, @Valid @RequestBody(required = false) RideStepRequests.Cancellation cancellation) {
        return lifecycle.cancel(id, cancellation == null ? null : cancellation.reason());
    }

    @PostMapping("/api/v1/rides/{id}/emergency")
    @Operation(summary = "Rider or driver: raise an emergency on an active ride")
    RideView emergency(@PathVariable UUID id) {
        return lifecycle.emergency(id);
    }

    @PostMapping("/api/v1/rides/{id}/rating")
    @Operation(summary = "Rate the other side of a completed ride, once (1–5 stars)")
    RideView rate(@PathVariable UUID id, @Valid @RequestBody RideStepRequests.Rating rating) {
        return lifecycle.rate(id, rating.stars(), CurrentCaller.get().role() == PlatformRole.CUSTOMER_USER);
    }
}
