package com.vipride.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.platform.jobs.Jobs;
import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.Registered;
import com.vipride.support.TestAccounts.SignedIn;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A VIP's export holds their encrypted fields decrypted for them, each kind of field logged in the VIP
 * access log with the requester as actor (the VIP, or the officer acting for them); security notes are
 * withheld; a non-VIP's export has nothing decrypted and leaves no VIP access entry.
 */
class VipExportIT extends IntegrationTest {

    private static final String ADDRESS = "27 Glover Road, Ikoyi " + UUID.randomUUID();
    private static final String MEDICAL = "Asthmatic, carries an inhaler";
    private static final String SECURITY = "Never the same route twice";

    @Autowired
    private Jobs jobs;

    @Test
    void aVipsOwnExportHoldsTheirDecryptedFieldsEachKindLoggedOnce() throws Exception {
        SignedIn vip = aVip();
        Api.Response positions =
                api().post("/api/v1/vip/locations/batch", Map.of("points", points(3)), vip.accessToken());
        assertThat(positions.status()).as(positions.toString()).isEqualTo(201);
        Api.Response filed = api().post("/api/v1/me/privacy-requests", Map.of("type", "access"), vip.accessToken());
        assertThat(filed.status()).as(filed.toString()).isEqualTo(201);
        Api.Response ticket =
                api().post("/api/v1/me/privacy-requests/" + filed.text("id") + "/export", Map.of(), vip.accessToken());
        assertThat(ticket.status()).as(ticket.toString()).isEqualTo(202);
        jobs.runNow(PrivacyJobs.EXPORTS);

        Map<String, String> archive = download(ticket.text("downloadPath"), vip.accessToken());
        assertThat(archive.get("vip/vip_data.vip_profiles.home_address_enc.json"))
                .contains(ADDRESS);
        assertThat(archive.get("vip/vip_data.vip_profiles.medical_notes_enc.json"))
                .contains(MEDICAL);
        assertThat(archive.get("vip/vip_data.vip_profiles.emergency_contacts_enc.json"))
                .contains("Amaka Obi");
        assertThat(archive.get("vip/vip_data.vip_profiles.preferences_enc.json"))
                .contains("jazz");
        assertThat(archive.get("vip/vip_data.vip_location_history.encrypted_coordinates.json"))
                .contains("\"lat\":6.5244");
        assertThat(archive.keySet()).doesNotContain("vip/vip_data.vip_profiles.security_notes_enc.json");
        assertThat(String.join("\n", archive.values()))
                .as("security notes are withheld")
                .doesNotContain(SECURITY);
        assertThat(archive.get("manifest.json"))
                .contains("\"field\" : \"vip_data.vip_profiles.home_address_enc\"")
                .contains("\"field\" : \"vip_data.vip_location_history.encrypted_coordinates\"");

        List<Map<String, Object>> log = exportAccesses(vip.id());
        assertThat(log)
                .extracting(row -> row.get("data_accessed"))
                .containsExactlyInAnyOrder(
                        "vip_data.vip_location_history:encrypted_coordinates (3, subject-access export)",
                        "vip_data.vip_profiles:emergency_contacts_enc (1, subject-access export)",
                        "vip_data.vip_profiles:home_address_enc (1, subject-access export)",
                        "vip_data.vip_profiles:medical_notes_enc (1, subject-access export)",
                        "vip_data.vip_profiles:preferences_enc (1, subject-access export)");
        assertThat(log).allSatisfy(row -> {
            assertThat(row).containsEntry("accessor_user_id", vip.id()).containsEntry("accessor_role", "customer_user");
            assertThat((String) row.get("purpose")).contains(filed.text("id"));
        });
        assertThat(log.toString())
                .as("no value is logged")
                .doesNotContain(ADDRESS)
                .doesNotContain(MEDICAL);
    }

