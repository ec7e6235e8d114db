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
 * zip uses fast compression (the archive is text and is downloaded once). {@link #write} takes each table
 * as one JSON array; {@link Rows} takes the rows in batches as the database streams them.
 */
public final class SubjectArchive {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Between two rows of a table's JSON array: what PostgreSQL's {@code json_agg} puts there. */
    private static final byte[] ROW_SEPARATOR = ", \n ".getBytes(StandardCharsets.UTF_8);

    /** One table's part of the export, as {@code compliance.subject_data_parts} returns it. */
    public record Part(String table, long rows, String rowsJson, String manifestJson) {}

    private final UUID subject;
    private final Instant generatedAt;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    private final ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8);

    private SubjectArchive(UUID subject, Instant generatedAt) {
        this.subject = subject;
        this.generatedAt = generatedAt;
        zip.setLevel(Deflater.BEST_SPEED);
    }

    public static byte[] write(UUID subject, Instant generatedAt, List<Part> parts, List<OpenedField> decrypted) {
        SubjectArchive archive = new SubjectArchive(subject, generatedAt);
        try {
            List<String> manifests = new ArrayList<>();
            for (Part part : parts) {
                manifests.add(part.manifestJson());
                byte[] rows = part.rowsJson().getBytes(StandardCharsets.UTF_8);
                archive.put("tables/" + part.table() + ".json", rows);
                archive.zip.putNextEntry(new ZipEntry("tables/" + part.table() + ".csv"));
                csv(rows, archive.zip);
                archive.zip.closeEntry();
                if ("compliance.consent_events".equals(part.table())) {
                    archive.put("consents.json", rows);
                }
            }
            return archive.finish(manifests, decrypted);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The archive written batch by batch, table after table (all rows of a table together): each table's
     * JSON entry is written as its rows come (the array {@code json_agg} would have made of them), its CSV is
     * kept until the table ends and then written after it. Not thread-safe: one writer at a time.
     */
    public static final class Rows {

        private final SubjectArchive archive;
        private final ByteArrayOutputStream csv = new ByteArrayOutputStream(1 << 16);
        private String table;
        private CsvRows csvRows;
        private ByteArrayOutputStream consents;

        public Rows(UUID subject, Instant generatedAt) {
            this.archive = new SubjectArchive(subject, generatedAt);
        }

        /** The next rows of a table, each as JSON (one object); a table's rows come together. */
        public void rows(String tableName, List<String> rowsJson) {
            if (rowsJson.isEmpty()) {
                return;
            }
            try {
                boolean first = !tableName.equals(table);
                if (first) {
                    endTable();
                    startTable(tableName);
                }
                // The rows as a JSON array: written without its brackets into the table's entry (the
                // array json_agg makes of them), and read in one pass for the CSV.
                StringBuilder array = new StringBuilder(rowsJson.size() * 256).append('[');
                for (String row : rowsJson) {
                    if (array.length() > 1) {
                        array.append(", \n ");
                    }
                    array.append(row);
                }
                byte[] bytes = array.append(']').toString().getBytes(StandardCharsets.UTF_8);
                if (!first) {
                    archive.zip.write(ROW_SEPARATOR);
                }
                archive.zip.write(bytes, 1, bytes.length - 2);
                if (consents != null) {
                    if (!first) {
                        consents.write(ROW_SEPARATOR);
                    }
                    consents.write(bytes, 1, bytes.length - 2);
                }
                try (JsonParser parser = JSON.createParser(bytes)) {
                    parser.nextToken();
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        csvRows.add(parser);
                    }
                }
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

        private void startTable(String tableName) throws IOException {
            table = tableName;
            csv.reset();
            csvRows = new CsvRows(csv);
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
            csvRows.flush();
            archive.zip.putNextEntry(new ZipEntry("tables/" + table + ".csv"));
            csv.writeTo(archive.zip);
            archive.zip.closeEntry();
            if (consents != null) {
                consents.write(']');
                archive.put("consents.json", consents.toByteArray());
            }
            table = null;
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

    /**
     * Rows as CSV, streamed from the JSON array the database built: one column per field of the first row
     * (every row of a table has the same fields, in the same order), nested values as JSON text.
     */
    static void csv(byte[] rowsJson, OutputStream out) throws IOException {
        CsvRows rows = new CsvRows(out);
        try (JsonParser parser = JSON.createParser(rowsJson)) {
            if (parser.nextToken() == JsonToken.START_ARRAY) {
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    rows.add(parser);
                }
            }
        } finally {
            rows.flush();
        }
    }

    /** CSV lines, one per row object: the header from the first row's fields, every value quoted. */
    private static final class CsvRows {

        private final Writer writer;
        private final List<String> cells = new ArrayList<>();
        private boolean header = true;

        CsvRows(OutputStream out) {
            this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        }

        /** The object the parser is at the start of. */
        void add(JsonParser parser) throws IOException {
            List<String> columns = header ? new ArrayList<>() : null;
            cells.clear();
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                if (columns != null) {
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
            if (columns != null) {
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

        void flush() throws IOException {
            writer.flush();
        }
    }

    private void put(String name, byte[] content) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(content);
        zip.closeEntry();
    }
}
