package com.vipride.fleet;

import com.vipride.platform.jobs.JobCounts;
import com.vipride.platform.jobs.RecurringJob;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The document-expiry-reminders job: {@code public.send_document_expiry_reminders()} writes one
 * notification per current document and threshold (30, 7 and 1 days before it expires) to whoever keeps
 * the document.
 */
@Configuration(proxyBeanMethods = false)
class DocumentReminders {

    static final String JOB = "document-expiry-reminders";

    @Bean
    RecurringJob documentExpiryRemindersJob(
            FleetProperties properties, JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        return new RecurringJob(
                JOB,
                properties.reminders().interval(),
                properties.reminders().enabled(),
                () -> JobCounts.of(
                        "notifications",
                        transactions.execute(status -> jdbc.sql("SELECT public.send_document_expiry_reminders()")
                                .query(Long.class)
                                .single())));
    }
}
