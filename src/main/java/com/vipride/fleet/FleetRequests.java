package com.vipride.fleet;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/** The bodies of the fleet requests. Empty strings are invalid everywhere. */
final class FleetRequests {

    private FleetRequests() {}

    static final String CITY = "^[a-z][a-z_-]{1,63}$";

    record FleetApplication(
            @NotBlank @Size(max = 200) String name,
            @NotBlank @Size(max = 64) String registrationNumber,
            @NotBlank @Email @Size(max = 254) String contactEmail,

            @NotBlank @Pattern(regexp = "^\\+[1-9][0-9]{7,14}$", message = "must be in E.164 form, e.g. +2348030000001")
            String contactPhone,

            @NotEmpty @Size(max = 20) List<@NotBlank @Pattern(regexp = CITY) String> operatingCities) {}

    /** A vetting decision or a status change, with its reason. */
    record Decision(
            @NotNull Boolean approve,
            @NotBlank @Size(max = 500) String reason) {}

    record Reason(@NotBlank @Size(max = 500) String reason) {}

    enum DriverCategory {
        private_driver,
        fleet_driver,
        owner_operator
    }

    record DriverApplication(
            @NotNull DriverCategory category,
            UUID fleetId,

            @NotBlank @Size(max = 40) @Pattern(regexp = "^[A-Za-z0-9 /-]+$")
            String licenceNumber,

            @NotNull LocalDate licenceExpiresOn,
            @NotBlank @Pattern(regexp = CITY) String city) {}

    record DriverInvitationRequest(
            @NotBlank @Email @Size(max = 254) String email) {}

    /** The invitee's application through an invitation: the fleet is the inviting one. */
    record InvitationAcceptance(
            @NotBlank @Size(max = 40) @Pattern(regexp = "^[A-Za-z0-9 /-]+$")
            String licenceNumber,

            @NotNull LocalDate licenceExpiresOn,
            @NotBlank @Pattern(regexp = CITY) String city) {}

    enum VehicleType {
        sedan,
        suv,
        luxury,
        van,
        premium
    }

    record VehicleRegistration(
            @NotBlank @Pattern(regexp = "^[A-Za-z0-9 -]{4,14}$")
            String plateNumber,

            @Pattern(regexp = "^[A-HJ-NPR-Za-hj-npr-z0-9]{17}$")
            String vin,

            @NotBlank @Size(max = 60) String make,
            @NotBlank @Size(max = 60) String model,
            @NotNull @Min(1990) @Max(2100) Integer modelYear,
            @NotBlank @Size(max = 40) String color,
            @NotNull VehicleType vehicleType,
            @NotNull @Min(1) @Max(15) Integer seats) {}

    record VehicleAssignment(@NotNull UUID vehicleId) {}
}
