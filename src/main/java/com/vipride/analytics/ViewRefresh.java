package com.vipride.analytics;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

/** One refresh of one analytics materialized view, as analytics.refresh_log records it. */
record ViewRefresh(String viewName, OffsetDateTime startedAt, BigDecimal durationMs, long rowCount) {}
