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
 * Seals new audit rows into the hash chain, once at start and then every {@code vipride.audit.seal-interval}.
 * Every service instance runs it; {@code audit.seal_pending} takes a transaction-scoped advisory lock, so
 * exactly one instance seals at a time and the others skip the run. It acts as the system (system_admin).
 */
@Component
@ConditionalOnBooleanProperty(name = "vipride.audit.sealing-enabled", matchIfMissing = true)
class AuditSealingJob {

    private static final Logger log = LoggerFactory.getLogger(AuditSealingJob.class);

    private final AuditSeals seals;
    private final AuditProperties properties;
    private final TransactionTemplate transactions;

    AuditSealingJob(AuditSeals seals, AuditProperties properties, PlatformTransactionManager transactionManager) {
        this.seals = seals;
        this.properties = properties;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    @Scheduled(fixedDelayString = "${vipride.audit.seal-interval:" + AuditProperties.DEFAULT_SEAL_INTERVAL + "}")
    void sealOnSchedule() {
        try {
            SealingResult result = sealPending();
            if (result.sealed() > 0) {
                log.debug("Sealed {} audit rows", result.sealed());
            }
        } catch (RuntimeException e) {
            log.warn("Sealing the audit log failed; the next run retries: {}", e.getMessage(), e);
        }
    }

    /**
     * Seals what is pending, batch by batch, each batch in its own short transaction. Returns
     * {@link SealingResult#skipped()} when another caller (thread or instance) is sealing.
     */
    SealingResult sealPending() {
        return SystemJobs.run("audit-sealing", () -> {
            int total = 0;
            for (int batch = 0; batch < properties.sealMaxBatches(); batch++) {
                Optional<Integer> sealed = transactions.execute(
                        status -> seals.sealPending(properties.sealBatchSize(), properties.sealMinAge()));
                if (sealed == null || sealed.isEmpty()) {
                    return batch == 0 ? SealingResult.skipped() : SealingResult.sealed(total);
                }
                total += sealed.get();
                if (sealed.get() < properties.sealBatchSize()) {
                    break;
                }
            }
            return SealingResult.sealed(total);
        });
    }
}
