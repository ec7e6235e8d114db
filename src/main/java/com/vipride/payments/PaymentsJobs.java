package com.vipride.payments;

import com.vipride.platform.jobs.JobCounts;
import com.vipride.platform.jobs.RecurringJob;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The money jobs, each run on exactly one instance at a time by the platform's scheduler. */
@Configuration(proxyBeanMethods = false)
class PaymentsJobs {

    @Bean
    RecurringJob payoutsJob(
            Payouts payouts,
            @Value("${vipride.payments.payouts.interval:1d}") Duration interval,
            @Value("${vipride.payments.payouts.enabled:true}") boolean enabled) {
        return new RecurringJob("payouts", interval, enabled, () -> {
            Payouts.RunResult result = payouts.run();
            return JobCounts.of(Map.of(
                    "payouts", (long) result.payoutsMade(), "paid_minor", result.paidMinor(), "accounts_on_hold", (long)
                            result.accountsOnHold()));
        });
    }

    @Bean
    RecurringJob subscriptionBillingJob(
            Subscriptions subscriptions,
            Clock clock,
            @Value("${vipride.payments.billing.interval:1h}") Duration interval,
            @Value("${vipride.payments.billing.enabled:true}") boolean enabled) {
        return new RecurringJob("subscription-billing", interval, enabled, () -> {
            Subscriptions.BillingResult result = subscriptions.bill(clock.instant());
            return JobCounts.of(
                    Map.of("renewed", (long) result.renewed(), "failed", (long) result.failed(), "expired", (long)
                            result.expired()));
        });
    }

    @Bean
    RecurringJob leaseBillingJob(
            LeaseBilling leases,
            Clock clock,
            @Value("${vipride.payments.lease-billing.interval:1d}") Duration interval,
            @Value("${vipride.payments.lease-billing.enabled:true}") boolean enabled) {
        return new RecurringJob("lease-billing", interval, enabled, () -> {
            LeaseBilling.RunResult result = leases.run(clock.instant());
            return JobCounts.of(
                    Map.of("issued", (long) result.issued(), "settled", (long) result.settled(), "waiting", (long)
                            result.waiting()));
        });
    }

    @Bean
    RecurringJob ledgerCloseJob(
            LedgerPeriods periods,
            @Value("${vipride.payments.ledger-close.interval:1h}") Duration interval,
            @Value("${vipride.payments.ledger-close.margin:1h}") Duration margin,
            @Value("${vipride.payments.ledger-close.enabled:true}") boolean enabled) {
        return new RecurringJob("ledger-close", interval, enabled, () -> {
            List<LedgerPeriods.ClosedPeriod> closed = periods.closeEndedMonths(margin);
            return JobCounts.of(Map.of(
                    "periods_closed",
                    (long) closed.size(),
                    "accounts",
                    closed.stream()
                            .mapToLong(LedgerPeriods.ClosedPeriod::accounts)
                            .sum()));
        });
    }
}
