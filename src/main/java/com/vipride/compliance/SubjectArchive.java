package com.vipride.compliance;

import com.vipride.vip.export.SubjectFieldDecryption.OpenedField;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The subject-access archive: per table the subject's rows as JSON (as the database wrote them) and as
 * CSV, the VIP fields decrypted for the subject, the consent history and the manifest (categories,
 * purposes, recipients, retention, what was left out and what was decrypted). Written in one pass; the
 * zip uses fast compression (the archive is text and is downloaded once).
 */
public final class SubjectArchive {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One table's part of the export, as {@code compliance.subject_data_parts} returns it. */
    public record Part(String table, long rows, String rowsJson, String manifestJson) {}

    private SubjectArchive() {}

    public static byte[] write(UUID subject, Instant generatedAt, List<Part> parts, List<OpenedField> decrypted) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            zip.setLevel(Deflater.BEST_SPEED);
            ArrayNode tables = JSON.createArrayNode();
            for (Part part : parts) {
                tables.add(JSON.readTree(part.manifestJson()));
                byte[] rows = part.rowsJson().getBytes(StandardCharsets.UTF_8);
                put(zip, "tables/" + part.table() + ".json", rows);
                zip.putNextEntry(new ZipEntry("tables/" + part.table() + ".csv"));
                csv(rows, zip);
                zip.closeEntry();
                if ("compliance.consent_events".equals(part.table())) {
                    put(zip, "consents.json", rows);
                }
            }
            ArrayNode decryptedKinds = JSON.createArrayNode();
            for (Map.Entry<String, List<OpenedField>> kind : byKind(decrypted).entrySet()) {
                ArrayNode values = JSON.createArrayNode();
                for (OpenedField field : kind.getValue()) {
                    ObjectNode value = values.addObject();
                    value.put("row", field.row() == null ? null : field.row().toString());
                    if (field.json()) {
                        value.set("value", JSON.readTree(field.value()));
                    } else {
                        value.put("value", field.value());
                    }
                }
                put(zip, "vip/" + kind.getKey() + ".json", JSON.writeValueAsBytes(values));
                decryptedKinds
                        .addObject()
                        .put("field", kind.getKey())
                        .put("values", kind.getValue().size())
                        .put("file", "vip/" + kind.getKey() + ".json");
            }
            put(
                    zip,
                    "manifest.json",
                    JSON.writerWithDefaultPrettyPrinter()
                            .writeValueAsBytes(manifest(subject, generatedAt, tables, decryptedKinds)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Map<String, List<OpenedField>> byKind(List<OpenedField> decrypted) {
        Map<String, List<OpenedField>> kinds = new LinkedHashMap<>();
        for (OpenedField field : decrypted) {
            kinds.computeIfAbsent(field.table() + "." + field.column(), k -> new ArrayList<>())
                    .add(field);
        }
        return kinds;
    }

    private static JsonNode manifest(UUID subject, Instant generatedAt, ArrayNode tables, ArrayNode decrypted) {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("subject", subject.toString());
        manifest.put("generatedAt", generatedAt.toString());
        manifest.put(
                "format",
                "One JSON file per table (tables/<schema.table>.json) and the same rows as CSV; VIP fields decrypted"
                        + " for you in vip/<schema.table.column>.json, by row; consents.json is your consent history.");
        manifest.put(
                "vipFields",
                decrypted.isEmpty()
                        ? "No VIP-encrypted fields are held about you."
                        : "Your VIP-encrypted fields are decrypted for you in this archive (listed under"
                                + " \"decrypted\"); each decryption is recorded in the VIP access log. The"
                                + " protection team's security notes are withheld: disclosing them would weaken the"
                                + " measures that protect you.");
        manifest.set("decrypted", decrypted);
        manifest.set("tables", tables);
        return manifest;
    }

    /**
     * Rows as CSV, streamed from the JSON array the database built: one column per field of the first row
     * (every row of a table has the same fields, in the same order), nested values as JSON text.
     */
    static void csv(byte[] rowsJson, OutputStream out) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        try (JsonParser parser = JSON.createParser(rowsJson)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                return;
            }
            boolean header = true;
            List<String> columns = new ArrayList<>();
            List<String> cells = new ArrayList<>();
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                cells.clear();
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    if (header) {
                        columns.add(parser.currentName());
                    }
                    JsonToken value = parser.nextToken();
                    if (value == JsonToken.VALUE_NULL) {
                        cells.add(null);
                    } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                        cells.add(JSON.writeValueAsString(parser.readValueAsTree()));
                    } else {
                        cells.add(parser.getString());
                    }
                }
                if (header) {
                    writer.write(String.join(",", columns));
                    writer.write("\r\n");
                    header = false;
                }
                for (int i = 0; i < cells.size(); i++) {
                    if (i > 0) {
                        writer.write(',');
                    }
                    String cell = cells.get(i);
                    if (cell != null) {
                        writer.write('"');
                        writer.write(cell.indexOf('"') < 0 ? cell : cell.replace("\"", "\"\""));
                        writer.write('"');
                    }
                }
                writer.write("\r\n");
            }
        } finally {
            writer.flush();
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }
}
