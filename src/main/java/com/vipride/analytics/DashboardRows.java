package com.vipride.analytics;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The rows of the analytics dashboards, one record per materialized view. Money is in minor units of its currency. */
final class DashboardRows {

    private DashboardRows() {}

    record RevenueDay(
            LocalDate day,
            String tier,
            String city,
            String currency,
            long completedRides,
            long grossFareMinor,
            long platformCommissionMinor,
            long driverShareMinor,
            long fleetAndOwnerShareMinor,
            long ridesWithoutSplit) {}

    record DriverMonth(
            LocalDate month,
            UUID driverId,
            String currency,
            long ridesAssigned,
            long ridesCompleted,
            long cancelledByDriver,
            long cancelledByOthers,
            Integer avgArrivalS,
            long distanceM,
            long onTripS,
            long faresMinor,
            long driverShareMinor) {}

    record FleetDay(
            LocalDate day,
            UUID fleetCompanyId,
            long activeVehicles,
            long vehiclesUsed,
            long driversActive,
            long rides,
            long ridesCompleted,
            long onTripS,
            BigDecimal vehiclesUsedPct,
            BigDecimal timeOnTripPct) {}

    record HotelMonth(
            LocalDate month,
            UUID hotelId,
            String city,
            String partnershipTier,
            String currency,
            long bookings,
            long cancelledOrNoShow,
            long roomNights,
            long bookingValueMinor,
            long commissionEarnedMinor,
            long commissionExpectedMinor,
            long bookingsWithRide,
            long linkedRideFaresMinor) {}

    record HotelOccupancyMonth(
            LocalDate month,
            UUID hotelId,
            String city,
            String partnershipTier,
            String currency,
            long roomNightsSold,
            long roomNightsOffered,
            long roomRevenueMinor,
            long bookingCommissionMinor,
            long cancellationFeesMinor,
            long hotelRides,
            long referralCommissionMinor) {}

    record VipUsageDay(
            LocalDate day,
            String city,
            long ridesRequested,
            long ridesCompleted,
            long ridesCancelled,
            long ridesWithEmergency,
            long vipRiders,
            Integer avgAssignmentS) {}

    record RidesHour(OffsetDateTime hour, String tier, String city, long completedRides) {}

    record ComplianceFigure(LocalDate month, String metric, String dimension, long value) {}
}
