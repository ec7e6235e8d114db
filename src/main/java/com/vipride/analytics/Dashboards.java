package com.vipride.analytics;

import com.vipride.analytics.DashboardRows.ComplianceFigure;
import com.vipride.analytics.DashboardRows.DriverMonth;
import com.vipride.analytics.DashboardRows.FleetDay;
import com.vipride.analytics.DashboardRows.HotelMonth;
import com.vipride.analytics.DashboardRows.HotelOccupancyMonth;
import com.vipride.analytics.DashboardRows.RevenueDay;
import com.vipride.analytics.DashboardRows.RidesHour;
import com.vipride.analytics.DashboardRows.VipUsageDay;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The analytics materialized views, read under the caller's role: the business views by system_admin,
 * compliance statistics by compliance_officer; the database refuses everyone else.
 */
@Repository
class Dashboards {

    private static final String REVENUE = """
            SELECT day, tier::text AS tier, city, currency, completed_rides, gross_fare_minor, platform_commission_minor,
                   driver_share_minor, fleet_and_owner_share_minor, rides_without_split
              FROM analytics.revenue_daily
             WHERE day BETWEEN :from AND :to
               AND (CAST(:tier AS text) IS NULL OR tier::text = CAST(:tier AS text))
               AND (CAST(:city AS text) IS NULL OR city = CAST(:city AS text))
             ORDER BY day, tier, city, currency""";
    private static final String RIDES_HOURLY = """
            SELECT hour, tier::text AS tier, city, completed_rides
              FROM analytics.rides_hourly
             WHERE hour >= date_trunc('hour', now()) - make_interval(hours => :hours - 1)
               AND (CAST(:tier AS text) IS NULL OR tier::text = CAST(:tier AS text))
               AND (CAST(:city AS text) IS NULL OR city = CAST(:city AS text))
             ORDER BY hour, tier, city""";
    private static final String DRIVERS = """
            SELECT month, driver_id, currency, rides_assigned, rides_completed, cancelled_by_driver, cancelled_by_others,
                   avg_arrival_s, distance_m, on_trip_s, fares_minor, driver_share_minor
              FROM analytics.driver_performance
             WHERE month BETWEEN :from AND :to
               AND (CAST(:driver AS uuid) IS NULL OR driver_id = CAST(:driver AS uuid))
             ORDER BY month DESC, rides_completed DESC, driver_id
             LIMIT :limit""";
    private static final String FLEETS = """
            SELECT day, fleet_company_id, active_vehicles, vehicles_used, drivers_active, rides, rides_completed,
                   on_trip_s, vehicles_used_pct, time_on_trip_pct
              FROM analytics.fleet_utilisation
             WHERE day BETWEEN :from AND :to
               AND (CAST(:fleet AS uuid) IS NULL OR fleet_company_id = CAST(:fleet AS uuid))
             ORDER BY day, fleet_company_id
             LIMIT :limit""";
    private static final String HOTELS = """
            SELECT month, hotel_id, city, partnership_tier::text AS partnership_tier, currency, bookings,
                   cancelled_or_no_show, room_nights, booking_value_minor, commission_earned_minor,
                   commission_expected_minor, bookings_with_ride, linked_ride_fares_minor
              FROM analytics.hotel_referral_revenue
             WHERE month BETWEEN :from AND :to
               AND (CAST(:hotel AS uuid) IS NULL OR hotel_id = CAST(:hotel AS uuid))
             ORDER BY month, commission_earned_minor DESC, hotel_id
             LIMIT :limit""";
    private static final String HOTEL_OCCUPANCY = """
            SELECT month, hotel_id, city, partnership_tier::text AS partnership_tier, currency, room_nights_sold,
                   room_nights_offered, room_revenue_minor, booking_commission_minor, cancellation_fees_minor,
                   hotel_rides, referral_commission_minor
              FROM analytics.hotel_occupancy_revenue
             WHERE month BETWEEN :from AND :to
               AND (CAST(:hotel AS uuid) IS NULL OR hotel_id = CAST(:hotel AS uuid))
             ORDER BY month, room_revenue_minor DESC, hotel_id
             LIMIT :limit""";
    private static final String VIP_USAGE = """
            SELECT day, city, rides_requested, rides_completed, rides_cancelled, rides_with_emergency, vip_riders,
                   avg_assignment_s
              FROM analytics.vip_usage
             WHERE day BETWEEN :from AND :to
               AND (CAST(:city AS text) IS NULL OR city = CAST(:city AS text))
             ORDER BY day, city""";
    private static final String COMPLIANCE = """
            SELECT month, metric, dimension, value
              FROM analytics.compliance_statistics
             WHERE month BETWEEN :from AND :to
             ORDER BY month, metric, dimension""";
    private static final String LAST_REFRESH = """
            SELECT max(started_at) FROM analytics.refresh_log WHERE view_name = :view""";
    private static final String REFRESHES = """
            SELECT view_name, started_at, duration_ms, row_count
              FROM analytics.refresh_log
             ORDER BY started_at DESC, id DESC
             LIMIT :limit""";

