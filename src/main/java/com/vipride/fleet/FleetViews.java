package com.vipride.fleet;

import java.math.BigDecimal;
import java.time.Instant;
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
            boolean vipVetted,
            boolean online,
            boolean available,
            String city,
            BigDecimal rating,
            int totalRides) {}

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
            String status) {}

    record FleetCompanyView(
            UUID id,
            String name,
            String registrationNumber,
            String contactEmail,
            String contactPhone,
            String status,
            Instant verifiedAt) {}
}
