package com.vipride.vip.geofence;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(
        name = "VIP geofencing",
        description = "Safe and restricted zones, geofence alerts and the security monitoring list")
class GeofenceController {

    private final GeofenceService geofences;
    private final SecurityAlertService alerts;

    GeofenceController(GeofenceService geofences, SecurityAlertService alerts) {
        this.geofences = geofences;
        this.alerts = alerts;
    }

    @PostMapping("/api/v1/vip/me/geofences")
    @Operation(summary = "Define one of the signed-in VIP's own zones (polygon or circle); 422 for a non-VIP account")
    ResponseEntity<GeofenceView> defineOwn(@Valid @RequestBody GeofenceRequest request) {
        GeofenceView created = geofences.defineOwn(request);
        return ResponseEntity.created(URI.create("/api/v1/vip/me/geofences/" + created.id()))
                .body(created);
    }

    @GetMapping("/api/v1/vip/me/geofences")
    @Operation(summary = "The signed-in VIP's zones, newest first")
    List<GeofenceView> listOwn(@RequestParam(defaultValue = "false") boolean includeInactive) {
        return geofences.listOwn(includeInactive);
    }

    @DeleteMapping("/api/v1/vip/me/geofences/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Deactivate one of the signed-in VIP's zones (its events and alerts stay); 404 if not theirs")
    void deactivateOwn(@PathVariable UUID id) {
        geofences.deactivateOwn(id);
    }

    @PostMapping("/api/v1/vip/{vipUserId}/geofences")
    @Operation(summary = "vip_admin: define a zone for a VIP; 404 if the user is not a VIP")
    ResponseEntity<GeofenceView> defineFor(@PathVariable UUID vipUserId, @Valid @RequestBody GeofenceRequest request) {
        GeofenceView created = geofences.defineFor(vipUserId, request);
        return ResponseEntity.created(URI.create("/api/v1/vip/" + vipUserId + "/geofences/" + created.id()))
                .body(created);
    }

    @GetMapping("/api/v1/vip/{vipUserId}/geofences")
    @Operation(summary = "vip_admin and vip_operator: a VIP's zones, newest first")
    List<GeofenceView> listFor(
            @PathVariable UUID vipUserId, @RequestParam(defaultValue = "false") boolean includeInactive) {
        return geofences.listFor(vipUserId, includeInactive);
    }

    @DeleteMapping("/api/v1/vip/{vipUserId}/geofences/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "vip_admin: deactivate a VIP's zone")
    void deactivateFor(@PathVariable UUID vipUserId, @PathVariable UUID id) {
        geofences.deactivateFor(vipUserId, id);
    }

    @GetMapping("/api/v1/vip/alerts")
    @Operation(
            summary =
                    "Geofence alerts, newest first: every VIP's for vip_admin and vip_operator, a VIP's own for the VIP")
    List<SecurityAlertView> alerts(
            @RequestParam(defaultValue = "open") AlertStatus status,
            @RequestParam(required = false) UUID vipUserId,
            @RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit) {
        return alerts.alerts(status, vipUserId, limit);
    }

    @PostMapping("/api/v1/vip/alerts/{id}/acknowledge")
    @Operation(summary = "vip_admin: acknowledge an open alert; 409 if it already was")
    SecurityAlertView acknowledge(@PathVariable UUID id) {
        return alerts.acknowledge(id);
    }

    @GetMapping("/api/v1/monitoring/security-alerts")
    @Operation(
            summary = "audit_admin, system_admin, vip_admin: security signals (geofence alerts, open emergencies, "
                    + "lock-outs, failed-login bursts, refresh-token reuse), each reader seeing what their role may")
    List<MonitoringAlertView> monitoring(@RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit) {
        return alerts.monitoring(limit);
    }
}
