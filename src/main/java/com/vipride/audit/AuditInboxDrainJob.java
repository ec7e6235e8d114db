package com.vipride.audit;

import com.vipride.platform.security.SystemJobs;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves the changes the audit triggers captured ({@code audit.audit_inbox}) into {@code audit.audit_log}
 * every {@code vipride.audit.drain-interval}, a batch per short transaction until the inbox is empty.
 * Every instance runs it; {@code audit.drain_inbox} lets one drain at a time. It acts as the system.
 */
@Component
@ConditionalOnBooleanProperty(name = "vipride.audit.sealing-enabled", matchIfMissing = true)
class AuditInboxDrainJob {

    private static final Logger log = LoggerFactory.getLogger(AuditInboxDrainJob.class);

    private final AuditSeals seals;
    private final AuditProperties properties;
    private final TransactionTemplate transactions;

    AuditInboxDrainJob(AuditSeals seals, AuditProperties properties, PlatformTransactionManager transactionManager) {
        this.seals = seals;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @Scheduled(fixedDelayString = "${vipride.audit.drain-interval:" + AuditProperties.DEFAULT_DRAIN_INTERVAL + "}")
    void drainOnSchedule() {
        try {
            int moved = SystemJobs.run("audit-drain", this::drain);
            if (moved > 0) {
                log.debug("Moved {} captured changes into the audit log", moved);
            }
        } catch (RuntimeException e) {
            log.warn("Draining the audit inbox failed; the next run retries: {}", e.getMessage(), e);
        }
    }

    /** Drains until a batch comes back short (or another caller holds the drain); returns the inbox rows moved. */
    private int drain() {
        int total = 0;
        while (true) {
            Optional<Integer> moved = transactions.execute(status -> seals.drainInbox(properties.drainBatchSize()));
            if (moved == null || moved.isEmpty()) {
                return total;
            }
            total += moved.get();
            if (moved.get() < properties.drainBatchSize()) {
                return total;
            }
        }
    }
}
