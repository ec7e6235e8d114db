package com.vipride.vip.geofence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Geofence alerts through the API (vip_admin reads and acknowledges, vip_operator reads, a VIP sees their
 * own) and monitoring.security_alerts, which shows each reader what their own privileges allow.
 */
class SecurityAlertsIT extends IntegrationTest {

    private SignedIn vip;
    private SignedIn admin;
    private UUID alert;

    @BeforeEach
    void aVipWhoEnteredARestrictedZone() {
        vip = accounts().aSignedInCustomer();
        superuser()
                .sql("UPDATE public.users SET tier = 'vip' WHERE id = :id")
                .param("id", vip.id())
                .update();
        admin = accounts().aSignedInStaffMember("vip_admin");
        Response zone = api().post(
                        "/api/v1/vip/" + vip.id() + "/geofences",
                        Map.of(
                                "kind",
                                "restricted",
                                "name",
                                "Port",
                                "center",
                                Map.of("lat", 6.44, "lng", 3.39),
                                "radiusM",
                                200),
                        admin.accessToken());
        assertThat(zone.status()).as(zone.toString()).isEqualTo(201);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int raised = ActingAs.inTransaction(
                dataSourceFor("app_backend"),
                "customer_user",
                vip.id(),
                sql -> sql.sql("""
                SELECT vip_data.track_geofences(:vip, '{6.44,6.44}', '{3.39,3.39}', CAST(:times AS timestamptz[]))""")
                        .param("vip", vip.id())
                        .param("times", "{" + now.minusSeconds(60) + "," + now + "}")
                        .query(Integer.class)
                        .single());
        assertThat(raised).isEqualTo(1);
        alert = superuser()
                .sql("SELECT id FROM vip_data.security_alerts WHERE vip_user_id = :vip")
                .param("vip", vip.id())
                .query(UUID.class)
                .single();
    }

