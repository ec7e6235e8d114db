package com.vipride.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.AsRole;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

/** Consent history and enforcement, the breach clock and report, request deadlines, exports. */
class PrivacyOperationsIT extends IntegrationTest {

    @Test
    void consentIsOffByDefaultRecordedAsHistoryAndEnforced() {
        PrivacyFixture subject = new PrivacyFixture(api(), superuser());
        assertThat(hasConsent(subject.userId, "marketing")).isFalse();
        assertThat(hasConsent(subject.userId, "service")).isTrue();

        assertThat(putConsent(subject.token, "marketing", true).statusCode()).isEqualTo(200);
        assertThat(hasConsent(subject.userId, "marketing")).isTrue();
        assertThat(putConsent(subject.token, "marketing", false).statusCode()).isEqualTo(200);
        assertThat(putConsent(subject.token, "analytics", false).statusCode()).isEqualTo(200);
        assertThat(putConsent(subject.token, "service", false).statusCode()).isEqualTo(409);

        Api.Response history = api().get("/api/v1/me/consents/history", subject.token);
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.raw()).contains("registration").contains("\"purpose\":\"marketing\"");
        assertThat(history.body().size()).isEqualTo(4);
        Map<String, Object> enforcement =
                superuser().sql("""
                        SELECT compliance.may_message(:id, 'marketing_offer') AS marketing,
                               compliance.may_message(:id, 'safety_alert') AS safety,
                               compliance.analytics_excluded(:id) AS excluded""").param("id", subject.userId).query().singleRow();
        assertThat(enforcement)
                .containsEntry("marketing", false)
                .containsEntry("safety", true)
                .containsEntry("excluded", true);
    }

    @Test
    void aBreachIsAlertedAt48And72HoursAndItsReportIsGeneratedFromTheRecord() {
        SignedIn officer = accounts().aSignedInStaffMember("compliance_officer");
        PrivacyFixture affected = new PrivacyFixture(api(), superuser());
        Api.Response recorded = api().post(
                        "/api/v1/compliance/breaches",
                        Map.of(
                                "detectedAt",
                                java.time.Instant.now().minusSeconds(73 * 3600).toString(),
                                "nature",
                                "A lost laptop held an export of ride history",
                                "dataCategories",
                                List.of("contact", "location"),
                                "approxSubjects",
                                120,
                                "approxRecords",
                                5400,
                                "likelyConsequences",
                                "Riders' usual trips may be known to a third party",
                                "measures",
                                "Remote wipe; credentials rotated"),
                        officer.accessToken());
        assertThat(recorded.status()).as(recorded.toString()).isEqualTo(201);
        String id = recorded.text("incidentId");
        assertThat(recorded.raw()).contains("regulatorDeadline");
        api().post(
                        "/api/v1/compliance/breaches/" + id + "/subjects",
                        Map.of("userIds", List.of(affected.userId)),
                        officer.accessToken());
        Api.Response told =
                api().post("/api/v1/compliance/breaches/" + id + "/subject-notices", Map.of(), officer.accessToken());
        assertThat(told.raw()).contains("\"notified\":1");

        List<String> alerts = AsRole.query(dataSourceFor("app_backend"), "system_admin", sql -> {
            sql.sql("SELECT compliance.check_breach_clock()")
                    .query(Integer.class)
                    .single();
            return sql.sql("SELECT category FROM monitoring.security_alerts WHERE reference = :id ORDER BY 1")
                    .param("id", id)
                    .query(String.class)
                    .list();
        });
        assertThat(alerts).containsExactly("privacy_breach_48h", "privacy_breach_72h");

        Api.Response markdown =
                api().get("/api/v1/compliance/breaches/" + id + "/report?format=markdown", officer.accessToken());
        assertThat(markdown.status()).isEqualTo(200);
        assertThat(markdown.raw()).contains("# Personal data breach report").contains("A lost laptop");
        assertThat(superuser()
                        .sql(
                                "SELECT count(*) FROM public.notifications WHERE recipient_id = :id AND type = 'privacy_breach_notice'")
                        .param("id", affected.userId)
                        .query(Long.class)
                        .single())
                .isEqualTo(1L);
    }

    @Test
    void aRequestIsDueInAMonthExtendableOnceWithAReasonAndWarnedBeforeItsDeadline() {
        PrivacyFixture subject = new PrivacyFixture(api(), superuser());
        SignedIn officer = accounts().aSignedInStaffMember("compliance_officer");
        UUID request = subject.fileRequest("rectification");
        Api.Response extended = api().post(
                        "/api/v1/compliance/privacy-requests/" + request + "/extension",
                        Map.of("reason", "Complex: records across three systems"),
                        officer.accessToken());
        assertThat(extended.status()).as(extended.toString()).isEqualTo(200);
        assertThat(api().post(
                                "/api/v1/compliance/privacy-requests/" + request + "/extension",
                                Map.of("reason", "again"),
                                officer.accessToken())
                        .code())
                .isEqualTo("request-already-extended");
        Boolean threeMonths = superuser()
                .sql(
                        "SELECT due_at = received_at + interval '1 month' + interval '2 months' FROM compliance.subject_requests WHERE id = :id")
                .param("id", request)
                .query(Boolean.class)
                .single();
        assertThat(threeMonths).isTrue();

        superuser()
                .sql("UPDATE compliance.subject_requests SET due_at = now() + interval '2 days' WHERE id = :id")
                .param("id", request)
                .update();
        List<String> warned = AsRole.query(dataSourceFor("app_backend"), "system_admin", sql -> {
            sql.sql("SELECT compliance.warn_due_requests()")
                    .query(Integer.class)
                    .single();
            return sql.sql("SELECT kind FROM compliance.privacy_alerts WHERE reference = :id")
                    .param("id", request)
                    .query(String.class)
                    .list();
        });
        assertThat(warned).containsExactly("dsr_due_soon");
    }

    @Test
    void theExportHoldsEveryMappedTableWithTheSubjectsRowsAndDownloadsOnce() throws Exception {
        PrivacyFixture subject = new PrivacyFixture(api(), superuser());
        putConsent(subject.token, "marketing", true);
        UUID request = subject.fileRequest("access");
        Api.Response ticket = api().post("/api/v1/me/privacy-requests/" + request + "/export", Map.of(), subject.token);
        assertThat(ticket.status()).as(ticket.toString()).isEqualTo(202);
        // Expected from the data map, not hand-listed: every mapped table where the subject has rows now.
        List<String> holding = tablesHoldingRowsOf(subject.userId);
        jobs().runNow(PrivacyJobs.EXPORTS);

        HttpResponse<byte[]> download = download(ticket.text("downloadPath"), subject.token);
        assertThat(download.statusCode()).isEqualTo(200);
        Set<String> entries = new HashSet<>();
        String usersCsv = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(download.body()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.add(e.getName());
                if (e.getName().equals("tables/public.users.csv")) {
                    usersCsv = new String(zip.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        for (String table : holding) {
            assertThat(entries).as("export of " + table).contains("tables/" + table + ".json");
        }
        assertThat(entries).contains("manifest.json", "consents.json", "tables/public.users.csv");
        String[] lines = usersCsv.split("\r\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).startsWith("id,email,");
        assertThat(lines[1]).startsWith("\"" + subject.userId + "\",\"" + subject.email + "\",");

        assertThat(download(ticket.text("downloadPath"), subject.token).statusCode())
                .as("the link works once")
                .isEqualTo(404);
    }

    @Test
    void anExportRowsCsvLineQuotesEveryValueAndReadsItAsTheRowsJsonDoes() {
        String expression = superuser()
                .sql("SELECT compliance.subject_data_csv(ARRAY['id', 'name', 'tags', 'meta', 'n', 'ok', 'v', 'at'], "
                        + "CAST(ARRAY['text', 'text', 'text[]', 'jsonb', 'int4', 'bool', 'numeric', 'timestamptz'] "
                        + "AS regtype[]))")
                .query(String.class)
                .single();
        String line = superuser()
                .sql("SELECT " + expression + " FROM (SELECT 'a1'::text AS id, 'Ada \"Q\" Obi'::text AS name, "
                        + "ARRAY['x', 'y'] AS tags, '{\"k\": 1}'::jsonb AS meta, NULL::int AS n, true AS ok, "
                        + "1.5::numeric AS v, timestamptz '2026-12-07 10:00:00+00' AS at) s")
                .query(String.class)
                .single();
        assertThat(line)
                .isEqualTo("\"a1\",\"Ada \"\"Q\"\" Obi\",\"[\"\"x\"\",\"\"y\"\"]\",\"{\"\"k\"\": 1}\",,"
                        + "\"true\",\"1.5\",\"2026-12-07T10:00:00+00:00\"");
    }

    private List<String> tablesHoldingRowsOf(UUID user) {
        List<Map<String, Object>> links = superuser().sql("""
                        SELECT table_name, string_agg('(' || subject_filter || ')', ' OR ') AS filter
                          FROM compliance.data_map_tables
                         WHERE subject_filter IS NOT NULL AND erasure NOT IN ('transient', 'derived')
                           AND table_name NOT IN ('compliance.exports', 'compliance.subject_audit_keys', 'vip_data.subject_keys')
                         GROUP BY table_name""").query().listOfRows();
        List<String> holding = new java.util.ArrayList<>();
        for (Map<String, Object> link : links) {
            String filter = ((String) link.get("filter")).replace("$1", "'" + user + "'::uuid");
            Long rows = superuser()
                    .sql("SELECT count(*) FROM " + link.get("table_name") + " WHERE " + filter)
                    .query(Long.class)
                    .single();
            if (rows > 0) {
                holding.add((String) link.get("table_name"));
            }
        }
        return holding;
    }

    private HttpResponse<byte[]> download(String path, String token) throws Exception {
        HttpRequest request = api().request(path, token).GET().build();
        return java.net.http.HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    @org.springframework.beans.factory.annotation.Autowired
    private com.vipride.platform.jobs.Jobs jobsBean;

    private com.vipride.platform.jobs.Jobs jobs() {
        return jobsBean;
    }

    private boolean hasConsent(UUID user, String purpose) {
        return superuser()
                .sql("SELECT compliance.has_consent(:id, :purpose)")
                .param("id", user)
                .param("purpose", purpose)
                .query(Boolean.class)
                .single();
    }

    private HttpResponse<String> putConsent(String token, String purpose, boolean granted) {
        try {
            return java.net.http.HttpClient.newHttpClient()
                    .send(
                            api().request("/api/v1/me/consents/" + purpose, token)
                                    .header("content-type", "application/json")
                                    .PUT(HttpRequest.BodyPublishers.ofString("{\"granted\":" + granted + "}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
