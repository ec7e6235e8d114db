package com.vipride.ops;

import com.vipride.platform.jobs.JobCounts;
import com.vipride.platform.jobs.RecurringJob;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The retention job: {@code archive.apply_retention()} archives or deletes each data class past its
 * live period in {@code archive.retention_rules}. The run's counts name every class ({@code rides},
 * {@code vip_location_history}, …) and what moved with it ({@code rides.payments},
 * {@code rides.partitions_moved}, …). All of it is one transaction: a failure leaves every row in place.
 */
@Configuration(proxyBeanMethods = false)
class Retention {

    static final String JOB = "retention";
    private static final String APPLY = """
            SELECT r.data_class || CASE WHEN d.key = r.data_class THEN '' ELSE '.' || d.key END AS name,
                   d.value::bigint AS value
              FROM archive.apply_retention() r, jsonb_each_text(r.details) d
             WHERE d.key <> 'cutoff'""";

    @Bean
    RecurringJob retentionJob(
            OpsProperties properties, JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        return new RecurringJob(
                JOB,
                properties.retention().interval(),
                properties.retention().enabled(),
                () -> transactions.execute(status -> {
                    Map<String, Long> counts = new LinkedHashMap<>();
                    jdbc.sql(APPLY).query(row -> {
                        counts.put(row.getString("name"), row.getLong("value"));
                    });
                    return JobCounts.of(counts);
                }));
    }
}
