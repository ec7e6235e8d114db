package com.vipride.analytics;

import com.vipride.platform.jobs.JobCounts;
import com.vipride.platform.jobs.RecurringJob;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Refreshes the analytics views on a schedule, on exactly one instance at a time. */
@Configuration(proxyBeanMethods = false)
class AnalyticsJobs {

    @Bean
    RecurringJob analyticsRefreshJob(
            AnalyticsRefresh refresh,
            @Value("${vipride.analytics.refresh.interval:15m}") Duration interval,
            @Value("${vipride.analytics.refresh.enabled:true}") boolean enabled) {
        return new RecurringJob(
                "analytics-refresh",
                interval,
                enabled,
                () -> JobCounts.of("views_refreshed", refresh.refreshAll().size()));
    }
}
