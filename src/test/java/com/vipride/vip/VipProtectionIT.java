package com.vipride.vip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import com.vipride.support.TestAccounts.Registered;
import com.vipride.support.TestAccounts.SignedIn;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** Encrypted VIP profiles and locations, access logging, emergency override and key rotation, end to end. */
class VipProtectionIT extends IntegrationTest {

    private static final String ADDRESS = "14 Bourdillon Road, Ikoyi";

    private SignedIn admin;
    private SignedIn operator;
    private SignedIn responder;
    private RideWorld market;
    private int driversOnDuty;

    @BeforeEach
    void staff() {
        admin = accounts().aSignedInStaffMember("vip_admin");
        operator = accounts().aSignedInStaffMember("vip_operator");
        responder = accounts().aSignedInStaffMember("emergency_responder");
    }

    @Test
    void profileIsStoredAsCiphertextAndEveryReadIsLoggedWithItsPurpose() {
        SignedIn vip = aVip();

        byte[] stored = superuser()
                .sql("SELECT home_address_enc FROM vip_data.vip_profiles WHERE user_id = :id")
                .param("id", vip.id())
                .query(byte[].class)
                .single();
        assertThat(new String(stored, StandardCharsets.ISO_8859_1))
                .doesNotContain("Bourdillon")
                .doesNotContain("Ikoyi");

        Response full =
                api().get("/api/v1/vip/profiles/" + vip.id() + "?purpose=security%20review", admin.accessToken());
        assertThat(full.status()).isEqualTo(200);
        assertThat(full.text("homeAddress")).isEqualTo(ADDRESS);
        assertThat(full.text("securityNotes")).isEqualTo("Avoid Third Mainland Bridge at night");
        assertThat(full.body().get("emergencyContacts").get(0).get("phone").asString())
                .isEqualTo("+2348091234567");

        Response partial =
                api().get("/api/v1/vip/profiles/" + vip.id() + "?purpose=concierge%20booking", operator.accessToken());
        assertThat(partial.status()).isEqualTo(200);
        assertThat(partial.text("homeAddress")).isEqualTo(ADDRESS);
        assertThat(partial.body().has("securityNotes")).isFalse();
        assertThat(partial.body().has("medicalNotes")).isFalse();

        List<Map<String, Object>> log =
                superuser().sql("""
                SELECT accessor_user_id, accessor_role, data_accessed, purpose FROM audit.vip_access_log
                 WHERE vip_user_id = :vip ORDER BY accessed_at DESC""").param("vip", vip.id()).query().listOfRows();
        assertThat(log).extracting(r -> r.get("purpose")).startsWith("concierge booking", "security review");
        assertThat(log.get(0))
                .containsEntry("accessor_role", "vip_operator")
                .containsEntry("accessor_user_id", operator.id());
        assertThat(log.get(1))
                .containsEntry("accessor_role", "vip_admin")
                .containsEntry("data_accessed", "vip_profiles:all");
    }

    @Test
    void readingVipDataWithoutAPurposeIsRefusedAndLeavesNothing() {
        SignedIn vip = aVip();
        long before = accessLogRows(vip.id());

        Response response = api().get("/api/v1/vip/profiles/" + vip.id(), admin.accessToken());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("purpose-required");
        assertThat(accessLogRows(vip.id())).isEqualTo(before);
    }

