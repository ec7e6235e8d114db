package com.vipride.fleet;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Vehicle leases under the caller's role: each step of the contract is a database function that
 * decides whether the caller is the party it belongs to; reads see what row-level security shows the
 * caller (their own leases as owner, lessee fleet admin or lessee driver; everything for system_admin).
 */
@Repository
class Leases {

    private static final String OFFER = """
            SELECT * FROM public.offer_vehicle_lease(:vehicle, :fleet, :driver, :type, :currency, :fixed, :share,
                                                     :perRide, :minimum, :mileageLimit, :excessRate, :lateFee,
                                                     :terminationFee, :startsOn, :endsOn)""";
    private static final String ACCEPT = "SELECT * FROM public.accept_vehicle_lease(:id)";
    private static final String TERMINATE = "SELECT * FROM public.terminate_vehicle_lease(:id)";
    private static final String BY_ID = "SELECT * FROM public.vehicle_leases WHERE id = :id";
    private static final String PAGE = """
            SELECT * FROM public.vehicle_leases WHERE created_at < :before ORDER BY created_at DESC LIMIT :limit""";

    private final JdbcClient jdbc;

    Leases(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    LeaseView offer(LeaseOffer offer) {
        return jdbc.sql(OFFER)
                .param("vehicle", offer.vehicleId())
                .param("fleet", offer.fleetCompanyId())
                .param("driver", offer.driverId())
                .param("type", offer.leaseType().name())
                .param("currency", offer.currency())
                .param("fixed", offer.fixedMonthlyMinor())
                .param("share", offer.revenueShareBp())
                .param("perRide", offer.perRideMinor())
                .param("minimum", offer.minimumMonthlyMinor())
                .param("mileageLimit", offer.mileageLimitKm())
                .param("excessRate", offer.excessKmRateMinor())
                .param("lateFee", offer.lateFeeMinor())
                .param("terminationFee", offer.earlyTerminationFeeMinor())
                .param("startsOn", offer.startsOn())
                .param("endsOn", offer.endsOn())
                .query(Leases::lease)
                .single();
    }

    LeaseView accept(UUID id) {
        return jdbc.sql(ACCEPT).param("id", id).query(Leases::lease).single();
    }

    LeaseView terminate(UUID id) {
        return jdbc.sql(TERMINATE).param("id", id).query(Leases::lease).single();
    }

    Optional<LeaseView> find(UUID id) {
        return jdbc.sql(BY_ID).param("id", id).query(Leases::lease).optional();
    }

    /** The leases the caller may see, newest first, created before {@code before}. */
    List<LeaseView> page(Instant before, int limit) {
        return jdbc.sql(PAGE)
                .param("before", before.atOffset(ZoneOffset.UTC))
                .param("limit", limit)
                .query(Leases::lease)
                .list();
    }

    private static LeaseView lease(ResultSet rs, int row) throws SQLException {
        return new LeaseView(
                rs.getObject("id", UUID.class),
                rs.getObject("vehicle_id", UUID.class),
                rs.getObject("owner_user_id", UUID.class),
                rs.getObject("fleet_company_id", UUID.class),
                rs.getObject("driver_id", UUID.class),
                rs.getString("lease_type"),
                rs.getString("currency"),
                rs.getLong("fixed_monthly_minor"),
                rs.getInt("revenue_share_bp"),
                rs.getLong("per_ride_minor"),
                rs.getLong("minimum_monthly_minor"),
                rs.getObject("mileage_limit_km", Integer.class),
                rs.getLong("excess_km_rate_minor"),
                rs.getLong("late_fee_minor"),
                rs.getLong("early_termination_fee_minor"),
                rs.getObject("starts_on", LocalDate.class),
                rs.getObject("ends_on", LocalDate.class),
                rs.getString("status"),
                instant(rs.getTimestamp("accepted_at")),
                instant(rs.getTimestamp("terminated_at")),
                rs.getObject("termination_entry_id", UUID.class),
                instant(rs.getTimestamp("created_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
