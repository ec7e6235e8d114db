package com.vipride.vip;

import com.vipride.platform.security.Caller;
import com.vipride.platform.security.CurrentCaller;
import com.vipride.platform.security.PlatformRole;
import com.vipride.platform.web.InvalidRequest;
import com.vipride.vip.VipLocations.SealedPoint;
import com.vipride.vip.crypto.FieldContext;
import com.vipride.vip.crypto.VipCipher;
import com.vipride.vip.geofence.GeofenceTracker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * VIP positions: each point's coordinates are encrypted under the VIP's data key, bound to the row
 * they are stored in, the whole batch is written with one statement, and the same transaction checks
 * the positions against the VIP's geofences (alerts on leaving a safe zone or entering a restricted one).
 */
@Service
public class LocationIngestService {

    static final int MAX_BATCH = 1000;
    private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private final VipLocations locations;
    private final Emergencies emergencies;
    private final VipCipher cipher;
    private final GeofenceTracker geofences;
    private final Clock clock;

    LocationIngestService(
            VipLocations locations, Emergencies emergencies, VipCipher cipher, GeofenceTracker geofences, Clock clock) {
        this.locations = locations;
        this.emergencies = emergencies;
        this.cipher = cipher;
        this.geofences = geofences;
        this.clock = clock;
    }

    @Transactional
    public IngestResult ingest(LocationBatch batch) {
        if (batch.points().size() > MAX_BATCH) {
            throw VipProblem.batchTooLarge(MAX_BATCH);
        }
        Instant latest = clock.instant().plus(MAX_CLOCK_SKEW);
        if (batch.points().stream().anyMatch(p -> p.recordedAt().isAfter(latest))) {
            throw InvalidRequest.of("recorded-in-future", "recordedAt lies in the future.");
        }
        Caller caller = CurrentCaller.get();
        boolean asDriver = caller.role() == PlatformRole.DRIVER_USER;
        UUID vip = subject(batch, caller, asDriver);
        Emergencies.RideRef ride = emergencies.activeRide(vip, asDriver).orElse(null);
        List<SealedPoint> sealed = new ArrayList<>(batch.points().size());
        for (LocationPoint point : batch.points()) {
            UUID id = UUID.randomUUID();
            byte[] coordinates = cipher.encrypt(
                    vip, FieldContext.of(VipLocations.TABLE, VipLocations.COLUMN, id), coordinates(point));
            sealed.add(new SealedPoint(
                    id,
                    coordinates,
                    point.accuracyM(),
                    point.speedKmh(),
                    point.headingDeg(),
                    point.locationType() == null
                            ? "routine"
                            : point.locationType().name(),
                    point.recordedAt()));
        }
        int accepted = locations.insert(vip, ride, sealed);
        int alerts = geofences.track(
                vip,
                batch.points().stream()
                        .map(p -> new GeofenceTracker.Position(p.lat(), p.lng(), p.recordedAt()))
                        .toList());
        return new IngestResult(accepted, alerts);
    }

    private static UUID subject(LocationBatch batch, Caller caller, boolean asDriver) {
        if (asDriver) {
            if (batch.vipUserId() == null) {
                throw InvalidRequest.of("vip-required", "A driver reports for a VIP: add vipUserId.");
            }
            return batch.vipUserId();
        }
        return batch.vipUserId() == null ? caller.requireUserId() : batch.vipUserId();
    }

    /** The plaintext of a point, as the spec's example shows it: {"lat": 6.5244, "lng": 3.3792}. */
    static String coordinates(LocationPoint point) {
        return String.format(Locale.ROOT, "{\"lat\": %.7f, \"lng\": %.7f}", point.lat(), point.lng());
    }

    /** How many positions were stored and how many geofence alerts they raised. */
    public record IngestResult(int accepted, int alertsRaised) {}
}
