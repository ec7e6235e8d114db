package com.vipride.vip.geofence;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The outline of a zone, checked for what a request alone can tell (one shape, vertex count, closing
 * vertex). Whether a polygon has an area and does not cross itself is decided by the table's CHECK
 * constraints, so that the database and the API never disagree about what a valid zone is.
 */
sealed interface GeofenceShape {

    int MIN_VERTICES = 3;
    int MAX_VERTICES = 200;
    long MIN_RADIUS_M = 10;
    long MAX_RADIUS_M = 50_000;

    /** x = longitude, y = latitude, in PostgreSQL's polygon text form. */
    record Polygon(List<Coordinate> vertices) implements GeofenceShape {
        String asSql() {
            return vertices.stream()
                    .map(c -> "(" + c.lng() + "," + c.lat() + ")")
                    .collect(Collectors.joining(",", "(", ")"));
        }
    }

    record Circle(Coordinate center, int radiusM) implements GeofenceShape {}

    static GeofenceShape of(GeofenceRequest request) {
        boolean polygon = request.polygon() != null;
        boolean circle = request.center() != null || request.radiusM() != null;
        if (polygon == circle) {
            throw GeofenceProblem.invalidShape("Give either polygon or center and radiusM.");
        }
        if (circle) {
            if (request.center() == null || request.radiusM() == null) {
                throw GeofenceProblem.invalidShape("A circle needs both center and radiusM.");
            }
            return new Circle(request.center(), request.radiusM());
        }
        List<Coordinate> vertices = new ArrayList<>(request.polygon());
        if (vertices.size() > 1 && vertices.get(0).equals(vertices.get(vertices.size() - 1))) {
            vertices.remove(vertices.size() - 1);
        }
        if (vertices.size() < MIN_VERTICES || vertices.size() > MAX_VERTICES) {
            throw GeofenceProblem.vertexCount(vertices.size());
        }
        return new Polygon(List.copyOf(vertices));
    }
}
