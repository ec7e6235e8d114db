package com.vipride.vip.geofence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.postgresql.geometric.PGpolygon;
import org.postgresql.util.PSQLException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** vip_data.geofences under the caller's row-level security: what is not theirs is not there. */
@Repository
class Geofences {

    private static final String COLUMNS = """
            id, vip_user_id, kind, name, shape, boundary, center_lat, center_lng, radius_m, active, created_by,
            created_at, deactivated_at""";
    private static final String INSERT_POLYGON = """
            INSERT INTO vip_data.geofences (vip_user_id, kind, name, shape, boundary, created_by)
            VALUES (:vip, :kind, :name, 'polygon', CAST(:boundary AS polygon), :by)
            RETURNING
            """ + COLUMNS;
    private static final String INSERT_CIRCLE = """
            INSERT INTO vip_data.geofences (vip_user_id, kind, name, shape, center_lat, center_lng, radius_m, created_by)
            VALUES (:vip, :kind, :name, 'circle', :lat, :lng, :radius, :by)
            RETURNING
            """ + COLUMNS;
    private static final String LIST = "SELECT " + COLUMNS + """
             FROM vip_data.geofences
            WHERE vip_user_id = :vip AND (active OR :includeInactive)
            ORDER BY created_at DESC, id""";
    private static final String DEACTIVATE = """
            UPDATE vip_data.geofences SET active = false, deactivated_at = now(), deactivated_by = :by
             WHERE id = :id AND vip_user_id = :vip AND active""";
    private static final String EXISTS =
            "SELECT count(*) FROM vip_data.geofences WHERE id = :id AND vip_user_id = :vip";
    private static final String IS_VIP = "SELECT vip_data.is_vip_user(:id)";
    private static final String OWN_TIER = "SELECT tier::text FROM public.users WHERE id = :id";

    /** The CHECK constraints that decide whether a polygon is a usable zone (database/vip/). */
    private static final String AREA_CHECK = "geofences_polygon_area_chk";

    private static final String SIMPLE_CHECK = "geofences_polygon_simple_chk";

    private final JdbcClient jdbc;

    Geofences(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    GeofenceView insert(UUID vip, GeofenceRequest request, GeofenceShape shape, UUID createdBy) {
        JdbcClient.StatementSpec statement;
        if (shape instanceof GeofenceShape.Polygon polygon) {
            statement = jdbc.sql(INSERT_POLYGON).param("boundary", polygon.asSql());
        } else {
            GeofenceShape.Circle circle = (GeofenceShape.Circle) shape;
            statement = jdbc.sql(INSERT_CIRCLE)
                    .param("lat", circle.center().lat())
                    .param("lng", circle.center().lng())
                    .param("radius", circle.radiusM());
        }
        try {
            return statement
                    .param("vip", vip)
                    .param("kind", request.kind().name())
                    .param("name", request.name().trim())
                    .param("by", createdBy)
                    .query(Geofences::geofence)
                    .single();
        } catch (DataIntegrityViolationException e) {
            String constraint = violatedConstraint(e);
            if (AREA_CHECK.equals(constraint)) {
                throw GeofenceProblem.degeneratePolygon();
            }
            if (SIMPLE_CHECK.equals(constraint)) {
                throw GeofenceProblem.selfIntersectingPolygon();
            }
            throw e;
        }
    }

    List<GeofenceView> list(UUID vip, boolean includeInactive) {
        return jdbc.sql(LIST)
                .param("vip", vip)
                .param("includeInactive", includeInactive)
                .query(Geofences::geofence)
                .list();
    }

    /** True when this call deactivated it; false when it was visible but already inactive; empty when not visible. */
    Optional<Boolean> deactivate(UUID vip, UUID id, UUID by) {
        if (jdbc.sql(DEACTIVATE)
                        .param("id", id)
                        .param("vip", vip)
                        .param("by", by)
                        .update()
                == 1) {
            return Optional.of(true);
        }
        long visible = jdbc.sql(EXISTS)
                .param("id", id)
                .param("vip", vip)
                .query(Long.class)
                .single();
        return visible == 0 ? Optional.empty() : Optional.of(false);
    }

    boolean isVip(UUID userId) {
        return jdbc.sql(IS_VIP).param("id", userId).query(Boolean.class).single();
    }

    /** The caller's own tier, from the one users row everybody may read: their own. */
    Optional<String> ownTier(UUID userId) {
        return jdbc.sql(OWN_TIER).param("id", userId).query(String.class).optional();
    }

    private static String violatedConstraint(DataIntegrityViolationException e) {
        return e.getMostSpecificCause() instanceof PSQLException psql && psql.getServerErrorMessage() != null
                ? psql.getServerErrorMessage().getConstraint()
                : null;
    }

    private static GeofenceView geofence(ResultSet rs, int row) throws SQLException {
        String shape = rs.getString("shape");
        List<Coordinate> polygon = null;
        Coordinate center = null;
        if (shape.equals("polygon")) {
            PGpolygon boundary = (PGpolygon) rs.getObject("boundary");
            polygon = Arrays.stream(boundary.points)
                    .map(p -> new Coordinate(p.y, p.x))
                    .toList();
        } else {
            center = new Coordinate(rs.getDouble("center_lat"), rs.getDouble("center_lng"));
        }
        return new GeofenceView(
                rs.getObject("id", UUID.class),
                rs.getObject("vip_user_id", UUID.class),
                GeofenceKind.valueOf(rs.getString("kind")),
                rs.getString("name"),
                shape,
                polygon,
                center,
                rs.getObject("radius_m", Integer.class),
                rs.getBoolean("active"),
                rs.getObject("created_by", UUID.class),
                instant(rs, "created_at"),
                instant(rs, "deactivated_at"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