    private final JdbcClient jdbc;

    Dashboards(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<RevenueDay> revenue(DateRange range, String tier, String city) {
        return jdbc.sql(REVENUE)
                .param("from", range.from())
                .param("to", range.to())
                .param("tier", tier)
                .param("city", city)
                .query(RevenueDay.class)
                .list();
    }

    List<DriverMonth> drivers(DateRange range, UUID driver, int limit) {
        return jdbc.sql(DRIVERS)
                .param("from", range.fromMonth())
                .param("to", range.to())
                .param("driver", driver)
                .param("limit", limit)
                .query(DriverMonth.class)
                .list();
    }

    List<FleetDay> fleets(DateRange range, UUID fleet, int limit) {
        return jdbc.sql(FLEETS)
                .param("from", range.from())
                .param("to", range.to())
                .param("fleet", fleet)
                .param("limit", limit)
                .query(FleetDay.class)
                .list();
    }

    List<HotelMonth> hotels(DateRange range, UUID hotel, int limit) {
        return jdbc.sql(HOTELS)
                .param("from", range.fromMonth())
                .param("to", range.to())
                .param("hotel", hotel)
                .param("limit", limit)
                .query(HotelMonth.class)
                .list();
    }

    List<HotelOccupancyMonth> hotelOccupancy(DateRange range, UUID hotel, int limit) {
        return jdbc.sql(HOTEL_OCCUPANCY)
                .param("from", range.fromMonth())
                .param("to", range.to())
                .param("hotel", hotel)
                .param("limit", limit)
                .query(HotelOccupancyMonth.class)
                .list();
    }

    List<RidesHour> ridesPerHour(int hours, String tier, String city) {
        return jdbc.sql(RIDES_HOURLY)
                .param("hours", hours)
                .param("tier", tier)
                .param("city", city)
                .query(RidesHour.class)
                .list();
    }

    List<VipUsageDay> vipUsage(DateRange range, String city) {
        return jdbc.sql(VIP_USAGE)
                .param("from", range.from())
                .param("to", range.to())
                .param("city", city)
                .query(VipUsageDay.class)
                .list();
    }

    List<ComplianceFigure> compliance(DateRange range) {
        return jdbc.sql(COMPLIANCE)
                .param("from", range.fromMonth())
                .param("to", range.to())
                .query(ComplianceFigure.class)
                .list();
    }

    OffsetDateTime lastRefresh(String view) {
        return jdbc.sql(LAST_REFRESH)
                .param("view", view)
                .query(OffsetDateTime.class)
                .list()
                .get(0);
    }

    List<ViewRefresh> refreshes(int limit) {
        return jdbc.sql(REFRESHES)
                .param("limit", limit)
                .query(ViewRefresh.class)
                .list();
    }
}
