package com.vipride.vip.geofence;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A zone to define: either a polygon (3 to 200 vertices, in order, without or with the first vertex
 * repeated at the end) or a circle (center and radiusM, 10 to 50,000 metres), never both.
 */
record GeofenceRequest(
        @NotNull GeofenceKind kind,
        @NotBlank @Size(max = 100) String name,
        @Size(max = GeofenceShape.MAX_VERTICES + 1) List<@NotNull @Valid Coordinate> polygon,
        @Valid Coordinate center,

        @Min(GeofenceShape.MIN_RADIUS_M) @Max(GeofenceShape.MAX_RADIUS_M)
        Integer radiusM) {}
