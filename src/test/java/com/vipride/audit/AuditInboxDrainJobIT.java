package com.vipride.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The drain job moves what the audit triggers captured into audit.audit_log and leaves the inbox empty. */
class AuditInboxDrainJobIT extends IntegrationTest {

    @Autowired
    private AuditInboxDrainJob job;

    @Test
    void theJobMovesCapturedChangesIntoTheAuditLog() {
        UUID rider = accounts().aRegisteredCustomer().id();
        superuser()
                .sql("UPDATE public.users SET last_name = 'Eze' WHERE id = :id")
                .param("id", rider)
                .update();
        assertThat(logged(rider)).as("captured, not yet in the log").isZero();

        job.drainOnSchedule();

        assertThat(logged(rider)).as("the registration and the update").isEqualTo(2);
        assertThat(superuser()
                        .sql("SELECT count(*) FROM audit.audit_inbox")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    private long logged(UUID rider) {
        return superuser()
                .sql("SELECT count(*) FROM audit.audit_log WHERE table_name = 'users' AND record_id = :id")
                .param("id", rider.toString())
                .query(Long.class)
                .single();
    }
}
