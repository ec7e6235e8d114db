package com.vipride.ops;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The operations jobs. Each runs on one service instance at a time, every {@code interval} after the end
 * of its last run; {@code enabled=false} stops it being scheduled.
 *
 * @param partitions  partition upkeep: keeps monthly partitions {@code monthsAhead} months ahead
 * @param retention   applies {@code archive.retention_rules}
 * @param maintenance vacuums and analyzes every table, and serves the SQL functions
 *                    {@code maintenance.vacuum_analyze_all()} / {@code update_statistics()}
 */
@Validated
@ConfigurationProperties("vipride.ops")
record OpsProperties(
        @Valid @DefaultValue Partitions partitions,
        @Valid @DefaultValue Retention retention,
        @Valid @DefaultValue Maintenance maintenance) {

    record Partitions(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("6h") Duration interval,
            @DefaultValue("3") @Min(1) @Max(24) int monthsAhead) {}

    record Retention(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1d") Duration interval) {}

    /**
     * @param workerEnabled      whether this instance serves maintenance requests made in SQL
     * @param workerPollInterval how often the worker looks for a waiting request
     */
    record Maintenance(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("1d") Duration interval,
            @DefaultValue("true") boolean workerEnabled,
            @DefaultValue(DEFAULT_WORKER_POLL_INTERVAL) Duration workerPollInterval) {

        /** Shared with the worker's {@code @Scheduled} placeholder, so the default is stated once. */
        static final String DEFAULT_WORKER_POLL_INTERVAL = "1s";
    }
}
