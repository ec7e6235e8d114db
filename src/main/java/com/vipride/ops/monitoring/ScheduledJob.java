package com.vipride.ops.monitoring;

import java.time.OffsetDateTime;

/** One row of maintenance.job_overview: a scheduled job, when it is next due and how its runs went. */
record ScheduledJob(
        String jobName,
        String taskInstance,
        OffsetDateTime nextDueAt,
        boolean running,
        String pickedBy,
        OffsetDateTime lastSuccess,
        OffsetDateTime lastFailure,
        int consecutiveFailures,
        OffsetDateTime lastStartedAt,
        OffsetDateTime lastFinishedAt,
        String lastOutcome,
        String lastError,
        long runs24h,
        long failures24h) {}
