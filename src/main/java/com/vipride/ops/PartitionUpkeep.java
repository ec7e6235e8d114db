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
 * The partition-upkeep job: {@code maintenance.maintain_partitions} creates the monthly partitions of
 * rides, VIP location history and the audit log up to {@code vipride.ops.partitions.months-ahead}
 * months ahead, moving rows that waited in a default partition into their month.
 */
@Configuration(proxyBeanMethods = false)
class PartitionUpkeep {

    static final String JOB = "partition-upkeep";
    private static final String MAINTAIN = """
            SELECT parent, partitions_created FROM maintenance.maintain_partitions(:monthsAhead)""";

    @Bean
    RecurringJob partitionUpkeepJob(
            OpsProperties properties, JdbcClient jdbc, PlatformTransactionManager transactionManager) {
        OpsProperties.Partitions settings = properties.partitions();
        TransactionTemplate transactions = new TransactionTemplate(transactionManager);
        return new RecurringJob(
                JOB,
                settings.interval(),
                settings.enabled(),
                () -> transactions.execute(status -> {
                    Map<String, Long> created = new LinkedHashMap<>();
                    jdbc.sql(MAINTAIN)
                            .param("monthsAhead", settings.monthsAhead())
                            .query(row -> {
                                created.put(row.getString("parent"), row.getLong("partitions_created"));
                            });
                    return JobCounts.of(created);
                }));
    }
}
