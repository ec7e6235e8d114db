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
}
