package com.vipride.safety;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** SOS on a ride, and the control centre's incident workflow. */
@RestController
@Tag(name = "Safety")
class SafetyController {

    private static final String KINDS = "sos|medical|security|vehicle_breakdown|accident";
    private static final String OUTCOMES = "resolved|false_alarm|police_called|medical_assistance|ride_ended";

    record SosRequest(
            @Pattern(regexp = KINDS) String kind,
            @Size(min = 1, max = 2000) String note) {}

    record AssignRequest(@NotNull UUID responderId) {}

    record NoteRequest(@NotBlank @Size(max = 2000) String note) {}

    record ResolveRequest(
            @NotNull @Pattern(regexp = OUTCOMES) String outcome,
            @Size(min = 1, max = 2000) String note) {}

    record SettingsRequest(
            @NotNull @Min(5) @Max(3600) Integer acknowledgeWithinS,
            @NotNull @Min(300) @Max(86400) Integer accessWindowS) {}

    private final Incidents incidents;
    private final ControlCentreMap map;

    SafetyController(Incidents incidents, ControlCentreMap map) {
        this.incidents = incidents;
        this.map = map;
    }

    @PostMapping("/api/v1/rides/{id}/sos")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Rider or driver of an active ride: raise an SOS; the control centre is alerted at once")
    Incident sos(@PathVariable UUID id, @Valid @RequestBody(required = false) SosRequest request) {
        SosRequest body = request == null ? new SosRequest(null, null) : request;
        return incidents.raiseSos(id, body.kind(), body.note());
    }

    @GetMapping("/api/v1/control-centre/queue")
    @Operation(summary = "Control centre: unresolved incidents with their timers, open ones first")
    List<Incident> queue() {
        return incidents.queue();
    }

    @GetMapping("/api/v1/control-centre/incidents/{id}")
    @Operation(summary = "An incident and its timeline (the ride's party sees the incident only)")
    Incidents.IncidentDetail incident(@PathVariable UUID id) {
        Incident incident = incidents.find(id).orElseThrow(() -> com.vipride.platform.web.NotFound.of("incident", id));
        return new Incidents.IncidentDetail(incident, incidents.timeline(id));
    }

    @PostMapping("/api/v1/control-centre/incidents/{id}/acknowledge")
    @Operation(summary = "Control centre: acknowledge an open incident (stops its escalation)")
    Incident acknowledge(@PathVariable UUID id) {
        return incidents.acknowledge(id);
    }

    @PostMapping("/api/v1/control-centre/incidents/{id}/assign")
    @Operation(summary = "Control centre: assign the incident to a responder (who is notified)")
    Incident assign(@PathVariable UUID id, @Valid @RequestBody AssignRequest request) {
        return incidents.assign(id, request.responderId());
    }

    @PostMapping("/api/v1/control-centre/incidents/{id}/notes")
    @Operation(summary = "Control centre: add a note to the incident's timeline")
    Incident note(@PathVariable UUID id, @Valid @RequestBody NoteRequest request) {
        return incidents.note(id, request.note());
    }

    @PostMapping("/api/v1/control-centre/incidents/{id}/resolve")
    @Operation(summary = "Control centre: resolve the incident with an outcome")
    Incident resolve(@PathVariable UUID id, @Valid @RequestBody ResolveRequest request) {
        return incidents.resolve(id, request.outcome(), request.note());
    }

    @GetMapping("/api/v1/control-centre/incidents/{id}/live")
    @Operation(
            summary =
                    "Control centre: the ride's live position, the parties' phones and emergency contacts (time-boxed, logged)")
    Incidents.LiveView live(@PathVariable UUID id, @RequestParam(required = false) @Size(max = 200) String purpose) {
        return incidents.live(id, purpose);
    }

    @GetMapping("/api/v1/control-centre/map")
    @Operation(
            summary = "Control centre, support, system administrator: a city's active rides, available drivers and"
                    + " open incidents; positions rounded to about 110 m, no identities, VIP rides only for VIP"
                    + " operators and admins")
    ControlCentreMap.CityMap map(
            @RequestParam(defaultValue = "lagos") @Pattern(regexp = "[a-z][a-z_-]{1,63}") String city) {
        return map.of(city);
    }

    @GetMapping("/api/v1/control-centre/figures")
    @Operation(summary = "Control centre: open, overdue, time to acknowledge and to resolve (p50, p90)")
    Incidents.Figures figures(@RequestParam(defaultValue = "24") @Min(1) @Max(720) int windowHours) {
        return incidents.figures(windowHours * 3600);
    }

    @GetMapping("/api/v1/control-centre/settings")
    @Operation(summary = "Control centre: the acknowledgement deadline and the responders' access window")
    Incidents.Settings settings() {
        return incidents.settings();
    }

    @PutMapping("/api/v1/control-centre/settings")
    @Operation(summary = "System administrator: change the acknowledgement deadline and the access window")
    Incidents.Settings changeSettings(@Valid @RequestBody SettingsRequest request) {
        return incidents.changeSettings(new Incidents.Settings(request.acknowledgeWithinS(), request.accessWindowS()));
    }
}
