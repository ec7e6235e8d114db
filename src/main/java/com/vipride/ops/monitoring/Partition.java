package com.vipride.ops.monitoring;

import java.time.OffsetDateTime;

/**
 * One row of monitoring.partitions: a monthly (or default) partition of a live or archived table.
 *
 * @param rowsEstimate the statistics' live rows, not a count
 */
record Partition(
        String tableName,
        String partitionName,
        OffsetDateTime lowerBound,
        OffsetDateTime upperBound,
        boolean isDefault,
        long rowsEstimate,
        long sizeBytes,
        boolean archived) {}
