package com.vipride.rides;

import com.vipride.platform.security.CurrentCaller;
import com.vipride.platform.security.PlatformRole;
import com.vipride.platform.web.NotFound;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The steps of a ride after dispatch. Each step is one UPDATE under the caller's role: row-level
 * security limits it to the caller's own ride (else 404), column privileges to what the role may
 * change (else 403), and the ride's state machine trigger refuses an illegal step (409) and stamps,
 * prices and settles the legal ones (database/rides/). Staff take one step, the cancellation of a
 * stuck ride.
 */
@Service
public class RideLifecycle {

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    RideLifecycle(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    @Transactional
    RideView arrive(UUID ride) {
        return step(ride, "status = 'driver_arrived'", null);
    }

    @Transactional
    RideView start(UUID ride) {
        return step(ride, "status = 'in_progress'", null);
    }

    @Transactional
    RideView complete(UUID ride, int actualDistanceM) {
        RideView completed = step(ride, "status = 'completed', actual_distance_m = :value", actualDistanceM);
        events.publishEvent(new RideCompleted(
                completed.id(), completed.requestedAt(), completed.finalFareMinor(), completed.currency()));
        return completed;
    }

    /**
     * The rider or the driver cancels their own ride; support (or a system administrator) cancels a stuck
     * ride for its parties, with a reason, through {@code public.cancel_ride_as_support}, which refuses a
     * ride that has already ended with a 409 instead of an update that matches nothing.
     */
    @Transactional
    RideView cancel(UUID ride, String reason) {
        PlatformRole role = CurrentCaller.get().role();
        if (role != PlatformRole.SUPPORT_AGENT && role != PlatformRole.SYSTEM_ADMIN) {
            return step(ride, "status = 'cancelled', cancellation_reason = :value", reason);
        }
        jdbc.sql("SELECT public.cancel_ride_as_support(:id, CAST(:reason AS text))")
                .param("id", ride)
                .param("reason", reason)
                .query(UUID.class)
                .single();
        return jdbc.sql("SELECT " + Rides.COLUMNS + " FROM public.rides WHERE id = :id")
                .param("id", ride)
                .query(Rides::ride)
                .optional()
                .orElseThrow(() -> NotFound.of("ride", ride));
    }

    @Transactional
    public RideView emergency(UUID ride) {
        return step(ride, "status = 'emergency'", null);
    }

    /** The rider rates the driver, or the driver the rider: whichever the caller is. */
    @Transactional
    RideView rate(UUID ride, int stars, boolean byRider) {
        return step(ride, (byRider ? "driver_rating" : "rider_rating") + " = :value", stars);
    }

    private RideView step(UUID ride, String assignments, Object value) {
        var update = jdbc.sql("UPDATE public.rides SET " + assignments + " WHERE id = :id RETURNING " + Rides.COLUMNS)
                .param("id", ride);
        if (assignments.contains(":value")) {
            update = update.param("value", value);
        }
        return update.query(Rides::ride).optional().orElseThrow(() -> NotFound.of("ride", ride));
    }
}
