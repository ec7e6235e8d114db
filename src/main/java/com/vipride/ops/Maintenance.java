package com.vipride.ops;

import com.vipride.platform.jobs.JobCounts;
import com.vipride.platform.jobs.Jobs;
import com.vipride.platform.jobs.RecurringJob;
import java.sql.Connection;
import java.sql.SQLException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code maintenance} job: VACUUM (ANALYZE) over every maintained table on a schedule, recorded in
 * {@code maintenance.maintenance_runs} (and, as every job, in {@code maintenance.job_runs}).
 */
@Configuration(proxyBeanMethods = false)
class Maintenance {

    static final String JOB = "maintenance";

    @Bean
    RecurringJob maintenanceJob(OpsProperties properties, OwnerConnections owner, ObjectProvider<Jobs> jobs) {
        return new RecurringJob(
                JOB,
                properties.maintenance().interval(),
                properties.maintenance().enabled(),
                () -> {
                    try (Connection connection = owner.open()) {
                        long tables = MaintenanceRuns.run(
                                        connection,
                                        MaintenanceKind.VACUUM_ANALYZE,
                                        null,
                                        "job:" + JOB,
                                        jobs.getObject().instance())
                                .orElseThrow();
                        return JobCounts.of("tables_vacuumed_and_analyzed", tables);
                    } catch (SQLException e) {
                        throw new IllegalStateException("scheduled VACUUM (ANALYZE) failed: " + e.getMessage(), e);
                    }
                });
    }
}
