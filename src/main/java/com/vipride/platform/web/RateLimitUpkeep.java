package com.vipride.platform.web;

import com.vipride.platform.jobs.JobCounts;
import com.vipride.platform.jobs.RecurringJob;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every 10 minutes, one instance deletes the rate-limit buckets that have filled up again. */
@Configuration(proxyBeanMethods = false)
class RateLimitUpkeep {

    @Bean
    RecurringJob rateLimitUpkeepJob(RateLimits limits) {
        return new RecurringJob(
                "rate-limit-upkeep",
                Duration.ofMinutes(10),
                true,
                () -> JobCounts.of("buckets_removed", limits.removeFullBuckets()));
    }
}
