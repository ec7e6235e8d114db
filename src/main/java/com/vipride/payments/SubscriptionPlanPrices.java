package com.vipride.payments;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Dated subscription prices per tier and currency (public.subscription_plan_prices). A new price is a
 * new row in force from its time; rows are never changed, so the history is complete, and a
 * subscription keeps the price it was taken at. Only system_admin may add one (the database's grant).
 */
@Repository
class SubscriptionPlanPrices {

    private static final String COLUMNS = "tier, currency, monthly_price_minor, effective_from, created_at";
    private static final String HISTORY =
            "SELECT " + COLUMNS + " FROM public.subscription_plan_prices ORDER BY tier, currency, effective_from DESC";
    /** A tier offered in a new currency gets its plan row first, with the tier's benefits. */
    private static final String PLAN = """
            INSERT INTO public.subscription_plans (tier, currency, benefits)
            SELECT p.tier, :currency, p.benefits FROM public.subscription_plans p
             WHERE p.tier = CAST(:tier AS public.driver_subscription_tier) ORDER BY p.currency DESC LIMIT 1
            ON CONFLICT DO NOTHING""";

    private static final String PRICE = "INSERT INTO public.subscription_plan_prices (" + COLUMNS + ") "
            + "VALUES (CAST(:tier AS public.driver_subscription_tier), :currency, :price, coalesce(:from, now()), now()) "
            + "RETURNING " + COLUMNS;

    private final JdbcClient jdbc;

    SubscriptionPlanPrices(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Price> history() {
        return jdbc.sql(HISTORY).query(SubscriptionPlanPrices::price).list();
    }

    Price add(NewPrice price) {
        jdbc.sql(PLAN)
                .param("tier", price.tier().name())
                .param("currency", price.currency())
                .update();
        return jdbc.sql(PRICE)
                .param("tier", price.tier().name())
                .param("currency", price.currency())
                .param("price", price.monthlyPriceMinor())
                .param(
                        "from",
                        price.effectiveFrom() == null
                                ? null
                                : price.effectiveFrom().atOffset(ZoneOffset.UTC))
                .query(SubscriptionPlanPrices::price)
                .single();
    }

    private static Price price(ResultSet rs, int row) throws SQLException {
        return new Price(
                rs.getString("tier"),
                rs.getString("currency"),
                rs.getLong("monthly_price_minor"),
                rs.getTimestamp("effective_from").toInstant(),
                rs.getTimestamp("created_at").toInstant());
    }

    record Price(String tier, String currency, long monthlyPriceMinor, Instant effectiveFrom, Instant createdAt) {}

    /** A tier's monthly price in a currency from {@code effectiveFrom} (default now); at most 10^12 minor units. */
    record NewPrice(
            @NotNull Subscriptions.Tier tier,
            @NotNull @Pattern(regexp = "[A-Z]{3}") String currency,
            @NotNull @Min(1) @Max(1_000_000_000_000L) Long monthlyPriceMinor,
            Instant effectiveFrom) {}
}
