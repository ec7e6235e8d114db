package com.vipride.vip.geofence;

import static com.vipride.vip.geofence.Geofences.instant;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** vip_data.security_alerts and monitoring.security_alerts, as far as the caller's role and policies reach. */
@Repository
class SecurityAlerts {

    private static final String COLUMNS = """
            id, kind, severity, vip_user_id, geofence_id, raised_at, last_seen_at, occurrences, window_ends_at,
            acknowledged_at, acknowledged_by""";
    private static final String LIST = "SELECT " + COLUMNS + """
             FROM vip_data.security_alerts
            WHERE (CAST(:status AS text) = 'all'
                   OR (CAST(:status AS text) = 'open') = (acknowledged_at IS NULL))
              AND (CAST(:vip AS uuid) IS NULL OR vip_user_id = CAST(:vip AS uuid))
            ORDER BY raised_at DESC, id
            LIMIT :limit""";
    private static final String ACKNOWLEDGE = """
            UPDATE vip_data.security_alerts SET acknowledged_at = now(), acknowledged_by = :by
             WHERE id = :id AND acknowledged_at IS NULL
            RETURNING
            """ + COLUMNS;
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM vip_data.security_alerts WHERE id = :id";
    private static final String MONITORING = """
            SELECT alert_time, severity, category, subject_user_id, detail, reference
              FROM monitoring.security_alerts
             ORDER BY alert_time DESC, category, reference
             LIMIT :limit""";

    private final JdbcClient jdbc;

    SecurityAlerts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<SecurityAlertView> list(AlertStatus status, UUID vip, int limit) {
        return jdbc.sql(LIST)
                .param("status", status.name())
                .param("vip", vip)
                .param("limit", limit)
                .query(SecurityAlerts::alert)
                .list();
    }

    Optional<SecurityAlertView> acknowledge(UUID id, UUID by) {
        return jdbc.sql(ACKNOWLEDGE)
                .param("id", id)
                .param("by", by)
                .query(SecurityAlerts::alert)
                .optional();
    }

    Optional<SecurityAlertView> findById(UUID id) {
        return jdbc.sql(BY_ID).param("id", id).query(SecurityAlerts::alert).optional();
    }

    List<MonitoringAlertView> monitoring(int limit) {
        return jdbc.sql(MONITORING)
                .param("limit", limit)
                .query((rs, n) -> new MonitoringAlertView(
                        instant(rs, "alert_time"),
                        rs.getString("severity"),
                        rs.getString("category"),
                        rs.getObject("subject_user_id", UUID.class),
                        rs.getString("detail"),
                        rs.getString("reference")))
                .list();
    }

    private static SecurityAlertView alert(ResultSet rs, int row) throws SQLException {
        return new SecurityAlertView(
                rs.getObject("id", UUID.class),
                rs.getString("kind"),
                rs.getString("severity"),
                rs.getObject("vip_user_id", UUID.class),
                rs.getObject("geofence_id", UUID.class),
                instant(rs, "raised_at"),
                instant(rs, "last_seen_at"),
                rs.getInt("occurrences"),
                instant(rs, "window_ends_at"),
                instant(rs, "acknowledged_at"),
                rs.getObject("acknowledged_by", UUID.class));
    }
}
