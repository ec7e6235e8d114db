package com.vipride.vip.geofence;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the location ingest calls for every batch of a VIP's positions, inside the transaction that
 * stores the encrypted positions: records zone transitions and raises de-duplicated alerts, in one
 * round trip (vip_data.track_geofences). The caller must be the VIP, the driver of the VIP's active
 * ride, or vip_admin; anyone else is refused by the database (SQLSTATE 42501, an access-denied 403).
 */
@Component
public class GeofenceTracker {

    private static final String TRACK = "SELECT vip_data.track_geofences(?, ?, ?, CAST(? AS timestamptz[]))";

    private final JdbcTemplate jdbc;

    GeofenceTracker(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Processes the positions in time order (ties in list order) and returns how many new alerts were
     * raised. Positions not newer than the latest already processed for a zone change nothing.
     *
     * @throws com.vipride.platform.web.ApiException 400 {@code invalid-position} for a coordinate out of range,
     *         before anything is written
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public int track(UUID vipUserId, List<Position> points) {
        Objects.requireNonNull(vipUserId, "vipUserId");
        for (int i = 0; i < points.size(); i++) {
            if (!points.get(i).isValid()) {
                throw GeofenceProblem.invalidPosition(i);
            }
        }
        if (points.isEmpty()) {
            return 0;
        }
        return jdbc.execute((ConnectionCallback<Integer>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(TRACK)) {
                statement.setObject(1, vipUserId);
                statement.setArray(
                        2,
                        connection.createArrayOf(
                                "float8", points.stream().map(Position::lat).toArray()));
                statement.setArray(
                        3,
                        connection.createArrayOf(
                                "float8", points.stream().map(Position::lng).toArray()));
                statement.setArray(
                        4,
                        connection.createArrayOf(
                                "text",
                                points.stream()
                                        .map(p -> p.recordedAt().toString())
                                        .toArray()));
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /** One reported position of the VIP (WGS 84 degrees) and when it was recorded. */
    public record Position(double lat, double lng, Instant recordedAt) {

        public Position {
            Objects.requireNonNull(recordedAt, "recordedAt");
        }

        boolean isValid() {
            return lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180;
        }

        @Override
        public String toString() {
            return "Position[redacted]";
        }
    }
}
