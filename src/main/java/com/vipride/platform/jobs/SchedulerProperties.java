package com.vipride.platform.jobs;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The cluster-safe job scheduler (db-scheduler over {@code maintenance.scheduled_tasks}).
 *
 * @param enabled          whether this instance picks due jobs at all (every instance may: each due run is
 *                         picked by exactly one)
 * @param pollingInterval  how often this instance looks for due jobs
 * @param threads          jobs this instance runs at the same time
 * @param instanceName     names this instance in {@code picked_by} and {@code job_runs.instance};
 *                         empty means host name and process id
 */
@Validated
@ConfigurationProperties("vipride.ops.scheduler")
record SchedulerProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10s") Duration pollingInterval,
        @DefaultValue("2") @Min(1) @Max(32) int threads,
        @DefaultValue("") String instanceName) {

    String resolvedInstanceName() {
        if (!instanceName.isBlank()) {
            return instanceName;
        }
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
