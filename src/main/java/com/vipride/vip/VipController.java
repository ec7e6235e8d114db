package com.vipride.vip;

import com.vipride.vip.crypto.VipKeys;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * VIP protection over HTTP. Who may call what is decided by PostgreSQL under the caller's role (a
 * role without the privilege gets 403, a record outside its rows 404); every read of VIP data names
 * its purpose and lands in the VIP access log.
 */
@RestController
@Tag(name = "VIP protection")
class VipController {

    private final VipProfileService profiles;
    private final LocationIngestService locations;
    private final EmergencyService emergencies;
    private final Reencryption reencryption;
    private final VipKeys keys;

    VipController(
            VipProfileService profiles,
            LocationIngestService locations,
            EmergencyService emergencies,
            Reencryption reencryption,
            VipKeys keys) {
        this.profiles = profiles;
        this.locations = locations;
        this.emergencies = emergencies;
        this.reencryption = reencryption;
        this.keys = keys;
    }

    @PostMapping("/api/v1/vip/profiles")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Make a customer a VIP and record their protected profile (vip_admin)")
    VipProfileView create(@Valid @RequestBody VipProfileRequest request) {
        return profiles.create(request);
    }

    @PutMapping("/api/v1/vip/profiles/{userId}")
    @Operation(summary = "Replace a VIP's profile (vip_admin)")
    VipProfileView update(@PathVariable UUID userId, @Valid @RequestBody VipProfileRequest request) {
        return profiles.update(userId, request);
    }

    @GetMapping("/api/v1/vip/profiles/{userId}")
    @Operation(
            summary =
                    "Read a VIP's profile (vip_admin: all fields; vip_operator: no medical or security notes); logged")
    VipProfileView profile(@PathVariable UUID userId, @RequestParam(required = false) String purpose) {
        return profiles.staffView(userId, purpose);
    }

    @GetMapping("/api/v1/vip/me")
    @Operation(summary = "The signed-in VIP's own self-service fields; logged")
    VipProfileView me() {
        return profiles.selfView();
    }

    @PutMapping("/api/v1/vip/me")
    @Operation(summary = "Update the signed-in VIP's self-service fields")
    VipProfileView updateMe(@Valid @RequestBody VipSelfServiceRequest request) {
        return profiles.updateSelf(request);
    }

    @PostMapping("/api/v1/vip/locations")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Report one VIP position (the VIP, or the driver of their active ride with vipUserId)")
    LocationIngestService.IngestResult location(
            @RequestParam(required = false) UUID vipUserId, @Valid @RequestBody LocationPoint point) {
        return locations.ingest(new LocationBatch(vipUserId, List.of(point)));
    }

    @PostMapping("/api/v1/vip/locations/batch")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Report up to 1000 VIP positions in one request")
    LocationIngestService.IngestResult locations(@Valid @RequestBody LocationBatch batch) {
        return locations.ingest(batch);
    }

    @PostMapping("/api/v1/vip/emergencies")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Raise an emergency: the VIP for themselves, or the driver of the VIP's active ride")
    Emergencies.Incident raise(@Valid @RequestBody EmergencyRequest request) {
        return emergencies.raise(request);
    }

    @GetMapping("/api/v1/vip/emergencies")
    @Operation(summary = "Open emergencies visible to the caller (responders, VIP staff, the VIP)")
    List<Emergencies.Incident> openEmergencies() {
        return emergencies.open();
    }

    @PostMapping("/api/v1/vip/emergencies/{id}/resolve")
    @Operation(summary = "Resolve an open emergency (responder or vip_admin); access ends with it")
    Emergencies.Incident resolve(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "false") boolean falseAlarm,
            @RequestParam(required = false) String note) {
        return emergencies.resolve(id, falseAlarm, note);
    }

    @GetMapping("/api/v1/vip/emergencies/{id}/profile")
    @Operation(
            summary = "Emergency-relevant profile fields of the VIP in this open emergency; logged with the incident")
    VipProfileView emergencyProfile(@PathVariable UUID id, @RequestParam(required = false) String purpose) {
        return profiles.emergencyView(id, purpose);
    }

    @GetMapping("/api/v1/vip/emergencies/{id}/locations")
    @Operation(summary = "The VIP's positions since the emergency opened; logged with the incident")
    List<EmergencyService.Position> emergencyLocations(
            @PathVariable UUID id, @RequestParam(required = false) String purpose) {
        return emergencies.locations(id, purpose);
    }

    @PostMapping("/api/v1/vip/profiles/{userId}/key-rotation")
    @Operation(summary = "Rotate the VIP's data key and re-encrypt all their data under it (vip_admin)")
    Reencryption.Result rotate(@PathVariable UUID userId) {
        return reencryption.rotateAndReencrypt(userId);
    }

    @PostMapping("/api/v1/vip/profiles/{userId}/erasure")
    @Operation(summary = "Erase the VIP's protected data everywhere, backups included, by destroying its key")
    @Transactional
    ResponseEntity<Void> erase(@PathVariable UUID userId) {
        keys.shred(userId);
        return ResponseEntity.noContent().build();
    }
}
