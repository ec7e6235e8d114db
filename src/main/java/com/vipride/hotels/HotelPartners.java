package com.vipride.hotels;

import com.vipride.hotels.HotelRequests.HotelApplication;
import com.vipride.hotels.HotelRequests.NewBlackout;
import com.vipride.hotels.HotelRequests.NewRatePlan;
import com.vipride.hotels.HotelRequests.NewRoom;
import com.vipride.hotels.HotelRequests.NewRoomType;
import com.vipride.hotels.HotelRequests.NewSeason;
import com.vipride.hotels.HotelViews.BlackoutView;
import com.vipride.hotels.HotelViews.HotelView;
import com.vipride.hotels.HotelViews.RatePlanView;
import com.vipride.hotels.HotelViews.RoomTypeView;
import com.vipride.hotels.HotelViews.RoomView;
import com.vipride.hotels.HotelViews.SeasonView;
import com.vipride.hotels.HotelViews.TierRate;
import com.vipride.platform.security.CurrentCaller;
import com.vipride.platform.security.PlatformRole;
import com.vipride.platform.web.NotFound;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Partner hotels, their tiers and vetting, room types, rooms, rate plans, peak seasons and blackouts.
 * Every write runs under the caller's role: row-level security keeps hotel staff to their own hotel,
 * the database's functions and triggers keep the rules.
 */
@Repository
class HotelPartners {

    private static final String HOTEL = """
            SELECT id, name, city, address, lat, lng, star_rating, partnership_tier, commission_rate_bp, status,
                   status_reason, contact_email, contact_phone, vetted_at
              FROM public.hotel_partners""";

    private final JdbcClient jdbc;

    HotelPartners(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A system admin's hotel is created active and vetted; anyone else's application waits, pending. */
    UUID apply(HotelApplication a) {
        UUID id = jdbc.sql("""
                SELECT public.apply_hotel_partner(:name, :city, :address, :lat, :lng, :stars, :email, :phone,
                                                  CAST(:tier AS public.hotel_partnership_tier))""")
                .param("name", a.name())
                .param("city", a.city() == null ? "lagos" : a.city())
                .param("address", a.address())
                .param("lat", a.lat())
                .param("lng", a.lng())
                .param("stars", a.starRating())
                .param("email", a.contactEmail())
                .param("phone", a.contactPhone())
                .param("tier", a.tier() == null ? "standard" : a.tier().name())
                .query(UUID.class)
                .single();
        if (CurrentCaller.get().role() == PlatformRole.SYSTEM_ADMIN) {
            jdbc.sql("SELECT 1 FROM public.decide_hotel_partner(:id, 'approve', 'created by a system admin')")
                    .param("id", id)
                    .query()
                    .listOfRows();
        }
        return id;
    }

    Optional<HotelView> hotel(UUID id) {
        return jdbc.sql(HOTEL + " WHERE id = :id")
                .param("id", id)
                .query(HotelPartners::hotel)
                .optional();
    }

    HotelView visibleHotel(UUID id) {
        return hotel(id).orElseThrow(() -> NotFound.of("hotel", id));
    }

    void decide(UUID id, String action, String reason) {
        visibleHotel(id);
        jdbc.sql("SELECT 1 FROM public.decide_hotel_partner(:id, :action, :reason)")
                .param("id", id)
                .param("action", action)
                .param("reason", reason)
                .query()
                .listOfRows();
    }

    void changeTier(UUID id, String tier) {
        visibleHotel(id);
        jdbc.sql(
                        "UPDATE public.hotel_partners SET partnership_tier = CAST(:tier AS public.hotel_partnership_tier) WHERE id = :id")
                .param("id", id)
                .param("tier", tier)
                .update();
    }

    List<TierRate> tiers() {
        return jdbc.sql("""
                SELECT tier, commission_rate_bp, referral_commission_bp, dispatch_priority
                  FROM public.hotel_tier_rates ORDER BY dispatch_priority""")
                .query((rs, n) -> new TierRate(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4)))
                .list();
    }

