package com.vipride.pricing;

import com.vipride.platform.web.NotFound;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Cities and exchange rates as system admins manage them and everyone else reads them. The database
 * decides who may write (system_admin only), keeps the history (an audit row per change of a city;
 * exchange rates are dated rows that are never changed) and holds the bounds.
 */
@Repository
class ReferenceData {

    private static final String CITY_COLUMNS = """
            city, currency, reference_lat, road_factor, average_speed_kmh, surge_radius_m, surge_window_s, quote_ttl_s,
            max_pickup_distance_m, offer_timeout_s, dispatch_retry_s, dispatch_deadline_s, driver_stale_after_s,
            updated_at""";
    private static final String CITIES = "SELECT " + CITY_COLUMNS + " FROM public.city_settings ORDER BY city";
    private static final String CITY = "SELECT " + CITY_COLUMNS + " FROM public.city_settings WHERE city = :city";
    private static final String NEW_CITY = """
            INSERT INTO public.city_settings (city, currency, reference_lat) VALUES (:city, :currency, :referenceLat)""";
    /** Absent settings keep their value. */
    private static final String CHANGE_CITY = "UPDATE public.city_settings SET " + """
            currency = coalesce(:currency, currency), reference_lat = coalesce(:referenceLat, reference_lat),
            road_factor = coalesce(:roadFactor, road_factor), average_speed_kmh = coalesce(:averageSpeedKmh, average_speed_kmh),
            surge_radius_m = coalesce(:surgeRadiusM, surge_radius_m), surge_window_s = coalesce(:surgeWindowS, surge_window_s),
            quote_ttl_s = coalesce(:quoteTtlS, quote_ttl_s),
            max_pickup_distance_m = coalesce(:maxPickupDistanceM, max_pickup_distance_m),
            offer_timeout_s = coalesce(:offerTimeoutS, offer_timeout_s),
            dispatch_retry_s = coalesce(:dispatchRetryS, dispatch_retry_s),
            dispatch_deadline_s = coalesce(:dispatchDeadlineS, dispatch_deadline_s),
            driver_stale_after_s = coalesce(:driverStaleAfterS, driver_stale_after_s)
            WHERE city = :city""";

    private static final String RATE_COLUMNS =
            "base_currency, quote_currency, rate, effective_from, source, created_at";
    private static final String NEW_RATE = "INSERT INTO public.exchange_rates (" + RATE_COLUMNS + ") "
            + "VALUES (:base, :quote, :rate, coalesce(:effectiveFrom, now()), :source, now()) RETURNING "
            + RATE_COLUMNS;
    private static final String RATES = "SELECT " + RATE_COLUMNS + """
             FROM public.exchange_rates
            WHERE (CAST(:base AS char(3)) IS NULL OR base_currency = :base)
              AND (CAST(:quote AS char(3)) IS NULL OR quote_currency = :quote)
              AND effective_from < :before
            ORDER BY effective_from DESC, base_currency, quote_currency LIMIT :limit""";

    private final JdbcClient jdbc;

    ReferenceData(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<CitySettings> cities() {
        return jdbc.sql(CITIES).query(ReferenceData::city).list();
    }

    Optional<CitySettings> city(String city) {
        return jdbc.sql(CITY).param("city", city).query(ReferenceData::city).optional();
    }

    CitySettings addCity(String city, CitySettings.Change settings) {
        jdbc.sql(NEW_CITY)
                .param("city", city)
                .param("currency", settings.currency())
                .param("referenceLat", settings.referenceLat())
                .update();
        return changeCity(city, settings);
    }

    CitySettings changeCity(String city, CitySettings.Change settings) {
        int changed = jdbc.sql(CHANGE_CITY)
                .param("city", city)
                .param("currency", settings.currency())
                .param("referenceLat", settings.referenceLat())
                .param("roadFactor", settings.roadFactor())
                .param("averageSpeedKmh", settings.averageSpeedKmh())
                .param("surgeRadiusM", settings.surgeRadiusM())
                .param("surgeWindowS", settings.surgeWindowS())
                .param("quoteTtlS", settings.quoteTtlS())
                .param("maxPickupDistanceM", settings.maxPickupDistanceM())
                .param("offerTimeoutS", settings.offerTimeoutS())
                .param("dispatchRetryS", settings.dispatchRetryS())
                .param("dispatchDeadlineS", settings.dispatchDeadlineS())
                .param("driverStaleAfterS", settings.driverStaleAfterS())
                .update();
        if (changed == 0) {
            throw NotFound.of("city", city);
        }
        return city(city).orElseThrow(() -> NotFound.of("city", city));
    }

    ExchangeRate addRate(ExchangeRate.NewRate rate) {
        return jdbc.sql(NEW_RATE)
                .param("base", rate.baseCurrency())
                .param("quote", rate.quoteCurrency())
                .param("rate", rate.rate())
                .param(
                        "effectiveFrom",
                        rate.effectiveFrom() == null
                                ? null
                                : rate.effectiveFrom().atOffset(ZoneOffset.UTC))
                .param("source", rate.source())
                .query(ReferenceData::rate)
                .single();
    }

    /** Dated rates, newest first, optionally of one base and/or quote currency. */
    List<ExchangeRate> rates(String base, String quote, Instant before, int limit) {
        return jdbc.sql(RATES)
                .param("base", base)
                .param("quote", quote)
                .param("before", before.atOffset(ZoneOffset.UTC))
                .param("limit", limit)
                .query(ReferenceData::rate)
                .list();
    }

    private static CitySettings city(ResultSet rs, int row) throws SQLException {
        return new CitySettings(
                rs.getString("city"),
                rs.getString("currency"),
                rs.getDouble("reference_lat"),
                rs.getBigDecimal("road_factor"),
                rs.getBigDecimal("average_speed_kmh"),
                rs.getInt("surge_radius_m"),
                rs.getInt("surge_window_s"),
                rs.getInt("quote_ttl_s"),
                rs.getInt("max_pickup_distance_m"),
                rs.getInt("offer_timeout_s"),
                rs.getInt("dispatch_retry_s"),
                rs.getInt("dispatch_deadline_s"),
                rs.getInt("driver_stale_after_s"),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static ExchangeRate rate(ResultSet rs, int row) throws SQLException {
        return new ExchangeRate(
                rs.getString("base_currency"),
                rs.getString("quote_currency"),
                rs.getBigDecimal("rate"),
                rs.getTimestamp("effective_from").toInstant(),
                rs.getString("source"),
                rs.getTimestamp("created_at").toInstant());
    }
}
