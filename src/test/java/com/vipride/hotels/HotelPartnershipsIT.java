package com.vipride.hotels;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.dispatch.DispatchPass;
import com.vipride.platform.jobs.JobRun;
import com.vipride.platform.jobs.Jobs;
import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.TestAccounts.SignedIn;
import java.net.http.HttpRequest;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Hotel partnerships through the API: onboarding and vetting, rooms and rate plans, the price of a stay
 * against hand-computed nights, availability, bookings (the last room, bad input, other hotels), the
 * cancellation fee and refund in the ledger, scheduled transfers dispatched and expired, rides billed to
 * the hotel charged to its account, pending bookings expired past their hold.
 */
class HotelPartnershipsIT extends IntegrationTest {

    /** Monday at least a week ahead: stays from it never start in the past nor cross today. */
    private static final LocalDate MONDAY =
            LocalDate.now(ZoneOffset.UTC).plusDays(8).with(TemporalAdjusters.next(DayOfWeek.MONDAY));

    @Autowired
    private DispatchPass dispatch;

    @Autowired
    private Jobs jobs;

    private RideWorld world;
    private SignedIn admin;

    @BeforeEach
    void aCity() {
        world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        admin = accounts().aSignedInStaffMember("system_admin");
    }

    /** An active hotel in the world's city with one room type of {@code rooms} rooms and its staff member. */
    private Hotel hotel(int rooms, Map<String, Object> plan) {
        Api.Response created = world.aHotel(admin.accessToken(), 5);
        assertThat(created.text("status")).isEqualTo("active");
        assertThat(created.body().get("commissionRateBp").asInt())
                .as("the standard tier's rate")
                .isEqualTo(1500);
        UUID id = UUID.fromString(created.text("id"));
        SignedIn staff = accounts().aSignedInStaffMember("hotel_staff");
        superuser()
                .sql("INSERT INTO public.hotel_staff_members (user_id, hotel_id) VALUES (:u, :h)")
                .param("u", staff.id())
                .param("h", id)
                .update();
        Api.Response type = api().post(
                        "/api/v1/hotels/" + id + "/room-types",
                        Map.of(
                                "name",
                                "Deluxe double",
                                "category",
                                "deluxe",
                                "capacity",
                                2,
                                "amenities",
                                List.of("wifi")),
                        staff.accessToken());
        assertThat(type.status()).as(type.toString()).isEqualTo(201);
        UUID roomType = UUID.fromString(type.text("id"));
        for (int i = 0; i < rooms; i++) {
            Api.Response room = api().post(
                            "/api/v1/hotels/" + id + "/rooms",
                            Map.of("roomNumber", String.valueOf(101 + i), "roomTypeId", roomType),
                            staff.accessToken());
            assertThat(room.status()).as(room.toString()).isEqualTo(201);
        }
        Map<String, Object> body = new HashMap<>(Map.of(
                "roomTypeId",
                roomType,
                "name",
                "Rack rate",
                "currency",
                "NGN",
                "baseNightlyMinor",
                100_000,
                "validFrom",
                LocalDate.now(ZoneOffset.UTC).toString()));
        body.putAll(plan);
        Api.Response ratePlan = api().post("/api/v1/hotels/" + id + "/rate-plans", body, staff.accessToken());
        assertThat(ratePlan.status()).as(ratePlan.toString()).isEqualTo(201);
        return new Hotel(id, roomType, UUID.fromString(ratePlan.text("id")), staff);
    }

    record Hotel(UUID id, UUID roomType, UUID ratePlan, SignedIn staff) {}

