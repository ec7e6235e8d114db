package com.vipride.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts;
import com.vipride.support.TestAccounts.SignedIn;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Rectification, restriction and objection requests take effect: corrected values reach the account,
 * a restriction keeps the account out of marketing and analytics until lifted, an objection withdraws
 * the purposes in the consent history. Each only by the subject or an officer on a verified request.
 */
class RequestFulfilmentIT extends IntegrationTest {

    @Test
    void rectificationCorrectsTheAccountAndRecordsWhichFieldsChanged() {
        PrivacyFixture subject = new PrivacyFixture(api(), superuser());
        UUID request = subject.fileRequest("rectification");
        String newEmail = "corrected-" + UUID.randomUUID() + "@example.com";

        PrivacyFixture stranger = new PrivacyFixture(api(), superuser());
        assertThat(post(
                                "/api/v1/me/privacy-requests/" + request + "/rectification",
                                Map.of("firstName", "Mallory"),
                                stranger.token)
                        .status())
                .as("another user cannot rectify someone else's request")
                .isEqualTo(404);
        assertThat(post("/api/v1/me/privacy-requests/" + request + "/rectification", Map.of(), subject.token)
                        .status())
                .as("nothing to apply")
                .isEqualTo(422);
        assertThat(post(
                                "/api/v1/me/privacy-requests/" + request + "/rectification",
                                Map.of("email", "not-an-email"),
                                subject.token)
                        .status())
                .as("the account's own checks apply")
                .isIn(409, 422);

        Api.Response applied = post(
                "/api/v1/me/privacy-requests/" + request + "/rectification",
                Map.of("firstName", "Adaeze", "email", newEmail),
                subject.token);
        assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
        assertThat(applied.raw()).contains("\"changedFields\":[\"first_name\",\"email\"]");
        assertThat(applied.body().path("request").path("status").asString()).isEqualTo("completed");
        Map<String, Object> account = superuser()
                .sql("SELECT first_name, last_name, email FROM public.users WHERE id = :id")
                .param("id", subject.userId)
                .query()
                .singleRow();
        assertThat(account)
                .containsEntry("first_name", "Adaeze")
                .containsEntry("last_name", subject.lastName)
                .containsEntry("email", newEmail);
        assertThat(subject.login(newEmail)).isNotBlank();
        String timeline = timeline(request);
        assertThat(timeline).contains("rectified").contains("first_name").doesNotContain(newEmail);
        assertThat(post(
                                "/api/v1/me/privacy-requests/" + request + "/rectification",
                                Map.of("lastName", "Again"),
                                subject.token)
                        .status())
                .as("a completed request applies nothing more")
                .isEqualTo(409);
    }

    @Test
    void anOfficerRectifiesOnlyAfterVerifyingTheSubject() {
        PrivacyFixture subject = new PrivacyFixture(api(), superuser());
        SignedIn officer = accounts().aSignedInStaffMember("compliance_officer");
        UUID request = officerFiles(officer, subject.userId, "rectification");
        String phone = TestAccounts.uniquePhone();
        assertThat(post(
                                "/api/v1/compliance/privacy-requests/" + request + "/rectification",
                                Map.of("phone", phone),
                                officer.accessToken())
                        .status())
                .isEqualTo(409);
        verify(officer, request);
        Api.Response applied = post(
                "/api/v1/compliance/privacy-requests/" + request + "/rectification",
                Map.of("phone", phone),
                officer.accessToken());
        assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
        assertThat(superuser()
                        .sql("SELECT phone FROM public.users WHERE id = :id")
                        .param("id", subject.userId)
                        .query(String.class)
                        .single())
                .isEqualTo(phone);
    }

    @Test
    void aRestrictionKeepsTheAccountOutOfMarketingAndAnalyticsUntilLifted() {
        PrivacyFixture subject = new PrivacyFixture(api(), superuser());
        grant(subject, "marketing");
        grant(subject, "analytics");
        assertThat(enforcement(subject.userId))
                .containsEntry("marketing", true)
                .containsEntry("excluded", false)
                .containsEntry("restricted", false);

        superuser()
                .sql("INSERT INTO public.notification_preferences (user_id, marketing) VALUES (:id, true)")
                .param("id", subject.userId)
                .update();
        assertThat(promotionsDelivered(subject.userId))
                .as("before: marketing is delivered")
                .isEqualTo(1);

        UUID request = subject.fileRequest("restriction");
        PrivacyFixture stranger = new PrivacyFixture(api(), superuser());
        assertThat(post("/api/v1/me/privacy-requests/" + request + "/restriction", Map.of(), stranger.token)
                        .status())
                .isEqualTo(404);
        Api.Response restricted =
                post("/api/v1/me/privacy-requests/" + request + "/restriction", Map.of(), subject.token);
        assertThat(restricted.status()).as(restricted.toString()).isEqualTo(200);
        assertThat(enforcement(subject.userId))
                .containsEntry("marketing", false)
                .containsEntry("safety", true)
                .containsEntry("service", true)
                .containsEntry("excluded", true)
                .containsEntry("restricted", true);
        assertThat(promotionsDelivered(subject.userId))
                .as("no marketing reaches a restricted account")
                .isZero();
        assertThat(subject.login(subject.email)).as("the account still works").isNotBlank();

        assertThat(delete("/api/v1/me/privacy-requests/" + request + "/restriction", stranger.token)
                        .status())
                .isEqualTo(404);
        assertThat(delete("/api/v1/me/privacy-requests/" + request + "/restriction", subject.token)
                        .status())
                .isEqualTo(200);
        assertThat(enforcement(subject.userId))
                .containsEntry("marketing", true)
                .containsEntry("excluded", false)
                .containsEntry("restricted", false);
        assertThat(timeline(request)).contains("restricted").contains("restriction_lifted");
        assertThat(delete("/api/v1/me/privacy-requests/" + request + "/restriction", subject.token)
                        .status())
                .as("nothing left to lift")
                .isEqualTo(404);
    }

