package com.vipride.ops.monitoring;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The spec's monitoring views, read under the caller's role (only system_admin and audit_admin may). */
@Repository
class DatabaseMonitoring {

    /** Spec: SELECT * FROM monitoring.database_health; the worst first. */
    private static final String HEALTH = """
            SELECT check_name, object, value, unit, warning_at, critical_at, severity, since, observed_at, detail
              FROM monitoring.database_health
             ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, check_name, object""";
    /** Spec: SELECT * FROM monitoring.performance_metrics. */
    private static final String PERFORMANCE = """
            SELECT metric, object, calls, total_ms, mean_ms, row_count, value, unit, severity, observed_at, detail
              FROM monitoring.performance_metrics
             WHERE CAST(:metric AS text) IS NULL OR metric = CAST(:metric AS text)
             ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, metric, value DESC NULLS LAST
             LIMIT :limit""";

    /** Live tables first, newest month first within a table; the default partition last. */
    private static final String PARTITIONS = """
            SELECT table_name, partition_name, lower_bound, upper_bound, is_default, rows_estimate, size_bytes, archived
              FROM monitoring.partitions
             WHERE CAST(:table AS text) IS NULL OR table_name = CAST(:table AS text)
             ORDER BY archived, table_name, is_default, lower_bound DESC""";
    /** The next due first. */
    private static final String JOBS = """
            SELECT job_name, task_instance, next_due_at, running, picked_by, last_success, last_failure,
                   consecutive_failures, last_started_at, last_finished_at, last_outcome, last_error,
                   runs_24h AS runs24h, failures_24h AS failures24h
              FROM maintenance.job_overview
             ORDER BY next_due_at, job_name, task_instance""";

    private final JdbcClient jdbc;

    DatabaseMonitoring(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<HealthCheck> health() {
        return jdbc.sql(HEALTH).query(HealthCheck.class).list();
    }

    List<PerformanceMetric> performance(String metric, int limit) {
        return jdbc.sql(PERFORMANCE)
                .param("metric", metric)
                .param("limit", limit)
                .query(PerformanceMetric.class)
                .list();
    }

    List<Partition> partitions(String table) {
        return jdbc.sql(PARTITIONS).param("table", table).query(Partition.class).list();
    }

    List<ScheduledJob> jobs() {
        return jdbc.sql(JOBS).query(ScheduledJob.class).list();
    }
}
