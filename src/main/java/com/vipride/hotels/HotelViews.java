package com.vipride.hotels;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** What the hotel endpoints answer. */
final class HotelViews {

    private HotelViews() {}

    record HotelView(
            UUID id,
            String name,
            String city,
            String address,
            double lat,
            double lng,
            int starRating,
            String tier,
            int commissionRateBp,
            String status,
            String statusReason,
            String contactEmail,
            String contactPhone,
            OffsetDateTime vettedAt) {}

    record TierRate(String tier, int commissionRateBp, int referralCommissionBp, int dispatchPriority) {}

    record RoomTypeView(UUID id, UUID hotelId, String name, String category, int capacity, List<String> amenities) {}

    record RoomView(UUID id, UUID hotelId, UUID roomTypeId, String roomNumber, boolean available) {}

    record RatePlanView(
            UUID id,
            UUID hotelId,
            UUID roomTypeId,
            String name,
            String currency,
            long baseNightlyMinor,
            List<Integer> weekendNights,
            int weekendSurchargeBp,
            Integer occupancyThresholdPct,
            int occupancySurchargeBp,
            int freeCancellationHours,
            int cancellationFeeBp,
            LocalDate validFrom,
            LocalDate validTo,
            boolean active) {}

    record SeasonView(UUID id, UUID ratePlanId, String name, LocalDate startsOn, LocalDate endsOn, int surchargeBp) {}

    record BlackoutView(UUID id, UUID hotelId, UUID roomTypeId, LocalDate startsOn, LocalDate endsOn, String reason) {}

    record Night(
            LocalDate night,
            long baseMinor,
            long weekendMinor,
            long peakMinor,
            String season,
            long occupancyMinor,
            double occupancyPct,
            long amountMinor) {}

    record StayPrice(
            UUID ratePlanId,
            String currency,
            LocalDate checkIn,
            LocalDate checkOut,
            long totalMinor,
            List<Night> nights) {}

    record Availability(
            UUID hotelId,
            String hotelName,
            String city,
            int starRating,
            String tier,
            UUID roomTypeId,
            String roomTypeName,
            String category,
            int capacity,
            List<String> amenities,
            int roomsFree,
            UUID ratePlanId,
            String currency,
            int nights,
            long totalMinor) {}

    record BookingView(
            UUID id,
            String bookingReference,
            UUID hotelId,
            UUID roomId,
            UUID roomTypeId,
            UUID ratePlanId,
            UUID customerId,
            UUID bookedBy,
            String guestName,
            String guestPhone,
            int guests,
            LocalDate checkIn,
            LocalDate checkOut,
            String status,
            long totalMinor,
            String currency,
            Integer commissionRateBp,
            JsonNode priceBreakdown,
            boolean payAtHotel,
            Long cancellationFeeMinor,
            Long refundMinor) {}

    record HotelRideView(
            UUID rideId,
            UUID bookingId,
            String purpose,
            String billedTo,
            String status,
            OffsetDateTime scheduledFor,
            OffsetDateTime requestedAt,
            Long estimatedFareMinor,
            Long finalFareMinor,
            String currency,
            boolean driverAssigned) {}

    record StatementView(
            UUID id,
            UUID hotelId,
            String month,
            String currency,
            int bookings,
            long bookingValueMinor,
            long bookingCommissionMinor,
            int rides,
            long rideFaresMinor,
            long referralCommissionMinor,
            long hotelBilledRidesMinor,
            long openingBalanceMinor,
            long closingBalanceMinor,
            long amountPayableMinor,
            JsonNode lines,
            OffsetDateTime issuedAt) {}
}
