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
 * Erasure for every user: after it no text column of any table in any schema — audit and archive
 * included — holds the subject's email, phone or name; the audit chain still verifies; the same email
 * and phone can register again; a legal hold blocks it with a clear reason.
 */
class ErasureIT extends IntegrationTest {

    @Test
    void anErasedRiderLeavesNoReadableTraceAndTheAuditChainStillVerifies() {
        PrivacyFixture subject = new PrivacyFixture(api(), superuser());
        api().send(api().request("/api/v1/me/consents/marketing", subject.token)
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"granted\":true}"))
                .header("content-type", "application/json")
                .build());
        superuser()
                .sql("UPDATE public.users SET last_name = :name WHERE id = :id")
                .param("name", subject.lastName + "x")
                .param("id", subject.userId)
                .update();
        subject.drainAudit();
        assertThat(subject.placesHolding(subject.email))
                .as("before erasure the email is in the account")
                .contains("public.users.email");

        UUID request = subject.fileRequest("erasure");
        SignedIn officer = accounts().aSignedInStaffMember("compliance_officer");
        Api.Response erased = api().post(
                        "/api/v1/compliance/privacy-requests/" + request + "/erasure", Map.of(), officer.accessToken());
        assertThat(erased.status()).as(erased.toString()).isEqualTo(200);
        subject.drainAudit();

        for (String value : List.of(subject.email, subject.phone, subject.firstName, subject.lastName)) {
            assertThat(subject.placesHolding(value))
                    .as("places still holding " + value)
                    .isEmpty();
        }
        assertThat(superuser()
                        .sql("SELECT count(*) FROM compliance.erasure_log WHERE user_id = :id")
                        .param("id", subject.userId)
                        .query(Long.class)
                        .single())
                .isEqualTo(1L);

        superuser()
                .sql("SELECT audit.seal_pending(1000000, interval '0')")
                .query()
                .listOfRows();
        List<Map<String, Object>> problems = superuser()
                .sql("""
                        SELECT v.* FROM audit.verify_chain() v
                          JOIN audit.audit_log a ON a.id = v.audit_id
                         WHERE a.user_id = :id OR a.record_id = :text""")
                .param("id", subject.userId)
                .param("text", subject.userId.toString())
                .query()
                .listOfRows();
        assertThat(problems).isEmpty();

        Api.Response again = api().post(
                        "/api/v1/auth/register",
                        Map.of(
                                "email",
                                subject.email,
                                "phone",
                                subject.phone,
                                "password",
                                TestAccounts.PASSWORD,
                                "firstName",
                                "Back",
                                "lastName",
                                "Again",
                                "dataProcessingConsent",
                                true));
        assertThat(again.status())
                .as("the same email and phone register again: " + again)
                .isEqualTo(201);
        assertThat(again.text("id")).isNotEqualTo(subject.userId.toString());
    }

    @Test
    void aLegalHoldBlocksErasureWithItsReasonUntilReleased() {
        PrivacyFixture subject = new PrivacyFixture(api(), superuser());
        SignedIn officer = accounts().aSignedInStaffMember("compliance_officer");
        Api.Response hold = api().post(
                        "/api/v1/compliance/legal-holds",
                        Map.of("userId", subject.userId, "reason", "Litigation pending: case 42"),
                        officer.accessToken());
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        UUID request = subject.fileRequest("erasure");

        Api.Response blocked = api().post(
                        "/api/v1/compliance/privacy-requests/" + request + "/erasure", Map.of(), officer.accessToken());
        assertThat(blocked.status()).isEqualTo(409);
        assertThat(blocked.code()).isEqualTo("erasure-blocked");
        assertThat(blocked.raw()).contains("legal_hold").contains("Litigation pending");
        assertThat(superuser()
                        .sql("SELECT deleted_at IS NULL FROM public.users WHERE id = :id")
                        .param("id", subject.userId)
                        .query(Boolean.class)
                        .single())
                .isTrue();

        Api.Response released = api().send(
                        api().request("/api/v1/compliance/legal-holds/" + hold.text("id"), officer.accessToken())
                                .DELETE()
                                .build());
        assertThat(released.status()).as(released.toString()).isEqualTo(204);
        Api.Response erased = api().post(
                        "/api/v1/compliance/privacy-requests/" + request + "/erasure", Map.of(), officer.accessToken());
        assertThat(erased.status()).as(erased.toString()).isEqualTo(200);
    }

    @Test
    void onlyComplianceOfficersErase() {
        PrivacyFixture subject = new PrivacyFixture(api(), superuser());
        UUID request = subject.fileRequest("erasure");

        Api.Response bySubject =
                api().post("/api/v1/compliance/privacy-requests/" + request + "/erasure", Map.of(), subject.token);
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        Api.Response bySupport = api().post(
                        "/api/v1/compliance/privacy-requests/" + request + "/erasure", Map.of(), support.accessToken());

        assertThat(bySubject.status()).isIn(403, 404);
        assertThat(bySupport.status()).isIn(403, 404);
    }

    @Test
    void anErasureLogReplayedAfterARestoreErasesTheSubjectAgain() {
        PrivacyFixture subject = new PrivacyFixture(api(), superuser());
        Map<String, Object> before = superuser()
                .sql("SELECT email, phone, first_name, last_name FROM public.users WHERE id = :id")
                .param("id", subject.userId)
                .query()
                .singleRow();
        UUID request = subject.fileRequest("erasure");
        SignedIn officer = accounts().aSignedInStaffMember("compliance_officer");
        assertThat(api().post(
                                "/api/v1/compliance/privacy-requests/" + request + "/erasure",
                                Map.of(),
                                officer.accessToken())
                        .status())
                .isEqualTo(200);
        String log = superuser()
                .sql("SELECT compliance.erasure_log_export()::text")
                .query(String.class)
                .single();

        // A restore from a backup taken before the erasure brings the account back as it was, without the log.
        superuser()
                .sql("""
                        UPDATE public.users SET email = :email, phone = :phone, first_name = :first, last_name = :last,
                               deleted_at = NULL, is_active = true WHERE id = :id""")
                .param("email", before.get("email"))
                .param("phone", before.get("phone"))
                .param("first", before.get("first_name"))
                .param("last", before.get("last_name"))
                .param("id", subject.userId)
                .update();
        superuser()
                .sql("DELETE FROM compliance.erasure_log WHERE user_id = :id")
                .param("id", subject.userId)
                .update();

        Integer replayed = com.vipride.support.AsRole.query(dataSourceFor("app_backend"), "system_admin", sql -> {
            Integer n = sql.sql("SELECT compliance.replay_erasure_log(CAST(:log AS jsonb))")
                    .param("log", log)
                    .query(Integer.class)
                    .single();
            Map<String, Object> after = sql.sql(
                            "SELECT email, deleted_at IS NOT NULL AS erased FROM public.users WHERE id = :id")
                    .param("id", subject.userId)
                    .query()
                    .singleRow();
            assertThat(after.get("email")).isNotEqualTo(subject.email);
            assertThat(after).containsEntry("erased", true);
            return n;
        });
        assertThat(replayed).isPositive();
    }
}