    RoomTypeView addRoomType(UUID hotel, NewRoomType t) {
        visibleHotel(hotel);
        return jdbc.sql("""
                INSERT INTO public.hotel_room_types (hotel_id, name, category, capacity, amenities)
                VALUES (:hotel, :name, :category, :capacity, CAST(:amenities AS text[]))
                RETURNING id, hotel_id, name, category, capacity, amenities""")
                .param("hotel", hotel)
                .param("name", t.name())
                .param(
                        "category",
                        t.category() == null ? "standard" : t.category().name())
                .param("capacity", t.capacity())
                .param(
                        "amenities",
                        t.amenities() == null ? new String[0] : t.amenities().toArray(String[]::new))
                .query(HotelPartners::roomType)
                .single();
    }

    List<RoomTypeView> roomTypes(UUID hotel) {
        visibleHotel(hotel);
        return jdbc.sql("""
                SELECT id, hotel_id, name, category, capacity, amenities FROM public.hotel_room_types
                 WHERE hotel_id = :hotel ORDER BY name""")
                .param("hotel", hotel)
                .query(HotelPartners::roomType)
                .list();
    }

    RoomView addRoom(UUID hotel, NewRoom r) {
        visibleHotel(hotel);
        return jdbc.sql("""
                INSERT INTO public.hotel_rooms (hotel_id, room_number, room_type, max_occupancy, room_type_id)
                VALUES (:hotel, :number, 'standard', 1, :type)
                RETURNING id, hotel_id, room_type_id, room_number, is_available""")
                .param("hotel", hotel)
                .param("number", r.roomNumber())
                .param("type", r.roomTypeId())
                .query(HotelPartners::room)
                .single();
    }

    List<RoomView> rooms(UUID hotel) {
        visibleHotel(hotel);
        return jdbc.sql("""
                SELECT id, hotel_id, room_type_id, room_number, is_available FROM public.hotel_rooms
                 WHERE hotel_id = :hotel ORDER BY room_number""").param("hotel", hotel).query(HotelPartners::room).list();
    }

    RatePlanView addRatePlan(UUID hotel, NewRatePlan p) {
        visibleHotel(hotel);
        return jdbc.sql("""
                INSERT INTO public.hotel_rate_plans (hotel_id, room_type_id, name, currency, base_nightly_minor,
                                                     weekend_nights, weekend_surcharge_bp, occupancy_threshold_pct,
                                                     occupancy_surcharge_bp, free_cancellation_hours, cancellation_fee_bp,
                                                     valid_from, valid_to)
                VALUES (:hotel, :type, :name, :currency, :base, CAST(:weekendNights AS smallint[]), :weekend, :threshold,
                        :occupancy, :freeHours, :fee, :from, :to)
                RETURNING *""")
                .param("hotel", hotel)
                .param("type", p.roomTypeId())
                .param("name", p.name())
                .param("currency", p.currency())
                .param("base", p.baseNightlyMinor())
                .param(
                        "weekendNights",
                        p.weekendNights() == null
                                ? new Integer[] {5, 6}
                                : p.weekendNights().toArray(Integer[]::new))
                .param("weekend", p.weekendSurchargeBp() == null ? 0 : p.weekendSurchargeBp())
                .param("threshold", p.occupancyThresholdPct())
                .param("occupancy", p.occupancySurchargeBp() == null ? 0 : p.occupancySurchargeBp())
                .param("freeHours", p.freeCancellationHours() == null ? 48 : p.freeCancellationHours())
                .param("fee", p.cancellationFeeBp() == null ? 0 : p.cancellationFeeBp())
                .param("from", p.validFrom())
                .param("to", p.validTo())
                .query(HotelPartners::ratePlan)
                .single();
    }

    List<RatePlanView> ratePlans(UUID hotel) {
        visibleHotel(hotel);
        return jdbc.sql("SELECT * FROM public.hotel_rate_plans WHERE hotel_id = :hotel ORDER BY valid_from, name")
                .param("hotel", hotel)
                .query(HotelPartners::ratePlan)
                .list();
    }

