package com.vipride.safety;

import com.vipride.platform.jobs.JobCounts;
import com.vipride.platform.jobs.RecurringJob;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The incident-escalation job: {@code public.escalate_overdue_incidents()} raises the severity of every open
 * incident past its acknowledgement deadline, notifies the responders again and sets the next deadline.
 */
@Configuration(proxyBeanMethods = false)
class IncidentEscalation {

    static final String JOB = "incident-escalation";

    @Bean
    RecurringJob incidentEscalationJob(
            SafetyProperties properties, JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        return new RecurringJob(
                JOB,
                properties.escalation().interval(),
                properties.escalation().enabled(),
                () -> JobCounts.of(
                        "escalated",
                        transactions.execute(status -> jdbc.sql("SELECT public.escalate_overdue_incidents()")
                                .query(Long.class)
                                .single())));
    }
}
