package com.vipride.vip;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** vip_data.vip_location_history: batches go in with one statement; coordinates are ciphertext. */
@Repository
class VipLocations {

    static final String TABLE = "vip_data.vip_location_history";
    static final String COLUMN = "encrypted_coordinates";

    private static final String INSERT_BATCH = """
            INSERT INTO vip_data.vip_location_history (id, user_id, ride_id, ride_requested_at, encrypted_coordinates,
                                                       accuracy_m, speed_kmh, heading_deg, location_type, recorded_at)
            SELECT p.id, ?, ?, ?, p.coordinates, p.accuracy, p.speed, p.heading, p.kind, p.recorded_at
              FROM unnest(?::uuid[], ?::bytea[], ?::real[], ?::real[], ?::real[], ?::text[], ?::timestamptz[])
                   AS p(id, coordinates, accuracy, speed, heading, kind, recorded_at)""";
    private static final String RECENT = """
            SELECT id, encrypted_coordinates, recorded_at, location_type FROM vip_data.vip_location_history
             WHERE user_id = :vip AND recorded_at >= :since ORDER BY recorded_at DESC LIMIT :limit""";

    private final JdbcTemplate jdbcTemplate;
    private final JdbcClient jdbc;

    VipLocations(JdbcTemplate jdbcTemplate, JdbcClient jdbc) {
        this.jdbcTemplate = jdbcTemplate;
        this.jdbc = jdbc;
    }

    int insert(UUID vip, Emergencies.RideRef ride, List<SealedPoint> points) {
        return jdbcTemplate.execute((ConnectionCallback<Integer>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(INSERT_BATCH)) {
                statement.setObject(1, vip);
                statement.setObject(2, ride == null ? null : ride.id());
                statement.setObject(3, ride == null ? null : ride.requestedAt());
                statement.setArray(
                        4,
                        connection.createArrayOf(
                                "uuid", points.stream().map(SealedPoint::id).toArray()));
                statement.setArray(
                        5,
                        connection.createArrayOf(
                                "bytea",
                                points.stream().map(SealedPoint::coordinates).toArray(byte[][]::new)));
                statement.setArray(
                        6,
                        array(
                                connection,
                                "float4",
                                points.stream().map(SealedPoint::accuracyM).toArray(Float[]::new)));
                statement.setArray(
                        7,
                        array(
                                connection,
                                "float4",
                                points.stream().map(SealedPoint::speedKmh).toArray(Float[]::new)));
                statement.setArray(
                        8,
                        array(
                                connection,
                                "float4",
                                points.stream().map(SealedPoint::headingDeg).toArray(Float[]::new)));
                statement.setArray(
                        9,
                        connection.createArrayOf(
                                "text",
                                points.stream().map(SealedPoint::locationType).toArray()));
                statement.setArray(
                        10,
                        connection.createArrayOf(
                                "text",
                                points.stream()
                                        .map(p -> p.recordedAt().toString())
                                        .toArray()));
                return statement.executeUpdate();
            }
        });
    }

    List<StoredPoint> recent(UUID vip, Instant since, int limit) {
        return jdbc.sql(RECENT)
                .param("vip", vip)
                .param("since", since.atOffset(java.time.ZoneOffset.UTC))
                .param("limit", limit)
                .query((rs, n) -> new StoredPoint(
                        rs.getObject("id", UUID.class),
                        rs.getBytes("encrypted_coordinates"),
                        rs.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                        rs.getString("location_type")))
                .list();
    }

    private static Array array(java.sql.Connection connection, String type, Object[] values)
            throws java.sql.SQLException {
        return connection.createArrayOf(type, values);
    }

    record SealedPoint(
            UUID id,
            byte[] coordinates,
            Float accuracyM,
            Float speedKmh,
            Float headingDeg,
            String locationType,
            Instant recordedAt) {}

    record StoredPoint(UUID id, byte[] coordinates, Instant recordedAt, String locationType) {}
}
