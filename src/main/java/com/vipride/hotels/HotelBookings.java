package com.vipride.hotels;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class HotelBookings {

    private static final String BY_ID = """
            SELECT id, booking_reference, hotel_id, room_id, customer_id, guest_name, guest_phone, guests, check_in,
                   check_out, status, total_minor, currency
              FROM public.hotel_bookings WHERE id = :id""";

    private final JdbcClient jdbc;

    HotelBookings(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<BookingView> findById(UUID id) {
        return jdbc.sql(BY_ID)
                .param("id", id)
                .query((rs, n) -> new BookingView(
                        rs.getObject("id", UUID.class),
                        rs.getString("booking_reference"),
                        rs.getObject("hotel_id", UUID.class),
                        rs.getObject("room_id", UUID.class),
                        rs.getObject("customer_id", UUID.class),
                        rs.getString("guest_name"),
                        rs.getString("guest_phone"),
                        rs.getInt("guests"),
                        rs.getObject("check_in", java.time.LocalDate.class),
                        rs.getObject("check_out", java.time.LocalDate.class),
                        rs.getString("status"),
                        rs.getLong("total_minor"),
                        rs.getString("currency")))
                .optional();
    }
}
