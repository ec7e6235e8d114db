package com.vipride.safety;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The control centre's map of a city, read through {@code public.control_centre_map}: the function decides
 * which rides each role sees (VIP rides only for VIP operators and admins) and rounds every position.
 */
@Repository
class ControlCentreMap {

    private static final String MAP = """
            SELECT layer, id, status, vehicle_type, tier, is_vip, severity, lat, lng, position_at
              FROM public.control_centre_map(:city)""";

    record MapRide(
            UUID rideId,
            String status,
            String vehicleType,
            String tier,
            boolean vip,
            Double lat,
            Double lng,
            Instant positionAt) {}

    record MapDriver(String vehicleType, double lat, double lng, Instant positionAt) {}

    record MapIncident(UUID incidentId, String status, int severity) {}

    record CityMap(
            String city, Instant at, List<MapRide> rides, List<MapDriver> drivers, List<MapIncident> incidents) {}

    private final JdbcClient jdbc;

    ControlCentreMap(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    CityMap of(String city) {
        List<MapRide> rides = new ArrayList<>();
        List<MapDriver> drivers = new ArrayList<>();
        List<MapIncident> incidents = new ArrayList<>();
        jdbc.sql(MAP).param("city", city).query(rs -> {
            Instant at = Incident.instant(rs.getTimestamp("position_at"));
            switch (rs.getString("layer")) {
                case "ride" ->
                    rides.add(new MapRide(
                            rs.getObject("id", UUID.class),
                            rs.getString("status"),
                            rs.getString("vehicle_type"),
                            rs.getString("tier"),
                            rs.getBoolean("is_vip"),
                            (Double) rs.getObject("lat"),
                            (Double) rs.getObject("lng"),
                            at));
                case "driver" ->
                    drivers.add(
                            new MapDriver(rs.getString("vehicle_type"), rs.getDouble("lat"), rs.getDouble("lng"), at));
                default ->
                    incidents.add(new MapIncident(
                            rs.getObject("id", UUID.class), rs.getString("status"), rs.getInt("severity")));
            }
        });
        return new CityMap(city, Instant.now(), rides, drivers, incidents);
    }
}
