package com.vipride.rides;

import com.vipride.platform.web.NotFound;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The trip view of an active ride, as {@code public.ride_trip} gives it to the caller: the database decides
 * whether the caller is the ride's driver or rider and what each side sees; anyone else gets no row (404).
 */
@Service
class Trips {

    private static final String TRIP = "SELECT * FROM public.ride_trip(:id)";

    private final JdbcClient jdbc;

    Trips(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    TripView trip(UUID ride) {
        return jdbc.sql(TRIP)
                .param("id", ride)
                .query(Trips::row)
                .optional()
                .orElseThrow(() -> NotFound.of("ride", ride));
    }

    private static TripView row(ResultSet rs, int n) throws SQLException {
        boolean driverView = "driver".equals(rs.getString("viewer"));
        return new TripView(
                rs.getObject("ride_id", UUID.class),
                instant(rs, "requested_at"),
                rs.getString("status"),
                rs.getString("viewer"),
                rs.getString("city"),
                driverView ? new TripView.Rider(rs.getString("rider_first_name")) : null,
                driverView ? place(rs, "pickup") : null,
                driverView ? place(rs, "dropoff") : null,
                driverView ? null : driver(rs),
                driverView
                        ? null
                        : new TripView.Vehicle(
                                rs.getString("vehicle_make"),
                                rs.getString("vehicle_model"),
                                rs.getString("vehicle_colour"),
                                rs.getString("vehicle_plate")),
                driverView || rs.getObject("eta_s") == null
                        ? null
                        : new TripView.Eta(
                                rs.getString("eta_target"), rs.getInt("eta_distance_m"), rs.getInt("eta_s")));
    }

    private static TripView.Place place(ResultSet rs, String end) throws SQLException {
        Double lat = rs.getObject(end + "_lat", Double.class);
        Double lng = rs.getObject(end + "_lng", Double.class);
        return lat == null || lng == null ? null : new TripView.Place(lat, lng, rs.getString(end + "_address"));
    }

    private static TripView.Driver driver(ResultSet rs) throws SQLException {
        Double lat = rs.getObject("driver_lat", Double.class);
        Double lng = rs.getObject("driver_lng", Double.class);
        TripView.Position position =
                lat == null || lng == null ? null : new TripView.Position(lat, lng, instant(rs, "driver_position_at"));
        return new TripView.Driver(rs.getString("driver_first_name"), rs.getBigDecimal("driver_rating"), position);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
