package com.vipride.compliance;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds subject-access archives: every row the data map finds about the subject, one JSON file per
 * table (and CSV for the tabular ones), the manifest (categories, purposes, recipients, retention) and
 * the consent history, zipped and stored for a one-time download.
 */
@Service
class SubjectExports {

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Duration ttl;

    SubjectExports(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            @Value("${vipride.compliance.export-ttl:P7D}") Duration ttl) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.ttl = ttl;
    }

    /** Builds every pending export, one transaction each; returns how many were built. */
    long buildPending() {
        long built = 0;
        while (true) {
            Boolean did = transactions.execute(status -> buildOne());
            if (!Boolean.TRUE.equals(did)) {
                return built;
            }
            built++;
        }
    }

    private boolean buildOne() {
        List<Map<String, Object>> pending = jdbc.sql("SELECT export_id, user_id FROM compliance.pending_exports(1)")
                .query()
                .listOfRows();
        if (pending.isEmpty()) {
            return false;
        }
        UUID exportId = (UUID) pending.get(0).get("export_id");
        UUID userId = (UUID) pending.get(0).get("user_id");
        String data = jdbc.sql("SELECT compliance.subject_data(:user)::text")
                .param("user", userId)
                .query(String.class)
                .single();
        byte[] archive = zip(JSON.readTree(data));
        jdbc.sql("SELECT 1 FROM compliance.store_export(:id, :archive, CAST(:ttl AS interval))")
                .param("id", exportId)
                .param("archive", archive)
                .param("ttl", ttl.toSeconds() + " seconds")
                .query(Integer.class)
                .single();
        return true;
    }

    static byte[] zip(JsonNode data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            put(zip, "manifest.json", JSON.writeValueAsBytes(manifest(data)));
            put(zip, "consents.json", JSON.writeValueAsBytes(data.path("consents")));
            for (Map.Entry<String, JsonNode> table : data.path("tables").properties()) {
                put(zip, "tables/" + table.getKey() + ".json", JSON.writeValueAsBytes(table.getValue()));
                put(
                        zip,
                        "tables/" + table.getKey() + ".csv",
                        csv(table.getValue()).getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static JsonNode manifest(JsonNode data) {
        var manifest = JSON.createObjectNode();
        manifest.put("subject", data.path("subject").asString());
        manifest.put("generatedAt", data.path("generatedAt").asString());
        manifest.put("format", "One JSON file per table (tables/<schema.table>.json) and the same rows as CSV.");
        manifest.put(
                "vipFields",
                "VIP-encrypted fields (address, contacts, medical and security notes, positions) are left out of this"
                        + " archive; they are shown to the VIP through GET /api/v1/vip/me, where every read is logged.");
        manifest.set("tables", data.path("manifest"));
        return manifest;
    }

    /** Rows as CSV: one column per top-level field, nested values as JSON text. */
    static String csv(JsonNode rows) {
        Set<String> columns = new LinkedHashSet<>();
        rows.forEach(row -> row.propertyNames().forEach(columns::add));
        StringBuilder out = new StringBuilder(String.join(",", columns)).append("\r\n");
        for (JsonNode row : rows) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                JsonNode value = row.get(column);
                String text = value == null || value.isNull()
                        ? ""
                        : value.isValueNode() ? value.asString() : value.toString();
                cells.add('"' + text.replace("\"", "\"\"") + '"');
            }
            out.append(String.join(",", cells)).append("\r\n");
        }
        return out.toString();
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }
}
