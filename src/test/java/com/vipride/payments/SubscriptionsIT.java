package com.vipride.payments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import com.vipride.platform.security.SystemJobs;
import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A year of monthly subscription billing from a driver's earnings, with failures, a recovery and an expiry. */
class SubscriptionsIT extends IntegrationTest {

    private static final long RATE = 1500;          // NGN per USD, in force since 2020
    private static final long PREMIUM_KOBO = 19_900 * RATE;

    @Autowired
    private Subscriptions subscriptions;

    private Driver driver;

    @BeforeEach
    void aDriverWithEarnings() {
        superuser().sql("INSERT INTO public.exchange_rates VALUES ('USD', 'NGN', :rate, TIMESTAMPTZ '2020-01-01', 'test', now()) "
                + "ON CONFLICT DO NOTHING").param("rate", RATE).update();
        driver = new RideWorld(superuser(), accounts(), api()).driverAt(100);
        earn(PREMIUM_KOBO * 3);
    }

    /** Credits (or, negative, debits) the driver's earnings against the processor receivable. */
    private void earn(long kobo) {
        superuser().sql("""
                SELECT public.post_entry('ride_fare', 'NGN', 'test earnings', NULL, NULL, NULL,
                    ARRAY[public.ledger_account('platform', NULL, 'processor_receivable', 'NGN'),
                          public.ledger_account('driver', :driver, 'payable', 'NGN')],
                    ARRAY[:amount, -(:amount)]::bigint[])""").param("driver", driver.id()).param("amount", kobo)
                .query(UUID.class).single();
    }

    private long balance() {
        return superuser().sql("SELECT coalesce(sum(balance_minor), 0) FROM public.payee_balances WHERE holder_id = :id")
                .param("id", driver.id()).query(Long.class).single();
    }

    private Map<String, Object> subscription() {
        return superuser().sql("SELECT status, tier::text AS tier, next_billing_at, failed_attempts FROM public.driver_subscriptions "
                + "WHERE driver_id = :id ORDER BY created_at DESC LIMIT 1").param("id", driver.id()).query().singleRow();
    }

    private String driverTier() {
        return superuser().sql("SELECT subscription_tier::text FROM public.drivers WHERE id = :id").param("id", driver.id())
                .query(String.class).optional().orElse(null);
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
        assertThat(plans.body().findValues("monthlyPriceMinor")).extracting(n -> n.asLong()).containsExactly(9_900L, 19_900L, 29_900L);
        Api.Response subscribed = api().post("/api/v1/drivers/me/subscription", Map.of("tier", "premium"), driver.token());
        assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(200);
        assertThat(driverTier()).isEqualTo("premium");
        assertThat(balance()).isEqualTo(PREMIUM_KOBO * 2);

        int charged = 1;
        for (int month = 2; month <= 12; month++) {
            if (month == 5) {
                earn(-balance());                       // nothing left: the renewal fails
                Instant due = nextBilling();
                assertThat(bill(due.plusSeconds(60)).failed()).isGreaterThanOrEqualTo(1);
                assertThat(subscription()).containsEntry("status", "past_due");
                assertThat(driverTier()).as("kept during the grace period").isEqualTo("premium");
                bill(nextBilling().plusSeconds(60));   // the daily retry fails again
                assertThat(subscription()).containsEntry("status", "past_due").containsEntry("failed_attempts", 2);
                earn(PREMIUM_KOBO * 4);                 // the driver earned again: the next retry recovers
            }
            if (month == 10) {
                earn(-balance());
                bill(nextBilling().plusSeconds(60));
                for (int day = 0; day < 8 && "past_due".equals(subscription().get("status")); day++) {
                    bill(nextBilling().plusSeconds(60));   // daily retries through the 7-day grace period
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
        long payments = superuser().sql("SELECT count(*) FROM public.payments p JOIN public.drivers d ON d.user_id = p.payer_id "
                + "WHERE d.id = :id AND p.payment_type = 'subscription'").param("id", driver.id()).query(Long.class).single();
        assertThat(payments).isEqualTo(charged);
        assertThat(superuser().sql("SELECT count(*) FROM public.ledger_discrepancies(now() - interval '1 hour') WHERE kind = 'unbalanced_entry'")
                .query(Long.class).single()).isZero();
        bill(Instant.now().plus(400, ChronoUnit.DAYS));
        assertThat(subscription()).as("an expired subscription is not billed again").containsEntry("status", "expired");
        assertThat(superuser().sql("SELECT count(*) FROM public.payments p JOIN public.drivers d ON d.user_id = p.payer_id "
                + "WHERE d.id = :id AND p.payment_type = 'subscription'").param("id", driver.id()).query(Long.class).single())
                .isEqualTo(charged);
    }

    @Test
    void subscribingNeedsEarningsToCoverTheFirstMonthAndOnlyDriversSubscribe() {
        earn(-balance());
        Api.Response refused = api().post("/api/v1/drivers/me/subscription", Map.of("tier", "elite"), driver.token());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(402);
        assertThat(refused.code()).isEqualTo("insufficient-earnings");
        assertThat(driverTier()).isNull();
        assertThat(api().post("/api/v1/drivers/me/subscription", Map.of("tier", "gold"), driver.token()).code())
                .isEqualTo("invalid-enum-value");
        assertThat(api().post("/api/v1/drivers/me/subscription", Map.of("tier", "basic"),
                accounts().aSignedInCustomer().accessToken()).status()).isEqualTo(403);
    }
}
