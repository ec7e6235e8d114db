package com.vipride.vip.crypto;

import java.util.Objects;
import java.util.UUID;

/**
 * Where a ciphertext belongs — table, column and row. It is authenticated with the ciphertext, so a
 * ciphertext copied into another row or column no longer decrypts there.
 */
public record FieldContext(String table, String column, UUID rowId) {

    public FieldContext {
        Objects.requireNonNull(table);
        Objects.requireNonNull(column);
        Objects.requireNonNull(rowId);
    }

    public static FieldContext of(String table, String column, UUID rowId) {
        return new FieldContext(table, column, rowId);
    }

    String encoded() {
        return table + "." + column + "/" + rowId;
    }
}
