package com.vipride.audit;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The audit trail's seal and its verification.
 *
 * @param sealingEnabled     whether this instance runs the sealing and inbox-drain jobs (every instance may: one runs at a time)
 * @param drainInterval      pause between moves of captured changes from the inbox into audit.audit_log
 * @param drainBatchSize     most inbox rows moved per transaction
 * @param sealInterval       pause between sealing runs; the job also runs once at start
 * @param sealBatchSize      most rows sealed per transaction
 * @param sealMaxBatches     most transactions per run, so a backlog is worked off without one long run
 * @param sealMinAge         how old a sealing horizon must be before a later run seals up to it
 * @param unsealedLag        verification reports rows still unsealed after this long
 * @param verifyAndExit      run as the verification command: verify the chain, print the problems,
 *                           exit 0 when intact and 1 otherwise (no web server, no migrations, no sealing)
 */
@Validated
@ConfigurationProperties("vipride.audit")
record AuditProperties(
        @DefaultValue("true") boolean sealingEnabled,
        @DefaultValue(DEFAULT_DRAIN_INTERVAL) Duration drainInterval,
        @DefaultValue("5000") @Min(1) @Max(100_000) int drainBatchSize,
        @DefaultValue(DEFAULT_SEAL_INTERVAL) Duration sealInterval,
        @DefaultValue("10000") @Min(1) @Max(1_000_000) int sealBatchSize,
        @DefaultValue("20") @Min(1) int sealMaxBatches,
        @DefaultValue("1s") Duration sealMinAge,
        @DefaultValue("1d") Duration unsealedLag,
        @DefaultValue("false") boolean verifyAndExit) {

    /** Shared with the job's {@code @Scheduled} placeholder, so the default is stated once. */
    static final String DEFAULT_SEAL_INTERVAL = "10s";

    static final String DEFAULT_DRAIN_INTERVAL = "1s";
}
