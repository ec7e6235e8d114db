package com.vipride.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.platform.security.SystemJobs;
import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A year of monthly subscription billing from a driver's earnings, with failures, a recovery and an expiry. */
class SubscriptionsIT extends IntegrationTest {

    private static final long RATE = 1500; // NGN per USD, in force since 2020
    private static final long PREMIUM_KOBO = 19_900 * RATE;

    @Autowired
    private Subscriptions subscriptions;

    private Driver driver;
    private java.time.OffsetDateTime started;

    @BeforeEach
    void aDriverWithEarnings() {
        started = superuser()
                .sql("SELECT now()")
                .query(java.time.OffsetDateTime.class)
                .single();
        superuser()
                .sql(
                        "INSERT INTO public.exchange_rates VALUES ('USD', 'NGN', :rate, TIMESTAMPTZ '2020-01-01', 'test', now()) "
                                + "ON CONFLICT DO NOTHING")
                .param("rate", RATE)
                .update();
        driver = new RideWorld(superuser(), accounts(), api()).driverAt(100);
        earn(PREMIUM_KOBO * 3);
    }

    /** Credits (or, negative, debits) the driver's earnings against the processor receivable. */
    private void earn(long kobo) {
        superuser()
                .sql("""
                SELECT public.post_entry('ride_fare', 'NGN', 'test earnings', NULL, NULL, NULL,
                    ARRAY[public.ledger_account('platform', NULL, 'processor_receivable', 'NGN'),
                          public.ledger_account('driver', :driver, 'payable', 'NGN')],
                    ARRAY[:amount, -(:amount)]::bigint[])""")
                .param("driver", driver.id())
                .param("amount", kobo)
                .query(UUID.class)
                .single();
    }

    private long balance() {
        return superuser()
                .sql("SELECT coalesce(sum(balance_minor), 0) FROM public.payee_balances WHERE holder_id = :id")
                .param("id", driver.id())
                .query(Long.class)
                .single();
    }

