package com.vipride.support;

import java.time.Duration;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Seals the audit log on demand, as the service's sealing job would on its next runs. */
public final class AuditChain {

    private static final String ISSUED = """
            SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('audit.audit_log', 'id')::regclass), 0)""";
    private static final String SEALED_THROUGH = "SELECT coalesce(max(sealed_through_id), 0) FROM audit.chain_anchors";
    private static final String SEAL = "SELECT audit.seal_pending(100000, interval '0')";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private AuditChain() {
    }

    /**
     * Seals every audit id issued so far. A sealing run only reaches ids that no running transaction can
     * still commit below, so this takes at least two runs, more while other transactions are open.
     */
    public static long sealEverything(JdbcClient superuser) {
        long issued = superuser.sql(ISSUED).query(Long.class).single();
        Instant deadline = Instant.now().plus(PATIENCE);
        long through;
        while ((through = superuser.sql(SEALED_THROUGH).query(Long.class).single()) < issued) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("audit log sealed only through " + through + " of " + issued);
            }
            superuser.sql(SEAL).query(Integer.class).list();
            pause();
        }
        return through;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
