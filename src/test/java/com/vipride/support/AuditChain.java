package com.vipride.support;

import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Drains and seals the audit log on demand, as the service's jobs would on their next runs. */
public final class AuditChain {

    private static final String ISSUED = """
            SELECT coalesce(pg_sequence_last_value(pg_get_serial_sequence('audit.audit_log', 'id')::regclass), 0)""";
    private static final String SEALED_THROUGH = "SELECT coalesce(max(sealed_through_id), 0) FROM audit.chain_anchors";
    private static final String SEAL = "SELECT audit.seal_pending(100000, interval '0')";
    private static final String DRAIN = "SELECT audit.drain_inbox(100000)";
    private static final String CAPTURED = "SELECT count(*) FROM audit.audit_inbox";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private AuditChain() {}

    /**
     * Seals every audit id issued so far. A sealing run only reaches ids that no running transaction can
     * still commit below, so this takes at least two runs, more while other transactions are open.
     */
    public static long sealEverything(JdbcClient superuser) {
        drain(superuser);
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

    /**
     * Moves every committed change the audit triggers captured into audit.audit_log, as the drain job
     * does every second; waits while another caller holds the drain.
     */
    public static void drain(JdbcClient superuser) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (superuser.sql(DRAIN).query(Integer.class).list().get(0) == null
                || superuser.sql(CAPTURED).query(Long.class).single() > 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the audit inbox did not drain");
            }
            pause();
        }
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
