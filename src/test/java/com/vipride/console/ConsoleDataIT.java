package com.vipride.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The data the console needs beyond the other pages' endpoints, with both sides of each rule: the
 * caller's own fleet or hotel in GET /me, the breach register, a hotel's bookings and the audit chain's
 * verification.
 */
class ConsoleDataIT extends IntegrationTest {

    private UUID aFleet() {
        return superuser()
                .sql("""
                        INSERT INTO public.fleet_companies (name, registration_number, contact_email, contact_phone, status,
                                                            verified_at)
                        VALUES ('Fleet ' || :n, 'RC-' || :n, 'ops@fleet.example', '+2341234567', 'active', now())
                        RETURNING id""")
                .param("n", UUID.randomUUID().toString())
                .query(UUID.class)
                .single();
    }

    private UUID aHotel() {
        com.vipride.support.RideWorld world = new com.vipride.support.RideWorld(superuser(), accounts(), api());
        Api.Response created =
                world.aHotel(accounts().aSignedInStaffMember("system_admin").accessToken(), 4);
        return UUID.fromString(created.text("id"));
    }

    private SignedIn staffOf(String role, String table, String column, UUID scope) {
        SignedIn staff = accounts().aSignedInStaffMember(role);
        superuser()
                .sql("INSERT INTO public." + table + " (user_id, " + column + ") VALUES (:u, :s)")
                .param("u", staff.id())
                .param("s", scope)
                .update();
        return staff;
    }

    @Test
    void meNamesTheFleetOfAFleetAdminAndTheHotelOfHotelStaffOnly() {
        UUID fleet = aFleet();
        SignedIn fleetAdmin = staffOf("fleet_admin", "fleet_admins", "fleet_company_id", fleet);
        Api.Response me = api().get("/api/v1/me", fleetAdmin.accessToken());
        assertThat(me.text("fleetId")).isEqualTo(fleet.toString());
        assertThat(me.body().get("hotelId").isNull()).isTrue();

        SignedIn rider = accounts().aSignedInCustomer();
        Api.Response riderMe = api().get("/api/v1/me", rider.accessToken());
        assertThat(riderMe.body().get("fleetId").isNull()).isTrue();
        assertThat(riderMe.body().get("hotelId").isNull()).isTrue();
    }

    @Test
    void theBreachRegisterIsForComplianceOfficersWithItsClock() {
        SignedIn officer = accounts().aSignedInStaffMember("compliance_officer");
        String nature = "Backup tape lost " + UUID.randomUUID();
        Api.Response recorded = api().post(
                        "/api/v1/compliance/breaches",
                        Map.of(
                                "detectedAt",
                                Instant.now().minus(80, ChronoUnit.HOURS).toString(),
                                "nature",
                                nature,
                                "dataCategories",
                                List.of("contact"),
                                "approxSubjects",
                                3,
                                "approxRecords",
                                3,
                                "likelyConsequences",
                                "exposure of phone numbers",
                                "measures",
                                "tape courier changed"),
                        officer.accessToken());
        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
        // Its deadline alerts are raised now, as the privacy clock job would: that job notifies every
        // compliance officer of the shared database, which must not happen in another test's middle.
        com.vipride.support.AsRole.query(
                dataSourceFor("app_backend"),
                "system_admin",
                sql -> sql.sql("SELECT compliance.check_breach_clock()")
                        .query(Integer.class)
                        .single());

        Api.Response register = api().get("/api/v1/compliance/breaches?limit=1000", officer.accessToken());
        assertThat(register.status()).as(register.toString()).isEqualTo(200);
        var found = java.util.stream.StreamSupport.stream(register.body().spliterator(), false)
                .filter(b -> b.get("nature").asText().equals(nature))
                .findFirst()
                .orElseThrow();
        assertThat(found.get("clock").asText()).isEqualTo("overdue");
        assertThat(found.get("secondsLeft").asLong()).isZero();

        for (String role : new String[] {"support_agent", "system_admin", "emergency_responder"}) {
            SignedIn other = accounts().aSignedInStaffMember(role);
            assertThat(api().get("/api/v1/compliance/breaches", other.accessToken())
                            .status())
                    .as(role)
                    .isEqualTo(403);
        }
        assertThat(api().get("/api/v1/compliance/breaches?limit=0", officer.accessToken())
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aHotelsBookingsAreItsStaffsOnly() {
        UUID hotel = aHotel();
        UUID other = aHotel();
        SignedIn staff = staffOf("hotel_staff", "hotel_staff_members", "hotel_id", hotel);
        SignedIn otherStaff = staffOf("hotel_staff", "hotel_staff_members", "hotel_id", other);

        Api.Response own = api().get("/api/v1/hotels/" + hotel + "/bookings", staff.accessToken());
        assertThat(own.status()).as(own.toString()).isEqualTo(200);
        assertThat(own.body().isArray()).isTrue();
        assertThat(api().get("/api/v1/hotels/" + hotel + "/bookings", otherStaff.accessToken())
                        .status())
                .isEqualTo(404);
        // A rider sees an active hotel, and of its bookings only their own (row-level security): none here.
        Api.Response rider = api().get(
                        "/api/v1/hotels/" + hotel + "/bookings",
                        accounts().aSignedInCustomer().accessToken());
        assertThat(rider.status()).as(rider.toString()).isEqualTo(200);
        assertThat(rider.body().size()).isZero();
        assertThat(api().get("/api/v1/hotels/" + hotel + "/bookings?from=2026-12-10&to=2026-12-01", staff.accessToken())
                        .status())
                .isEqualTo(400);
    }

    @Test
    void theAuditChainIsVerifiedForTheAuditRolesOnly() {
        for (String role : new String[] {"audit_admin", "compliance_officer"}) {
            Api.Response verified = api().get(
                            "/api/v1/audit/chain-verification",
                            accounts().aSignedInStaffMember(role).accessToken());
            assertThat(verified.status()).as(role + " " + verified).isEqualTo(200);
            assertThat(verified.body().has("intact")).isTrue();
        }
        for (String role : new String[] {"support_agent", "hotel_staff", "customer"}) {
            SignedIn other = role.equals("customer")
                    ? accounts().aSignedInCustomer()
                    : accounts().aSignedInStaffMember(role);
            assertThat(api().get("/api/v1/audit/chain-verification", other.accessToken())
                            .status())
                    .as(role)
                    .isEqualTo(403);
        }
    }
}
