package com.vipride.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Subscription prices per tier and currency, dated: a system admin sets a new price and the old one
 * stays in the history; a subscription keeps the price it was taken at through its renewals, while new
 * subscribers pay the new one. Only system admins set prices; amounts are bounded.
 */
class SubscriptionPlanPricesIT extends IntegrationTest {

    private SignedIn admin;

    @BeforeEach
    void anAdmin() {
        admin = accounts().aSignedInStaffMember("system_admin");
    }

    /** A driver in Lagos (paid in NGN) with {@code kobo} of earnings; returns the driver's id and user. */
    private Map.Entry<UUID, SignedIn> aLagosDriverEarning(long kobo) {
        SignedIn user = accounts().aSignedInStaffMember("driver");
        UUID driver = superuser()
                .sql("""
                INSERT INTO public.drivers (user_id, license_number, license_expires_on, category, status, city)
                VALUES (:user, :licence, DATE '2031-01-01', 'owner_operator', 'approved', 'lagos') RETURNING id""")
                .param("user", user.id())
                .param("licence", "L-" + UUID.randomUUID())
                .query(UUID.class)
                .single();
        superuser()
                .sql("""
                SELECT public.post_entry('ride_fare', 'NGN', 'test earnings', NULL, NULL, NULL,
                    ARRAY[public.ledger_account('platform', NULL, 'processor_receivable', 'NGN'),
                          public.ledger_account('driver', :driver, 'payable', 'NGN')],
                    ARRAY[:amount, -(:amount)]::bigint[])""")
                .param("driver", driver)
                .param("amount", kobo)
                .query(UUID.class)
                .single();
        return Map.entry(driver, user);
    }

    private Api.Response setPrice(Map<String, Object> price, SignedIn who) {
        return api().post("/api/v1/admin/subscription-plans", price, who.accessToken());
    }

    private long eliteNairaPrices() {
        return superuser()
                .sql("SELECT count(*) FROM public.subscription_plan_prices WHERE tier = 'elite' AND currency = 'NGN'")
                .query(Long.class)
                .single();
    }

    @Test
    void aNewPriceKeepsTheHistoryAndExistingSubscriptionsKeepTheirPrice() {
        Api.Response first =
                setPrice(Map.of("tier", "elite", "currency", "NGN", "monthlyPriceMinor", 30_000_000), admin);
        assertThat(first.status()).as(first.toString()).isEqualTo(201);

        Map.Entry<UUID, SignedIn> early = aLagosDriverEarning(200_000_000);
        Api.Response subscribed = api().post(
                        "/api/v1/drivers/me/subscription",
                        Map.of("tier", "elite", "currency", "NGN"),
                        early.getValue().accessToken());
        assertThat(subscribed.status()).as(subscribed.toString()).isEqualTo(200);
        assertThat(subscribed.body().get("monthlyPriceMinor").asLong()).isEqualTo(30_000_000);

        Api.Response raised =
                setPrice(Map.of("tier", "elite", "currency", "NGN", "monthlyPriceMinor", 45_000_000), admin);
        assertThat(raised.status()).as(raised.toString()).isEqualTo(201);
        Api.Response future = setPrice(
                Map.of(
                        "tier",
                        "elite",
                        "currency",
                        "NGN",
                        "monthlyPriceMinor",
                        99_000_000,
                        "effectiveFrom",
                        "2099-01-01T00:00:00Z"),
                admin);
        assertThat(future.status()).as(future.toString()).isEqualTo(201);

        SignedIn reader = accounts().aSignedInCustomer();
        Api.Response plans = api().get("/api/v1/subscription-plans", reader.accessToken());
        assertThat(plans.body()
                        .valueStream()
                        .filter(p -> p.get("tier").asString().equals("elite")
                                && p.get("currency").asString().equals("NGN"))
                        .map(p -> p.get("monthlyPriceMinor").asLong()))
                .as("the price in force now")
                .containsExactly(45_000_000L);
        Api.Response history = api().get("/api/v1/admin/subscription-plans", reader.accessToken());
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.body()
                        .valueStream()
                        .filter(p -> p.get("tier").asString().equals("elite")
                                && p.get("currency").asString().equals("NGN"))
                        .map(p -> p.get("monthlyPriceMinor").asLong()))
                .as("newest first, none lost")
                .containsExactly(99_000_000L, 45_000_000L, 30_000_000L);

        // The renewal charges the price the driver subscribed at.
        assertThat(superuser()
                        .sql("""
                        SELECT public.charge_subscription_period(s, s.next_billing_at) FROM public.driver_subscriptions s
                         WHERE s.driver_id = :d AND s.status = 'active'""")
                        .param("d", early.getKey())
                        .query(Boolean.class)
                        .single())
                .isTrue();
        assertThat(superuser()
                        .sql("SELECT amount_minor FROM public.payments WHERE payer_id = :u ORDER BY created_at")
                        .param("u", early.getValue().id())
                        .query(Long.class)
                        .list())
                .containsExactly(30_000_000L, 30_000_000L);

        Map.Entry<UUID, SignedIn> late = aLagosDriverEarning(200_000_000);
        Api.Response newcomer = api().post(
                        "/api/v1/drivers/me/subscription",
                        Map.of("tier", "elite", "currency", "NGN"),
                        late.getValue().accessToken());
        assertThat(newcomer.body().get("monthlyPriceMinor").asLong()).isEqualTo(45_000_000);

        // The renewal above was charged outside the billing run, which would also have moved the period on:
        // end both subscriptions so that no later billing run finds that period due again.
        superuser()
                .sql("UPDATE public.driver_subscriptions SET status = 'cancelled' WHERE driver_id IN (:early, :late)")
                .param("early", early.getKey())
                .param("late", late.getKey())
                .update();
    }

    @Test
    void onlySystemAdminsSetPricesWithinTheBounds() {
        long before = eliteNairaPrices();
        for (String role : List.of("fleet_admin", "driver", "support_agent")) {
            assertThat(setPrice(
                                    Map.of("tier", "elite", "currency", "NGN", "monthlyPriceMinor", 1_000),
                                    accounts().aSignedInStaffMember(role))
                            .code())
                    .as(role)
                    .isEqualTo("access-denied");
        }
        assertThat(setPrice(Map.of("tier", "elite", "currency", "NGN", "monthlyPriceMinor", 0), admin)
                        .code())
                .isEqualTo("validation-failed");
        assertThat(setPrice(Map.of("tier", "elite", "currency", "NGN", "monthlyPriceMinor", 1_000_000_000_001L), admin)
                        .code())
                .isEqualTo("validation-failed");
        assertThat(setPrice(Map.of("tier", "elite", "currency", "", "monthlyPriceMinor", 1_000), admin)
                        .code())
                .isEqualTo("validation-failed");
        assertThat(setPrice(Map.of("tier", "gold", "currency", "NGN", "monthlyPriceMinor", 1_000), admin)
                        .code())
                .isEqualTo("invalid-enum-value");
        assertThat(eliteNairaPrices()).as("refused requests write nothing").isEqualTo(before);
        assertThat(superuser()
                        .sql("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                                + "WHERE conname = 'subscription_plan_prices_price_chk'")
                        .query(String.class)
                        .single())
                .as("the database holds the same bound")
                .contains("1000000000000");
    }
}
