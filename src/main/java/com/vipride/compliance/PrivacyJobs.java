package com.vipride.compliance;

import com.vipride.platform.jobs.JobCounts;
import com.vipride.platform.jobs.RecurringJob;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The privacy jobs: the clock (breach alerts at 48 h and 72 h, data-subject request deadline warnings,
 * expired exports emptied) and the export builder.
 */
@Configuration(proxyBeanMethods = false)
class PrivacyJobs {

    static final String CLOCK = "privacy-clock";
    static final String EXPORTS = "privacy-exports";

    @Bean
    RecurringJob privacyClockJob(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            @Value("${vipride.compliance.clock-interval:PT5M}") Duration interval,
            @Value("${vipride.compliance.jobs-enabled:true}") boolean enabled) {
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        return new RecurringJob(
                CLOCK,
                interval,
                enabled,
                () -> transactions.execute(status -> {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    counts.put("breach_alerts", count(jdbc, "SELECT compliance.check_breach_clock()"));
                    counts.put("request_warnings", count(jdbc, "SELECT compliance.warn_due_requests()"));
                    counts.put("exports_expired", count(jdbc, "SELECT compliance.expire_exports()"));
                    return JobCounts.of(counts);
                }));
    }

    @Bean
    RecurringJob privacyExportsJob(
            SubjectExports exports,
            @Value("${vipride.compliance.export-interval:PT10S}") Duration interval,
            @Value("${vipride.compliance.jobs-enabled:true}") boolean enabled) {
        return new RecurringJob(
                EXPORTS, interval, enabled, () -> JobCounts.of("exports_built", exports.buildPending()));
    }

    private static long count(JdbcClient jdbc, String sql) {
        Integer n = jdbc.sql(sql).query(Integer.class).single();
        return n == null ? 0 : n;
    }
}
