package com.vipride.safety;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/** A safety incident as the control centre (or the ride's party) sees it. */
public record Incident(
        UUID id,
        UUID rideId,
        String raisedAs,
        String kind,
        int severity,
        String status,
        Instant openedAt,
        Instant acknowledgeDueAt,
        int escalations,
        Instant accessExpiresAt,
        Instant acknowledgedAt,
        UUID acknowledgedBy,
        UUID assignedTo,
        Instant resolvedAt,
        String outcome) {

    static final String COLUMNS = """
            id, ride_id, raised_as, kind, severity, status, opened_at, acknowledge_due_at, escalations,
            access_expires_at, acknowledged_at, acknowledged_by, assigned_to, resolved_at, outcome""";

    static Incident of(ResultSet rs, int n) throws SQLException {
        return new Incident(
                rs.getObject("id", UUID.class),
                rs.getObject("ride_id", UUID.class),
                rs.getString("raised_as"),
                rs.getString("kind"),
                rs.getInt("severity"),
                rs.getString("status"),
                instant(rs.getTimestamp("opened_at")),
                instant(rs.getTimestamp("acknowledge_due_at")),
                rs.getInt("escalations"),
                instant(rs.getTimestamp("access_expires_at")),
                instant(rs.getTimestamp("acknowledged_at")),
                rs.getObject("acknowledged_by", UUID.class),
                rs.getObject("assigned_to", UUID.class),
                instant(rs.getTimestamp("resolved_at")),
                rs.getString("outcome"));
    }

    static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
