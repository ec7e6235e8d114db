package com.vipride.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.vip.export.SubjectFieldDecryption.OpenedField;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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

    private static final String ROWS = """
            [{"id":"a1","name":"Ada \\"Q\\" Obi","tags":["x","y"],"meta":{"k":1},"n":null,"ok":true,"v":1.5},
             {"id":"a2","name":"Bo, Li","tags":[],"meta":null,"n":3,"ok":false,"v":2}]""";

    @Test
    void csvHasOneColumnPerFieldNestedValuesAsJsonAndQuotesDoubled() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SubjectArchive.csv(ROWS.getBytes(StandardCharsets.UTF_8), out);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("id,name,tags,meta,n,ok,v\r\n"
                        + "\"a1\",\"Ada \"\"Q\"\" Obi\",\"[\"\"x\"\",\"\"y\"\"]\",\"{\"\"k\"\":1}\",,\"true\",\"1.5\"\r\n"
                        + "\"a2\",\"Bo, Li\",\"[]\",,\"3\",\"false\",\"2\"\r\n");
    }

    @Test
    void theArchiveHoldsTablesDecryptedFieldsAndTheManifest() throws Exception {
        UUID subject = UUID.randomUUID();
        UUID row = UUID.randomUUID();
        byte[] zip = SubjectArchive.write(
                subject,
                Instant.parse("2026-12-07T10:00:00Z"),
                List.of(new SubjectArchive.Part("public.users", 2, ROWS, "{\"table\":\"public.users\",\"rows\":2}")),
                List.of(new OpenedField("vip_data.vip_profiles", "home_address_enc", row, "1 Marina Road", false)));
        Map<String, String> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(entries)
                .containsKeys(
                        "tables/public.users.json",
                        "tables/public.users.csv",
                        "vip/vip_data.vip_profiles.home_address_enc.json",
                        "manifest.json");
        assertThat(entries.get("tables/public.users.json")).isEqualTo(ROWS);
        assertThat(entries.get("vip/vip_data.vip_profiles.home_address_enc.json"))
                .isEqualTo("[{\"row\":\"" + row + "\",\"value\":\"1 Marina Road\"}]");
        assertThat(entries.get("manifest.json"))
                .contains("\"subject\" : \"" + subject + "\"")
                .contains("\"field\" : \"vip_data.vip_profiles.home_address_enc\"")
                .contains("\"values\" : 1");
    }

    @Test
    void rowsStreamedInBatchesMakeTheSameFilesAsTheWholeArrays() throws Exception {
        UUID subject = UUID.randomUUID();
        Instant at = Instant.parse("2026-12-07T10:00:00Z");
        String first =
                "{\"id\":\"a1\",\"name\":\"Ada \\\"Q\\\" Obi\",\"tags\":[\"x\",\"y\"],\"meta\":{\"k\": 1},\"n\":null}";
        String second = "{\"id\":\"a2\",\"name\":\"Bo, Li\",\"tags\":[],\"meta\":null,\"n\":3}";
        String third = "{\"id\":\"a3\",\"name\":\"Çé\",\"tags\":null,\"meta\":null,\"n\":4}";
        String consent = "{\"purpose\":\"service\",\"granted\":true}";
        // What json_agg makes of the same rows: the whole-array form the database returns to subject_data_parts.
        String users = "[" + first + ", \n " + second + ", \n " + third + "]";
        String consents = "[" + consent + "]";
        List<String> manifests = List.of(
                "{\"table\":\"compliance.consent_events\",\"rows\":1}", "{\"table\":\"public.users\",\"rows\":3}");

        SubjectArchive.Rows streamed = new SubjectArchive.Rows(subject, at);
        streamed.rows("compliance.consent_events", List.of(consent));
        streamed.rows("public.users", List.of(first, second));
        streamed.rows("public.users", List.of(third));
        Map<String, String> fromRows = entries(streamed.finish(manifests, List.of()));
        Map<String, String> fromArrays = entries(SubjectArchive.write(
                subject,
                at,
                List.of(
                        new SubjectArchive.Part("compliance.consent_events", 1, consents, manifests.get(0)),
                        new SubjectArchive.Part("public.users", 3, users, manifests.get(1))),
                List.of()));

        assertThat(fromRows).isEqualTo(fromArrays);
        assertThat(fromRows.get("tables/public.users.json")).isEqualTo(users);
        assertThat(fromRows.get("consents.json")).isEqualTo(consents);
        assertThat(fromRows.get("tables/public.users.csv"))
                .isEqualTo("id,name,tags,meta,n\r\n"
                        + "\"a1\",\"Ada \"\"Q\"\" Obi\",\"[\"\"x\"\",\"\"y\"\"]\",\"{\"\"k\"\":1}\",\r\n"
                        + "\"a2\",\"Bo, Li\",\"[]\",,\"3\"\r\n"
                        + "\"a3\",\"Çé\",,,\"4\"\r\n");
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