    private Map<String, Long> paymentsByStatus() {
        return superuser()
                .sql("""
                SELECT p.status::text, count(*) FROM public.payments p JOIN public.drivers d ON d.user_id = p.payer_id
                 WHERE d.id = :id AND p.payment_type = 'subscription' GROUP BY 1""")
                .param("id", driver.id())
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .list()
                .stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private Map<String, Object> subscription() {
        return superuser()
                .sql(
                        "SELECT id, status, tier::text AS tier, next_billing_at, failed_attempts FROM public.driver_subscriptions "
                                + "WHERE driver_id = :id ORDER BY created_at DESC LIMIT 1")
                .param("id", driver.id())
                .query()
                .singleRow();
    }

    private String driverTier() {
        return superuser()
                .sql("SELECT subscription_tier::text FROM public.drivers WHERE id = :id")
                .param("id", driver.id())
                .query(String.class)
                .optional()
                .orElse(null);
    }

    /** The billing job's work as of a simulated time, acting as the platform as the job does. */
    private Subscriptions.BillingResult bill(Instant at) {
        return SystemJobs.run("subscription-billing", () -> subscriptions.bill(at));
    }

    private Instant nextBilling() {
        return ((java.sql.Timestamp) subscription().get("next_billing_at")).toInstant();
    }

    @Test
    void aYearOfBillingWithAFailureARecoveryAndAnExpiry() {
        Api.Response plans = api().get("/api/v1/subscription-plans", driver.token());
        assertThat(plans.body()
                        .valueStream()
                        .filter(plan -> plan.get("currency").asString().equals("USD"))
                        .map(plan -> plan.get("monthlyPriceMinor").asLong()))
                .containsExactly(9_900L, 19_900L, 29_900L);
        Api.Response subscribed =
                api().post("/api/v1/drivers/me/subscription", Map.of("tier", "premium"), driver.token());
        assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(200);
        assertThat(driverTier()).isEqualTo("premium");
        assertThat(balance()).isEqualTo(PREMIUM_KOBO * 2);

        int charged = 1;
        for (int month = 2; month <= 12; month++) {
            if (month == 5) {
                earn(-balance()); // nothing left: the renewal fails
                Instant due = nextBilling();
                assertThat(bill(due.plusSeconds(60)).failed()).isGreaterThanOrEqualTo(1);
                assertThat(subscription()).containsEntry("status", "past_due");
                assertThat(driverTier()).as("kept during the grace period").isEqualTo("premium");
                bill(nextBilling().plusSeconds(60)); // the daily retry fails again
                assertThat(subscription()).containsEntry("status", "past_due").containsEntry("failed_attempts", 2);
                earn(PREMIUM_KOBO * 4); // the driver earned again: the next retry recovers
            }
            if (month == 10) {
                earn(-balance());
                bill(nextBilling().plusSeconds(60));
                for (int day = 0; day < 8 && "past_due".equals(subscription().get("status")); day++) {
                    bill(nextBilling().plusSeconds(60)); // daily retries through the 7-day grace period
                }
                assertThat(subscription()).containsEntry("status", "expired");
                assertThat(driverTier()).isNull();
                break;
            }
            if (balance() < PREMIUM_KOBO) {
                earn(PREMIUM_KOBO);
            }
            bill(nextBilling().plusSeconds(60));
            assertThat(subscription()).as("month %d", month).containsEntry("status", "active");
            charged++;
        }
        assertThat(charged).isEqualTo(9);
        // Two in month 5; in month 10 the first, the daily retries and the last one that let it expire.
        long failedAttempts = 2 + ((Number) subscription().get("failed_attempts")).longValue();
        assertThat(paymentsByStatus())
                .containsExactlyInAnyOrderEntriesOf(Map.of("completed", 9L, "failed", failedAttempts));
        assertThat(superuser()
                        .sql("""
                SELECT count(*) FROM public.payments p JOIN public.driver_subscriptions s ON s.id = p.driver_subscription_id
                 WHERE s.driver_id = :id AND p.amount_minor = :price AND p.currency = 'NGN' AND p.method = 'wallet'
                   AND p.processor = 'earnings' AND p.payer_id = :user
                   AND CASE p.status WHEN 'completed' THEN p.completed_at IS NOT NULL AND p.failed_at IS NULL
                                     WHEN 'failed' THEN p.failed_at IS NOT NULL AND p.completed_at IS NULL
                                          AND p.failure_reason = 'insufficient-earnings' END""")
                        .param("id", driver.id())
                        .param("price", PREMIUM_KOBO)
                        .param("user", driver.user().id())
                        .query(Long.class)
                        .single())
                .as("every attempt: payer, amount, method, timestamps, linked")
                .isEqualTo(9L + failedAttempts);
        assertThat(superuser()
                        .sql("""
                SELECT count(*) FROM public.journal_entries e JOIN public.payments p ON p.id = e.payment_id
                 JOIN public.driver_subscriptions s ON s.id = p.driver_subscription_id
                 WHERE s.driver_id = :id AND e.entry_type = 'subscription_fee' AND p.status = 'completed'""")
                        .param("id", driver.id())
                        .query(Long.class)
                        .single())
                .as("a fee entry per completed charge, none per failure")
                .isEqualTo(9L);
        assertThat(superuser()
                        .sql("SELECT kind || ' ' || reference FROM public.ledger_discrepancies(:since)")
                        .param("since", started)
                        .query(String.class)
                        .list())
                .isEmpty();
        bill(Instant.now().plus(400, ChronoUnit.DAYS));
        assertThat(subscription())
                .as("an expired subscription is not billed again")
                .containsEntry("status", "expired");
        assertThat(paymentsByStatus()).containsEntry("completed", 9L).containsEntry("failed", failedAttempts);
    }

    @Test
    void theDriverSeesHisSubscriptionPaymentsAndNobodyElseButStaffDoes() {
        api().post("/api/v1/drivers/me/subscription", Map.of("tier", "basic"), driver.token());
        Api.Response mine = api().get("/api/v1/payments", driver.token());
        assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
        assertThat(mine.body().get("items").size()).isEqualTo(1);
        assertThat(mine.body().get("items").get(0).get("paymentType").asString())
                .isEqualTo("subscription");
        String payment = mine.body().get("items").get(0).get("id").asString();
        assertThat(mine.body().get("items").get(0).get("driverSubscriptionId").asString())
                .isEqualTo(subscription().get("id").toString());

        Driver other = new RideWorld(superuser(), accounts(), api()).driverAt(100);
        assertThat(api().get("/api/v1/payments/" + payment, other.token()).status())
                .as("another driver")
                .isEqualTo(404);
        assertThat(api().get("/api/v1/payments", other.token())
                        .body()
                        .get("items")
                        .size())
                .isZero();
        assertThat(api().get(
                                "/api/v1/payments/" + payment,
                                accounts().aSignedInCustomer().accessToken())
                        .status())
                .isEqualTo(404);
        assertThat(api().get(
                                "/api/v1/payments/" + payment,
                                accounts().aSignedInStaffMember("fleet_admin").accessToken())
                        .status())
                .as("a fleet admin")
                .isEqualTo(404);
        assertThat(api().get(
                                "/api/v1/payments/" + payment,
                                accounts().aSignedInStaffMember("support_agent").accessToken())
                        .text("amountMinor"))
                .isEqualTo(String.valueOf(9_900 * RATE));
        Api.Response refund = api().post(
                        "/api/v1/payments/" + payment + "/refunds",
                        Map.of("amountMinor", 100, "reason", "x"),
                        accounts().aSignedInStaffMember("support_agent").accessToken());
        assertThat(refund.code())
                .as("settled from earnings: no processor to refund through")
                .isEqualTo("settled-from-earnings");
    }

    @Test
    void subscribingNeedsEarningsToCoverTheFirstMonthAndOnlyDriversSubscribe() {
        earn(-balance());
        Api.Response refused = api().post("/api/v1/drivers/me/subscription", Map.of("tier", "elite"), driver.token());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(402);
        assertThat(refused.code()).isEqualTo("insufficient-earnings");
        assertThat(driverTier()).isNull();
        assertThat(paymentsByStatus())
                .as("the refused request left nothing behind")
                .isEmpty();
        assertThat(api().post("/api/v1/drivers/me/subscription", Map.of("tier", "gold"), driver.token())
                        .code())
                .isEqualTo("invalid-enum-value");
        assertThat(api().post(
                                "/api/v1/drivers/me/subscription",
                                Map.of("tier", "basic"),
                                accounts().aSignedInCustomer().accessToken())
                        .status())
                .isEqualTo(403);
    }
}
