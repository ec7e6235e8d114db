package com.vipride.hotels;

import com.vipride.platform.jobs.JobCounts;
import com.vipride.platform.jobs.RecurringJob;
import java.time.Clock;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** The partner-statement job: (re)issues last month's statements and this month's to date. */
@Configuration(proxyBeanMethods = false)
class HotelJobs {

    @Bean
    RecurringJob hotelStatementsJob(
            HotelStatements statements,
            TransactionTemplate transactions,
            Clock clock,
            @Value("${vipride.hotels.statements.interval:6h}") Duration interval,
            @Value("${vipride.hotels.statements.enabled:true}") boolean enabled) {
        return new RecurringJob("hotel-statements", interval, enabled, () -> {
            YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
            int previous = transactions.execute(status -> statements.issue(now.minusMonths(1)));
            int current = transactions.execute(status -> statements.issue(now));
            return JobCounts.of(Map.of("statements", (long) previous + current));
        });
    }
}