    private Api.Response book(SignedIn who, Hotel hotel, LocalDate in, LocalDate out, int guests, String key) {
        Map<String, Object> body = new HashMap<>(Map.of(
                "hotelId", hotel.id(),
                "roomTypeId", hotel.roomType(),
                "checkIn", in.toString(),
                "checkOut", out.toString(),
                "guests", guests));
        HttpRequest.Builder request = api().request("/api/v1/hotel-bookings", who.accessToken())
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body)));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return api().send(request.build());
    }

    private static String json(Map<String, Object> body) {
        StringBuilder out = new StringBuilder("{");
        body.forEach((k, v) -> out.append(out.length() > 1 ? "," : "")
                .append('"')
                .append(k)
                .append("\":")
                .append(v instanceof Number || v instanceof Boolean ? v.toString() : "\"" + v + "\""));
        return out.append('}').toString();
    }

    @Test
    void thePriceOfAStayIsComputedNightByNightWithWeekendPeakAndOccupancySurcharges() {
        Hotel hotel =
                hotel(2, Map.of("weekendSurchargeBp", 2500, "occupancyThresholdPct", 50, "occupancySurchargeBp", 1000));
        Api.Response season = api().post(
                        "/api/v1/hotels/" + hotel.id() + "/rate-plans/" + hotel.ratePlan() + "/seasons",
                        Map.of(
                                "name",
                                "Festival",
                                "startsOn",
                                MONDAY.plusDays(2).toString(),
                                "endsOn",
                                MONDAY.plusDays(3).toString(),
                                "surchargeBp",
                                5000),
                        hotel.staff().accessToken());
        assertThat(season.status()).as(season.toString()).isEqualTo(201);
        String price = "/api/v1/hotels/" + hotel.id() + "/room-types/" + hotel.roomType() + "/price?checkIn=" + MONDAY
                + "&checkOut=" + MONDAY.plusDays(7);
        SignedIn rider = world.rider("normal");

        // Mon 100 000, Tue 100 000, Wed 100 000 + 50 % peak, Thu 100 000, Fri and Sat + 25 % weekend, Sun.
        Api.Response empty = api().get(price, rider.accessToken());
        assertThat(empty.status()).as(empty.toString()).isEqualTo(200);
        assertThat(amounts(empty.body().get("nights")))
                .containsExactly(100_000L, 100_000L, 150_000L, 100_000L, 125_000L, 125_000L, 100_000L);
        assertThat(empty.body().get("totalMinor").asLong()).isEqualTo(800_000);

        // One of the two rooms taken Thursday and Friday nights: 50 % held, at the threshold, + 10 %.
        Api.Response taken =
                book(accounts().aSignedInCustomer(), hotel, MONDAY.plusDays(3), MONDAY.plusDays(5), 1, null);
        assertThat(taken.status()).as(taken.toString()).isEqualTo(201);
        assertThat(taken.body().get("totalMinor").asLong())
                .as("Thu 100 000 + Fri 125 000")
                .isEqualTo(225_000);
        Api.Response busy = api().get(price, rider.accessToken());
        assertThat(amounts(busy.body().get("nights")))
                .containsExactly(100_000L, 100_000L, 150_000L, 110_000L, 135_000L, 125_000L, 100_000L);
        assertThat(busy.body().get("nights").get(4).get("weekendMinor").asLong())
                .isEqualTo(25_000);
        assertThat(busy.body().get("nights").get(4).get("occupancyMinor").asLong())
                .isEqualTo(10_000);
        assertThat(busy.body().get("nights").get(2).get("peakMinor").asLong()).isEqualTo(50_000);

        // The booking keeps the same breakdown, and the search shows the same total with one room free.
        Api.Response stay = book(rider, hotel, MONDAY, MONDAY.plusDays(7), 2, "stay-" + UUID.randomUUID());
        assertThat(stay.status()).as(stay.toString()).isEqualTo(201);
        assertThat(stay.body().get("totalMinor").asLong()).isEqualTo(820_000);
        assertThat(stay.text("status")).isEqualTo("pending");
        assertThat(stay.body().get("commissionRateBp").asInt()).isEqualTo(1500);
        assertThat(amounts(stay.body().get("priceBreakdown"))).hasSize(7);
        Api.Response search = api().get(
                        "/api/v1/hotel-availability?hotelId=" + hotel.id() + "&checkIn=" + MONDAY.plusDays(7)
                                + "&checkOut=" + MONDAY.plusDays(9) + "&guests=2",
                        rider.accessToken());
        assertThat(search.status()).as(search.toString()).isEqualTo(200);
        assertThat(search.body().get(0).get("totalMinor").asLong()).isEqualTo(200_000);
        assertThat(search.body().get(0).get("roomsFree").asInt()).isEqualTo(2);
        Api.Response full = api().get(
                        "/api/v1/hotel-availability?hotelId=" + hotel.id() + "&checkIn=" + MONDAY.plusDays(3)
                                + "&checkOut=" + MONDAY.plusDays(4) + "&guests=1",
                        rider.accessToken());
        assertThat(full.body()).as("both rooms held that night").isEmpty();
    }

    private static List<Long> amounts(JsonNode nights) {
        List<Long> out = new ArrayList<>();
        nights.forEach(n -> out.add(n.get("amountMinor").asLong()));
        return out;
    }

    @Test
    void badInputIsAClearProblemAndAnIdempotentRetryIsTheSameBooking() {
        Hotel hotel = hotel(1, Map.of());
        Hotel other = hotel(1, Map.of());
        SignedIn rider = world.rider("normal");
        assertThat(book(rider, hotel, MONDAY.plusDays(2), MONDAY, 1, null).code())
                .isEqualTo("invalid-stay-dates");
        assertThat(book(rider, hotel, MONDAY, MONDAY.plusDays(1), 0, null).code())
                .isEqualTo("invalid-guests");
        assertThat(book(rider, hotel, MONDAY, MONDAY.plusDays(1), 3, null).code())
                .isEqualTo("too-many-guests");
        Map<String, Object> foreignRoom = Map.of(
                "hotelId", hotel.id(),
                "roomTypeId", other.roomType(),
                "checkIn", MONDAY.toString(),
                "checkOut", MONDAY.plusDays(1).toString(),
                "guests", 1);
        assertThat(api().post("/api/v1/hotel-bookings", foreignRoom, rider.accessToken())
                        .code())
                .isEqualTo("room-type-not-in-hotel");
        Api.Response overlap = api().post(
                        "/api/v1/hotels/" + hotel.id() + "/rate-plans",
                        Map.of(
                                "roomTypeId",
                                hotel.roomType(),
                                "name",
                                "Second",
                                "currency",
                                "NGN",
                                "baseNightlyMinor",
                                1,
                                "validFrom",
                                MONDAY.toString()),
                        hotel.staff().accessToken());
        assertThat(overlap.status()).isEqualTo(409);
        assertThat(overlap.code()).isEqualTo("rate-plan-overlap");

        String key = "k-" + UUID.randomUUID();
        Api.Response first = book(rider, hotel, MONDAY, MONDAY.plusDays(2), 1, key);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(book(rider, hotel, MONDAY, MONDAY.plusDays(2), 1, key).text("id"))
                .isEqualTo(first.text("id"));
        assertThat(book(rider, hotel, MONDAY, MONDAY.plusDays(3), 1, key).code())
                .isEqualTo("idempotency-key-reused");
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.hotel_bookings WHERE hotel_id = :h")
                        .param("h", hotel.id())
                        .query(Long.class)
                        .single())
                .as("nothing partially written")
                .isEqualTo(1);
        Api.Response direct = api().post(
                        "/api/v1/hotel-bookings/" + first.text("id") + "/rides",
                        Map.of(
                                "purpose", "arrival",
                                "scheduledFor",
                                        OffsetDateTime.now().plusMinutes(5).toString(),
                                "pickup", Map.of("lat", world.lat + 0.05, "lng", world.lng),
                                "dropoff", Map.of("lat", world.lat, "lng", world.lng)),
                        rider.accessToken());
        assertThat(direct.code()).isEqualTo("scheduled-time-out-of-range");
        Api.Response tooFar = api().post(
                        "/api/v1/hotel-bookings/" + first.text("id") + "/rides",
                        Map.of(
                                "purpose", "arrival",
                                "scheduledFor",
                                        OffsetDateTime.now().plusDays(31).toString(),
                                "pickup", Map.of("lat", world.lat + 0.05, "lng", world.lng),
                                "dropoff", Map.of("lat", world.lat, "lng", world.lng)),
                        rider.accessToken());
        assertThat(tooFar.code()).isEqualTo("scheduled-time-out-of-range");
    }

    @Test
    void staffOfOneHotelFindNothingOfAnother() {
        Hotel a = hotel(1, Map.of());
        Hotel b = hotel(1, Map.of());
        Api.Response booking = book(world.rider("normal"), b, MONDAY, MONDAY.plusDays(1), 1, null);
        String bookingB = booking.text("id");
        String staffA = a.staff().accessToken();
        for (String path : List.of(
                "/api/v1/hotels/" + b.id() + "/room-types",
                "/api/v1/hotels/" + b.id() + "/rooms",
                "/api/v1/hotels/" + b.id() + "/rate-plans",
                "/api/v1/hotels/" + b.id() + "/statements",
                "/api/v1/hotels/" + b.id(),
                "/api/v1/hotel-bookings/" + bookingB,
                "/api/v1/hotel-bookings/" + bookingB + "/rides")) {
            assertThat(api().get(path, staffA).status()).as(path).isEqualTo(404);
        }
        assertThat(api().get(
                                "/api/v1/hotels/" + b.id() + "/room-types/" + b.roomType() + "/price?checkIn=" + MONDAY
                                        + "&checkOut=" + MONDAY.plusDays(1),
                                staffA)
                        .status())
                .isEqualTo(404);
        Map<String, Object> type = Map.of("name", "Intruder", "capacity", 1);
        for (String path : List.of(
                "/api/v1/hotels/" + b.id() + "/room-types",
                "/api/v1/hotel-bookings/" + bookingB + "/check-in",
                "/api/v1/hotel-bookings/" + bookingB + "/check-out",
                "/api/v1/hotel-bookings/" + bookingB + "/no-show",
                "/api/v1/hotel-bookings/" + bookingB + "/confirm",
                "/api/v1/hotel-bookings/" + bookingB + "/cancellation")) {
            assertThat(api().post(path, type, staffA).status()).as(path).isIn(400, 404);
        }
        assertThat(api().post(
                                "/api/v1/hotels/" + b.id() + "/rate-plans/" + b.ratePlan() + "/seasons",
                                Map.of(
                                        "name",
                                        "Mine",
                                        "startsOn",
                                        MONDAY.toString(),
                                        "endsOn",
                                        MONDAY.plusDays(1).toString(),
                                        "surchargeBp",
                                        100),
                                staffA)
                        .status())
                .isEqualTo(404);
        assertThat(api().post(
                                "/api/v1/hotels/" + a.id() + "/rate-plans/" + b.ratePlan() + "/seasons",
                                Map.of(
                                        "name",
                                        "Mine",
                                        "startsOn",
                                        MONDAY.toString(),
                                        "endsOn",
                                        MONDAY.plusDays(1).toString(),
                                        "surchargeBp",
                                        100),
                                staffA)
                        .status())
                .as("another hotel's plan under one's own hotel")
                .isEqualTo(404);
        assertThat(api().post(
                                "/api/v1/hotels/" + b.id() + "/blackouts",
                                Map.of(
                                        "startsOn",
                                        MONDAY.toString(),
                                        "endsOn",
                                        MONDAY.plusDays(1).toString()),
                                staffA)
                        .status())
                .isEqualTo(404);
        assertThat(api().post(
                                "/api/v1/hotels/" + b.id() + "/vetting",
                                Map.of("action", "suspend", "reason", "x"),
                                staffA)
                        .status())
                .isIn(403, 404);
        assertThat(api().post(
                                "/api/v1/hotels/" + a.id() + "/vetting",
                                Map.of("action", "suspend", "reason", "x"),
                                staffA)
                        .status())
                .as("staff do not vet their own hotel")
                .isEqualTo(403);
        Api.Response suspended = api().post(
                        "/api/v1/hotels/" + b.id() + "/vetting",
                        Map.of("action", "suspend", "reason", "unpaid commission"),
                        admin.accessToken());
        assertThat(suspended.text("status")).isEqualTo("suspended");
        assertThat(book(world.rider("normal"), b, MONDAY.plusDays(5), MONDAY.plusDays(6), 1, null)
                        .code())
                .isEqualTo("hotel-not-active");
        assertThat(api().post(
                                "/api/v1/hotels/" + b.id() + "/vetting",
                                Map.of("action", "reinstate"),
                                admin.accessToken())
                        .text("status"))
                .isEqualTo("active");
        assertThat(api().post(
                                "/api/v1/hotels/" + b.id() + "/rooms",
                                Map.of("roomNumber", "9", "roomTypeId", b.roomType()),
                                staffA)
                        .status())
                .isEqualTo(404);
        assertThat(api().post(
                                "/api/v1/hotels/" + a.id() + "/rooms",
                                Map.of("roomNumber", "9", "roomTypeId", b.roomType()),
                                staffA)
                        .code())
                .as("a room of another hotel's type")
                .isEqualTo("room-type-not-in-hotel");
        Map<String, Object> forGuest = Map.of(
                "hotelId", b.id(),
                "roomTypeId", b.roomType(),
                "checkIn", MONDAY.plusDays(3).toString(),
                "checkOut", MONDAY.plusDays(4).toString(),
                "guests", 1,
                "guestName", "Ada Obi",
                "guestPhone", "+2348030000000");
        assertThat(api().post("/api/v1/hotel-bookings", forGuest, staffA).status())
                .isEqualTo(404);
        assertThat(api().get("/api/v1/hotel-bookings/" + bookingB, b.staff().accessToken())
                        .status())
                .isEqualTo(200);
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.hotel_room_types WHERE hotel_id = :h")
                        .param("h", b.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void twoRidersRacingForTheLastRoomOneGetsIt() throws Exception {
        Hotel hotel = hotel(1, Map.of());
        SignedIn one = world.rider("normal");
        SignedIn two = world.rider("normal");
        CyclicBarrier start = new CyclicBarrier(2);
        List<CompletableFuture<Api.Response>> racing = new ArrayList<>();
        for (SignedIn rider : List.of(one, two)) {
            racing.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return book(rider, hotel, MONDAY, MONDAY.plusDays(3), 1, null);
            }));
        }
        List<Integer> statuses = new ArrayList<>();
        for (var f : racing) {
            statuses.add(f.get().status());
        }
        assertThat(statuses).containsExactlyInAnyOrder(201, 409);
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.hotel_bookings WHERE hotel_id = :h")
                        .param("h", hotel.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void aLateCancellationKeepsThePlansFeeAndRefundsTheRestThroughTheLedger() {
        // Free cancellation ends 30 days before check-in: cancelling now costs 20 %.
        Hotel hotel = hotel(1, Map.of("freeCancellationHours", 720, "cancellationFeeBp", 2000));
        SignedIn rider = world.riderWithCard("tok_ok");
        Api.Response booked = book(rider, hotel, MONDAY, MONDAY.plusDays(2), 1, null);
        assertThat(booked.body().get("totalMinor").asLong()).isEqualTo(200_000);
        String booking = booked.text("id");
        Api.Response paid = api().post("/api/v1/hotel-bookings/" + booking + "/payment", Map.of(), rider.accessToken());
        assertThat(paid.status()).as(paid.toString()).isEqualTo(201);
        assertThat(api().get("/api/v1/hotel-bookings/" + booking, rider.accessToken())
                        .text("status"))
                .isEqualTo("confirmed");
        assertThat(hotelOwed(hotel.id())).as("200 000 less 15 %").isEqualTo(170_000);

        Api.Response cancelled = api().post(
                        "/api/v1/hotel-bookings/" + booking + "/cancellation",
                        Map.of("reason", "plans changed"),
                        rider.accessToken());
        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.text("status")).isEqualTo("cancelled");
        assertThat(cancelled.body().get("cancellationFeeMinor").asLong()).isEqualTo(40_000);
        assertThat(cancelled.body().get("refundMinor").asLong()).isEqualTo(160_000);
        assertThat(superuser()
                        .sql("SELECT sum(amount_minor) FROM public.refunds WHERE payment_id = :p")
                        .param("p", UUID.fromString(paid.text("id")))
                        .query(Long.class)
                        .single())
                .isEqualTo(160_000);
        assertThat(hotelOwed(hotel.id()))
                .as("the hotel keeps its share of the fee: 40 000 less 15 %")
                .isEqualTo(34_000);
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.ledger_discrepancies(now() - interval '1 hour') "
                                + "WHERE kind = 'unbalanced_entry' OR reference = :payment")
                        .param("payment", UUID.fromString(paid.text("id")))
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(api().post("/api/v1/hotel-bookings/" + booking + "/cancellation", Map.of(), rider.accessToken())
                        .code())
                .isEqualTo("illegal-transition");
        // The room is free again.
        assertThat(book(world.rider("normal"), hotel, MONDAY, MONDAY.plusDays(2), 1, null)
                        .status())
                .isEqualTo(201);
    }

    @Test
    void theMonthlyStatementShowsBookingsRidesCommissionsAndBalancesAndTheBooksReconcile() {
        Hotel hotel = hotel(1, Map.of());
        SignedIn rider = world.riderWithCard("tok_ok");
        Api.Response booked = book(rider, hotel, MONDAY, MONDAY.plusDays(2), 1, null);
        String booking = booked.text("id");
        Api.Response confirmed = api().post(
                        "/api/v1/hotel-bookings/" + booking + "/confirm",
                        Map.of(),
                        hotel.staff().accessToken());
        assertThat(confirmed.text("status")).as(confirmed.toString()).isEqualTo("confirmed");
        assertThat(confirmed.body().get("payAtHotel").asBoolean()).isTrue();
        assertThat(hotelOwed(hotel.id()))
                .as("paid at the desk: the hotel owes 15 % of 200 000")
                .isEqualTo(-30_000);

        // A ride the hotel originated, completed: 3 % referral commission (standard tier).
        Api.Response done = world.completedRide(rider, world.driverAt(500), 4000);
        UUID ride = UUID.fromString(done.text("id"));
        long fare = done.body().get("finalFareMinor").asLong();
        superuser()
                .sql("""
                        INSERT INTO public.hotel_rides (ride_id, ride_requested_at, hotel_id, booking_id, purpose, requested_by,
                                                        referral_rate_bp)
                        SELECT r.id, r.requested_at, :h, :b, 'guest_ride', :staff, 300 FROM public.rides r WHERE r.id = :ride""")
                .param("h", hotel.id())
                .param("b", UUID.fromString(booking))
                .param("staff", hotel.staff().id())
                .param("ride", ride)
                .update();
        String rideMonth = java.time.YearMonth.now(ZoneOffset.UTC).toString();
        String stayMonth = java.time.YearMonth.from(MONDAY).toString();
        for (int twice = 0; twice < 2; twice++) {
            for (String month : List.of(rideMonth, stayMonth)) {
                Api.Response issued = api().post("/api/v1/hotel-statements/" + month, Map.of(), admin.accessToken());
                assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
            }
        }
        long referral = Math.round(fare * 0.03);
        assertThat(hotelOwed(hotel.id())).as("referral posted once").isEqualTo(-30_000 + referral);

        Api.Response stay = api().get(
                        "/api/v1/hotels/" + hotel.id() + "/statements/" + stayMonth,
                        hotel.staff().accessToken());
        assertThat(stay.status()).as(stay.toString()).isEqualTo(200);
        JsonNode stayStatement = stay.body().get(0);
        assertThat(stayStatement.get("bookings").asInt()).isEqualTo(1);
        assertThat(stayStatement.get("bookingCommissionMinor").asLong()).isEqualTo(30_000);
        assertThat(stayStatement
                        .get("lines")
                        .get("bookings")
                        .get(0)
                        .get("bookingId")
                        .asString())
                .isEqualTo(booking);
        JsonNode rideStatement = api().get(
                        "/api/v1/hotels/" + hotel.id() + "/statements/" + rideMonth,
                        hotel.staff().accessToken())
                .body()
                .get(0);
        assertThat(rideStatement.get("rides").asInt()).isEqualTo(1);
        assertThat(rideStatement.get("referralCommissionMinor").asLong()).isEqualTo(referral);
        assertThat(rideStatement.get("closingBalanceMinor").asLong()).isEqualTo(-30_000 + referral);
        assertThat(rideStatement.get("openingBalanceMinor").asLong()).isZero();

        HttpRequest csv = api().request(
                        "/api/v1/hotels/" + hotel.id() + "/statements/" + stayMonth,
                        hotel.staff().accessToken())
                .header("Accept", "text/csv")
                .GET()
                .build();
        Api.Response csvAnswer = api().send(csv);
        assertThat(csvAnswer.status()).isEqualTo(200);
        assertThat(csvAnswer.raw()).contains(booked.text("bookingReference")).contains("summary");
        assertThat(api().get(
                                "/api/v1/hotels/" + hotel.id() + "/statements/" + stayMonth,
                                hotel(1, Map.of()).staff().accessToken())
                        .status())
                .as("another hotel's staff")
                .isEqualTo(404);
        assertThat(api().post(
                                "/api/v1/hotel-statements/" + stayMonth,
                                Map.of(),
                                hotel.staff().accessToken())
                        .status())
                .as("only the platform issues statements")
                .isEqualTo(403);
        // The occupancy and partner revenue dashboard, after a refresh of the views.
        superuser()
                .sql("SELECT count(*) FROM analytics.refresh_materialized_views()")
                .query(Long.class)
                .single();
        Api.Response dashboard = api().get(
                        "/api/v1/analytics/hotel-occupancy?hotelId=" + hotel.id() + "&from="
                                + LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1) + "&to=" + MONDAY.plusDays(2),
                        admin.accessToken());
        assertThat(dashboard.status()).as(dashboard.toString()).isEqualTo(200);
        long nightsSold = 0;
        long commission = 0;
        long referralSeen = 0;
        for (JsonNode row : dashboard.body().get("rows")) {
            nightsSold += row.get("roomNightsSold").asLong();
            commission += row.get("bookingCommissionMinor").asLong();
            referralSeen += row.get("referralCommissionMinor").asLong();
        }
        assertThat(nightsSold).isEqualTo(2);
        assertThat(commission).isEqualTo(30_000);
        assertThat(referralSeen).isEqualTo(referral);
        assertThat(superuser()
                        .sql(
                                "SELECT count(*) FROM public.ledger_discrepancies(now() - interval '1 hour') WHERE kind = 'unbalanced_entry'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private long hotelOwed(UUID hotel) {
        return superuser()
                .sql(
                        "SELECT coalesce(sum(balance_minor), 0) FROM public.payee_balances WHERE holder_kind = 'hotel' AND holder_id = :h")
                .param("h", hotel)
                .query(Long.class)
                .single();
    }

    @Test
    void aScheduledTransferIsOfferedShortlyBeforeItsTimeOrExpiresWithANotice() {
        Hotel hotel = hotel(2, Map.of());
        SignedIn rider = world.rider("normal");
        String booking = book(rider, hotel, MONDAY, MONDAY.plusDays(2), 1, null).text("id");
        Map<String, Object> transfer = Map.of(
                "purpose", "arrival",
                "scheduledFor", OffsetDateTime.now().plusHours(2).toString(),
                "pickup", Map.of("lat", world.latNorth(3000), "lng", world.lng),
                "dropoff", Map.of("lat", world.lat, "lng", world.lng));
        Api.Response served = api().post("/api/v1/hotel-bookings/" + booking + "/rides", transfer, rider.accessToken());
        assertThat(served.status()).as(served.toString()).isEqualTo(201);
        assertThat(served.text("status")).isEqualTo("pending");
        Api.Response unserved =
                api().post("/api/v1/hotel-bookings/" + booking + "/rides", transfer, rider.accessToken());
        UUID servedRide = UUID.fromString(served.text("rideId"));
        UUID unservedRide = UUID.fromString(unserved.text("rideId"));

        dispatch.runOnce();
        assertThat(rideStatus(servedRide))
                .as("two hours ahead: not offered yet")
                .isEqualTo("pending");

        // Time passes: the first is within its dispatch lead, a driver is near; the second's deadline has gone.
        world.driverAt(2500);
        superuser()
                .sql("UPDATE public.rides SET next_dispatch_at = now() - interval '1 second' WHERE id = :id")
                .param("id", servedRide)
                .update();
        superuser()
                .sql("UPDATE public.rides SET next_dispatch_at = now() - interval '1 second', "
                        + "dispatch_deadline = now() - interval '1 second' WHERE id = :id")
                .param("id", unservedRide)
                .update();
        dispatch.runOnce();
        assertThat(rideStatus(servedRide)).isEqualTo("driver_assigned");
        assertThat(rideStatus(unservedRide)).isEqualTo("expired");
        assertThat(superuser()
                        .sql(
                                "SELECT count(*) FROM public.notifications WHERE recipient_id = :u AND type = 'scheduled_ride_expired' "
                                        + "AND payload ->> 'rideId' = :ride")
                        .param("u", rider.id())
                        .param("ride", unservedRide.toString())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        Api.Response seen =
                api().get("/api/v1/hotel-rides/" + unservedRide, hotel.staff().accessToken());
        assertThat(seen.text("status")).isEqualTo("expired");
        assertThat(api().get(
                                "/api/v1/hotel-rides/" + unservedRide,
                                hotel(1, Map.of()).staff().accessToken())
                        .status())
                .as("another hotel's staff")
                .isEqualTo(404);

        // Staff request a ride for the guest now, billed to the hotel.
        Api.Response now = api().post(
                        "/api/v1/hotel-bookings/" + booking + "/rides",
                        Map.of(
                                "purpose",
                                "guest_ride",
                                "billedTo",
                                "hotel",
                                "pickup",
                                Map.of("lat", world.lat, "lng", world.lng),
                                "dropoff",
                                Map.of("lat", world.latNorth(5000), "lng", world.lng)),
                        hotel.staff().accessToken());
        assertThat(now.status()).as(now.toString()).isEqualTo(201);
        assertThat(now.text("billedTo")).isEqualTo("hotel");
    }

    @Test
    void aRideBilledToTheHotelIsChargedToTheHotelsAccountNotTheGuestsCardAndTheBooksReconcile() {
        Hotel hotel = hotel(1, Map.of());
        SignedIn guest = world.riderWithCard("tok_ok");
        String booking = book(guest, hotel, MONDAY, MONDAY.plusDays(2), 1, null).text("id");
        long owedBefore = hotelOwed(hotel.id());
        Api.Response requested = api().post(
                        "/api/v1/hotel-bookings/" + booking + "/rides",
                        Map.of(
                                "purpose",
                                "guest_ride",
                                "billedTo",
                                "hotel",
                                "pickup",
                                Map.of("lat", world.lat, "lng", world.lng),
                                "dropoff",
                                Map.of("lat", world.latNorth(5000), "lng", world.lng)),
                        hotel.staff().accessToken());
        assertThat(requested.status()).as(requested.toString()).isEqualTo(201);
        UUID ride = UUID.fromString(requested.text("rideId"));
        RideWorld.Driver driver = world.driverAt(300);
        dispatch.runOnce();
        assertThat(rideStatus(ride)).isEqualTo("driver_assigned");
        for (String step : List.of("accept", "arrive", "start")) {
            Api.Response stepped = api().post("/api/v1/rides/" + ride + "/" + step, Map.of(), driver.token());
            assertThat(stepped.status()).as(stepped.toString()).isEqualTo(200);
        }
        Api.Response done =
                api().post("/api/v1/rides/" + ride + "/complete", Map.of("actualDistanceM", 5000), driver.token());
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        long fare = done.body().get("finalFareMinor").asLong();
        assertThat(fare).isPositive();

        Map<String, Object> payment = superuser()
                .sql(
                        "SELECT payer_id, payer_hotel_id, method, status::text AS status, processor_fee_minor, amount_minor "
                                + "FROM public.payments WHERE ride_id = :ride")
                .param("ride", ride)
                .query()
                .singleRow();
        assertThat(payment.get("payer_id")).as("the guest pays nothing").isNull();
        assertThat(payment.get("payer_hotel_id")).isEqualTo(hotel.id());
        assertThat(payment.get("method")).isEqualTo("hotel_account");
        assertThat(payment.get("status")).isEqualTo("completed");
        assertThat(((Number) payment.get("processor_fee_minor")).longValue()).isZero();
        assertThat(((Number) payment.get("amount_minor")).longValue()).isEqualTo(fare);
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.payments WHERE payer_id = :guest")
                        .param("guest", guest.id())
                        .query(Long.class)
                        .single())
                .as("nothing charged to the guest's card")
                .isZero();
        assertThat(hotelOwed(hotel.id()))
                .as("the fare is charged to the hotel's partner balance")
                .isEqualTo(owedBefore - fare);
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.ledger_discrepancies(now() - interval '1 hour') d "
                                + "WHERE d.reference = :ride OR d.reference IN (SELECT p.id FROM public.payments p "
                                + "WHERE p.ride_id = :ride) OR d.kind = 'unbalanced_entry'")
                        .param("ride", ride)
                        .query(Long.class)
                        .single())
                .as("the books reconcile")
                .isZero();

        String month = java.time.YearMonth.now(ZoneOffset.UTC).toString();
        Api.Response issued = api().post("/api/v1/hotel-statements/" + month, Map.of(), admin.accessToken());
        assertThat(issued.status()).as(issued.toString()).isEqualTo(200);
        JsonNode statement = api().get(
                        "/api/v1/hotels/" + hotel.id() + "/statements/" + month,
                        hotel.staff().accessToken())
                .body()
                .get(0);
        assertThat(statement.get("hotelBilledRidesMinor").asLong()).isEqualTo(fare);
        assertThat(statement.get("lines").get("rides").get(0).get("billedTo").asString())
                .isEqualTo("hotel");
        assertThat(statement.get("amountPayableMinor").asLong())
                .as("the closing balance already carries the ride")
                .isEqualTo(statement.get("closingBalanceMinor").asLong());
        assertThat(statement.get("closingBalanceMinor").asLong()).isEqualTo(hotelOwed(hotel.id()));

        JsonNode paid = api().get(
                        "/api/v1/hotels/" + hotel.id() + "/payments",
                        hotel.staff().accessToken())
                .body()
                .get("items");
        assertThat(paid).as("the hotel's staff see what their hotel paid").hasSize(1);
        assertThat(paid.get(0).get("rideId").asString()).isEqualTo(ride.toString());
        assertThat(paid.get(0).get("payerHotelId").asString())
                .isEqualTo(hotel.id().toString());
        Hotel other = hotel(1, Map.of());
        assertThat(api().get(
                                "/api/v1/hotels/" + hotel.id() + "/payments",
                                other.staff().accessToken())
                        .body()
                        .get("items"))
                .as("another hotel's staff see none of it")
                .isEmpty();
        assertThat(api().get("/api/v1/hotels/" + hotel.id() + "/payments", guest.accessToken())
                        .body()
                        .get("items"))
                .as("nor does the guest")
                .isEmpty();
    }

    @Test
    void aBookingLeftPendingPastItsHoldExpiresReleasesItsRoomAndTellsTheGuest() {
        Hotel hotel = hotel(1, Map.of());
        SignedIn guest = world.rider("normal");
        Api.Response stale = book(guest, hotel, MONDAY, MONDAY.plusDays(2), 1, null);
        assertThat(stale.text("status")).isEqualTo("pending");
        SignedIn other = world.rider("normal");
        assertThat(book(other, hotel, MONDAY, MONDAY.plusDays(2), 1, null).status())
                .as("the only room is held by the pending booking")
                .isEqualTo(409);
        Api.Response fresh = book(other, hotel, MONDAY.plusDays(3), MONDAY.plusDays(4), 1, null);
        assertThat(fresh.text("status")).isEqualTo("pending");
        superuser()
                .sql("UPDATE public.hotel_bookings SET created_at = now() - interval '31 minutes' WHERE id = :id")
                .param("id", UUID.fromString(stale.text("id")))
                .update();

        JobRun run = jobs.runNow("hotel-pending-bookings");

        assertThat(run.succeeded()).as(run.error().orElse("")).isTrue();
        assertThat(run.counts().values().get("expired")).isGreaterThanOrEqualTo(1);
        assertThat(api().get("/api/v1/hotel-bookings/" + stale.text("id"), guest.accessToken())
                        .text("status"))
                .isEqualTo("cancelled");
        assertThat(api().get("/api/v1/hotel-bookings/" + fresh.text("id"), other.accessToken())
                        .text("status"))
                .as("within its hold")
                .isEqualTo("pending");
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.notifications WHERE recipient_id = :u "
                                + "AND type = 'hotel.booking-expired' AND payload ->> 'bookingId' = :b")
                        .param("u", guest.id())
                        .param("b", stale.text("id"))
                        .query(Long.class)
                        .single())
                .isOne();
        assertThat(book(other, hotel, MONDAY, MONDAY.plusDays(2), 1, null).status())
                .as("the room is free again")
                .isEqualTo(201);
    }

    private String rideStatus(UUID ride) {
        return superuser()
                .sql("SELECT status::text FROM public.rides WHERE id = :id")
                .param("id", ride)
                .query(String.class)
                .single();
    }
}
