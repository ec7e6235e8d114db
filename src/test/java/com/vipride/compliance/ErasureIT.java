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
        UUID incident = leaveTracesAcrossTheService(subject);
        subject.drainAudit();
        assertThat(subject.placesHolding(subject.email))
                .as("before erasure the email is in the account, the invitation, the delivery log")
                .contains(
                        "public.users.email",
                        "public.fleet_driver_invitations.email",
                        "public.notification_delivery_log.error");
        assertThat(subject.placesHolding(subject.lastName))
                .as("before erasure the name is in the stream and the incident")
                .contains("public.stream_events.payload", "public.safety_incident_events.note");
        Map<String, Object> exported = com.vipride.support.AsRole.query(
                dataSourceFor("app_backend"),
                "compliance_officer",
                sql -> sql.sql("SELECT compliance.subject_data(:id)::text AS data")
                        .param("id", subject.userId)
                        .query()
                        .singleRow());
        assertThat(String.valueOf(exported.get("data")))
                .as("the export holds the subject's rows of every capability")
                .contains(
                        "\"public.fleet_driver_invitations\"",
                        "\"public.login_attempts\"",
                        "\"public.notification_outbox\"",
                        "\"public.notification_delivery_log\"",
                        "\"public.stream_events\"",
                        "\"public.safety_incidents\"",
                        "\"public.safety_incident_events\"");

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
        Map<String, Object> left = superuser()
                .sql("""
                        SELECT (SELECT count(*) FROM public.login_attempts
                                 WHERE email_hash = public.login_email_hash(:email)) AS attempts,
                               (SELECT count(*) FROM public.notification_outbox WHERE recipient_id = :id) AS outbox,
                               (SELECT count(*) FROM public.stream_events
                                 WHERE recipient_id = :id OR strpos(payload::text, CAST(:id AS text)) > 0) AS events,
                               (SELECT count(*) FROM public.fleet_driver_invitations WHERE email = :email) AS invitations,
                               (SELECT count(*) FROM public.safety_incidents WHERE id = :incident) AS incidents,
                               (SELECT count(*) FROM public.safety_incident_events
                                 WHERE incident_id = :incident AND note IS NOT NULL) AS notes""")
                .param("email", subject.email)
                .param("id", subject.userId)
                .param("incident", incident)
                .query()
                .singleRow();
        assertThat(left)
                .as("sign-in attempts, deliveries and stream events are deleted; the invitation loses the address; "
                        + "the incident stays for legal claims without what the subject wrote")
                .containsEntry("attempts", 0L)
                .containsEntry("outbox", 0L)
                .containsEntry("events", 0L)
                .containsEntry("invitations", 0L)
                .containsEntry("incidents", 1L)
                .containsEntry("notes", 1L);
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

    /**
     * The subject's rows in other capabilities: a fleet's driver invitation to their address (with its
     * notification, outbox and stream event), a failed sign-in, a failed delivery naming the address, a
     * control-centre event naming them, and a safety incident they raised with a note in their words.
     */
    private UUID leaveTracesAcrossTheService(PrivacyFixture subject) {
        SignedIn systemAdmin = accounts().aSignedInStaffMember("system_admin");
        TestAccounts.Registered applicant = accounts().aRegisteredCustomer();
        String n = UUID.randomUUID().toString().substring(0, 8);
        Api.Response fleet = api().post(
                        "/api/v1/fleets",
                        Map.of(
                                "name", "Erasure Fleet " + n,
                                "registrationNumber", "RC-E" + n,
                                "contactEmail", "ops-" + n + "@erasure.example",
                                "contactPhone", TestAccounts.uniquePhone(),
                                "operatingCities", List.of("lagos")),
                        accounts().signIn(applicant).accessToken());
        assertThat(fleet.status()).as(fleet.toString()).isEqualTo(201);
        assertThat(api().post(
                                "/api/v1/fleets/" + fleet.text("id") + "/verification",
                                Map.of("approve", true, "reason", "Checked"),
                                systemAdmin.accessToken())
                        .status())
                .isEqualTo(200);
        Api.Response invited = api().post(
                        "/api/v1/fleets/" + fleet.text("id") + "/driver-invitations",
                        Map.of("email", subject.email),
                        accounts().signIn(applicant).accessToken());
        assertThat(invited.status()).as(invited.toString()).isEqualTo(201);

        Api.Response wrongPassword =
                api().post("/api/v1/auth/login", Map.of("email", subject.email, "password", "not-the-password-1"));
        assertThat(wrongPassword.status()).as(wrongPassword.toString()).isEqualTo(401);

        Long outbox = superuser()
                .sql("SELECT count(*) FROM public.notification_outbox WHERE recipient_id = :id")
                .param("id", subject.userId)
                .query(Long.class)
                .single();
        assertThat(outbox).as("the invitation is delivered to the invitee").isPositive();
        superuser()
                .sql("""
                        UPDATE public.notification_outbox SET last_error = 'sms to ' || :phone || ' bounced'
                         WHERE recipient_id = :id""")
                .param("phone", subject.phone)
                .param("id", subject.userId)
                .update();
        superuser()
                .sql("""
                        INSERT INTO public.notification_delivery_log (outbox_id, attempt, outcome, error, duration_ms, instance)
                        SELECT o.id, 1, 'failed', 'mailbox ' || :email || ' unavailable', 12, 'erasure-test'
                          FROM public.notification_outbox o WHERE o.recipient_id = :id""")
                .param("email", subject.email)
                .param("id", subject.userId)
                .update();
        superuser()
                .sql("""
                        INSERT INTO public.stream_events (recipient_id, audience, kind, payload) VALUES
                            (:id, NULL, 'notification', jsonb_build_object('title', 'Hello ' || :first || ' ' || :last)),
                            (NULL, 'control_centre', 'alert', jsonb_build_object('userId', CAST(:id AS uuid), 'name', :last))""")
                .param("id", subject.userId)
                .param("first", subject.firstName)
                .param("last", subject.lastName)
                .update();

        UUID incident = superuser()
                .sql("""
                        INSERT INTO public.safety_incidents (ride_id, ride_requested_at, rider_id, raised_by, raised_as,
                                                             status, acknowledge_due_at, access_expires_at,
                                                             acknowledged_at, resolved_at, outcome)
                        VALUES (gen_random_uuid(), now(), :id, :id, 'rider', 'resolved', now() + interval '2 minutes',
                                now() + interval '4 hours', now(), now(), 'false_alarm')
                        RETURNING id""")
                .param("id", subject.userId)
                .query(UUID.class)
                .single();
        superuser()
                .sql("""
                        INSERT INTO public.safety_incident_events (incident_id, actor_id, kind, note) VALUES
                            (:incident, :id, 'opened', 'I am ' || :first || ' ' || :last || ', call me on ' || :phone),
                            (:incident, NULL, 'resolved', 'Rider confirmed safe by phone.')""")
                .param("incident", incident)
                .param("id", subject.userId)
                .param("first", subject.firstName)
                .param("last", subject.lastName)
                .param("phone", subject.phone)
                .update();
        return incident;
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
