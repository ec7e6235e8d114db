package com.vipride.fleet;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** How the API shows fleet records. */
final class FleetViews {

    private FleetViews() {}

    record DriverView(
            UUID id,
            UUID userId,
            UUID fleetCompanyId,
            UUID currentVehicleId,
            String category,
            String subscriptionTier,
            String status,
            String statusReason,
            boolean vipVetted,
            boolean online,
            boolean available,
            String city,
            BigDecimal rating,
            int totalRides,
            LocalDate licenceExpiresOn,
            LocalDate documentsValidUntil) {}

    record VehicleView(
            UUID id,
            String plateNumber,
            String make,
            String model,
            int modelYear,
            String color,
            String vehicleType,
            int seats,
            UUID fleetCompanyId,
            UUID ownerUserId,
            boolean vipCertified,
            String status,
            LocalDate documentsValidUntil,
            Instant createdAt) {}

    record FleetCompanyView(
            UUID id,
            String name,
            String registrationNumber,
            String contactEmail,
            String contactPhone,
            List<String> operatingCities,
            String status,
            String statusReason,
            Instant verifiedAt) {}

    /** A driver in a fleet's list: the account's name and e-mail beside the driver record. */
    record FleetDriver(
            UUID id,
            UUID userId,
            String firstName,
            String lastName,
            String email,
            String category,
            String status,
            String licenceNumber,
            LocalDate documentsValidUntil,
            UUID currentVehicleId,
            boolean online,
            Instant createdAt) {}

    record FleetLease(
            UUID id,
            UUID vehicleId,
            String plateNumber,
            UUID ownerUserId,
            String leaseType,
            String currency,
            long fixedMonthlyMinor,
            int revenueShareBp,
            LocalDate startsOn,
            LocalDate endsOn,
            String status,
            Instant createdAt) {}

    record FleetRide(
            UUID id,
            Instant requestedAt,
            String status,
            String city,
            UUID driverId,
            UUID vehicleId,
            String currency,
            Long estimatedFareMinor,
            Long finalFareMinor) {}

    record DocumentView(
            UUID id,
            UUID driverId,
            UUID vehicleId,
            String kind,
            String documentNumber,
            String issuer,
            LocalDate expiresOn,
            String contentType,
            int sizeBytes,
            String sha256,
            boolean current,
            Instant createdAt) {}

    record VipVetting(UUID id, Instant at) {}
}
