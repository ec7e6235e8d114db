package com.vipride.analytics;

import com.vipride.analytics.DashboardRows.ComplianceFigure;
import com.vipride.analytics.DashboardRows.DriverMonth;
import com.vipride.analytics.DashboardRows.FleetDay;
import com.vipride.analytics.DashboardRows.HotelMonth;
import com.vipride.analytics.DashboardRows.HotelOccupancyMonth;
import com.vipride.analytics.DashboardRows.RevenueDay;
import com.vipride.analytics.DashboardRows.RidesHour;
import com.vipride.analytics.DashboardRows.VipUsageDay;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Dashboards over the analytics materialized views. {@code from} and {@code to} are inclusive UTC days
 * (ISO dates; default: the last 30 days; at most 731 days); monthly views return every month the range
 * touches. Business dashboards are for system_admin, compliance statistics for compliance_officer: the
 * database refuses every other role (403), because a materialized view has no row-level security.
 */
@RestController
@Tag(name = "Analytics")
class AnalyticsController {

    private static final String CITY = "[a-z][a-z_-]{1,63}";

    private final Dashboards dashboards;

    AnalyticsController(Dashboards dashboards) {
        this.dashboards = dashboards;
    }

    @GetMapping("/api/v1/analytics/revenue")
    @Operation(summary = "system_admin: completed rides, gross fares and the fare split per day, rider tier and city")
    @Transactional(readOnly = true)
    Dashboard<RevenueDay> revenue(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) @Pattern(regexp = "normal|premium|vip") String tier,
            @RequestParam(required = false) @Pattern(regexp = CITY) String city) {
        return read("analytics.revenue_daily", DateRange.of(from, to), range -> dashboards.revenue(range, tier, city));
    }

    @GetMapping("/api/v1/analytics/rides-per-hour")
    @Operation(
            summary = "system_admin: completed rides per UTC hour of completion, rider tier and city, over the last"
                    + " hours (default 48, at most 192)")
    @Transactional(readOnly = true)
    Dashboard<RidesHour> ridesPerHour(
            @RequestParam(defaultValue = "48") @Min(1) @Max(192) int hours,
            @RequestParam(required = false) @Pattern(regexp = "normal|premium|vip") String tier,
            @RequestParam(required = false) @Pattern(regexp = CITY) String city) {
        LocalDate first =
                OffsetDateTime.now(ZoneOffset.UTC).minusHours(hours - 1).toLocalDate();
        return new Dashboard<>(
                "analytics.rides_hourly",
                dashboards.lastRefresh("analytics.rides_hourly"),
                first,
                LocalDate.now(ZoneOffset.UTC),
                dashboards.ridesPerHour(hours, tier, city));
    }

    @GetMapping("/api/v1/analytics/driver-performance")
    @Operation(
            summary =
                    "system_admin: per driver and month — rides, cancellations, arrival time, distance, fares, earnings")
    @Transactional(readOnly = true)
    Dashboard<DriverMonth> driverPerformance(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) UUID driverId,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        return read(
                "analytics.driver_performance",
                DateRange.of(from, to),
                range -> dashboards.drivers(range, driverId, limit));
    }

    @GetMapping("/api/v1/analytics/fleet-utilisation")
    @Operation(
            summary = "system_admin: per fleet and day — vehicles used against active vehicles, drivers, time on trip")
    @Transactional(readOnly = true)
    Dashboard<FleetDay> fleetUtilisation(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) UUID fleetCompanyId,
            @RequestParam(defaultValue = "500") @Min(1) @Max(5000) int limit) {
        return read(
                "analytics.fleet_utilisation",
                DateRange.of(from, to),
                range -> dashboards.fleets(range, fleetCompanyId, limit));
    }

    @GetMapping("/api/v1/analytics/hotel-referral-revenue")
    @Operation(
            summary =
                    "system_admin: per hotel and month of check-in — bookings, room nights, commission earned and expected")
    @Transactional(readOnly = true)
    Dashboard<HotelMonth> hotelReferralRevenue(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) UUID hotelId,
            @RequestParam(defaultValue = "500") @Min(1) @Max(5000) int limit) {
        return read(
                "analytics.hotel_referral_revenue",
                DateRange.of(from, to),
                range -> dashboards.hotels(range, hotelId, limit));
    }

    @GetMapping("/api/v1/analytics/hotel-occupancy")
    @Operation(
            summary = "system_admin: per hotel and month — room nights sold and offered, room revenue, booking and"
                    + " referral commission, cancellation fees")
    @Transactional(readOnly = true)
    Dashboard<HotelOccupancyMonth> hotelOccupancy(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) UUID hotelId,
            @RequestParam(defaultValue = "500") @Min(1) @Max(5000) int limit) {
        return read(
                "analytics.hotel_occupancy_revenue",
                DateRange.of(from, to),
                range -> dashboards.hotelOccupancy(range, hotelId, limit));
    }

    @GetMapping("/api/v1/analytics/vip-usage")
    @Operation(summary = "system_admin: VIP-tier rides per day and city (counts only)")
    @Transactional(readOnly = true)
    Dashboard<VipUsageDay> vipUsage(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) @Pattern(regexp = CITY) String city) {
        return read("analytics.vip_usage", DateRange.of(from, to), range -> dashboards.vipUsage(range, city));
    }

    @GetMapping("/api/v1/analytics/compliance")
    @Operation(summary = "compliance_officer: data-subject requests, breaches and consent per month and metric")
    @Transactional(readOnly = true)
    Dashboard<ComplianceFigure> compliance(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to) {
        return read("analytics.compliance_statistics", DateRange.of(from, to), dashboards::compliance);
    }

    @GetMapping("/api/v1/analytics/refreshes")
    @Operation(summary = "system_admin, compliance_officer: the latest refreshes of the analytics views, newest first")
    @Transactional(readOnly = true)
    List<ViewRefresh> refreshes(@RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit) {
        return dashboards.refreshes(limit);
    }

    private <T> Dashboard<T> read(String view, DateRange range, Function<DateRange, List<T>> rows) {
        List<T> read = rows.apply(range);
        return new Dashboard<>(view, dashboards.lastRefresh(view), range.from(), range.to(), read);
    }
}
