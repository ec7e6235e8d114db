package com.vipride.ops.monitoring;

import com.vipride.platform.security.SystemJobs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code /actuator/health}'s "databaseHealth": DOWN while monitoring.database_health reports a critical
 * condition (connections nearly exhausted, wraparound near, a long lock wait …), UP otherwise, listing
 * warnings. Details name the check, the object (a table, a session's pid), the value and since when —
 * never query texts or user names, which the health endpoint would show to anyone.
 *
 * <p>The view is readable only by the monitoring roles, and the health endpoint is called by anyone
 * (a load balancer), so the check runs as the platform itself ({@link SystemJobs}) on a thread of its
 * own, outside the HTTP request, and gives up after {@code vipride.ops.monitoring.health-timeout}: a database
 * that cannot answer within it is DOWN.
 */
@Component("databaseHealth")
class DatabaseHealthIndicator implements HealthIndicator, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(DatabaseHealthIndicator.class);

    private final DatabaseMonitoring monitoring;
    private final TransactionTemplate readOnly;
    private final MonitoringProperties properties;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "database-health");
        thread.setDaemon(true);
        return thread;
    });

    DatabaseHealthIndicator(
            DatabaseMonitoring monitoring, PlatformTransactionManager transactions, MonitoringProperties properties) {
        this.monitoring = monitoring;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.properties = properties;
    }

    @Override
    public Health health() {
        Future<List<HealthCheck>> checks = executor.submit(
                () -> SystemJobs.run("database-health", () -> readOnly.execute(status -> monitoring.health())));
        try {
            return summarise(checks.get(properties.healthTimeout().toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            checks.cancel(true);
            return Health.down()
                    .withDetail(
                            "reason", "monitoring.database_health did not answer within " + properties.healthTimeout())
                    .build();
        } catch (ExecutionException e) {
            log.warn(
                    "monitoring.database_health could not be read: {}",
                    e.getCause().toString());
            return Health.down()
                    .withDetail("reason", "monitoring.database_health could not be read")
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        }
    }

    static Health summarise(List<HealthCheck> checks) {
        List<Map<String, Object>> critical = checks.stream()
                .filter(c -> HealthCheck.CRITICAL.equals(c.severity()))
                .map(DatabaseHealthIndicator::describe)
                .toList();
        List<Map<String, Object>> warnings = checks.stream()
                .filter(c -> !HealthCheck.CRITICAL.equals(c.severity()) && !HealthCheck.OK.equals(c.severity()))
                .map(DatabaseHealthIndicator::describe)
                .toList();
        Health.Builder health = critical.isEmpty() ? Health.up() : Health.down().withDetail("critical", critical);
        return health.withDetail("warnings", warnings)
                .withDetail("checks", checks.size())
                .build();
    }

    private static Map<String, Object> describe(HealthCheck check) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("check", check.checkName());
        if (check.object() != null) {
            description.put("object", check.object());
        }
        if (check.value() != null) {
            description.put("value", check.value());
            description.put("unit", check.unit());
        }
        if (check.since() != null) {
            description.put("since", check.since().toString());
        }
        return description;
    }

    @Override
    public void destroy() {
        executor.shutdownNow();
    }
}