    @Test
    void anObjectionWithdrawsThePurposesInTheConsentHistory() {
        PrivacyFixture subject = new PrivacyFixture(api(), superuser());
        grant(subject, "marketing");
        grant(subject, "analytics");
        SignedIn officer = accounts().aSignedInStaffMember("compliance_officer");
        UUID request = officerFiles(officer, subject.userId, "objection");
        String path = "/api/v1/compliance/privacy-requests/" + request + "/objection";
        assertThat(post(path, Map.of("purposes", List.of("marketing")), officer.accessToken())
                        .status())
                .as("identity first")
                .isEqualTo(409);
        verify(officer, request);
        assertThat(post(path, Map.of("purposes", List.of("service")), officer.accessToken())
                        .status())
                .as("the service itself is not objected to here")
                .isEqualTo(422);
        PrivacyFixture stranger = new PrivacyFixture(api(), superuser());
        assertThat(post(path, Map.of("purposes", List.of("marketing")), stranger.token)
                        .status())
                .as("nobody else applies it")
                .isEqualTo(404);

        Api.Response applied = post(path, Map.of("purposes", List.of("marketing", "analytics")), officer.accessToken());
        assertThat(applied.status()).as(applied.toString()).isEqualTo(200);
        assertThat(enforcement(subject.userId))
                .containsEntry("marketing", false)
                .containsEntry("excluded", true)
                .containsEntry("restricted", false);
        List<Map<String, Object>> latest =
                superuser().sql("""
                        SELECT DISTINCT ON (purpose) purpose, granted, channel, recorded_by
                          FROM compliance.consent_events WHERE user_id = :id ORDER BY purpose, id DESC""").param("id", subject.userId).query().listOfRows();
        assertThat(latest)
                .filteredOn(row -> List.of("marketing", "analytics").contains(row.get("purpose")))
                .hasSize(2)
                .allSatisfy(row -> assertThat(row)
                        .containsEntry("granted", false)
                        .containsEntry("channel", "officer")
                        .containsEntry("recorded_by", officer.id()));
        assertThat(superuser()
                        .sql("SELECT marketing_consent FROM public.users WHERE id = :id")
                        .param("id", subject.userId)
                        .query(Boolean.class)
                        .single())
                .isFalse();
        assertThat(timeline(request)).contains("objection_applied");

        PrivacyFixture other = new PrivacyFixture(api(), superuser());
        grant(other, "marketing");
        UUID own = other.fileRequest("objection");
        assertThat(post(
                                "/api/v1/me/privacy-requests/" + own + "/objection",
                                Map.of("purposes", List.of("marketing")),
                                other.token)
                        .status())
                .as("the subject objects on their own request")
                .isEqualTo(200);
        assertThat(enforcement(other.userId)).containsEntry("marketing", false);
    }

    private Api.Response post(String path, Object body, String token) {
        return api().post(path, body, token);
    }

    private Api.Response delete(String path, String token) {
        return api().send(api().request(path, token).DELETE().build());
    }

    private void grant(PrivacyFixture subject, String purpose) {
        Api.Response granted = api().send(api().request("/api/v1/me/consents/" + purpose, subject.token)
                .header("content-type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"granted\":true}"))
                .build());
        assertThat(granted.status()).as(granted.toString()).isEqualTo(200);
    }

    private UUID officerFiles(SignedIn officer, UUID user, String type) {
        Api.Response filed = api().post(
                        "/api/v1/compliance/privacy-requests",
                        Map.of("userId", user, "type", type),
                        officer.accessToken());
        assertThat(filed.status()).as(filed.toString()).isEqualTo(201);
        return UUID.fromString(filed.text("id"));
    }

    private void verify(SignedIn officer, UUID request) {
        assertThat(api().post(
                                "/api/v1/compliance/privacy-requests/" + request + "/identity-verification",
                                Map.of("method", "national ID checked by video call"),
                                officer.accessToken())
                        .status())
                .isEqualTo(200);
    }

    private String timeline(UUID request) {
        return superuser()
                .sql("SELECT string_agg(event || ' ' || detail::text, '; ' ORDER BY id) FROM compliance.request_events"
                        + " WHERE request_id = :id")
                .param("id", request)
                .query(String.class)
                .single();
    }

    /** Sends one promotion through public.notify; returns how many of its notifications were stored. */
    private long promotionsDelivered(UUID user) {
        return superuser()
                .sql("SELECT count(*) FROM (SELECT public.notify(:id, 'marketing.promotion', '{}'::jsonb) AS n) x"
                        + " WHERE x.n IS NOT NULL")
                .param("id", user)
                .query(Long.class)
                .single();
    }

    private Map<String, Object> enforcement(UUID user) {
        return superuser().sql("""
                        SELECT compliance.may_message(:id, 'marketing_offer') AS marketing,
                               compliance.may_message(:id, 'safety_alert') AS safety,
                               compliance.has_consent(:id, 'service') AS service,
                               compliance.analytics_excluded(:id) AS excluded,
                               compliance.is_restricted(:id) AS restricted""").param("id", user).query().singleRow();
    }
}
