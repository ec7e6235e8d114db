package com.vipride.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts;
import com.vipride.support.TestAccounts.SignedIn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The first administrator, staff accounts, and account state enforced on every request: both sides of
 * every rule — the allowed action works, the forbidden one is refused and writes nothing.
 */
class StaffAccountsIT extends IntegrationTest {

    private static final String STRONG = "staff password 7";

    @Autowired
    private FirstAdministrator firstAdministrator;

    // ---- the first administrator ------------------------------------------------------------

    @Test
    void bootstrapCreatesTheFirstAdministratorOnceAndNeverASecond() throws SQLException {
        try (Connection connection =
                postgres.superuserDataSource(postgres.database()).getConnection()) {
            connection.setAutoCommit(false);
            try (Statement sql = connection.createStatement()) {
                // A fresh installation, inside this transaction only: no live system admin.
                sql.execute(
                        "UPDATE public.users SET deleted_at = now() WHERE user_type = 'system_admin' AND deleted_at IS NULL");
                sql.execute("SET LOCAL ROLE system_admin");
                String email = "first-admin-" + UUID.randomUUID() + "@example.com";
                try (ResultSet rs = sql.executeQuery(
                        "SELECT public.bootstrap_system_admin('" + email + "', '{argon2}not-a-real-hash')")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getObject(1, UUID.class)).isNotNull();
                }
                sql.execute("SAVEPOINT second");
                assertThatThrownBy(() -> sql.executeQuery(
                                "SELECT public.bootstrap_system_admin('second-" + email + "', '{argon2}x')"))
                        .isInstanceOf(SQLException.class)
                        .satisfies(e ->
                                assertThat(((SQLException) e).getSQLState()).isEqualTo("VR409"));
                sql.execute("ROLLBACK TO SAVEPOINT second");
                try (ResultSet rs = sql.executeQuery(
                        "SELECT count(*) FROM public.users WHERE user_type = 'system_admin' AND deleted_at IS NULL")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(1);
                }
            } finally {
                connection.rollback();
            }
        }
    }

    @Test
    void bootstrapWithAnAdministratorPresentCreatesNothing() {
        accounts().aSignedInStaffMember("system_admin");
        String email = "late-admin-" + UUID.randomUUID() + "@example.com";

        assertThat(firstAdministrator.ensure(email, STRONG)).isEqualTo(FirstAdministrator.Outcome.ADMIN_EXISTS);
        assertThat(usersWithEmail(email)).isZero();
    }

    @Test
    void bootstrapRefusesAPasswordThatBreaksThePasswordRules() {
        String email = "weak-admin-" + UUID.randomUUID() + "@example.com";

        assertThatThrownBy(() -> firstAdministrator.ensure(email, "short1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("short1");
        assertThatThrownBy(() -> firstAdministrator.ensure(email, "no digits in this one"))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> firstAdministrator.ensure(email, null)).isInstanceOf(IllegalStateException.class);
        assertThat(usersWithEmail(email)).isZero();
    }

    @Test
    void bootstrapIsNotExecutableByOtherRoles() {
        assertThat(superuser()
                        .sql(
                                "SELECT has_function_privilege(r, 'public.bootstrap_system_admin(text, text)', 'EXECUTE')"
                                        + " FROM unnest(ARRAY['support_agent', 'fleet_admin', 'customer_user', 'anonymous_user']) r")
                        .query(Boolean.class)
                        .list())
                .containsOnly(false);
    }

    // ---- creating staff accounts ------------------------------------------------------------

    @Test
    void systemAdminCreatesAStaffAccountOfEachPlatformRoleWithAPassword() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        for (String role : List.of(
                "support_agent",
                "compliance_officer",
                "audit_admin",
                "vip_admin",
                "vip_operator",
                "emergency_responder")) {
            String email = uniqueStaffEmail();
            Response created = api().post(
                            "/api/v1/admin/staff", staff(email, role, Map.of("password", STRONG)), admin.accessToken());

            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(created.text("role")).isEqualTo(role);
            assertThat(created.body().get("invitation").isNull()).isTrue();
            Response login = login(email, STRONG);
            assertThat(login.status()).as(login.toString()).isEqualTo(200);
            assertThat(login.text("role")).isEqualTo(role);
        }
    }

    @Test
    void systemAdminCreatesAFleetAdminOfAGivenFleetAndHotelStaffOfAGivenHotel() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        UUID fleet = aFleet();
        UUID hotel = aHotel();
        String fleetAdminEmail = uniqueStaffEmail();
        String hotelStaffEmail = uniqueStaffEmail();

        Response fleetAdmin = api().post(
                        "/api/v1/admin/staff",
                        staff(fleetAdminEmail, "fleet_admin", Map.of("password", STRONG, "fleetId", fleet.toString())),
                        admin.accessToken());
        Response hotelStaff = api().post(
                        "/api/v1/admin/staff",
                        staff(hotelStaffEmail, "hotel_staff", Map.of("password", STRONG, "hotelId", hotel.toString())),
                        admin.accessToken());

        assertThat(fleetAdmin.status()).as(fleetAdmin.toString()).isEqualTo(201);
        assertThat(hotelStaff.status()).as(hotelStaff.toString()).isEqualTo(201);
        assertThat(superuser()
                        .sql("SELECT fleet_company_id FROM public.fleet_admins WHERE user_id = :id")
                        .param("id", UUID.fromString(fleetAdmin.text("id")))
                        .query(UUID.class)
                        .single())
                .isEqualTo(fleet);
        assertThat(superuser()
                        .sql("SELECT hotel_id FROM public.hotel_staff_members WHERE user_id = :id")
                        .param("id", UUID.fromString(hotelStaff.text("id")))
                        .query(UUID.class)
                        .single())
                .isEqualTo(hotel);
        String fleetToken = login(fleetAdminEmail, STRONG).text("accessToken");
        assertThat(api().get("/api/v1/fleets/" + fleet, fleetToken).status()).isEqualTo(200);
        assertThat(auditedInserts(UUID.fromString(fleetAdmin.text("id")))).isPositive();
    }

    @Test
    void aFleetAdminNeedsAFleetThatExistsAndOtherRolesNone() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        String email = uniqueStaffEmail();

        Response noFleet = api().post(
                        "/api/v1/admin/staff",
                        staff(email, "fleet_admin", Map.of("password", STRONG)),
                        admin.accessToken());
        Response unknownFleet = api().post(
                        "/api/v1/admin/staff",
                        staff(
                                email,
                                "fleet_admin",
                                Map.of(
                                        "password",
                                        STRONG,
                                        "fleetId",
                                        UUID.randomUUID().toString())),
                        admin.accessToken());
        Response supportWithFleet = api().post(
                        "/api/v1/admin/staff",
                        staff(email, "support_agent", Map.of("password", STRONG, "fleetId", aFleet().toString())),
                        admin.accessToken());

        assertThat(noFleet.status()).isEqualTo(400);
        assertThat(noFleet.code()).isEqualTo("invalid-staff-scope");
        assertThat(unknownFleet.status()).isEqualTo(404);
        assertThat(supportWithFleet.code()).isEqualTo("invalid-staff-scope");
        assertThat(usersWithEmail(email)).isZero();
    }

    @Test
    void onlyASystemAdminCreatesStaffAccounts() {
        UUID fleet = aFleet();
        SignedIn fleetAdmin = aFleetAdminOf(fleet);
        String email = uniqueStaffEmail();
        for (String role : List.of("support_agent", "fleet_admin", "customer", "vip_admin", "hotel_staff", "driver")) {
            SignedIn caller =
                    role.equals("fleet_admin") ? fleetAdmin : accounts().aSignedInStaffMember(role);
            Response refused = api().post(
                            "/api/v1/admin/staff",
                            staff(email, "fleet_admin", Map.of("password", STRONG, "fleetId", fleet.toString())),
                            caller.accessToken());

            assertThat(refused.status()).as(role + ": " + refused).isEqualTo(403);
        }
        assertThat(usersWithEmail(email)).isZero();
    }

    @Test
    void riderAndDriverAreNotStaffRolesAndAPasswordOrAnInvitationIsNeeded() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        String email = uniqueStaffEmail();

        Response customer = api().post(
                        "/api/v1/admin/staff",
                        staff(email, "customer", Map.of("password", STRONG)),
                        admin.accessToken());
        Response neither =
                api().post("/api/v1/admin/staff", staff(email, "support_agent", Map.of()), admin.accessToken());
        Response both = api().post(
                        "/api/v1/admin/staff",
                        staff(email, "support_agent", Map.of("password", STRONG, "invite", true)),
                        admin.accessToken());
        Response weak = api().post(
                        "/api/v1/admin/staff",
                        staff(email, "support_agent", Map.of("password", "weak")),
                        admin.accessToken());

        assertThat(customer.code()).isEqualTo("invalid-enum-value");
        assertThat(neither.code()).isEqualTo("password-or-invitation");
        assertThat(both.code()).isEqualTo("password-or-invitation");
        assertThat(weak.code()).isEqualTo("validation-failed");
        assertThat(usersWithEmail(email)).isZero();
    }

    @Test
    void anInvitedStaffMemberSetsTheirPasswordOnceWithTheToken() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        String email = uniqueStaffEmail();

        Response created = api().post(
                        "/api/v1/admin/staff",
                        staff(email, "support_agent", Map.of("invite", true)),
                        admin.accessToken());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String token = created.body().get("invitation").get("token").asString();

        assertThat(login(email, STRONG).status()).isEqualTo(401);
        assertThat(superuser()
                        .sql(
                                "SELECT count(*) FROM public.staff_invitations WHERE token_hash = sha256(convert_to(:t, 'UTF8'))")
                        .param("t", token)
                        .query(Long.class)
                        .single())
                .as("only the hash is stored")
                .isEqualTo(1);
        assertThat(superuser()
                        .sql(
                                "SELECT count(*) FROM public.staff_invitations WHERE encode(token_hash, 'escape') LIKE '%' || :t || '%'")
                        .param("t", token)
                        .query(Long.class)
                        .single())
                .isZero();

        Response wrongToken =
                api().post("/api/v1/auth/invitations/accept", Map.of("token", token + "x", "password", STRONG));
        Response accepted = api().post("/api/v1/auth/invitations/accept", Map.of("token", token, "password", STRONG));
        Response again =
                api().post("/api/v1/auth/invitations/accept", Map.of("token", token, "password", "another one 9"));

        assertThat(wrongToken.code()).isEqualTo("invalid-invitation");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(204);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.code()).isEqualTo("invalid-invitation");
        assertThat(login(email, STRONG).status()).isEqualTo(200);
        assertThat(login(email, "another one 9").status()).isEqualTo(401);
    }

    @Test
    void anExpiredInvitationIsRefused() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        String email = uniqueStaffEmail();
        Response created = api().post(
                        "/api/v1/admin/staff",
                        staff(email, "support_agent", Map.of("invite", true)),
                        admin.accessToken());
        String token = created.body().get("invitation").get("token").asString();
        superuser()
                .sql(
                        "UPDATE public.staff_invitations SET created_at = now() - interval '4 days', expires_at = now() - interval '1 day'"
                                + " WHERE user_id = :id")
                .param("id", UUID.fromString(created.text("id")))
                .update();

        Response refused = api().post("/api/v1/auth/invitations/accept", Map.of("token", token, "password", STRONG));

        assertThat(refused.code()).isEqualTo("invalid-invitation");
        assertThat(login(email, STRONG).status()).isEqualTo(401);
    }

    // ---- account state on every request -----------------------------------------------------

    @Test
    void aSuspendedAccountsTokenStopsWorkingOnTheNextRequestAndReactivationLetsItSignInAgain() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        SignedIn rider = accounts().aSignedInCustomer();
        assertThat(api().get("/api/v1/me", rider.accessToken()).status()).isEqualTo(200);

        Response suspended =
                api().post("/api/v1/admin/users/" + rider.id() + "/suspend", Map.of(), admin.accessToken());

        assertThat(suspended.status()).as(suspended.toString()).isEqualTo(204);
        Response next = api().get("/api/v1/me", rider.accessToken());
        assertThat(next.status()).isEqualTo(401);
        assertThat(next.code()).isEqualTo("session-ended");
        assertThat(next.contentType()).startsWith("application/problem+json");
        assertThat(api().post("/api/v1/auth/refresh", Map.of("refreshToken", rider.refreshToken()))
                        .status())
                .isEqualTo(401);
        assertThat(login(rider.email(), TestAccounts.PASSWORD).status()).isEqualTo(403);

        assertThat(api().post("/api/v1/admin/users/" + rider.id() + "/reactivate", Map.of(), admin.accessToken())
                        .status())
                .isEqualTo(204);
        assertThat(api().get("/api/v1/me", rider.accessToken()).status())
                .as("a token from before the suspension stays ended")
                .isEqualTo(401);
        String fresh = login(rider.email(), TestAccounts.PASSWORD).text("accessToken");
        assertThat(api().get("/api/v1/me", fresh).status()).isEqualTo(200);
    }

    @Test
    void anotherAccountsSuspensionLeavesATokenWorking() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        SignedIn rider = accounts().aSignedInCustomer();
        SignedIn other = accounts().aSignedInCustomer();

        api().post("/api/v1/admin/users/" + other.id() + "/suspend", Map.of(), admin.accessToken());

        assertThat(api().get("/api/v1/me", rider.accessToken()).status()).isEqualTo(200);
        assertThat(api().get("/api/v1/me", admin.accessToken()).status()).isEqualTo(200);
    }

    @Test
    void aRoleChangeEndsTheOldTokenAndTheNextTokenCarriesTheNewRights() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        SignedIn agent = accounts().aSignedInStaffMember("vip_operator");
        SignedIn rider = accounts().aSignedInCustomer();
        assertThat(api().get("/api/v1/users/" + rider.id(), agent.accessToken()).status())
                .isEqualTo(404);

        Response changed = api().send(api().request("/api/v1/admin/users/" + agent.id() + "/role", admin.accessToken())
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"role\":\"support_agent\"}"))
                .build());

        assertThat(changed.status()).as(changed.toString()).isEqualTo(204);
        Response old = api().get("/api/v1/users/" + rider.id(), agent.accessToken());
        assertThat(old.status()).isEqualTo(401);
        assertThat(old.code()).isEqualTo("session-ended");
        Response refreshed = api().post("/api/v1/auth/refresh", Map.of("refreshToken", agent.refreshToken()));
        assertThat(refreshed.text("role")).isEqualTo("support_agent");
        assertThat(api().get("/api/v1/users/" + rider.id(), refreshed.text("accessToken"))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void onlyASystemAdminChangesRolesAndOnlyBetweenStaffRoles() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        SignedIn agent = accounts().aSignedInStaffMember("vip_operator");
        SignedIn rider = accounts().aSignedInCustomer();

        assertThat(putRole(agent.id(), "{\"role\":\"system_admin\"}", support.accessToken())
                        .status())
                .isEqualTo(403);
        assertThat(putRole(rider.id(), "{\"role\":\"support_agent\"}", admin.accessToken())
                        .code())
                .isEqualTo("not-a-staff-role");
        assertThat(putRole(admin.id(), "{\"role\":\"support_agent\"}", admin.accessToken())
                        .code())
                .isEqualTo("own-account");
        assertThat(putRole(UUID.randomUUID(), "{\"role\":\"support_agent\"}", admin.accessToken())
                        .status())
                .isEqualTo(404);
        assertThat(api().get("/api/v1/me", agent.accessToken()).text("userType"))
                .isEqualTo("vip_operator");
    }

    @Test
    void logoutEndsTheAccessToken() {
        SignedIn rider = accounts().aSignedInCustomer();
        assertThat(api().get("/api/v1/me", rider.accessToken()).status()).isEqualTo(200);

        assertThat(api().post("/api/v1/auth/logout", Map.of("refreshToken", rider.refreshToken()), rider.accessToken())
                        .status())
                .isEqualTo(204);

        Response after = api().get("/api/v1/me", rider.accessToken());
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.code()).isEqualTo("session-ended");
    }

    @Test
    void aPasswordChangeByInvitationEndsEarlierTokens() {
        SignedIn rider = accounts().aSignedInCustomer();
        superuser()
                .sql("UPDATE public.users SET password_hash = password_hash || '' WHERE id = :id")
                .param("id", rider.id())
                .update();
        assertThat(api().get("/api/v1/me", rider.accessToken()).status())
                .as("an unchanged hash is no password change")
                .isEqualTo(200);

        superuser()
                .sql("UPDATE public.users SET password_hash = '{bcrypt}changed' WHERE id = :id")
                .param("id", rider.id())
                .update();

        assertThat(api().get("/api/v1/me", rider.accessToken()).status()).isEqualTo(401);
    }

    // ---- managing accounts: suspend, reactivate, unlock ---------------------------------------

    @Test
    void aFleetAdminManagesThePeopleOfItsOwnFleetOnly() {
        UUID fleet = aFleet();
        UUID otherFleet = aFleet();
        SignedIn fleetAdmin = aFleetAdminOf(fleet);
        SignedIn colleague = aFleetAdminOf(fleet);
        SignedIn ownDriver = aDriverOf(fleet);
        SignedIn otherDriver = aDriverOf(otherFleet);
        SignedIn otherFleetAdmin = aFleetAdminOf(otherFleet);
        SignedIn rider = accounts().aSignedInCustomer();

        for (SignedIn outsider : List.of(otherDriver, otherFleetAdmin, rider)) {
            for (String action : List.of("suspend", "reactivate", "unlock")) {
                Response refused = api().post(
                                "/api/v1/admin/users/" + outsider.id() + "/" + action,
                                Map.of(),
                                fleetAdmin.accessToken());
                assertThat(refused.status()).as(action + " " + refused).isEqualTo(404);
                assertThat(refused.code()).isEqualTo("not-found");
            }
            assertThat(api().get("/api/v1/me", outsider.accessToken()).status()).isEqualTo(200);
        }
        assertThat(api().post("/api/v1/admin/users/" + fleetAdmin.id() + "/suspend", Map.of(), fleetAdmin.accessToken())
                        .code())
                .isEqualTo("own-account");

        for (SignedIn own : List.of(ownDriver, colleague)) {
            assertThat(api().post("/api/v1/admin/users/" + own.id() + "/suspend", Map.of(), fleetAdmin.accessToken())
                            .status())
                    .isEqualTo(204);
            assertThat(api().get("/api/v1/me", own.accessToken()).status()).isEqualTo(401);
            assertThat(api().post("/api/v1/admin/users/" + own.id() + "/reactivate", Map.of(), fleetAdmin.accessToken())
                            .status())
                    .isEqualTo(204);
        }
        assertThat(login(ownDriver.email(), TestAccounts.PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void otherRolesCannotSuspendAnyone() {
        SignedIn rider = accounts().aSignedInCustomer();
        for (String role : List.of("support_agent", "customer", "vip_admin", "hotel_staff", "compliance_officer")) {
            SignedIn caller = accounts().aSignedInStaffMember(role);
            Response refused =
                    api().post("/api/v1/admin/users/" + rider.id() + "/suspend", Map.of(), caller.accessToken());
            assertThat(refused.status()).as(role + ": " + refused).isEqualTo(403);
        }
        assertThat(api().get("/api/v1/me", rider.accessToken()).status()).isEqualTo(200);
    }

    @Test
    void unlockClearsTheLockOut() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        SignedIn rider = accounts().aSignedInCustomer();
        for (int i = 0; i < 5; i++) {
            login(rider.email(), "wrong password 1");
        }
        assertThat(login(rider.email(), TestAccounts.PASSWORD).status()).isEqualTo(423);

        assertThat(api().post("/api/v1/admin/users/" + rider.id() + "/unlock", Map.of(), admin.accessToken())
                        .status())
                .isEqualTo(204);

        assertThat(login(rider.email(), TestAccounts.PASSWORD).status()).isEqualTo(200);
        assertThat(api().post("/api/v1/admin/users/" + UUID.randomUUID() + "/unlock", Map.of(), admin.accessToken())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void suspensionsAreAudited() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        SignedIn rider = accounts().aSignedInCustomer();

        api().post("/api/v1/admin/users/" + rider.id() + "/suspend", Map.of(), admin.accessToken());

        com.vipride.support.AuditChain.drain(superuser());
        assertThat(superuser()
                        .sql("""
                        SELECT count(*) FROM audit.audit_log WHERE table_name = 'users' AND record_id = :id
                           AND operation = 'UPDATE' AND user_id = :admin AND new_values ->> 'is_active' = 'false'""")
                        .param("id", rider.id().toString())
                        .param("admin", admin.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Response putRole(UUID id, String body, String token) {
        return api().send(api().request("/api/v1/admin/users/" + id + "/role", token)
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private Response login(String email, String password) {
        return api().post("/api/v1/auth/login", Map.of("email", email, "password", password));
    }

    private static Map<String, Object> staff(String email, String role, Map<String, Object> extra) {
        Map<String, Object> body =
                new HashMap<>(Map.of("email", email, "firstName", "Ngozi", "lastName", "Eze", "role", role));
        body.putAll(extra);
        return body;
    }

    private static String uniqueStaffEmail() {
        return "staff-" + UUID.randomUUID() + "@example.com";
    }

    private long usersWithEmail(String email) {
        return superuser()
                .sql("SELECT count(*) FROM public.users WHERE email = :email")
                .param("email", email)
                .query(Long.class)
                .single();
    }

    private long auditedInserts(UUID userId) {
        com.vipride.support.AuditChain.drain(superuser());
        return superuser()
                .sql(
                        "SELECT count(*) FROM audit.audit_log WHERE table_name = 'users' AND record_id = :id AND operation = 'INSERT'")
                .param("id", userId.toString())
                .query(Long.class)
                .single();
    }

    private UUID aFleet() {
        return superuser()
                .sql("""
                INSERT INTO public.fleet_companies (name, registration_number, contact_email, contact_phone, status, verified_at)
                VALUES ('Fleet ' || :n, 'RC-' || :n, 'ops@fleet.example', '+2341234567', 'active', now()) RETURNING id""")
                .param("n", UUID.randomUUID().toString())
                .query(UUID.class)
                .single();
    }

    private UUID aHotel() {
        return superuser()
                .sql("""
                INSERT INTO public.hotel_partners (name, address, lat, lng, star_rating, commission_rate_bp,
                                                   contact_email, contact_phone, status)
                VALUES ('Hotel ' || :n, 'Victoria Island', 6.4281, 3.4219, 5, 1250, 'desk@hotel.example', '+2341234000', 'active')
                RETURNING id""")
                .param("n", UUID.randomUUID().toString())
                .query(UUID.class)
                .single();
    }

    private SignedIn aFleetAdminOf(UUID fleet) {
        SignedIn admin = accounts().aSignedInStaffMember("fleet_admin");
        superuser()
                .sql("INSERT INTO public.fleet_admins (user_id, fleet_company_id) VALUES (:u, :f)")
                .param("u", admin.id())
                .param("f", fleet)
                .update();
        return admin;
    }

    private SignedIn aDriverOf(UUID fleet) {
        SignedIn driver = accounts().aSignedInStaffMember("driver");
        superuser()
                .sql("""
                INSERT INTO public.drivers (user_id, fleet_company_id, license_number, license_expires_on, category, status)
                VALUES (:user, :fleet, :licence, DATE '2030-01-01', 'fleet_driver', 'approved')""")
                .param("user", driver.id())
                .param("fleet", fleet)
                .param("licence", "LIC-" + UUID.randomUUID())
                .update();
        return driver;
    }
}
