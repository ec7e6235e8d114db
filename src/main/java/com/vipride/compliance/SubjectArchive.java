package com.vipride.compliance;

import com.vipride.vip.export.SubjectFieldDecryption.OpenedField;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The subject-access archive: per table the subject's rows as JSON and as CSV (both as the database wrote
 * them), the VIP fields decrypted for the subject, the consent history and the manifest (categories,
 * purposes, recipients, retention, what was left out and what was decrypted). Written in one pass, batch
 * by batch as the database streams the rows ({@link Rows}); the zip uses fast compression (the archive is
 * text and is downloaded once).
 */
public final class SubjectArchive {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final UUID subject;
    private final Instant generatedAt;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    private final ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8);

    private SubjectArchive(UUID subject, Instant generatedAt) {
        this.subject = subject;
        this.generatedAt = generatedAt;
        zip.setLevel(Deflater.BEST_SPEED);
    }

    /**
     * The archive written batch by batch, table after table (all rows of a table together): each table's
     * JSON entry is written as its rows come (the array {@code json_agg} would have made of them), its CSV
     * lines are kept until the table ends and then written after it, under a header of the first row's
     * field names. Not thread-safe: one writer at a time.
     */
    public static final class Rows {

        private final SubjectArchive archive;
        private final ByteArrayOutputStream csv = new ByteArrayOutputStream(1 << 16);
        private String table;
        private ByteArrayOutputStream consents;

        public Rows(UUID subject, Instant generatedAt) {
            this.archive = new SubjectArchive(subject, generatedAt);
        }

        /**
         * The next rows of a table, each as JSON (one object) and as its CSV line (without the line end);
         * a table's rows come together.
         */
        public void rows(String tableName, List<String> rowsJson, List<String> csvLines) {
            if (rowsJson.isEmpty()) {
                return;
            }
            try {
                boolean first = !tableName.equals(table);
                if (first) {
                    endTable();
                    startTable(tableName, rowsJson.get(0));
                }
                // The rows as a JSON array without its brackets, separated as json_agg separates them: the
                // table's entry is the array json_agg makes of them.
                StringBuilder array = new StringBuilder(rowsJson.size() * 256);
                for (String row : rowsJson) {
                    if (!array.isEmpty() || !first) {
                        array.append(", \n ");
                    }
                    array.append(row);
                }
                byte[] bytes = array.toString().getBytes(StandardCharsets.UTF_8);
                archive.zip.write(bytes);
                if (consents != null) {
                    consents.write(bytes);
                }
                StringBuilder lines = new StringBuilder(csvLines.size() * 256);
                for (String line : csvLines) {
                    lines.append(line).append("\r\n");
                }
                csv.write(lines.toString().getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Ends the last table and writes the decrypted VIP fields and the manifest (one entry per table, in order). */
        public byte[] finish(List<String> manifests, List<OpenedField> decrypted) {
            try {
                endTable();
                return archive.finish(manifests, decrypted);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void startTable(String tableName, String firstRow) throws IOException {
            table = tableName;
            csv.reset();
            csv.write((String.join(",", fieldNames(firstRow)) + "\r\n").getBytes(StandardCharsets.UTF_8));
            consents = "compliance.consent_events".equals(tableName) ? new ByteArrayOutputStream() : null;
            archive.zip.putNextEntry(new ZipEntry("tables/" + tableName + ".json"));
            archive.zip.write('[');
            if (consents != null) {
                consents.write('[');
            }
        }

        private void endTable() throws IOException {
            if (table == null) {
                return;
            }
            archive.zip.write(']');
            archive.zip.closeEntry();
            archive.zip.putNextEntry(new ZipEntry("tables/" + table + ".csv"));
            csv.writeTo(archive.zip);
            archive.zip.closeEntry();
            if (consents != null) {
                consents.write(']');
                archive.put("consents.json", consents.toByteArray());
            }
            table = null;
        }

        /** The field names of a row's JSON object, in order: the CSV's header. */
        private static List<String> fieldNames(String rowJson) throws IOException {
            List<String> names = new ArrayList<>();
            try (JsonParser parser = JSON.createParser(rowJson)) {
                parser.nextToken();
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    names.add(parser.currentName());
                    parser.nextToken();
                    parser.skipChildren();
                }
            }
            return names;
        }
    }

    private byte[] finish(List<String> manifests, List<OpenedField> decrypted) throws IOException {
        ArrayNode tables = JSON.createArrayNode();
        for (String manifest : manifests) {
            tables.add(JSON.readTree(manifest));
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
            put("vip/" + kind.getKey() + ".json", JSON.writeValueAsBytes(values));
            decryptedKinds
                    .addObject()
                    .put("field", kind.getKey())
                    .put("values", kind.getValue().size())
                    .put("file", "vip/" + kind.getKey() + ".json");
        }
        put(
                "manifest.json",
                JSON.writerWithDefaultPrettyPrinter()
                        .writeValueAsBytes(manifest(subject, generatedAt, tables, decryptedKinds)));
        zip.close();
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

    private void put(String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }
}
