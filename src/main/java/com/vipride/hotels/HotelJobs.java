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

/**
 * The hotels' jobs: partner statements ((re)issues last month's statements and this month's to date), and the
 * expiry of bookings left pending (neither paid nor confirmed) past their hold, which releases their rooms.
 */
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

    @Bean
    RecurringJob hotelPendingBookingsJob(
            HotelBookings bookings,
            TransactionTemplate transactions,
            @Value("${vipride.hotels.pending-bookings.hold:30m}") Duration hold,
            @Value("${vipride.hotels.pending-bookings.interval:1m}") Duration interval,
            @Value("${vipride.hotels.pending-bookings.enabled:true}") boolean enabled) {
        return new RecurringJob("hotel-pending-bookings", interval, enabled, () -> {
            int expired = transactions.execute(status -> bookings.expirePending(hold));
            return JobCounts.of(Map.of("expired", (long) expired));
        });
    }
}
