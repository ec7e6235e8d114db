package com.vipride.ops.monitoring;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** One row of monitoring.performance_metrics. */
record PerformanceMetric(
        String metric,
        String object,
        Long calls,
        BigDecimal totalMs,
        BigDecimal meanMs,
        Long rowCount,
        BigDecimal value,
        String unit,
        String severity,
        OffsetDateTime observedAt,
        String detail) {}
