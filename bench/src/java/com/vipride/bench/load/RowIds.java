package com.vipride.bench.load;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * The ids the loaders derive from a row's number in SQL ({@code md5('bench-customer:' || i)::uuid}),
 * computed the same way in Java, so a scenario can name a loaded row without reading it back.
 */
public final class RowIds {

    private RowIds() {}

    /** {@code md5(text)::uuid} as PostgreSQL computes it. */
    public static UUID md5Uuid(String text) {
        try {
            byte[] d = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            long msb = 0;
            long lsb = 0;
            for (int i = 0; i < 8; i++) {
                msb = (msb << 8) | (d[i] & 0xff);
                lsb = (lsb << 8) | (d[i + 8] & 0xff);
            }
            return new UUID(msb, lsb);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