    @Test
    void anOfficersExportForAVipIsLoggedWithTheOfficerAsActor() throws Exception {
        SignedIn vip = aVip();
        SignedIn officer = accounts().aSignedInStaffMember("compliance_officer");
        Api.Response filed = api().post(
                        "/api/v1/compliance/privacy-requests",
                        Map.of("userId", vip.id(), "type", "access"),
                        officer.accessToken());
        assertThat(filed.status()).as(filed.toString()).isEqualTo(201);
        String request = filed.text("id");
        assertThat(api().post(
                                "/api/v1/compliance/privacy-requests/" + request + "/identity-verification",
                                Map.of("method", "passport checked in person"),
                                officer.accessToken())
                        .status())
                .isEqualTo(200);
        Api.Response ticket = api().post(
                        "/api/v1/compliance/privacy-requests/" + request + "/export", Map.of(), officer.accessToken());
        assertThat(ticket.status()).as(ticket.toString()).isEqualTo(202);
        jobs.runNow(PrivacyJobs.EXPORTS);

        List<Map<String, Object>> log = exportAccesses(vip.id());
        assertThat(log).hasSize(4);
        assertThat(log)
                .allSatisfy(row -> assertThat(row)
                        .containsEntry("accessor_user_id", officer.id())
                        .containsEntry("accessor_role", "compliance_officer"));
        Map<String, String> archive = download(ticket.text("downloadPath"), vip.accessToken());
        assertThat(archive.get("vip/vip_data.vip_profiles.home_address_enc.json"))
                .as("the archive is the subject's, downloaded by the subject")
                .contains(ADDRESS);
    }

    @Test
    void aNonVipExportDecryptsNothingAndLogsNoVipAccess() throws Exception {
        PrivacyFixture subject = new PrivacyFixture(api(), superuser());
        UUID request = subject.fileRequest("access");
        Api.Response ticket = api().post("/api/v1/me/privacy-requests/" + request + "/export", Map.of(), subject.token);
        assertThat(ticket.status()).as(ticket.toString()).isEqualTo(202);
        jobs.runNow(PrivacyJobs.EXPORTS);

        Map<String, String> archive = download(ticket.text("downloadPath"), subject.token);
        assertThat(archive.keySet()).noneMatch(name -> name.startsWith("vip/"));
        assertThat(archive.get("manifest.json"))
                .contains("\"decrypted\" : [ ]")
                .contains("No VIP-encrypted fields are held about you.");
        assertThat(archive.get("tables/public.users.json")).contains(subject.email);
        assertThat(exportAccesses(subject.userId)).isEmpty();
    }

    private SignedIn aVip() {
        SignedIn admin = accounts().aSignedInStaffMember("vip_admin");
        SignedIn customer = accounts().aSignedInCustomer();
        Map<String, Object> profile = new HashMap<>();
        profile.put("userId", customer.id());
        profile.put("priorityLevel", 3);
        profile.put("clearanceLevel", "government");
        profile.put("threatLevel", "medium");
        profile.put("requiresSecurityEscort", false);
        profile.put("homeAddress", ADDRESS);
        profile.put(
                "emergencyContacts",
                List.of(Map.of("name", "Amaka Obi", "phone", "+2348091234500", "relation", "sister")));
        profile.put("medicalNotes", MEDICAL);
        profile.put("preferences", Map.of("music", "jazz"));
        profile.put("securityNotes", SECURITY);
        Api.Response created = api().post("/api/v1/vip/profiles", profile, admin.accessToken());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return accounts().signIn(new Registered(customer.id(), customer.email()));
    }

    private static List<Map<String, Object>> points(int count) {
        List<Map<String, Object>> points = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < count; i++) {
            points.add(Map.of(
                    "lat",
                    6.5244,
                    "lng",
                    3.3792 + i * 0.0001,
                    "recordedAt",
                    now.minusSeconds(60 - i).toString()));
        }
        return points;
    }

    private List<Map<String, Object>> exportAccesses(UUID vip) {
        return superuser().sql("""
                        SELECT accessor_user_id, accessor_role, data_accessed, purpose FROM audit.vip_access_log
                         WHERE vip_user_id = :vip AND data_accessed LIKE '%subject-access export%' ORDER BY id""").param("vip", vip).query().listOfRows();
    }

    private Map<String, String> download(String path, String token) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient()
                .send(api().request(path, token).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        Map<String, String> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(response.body()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }
}
