package com.vipride.rides;

import com.vipride.platform.web.NotFound;
import com.vipride.pricing.RouteVault;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the parties of a ride see of it, as the database hands it over: the trip view of an active ride
 * ({@code public.ride_trip}) and a ride's route ({@code public.ride_route}). The database decides who the
 * caller is to the ride and what they receive; anyone else gets no row (404). A VIP ride's route arrives
 * sealed and is opened here under the VIP's key, which the database releases only to the same people.
 */
@Service
class Trips {

    private static final String TRIP = "SELECT * FROM public.ride_trip(:id)";
    private static final String ROUTE = "SELECT * FROM public.ride_route(:id, :purpose)";
    private static final String ETA =
            "SELECT distance_m, eta_s FROM public.trip_eta(:city, :fromLat, :fromLng, :toLat, :toLng)";

    private final JdbcClient jdbc;
    private final RouteVault vault;

    Trips(JdbcClient jdbc, RouteVault vault) {
        this.jdbc = jdbc;
        this.vault = vault;
    }

    @Transactional
    TripView trip(UUID ride) {
        return jdbc.sql(TRIP)
                .param("id", ride)
                .query(this::tripRow)
                .optional()
                .orElseThrow(() -> NotFound.of("ride", ride));
    }

    /** A ride's route for those public.ride_route allows (each hand-over of a VIP's is logged there). */
    @Transactional
    RouteView route(UUID ride, String purpose) {
        return jdbc.sql(ROUTE)
                .param("id", ride)
                .param("purpose", purpose)
                .query((rs, n) -> {
                    RouteVault.Route sealed = sealedRoute(rs);
                    return new RouteView(
                            rs.getObject("ride_id", UUID.class),
                            rs.getString("city"),
                            sealed == null ? place(rs, "pickup") : pickup(sealed),
                            sealed == null ? place(rs, "dropoff") : dropoff(sealed));
                })
                .optional()
                .orElseThrow(() -> NotFound.of("ride", ride));
    }

    private TripView tripRow(ResultSet rs, int n) throws SQLException {
        boolean driverView = "driver".equals(rs.getString("viewer"));
        RouteVault.Route sealed = sealedRoute(rs);
        return new TripView(
                rs.getObject("ride_id", UUID.class),
                instant(rs, "requested_at"),
                rs.getString("status"),
                rs.getString("viewer"),
                rs.getString("city"),
                driverView ? new TripView.Rider(rs.getString("rider_first_name")) : null,
                !driverView ? null : sealed == null ? place(rs, "pickup") : pickup(sealed),
                !driverView ? null : sealed == null ? place(rs, "dropoff") : dropoff(sealed),
                driverView ? null : driver(rs),
                driverView
                        ? null
                        : new TripView.Vehicle(
                                rs.getString("vehicle_make"),
                                rs.getString("vehicle_model"),
                                rs.getString("vehicle_colour"),
                                rs.getString("vehicle_plate")),
                driverView ? null : eta(rs, sealed));
    }

    /** A VIP ride's route as the database handed it over (sealed), opened under the VIP's key. */
    private RouteVault.Route sealedRoute(ResultSet rs) throws SQLException {
        byte[] envelope = rs.getBytes("route_enc");
        return envelope == null
                ? null
                : vault.open(
                        rs.getObject("customer_id", UUID.class),
                        RideRequests.ROUTE_TABLE,
                        rs.getObject("quote_id", UUID.class),
                        envelope);
    }

    private TripView.Eta eta(ResultSet rs, RouteVault.Route sealed) throws SQLException {
        String target = rs.getString("eta_target");
        if (rs.getObject("eta_s") != null) {
            return new TripView.Eta(target, rs.getInt("eta_distance_m"), rs.getInt("eta_s"));
        }
        Double lat = rs.getObject("driver_lat", Double.class);
        Double lng = rs.getObject("driver_lng", Double.class);
        if (sealed == null || lat == null || lng == null) {
            return null;
        }
        // A VIP's target is sealed: the same model (public.trip_eta) from the opened route.
        boolean toPickup = "pickup".equals(target);
        return jdbc.sql(ETA)
                .param("city", rs.getString("city"))
                .param("fromLat", lat)
                .param("fromLng", lng)
                .param("toLat", toPickup ? sealed.pickupLat() : sealed.dropoffLat())
                .param("toLng", toPickup ? sealed.pickupLng() : sealed.dropoffLng())
                .query((eta, i) -> new TripView.Eta(target, eta.getInt("distance_m"), eta.getInt("eta_s")))
                .single();
    }

    private static TripView.Place pickup(RouteVault.Route route) {
        return new TripView.Place(route.pickupLat(), route.pickupLng(), route.pickupAddress());
    }

    private static TripView.Place dropoff(RouteVault.Route route) {
        return new TripView.Place(route.dropoffLat(), route.dropoffLng(), route.dropoffAddress());
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
