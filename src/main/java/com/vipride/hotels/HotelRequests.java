package com.vipride.hotels;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** The request bodies of the hotel endpoints. Their rules beyond shape are the database's. */
final class HotelRequests {

    private HotelRequests() {}

    enum Tier {
        standard,
        preferred,
        exclusive
    }

    enum VettingAction {
        approve,
        reject,
        suspend,
        reinstate,
        terminate
    }

    enum RoomCategory {
        standard,
        deluxe,
        suite,
        presidential
    }

    enum RidePurpose {
        arrival,
        departure,
        guest_ride
    }

    enum BilledTo {
        guest,
        hotel
    }

    record HotelApplication(
            @NotBlank @Size(max = 200) String name,
            @Pattern(regexp = "[a-z][a-z_-]{1,63}") String city,
            @NotBlank @Size(max = 500) String address,
            @NotNull @DecimalMin("-90") @DecimalMax("90") Double lat,
            @NotNull @DecimalMin("-180") @DecimalMax("180") Double lng,
            @NotNull @Min(1) @Max(5) Integer starRating,
            @NotBlank @Email @Size(max = 254) String contactEmail,

            @NotBlank @Pattern(regexp = "\\+[1-9][0-9]{7,14}", message = "must be E.164, e.g. +2348030000000")
            String contactPhone,

            Tier tier) {}

    record Vetting(
            @NotNull VettingAction action, @Size(max = 500) String reason) {}

    record TierChange(@NotNull Tier tier) {}

    record NewRoomType(
            @NotBlank @Size(max = 100) String name,
            RoomCategory category,
            @NotNull @Min(1) @Max(12) Integer capacity,
            @Size(max = 50) List<@NotBlank @Size(max = 100) String> amenities) {}

    record NewRoom(
            @NotBlank @Size(max = 20) String roomNumber,
            @NotNull UUID roomTypeId) {}

    record NewRatePlan(
            @NotNull UUID roomTypeId,
            @NotBlank @Size(max = 100) String name,
            @NotNull @Pattern(regexp = "[A-Z]{3}") String currency,
            @NotNull @Min(1) Long baseNightlyMinor,
            @Min(0) @Max(10000) Integer weekendSurchargeBp,
            @Size(max = 7) List<@Min(1) @Max(7) Integer> weekendNights,
            @Min(1) @Max(100) Integer occupancyThresholdPct,
            @Min(0) @Max(10000) Integer occupancySurchargeBp,
            @Min(0) @Max(8760) Integer freeCancellationHours,
            @Min(0) @Max(10000) Integer cancellationFeeBp,
            @NotNull LocalDate validFrom,
            LocalDate validTo) {}

    record NewSeason(
            @NotBlank @Size(max = 100) String name,
            @NotNull LocalDate startsOn,
            @NotNull LocalDate endsOn,
            @NotNull @Min(0) @Max(50000) Integer surchargeBp) {}

    record NewBlackout(
            UUID roomTypeId,
            @NotNull LocalDate startsOn,
            @NotNull LocalDate endsOn,
            @Size(max = 500) String reason) {}

    record NewBooking(
            @NotNull UUID hotelId,
            UUID roomTypeId,
            UUID roomId,
            @NotNull LocalDate checkIn,
            @NotNull LocalDate checkOut,
            @NotNull Integer guests,
            @Size(max = 200) String guestName,
            @Size(max = 20) String guestPhone,
            @Pattern(regexp = "[A-Z]{3}") String currency) {

        String fingerprint() {
            return String.join(
                    "|",
                    String.valueOf(hotelId),
                    String.valueOf(roomTypeId),
                    String.valueOf(roomId),
                    String.valueOf(checkIn),
                    String.valueOf(checkOut),
                    String.valueOf(guests),
                    String.valueOf(guestName),
                    String.valueOf(guestPhone),
                    String.valueOf(currency));
        }
    }

    record Cancellation(@Size(max = 500) String reason) {}

    record Point(
            @NotNull @DecimalMin("-90") @DecimalMax("90") Double lat,
            @NotNull @DecimalMin("-180") @DecimalMax("180") Double lng) {}

    record NewHotelRide(
            @NotNull RidePurpose purpose,
            OffsetDateTime scheduledFor,
            @Pattern(regexp = "[a-z_]{1,32}") String vehicleType,
            @Min(1) @Max(14) Integer passengers,
            @NotNull @Valid Point pickup,
            @NotNull @Valid Point dropoff,
            @Size(max = 500) String pickupAddress,
            @Size(max = 500) String dropoffAddress,
            BilledTo billedTo) {}
}
