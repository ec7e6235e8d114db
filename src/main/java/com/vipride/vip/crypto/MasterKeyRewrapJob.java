package com.vipride.vip.crypto;

import com.vipride.platform.jobs.JobCounts;
import com.vipride.platform.jobs.RecurringJob;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * After the master keyset's primary key changed ({@link MasterKeysetCommand} {@code promote}), re-wraps
 * every subject key still wrapped under an older master key, in batches, while the service serves.
 * Usually it finds nothing; it counts what it re-wrapped.
 */
@Configuration(proxyBeanMethods = false)
class MasterKeyRewrapJob {

    private static final int BATCH = 500;

    /** The keys are looked up when the job runs: a process that runs no jobs needs no master key. */
    @Bean
    RecurringJob vipMasterKeyRewrap(ObjectProvider<VipKeys> keys, PlatformTransactionManager transactions) {
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        return new RecurringJob("vip-master-key-rewrap", Duration.ofMinutes(1), true, () -> {
            long total = 0;
            int batch;
            do {
                batch = transaction.execute(status -> keys.getObject().rewrapUnderCurrentMasterKey(BATCH));
                total += batch;
            } while (batch == BATCH);
            return JobCounts.of("rewrapped", total);
        });
    }
}
