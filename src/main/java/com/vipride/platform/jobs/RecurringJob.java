package com.vipride.platform.jobs;

import java.time.Duration;
import java.util.Objects;

/**
 * A job that runs every {@code interval} on exactly one service instance at a time. Declare one as a
 * Spring bean and the platform's scheduler picks it up: every run acts as the system (through
 * {@code SystemJobs.run}) and is recorded in {@code maintenance.job_runs} with the counts it returns.
 *
 * <pre>{@code
 * @Bean
 * RecurringJob analyticsRefresh(AnalyticsProperties properties, Dashboards dashboards) {
 *     return new RecurringJob("analytics-refresh", properties.refreshInterval(), properties.refreshEnabled(),
 *             () -> JobCounts.of("views", dashboards.refreshAll()));
 * }
 * }</pre>
 *
 * @param name     stable, unique name: the db-scheduler task name and {@code job_runs.job_name}
 * @param interval pause between the end of one run and the next due time
 * @param enabled  when false, the job is never scheduled (it can still be run with {@link Jobs#runNow})
 * @param body     the work; its transactions act as {@code system_admin}
 */
public record RecurringJob(String name, Duration interval, boolean enabled, JobBody body) {

    public RecurringJob {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(body, "body");
        if (!name.matches("[a-z][a-z0-9-]{1,62}")) {
            throw new IllegalArgumentException("job name must be lower-case words joined by '-': " + name);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval of job '" + name + "' must be positive");
        }
    }
}