    @Test
    void operatorsCannotWriteAndOtherRolesCannotReadProfiles() {
        SignedIn vip = aVip();

        Response put = api().send(api().request("/api/v1/vip/profiles/" + vip.id(), operator.accessToken())
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"priorityLevel\":1,\"clearanceLevel\":\"corporate\",\"threatLevel\":\"low\"}"))
                .build());
        assertThat(put.status()).as(put.toString()).isEqualTo(403);
        assertThat(api().get("/api/v1/vip/profiles/" + vip.id() + "?purpose=x", responder.accessToken())
                        .status())
                .isEqualTo(403);
        assertThat(api().get(
                                "/api/v1/vip/profiles/" + vip.id() + "?purpose=x",
                                accounts().aSignedInStaffMember("support_agent").accessToken())
                        .status())
                .isEqualTo(403);
        assertThat(api().get(
                                "/api/v1/vip/profiles/" + vip.id() + "?purpose=x",
                                accounts().aSignedInCustomer().accessToken())
                        .status())
                .isEqualTo(403);
    }

    @Test
    void aVipReadsAndMaintainsTheirOwnFieldsOnly() {
        SignedIn vip = aVip();

        Response me = api().get("/api/v1/vip/me", vip.accessToken());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.text("homeAddress")).isEqualTo(ADDRESS);
        assertThat(me.body().has("securityNotes")).isFalse();
        assertThat(me.body().has("threatLevel")).isFalse();

        Response updated = api().send(api().request("/api/v1/vip/me", vip.accessToken())
                .header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"preferences\":{\"temperature\":\"20C\"}}"))
                .build());
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.body().get("preferences").get("temperature").asString())
                .isEqualTo("20C");
        assertThat(updated.text("homeAddress")).isEqualTo(ADDRESS);

        assertThat(api().get("/api/v1/vip/me", accounts().aSignedInCustomer().accessToken())
                        .code())
                .isEqualTo("vip-not-found");
    }

    @Test
    void aFlippedByteOrACiphertextMovedToAnotherRowFailsToDecrypt() {
        SignedIn vip = aVip();
        SignedIn other = aVip();

        superuser().sql("""
                UPDATE vip_data.vip_profiles SET home_address_enc =
                       set_byte(home_address_enc, length(home_address_enc) - 3, get_byte(home_address_enc, length(home_address_enc) - 3) # 1)
                 WHERE user_id = :id""").param("id", vip.id()).update();
        Response flipped = api().get("/api/v1/vip/profiles/" + vip.id() + "?purpose=check", admin.accessToken());
        assertThat(flipped.status()).isEqualTo(500);
        assertThat(flipped.code()).isEqualTo("vip-data-integrity");
        assertThat(flipped.raw()).doesNotContain("Bourdillon");

        superuser()
                .sql("""
                UPDATE vip_data.vip_profiles SET security_notes_enc =
                       (SELECT security_notes_enc FROM vip_data.vip_profiles WHERE user_id = :from)
                 WHERE user_id = :to""")
                .param("from", other.id())
                .param("to", accounts().signIn(registered(vip)).id())
                .update();
        superuser().sql("""
                UPDATE vip_data.vip_profiles SET home_address_enc = security_notes_enc WHERE user_id = :id""").param("id", other.id()).update();
        assertThat(api().get("/api/v1/vip/profiles/" + other.id() + "?purpose=check", admin.accessToken())
                        .code())
                .as("ciphertext moved to another column of the same row")
                .isEqualTo("vip-data-integrity");
        assertThat(api().get("/api/v1/vip/profiles/" + vip.id() + "?purpose=check", admin.accessToken())
                        .code())
                .as("ciphertext moved to another VIP's row")
                .isEqualTo("vip-data-integrity");
    }

    @Test
    void locationsAreEncryptedAndOnlyTheVipOrTheirDriverMayReportThem() {
        SignedIn vip = aVip();
        Response ingest = api().post(
                        "/api/v1/vip/locations/batch", Map.of("points", points(3, Instant.now())), vip.accessToken());
        assertThat(ingest.status()).as(ingest.toString()).isEqualTo(201);
        assertThat(ingest.body().get("accepted").asInt()).isEqualTo(3);

        List<byte[]> stored = superuser()
                .sql("SELECT encrypted_coordinates FROM vip_data.vip_location_history WHERE user_id = :id")
                .param("id", vip.id())
                .query(byte[].class)
                .list();
        assertThat(stored)
                .hasSize(3)
                .allSatisfy(c -> assertThat(new String(c, StandardCharsets.ISO_8859_1))
                        .doesNotContain("6.52")
                        .doesNotContain("lat"));

        SignedIn driverOnRide = aDriverOnActiveRideOf(vip.id());
        assertThat(api().post(
                                "/api/v1/vip/locations/batch",
                                Map.of("vipUserId", vip.id(), "points", points(2, Instant.now())),
                                driverOnRide.accessToken())
                        .status())
                .isEqualTo(201);

        SignedIn otherDriver =
                aDriverOnActiveRideOf(accounts().aRegisteredCustomer().id());
        assertThat(api().post(
                                "/api/v1/vip/locations/batch",
                                Map.of("vipUserId", vip.id(), "points", points(1, Instant.now())),
                                otherDriver.accessToken())
                        .status())
                .isEqualTo(403);
        assertThat(api().post(
                                "/api/v1/vip/locations/batch",
                                Map.of("vipUserId", vip.id(), "points", points(1, Instant.now())),
                                accounts().aSignedInCustomer().accessToken())
                        .status())
                .isEqualTo(403);
        assertThat(countLocations(vip.id())).isEqualTo(5);
    }

    @Test
    void badLocationInputIsAClearClientErrorAndWritesNothing() {
        SignedIn vip = aVip();
        Map<String, Object> outOfRange = new HashMap<>(points(1, Instant.now()).get(0));
        outOfRange.put("lat", 91.0);

        assertThat(api().post("/api/v1/vip/locations/batch", Map.of("points", List.of(outOfRange)), vip.accessToken())
                        .code())
                .isEqualTo("validation-failed");
        assertThat(api().post(
                                "/api/v1/vip/locations/batch",
                                Map.of("points", points(1001, Instant.now())),
                                vip.accessToken())
                        .code())
                .isEqualTo("batch-too-large");
        assertThat(api().post(
                                "/api/v1/vip/locations/batch",
                                Map.of("points", points(1, Instant.now().plusSeconds(3600))),
                                vip.accessToken())
                        .code())
                .isEqualTo("recorded-in-future");
        assertThat(api().post("/api/v1/vip/locations/batch", Map.of("points", List.of()), vip.accessToken())
                        .code())
                .isEqualTo("validation-failed");
        SignedIn driver = aDriverOnActiveRideOf(vip.id());
        assertThat(api().post(
                                "/api/v1/vip/locations/batch",
                                Map.of("vipUserId", UUID.randomUUID(), "points", points(1, Instant.now())),
                                driver.accessToken())
                        .status())
                .isEqualTo(403);
        assertThat(countLocations(vip.id())).isZero();
    }

    @Test
    void ingestChecksEachBatchAgainstTheVipsGeofences() {
        SignedIn vip = aVip();
        Response zone = api().post(
                        "/api/v1/vip/me/geofences",
                        Map.of(
                                "kind",
                                "restricted",
                                "name",
                                "Port area",
                                "center",
                                Map.of("lat", 6.5244, "lng", 3.3792),
                                "radiusM",
                                500),
                        vip.accessToken());
        assertThat(zone.status()).as(zone.toString()).isEqualTo(201);

        Response inside = api().post(
                        "/api/v1/vip/locations/batch", Map.of("points", points(3, Instant.now())), vip.accessToken());

        assertThat(inside.status()).isEqualTo(201);
        assertThat(inside.body().get("alertsRaised").asInt())
                .as("one alert for a stream of pings")
                .isEqualTo(1);
    }

    @Test
    void respondersSeeAVipOnlyDuringTheirEmergencyAndEveryReadCarriesTheIncident() {
        SignedIn vip = aVip();
        api().post("/api/v1/vip/locations/batch", Map.of("points", points(2, Instant.now())), vip.accessToken());

        Response raised = api().post("/api/v1/vip/emergencies", Map.of("kind", "panic_button"), vip.accessToken());
        assertThat(raised.status()).as(raised.toString()).isEqualTo(201);
        String incident = raised.text("id");

        Response locations = api().get(
                        "/api/v1/vip/emergencies/" + incident + "/locations?purpose=dispatch", responder.accessToken());
        assertThat(locations.status()).isEqualTo(200);
        assertThat(locations.body().size()).isEqualTo(2);
        assertThat(locations.body().get(0).get("lat").asDouble()).isBetween(6.4, 6.7);
        Response profile = api().get(
                        "/api/v1/vip/emergencies/" + incident + "/profile?purpose=paramedics", responder.accessToken());
        assertThat(profile.text("medicalNotes")).isEqualTo("Allergic to penicillin");
        assertThat(profile.body().has("homeAddress")).isFalse();
        assertThat(superuser()
                        .sql(
                                "SELECT count(*) FROM audit.vip_access_log WHERE vip_user_id = :vip AND incident_id = :incident "
                                        + "AND accessor_role = 'emergency_responder'")
                        .param("vip", vip.id())
                        .param("incident", UUID.fromString(incident))
                        .query(Long.class)
                        .single())
                .isEqualTo(2);

        assertThat(api().post("/api/v1/vip/emergencies/" + incident + "/resolve?note=safe", "", responder.accessToken())
                        .status())
                .isEqualTo(200);
        assertThat(api().get(
                                "/api/v1/vip/emergencies/" + incident + "/locations?purpose=dispatch",
                                responder.accessToken())
                        .status())
                .isEqualTo(404);
        assertThat(api().get("/api/v1/vip/emergencies/" + incident + "/profile?purpose=x", responder.accessToken())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void anEmergencyPutsTheVipsActiveRideIntoEmergencyStatus() {
        SignedIn vip = aVip();
        SignedIn driver = aDriverOnActiveRideOf(vip.id());

        Response raised = api().post(
                        "/api/v1/vip/emergencies",
                        Map.of("vipUserId", vip.id(), "kind", "security"),
                        driver.accessToken());

        assertThat(raised.status()).as(raised.toString()).isEqualTo(201);
        assertThat(superuser()
                        .sql("SELECT status::text FROM public.rides WHERE customer_id = :vip")
                        .param("vip", vip.id())
                        .query(String.class)
                        .single())
                .isEqualTo("emergency");
    }

    @Test
    void rotationKeepsOldDataReadableAndReencryptsEverythingUnderTheNewKey() {
        SignedIn vip = aVip();
        api().post("/api/v1/vip/locations/batch", Map.of("points", points(5, Instant.now())), vip.accessToken());
        byte[] before = superuser()
                .sql("SELECT home_address_enc FROM vip_data.vip_profiles WHERE user_id = :id")
                .param("id", vip.id())
                .query(byte[].class)
                .single();

        Response rotated = api().post("/api/v1/vip/profiles/" + vip.id() + "/key-rotation", "", admin.accessToken());

        assertThat(rotated.status()).as(rotated.toString()).isEqualTo(200);
        assertThat(rotated.body().get("locationsReencrypted").asInt()).isEqualTo(5);
        assertThat(rotated.body().get("profileFieldsReencrypted").asInt()).isEqualTo(5);
        assertThat(rotated.body().get("dataKeysLeft").asInt()).isEqualTo(1);
        byte[] after = superuser()
                .sql("SELECT home_address_enc FROM vip_data.vip_profiles WHERE user_id = :id")
                .param("id", vip.id())
                .query(byte[].class)
                .single();
        assertThat(after).isNotEqualTo(before);
        assertThat(api().get("/api/v1/vip/profiles/" + vip.id() + "?purpose=after%20rotation", admin.accessToken())
                        .text("homeAddress"))
                .isEqualTo(ADDRESS);
        assertThat(api().get("/api/v1/vip/me", vip.accessToken()).status()).isEqualTo(200);
    }

    @Test
    void destroyingTheKeyErasesTheVipsProtectedData() {
        SignedIn vip = aVip();
        SignedIn compliance = accounts().aSignedInStaffMember("compliance_officer");

        assertThat(api().post("/api/v1/vip/profiles/" + vip.id() + "/erasure", "", compliance.accessToken())
                        .status())
                .isEqualTo(204);

        Response read = api().get("/api/v1/vip/profiles/" + vip.id() + "?purpose=after%20erasure", admin.accessToken());
        assertThat(read.status()).isEqualTo(410);
        assertThat(read.code()).isEqualTo("vip-data-erased");
        assertThat(api().post(
                                "/api/v1/vip/profiles/" + vip.id() + "/erasure",
                                "",
                                accounts().aSignedInCustomer().accessToken())
                        .status())
                .isEqualTo(403);
    }

    @Test
    void auditRolesQueryTheAccessLogAndTheTrailAsTheSpecShowsAndNobodyElseCan() {
        SignedIn vip = aVip();
        api().get("/api/v1/vip/profiles/" + vip.id() + "?purpose=first", admin.accessToken());
        api().get("/api/v1/vip/profiles/" + vip.id() + "?purpose=second", operator.accessToken());
        SignedIn auditor = accounts().aSignedInStaffMember("audit_admin");

        Response access = api().get("/api/v1/audit/vip-access?vipUserId=" + vip.id(), auditor.accessToken());
        assertThat(access.status()).isEqualTo(200);
        assertThat(access.body()
                        .valueStream()
                        .map(r -> r.get("purpose").asString())
                        .toList())
                .startsWith("second", "first");
        assertThat(access.body().get(0).get("accessorRole").asString()).isEqualTo("vip_operator");

        String profileId = access.raw().isEmpty()
                ? null
                : api().get("/api/v1/vip/profiles/" + vip.id() + "?purpose=id", admin.accessToken())
                        .text("id");
        Response trail =
                api().get("/api/v1/audit/changes?table=vip_profiles&recordId=" + profileId, auditor.accessToken());
        assertThat(trail.status()).isEqualTo(200);
        assertThat(trail.body().get(0).get("operation").asString()).isEqualTo("INSERT");
        assertThat(trail.body().get(0).get("newValues").asString())
                .contains("\"home_address_enc\": \"[redacted]\"")
                .doesNotContain("Bourdillon");

        assertThat(api().get(
                                "/api/v1/audit/vip-access?vipUserId=" + vip.id(),
                                accounts()
                                        .aSignedInStaffMember("compliance_officer")
                                        .accessToken())
                        .status())
                .isEqualTo(200);
        assertThat(api().get("/api/v1/audit/vip-access?vipUserId=" + vip.id(), admin.accessToken())
                        .status())
                .isEqualTo(403);
        assertThat(api().get("/api/v1/audit/changes?table=users&recordId=" + vip.id(), vip.accessToken())
                        .status())
                .isEqualTo(403);
    }

    @Test
    void theSpecsSqlFunctionsWorkForVipRolesOnlyAndLogEveryDecryption() throws Exception {
        SignedIn vip = aVip();
        api().post("/api/v1/vip/locations/batch", Map.of("points", points(2, Instant.now())), vip.accessToken());

        try (Connection connection = dataSourceFor("app_backend").getConnection()) {
            JdbcClient sql = JdbcClient.create(new SingleConnectionDataSource(connection, true));
            sql.sql("SELECT set_config('role', 'vip_admin', false), set_config('app.current_user_id', :id, false)")
                    .param("id", admin.id().toString())
                    .query()
                    .singleRow();

            Map<String, Object> roundTrip = sql.sql(
                            "SELECT encrypt_vip_data('test') AS sealed, decrypt_vip_data(encrypt_vip_data('test')) AS opened")
                    .query()
                    .singleRow();
            assertThat(new String((byte[]) roundTrip.get("sealed"), StandardCharsets.ISO_8859_1))
                    .doesNotContain("test");
            assertThat(roundTrip.get("opened")).isEqualTo("test");

            List<String> coordinates = sql.sql(
                            "SELECT decrypt_vip_data(encrypted_coordinates) FROM vip_data.vip_location_history WHERE user_id = :vip")
                    .param("vip", vip.id())
                    .query(String.class)
                    .list();
            assertThat(coordinates).hasSize(2).allSatisfy(c -> assertThat(c).startsWith("{\"lat\": 6.52"));
            assertThat(superuser()
                            .sql("SELECT count(*) FROM audit.vip_access_log WHERE vip_user_id = :vip "
                                    + "AND data_accessed = 'sql:decrypt_vip_data' AND accessor_role = 'vip_admin'")
                            .param("vip", vip.id())
                            .query(Long.class)
                            .single())
                    .isEqualTo(2);

            sql.sql("SELECT set_config('role', 'emergency_responder', false)")
                    .query()
                    .singleRow();
            assertThat(catchThrowable(() -> sql.sql("SELECT decrypt_vip_data(:sealed)")
                            .param(
                                    "sealed",
                                    superuser()
                                            .sql(
                                                    "SELECT home_address_enc FROM vip_data.vip_profiles WHERE user_id = :vip")
                                            .param("vip", vip.id())
                                            .query(byte[].class)
                                            .single())
                            .query(String.class)
                            .single()))
                    .as("a responder outside an emergency")
                    .rootCause()
                    .hasMessageContaining("not allowed to decrypt");

            sql.sql("SELECT set_config('role', 'support_agent', false)").query().singleRow();
            assertThat(catchThrowable(() -> sql.sql("SELECT decrypt_vip_data('\\x01'::bytea)")
                            .query(String.class)
                            .single()))
                    .rootCause()
                    .hasMessageContaining("permission denied");
        }
        assertThat(catchThrowable(() -> loginAs("vipride_owner")
                        .sql("SELECT vip_crypto.call_agent('decrypt', '\\x00'::bytea, gen_random_uuid(), 'sql')")
                        .query()
                        .singleRow()))
                .rootCause()
                .hasMessageContaining("only the VIP roles");
    }

    private SignedIn aVip() {
        SignedIn customer = accounts().aSignedInCustomer();
        Map<String, Object> profile = new HashMap<>();
        profile.put("userId", customer.id());
        profile.put("priorityLevel", 4);
        profile.put("clearanceLevel", "government");
        profile.put("threatLevel", "high");
        profile.put("requiresSecurityEscort", true);
        profile.put("homeAddress", ADDRESS);
        profile.put(
                "emergencyContacts",
                List.of(Map.of("name", "Chidi Obi", "phone", "+2348091234567", "relation", "brother")));
        profile.put("medicalNotes", "Allergic to penicillin");
        profile.put("preferences", Map.of("music", "none"));
        profile.put("securityNotes", "Avoid Third Mainland Bridge at night");
        Response created = api().post("/api/v1/vip/profiles", profile, admin.accessToken());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return accounts().signIn(registered(customer));
    }

    private static Registered registered(SignedIn user) {
        return new Registered(user.id(), user.email());
    }

    /** A VIP-capable driver of the test's own market, on a ride of the customer's that is in progress. */
    private SignedIn aDriverOnActiveRideOf(UUID customer) {
        if (market == null) {
            market = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        }
        Driver driver = market.driverAt(100 * ++driversOnDuty, "sedan", 4, true);
        rides(market).aStartedRide(customer, driver);
        return driver.user();
    }

    private static List<Map<String, Object>> points(int count, Instant at) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            points.add(Map.of(
                    "lat",
                    6.5244 + i * 0.0001,
                    "lng",
                    3.3792,
                    "recordedAt",
                    at.minusSeconds(count - i).toString(),
                    "accuracyM",
                    5.0));
        }
        return points;
    }

    private long countLocations(UUID vip) {
        return superuser()
                .sql("SELECT count(*) FROM vip_data.vip_location_history WHERE user_id = :id")
                .param("id", vip)
                .query(Long.class)
                .single();
    }

    private long accessLogRows(UUID vip) {
        return superuser()
                .sql("SELECT count(*) FROM audit.vip_access_log WHERE vip_user_id = :id")
                .param("id", vip)
                .query(Long.class)
                .single();
    }
}
