package com.vipride.ops.monitoring;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The database's health and performance for system_admin and audit_admin; anyone else gets 403 (the
 * database refuses their role). Beside /api/v1/monitoring/security-alerts, like the views beside
 * monitoring.security_alerts.
 */
@RestController
@Tag(name = "Monitoring")
class MonitoringController {

    private final DatabaseMonitoring monitoring;

    MonitoringController(DatabaseMonitoring monitoring) {
        this.monitoring = monitoring;
    }

    @GetMapping("/api/v1/monitoring/database-health")
    @Operation(
            summary =
                    "system_admin, audit_admin: size, connections, cache hit ratio, wraparound, replication lag, "
                            + "dead rows, long-running, idle-in-transaction and blocked sessions, each with a severity (worst first)")
    @Transactional(readOnly = true)
    List<HealthCheck> databaseHealth() {
        return monitoring.health();
    }

    @GetMapping("/api/v1/monitoring/performance-metrics")
    @Operation(
            summary = "system_admin, audit_admin: slowest and most frequent statements, index usage, unused "
                    + "indexes, tables read mostly by sequential scans")
    @Transactional(readOnly = true)
    List<PerformanceMetric> performanceMetrics(
            @RequestParam(required = false) @Pattern(regexp = "[a-z_]{1,40}") String metric,
            @RequestParam(defaultValue = "200") @Min(1) @Max(1000) int limit) {
        return monitoring.performance(metric, limit);
    }

    @GetMapping("/api/v1/ops/partitions")
    @Operation(
            summary = "system_admin, audit_admin: the monthly partitions of the partitioned tables, live and archived,"
                    + " with bounds, estimated rows and size")
    @Transactional(readOnly = true)
    List<Partition> partitions(
            @RequestParam(required = false) @Pattern(regexp = "[a-z_]{1,40}\\.[a-z_]{1,63}") String table) {
        return monitoring.partitions(table);
    }

    @GetMapping("/api/v1/ops/jobs")
    @Operation(
            summary = "system_admin, audit_admin: the scheduled jobs, when each is next due, its last run and its"
                    + " runs and failures of the last 24 hours")
    @Transactional(readOnly = true)
    List<ScheduledJob> jobs() {
        return monitoring.jobs();
    }
}
