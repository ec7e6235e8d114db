package com.vipride.vip;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Emergency incidents and the rides they concern, under the caller's role. */
@Repository
class Emergencies {

    private static final String COLUMNS =
            "id, vip_user_id, ride_id, ride_requested_at, kind, severity, status, opened_at, access_expires_at";
    private static final String FIND = "SELECT " + COLUMNS + " FROM vip_data.emergency_incidents WHERE id = :id";
    private static final String OPEN_LIST = "SELECT " + COLUMNS + """
             FROM vip_data.emergency_incidents WHERE status = 'open' AND access_expires_at > now()
            ORDER BY opened_at DESC LIMIT 100""";
    /** No RETURNING: a driver may raise an incident for a VIP but not read the incident table. */
    private static final String OPEN = """
            INSERT INTO vip_data.emergency_incidents (id, vip_user_id, ride_id, ride_requested_at, raised_by, kind, severity,
                                                      opened_at, access_expires_at)
            VALUES (:id, :vip, :ride, :rideAt, :raisedBy, :kind, :severity, :openedAt, :expiresAt)""";

    private static final String ACTIVE_RIDE_AS_RIDER = """
            SELECT id, requested_at FROM public.rides
             WHERE customer_id = :vip AND status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency')
             ORDER BY requested_at DESC LIMIT 1""";
    private static final String ACTIVE_RIDE_AS_DRIVER = """
            SELECT id, requested_at FROM public.rides
             WHERE customer_id = :vip AND driver_id = public.current_driver_id()
               AND status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency')
             ORDER BY requested_at DESC LIMIT 1""";
    private static final String RESOLVE = """
            UPDATE vip_data.emergency_incidents
               SET status = :status, resolved_at = now(), resolved_by = :by, resolution_note = :note
             WHERE id = :id AND status = 'open'""";

    private final JdbcClient jdbc;

    Emergencies(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Incident> find(UUID id) {
        return jdbc.sql(FIND).param("id", id).query(Emergencies::incident).optional();
    }

    List<Incident> open() {
        return jdbc.sql(OPEN_LIST).query(Emergencies::incident).list();
    }

    Optional<RideRef> activeRide(UUID vip, boolean asDriver) {
        return jdbc.sql(asDriver ? ACTIVE_RIDE_AS_DRIVER : ACTIVE_RIDE_AS_RIDER)
                .param("vip", vip)
                .query((rs, n) ->
                        new RideRef(rs.getObject("id", UUID.class), rs.getObject("requested_at", OffsetDateTime.class)))
                .optional();
    }

    Incident open(
            UUID vip,
            Optional<RideRef> ride,
            UUID raisedBy,
            String kind,
            int severity,
            Instant openedAt,
            Instant accessExpiresAt) {
        UUID id = UUID.randomUUID();
        jdbc.sql(OPEN)
                .param("id", id)
                .param("vip", vip)
                .param("ride", ride.map(RideRef::id).orElse(null))
                .param("rideAt", ride.map(RideRef::requestedAt).orElse(null))
                .param("raisedBy", raisedBy)
                .param("kind", kind)
                .param("severity", severity)
                .param("openedAt", openedAt.atOffset(java.time.ZoneOffset.UTC))
                .param("expiresAt", accessExpiresAt.atOffset(java.time.ZoneOffset.UTC))
                .update();
        return new Incident(
                id, vip, ride.map(RideRef::id).orElse(null), kind, severity, "open", openedAt, accessExpiresAt);
    }

    boolean resolve(UUID id, UUID by, String status, String note) {
        return jdbc.sql(RESOLVE)
                        .param("id", id)
                        .param("by", by)
                        .param("status", status)
                        .param("note", note)
                        .update()
                == 1;
    }

    private static Incident incident(ResultSet rs, int row) throws SQLException {
        return new Incident(
                rs.getObject("id", UUID.class),
                rs.getObject("vip_user_id", UUID.class),
                rs.getObject("ride_id", UUID.class),
                rs.getString("kind"),
                rs.getInt("severity"),
                rs.getString("status"),
                rs.getTimestamp("opened_at").toInstant(),
                rs.getTimestamp("access_expires_at").toInstant());
    }

    record RideRef(UUID id, OffsetDateTime requestedAt) {}

    record Incident(
            UUID id,
            UUID vipUserId,
            UUID rideId,
            String kind,
            int severity,
            String status,
            Instant openedAt,
            Instant accessExpiresAt) {}
}