    @Test
    void vipAdminListsAndAcknowledgesAlertsWhileTheOperatorOnlyReadsThem() {
        SignedIn operator = accounts().aSignedInStaffMember("vip_operator");

        assertThat(alertIds("/api/v1/vip/alerts?limit=500", admin)).contains(alert.toString());
        assertThat(alertIds("/api/v1/vip/alerts?vipUserId=" + vip.id(), operator))
                .containsExactly(alert.toString());
        JsonNode shown = api().get("/api/v1/vip/alerts?vipUserId=" + vip.id(), admin.accessToken())
                .body()
                .get(0);
        assertThat(shown.get("kind").asString()).isEqualTo("geofence_enter_restricted");
        assertThat(shown.get("severity").asString()).isEqualTo("high");
        assertThat(shown.get("occurrences").asInt()).isEqualTo(1);

        Response byOperator = api().post("/api/v1/vip/alerts/" + alert + "/acknowledge", "", operator.accessToken());
        assertThat(byOperator.status()).isEqualTo(403);

        Response acknowledged = api().post("/api/v1/vip/alerts/" + alert + "/acknowledge", "", admin.accessToken());
        assertThat(acknowledged.status()).as(acknowledged.toString()).isEqualTo(200);
        assertThat(acknowledged.text("acknowledgedBy")).isEqualTo(admin.id().toString());
        assertThat(acknowledged.text("acknowledgedAt")).isNotNull();

        Response again = api().post("/api/v1/vip/alerts/" + alert + "/acknowledge", "", admin.accessToken());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("alert-already-acknowledged");
        Response unknown =
                api().post("/api/v1/vip/alerts/" + UUID.randomUUID() + "/acknowledge", "", admin.accessToken());
        assertThat(unknown.status()).isEqualTo(404);

        assertThat(alertIds("/api/v1/vip/alerts?vipUserId=" + vip.id(), admin)).isEmpty();
        assertThat(alertIds("/api/v1/vip/alerts?status=acknowledged&vipUserId=" + vip.id(), admin))
                .containsExactly(alert.toString());
        assertThat(alertIds("/api/v1/vip/alerts?status=all&vipUserId=" + vip.id(), operator))
                .containsExactly(alert.toString());
        assertThat(api().get("/api/v1/vip/alerts?status=closed", admin.accessToken())
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aVipSeesOnlyTheirOwnAlertsAndRolesWithoutAlertAccessAreRefused() {
        SignedIn otherVip = accounts().aSignedInCustomer();

        assertThat(alertIds("/api/v1/vip/alerts", vip)).containsExactly(alert.toString());
        assertThat(alertIds("/api/v1/vip/alerts?vipUserId=" + vip.id(), otherVip))
                .isEmpty();
        assertThat(api().post("/api/v1/vip/alerts/" + alert + "/acknowledge", "", vip.accessToken())
                        .status())
                .isEqualTo(403);
        for (String type : List.of("driver", "support_agent", "hotel_staff", "fleet_admin", "system_admin")) {
            Response response = api().get(
                            "/api/v1/vip/alerts",
                            accounts().aSignedInStaffMember(type).accessToken());
            assertThat(response.status()).as(type + ": " + response).isEqualTo(403);
        }
        assertThat(superuser()
                        .sql("SELECT acknowledged_at IS NULL FROM vip_data.security_alerts WHERE id = :id")
                        .param("id", alert)
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void monitoringShowsEachReaderTheSignalsTheirRoleMaySee() {
        SignedIn target = accounts().aSignedInCustomer();
        for (int i = 0; i < 3; i++) {
            Response wrong =
                    api().post("/api/v1/auth/login", Map.of("email", target.email(), "password", "wrong password 1"));
            assertThat(wrong.status()).isEqualTo(401);
        }
        UUID incident =
                superuser().sql("""
                INSERT INTO vip_data.emergency_incidents (vip_user_id, raised_by, kind, severity)
                VALUES (:vip, :vip, 'panic_button', 5) RETURNING id""").param("vip", vip.id()).query(UUID.class).single();
        String geofenceSignal = "security_alert:" + alert;
        String emergencySignal = "emergency_incident:" + incident;

        List<JsonNode> forVipAdmin = monitoring(admin);
        assertThat(references(forVipAdmin)).contains(geofenceSignal, emergencySignal);
        assertThat(categories(forVipAdmin, target.id())).isEmpty();
        JsonNode geofence = forVipAdmin.stream()
                .filter(r -> geofenceSignal.equals(r.get("reference").asString()))
                .findFirst()
                .orElseThrow();
        assertThat(geofence.get("category").asString()).isEqualTo("geofence_enter_restricted");
        assertThat(geofence.get("severity").asString()).isEqualTo("high");
        assertThat(geofence.get("subjectUserId").asString()).isEqualTo(vip.id().toString());
        assertThat(geofence.get("detail").asString()).doesNotContain("6.44").doesNotContain("3.39");

        List<JsonNode> forAuditor = monitoring(accounts().aSignedInStaffMember("audit_admin"));
        assertThat(references(forAuditor)).contains(geofenceSignal).doesNotContain(emergencySignal);
        assertThat(categories(forAuditor, target.id())).containsExactly("login_failures");

        List<JsonNode> forSystemAdmin = monitoring(accounts().aSignedInStaffMember("system_admin"));
        assertThat(references(forSystemAdmin)).doesNotContain(geofenceSignal, emergencySignal);
        assertThat(categories(forSystemAdmin, target.id())).containsExactly("login_failures");

        for (SignedIn refused : List.of(
                vip,
                accounts().aSignedInStaffMember("vip_operator"),
                accounts().aSignedInStaffMember("driver"),
                accounts().aSignedInStaffMember("compliance_officer"))) {
            assertThat(api().get("/api/v1/monitoring/security-alerts", refused.accessToken())
                            .status())
                    .isEqualTo(403);
        }

        superuser()
                .sql("UPDATE vip_data.security_alerts SET acknowledged_at = now(), acknowledged_by = :a WHERE id = :id")
                .param("a", admin.id())
                .param("id", alert)
                .update();
        assertThat(references(monitoring(admin)))
                .as("acknowledged alerts leave the list")
                .doesNotContain(geofenceSignal);
    }

    @Test
    void aRiderQueryingTheMonitoringViewDirectlyIsRefused() {
        assertThatThrownBy(() -> ActingAs.inTransaction(
                        dataSourceFor("app_backend"),
                        "customer_user",
                        vip.id(),
                        sql -> sql.sql("SELECT count(*) FROM monitoring.security_alerts")
                                .query(Long.class)
                                .single()))
                .rootCause()
                .hasMessageContaining("permission denied for schema monitoring");
        long forVipAdmin = ActingAs.inTransaction(
                dataSourceFor("app_backend"),
                "vip_admin",
                admin.id(),
                sql -> sql.sql("SELECT count(*) FROM monitoring.security_alerts WHERE subject_user_id = :vip")
                        .param("vip", vip.id())
                        .query(Long.class)
                        .single());
        assertThat(forVipAdmin).isEqualTo(1);
    }

    @Test
    void anEmergencyResponderSeesAVipsAlertsOnlyWhileTheirEmergencyIsOpen() {
        SignedIn responder = accounts().aSignedInStaffMember("emergency_responder");
        assertThat(alertsSeenBy("emergency_responder", responder.id())).isZero();

        UUID incident =
                superuser().sql("""
                INSERT INTO vip_data.emergency_incidents (vip_user_id, raised_by, kind) VALUES (:vip, :vip, 'security')
                RETURNING id""").param("vip", vip.id()).query(UUID.class).single();
        assertThat(alertsSeenBy("emergency_responder", responder.id())).isEqualTo(1);

        superuser()
                .sql("UPDATE vip_data.emergency_incidents SET status = 'resolved', resolved_at = now() WHERE id = :id")
                .param("id", incident)
                .update();
        assertThat(alertsSeenBy("emergency_responder", responder.id())).isZero();
        assertThat(alertsSeenBy(
                        "audit_admin",
                        accounts().aSignedInStaffMember("audit_admin").id()))
                .isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------

    private long alertsSeenBy(String role, UUID user) {
        return ActingAs.inTransaction(
                dataSourceFor("app_backend"),
                role,
                user,
                sql -> sql.sql("SELECT count(*) FROM vip_data.security_alerts WHERE vip_user_id = :vip")
                        .param("vip", vip.id())
                        .query(Long.class)
                        .single());
    }

    private List<String> alertIds(String path, SignedIn caller) {
        Response response = api().get(path, caller.accessToken());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.body().valueStream().map(a -> a.get("id").asString()).toList();
    }

    private List<JsonNode> monitoring(SignedIn caller) {
        Response response = api().get("/api/v1/monitoring/security-alerts?limit=500", caller.accessToken());
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.body().valueStream().toList();
    }

    private static List<String> references(List<JsonNode> rows) {
        return rows.stream()
                .map(r -> r.get("reference"))
                .filter(r -> r != null && !r.isNull())
                .map(JsonNode::asString)
                .toList();
    }

    private static List<String> categories(List<JsonNode> rows, UUID subject) {
        return rows.stream()
                .filter(r -> subject.toString().equals(r.get("subjectUserId").asString()))
                .map(r -> r.get("category").asString())
                .toList();
    }
}
