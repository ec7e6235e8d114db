package com.vipride.rides;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads rides under the caller's row-level security; what is not theirs simply is not there. */
@Repository
class Rides {

    static final String COLUMNS = """
            id, requested_at, status, customer_id, driver_id, vehicle_id, fleet_company_id, city, customer_tier,
            billing_model, vehicle_type, passengers, quote_id, currency, estimated_fare_minor, final_fare_minor,
            surge_multiplier, actual_distance_m, actual_duration_s, assigned_at, accepted_at, arrived_at, started_at,
            completed_at, cancelled_at, cancelled_by, cancellation_fee_minor, expired_at, emergency_at, driver_rating,
            rider_rating, scheduled_for""";
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM public.rides WHERE id = :id";
    /** The spec's history query: the requested_at range prunes to the months asked for. */
    private static final String HISTORY = "SELECT " + COLUMNS + """
             FROM public.rides
            WHERE %s = :party AND requested_at >= :from AND requested_at < :to
            ORDER BY requested_at DESC
            LIMIT :limit""";

    private final JdbcClient jdbc;

    Rides(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<RideView> findById(UUID id) {
        return jdbc.sql(BY_ID).param("id", id).query(Rides::ride).optional();
    }

    List<RideView> history(RideParty party, UUID partyId, Instant from, Instant to, int limit) {
        return jdbc.sql(HISTORY.formatted(party.column()))
                .param("party", partyId)
                .param("from", from.atOffset(ZoneOffset.UTC))
                .param("to", to.atOffset(ZoneOffset.UTC))
                .param("limit", limit)
                .query(Rides::ride)
                .list();
    }

    static RideView ride(ResultSet rs, int row) throws SQLException {
        return new RideView(
                rs.getObject("id", UUID.class),
                instant(rs, "requested_at"),
                rs.getString("status"),
                rs.getObject("customer_id", UUID.class),
                rs.getObject("driver_id", UUID.class),
                rs.getObject("vehicle_id", UUID.class),
                rs.getObject("fleet_company_id", UUID.class),
                rs.getString("city"),
                rs.getString("customer_tier"),
                rs.getString("billing_model"),
                rs.getString("vehicle_type"),
                rs.getInt("passengers"),
                rs.getObject("quote_id", UUID.class),
                rs.getString("currency"),
                rs.getObject("estimated_fare_minor", Long.class),
                rs.getObject("final_fare_minor", Long.class),
                rs.getBigDecimal("surge_multiplier"),
                rs.getObject("actual_distance_m", Integer.class),
                rs.getObject("actual_duration_s", Integer.class),
                instant(rs, "assigned_at"),
                instant(rs, "accepted_at"),
                instant(rs, "arrived_at"),
                instant(rs, "started_at"),
                instant(rs, "completed_at"),
                instant(rs, "cancelled_at"),
                rs.getString("cancelled_by"),
                rs.getLong("cancellation_fee_minor"),
                instant(rs, "expired_at"),
                instant(rs, "emergency_at"),
                rs.getObject("driver_rating", Integer.class),
                rs.getObject("rider_rating", Integer.class),
                instant(rs, "scheduled_for"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
