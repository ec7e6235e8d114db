package com.vipride.vip.geofence;

import java.time.Instant;
import java.util.UUID;

/**
 * A geofence alert: raised at the first triggering position, joined by repeats until windowEndsAt
 * (occurrences, lastSeenAt), open until a vip_admin acknowledges it. Never carries coordinates.
 */
record SecurityAlertView(
        UUID id,
        String kind,
        String severity,
        UUID vipUserId,
        UUID geofenceId,
        Instant raisedAt,
        Instant lastSeenAt,
        int occurrences,
        Instant windowEndsAt,
        Instant acknowledgedAt,
        UUID acknowledgedBy) {}
