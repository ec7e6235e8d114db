package com.vipride.payments;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Driver subscriptions: the price list, subscribing (first month charged from earnings at once) and
 * the monthly billing run (public.bill_subscriptions: renewals, retries, grace period, expiry).
 */
@Service
class Subscriptions {

    /** Each plan at its price in force now; a plan without a price yet is not offered. */
    private static final String PLANS = """
            SELECT p.tier, p.currency, public.subscription_plan_price(p.tier, p.currency, now()) AS price, p.benefits
              FROM public.subscription_plans p
             WHERE public.subscription_plan_price(p.tier, p.currency, now()) IS NOT NULL
             ORDER BY p.currency, price""";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    Subscriptions(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Transactional(readOnly = true)
    List<Plan> plans() {
        return jdbc.sql(PLANS)
                .query((rs, n) -> new Plan(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4)))
                .list();
    }

    @Transactional
    Subscription subscribe(Tier tier, String currency) {
        return jdbc.sql(
                        "SELECT * FROM public.subscribe_driver(CAST(:tier AS public.driver_subscription_tier), :currency)")
                .param("tier", tier.name())
                .param("currency", currency)
                .query(Subscriptions::subscription)
                .single();
    }

    @Transactional(readOnly = true)
    Optional<Subscription> mine() {
        return jdbc.sql("""
                SELECT * FROM public.driver_subscriptions WHERE driver_id = public.current_driver_id()
                 ORDER BY created_at DESC LIMIT 1""").query(Subscriptions::subscription).optional();
    }

    /** The billing run as of {@code at} (now, for the scheduled job); the caller acts as the platform. */
    BillingResult bill(Instant at) {
        return transactions.execute(
                status -> jdbc.sql("SELECT renewed, failed, expired FROM public.bill_subscriptions(:at)")
                        .param("at", at.atOffset(ZoneOffset.UTC))
                        .query((rs, n) -> new BillingResult(rs.getInt(1), rs.getInt(2), rs.getInt(3)))
                        .single());
    }

    private static Subscription subscription(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Subscription(
                rs.getObject("id", UUID.class),
                rs.getString("tier"),
                rs.getString("currency"),
                rs.getLong("monthly_price_minor"),
                rs.getString("status"),
                rs.getTimestamp("current_period_end").toInstant(),
                rs.getTimestamp("next_billing_at").toInstant(),
                rs.getInt("failed_attempts"),
                rs.getTimestamp("grace_until") == null
                        ? null
                        : rs.getTimestamp("grace_until").toInstant());
    }

    enum Tier {
        basic,
        premium,
        elite
    }

    record Plan(String tier, String currency, long monthlyPriceMinor, String benefits) {}

    record Subscription(
            UUID id,
            String tier,
            String currency,
            long monthlyPriceMinor,
            String status,
            Instant currentPeriodEnd,
            Instant nextBillingAt,
            int failedAttempts,
            Instant graceUntil) {}

    record BillingResult(int renewed, int failed, int expired) {}
}
