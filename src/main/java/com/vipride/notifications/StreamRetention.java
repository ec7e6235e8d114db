package com.vipride.notifications;

import com.vipride.platform.jobs.JobCounts;
import com.vipride.platform.jobs.RecurringJob;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The stream-events-retention job: stream events older than the replay window are deleted. */
@Configuration(proxyBeanMethods = false)
class StreamRetention {

    static final String JOB = "stream-events-retention";

    @Bean
    RecurringJob streamEventsRetentionJob(
            NotificationsProperties properties, JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        return new RecurringJob(
                JOB,
                Duration.ofMinutes(10),
                true,
                () -> JobCounts.of(
                        "deleted",
                        transactions.execute(status -> jdbc.sql("SELECT public.purge_stream_events(:keep)")
                                .param("keep", (int)
                                        properties.streams().retention().toSeconds())
                                .query(Long.class)
                                .single())));
    }
}
