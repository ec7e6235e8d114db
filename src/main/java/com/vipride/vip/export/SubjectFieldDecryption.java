package com.vipride.vip.export;

import java.util.List;
import java.util.UUID;

/**
 * Decrypts a VIP's own protected fields for the archive of their own subject-access request. Only
 * envelopes made under the subject's key are opened (any other envelope refuses the whole batch); every
 * kind of field (table and column) is recorded through {@link AccessLog} before any plaintext of it is
 * returned, in the caller's transaction, so the archive cannot hold a value whose decryption was not
 * logged. Plaintexts are never logged.
 */
public interface SubjectFieldDecryption {

    /** Decrypts the envelopes, all of which must belong to {@code subject}. */
    List<OpenedField> decryptForOwnExport(UUID subject, List<byte[]> envelopes, AccessLog log);

    /** Records one kind of decrypted field in the VIP access log (the caller knows the actor and purpose). */
    @FunctionalInterface
    interface AccessLog {
        void record(String table, String column, int count);
    }

    /**
     * One decrypted field: where it was stored and its value, as JSON text ({@code json}: an object or
     * array — positions, routes, contacts, preferences) or plain text.
     */
    record OpenedField(String table, String column, UUID row, String value, boolean json) {}
}
