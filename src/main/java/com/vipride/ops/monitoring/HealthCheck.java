package com.vipride.ops.monitoring;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/**
 * One row of monitoring.database_health.
 *
 * @param since when the reported condition began (a query's start, a lock wait's start), if known
 */
record HealthCheck(
        String checkName,
        String object,
        BigDecimal value,
        String unit,
        BigDecimal warningAt,
        BigDecimal criticalAt,
        String severity,
        OffsetDateTime since,
        OffsetDateTime observedAt,
        String detail) {

    static final String CRITICAL = "critical";
    static final String OK = "ok";
}
