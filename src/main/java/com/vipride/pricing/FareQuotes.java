package com.vipride.pricing;

import com.vipride.platform.web.InvalidRequest;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
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
            SELECT id, customer_id, city, vehicle_type, billing_model, rider_tier, passengers, currency, estimated_fare_minor,
                   surge_multiplier, demand, supply, estimated_distance_m, estimated_duration_s, created_at, expires_at
              FROM public.quote_fare(:city, CAST(:vehicleType AS public.vehicle_type),
                                     CAST(:billingModel AS public.billing_model), :passengers,
                                     :pickupLat, :pickupLng, :dropoffLat, :dropoffLng)""";
    private static final String SEAL = "SELECT public.seal_quote_route(:id, :route)";

    /** Where a VIP quote's sealed route is stored: its envelope is bound to this column of the quote's row. */
    public static final String ROUTE_TABLE = "public.fare_quotes";

    private final JdbcClient jdbc;
    private final RouteVault vault;

    FareQuotes(JdbcClient jdbc, RouteVault vault) {
        this.jdbc = jdbc;
        this.vault = vault;
    }

    /** Joins the caller's transaction, so a ride requested without a quote is priced in the same one. */
    @Transactional
    public FareQuote quote(TripRequest trip) {
        if (trip.pickup().sameAs(trip.dropoff())) {
            throw InvalidRequest.of("same-pickup-and-dropoff", "Pickup and drop-off must be different places.");
        }
        var quoted = jdbc.sql(QUOTE)
                .param("city", trip.city())
                .param("vehicleType", trip.vehicleType().name())
                .param("billingModel", trip.billingModelOrDefault().name())
                .param("passengers", trip.passengersOrDefault())
                .param("pickupLat", trip.pickup().lat())
                .param("pickupLng", trip.pickup().lng())
                .param("dropoffLat", trip.dropoff().lat())
                .param("dropoffLng", trip.dropoff().lng())
                .query((rs, n) -> Map.entry(rs.getObject("customer_id", UUID.class), quote(rs, n)))
                .single();
        FareQuote quote = quoted.getValue();
        if ("vip".equals(quote.riderTier())) {
            // The database kept none of a VIP's points: they are stored sealed under the VIP's key.
            byte[] route = vault.seal(
                    quoted.getKey(),
                    ROUTE_TABLE,
                    quote.id(),
                    new RouteVault.Route(
                            trip.pickup().lat(),
                            trip.pickup().lng(),
                            null,
                            trip.dropoff().lat(),
                            trip.dropoff().lng(),
                            null));
            jdbc.sql(SEAL).param("id", quote.id()).param("route", route).query().singleRow();
        }
        return quote;
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
