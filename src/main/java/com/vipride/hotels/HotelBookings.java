package com.vipride.hotels;

import com.vipride.hotels.HotelRequests.NewBooking;
import com.vipride.hotels.HotelRequests.NewHotelRide;
import com.vipride.hotels.HotelViews.Availability;
import com.vipride.hotels.HotelViews.BookingView;
import com.vipride.hotels.HotelViews.HotelRideView;
import com.vipride.hotels.HotelViews.Night;
import com.vipride.hotels.HotelViews.StayPrice;
import com.vipride.platform.web.InvalidRequest;
import com.vipride.platform.web.NotFound;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Availability, the price of a stay, bookings and their steps, and the rides of a stay: each a call of
 * the database's function under the caller's role, which prices, checks and refuses.
 */
@Repository
class HotelBookings {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,200}");

    private static final String COLUMNS = """
            id, booking_reference, hotel_id, room_id, room_type_id, rate_plan_id, customer_id, booked_by, guest_name,
            guest_phone, guests, check_in, check_out, status, total_minor, currency, commission_rate_bp,
            price_breakdown, pay_at_hotel, cancellation_fee_minor, refund_minor""";

    private final JdbcClient jdbc;

    HotelBookings(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Expires the bookings left pending longer than {@code hold} (the database cancels and notifies). */
    int expirePending(Duration hold) {
        return jdbc.sql("SELECT public.expire_pending_hotel_bookings(make_interval(secs => :seconds))")
                .param("seconds", (double) hold.toSeconds())
                .query(Integer.class)
                .single();
    }

    Optional<BookingView> findById(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM public.hotel_bookings WHERE id = :id")
                .param("id", id)
                .query(HotelBookings::booking)
                .optional();
    }

    /** The hotel's bookings whose stay overlaps [from, to], earliest check-in first (row-level security decides). */
    List<BookingView> ofHotel(UUID hotel, LocalDate from, LocalDate to, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + """
                         FROM public.hotel_bookings
                        WHERE hotel_id = :hotel AND check_in <= :to AND check_out >= :from
                        ORDER BY check_in, id LIMIT :limit""")
                .param("hotel", hotel)
                .param("from", from)
                .param("to", to)
                .param("limit", limit)
                .query(HotelBookings::booking)
                .list();
    }

    BookingView visible(UUID id) {
        return findById(id).orElseThrow(() -> NotFound.of("hotel booking", id));
    }

    List<Availability> search(
            String city, UUID hotel, LocalDate checkIn, LocalDate checkOut, int guests, String currency) {
        return jdbc.sql("""
                        SELECT * FROM public.hotel_availability(CAST(:city AS text), CAST(:hotel AS uuid), :in, :out,
                                                                :guests, CAST(:currency AS text)) LIMIT 200""")
                // Typed even when missing: a parameter of unknown type costs every later run an extra round trip.
                .param("city", city, Types.VARCHAR)
                .param("hotel", hotel == null ? null : hotel.toString(), Types.VARCHAR)
                .param("in", checkIn)
                .param("out", checkOut)
                .param("guests", guests)
                .param("currency", currency, Types.VARCHAR)
                .query((rs, n) -> new Availability(
                        rs.getObject("hotel_id", UUID.class),
                        rs.getString("hotel_name"),
                        rs.getString("city"),
                        rs.getInt("star_rating"),
                        rs.getString("partnership_tier"),
                        rs.getObject("room_type_id", UUID.class),
                        rs.getString("room_type_name"),
                        rs.getString("category"),
                        rs.getInt("capacity"),
                        HotelPartners.strings(rs.getArray("amenities")),
                        rs.getInt("rooms_free"),
                        rs.getObject("rate_plan_id", UUID.class),
                        rs.getString("currency"),
                        rs.getInt("nights"),
                        rs.getLong("total_minor")))
                .list();
    }

    StayPrice price(UUID hotel, UUID roomType, LocalDate checkIn, LocalDate checkOut, String currency) {
        jdbc.sql("SELECT public.check_hotel_stay(:in, :out, 1)")
                .param("in", checkIn)
                .param("out", checkOut)
                .query()
                .listOfRows();
        UUID plan = jdbc.sql("""
                SELECT public.hotel_plan_for_stay(t.id, :currency, :in, :out)
                  FROM public.hotel_room_types t WHERE t.id = :type AND t.hotel_id = :hotel""")
                .param("type", roomType)
                .param("hotel", hotel)
                .param("currency", currency)
                .param("in", checkIn)
                .param("out", checkOut)
                .query(UUID.class)
                .optional()
                .orElseThrow(() -> NotFound.of("room type", roomType));
        if (plan == null) {
            throw new HotelProblem(
                    org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT,
                    "no-rate-plan",
                    "No rate plan prices this stay.");
        }
        List<Night> nights = jdbc.sql("SELECT * FROM public.hotel_stay_nights(:plan, :in, :out)")
                .param("plan", plan)
                .param("in", checkIn)
                .param("out", checkOut)
                .query((rs, n) -> new Night(
                        rs.getObject("night", LocalDate.class),
                        rs.getLong("base_minor"),
                        rs.getLong("weekend_minor"),
                        rs.getLong("peak_minor"),
                        rs.getString("season"),
                        rs.getLong("occupancy_minor"),
                        rs.getDouble("occupancy_pct"),
                        rs.getLong("amount_minor")))
                .list();
        String planCurrency = jdbc.sql("SELECT currency FROM public.hotel_stay_price(:plan, :in, :out)")
                .param("plan", plan)
                .param("in", checkIn)
                .param("out", checkOut)
                .query(String.class)
                .single();
        return new StayPrice(
                plan,
                planCurrency,
                checkIn,
                checkOut,
                nights.stream().mapToLong(Night::amountMinor).sum(),
                nights);
    }

    UUID book(NewBooking b, String idempotencyKey) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw InvalidRequest.of(
                    "invalid-idempotency-key", "Idempotency-Key must be 1 to 200 visible ASCII characters.");
        }
        if (b.roomTypeId() == null && b.roomId() == null) {
            throw InvalidRequest.of("room-type-or-room", "Give roomTypeId (any free room of it) or roomId.");
        }
        return jdbc.sql("""
                SELECT id FROM public.book_hotel_room(:hotel, :type, :room, :in, :out, :guests, :name, :phone, :currency,
                                                      :key, :fingerprint)""")
                .param("hotel", b.hotelId())
                .param("type", b.roomTypeId())
                .param("room", b.roomId())
                .param("in", b.checkIn())
                .param("out", b.checkOut())
                .param("guests", b.guests())
                .param("name", b.guestName())
                .param("phone", b.guestPhone())
                .param("currency", b.currency())
                .param("key", idempotencyKey)
                .param("fingerprint", idempotencyKey == null ? null : b.fingerprint())
                .query(UUID.class)
                .single();
    }

    void step(UUID booking, String step) {
        visible(booking);
        jdbc.sql("SELECT 1 FROM public.hotel_booking_step(:id, :step)")
                .param("id", booking)
                .param("step", step)
                .query()
                .listOfRows();
    }

    void cancel(UUID booking, String reason) {
        visible(booking);
        jdbc.sql("SELECT 1 FROM public.cancel_hotel_booking(:id, :reason)")
                .param("id", booking)
                .param("reason", reason)
                .query()
                .listOfRows();
    }

    UUID requestRide(UUID booking, NewHotelRide r) {
        visible(booking);
        return jdbc.sql("""
                SELECT ride_id FROM public.request_hotel_ride(:booking, :purpose, :at, CAST(:vehicle AS public.vehicle_type),
                                                              :passengers, :pickupLat, :pickupLng, :dropoffLat, :dropoffLng,
                                                              :pickupAddress, :dropoffAddress, :billedTo)""")
                .param("booking", booking)
                .param("purpose", r.purpose().name())
                .param("at", r.scheduledFor())
                .param("vehicle", r.vehicleType() == null ? "sedan" : r.vehicleType())
                .param("passengers", r.passengers())
                .param("pickupLat", r.pickup().lat())
                .param("pickupLng", r.pickup().lng())
                .param("dropoffLat", r.dropoff().lat())
                .param("dropoffLng", r.dropoff().lng())
                .param("pickupAddress", r.pickupAddress())
                .param("dropoffAddress", r.dropoffAddress())
                .param("billedTo", r.billedTo() == null ? "guest" : r.billedTo().name())
                .query(UUID.class)
                .single();
    }

    List<HotelRideView> rides(UUID ride, UUID booking) {
        return jdbc.sql("SELECT * FROM public.hotel_ride_statuses(:ride, :booking)")
                .param("ride", ride)
                .param("booking", booking)
                .query((rs, n) -> new HotelRideView(
                        rs.getObject("ride_id", UUID.class),
                        rs.getObject("booking_id", UUID.class),
                        rs.getString("purpose"),
                        rs.getString("billed_to"),
                        rs.getString("status"),
                        rs.getObject("scheduled_for", OffsetDateTime.class),
                        rs.getObject("requested_at", OffsetDateTime.class),
                        (Long) rs.getObject("estimated_fare_minor", Long.class),
                        (Long) rs.getObject("final_fare_minor", Long.class),
                        rs.getString("currency"),
                        rs.getBoolean("driver_assigned")))
                .list();
    }

    static JsonNode json(String text) {
        return text == null ? null : JSON.readTree(text);
    }

    private static BookingView booking(ResultSet rs, int row) throws SQLException {
        return new BookingView(
                rs.getObject("id", UUID.class),
                rs.getString("booking_reference"),
                rs.getObject("hotel_id", UUID.class),
                rs.getObject("room_id", UUID.class),
                rs.getObject("room_type_id", UUID.class),
                rs.getObject("rate_plan_id", UUID.class),
                rs.getObject("customer_id", UUID.class),
                rs.getObject("booked_by", UUID.class),
                rs.getString("guest_name"),
                rs.getString("guest_phone"),
                rs.getInt("guests"),
                rs.getObject("check_in", LocalDate.class),
                rs.getObject("check_out", LocalDate.class),
                rs.getString("status"),
                rs.getLong("total_minor"),
                rs.getString("currency"),
                (Integer) rs.getObject("commission_rate_bp", Integer.class),
                json(rs.getString("price_breakdown")),
                rs.getBoolean("pay_at_hotel"),
                (Long) rs.getObject("cancellation_fee_minor", Long.class),
                (Long) rs.getObject("refund_minor", Long.class));
    }
}