    SeasonView addSeason(UUID hotel, UUID plan, NewSeason s) {
        visibleHotel(hotel);
        return jdbc.sql("""
                INSERT INTO public.hotel_rate_plan_seasons (rate_plan_id, hotel_id, name, starts_on, ends_on, surcharge_bp)
                SELECT p.id, p.hotel_id, :name, :starts, :ends, :bp FROM public.hotel_rate_plans p
                 WHERE p.id = :plan AND p.hotel_id = :hotel
                RETURNING id, rate_plan_id, name, starts_on, ends_on, surcharge_bp""")
                .param("hotel", hotel)
                .param("plan", plan)
                .param("name", s.name())
                .param("starts", s.startsOn())
                .param("ends", s.endsOn())
                .param("bp", s.surchargeBp())
                .query((rs, n) -> new SeasonView(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getString(3),
                        rs.getObject(4, LocalDate.class),
                        rs.getObject(5, LocalDate.class),
                        rs.getInt(6)))
                .optional()
                .orElseThrow(() -> NotFound.of("rate plan", plan));
    }

    BlackoutView addBlackout(UUID hotel, NewBlackout b) {
        visibleHotel(hotel);
        return jdbc.sql("""
                INSERT INTO public.hotel_blackout_dates (hotel_id, room_type_id, starts_on, ends_on, reason)
                VALUES (:hotel, :type, :starts, :ends, :reason)
                RETURNING id, hotel_id, room_type_id, starts_on, ends_on, reason""")
                .param("hotel", hotel)
                .param("type", b.roomTypeId())
                .param("starts", b.startsOn())
                .param("ends", b.endsOn())
                .param("reason", b.reason())
                .query((rs, n) -> new BlackoutView(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class),
                        rs.getObject(4, LocalDate.class),
                        rs.getObject(5, LocalDate.class),
                        rs.getString(6)))
                .single();
    }

    private static HotelView hotel(ResultSet rs, int row) throws SQLException {
        return new HotelView(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("city"),
                rs.getString("address"),
                rs.getDouble("lat"),
                rs.getDouble("lng"),
                rs.getInt("star_rating"),
                rs.getString("partnership_tier"),
                rs.getInt("commission_rate_bp"),
                rs.getString("status"),
                rs.getString("status_reason"),
                rs.getString("contact_email"),
                rs.getString("contact_phone"),
                rs.getObject("vetted_at", OffsetDateTime.class));
    }

    private static RoomTypeView roomType(ResultSet rs, int row) throws SQLException {
        return new RoomTypeView(
                rs.getObject("id", UUID.class),
                rs.getObject("hotel_id", UUID.class),
                rs.getString("name"),
                rs.getString("category"),
                rs.getInt("capacity"),
                strings(rs.getArray("amenities")));
    }

    private static RoomView room(ResultSet rs, int row) throws SQLException {
        return new RoomView(
                rs.getObject("id", UUID.class),
                rs.getObject("hotel_id", UUID.class),
                rs.getObject("room_type_id", UUID.class),
                rs.getString("room_number"),
                rs.getBoolean("is_available"));
    }

    private static RatePlanView ratePlan(ResultSet rs, int row) throws SQLException {
        Object[] nights = (Object[]) rs.getArray("weekend_nights").getArray();
        return new RatePlanView(
                rs.getObject("id", UUID.class),
                rs.getObject("hotel_id", UUID.class),
                rs.getObject("room_type_id", UUID.class),
                rs.getString("name"),
                rs.getString("currency"),
                rs.getLong("base_nightly_minor"),
                Arrays.stream(nights).map(n -> ((Number) n).intValue()).toList(),
                rs.getInt("weekend_surcharge_bp"),
                (Integer) rs.getObject("occupancy_threshold_pct", Integer.class),
                rs.getInt("occupancy_surcharge_bp"),
                rs.getInt("free_cancellation_hours"),
                rs.getInt("cancellation_fee_bp"),
                rs.getObject("valid_from", LocalDate.class),
                rs.getObject("valid_to", LocalDate.class),
                rs.getBoolean("active"));
    }

    static List<String> strings(Array array) throws SQLException {
        return array == null
                ? List.of()
                : Arrays.stream((Object[]) array.getArray())
                        .map(String::valueOf)
                        .toList();
    }
}
