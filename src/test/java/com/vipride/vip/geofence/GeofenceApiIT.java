package com.vipride.vip.geofence;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api.Response;
import com.vipride.support.AuditChain;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Zones through the HTTP API: a VIP manages their own, vip_admin any VIP's, vip_operator reads; another
 * VIP's zone is a 404 and roles with no business with zones get 403; bad input is a 4xx and writes nothing.
 */
class GeofenceApiIT extends IntegrationTest {

    private static final List<Map<String, Object>> SQUARE =
            List.of(vertex(6.45, 3.38), vertex(6.45, 3.39), vertex(6.46, 3.39), vertex(6.46, 3.38));

    private SignedIn vip;

    @BeforeEach
    void signInAVip() {
        vip = aVip();
    }

    @Test
    void aVipDefinesListsAndDeactivatesTheirOwnZones() {
        Response square = api().post(
                        "/api/v1/vip/me/geofences",
                        Map.of("kind", "restricted", "name", "  Market  ", "polygon", SQUARE),
                        vip.accessToken());
        Response circle = api().post(
                        "/api/v1/vip/me/geofences",
                        Map.of("kind", "safe", "name", "Home", "center", vertex(6.43, 3.42), "radiusM", 500),
                        vip.accessToken());

        assertThat(square.status()).as(square.toString()).isEqualTo(201);
        assertThat(square.text("name")).isEqualTo("Market");
        assertThat(square.text("shape")).isEqualTo("polygon");
        assertThat(square.body().get("polygon").size()).isEqualTo(4);
        assertThat(square.body().get("polygon").get(0).get("lat").asDouble()).isEqualTo(6.45);
        assertThat(square.body().get("polygon").get(0).get("lng").asDouble()).isEqualTo(3.38);
        assertThat(square.text("vipUserId")).isEqualTo(vip.id().toString());
        assertThat(square.text("createdBy")).isEqualTo(vip.id().toString());
        assertThat(square.headers().get("location")).containsExactly("/api/v1/vip/me/geofences/" + square.text("id"));
        assertThat(circle.status()).as(circle.toString()).isEqualTo(201);
        assertThat(circle.body().get("radiusM").asInt()).isEqualTo(500);
        assertThat(ids(api().get("/api/v1/vip/me/geofences", vip.accessToken())))
                .containsExactly(circle.text("id"), square.text("id"));

        assertThat(delete("/api/v1/vip/me/geofences/" + square.text("id"), vip).status())
                .isEqualTo(204);
        assertThat(delete("/api/v1/vip/me/geofences/" + square.text("id"), vip).status())
                .as("idempotent")
                .isEqualTo(204);

        assertThat(ids(api().get("/api/v1/vip/me/geofences", vip.accessToken())))
                .containsExactly(circle.text("id"));
        Response all = api().get("/api/v1/vip/me/geofences?includeInactive=true", vip.accessToken());
        assertThat(ids(all)).containsExactly(circle.text("id"), square.text("id"));
        assertThat(all.body().get(1).get("active").asBoolean()).isFalse();
        assertThat(all.body().get(1).get("deactivatedAt").isNull()).isFalse();
    }

