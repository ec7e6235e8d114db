package com.vipride.console;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.vipride.support.Api;
import com.vipride.support.RideWorld;
import com.vipride.support.TestAccounts.SignedIn;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * Each role's main task in the console, in a real browser: the page calls the REST API with the
 * signed-in user's token, so what appears is what the database lets that role see.
 */
class ConsoleIT extends ConsoleBrowser {

    private static String letters(int n) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < n; i++) {
            name.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return name.toString();
    }

    private Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    private Locator.GetByRoleOptions button(String name) {
        return new Locator.GetByRoleOptions().setName(name).setExact(true);
    }

    @Test
    void aResponderAcknowledgesAndResolvesAnSosThatArrivesOnTheStreamedQueue() {
        SignedIn responder = accounts().aSignedInStaffMember("emergency_responder");
        signIn(responder);
        assertThat(page.locator("#stream-state")).hasText("Live stream: connected.");

        RideWorld world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        RideWorld.Driver driver = world.driverAt(250);
        SignedIn rider = world.rider("normal");
        String ride = world.requestRide(rider).text("id");
        for (String step : new String[] {"accept", "arrive", "start"}) {
            assertThat(api().post("/api/v1/rides/" + ride + "/" + step, Map.of(), driver.token())
                            .status())
                    .isEqualTo(200);
        }

        // The city's plane: the ride in progress (a circle) and a free driver (a square), with the same in a
        // table for screen readers.
        world.driverAt(1500);
        page.locator("#map-city").fill(world.city);
        page.getByRole(AriaRole.BUTTON, named("Show city")).click();
        assertThat(page.locator("svg.map circle.ride")).hasCount(1);
        assertThat(page.locator("svg.map rect.driver")).hasCount(1);
        assertThat(page.locator("#map-summary")).containsText("1 active ride, 1 available driver");
        Locator onThePlane = page.getByRole(
                AriaRole.TABLE, new Page.GetByRoleOptions().setName("Active rides and available drivers on the plane"));
        assertThat(onThePlane).containsText("in progress");
        assertThat(onThePlane).containsText("available driver");

        Api.Response sos = api().post(
                        "/api/v1/rides/" + ride + "/sos",
                        Map.of("kind", "medical", "note", "unwell"),
                        rider.accessToken());
        assertThat(sos.status()).as(sos.toString()).isEqualTo(201);
        String incident = sos.text("id");

        // Streamed into the open page, without a reload, with its acknowledgement timer.
        Locator item = page.locator("li[data-incident='" + incident + "']");
        assertThat(item).containsText("MEDICAL");
        assertThat(item.locator(".timer")).containsText("acknowledge within");

        item.getByRole(AriaRole.BUTTON, button("Acknowledge")).click();
        assertThat(item.locator(".badge")).hasText("acknowledged");

        // Its position on the city plane only with a purpose, which the incident's timeline records.
        item.getByRole(AriaRole.BUTTON, button("Show on map…")).click();
        item.getByLabel("Purpose of revealing the position").fill("locate the passenger for the ambulance");
        item.getByRole(AriaRole.BUTTON, button("Reveal")).click();
        assertThat(page.locator("svg.map circle.incident")).hasCount(1);
        item.getByLabel("Outcome").selectOption("false_alarm");
        item.getByRole(AriaRole.BUTTON, button("Resolve")).click();
        assertThat(item).hasCount(0);

        Api.Response worked = api().get("/api/v1/control-centre/incidents/" + incident, responder.accessToken());
        assertThat(worked.body().get("incident").get("status").asText()).isEqualTo("resolved");
        assertThat(worked.body().get("incident").get("outcome").asText()).isEqualTo("false_alarm");
    }

    @Test
    void aVipOperatorSeesAGeofenceAlertInTheSameQueueAsTheIncidents() {
        SignedIn admin = accounts().aSignedInStaffMember("vip_admin");
        SignedIn customer = accounts().aSignedInCustomer();
        Map<String, Object> profile = new java.util.HashMap<>();
        profile.put("userId", customer.id());
        profile.put("priorityLevel", 3);
        profile.put("clearanceLevel", "government");
        profile.put("threatLevel", "medium");
        profile.put("requiresSecurityEscort", false);
        Api.Response created = api().post("/api/v1/vip/profiles", profile, admin.accessToken());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        SignedIn vip =
                accounts().signIn(new com.vipride.support.TestAccounts.Registered(customer.id(), customer.email()));
        double lat = 6.40 + ThreadLocalRandom.current().nextDouble(0.1);
        double lng = 3.30 + ThreadLocalRandom.current().nextDouble(0.1);
        Api.Response zone = api().post(
                        "/api/v1/vip/" + vip.id() + "/geofences",
                        Map.of(
                                "kind",
                                "restricted",
                                "name",
                                "Port",
                                "center",
                                Map.of("lat", lat, "lng", lng),
                                "radiusM",
                                200),
                        admin.accessToken());
        assertThat(zone.status()).as(zone.toString()).isEqualTo(201);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Api.Response inside = api().post(
                        "/api/v1/vip/locations/batch",
                        Map.of(
                                "points",
                                List.of(
                                        Map.of(
                                                "lat",
                                                lat,
                                                "lng",
                                                lng,
                                                "recordedAt",
                                                now.minusSeconds(60).toString()),
                                        Map.of("lat", lat, "lng", lng, "recordedAt", now.toString()))),
                        vip.accessToken());
        assertThat(inside.status()).as(inside.toString()).isEqualTo(201);

        Api.Response raised = api().get("/api/v1/vip/alerts?vipUserId=" + vip.id(), admin.accessToken());
        assertThat(raised.body()).as(raised.toString()).hasSize(1);
        String alert = raised.body().get(0).get("id").asText();

        signIn(accounts().aSignedInStaffMember("vip_operator"));
        assertThat(page.locator("#stream-state")).hasText("Live stream: connected.");
        Locator queue = page.locator("#incident-queue");
        assertThat(queue).hasAttribute("aria-label", "Unresolved incidents and open geofence alerts");
        assertThat(queue.locator("li.geofence-alert[data-alert='" + alert + "']"))
                .containsText("GEOFENCE ENTER RESTRICTED");
    }

    @Test
    void supportFindsARiderSeesTheirRidesAndPaymentsCancelsAStuckRideAndAnAdminSuspendsThem() {
        SignedIn agent = accounts().aSignedInStaffMember("support_agent");
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        SignedIn rider = accounts().aSignedInCustomer();
        String surname = "Zq" + letters(10);
        superuser()
                .sql("UPDATE public.users SET first_name = 'Chiamaka', last_name = :last WHERE id = :id")
                .param("last", surname)
                .param("id", rider.id())
                .update();
        superuser()
                .sql("INSERT INTO public.payment_methods (user_id, method, processor, processor_token, brand, last4) "
                        + "VALUES (:u, 'card', 'sandbox', :t, 'visa', '4242')")
                .param("u", rider.id())
                .param("t", "tok_ok_" + UUID.randomUUID())
                .update();
        RideWorld world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        RideWorld.Driver driver = world.driverAt(250);
        String paid = superuser()
                .sql("SELECT id::text FROM public.payments WHERE ride_id = :ride")
                .param(
                        "ride",
                        UUID.fromString(
                                world.completedRide(rider, driver, 5_000).text("id")))
                .query(String.class)
                .single();
        Api.Response refund = api().post(
                        "/api/v1/payments/" + paid + "/refunds",
                        Map.of("amountMinor", 1_000, "reason", "detour through traffic"),
                        agent.accessToken());
        assertThat(refund.status()).as(refund.toString()).isEqualTo(201);
        // No driver left to offer it to: the next request waits, stuck in dispatch.
        world.offline(driver);
        UUID stuck = rides(world).aRequestedRide(rider.id()).id();

        signIn(agent);
        findAndOpen(surname);
        Locator person = page.locator("#person");
        Locator rides =
                person.getByRole(AriaRole.TABLE, new Locator.GetByRoleOptions().setName("Rides in the last 90 days"));
        assertThat(rides).containsText("pending");
        assertThat(rides).containsText("completed");
        Locator payments =
                person.getByRole(AriaRole.TABLE, new Locator.GetByRoleOptions().setName("Payments, newest first"));
        assertThat(payments).containsText("ride");
        assertThat(payments).containsText("10.00");
        assertThat(payments).containsText("detour through traffic");

        // Cancelling asks for the reason, and the database records it as support's cancellation.
        rides.getByRole(AriaRole.BUTTON, button("Cancel ride")).click();
        rides.getByLabel("Reason for cancelling").fill("stuck in dispatch after the outage");
        rides.getByRole(AriaRole.BUTTON, button("Confirm cancellation")).click();
        assertThat(page.locator("#status")).hasText("Ride cancelled.");
        assertThat(rides).not().containsText("pending");
        assertThat(superuser()
                        .sql(
                                "SELECT cancelled_by::text || ': ' || cancellation_reason FROM public.rides WHERE id = :id")
                        .param("id", stuck)
                        .query(String.class)
                        .single())
                .isEqualTo("support_agent: stuck in dispatch after the outage");
        // A support agent may not suspend accounts: the database refuses, and the page says so.
        person.getByRole(AriaRole.BUTTON, button("Suspend")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("access-denied");
        page.getByRole(AriaRole.BUTTON, named("Sign out")).click();

        signIn(admin);
        findAndOpen(surname);
        person.getByRole(AriaRole.BUTTON, button("Suspend")).click();
        assertThat(page.locator("#status")).hasText("Suspend: done.");
        assertThat(superuser()
                        .sql("SELECT is_active FROM public.users WHERE id = :id")
                        .param("id", rider.id())
                        .query(Boolean.class)
                        .single())
                .isFalse();
        assertThat(api().get("/api/v1/me", rider.accessToken()).status()).isEqualTo(401);
    }

    private void findAndOpen(String surname) {
        page.getByLabel("Name, e-mail, phone, licence or plate")
                .fill(surname.substring(0, 7).toLowerCase());
        page.getByRole(AriaRole.BUTTON, named("Search")).click();
        page.getByRole(AriaRole.BUTTON, named("Chiamaka " + surname)).click();
        assertThat(page.locator("#person").getByRole(AriaRole.HEADING).first()).hasText("Chiamaka " + surname);
    }

    @Test
    void aFleetAdminSeesTheLicenceExpiringNextWeekFirst() {
        UUID fleet = superuser()
                .sql("""
                        INSERT INTO public.fleet_companies (name, registration_number, contact_email, contact_phone, status,
                                                            verified_at)
                        VALUES ('Fleet ' || :n, 'RC-' || :n, 'ops@fleet.example', '+2341234567', 'active', now())
                        RETURNING id""")
                .param("n", UUID.randomUUID().toString())
                .query(UUID.class)
                .single();
        SignedIn admin = accounts().aSignedInStaffMember("fleet_admin");
        superuser()
                .sql("INSERT INTO public.fleet_admins (user_id, fleet_company_id) VALUES (:u, :f)")
                .param("u", admin.id())
                .param("f", fleet)
                .update();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String soon = "Soon" + letters(8);
        String later = "Later" + letters(8);
        aFleetDriver(fleet, later, today.plusDays(200));
        aFleetDriver(fleet, soon, today.plusDays(6));
        aFleetDriver(fleet, "Mid" + letters(8), today.plusDays(40));

        signIn(admin);
        Locator firstRow = page.getByRole(
                        AriaRole.TABLE,
                        new Page.GetByRoleOptions().setName("Drivers and vehicles, earliest expiry first"))
                .locator("tbody tr")
                .first();
        assertThat(firstRow).containsText(soon);
        assertThat(firstRow).containsText(today.plusDays(6).toString());
        assertThat(firstRow.locator(".soon")).containsText("expires soon");
        assertThat(page.locator("main")).not().containsText("Refused");
    }

    private void aFleetDriver(UUID fleet, String surname, LocalDate documentsValidUntil) {
        SignedIn user = accounts().aSignedInCustomer();
        superuser()
                .sql(
                        "UPDATE public.users SET user_type = 'driver', first_name = 'Kelechi', last_name = :last WHERE id = :id")
                .param("last", surname)
                .param("id", user.id())
                .update();
        UUID driver = superuser()
                .sql("""
                        INSERT INTO public.drivers (user_id, fleet_company_id, license_number, license_expires_on, category, status)
                        VALUES (:user, :fleet, :licence, :until, 'fleet_driver', 'approved') RETURNING id""")
                .param("user", user.id())
                .param("fleet", fleet)
                .param("licence", "LAG-" + UUID.randomUUID())
                .param("until", documentsValidUntil)
                .query(UUID.class)
                .single();
        superuser()
                .sql("UPDATE public.drivers SET documents_valid_until = :until WHERE id = :id")
                .param("until", documentsValidUntil)
                .param("id", driver)
                .update();
    }

    @Test
    void hotelStaffSeeTonightsArrival() {
        RideWorld world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        Api.Response created = world.aHotel(admin.accessToken(), 5);
        UUID hotel = UUID.fromString(created.text("id"));
        SignedIn staff = accounts().aSignedInStaffMember("hotel_staff");
        superuser()
                .sql("INSERT INTO public.hotel_staff_members (user_id, hotel_id) VALUES (:u, :h)")
                .param("u", staff.id())
                .param("h", hotel)
                .update();
        Api.Response type = api().post(
                        "/api/v1/hotels/" + hotel + "/room-types",
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
        for (String number : new String[] {"101", "102"}) {
            assertThat(api().post(
                                    "/api/v1/hotels/" + hotel + "/rooms",
                                    Map.of("roomNumber", number, "roomTypeId", type.text("id")),
                                    staff.accessToken())
                            .status())
                    .isEqualTo(201);
        }
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Api.Response plan = api().post(
                        "/api/v1/hotels/" + hotel + "/rate-plans",
                        Map.of(
                                "roomTypeId",
                                type.text("id"),
                                "name",
                                "Rack rate",
                                "currency",
                                "NGN",
                                "baseNightlyMinor",
                                100_000,
                                "validFrom",
                                today.toString()),
                        staff.accessToken());
        assertThat(plan.status()).as(plan.toString()).isEqualTo(201);
        String guest = "Adaeze " + letters(8);
        Api.Response booking = api().post(
                        "/api/v1/hotel-bookings",
                        Map.of(
                                "hotelId",
                                hotel,
                                "roomTypeId",
                                type.text("id"),
                                "checkIn",
                                today.toString(),
                                "checkOut",
                                today.plusDays(2).toString(),
                                "guests",
                                2,
                                "guestName",
                                guest,
                                "guestPhone",
                                "+2348031234567"),
                        staff.accessToken());
        assertThat(booking.status()).as(booking.toString()).isEqualTo(201);

        signIn(staff);
        Locator tonight = page.locator("#tonight");
        assertThat(tonight).containsText(guest);
        assertThat(tonight).containsText(booking.text("bookingReference"));
        // The guest pays at the hotel: staff confirm the stay from the arrivals list.
        tonight.getByRole(AriaRole.BUTTON, button("Confirm")).click();
        assertThat(page.locator("#tonight")).containsText("confirmed");
        assertThat(page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Rooms free per night")))
                .containsText("Deluxe double");
    }

    @Test
    void aComplianceOfficerSeesADueRequestAndTheBreachClock() {
        SignedIn officer = accounts().aSignedInStaffMember("compliance_officer");
        SignedIn subject = accounts().aSignedInCustomer();
        Api.Response request = api().post(
                        "/api/v1/compliance/privacy-requests",
                        Map.of("userId", subject.id(), "type", "access", "details", "by letter"),
                        officer.accessToken());
        assertThat(request.status()).as(request.toString()).isEqualTo(201);
        String nature = "Laptop lost " + letters(8);
        Api.Response breach = api().post(
                        "/api/v1/compliance/breaches",
                        Map.of(
                                "detectedAt",
                                Instant.now().minus(50, ChronoUnit.HOURS).toString(),
                                "nature",
                                nature,
                                "dataCategories",
                                List.of("contact"),
                                "approxSubjects",
                                12,
                                "approxRecords",
                                12,
                                "likelyConsequences",
                                "phishing of the riders",
                                "measures",
                                "device wiped remotely"),
                        officer.accessToken());
        assertThat(breach.status()).as(breach.toString()).isEqualTo(201);
        // Its deadline alerts are raised now, as the privacy clock job would: that job notifies every
        // compliance officer of the shared database, which must not happen in another test's middle.
        com.vipride.support.AsRole.query(
                dataSourceFor("app_backend"),
                "system_admin",
                sql -> sql.sql("SELECT compliance.check_breach_clock()")
                        .query(Integer.class)
                        .single());

        signIn(officer);
        assertThat(page.getByRole(
                        AriaRole.TABLE, new Page.GetByRoleOptions().setName("Open requests, earliest due first")))
                .containsText(subject.id().toString());
        Locator breachRow = page.getByRole(AriaRole.ROW).filter(new Locator.FilterOptions().setHasText(nature));
        assertThat(breachRow.locator(".breach-clock.due_soon")).containsText("left of 72 h");
        page.getByRole(AriaRole.BUTTON, named("Verify the chain now")).click();
        assertThat(page.locator("#chain-result")).isVisible();
    }

    @Test
    void operationsSeeDatabaseHealthPartitionsJobsAndTheCharts() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        signIn(admin);
        page.getByRole(AriaRole.LINK, named("Operations")).click();
        assertThat(page.getByRole(AriaRole.TABLE, new Page.GetByRoleOptions().setName("Checks, worst first")))
                .isVisible();
        assertThat(page.getByRole(
                        AriaRole.TABLE,
                        new Page.GetByRoleOptions()
                                .setName("Monthly partitions, live tables first, newest month first")))
                .containsText("public.rides");
        assertThat(page.getByRole(
                        AriaRole.TABLE, new Page.GetByRoleOptions().setName("Scheduled jobs, next due first")))
                .containsText("partition-upkeep");
        assertThat(page.locator("#revenue-chart canvas")).isVisible();
        assertThat(page.locator("#rides-chart canvas")).isVisible();
        assertThat(page.locator("#rides-chart"))
                .hasAttribute("aria-label", java.util.regex.Pattern.compile("over 48 points"));
    }

    @Test
    void noPageReachesBeyondTheServicesOriginAndTheSkipLinkWorks() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        signIn(admin);
        for (String link : new String[] {"Support", "Operations"}) {
            page.getByRole(AriaRole.LINK, named(link)).click();
            assertThat(page.getByRole(AriaRole.HEADING, named(link))).isVisible();
            page.waitForLoadState(com.microsoft.playwright.options.LoadState.NETWORKIDLE);
        }
        page.reload();
        page.getByRole(AriaRole.BUTTON, named("Sign out")).waitFor();
        page.keyboard().press("Tab");
        assertThat(page.getByRole(AriaRole.LINK, named("Skip to content"))).isFocused();
        page.keyboard().press("Enter");
        assertThat(page.locator("#main")).isFocused();
        page.getByRole(AriaRole.BUTTON, named("Sign out")).click();
        assertThat(page.getByRole(AriaRole.HEADING, named("Sign in"))).isVisible();
        assertThat(foreignRequests()).isEmpty();
    }

    @Test
    void aRefusedSignInIsShownAsAReadableMessage() {
        page.navigate(baseUrl() + "/console/");
        page.getByLabel("E-mail").fill("nobody-" + letters(8) + "@example.com");
        page.getByLabel("Password").fill("wrong password 1");
        page.getByRole(AriaRole.BUTTON, named("Sign in")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).containsText("invalid-credentials");
    }
}
