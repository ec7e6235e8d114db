package com.vipride.fleet;

import java.time.OffsetDateTime;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A driver's presence on public.drivers — online, available, last known position — changed for
 * dispatch under the caller's role and row-level security, inside the caller's transaction (which
 * holds the driver row's lock).
 */
@Repository
@Transactional(propagation = Propagation.MANDATORY)
public class DriverPresence {

    private static final String ONLINE = "UPDATE public.drivers SET is_online = true WHERE id = :id";
    private static final String OFFLINE =
            "UPDATE public.drivers SET is_online = false, is_available = false WHERE id = :id";
    /** An older fix than the one stored (a late batch) does not move the driver back. */
    private static final String MOVE = """
            UPDATE public.drivers SET current_lat = :lat, current_lng = :lng, position_updated_at = :at
             WHERE id = :id AND (position_updated_at IS NULL OR position_updated_at < :at)""";

    private static final String AVAILABLE = """
            UPDATE public.drivers SET is_available = true
             WHERE id = :id AND is_online AND NOT is_available AND position_updated_at IS NOT NULL
               AND dispatch_vehicle_type IS NOT NULL""";

    private final JdbcClient jdbc;

    DriverPresence(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void goOnline(UUID driverId) {
        jdbc.sql(ONLINE).param("id", driverId).update();
    }

    /** Offline is also unavailable. */
    public void goOffline(UUID driverId) {
        jdbc.sql(OFFLINE).param("id", driverId).update();
    }

    public void moveTo(UUID driverId, Double lat, Double lng, OffsetDateTime at) {
        jdbc.sql(MOVE)
                .param("lat", lat)
                .param("lng", lng)
                .param("at", at)
                .param("id", driverId)
                .update();
    }

    /** Available again, if the driver is online with a position and a vehicle dispatch can use. */
    public void makeAvailable(UUID driverId) {
        jdbc.sql(AVAILABLE).param("id", driverId).update();
    }
}
