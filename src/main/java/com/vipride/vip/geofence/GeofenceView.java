package com.vipride.vip.geofence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A zone as the API shows it: polygon is set for polygons, center and radiusM for circles. */
record GeofenceView(
        UUID id,
        UUID vipUserId,
        GeofenceKind kind,
        String name,
        String shape,
        List<Coordinate> polygon,
        Coordinate center,
        Integer radiusM,
        boolean active,
        UUID createdBy,
        Instant createdAt,
        Instant deactivatedAt) {}
