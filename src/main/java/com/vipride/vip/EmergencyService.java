package com.vipride.vip;

import com.vipride.platform.security.Caller;
import com.vipride.platform.security.CurrentCaller;
import com.vipride.platform.security.PlatformRole;
import com.vipride.platform.web.InvalidRequest;
import com.vipride.platform.web.NotFound;
import com.vipride.rides.RideLifecycle;
import com.vipride.vip.crypto.FieldContext;
import com.vipride.vip.crypto.VipCipher;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Emergency override: raising an incident puts the VIP's active ride into status emergency and opens
 * a bounded window in which emergency responders may read the VIP's live location and emergency
 * fields — every such read logged with the incident. Resolving (or the window's end) closes it.
 */
@Service
class EmergencyService {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** How long responders may see the VIP after an emergency is raised, unless it is resolved sooner. */
    static final java.time.Duration ACCESS_WINDOW = java.time.Duration.ofHours(4);

    private final Emergencies emergencies;
    private final VipLocations locations;
    private final VipCipher cipher;
    private final VipAccessLog accessLog;
    private final RideLifecycle rides;
    private final java.time.Clock clock;

    EmergencyService(
            Emergencies emergencies,
            VipLocations locations,
            VipCipher cipher,
            VipAccessLog accessLog,
            RideLifecycle rides,
            java.time.Clock clock) {
        this.emergencies = emergencies;
        this.locations = locations;
        this.cipher = cipher;
        this.accessLog = accessLog;
        this.rides = rides;
        this.clock = clock;
    }

    @Transactional
    Emergencies.Incident raise(EmergencyRequest request) {
        Caller caller = CurrentCaller.get();
        boolean asDriver = caller.role() == PlatformRole.DRIVER_USER;
        if (asDriver && request.vipUserId() == null) {
            throw InvalidRequest.of("vip-required", "A driver raises an emergency for a VIP: add vipUserId.");
        }
        UUID vip = asDriver ? request.vipUserId() : caller.requireUserId();
        Optional<Emergencies.RideRef> ride = emergencies.activeRide(vip, asDriver);
        if (asDriver && ride.isEmpty()) {
            throw NotFound.of("active ride with VIP", vip);
        }
        ride.ifPresent(r -> rides.emergency(r.id()));
        Instant now = clock.instant();
        return emergencies.open(
                vip,
                ride,
                caller.requireUserId(),
                request.kind().name(),
                request.severity() == null ? 4 : request.severity(),
                now,
                now.plus(ACCESS_WINDOW));
    }

    @Transactional(readOnly = true)
    List<Emergencies.Incident> open() {
        return emergencies.open();
    }

    @Transactional
    Emergencies.Incident resolve(UUID id, boolean falseAlarm, String note) {
        if (!emergencies.resolve(
                id, CurrentCaller.get().requireUserId(), falseAlarm ? "false_alarm" : "resolved", note)) {
            throw VipProblem.noActiveEmergency();
        }
        return emergencies.find(id).orElseThrow();
    }

    /** The VIP's positions since the incident opened (less 15 minutes), decrypted and logged. */
    @Transactional
    List<Position> locations(UUID incidentId, String purpose) {
        Emergencies.Incident incident = emergencies
                .find(incidentId)
                .filter(i -> i.status().equals("open"))
                .orElseThrow(VipProblem::noActiveEmergency);
        accessLog.record(
                incident.vipUserId(),
                "vip_location_history",
                purpose == null ? "emergency response" : purpose,
                incidentId);
        Instant since = incident.openedAt().minusSeconds(15 * 60);
        return locations.recent(incident.vipUserId(), since, 500).stream()
                .map(p -> position(
                        cipher.decrypt(
                                incident.vipUserId(),
                                FieldContext.of(VipLocations.TABLE, VipLocations.COLUMN, p.id()),
                                p.coordinates()),
                        p))
                .toList();
    }

    private static Position position(byte[] plaintext, VipLocations.StoredPoint point) {
        JsonNode coordinates = JSON.readTree(new String(plaintext, StandardCharsets.UTF_8));
        return new Position(
                coordinates.get("lat").asDouble(),
                coordinates.get("lng").asDouble(),
                point.recordedAt(),
                point.locationType());
    }

    public record Position(double lat, double lng, Instant recordedAt, String locationType) {}
}
