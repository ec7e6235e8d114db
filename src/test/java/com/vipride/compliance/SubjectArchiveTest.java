package com.vipride.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.vip.export.SubjectFieldDecryption.OpenedField;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class SubjectArchiveTest {

    private static final String FIRST =
            "{\"id\":\"a1\",\"name\":\"Ada \\\"Q\\\" Obi\",\"tags\":[\"x\",\"y\"],\"meta\":{\"k\": 1},\"n\":null}";
    private static final String SECOND = "{\"id\":\"a2\",\"name\":\"Bo, Li\",\"tags\":[],\"meta\":null,\"n\":3}";
    private static final String THIRD = "{\"id\":\"a3\",\"name\":\"Çé\",\"tags\":null,\"meta\":null,\"n\":4}";
    // The CSV lines the database makes of the same rows (compliance.subject_data_csv).
    private static final String FIRST_LINE =
            "\"a1\",\"Ada \"\"Q\"\" Obi\",\"[\"\"x\"\",\"\"y\"\"]\",\"{\"\"k\"\": 1}\",";
    private static final String SECOND_LINE = "\"a2\",\"Bo, Li\",\"[]\",,\"3\"";
    private static final String THIRD_LINE = "\"a3\",\"Çé\",,,\"4\"";

    @Test
    void rowsStreamedInBatchesMakeTheTablesJsonArrayAndItsCsvUnderAHeaderOfTheFieldNames() throws Exception {
        UUID subject = UUID.randomUUID();
        String consent = "{\"purpose\":\"service\",\"granted\":true}";
        List<String> manifests = List.of(
                "{\"table\":\"compliance.consent_events\",\"rows\":1}", "{\"table\":\"public.users\",\"rows\":3}");

        SubjectArchive.Rows archive = new SubjectArchive.Rows(subject, Instant.parse("2026-12-07T10:00:00Z"));
        archive.rows("compliance.consent_events", List.of(consent), List.of("\"service\",\"true\""));
        archive.rows("public.users", List.of(FIRST, SECOND), List.of(FIRST_LINE, SECOND_LINE));
        archive.rows("public.users", List.of(THIRD), List.of(THIRD_LINE));
        Map<String, String> entries = entries(archive.finish(manifests, List.of()));

        assertThat(entries.get("tables/public.users.json"))
                .as("what json_agg makes of the same rows")
                .isEqualTo("[" + FIRST + ", \n " + SECOND + ", \n " + THIRD + "]");
        assertThat(entries.get("tables/public.users.csv"))
                .isEqualTo(
                        "id,name,tags,meta,n\r\n" + FIRST_LINE + "\r\n" + SECOND_LINE + "\r\n" + THIRD_LINE + "\r\n");
        assertThat(entries.get("consents.json")).isEqualTo("[" + consent + "]");
        assertThat(entries.get("tables/compliance.consent_events.csv"))
                .isEqualTo("purpose,granted\r\n\"service\",\"true\"\r\n");
    }

    @Test
    void theArchiveHoldsTablesDecryptedFieldsAndTheManifest() throws Exception {
        UUID subject = UUID.randomUUID();
        UUID row = UUID.randomUUID();
        SubjectArchive.Rows archive = new SubjectArchive.Rows(subject, Instant.parse("2026-12-07T10:00:00Z"));
        archive.rows("public.users", List.of(FIRST), List.of(FIRST_LINE));
        Map<String, String> entries = entries(archive.finish(
                List.of("{\"table\":\"public.users\",\"rows\":1}"),
                List.of(new OpenedField("vip_data.vip_profiles", "home_address_enc", row, "1 Marina Road", false))));

        assertThat(entries)
                .containsKeys(
                        "tables/public.users.json",
                        "tables/public.users.csv",
                        "vip/vip_data.vip_profiles.home_address_enc.json",
                        "manifest.json");
        assertThat(entries.get("vip/vip_data.vip_profiles.home_address_enc.json"))
                .isEqualTo("[{\"row\":\"" + row + "\",\"value\":\"1 Marina Road\"}]");
        assertThat(entries.get("manifest.json"))
                .contains("\"subject\" : \"" + subject + "\"")
                .contains("\"field\" : \"vip_data.vip_profiles.home_address_enc\"")
                .contains("\"values\" : 1");
    }

    private static Map<String, String> entries(byte[] zip) throws Exception {
        Map<String, String> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }
}
