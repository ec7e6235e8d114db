package com.vipride.hotels;

import java.time.LocalDate;
import java.util.UUID;

/** A hotel booking with the guest details the hotel needs to receive the guest. */
record BookingView(
        UUID id,
        String bookingReference,
        UUID hotelId,
        UUID roomId,
        UUID customerId,
        String guestName,
        String guestPhone,
        int guests,
        LocalDate checkIn,
        LocalDate checkOut,
        String status,
        long totalMinor,
        String currency) {}
