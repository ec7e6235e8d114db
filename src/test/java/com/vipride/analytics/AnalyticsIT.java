package com.vipride.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.support.Api.Response;
import com.vipride.support.AsRole;
import com.vipride.support.IntegrationTest;
import com.vipride.support.Rides.PastRide;
import java.sql.Connection;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.BadSqlGrammarException;
import tools.jackson.databind.JsonNode;

/**
 * The analytics materialized views over a known data set (rides in a city of their own, a fleet, a hotel,
 * compliance records in a month of their own), their concurrent refresh while being read, and who may
 * read them: system_admin the business views, compliance_officer the compliance statistics, nobody else.
 */
class AnalyticsIT extends IntegrationTest {

    private static final String DAY = "2025-06-15";
    private static final OffsetDateTime DAY_START = OffsetDateTime.parse(DAY + "T10:00:00Z");
    private static final List<String> BUSINESS_VIEWS = List.of(
            "analytics.revenue_daily",
            "analytics.driver_performance",
            "analytics.fleet_utilisation",
            "analytics.hotel_referral_revenue",
            "analytics.vip_usage");

    @Autowired
    private AnalyticsRefresh refresh;

    @Test
    void theViewsGiveTheKnownNumbersOfAKnownDataSet() {
        World world = aWorld();
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(1);
        long lastLogged = superuser()
                .sql("SELECT coalesce(max(id), 0) FROM analytics.refresh_log")
                .query(Long.class)
                .single();
        List<ViewRefresh> refreshed = refresh.refreshAll();

        assertThat(refreshed)
                .extracting(ViewRefresh::viewName)
                .containsExactly(
                        "analytics.compliance_statistics",
                        "analytics.driver_performance",
                        "analytics.fleet_utilisation",
                        "analytics.hotel_occupancy_revenue",
                        "analytics.hotel_referral_revenue",
                        "analytics.revenue_daily",
                        "analytics.rides_hourly",
                        "analytics.vip_usage");
        for (ViewRefresh view : refreshed) {
            assertThat(view.startedAt()).isAfter(before);
            assertThat(view.rowCount())
                    .as(view.viewName())
                    .isEqualTo(superuser()
                            .sql("SELECT count(*) FROM " + view.viewName())
                            .query(Long.class)
                            .single());
        }
        assertThat(superuser()
                        .sql("SELECT count(*) FROM analytics.refresh_log WHERE id > :last")
                        .param("last", lastLogged)
                        .query(Long.class)
                        .single())
                .isEqualTo(8);

        String admin = accounts().aSignedInStaffMember("system_admin").accessToken();
        Map<String, JsonNode> revenue = byKey(
                dashboard("/api/v1/analytics/revenue?from=" + DAY + "&to=" + DAY + "&city=" + world.city, admin),
                "tier");
        assertThat(revenue.keySet()).containsExactlyInAnyOrder("vip", "premium");
        assertRow(
                revenue.get("vip"),
                Map.of(
                        "completedRides",
                        3,
                        "grossFareMinor",
                        6000,
                        "platformCommissionMinor",
                        750,
                        "driverShareMinor",
                        2150,
                        "fleetAndOwnerShareMinor",
                        100,
                        "ridesWithoutSplit",
                        1));
        assertRow(
                revenue.get("premium"),
                Map.of(
                        "completedRides",
                        1,
                        "grossFareMinor",
                        4000,
                        "platformCommissionMinor",
                        0,
                        "ridesWithoutSplit",
                        1));
        assertThat(revenue.get("vip").get("currency").asString()).isEqualTo("NGN");

        JsonNode vip = single(
                dashboard("/api/v1/analytics/vip-usage?from=" + DAY + "&to=" + DAY + "&city=" + world.city, admin));
        assertRow(
                vip,
                Map.of(
                        "ridesRequested",
                        4,
                        "ridesCompleted",
                        3,
                        "ridesCancelled",
                        1,
                        "ridesWithEmergency",
                        0,
                        "vipRiders",
                        2));

        JsonNode driver = single(dashboard(
                "/api/v1/analytics/driver-performance?from=" + DAY + "&to=" + DAY + "&driverId=" + world.driver,
                admin));
        assertThat(driver.get("month").asString()).isEqualTo("2025-06-01");
        assertRow(
                driver,
                Map.of(
                        "ridesAssigned",
                        4,
                        "ridesCompleted",
                        4,
                        "cancelledByDriver",
                        0,
                        "avgArrivalS",
                        120,
                        "distanceM",
                        4000,
                        "onTripS",
                        2400,
                        "faresMinor",
                        10000,
                        "driverShareMinor",
                        2150));

        JsonNode fleet = single(dashboard(
                "/api/v1/analytics/fleet-utilisation?from=" + DAY + "&to=" + DAY + "&fleetCompanyId=" + world.fleet,
                admin));
        assertRow(
                fleet,
                Map.of(
                        "activeVehicles",
                        2,
                        "vehiclesUsed",
                        1,
                        "driversActive",
                        1,
                        "rides",
                        4,
                        "ridesCompleted",
                        4,
                        "onTripS",
                        2400));
        assertThat(fleet.get("vehiclesUsedPct").decimalValue()).isEqualByComparingTo("50.0");
        assertThat(fleet.get("timeOnTripPct").decimalValue()).isEqualByComparingTo("1.39");

        JsonNode hotel = single(dashboard(
                "/api/v1/analytics/hotel-referral-revenue?from=" + DAY + "&to=" + DAY + "&hotelId=" + world.hotel,
                admin));
        assertRow(
                hotel,
                Map.of(
                        "bookings",
                        4,
                        "cancelledOrNoShow",
                        1,
                        "roomNights",
                        4,
                        "bookingValueMinor",
                        70333,
                        "commissionEarnedMinor",
                        5033,
                        "commissionExpectedMinor",
                        2000,
                        "bookingsWithRide",
                        1,
                        "linkedRideFaresMinor",
                        1000));

        String officer = accounts().aSignedInStaffMember("compliance_officer").accessToken();
        JsonNode compliance = get("/api/v1/analytics/compliance?from=2019-03-01&to=2019-04-30", officer);
        assertThat(compliance.get("refreshedAt").isNull()).isFalse();
        assertThat(figures(compliance))
                .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                        Map.entry("2019-03-01 dsr_received access", 2L),
                        Map.entry("2019-03-01 dsr_received erasure", 1L),
                        Map.entry("2019-03-01 dsr_completed access", 1L),
                        Map.entry("2019-04-01 dsr_completed erasure", 1L),
                        Map.entry("2019-04-01 dsr_answered_late erasure", 1L),
                        Map.entry("2019-04-01 dsr_open_overdue access", 1L),
                        Map.entry("2019-03-01 breaches_detected severity 4", 2L),
                        Map.entry("2019-03-01 breaches_detected severity 2", 1L),
                        Map.entry("2019-03-01 breach_affected_users severity 4", 110L),
                        Map.entry("2019-03-01 breach_affected_users severity 2", 5L),
                        Map.entry("2019-03-01 breaches_notified_in_time all", 1L),
                        Map.entry("2019-03-01 breaches_notified_late all", 1L),
                        Map.entry("2019-03-01 breaches_unnotified_overdue all", 1L)));
        JsonNode consent = get("/api/v1/analytics/compliance", officer);
        assertThat(figures(consent).keySet()).anyMatch(key -> key.endsWith("consent_data_processing given"));
    }

    @Test
    void aRefreshRunsConcurrentlyWithReadersOnBothSides() throws Exception {
        aWorld();
        refresh.refreshAll();
        try (Connection refresher =
                        postgres.superuserDataSource(postgres.database()).getConnection();
                Connection reader = dataSourceFor("app_backend").getConnection()) {
            refresher.setAutoCommit(false);
            reader.setAutoCommit(false);
            try (Statement refreshing = refresher.createStatement();
                    Statement reading = reader.createStatement()) {
                reading.execute("SET LOCAL ROLE system_admin");
                reading.execute("SET LOCAL lock_timeout = '2s'");
                // A reader inside its transaction does not hold the refresh up …
                long before = count(reading, "analytics.revenue_daily");
                assertThat(refresh.refreshAll()).hasSize(8);
                // … and a refresh in progress (its lock held until commit) does not hold readers up.
                aWorld();
                for (String view : BUSINESS_VIEWS) {
                    refreshing.execute("REFRESH MATERIALIZED VIEW CONCURRENTLY " + view);
                }
                assertThat(count(reading, "analytics.revenue_daily")).isGreaterThanOrEqualTo(before);
                for (String view : BUSINESS_VIEWS) {
                    assertThat(count(reading, view)).as(view).isPositive();
                }
                refresher.commit();
            } finally {
                reader.rollback();
            }
        }
    }

    @Test
    void onlyTheRolesThatSeeEveryUnderlyingRowMayReadTheViews() {
        for (String role : List.of(
                "audit_admin",
                "compliance_officer",
                "vip_admin",
                "support_agent",
                "fleet_admin",
                "driver_user",
                "customer_user",
                "hotel_staff",
                "authenticated_user",
                "anonymous_user")) {
            for (String view : BUSINESS_VIEWS) {
                assertThatThrownBy(() -> readAs(role, view))
                        .as(role + " on " + view)
                        .satisfies(AnalyticsIT::refused);
            }
            assertThatThrownBy(() -> AsRole.query(
                            dataSourceFor("app_backend"),
                            role,
                            sql -> sql.sql("SELECT * FROM analytics.refresh_materialized_views()")
                                    .query()
                                    .listOfRows()))
                    .as(role)
                    .satisfies(AnalyticsIT::refused);
        }
        for (String view : BUSINESS_VIEWS) {
            assertThat(readAs("system_admin", view)).isNotNull();
        }
        assertThat(readAs("compliance_officer", "analytics.compliance_statistics"))
                .isNotNull();
        assertThatThrownBy(() -> readAs("system_admin", "analytics.compliance_statistics"))
                .satisfies(AnalyticsIT::refused);

        String admin = accounts().aSignedInStaffMember("system_admin").accessToken();
        String officer = accounts().aSignedInStaffMember("compliance_officer").accessToken();
        for (String path :
                List.of("revenue", "driver-performance", "fleet-utilisation", "hotel-referral-revenue", "vip-usage")) {
            assertThat(api().get("/api/v1/analytics/" + path, admin).status())
                    .as(path)
                    .isEqualTo(200);
            for (String type : List.of("compliance_officer", "audit_admin", "support_agent", "vip_admin")) {
                Response refused = api().get(
                                "/api/v1/analytics/" + path,
                                accounts().aSignedInStaffMember(type).accessToken());
                assertThat(refused.status()).as(type + " " + path).isEqualTo(403);
                assertThat(refused.code()).isEqualTo("access-denied");
            }
            assertThat(api().get("/api/v1/analytics/" + path, officer).status())
                    .as(path)
                    .isEqualTo(403);
            assertThat(api().get(
                                    "/api/v1/analytics/" + path,
                                    accounts().aSignedInCustomer().accessToken())
                            .status())
                    .isEqualTo(403);
            assertThat(api().get("/api/v1/analytics/" + path, null).status()).isEqualTo(401);
        }
        assertThat(api().get("/api/v1/analytics/compliance", officer).status()).isEqualTo(200);
        assertThat(api().get("/api/v1/analytics/compliance", admin).status()).isEqualTo(403);
        assertThat(api().get("/api/v1/analytics/refreshes", admin).status()).isEqualTo(200);
        assertThat(api().get(
                                "/api/v1/analytics/refreshes",
                                accounts().aSignedInStaffMember("audit_admin").accessToken())
                        .status())
                .isEqualTo(403);
    }

    @Test
    void badDateRangesAreProblemsWithStableCodes() {
        String admin = accounts().aSignedInStaffMember("system_admin").accessToken();
        expectProblem(
                api().get("/api/v1/analytics/revenue?from=2025-06-20&to=2025-06-01", admin), "invalid-date-range");
        expectProblem(
                api().get("/api/v1/analytics/vip-usage?from=2020-01-01&to=2025-01-01", admin), "date-range-too-long");
        expectProblem(api().get("/api/v1/analytics/revenue?from=yesterday", admin), "invalid-parameter");
        expectProblem(api().get("/api/v1/analytics/revenue?from=2025-02-30", admin), "invalid-parameter");
        expectProblem(api().get("/api/v1/analytics/revenue?tier=gold", admin), "validation-failed");
        expectProblem(api().get("/api/v1/analytics/driver-performance?limit=0", admin), "validation-failed");
        expectProblem(api().get("/api/v1/analytics/fleet-utilisation?fleetCompanyId=42", admin), "invalid-parameter");
        JsonNode defaulted = get("/api/v1/analytics/revenue?to=2025-06-30", admin);
        assertThat(defaulted.get("from").asString()).isEqualTo("2025-06-01");
    }

    private static void refused(Throwable e) {
        assertThat(e)
                .isInstanceOfSatisfying(
                        BadSqlGrammarException.class,
                        refusal -> assertThat(refusal.getSQLException().getSQLState())
                                .isEqualTo("42501"));
    }

    private void expectProblem(Response response, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.code()).isEqualTo(code);
        assertThat(response.headers().get("content-type").get(0)).startsWith("application/problem+json");
    }

    private List<Map<String, Object>> readAs(String role, String view) {
        return AsRole.query(
                dataSourceFor("app_backend"),
                role,
                sql -> sql.sql("SELECT * FROM " + view).query().listOfRows());
    }

    private static long count(Statement statement, String view) throws Exception {
        try (var rs = statement.executeQuery("SELECT count(*) FROM " + view)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private JsonNode get(String path, String token) {
        Response response = api().get(path, token);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.body();
    }

    private List<JsonNode> dashboard(String path, String token) {
        JsonNode body = get(path, token);
        assertThat(body.get("refreshedAt").isNull()).isFalse();
        return StreamSupport.stream(body.get("rows").spliterator(), false).toList();
    }

    private static JsonNode single(List<JsonNode> rows) {
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static Map<String, JsonNode> byKey(List<JsonNode> rows, String key) {
        return rows.stream().collect(Collectors.toMap(row -> row.get(key).asString(), row -> row));
    }

    private static Map<String, Long> figures(JsonNode dashboard) {
        return StreamSupport.stream(dashboard.get("rows").spliterator(), false)
                .collect(Collectors.toMap(
                        row -> row.get("month").asString() + " "
                                + row.get("metric").asString() + " "
                                + row.get("dimension").asString(),
                        row -> row.get("value").asLong()));
    }

    private static void assertRow(JsonNode row, Map<String, Integer> expected) {
        expected.forEach(
                (field, value) -> assertThat(row.get(field).asLong()).as(field).isEqualTo(value.longValue()));
    }

    private record World(String city, UUID driver, UUID fleet, UUID hotel) {}

    /** Rides in a city of their own on one day, with a fleet, a hotel and compliance records in March 2019. */
    private World aWorld() {
        String city = "t"
                + ThreadLocalRandom.current()
                        .ints(10, 'a', 'z' + 1)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append);
        UUID vip = customer("vip");
        UUID otherVip = customer("vip");
        UUID premium = customer("premium");
        UUID driverUser = accounts().aRegisteredCustomer().id();
        superuser()
                .sql("UPDATE public.users SET user_type = 'driver' WHERE id = :id")
                .param("id", driverUser)
                .update();
        UUID fleet = superuser()
                .sql("""
                INSERT INTO public.fleet_companies (name, registration_number, contact_email, contact_phone)
                VALUES ('Analytics Fleet', :reg, 'fleet@example.com', '+2348000000001') RETURNING id""")
                .param("reg", "RC-" + city)
                .query(UUID.class)
                .single();
        UUID vehicle = vehicle(fleet, city, "A");
        vehicle(fleet, city, "B");
        UUID driver = superuser()
                .sql("""
                INSERT INTO public.drivers (user_id, fleet_company_id, current_vehicle_id, license_number, license_expires_on,
                                            category, status, city)
                VALUES (:user, :fleet, :vehicle, :license, DATE '2030-01-01', 'fleet_driver', 'approved', :city) RETURNING id""")
                .param("user", driverUser)
                .param("fleet", fleet)
                .param("vehicle", vehicle)
                .param("license", "DL-" + city)
                .param("city", city)
                .query(UUID.class)
                .single();
        UUID r1 = completedRide(city, vip, "vip", driver, vehicle, fleet, 1, 1000);
        UUID r2 = completedRide(city, vip, "vip", driver, vehicle, fleet, 2, 2000);
        completedRide(city, otherVip, "vip", driver, vehicle, fleet, 3, 3000);
        completedRide(city, premium, "premium", driver, vehicle, fleet, 5, 4000);
        PastRide.of(vip, DAY_START.plusMinutes(4))
                .tier("vip")
                .in(city)
                .vehicleType("luxury")
                .cancelledByRider()
                .insert(superuser());
        earnings(r1, 1, driver, fleet, 1000, 250, 750, 0);
        earnings(r2, 2, driver, fleet, 2000, 500, 1400, 100);

        UUID hotel = superuser().sql("""
                INSERT INTO public.hotel_partners (name, city, address, lat, lng, star_rating, commission_rate_bp, contact_email,
                                                   contact_phone, status)
                VALUES ('Analytics Hotel', :city, '1 Marina', 6.45, 3.39, 5, 1000, 'hotel@example.com', '+2348000000002',
                        'active') RETURNING id""").param("city", city).query(UUID.class).single();
        UUID room1 = room(hotel, "101");
        UUID room2 = room(hotel, "102");
        UUID room3 = room(hotel, "103");
        booking(hotel, room1, vip, "2025-06-15", "2025-06-17", "checked_out", 50000, r1, 1);
        booking(hotel, room2, vip, "2025-06-20", "2025-06-21", "confirmed", 20000, null, 0);
        booking(hotel, room1, vip, "2025-06-18", "2025-06-19", "cancelled", 10000, null, 0);
        booking(hotel, room3, premium, "2025-06-01", "2025-06-02", "checked_out", 333, null, 0);

        superuser()
                .sql("DELETE FROM audit.data_subject_requests WHERE received_at < TIMESTAMPTZ '2019-05-01Z'")
                .update();
        superuser()
                .sql("DELETE FROM audit.breach_reports WHERE detected_at < TIMESTAMPTZ '2019-05-01Z'")
                .update();
        superuser().sql("""
                INSERT INTO audit.data_subject_requests (user_id, request_type, status, received_at, due_at, completed_at) VALUES
                    (:u, 'access', 'completed', '2019-03-05Z', '2019-04-04Z', '2019-03-20Z'),
                    (:u, 'access', 'received', '2019-03-06Z', '2019-04-05Z', NULL),
                    (:u, 'erasure', 'completed', '2019-03-07Z', '2019-04-06Z', '2019-04-20Z')""").param("u", vip).update();
        superuser().sql("""
                INSERT INTO audit.breach_reports (detected_at, severity, description, affected_users_count, status,
                                                  regulator_notified_at) VALUES
                    ('2019-03-10Z', 4, 'lost laptop', 100, 'closed', '2019-03-11Z'),
                    ('2019-03-12Z', 2, 'misdirected email', 5, 'open', NULL),
                    ('2019-03-15Z', 4, 'exposed bucket', 10, 'notified', '2019-03-20Z')""").update();
        return new World(city, driver, fleet, hotel);
    }

    private UUID customer(String tier) {
        UUID id = accounts().aRegisteredCustomer().id();
        superuser()
                .sql("UPDATE public.users SET tier = CAST(:tier AS public.user_tier) WHERE id = :id")
                .param("tier", tier)
                .param("id", id)
                .update();
        return id;
    }

    private UUID vehicle(UUID fleet, String city, String suffix) {
        return superuser()
                .sql("""
                INSERT INTO public.vehicles (plate_number, make, model, model_year, color, vehicle_type, seats, fleet_company_id)
                VALUES (:plate, 'Toyota', 'Land Cruiser', 2024, 'black', 'luxury', 4, :fleet) RETURNING id""")
                .param("plate", (city.substring(1, 9) + suffix).toUpperCase())
                .param("fleet", fleet)
                .query(UUID.class)
                .single();
    }

    private UUID completedRide(
            String city, UUID customer, String tier, UUID driver, UUID vehicle, UUID fleet, int minute, long fare) {
        return PastRide.of(customer, DAY_START.plusMinutes(minute))
                .tier(tier)
                .in(city)
                .vehicleType("luxury")
                .drivenBy(driver, vehicle, fleet)
                .completed(fare)
                .insert(superuser())
                .id();
    }

    private void earnings(
            UUID ride,
            int minute,
            UUID driver,
            UUID fleet,
            long fare,
            long commission,
            long driverShare,
            long fleetShare) {
        superuser()
                .sql("""
                INSERT INTO public.ride_earnings (ride_id, ride_requested_at, driver_id, fleet_company_id, currency, fare_minor,
                                                  commission_rate_bp, commission_rule, platform_commission_minor,
                                                  driver_share_minor, fleet_share_minor)
                VALUES (:ride, TIMESTAMPTZ '2025-06-15 10:00:00Z' + make_interval(mins => :minute), :driver, :fleet, 'NGN',
                        :fare, 2500, 'vip', :commission, :driverShare, :fleetShare)""")
                .param("ride", ride)
                .param("minute", minute)
                .param("driver", driver)
                .param("fleet", fleet)
                .param("fare", fare)
                .param("commission", commission)
                .param("driverShare", driverShare)
                .param("fleetShare", fleetShare)
                .update();
    }

    private UUID room(UUID hotel, String number) {
        return superuser()
                .sql("""
                INSERT INTO public.hotel_rooms (hotel_id, room_number, room_type, max_occupancy, nightly_rate_minor, currency)
                VALUES (:hotel, :number, 'suite', 2, 25000, 'NGN') RETURNING id""")
                .param("hotel", hotel)
                .param("number", number)
                .query(UUID.class)
                .single();
    }

    private void booking(
            UUID hotel,
            UUID room,
            UUID customer,
            String checkIn,
            String checkOut,
            String status,
            long total,
            UUID ride,
            int rideMinute) {
        superuser()
                .sql("""
                INSERT INTO public.hotel_bookings (hotel_id, room_id, customer_id, guest_name, guest_phone, check_in, check_out,
                                                   status, total_minor, currency, ride_id, ride_requested_at)
                VALUES (:hotel, :room, :customer, 'Ada Obi', '+2348000000003', CAST(:checkIn AS date), CAST(:checkOut AS date), :status,
                        :total, 'NGN', :ride,
                        CASE WHEN CAST(:ride AS uuid) IS NOT NULL
                             THEN TIMESTAMPTZ '2025-06-15 10:00:00Z' + make_interval(mins => :minute) END)""")
                .param("hotel", hotel)
                .param("room", room)
                .param("customer", customer)
                .param("checkIn", checkIn)
                .param("checkOut", checkOut)
                .param("status", status)
                .param("total", total)
                .param("ride", ride)
                .param("minute", rideMinute)
                .update();
    }
}
