package com.vipride.dispatch;

import com.vipride.fleet.DriverPresence;
import com.vipride.platform.web.NotFound;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Online/offline and position pings of the signed-in driver, under their own row's security.
 *
 * <p>Availability is only ever restored after locking the driver row: a dispatch claim holds that
 * lock until it commits, so the check for an open offer or an active ride that follows the lock sees
 * the claim, and a ping can never make a just-claimed driver available again.
 */
@Service
class DriverAvailability {

    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    private static final String STATE = """
            SELECT id, is_online, is_available, dispatch_vehicle_type, dispatch_seats, vip_eligible, current_lat,
                   current_lng, position_updated_at, status
              FROM public.drivers WHERE user_id = public.current_app_user_id() AND deleted_at IS NULL""";
    private static final String BUSY = """
            SELECT EXISTS (SELECT FROM public.rides r WHERE r.driver_id = :driver
                              AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency'))
                OR EXISTS (SELECT FROM public.ride_offers o WHERE o.driver_id = :driver AND o.status = 'offered')""";

    private final JdbcClient jdbc;
    private final DriverPresence presence;
    private final Clock clock;

    DriverAvailability(JdbcClient jdbc, DriverPresence presence, Clock clock) {
        this.jdbc = jdbc;
        this.presence = presence;
        this.clock = clock;
    }

    @Transactional(readOnly = true)
    Availability current() {
        return state(false).availability();
    }

    @Transactional
    Availability goOnline() {
        DriverState driver = state(true);
        if (!"approved".equals(driver.status())) {
            throw DispatchProblem.notApproved(driver.status());
        }
        presence.goOnline(driver.id());
        if (state(false).availability().vehicleType() == null) {
            throw DispatchProblem.noActiveVehicle();
        }
        restoreAvailability(driver.id());
        return state(false).availability();
    }

    @Transactional
    Availability goOffline() {
        DriverState driver = state(true);
        presence.goOffline(driver.id());
        return state(false).availability();
    }

    @Transactional
    Availability ping(List<PositionPing> points) {
        Instant now = clock.instant();
        PositionPing newest = points.stream()
                .map(p -> p.recordedAt() == null ? new PositionPing(p.lat(), p.lng(), now) : p)
                .max(Comparator.comparing(PositionPing::recordedAt))
                .orElseThrow();
        if (newest.recordedAt().isAfter(now.plus(CLOCK_SKEW))) {
            throw DispatchProblem.pingInFuture();
        }
        DriverState driver = state(true);
        // An older fix than the one stored (a late batch) does not move the driver back.
        presence.moveTo(
                driver.id(), newest.lat(), newest.lng(), newest.recordedAt().atOffset(ZoneOffset.UTC));
        if (driver.online()) {
            restoreAvailability(driver.id());
        }
        return state(false).availability();
    }

    /** After the row lock: available again unless an offer or a ride holds the driver. */
    private void restoreAvailability(java.util.UUID driverId) {
        boolean busy =
                jdbc.sql(BUSY).param("driver", driverId).query(Boolean.class).single();
        if (!busy) {
            presence.makeAvailable(driverId);
        }
    }

    private DriverState state(boolean lock) {
        return jdbc.sql(lock ? STATE + " FOR UPDATE" : STATE)
                .query((rs, n) -> {
                    Timestamp at = rs.getTimestamp("position_updated_at");
                    return new DriverState(
                            new Availability(
                                    rs.getObject("id", java.util.UUID.class),
                                    rs.getBoolean("is_online"),
                                    rs.getBoolean("is_available"),
                                    rs.getString("dispatch_vehicle_type"),
                                    rs.getObject("dispatch_seats", Integer.class),
                                    rs.getBoolean("vip_eligible"),
                                    rs.getObject("current_lat", Double.class),
                                    rs.getObject("current_lng", Double.class),
                                    at == null ? null : at.toInstant()),
                            rs.getString("status"));
                })
                .optional()
                .orElseThrow(() -> NotFound.of("driver", "record for your account"));
    }

    private record DriverState(Availability availability, String status) {
        java.util.UUID id() {
            return availability.driverId();
        }

        boolean online() {
            return availability.online();
        }
    }
}