    @Test
    void aClosingVertexEqualToTheFirstIsAccepted() {
        List<Map<String, Object>> closed = new ArrayList<>(SQUARE);
        closed.add(SQUARE.get(0));

        Response created = api().post(
                        "/api/v1/vip/me/geofences",
                        Map.of("kind", "safe", "name", "Office", "polygon", closed),
                        vip.accessToken());

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.body().get("polygon").size()).isEqualTo(4);
    }

    @Test
    void vipAdminManagesAnyVipsZonesAndVipOperatorOnlyReadsThem() {
        SignedIn admin = accounts().aSignedInStaffMember("vip_admin");
        SignedIn operator = accounts().aSignedInStaffMember("vip_operator");
        String zones = "/api/v1/vip/" + vip.id() + "/geofences";

        Response created = api().post(
                        zones, Map.of("kind", "restricted", "name", "Stadium", "polygon", SQUARE), admin.accessToken());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.text("vipUserId")).isEqualTo(vip.id().toString());
        assertThat(created.text("createdBy")).isEqualTo(admin.id().toString());

        assertThat(ids(api().get(zones, admin.accessToken()))).containsExactly(created.text("id"));
        assertThat(ids(api().get(zones, operator.accessToken()))).containsExactly(created.text("id"));
        assertThat(ids(api().get("/api/v1/vip/me/geofences", vip.accessToken())))
                .as("the VIP sees the zone staff defined for them")
                .containsExactly(created.text("id"));

        Response byOperator =
                api().post(zones, Map.of("kind", "safe", "name", "Home", "polygon", SQUARE), operator.accessToken());
        assertThat(byOperator.status()).isEqualTo(403);
        assertThat(byOperator.code()).isEqualTo("access-denied");
        assertThat(delete(zones + "/" + created.text("id"), operator).status()).isEqualTo(403);

        assertThat(delete(zones + "/" + created.text("id"), admin).status()).isEqualTo(204);
        assertThat(ids(api().get(zones, admin.accessToken()))).isEmpty();
        assertThat(superuser()
                        .sql("SELECT deactivated_by FROM vip_data.geofences WHERE id = :id")
                        .param("id", UUID.fromString(created.text("id")))
                        .query(UUID.class)
                        .single())
                .isEqualTo(admin.id());
        AuditChain.drain(superuser());
        assertThat(superuser()
                        .sql("""
                SELECT count(*) FROM audit.audit_log WHERE table_name = 'geofences' AND record_id = :id""")
                        .param("id", created.text("id"))
                        .query(Long.class)
                        .single())
                .as("created and deactivated, audited")
                .isEqualTo(2);
    }

    @Test
    void anotherVipsZoneIsNotFoundAndStaysActive() {
        SignedIn otherVip = aVip();
        String id = api().post(
                        "/api/v1/vip/me/geofences",
                        Map.of("kind", "safe", "name", "Home", "polygon", SQUARE),
                        vip.accessToken())
                .text("id");

        Response foreign = delete("/api/v1/vip/me/geofences/" + id, otherVip);
        Response unknown = delete("/api/v1/vip/me/geofences/" + UUID.randomUUID(), otherVip);

        assertThat(foreign.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo(unknown.code()).isEqualTo("not-found");
        assertThat(ids(api().get("/api/v1/vip/me/geofences", otherVip.accessToken())))
                .isEmpty();
        assertThat(ids(api().get("/api/v1/vip/me/geofences", vip.accessToken())))
                .containsExactly(id);
        Response viaAdminPath = delete(
                "/api/v1/vip/" + otherVip.id() + "/geofences/" + id, accounts().aSignedInStaffMember("vip_admin"));
        assertThat(viaAdminPath.status())
                .as("a zone is found only under its own VIP")
                .isEqualTo(404);
    }

    @Test
    void rolesWithNoBusinessWithZonesAreRefused() {
        String zones = "/api/v1/vip/" + vip.id() + "/geofences";
        Map<String, Object> body = Map.of("kind", "safe", "name", "Home", "polygon", SQUARE);
        List<String> mismatches = new ArrayList<>();
        for (String type : List.of(
                "driver",
                "support_agent",
                "hotel_staff",
                "fleet_admin",
                "audit_admin",
                "system_admin",
                "emergency_responder")) {
            SignedIn staff = accounts().aSignedInStaffMember(type);
            expect(mismatches, type + " GET me", api().get("/api/v1/vip/me/geofences", staff.accessToken()), 403);
            expect(
                    mismatches,
                    type + " POST me",
                    api().post("/api/v1/vip/me/geofences", body, staff.accessToken()),
                    403);
            expect(mismatches, type + " GET vip", api().get(zones, staff.accessToken()), 403);
            expect(mismatches, type + " POST vip", api().post(zones, body, staff.accessToken()), 403);
        }
        SignedIn rider = accounts().aSignedInCustomer();
        expect(mismatches, "rider GET vip", api().get(zones, rider.accessToken()), 403);
        expect(mismatches, "rider POST vip", api().post(zones, body, rider.accessToken()), 403);
        expect(
                mismatches,
                "VIP POST for themselves by id",
                api().post("/api/v1/vip/" + vip.id() + "/geofences", body, vip.accessToken()),
                403);
        expect(mismatches, "anonymous", api().get("/api/v1/vip/me/geofences", null), 401);

        assertThat(mismatches).isEmpty();
        assertThat(zoneCount(vip.id())).isZero();
    }

    @Test
    void badInputIsAClearClientErrorAndWritesNothing() {
        SignedIn admin = accounts().aSignedInStaffMember("vip_admin");
        List<String> mismatches = new ArrayList<>();
        String me = "/api/v1/vip/me/geofences";

        expectPost(
                mismatches,
                me,
                polygon(List.of(vertex(91, 3.38), vertex(6.45, 3.39), vertex(6.46, 3.39))),
                400,
                "validation-failed");
        expectPost(
                mismatches,
                me,
                polygon(List.of(vertex(6.45, -181), vertex(6.45, 3.39), vertex(6.46, 3.39))),
                400,
                "validation-failed");
        expectPost(mismatches, me, circle(vertex(-90.5, 3.42), 500), 400, "validation-failed");
        expectPost(
                mismatches, me, polygon(List.of(vertex(6.45, 3.38), vertex(6.46, 3.39))), 422, "polygon-vertex-count");
        expectPost(
                mismatches,
                me,
                polygon(List.of(vertex(6.45, 3.38), vertex(6.46, 3.39), vertex(6.45, 3.38))),
                422,
                "polygon-vertex-count");
        expectPost(mismatches, me, polygon(ring(201)), 422, "polygon-vertex-count");
        expectPost(mismatches, me, polygon(ring(250)), 400, "validation-failed");
        expectPost(
                mismatches,
                me,
                polygon(List.of(vertex(6.45, 3.38), vertex(6.46, 3.39), vertex(6.47, 3.40))),
                422,
                "degenerate-polygon");
        expectPost(
                mismatches,
                me,
                polygon(List.of(vertex(6.45, 3.38), vertex(6.45, 3.39), vertex(6.45, 3.39), vertex(6.46, 3.39))),
                422,
                "self-intersecting-polygon");
        expectPost(
                mismatches,
                me,
                polygon(List.of(vertex(6.45, 3.38), vertex(6.47, 3.40), vertex(6.45, 3.40), vertex(6.46, 3.38))),
                422,
                "self-intersecting-polygon");
        expectPost(mismatches, me, circle(vertex(6.43, 3.42), 9), 400, "validation-failed");
        expectPost(mismatches, me, circle(vertex(6.43, 3.42), 50_001), 400, "validation-failed");
        expectPost(
                mismatches,
                me,
                Map.of("kind", "safe", "name", "Home", "center", vertex(6.43, 3.42)),
                422,
                "invalid-geofence-shape");
        expectPost(mismatches, me, Map.of("kind", "safe", "name", "Home"), 422, "invalid-geofence-shape");
        expectPost(
                mismatches,
                me,
                Map.of("kind", "safe", "name", "Home", "polygon", SQUARE, "center", vertex(6.43, 3.42), "radiusM", 500),
                422,
                "invalid-geofence-shape");
        expectPost(mismatches, me, Map.of("name", "Home", "polygon", SQUARE), 400, "validation-failed");
        expectPost(
                mismatches,
                me,
                Map.of("kind", "dangerous", "name", "Home", "polygon", SQUARE),
                400,
                "invalid-enum-value");
        expectPost(mismatches, me, Map.of("kind", "safe", "name", " ", "polygon", SQUARE), 400, "validation-failed");
        expectPost(
                mismatches,
                me,
                Map.of("kind", "safe", "name", "Home", "polygon", SQUARE, "colour", "red"),
                400,
                "unknown-field");
        expectPost(mismatches, me, "{\"kind\": \"safe\", ", 400, "malformed-json");
        assertThat(mismatches).isEmpty();

        SignedIn normalRider = accounts().aSignedInCustomer();
        Response notVip = api().post(me, polygon(SQUARE), normalRider.accessToken());
        assertThat(notVip.status()).isEqualTo(422);
        assertThat(notVip.code()).isEqualTo("vip-tier-required");

        for (UUID notAVip : List.of(UUID.randomUUID(), normalRider.id(), admin.id())) {
            Response unknown =
                    api().post("/api/v1/vip/" + notAVip + "/geofences", polygon(SQUARE), admin.accessToken());
            assertThat(unknown.status()).as(unknown.toString()).isEqualTo(404);
            assertThat(unknown.code()).isEqualTo("vip-not-found");
            assertThat(api().get("/api/v1/vip/" + notAVip + "/geofences", admin.accessToken())
                            .code())
                    .isEqualTo("vip-not-found");
        }
        assertThat(api().get("/api/v1/vip/not-a-uuid/geofences", admin.accessToken())
                        .code())
                .isEqualTo("invalid-parameter");

        assertThat(zoneCount(vip.id())).isZero();
        assertThat(zoneCount(normalRider.id())).isZero();
    }

    // ------------------------------------------------------------------------------------------

    private SignedIn aVip() {
        SignedIn rider = accounts().aSignedInCustomer();
        superuser()
                .sql("UPDATE public.users SET tier = 'vip' WHERE id = :id")
                .param("id", rider.id())
                .update();
        return rider;
    }

    private static Map<String, Object> vertex(double lat, double lng) {
        return Map.of("lat", lat, "lng", lng);
    }

    private static Map<String, Object> polygon(List<Map<String, Object>> vertices) {
        return Map.of("kind", "restricted", "name", "Zone", "polygon", vertices);
    }

    private static Map<String, Object> circle(Map<String, Object> center, int radiusM) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("kind", "safe", "name", "Zone", "center", center));
        body.put("radiusM", radiusM);
        return body;
    }

    /** n distinct vertices on a small circle, in order: a valid outline apart from its vertex count. */
    private static List<Map<String, Object>> ring(int n) {
        List<Map<String, Object>> vertices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double angle = 2 * Math.PI * i / n;
            vertices.add(vertex(6.45 + 0.01 * Math.sin(angle), 3.38 + 0.01 * Math.cos(angle)));
        }
        return vertices;
    }

    private void expectPost(List<String> mismatches, String path, Object body, int status, String code) {
        Response response = api().post(path, body, vip.accessToken());
        if (response.status() != status || !code.equals(response.code())) {
            mismatches.add("POST " + body + ": expected " + status + " " + code + ", got " + response);
        }
    }

    private static void expect(List<String> mismatches, String what, Response response, int status) {
        if (response.status() != status) {
            mismatches.add(what + ": expected " + status + ", got " + response);
        }
    }

    private Response delete(String path, SignedIn caller) {
        return api().send(api().request(path, caller.accessToken()).DELETE().build());
    }

    private static List<String> ids(Response list) {
        assertThat(list.status()).as(list.toString()).isEqualTo(200);
        return list.body().valueStream().map(zone -> zone.get("id").asString()).toList();
    }

    private long zoneCount(UUID vipUserId) {
        return superuser()
                .sql("SELECT count(*) FROM vip_data.geofences WHERE vip_user_id = :id")
                .param("id", vipUserId)
                .query(Long.class)
                .single();
    }
}
