package com.vipride.pricing;

import com.vipride.platform.web.InvalidRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Quotes trips for the signed-in rider through public.quote_fare, which applies the current tariff of
 * the rider's tier and the live surge, and stores the quote under the rider's name.
 */
@Service
public class FareQuotes {

    private static final String QUOTE = """
            SELECT id, city, vehicle_type, billing_model, rider_tier, passengers, currency, estimated_fare_minor,
                   surge_multiplier, demand, supply, estimated_distance_m, estimated_duration_s, created_at, expires_at
              FROM public.quote_fare(:city, CAST(:vehicleType AS public.vehicle_type),
                                     CAST(:billingModel AS public.billing_model), :passengers,
                                     :pickupLat, :pickupLng, :dropoffLat, :dropoffLng)""";

    private final JdbcClient jdbc;

    FareQuotes(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Joins the caller's transaction, so a ride requested without a quote is priced in the same one. */
    @Transactional
    public FareQuote quote(TripRequest trip) {
        if (trip.pickup().sameAs(trip.dropoff())) {
            throw InvalidRequest.of("same-pickup-and-dropoff", "Pickup and drop-off must be different places.");
        }
        return jdbc.sql(QUOTE)
                .param("city", trip.city())
                .param("vehicleType", trip.vehicleType().name())
                .param("billingModel", trip.billingModelOrDefault().name())
                .param("passengers", trip.passengersOrDefault())
                .param("pickupLat", trip.pickup().lat())
                .param("pickupLng", trip.pickup().lng())
                .param("dropoffLat", trip.dropoff().lat())
                .param("dropoffLng", trip.dropoff().lng())
                .query(FareQuotes::quote)
                .single();
    }

    private static FareQuote quote(ResultSet rs, int row) throws SQLException {
        return new FareQuote(
                rs.getObject("id", java.util.UUID.class),
                rs.getString("city"),
                rs.getString("vehicle_type"),
                rs.getString("billing_model"),
                rs.getString("rider_tier"),
                rs.getInt("passengers"),
                rs.getString("currency"),
                rs.getLong("estimated_fare_minor"),
                rs.getBigDecimal("surge_multiplier"),
                rs.getInt("demand"),
                rs.getInt("supply"),
                rs.getInt("estimated_distance_m"),
                rs.getInt("estimated_duration_s"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("expires_at").toInstant());
    }
}
