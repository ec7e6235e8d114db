package com.vipride.fleet;

import com.vipride.fleet.FleetRecords.StoredDocument;
import com.vipride.fleet.FleetViews.DocumentView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Documents of drivers and vehicles: the row (with the file's SHA-256) under the caller's row-level
 * security, the file in the {@link DocumentStore}. The row is written first, so a refused request
 * stores no file; a file stored for a transaction that then rolls back is deleted again.
 */
@Service
class Documents {

    enum Kind {
        driver_licence(true),
        background_check(true),
        insurance(false),
        vehicle_registration(false);

        private final boolean ofDriver;

        Kind(boolean ofDriver) {
            this.ofDriver = ofDriver;
        }
    }

    record Upload(Kind kind, String number, String issuer, LocalDate expiresOn, String contentType, byte[] content) {}

    private static final String INSERT = """
            INSERT INTO public.fleet_documents (driver_id, vehicle_id, kind, document_number, issuer, expires_on,
                                                storage_key, content_type, size_bytes, sha256, uploaded_by)
            VALUES (:driver, :vehicle, :kind, :number, :issuer, :expires, :key, :type, :size, :sha256,
                    public.current_app_user_id())
            RETURNING id""";

    private final JdbcClient jdbc;
    private final DocumentStore store;
    private final FleetProperties.Documents settings;
    private final FleetRecords records;

    Documents(JdbcClient jdbc, DocumentStore store, FleetProperties properties, FleetRecords records) {
        this.jdbc = jdbc;
        this.store = store;
        this.settings = properties.documents();
        this.records = records;
    }

    /** Records a document of a driver (vehicle null) or a vehicle (driver null) the caller can already see. */
    DocumentView record(UUID driver, UUID vehicle, Upload upload) {
        check(upload);
        if (upload.kind().ofDriver != (driver != null)) {
            throw com.vipride.platform.web.InvalidRequest.of(
                    "document-kind-mismatch",
                    "A " + upload.kind() + " belongs to a " + (upload.kind().ofDriver ? "driver" : "vehicle") + ".");
        }
        byte[] sha256 = sha256(upload.content());
        UUID id = UUID.randomUUID();
        String key = HexFormat.of().toHexDigits((byte) id.getLeastSignificantBits()) + "/" + id;
        UUID document = jdbc.sql(INSERT)
                .param("driver", driver)
                .param("vehicle", vehicle)
                .param("kind", upload.kind().name())
                .param("number", upload.number().strip())
                .param("issuer", upload.issuer().strip())
                .param("expires", upload.expiresOn())
                .param("key", key)
                .param("type", upload.contentType())
                .param("size", upload.content().length)
                .param("sha256", sha256)
                .query(UUID.class)
                .single();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status != STATUS_COMMITTED) {
                    try {
                        store.delete(key);
                    } catch (IOException ignored) {
                        // An orphaned file references no row; nothing reads it.
                    }
                }
            }
        });
        try {
            store.put(key, upload.content());
        } catch (IOException e) {
            throw new UncheckedIOException("could not store document " + document, e);
        }
        return records.document(document).orElseThrow().view();
    }

    /** The file of a document the caller can see, checked against the SHA-256 the database holds. */
    byte[] file(StoredDocument document) {
        byte[] content;
        try {
            content = store.get(document.storageKey());
        } catch (IOException e) {
            throw new UncheckedIOException("document " + document.view().id() + " is missing from the store", e);
        }
        if (!HexFormat.of().formatHex(sha256(content)).equals(document.view().sha256())) {
            throw new IllegalStateException("document " + document.view().id() + " does not match its checksum");
        }
        return content;
    }

    private void check(Upload upload) {
        if (upload.content().length == 0) {
            throw FleetProblem.emptyDocument();
        }
        if (upload.content().length > settings.maxSize().toBytes()) {
            throw FleetProblem.documentTooLarge(settings.maxSize().toBytes());
        }
        if (!settings.allowedTypes().contains(upload.contentType())
                || !looksLike(upload.contentType(), upload.content())) {
            throw FleetProblem.unsupportedDocumentType(upload.contentType(), settings.allowedTypes());
        }
    }

    /** The file's first bytes are those of its declared type. */
    private static boolean looksLike(String type, byte[] content) {
        return switch (type) {
            case "application/pdf" -> startsWith(content, new byte[] {'%', 'P', 'D', 'F', '-'});
            case "image/png" -> startsWith(content, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            case "image/jpeg" -> startsWith(content, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff});
            default -> true;
        };
    }

    private static boolean startsWith(byte[] content, byte[] magic) {
        return content.length >= magic.length && Arrays.equals(content, 0, magic.length, magic, 0, magic.length);
    }

    private static byte[] sha256(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
