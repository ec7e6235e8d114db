package com.vipride.pricing;

import com.vipride.platform.web.NotFound;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tariffs and surge rules as admins see and change them. A tariff is never edited: a new one retires
 * the current one, so rides keep the price list they were quoted under. Privileges are the database's
 * (only system_admin may write).
 */
@Service
class PriceLists {

    private static final String TARIFF_COLUMNS = """
            id, city, vehicle_type, rider_tier, billing_model, currency, base_fare_minor, per_km_minor,
            per_minute_minor, flat_fare_minor, minimum_fare_minor, cancellation_fee_minor, free_cancellation_s, created_at""";

    private final JdbcClient jdbc;

    PriceLists(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    List<Tariff> currentTariffs(String city) {
        return jdbc.sql("SELECT " + TARIFF_COLUMNS + """
                         FROM public.tariffs WHERE city = :city AND retired_at IS NULL
                        ORDER BY vehicle_type, rider_tier, billing_model""")
                .param("city", city)
                .query(PriceLists::tariff)
                .list();
    }

    @Transactional
    Tariff replaceTariff(TariffRequest request) {
        requireCity(request.city());
        jdbc.sql("""
                UPDATE public.tariffs SET retired_at = now()
                 WHERE city = :city AND vehicle_type = CAST(:vehicleType AS public.vehicle_type)
                   AND rider_tier = CAST(:riderTier AS public.user_tier)
                   AND billing_model = CAST(:billingModel AS public.billing_model) AND retired_at IS NULL""")
                .param("city", request.city())
                .param("vehicleType", request.vehicleType().name())
                .param("riderTier", request.riderTier().name())
                .param("billingModel", request.billingModel().name())
                .update();
        return jdbc.sql("""
                INSERT INTO public.tariffs (city, vehicle_type, rider_tier, billing_model, currency, base_fare_minor,
                                            per_km_minor, per_minute_minor, flat_fare_minor, minimum_fare_minor,
                                            cancellation_fee_minor, free_cancellation_s)
                VALUES (:city, CAST(:vehicleType AS public.vehicle_type), CAST(:riderTier AS public.user_tier),
                        CAST(:billingModel AS public.billing_model), :currency, :base, :perKm, :perMinute, :flat, :minimum,
                        :cancellationFee, :freeCancellation)
                RETURNING\s""" + TARIFF_COLUMNS)
                .param("city", request.city())
                .param("vehicleType", request.vehicleType().name())
                .param("riderTier", request.riderTier().name())
                .param("billingModel", request.billingModel().name())
                .param("currency", request.currency())
                .param("base", request.baseFareMinor())
                .param("perKm", request.perKmMinor())
                .param("perMinute", request.perMinuteMinor())
                .param("flat", request.flatFareMinor())
                .param("minimum", request.minimumFareMinor())
                .param("cancellationFee", request.cancellationFeeMinor())
                .param("freeCancellation", request.freeCancellationS())
                .query(PriceLists::tariff)
                .single();
    }

    @Transactional(readOnly = true)
    List<SurgeRule> surgeRules(String city) {
        return jdbc.sql("SELECT demand_ratio_from, multiplier FROM public.surge_rules WHERE city = :city ORDER BY 1")
                .param("city", city)
                .query((rs, n) -> new SurgeRule(rs.getBigDecimal(1), rs.getBigDecimal(2)))
                .list();
    }

    @Transactional
    List<SurgeRule> replaceSurgeRules(String city, List<SurgeRule> rules) {
        requireCity(city);
        jdbc.sql("DELETE FROM public.surge_rules WHERE city = :city")
                .param("city", city)
                .update();
        for (SurgeRule rule : rules) {
            jdbc.sql(
                            "INSERT INTO public.surge_rules (city, demand_ratio_from, multiplier) VALUES (:city, :from, :multiplier)")
                    .param("city", city)
                    .param("from", rule.demandRatioFrom())
                    .param("multiplier", rule.multiplier())
                    .update();
        }
        return surgeRules(city);
    }

    private void requireCity(String city) {
        if (!jdbc.sql("SELECT EXISTS (SELECT FROM public.city_settings WHERE city = :city)")
                .param("city", city)
                .query(Boolean.class)
                .single()) {
            throw NotFound.of("city", city);
        }
    }

    private static Tariff tariff(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Tariff(
                rs.getObject("id", java.util.UUID.class),
                rs.getString("city"),
                rs.getString("vehicle_type"),
                rs.getString("rider_tier"),
                rs.getString("billing_model"),
                rs.getString("currency"),
                rs.getLong("base_fare_minor"),
                rs.getLong("per_km_minor"),
                rs.getLong("per_minute_minor"),
                rs.getLong("flat_fare_minor"),
                rs.getLong("minimum_fare_minor"),
                rs.getLong("cancellation_fee_minor"),
                rs.getInt("free_cancellation_s"),
                rs.getTimestamp("created_at").toInstant());
    }
}
