package com.vipride.vip.geofence;

import com.vipride.platform.web.ApiException;
import java.util.UUID;
import org.springframework.http.HttpStatus;

/** Refusals specific to geofences and their alerts, each with a stable code. */
final class GeofenceProblem extends ApiException {

    private GeofenceProblem(HttpStatus status, String code, String detail) {
        super(status, code, detail);
    }

    static GeofenceProblem invalidShape(String detail) {
        return new GeofenceProblem(HttpStatus.UNPROCESSABLE_CONTENT, "invalid-geofence-shape", detail);
    }

    static GeofenceProblem vertexCount(int vertices) {
        GeofenceProblem problem = new GeofenceProblem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "polygon-vertex-count",
                "A polygon has " + GeofenceShape.MIN_VERTICES + " to " + GeofenceShape.MAX_VERTICES
                        + " distinct vertices; this one has " + vertices + ".");
        problem.with("vertices", vertices);
        return problem;
    }

    static GeofenceProblem degeneratePolygon() {
        return new GeofenceProblem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "degenerate-polygon",
                "The polygon encloses no area (its vertices are collinear or repeated).");
    }

    static GeofenceProblem selfIntersectingPolygon() {
        return new GeofenceProblem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "self-intersecting-polygon",
                "The polygon's edges cross or touch each other; list the vertices in order around the zone.");
    }

    static GeofenceProblem vipNotFound(UUID vipUserId) {
        return new GeofenceProblem(
                HttpStatus.NOT_FOUND, "vip-not-found", "No VIP " + vipUserId + " is visible to you.");
    }

    static GeofenceProblem vipTierRequired() {
        return new GeofenceProblem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "vip-tier-required",
                "Geofences are a VIP service; this account is not VIP tier.");
    }

    static GeofenceProblem ridersOnly() {
        return new GeofenceProblem(
                HttpStatus.FORBIDDEN,
                "access-denied",
                "Only VIP riders have zones of their own; VIP staff use /api/v1/vip/{vipUserId}/geofences.");
    }

    static GeofenceProblem alreadyAcknowledged(UUID alertId) {
        return new GeofenceProblem(
                HttpStatus.CONFLICT,
                "alert-already-acknowledged",
                "Alert " + alertId + " has already been acknowledged.");
    }

    static GeofenceProblem invalidPosition(int index) {
        return new GeofenceProblem(
                HttpStatus.BAD_REQUEST,
                "invalid-position",
                "Position " + index + " needs a latitude in [-90, 90], a longitude in [-180, 180] and a time.");
    }
}
