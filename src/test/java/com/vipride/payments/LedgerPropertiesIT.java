package com.vipride.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.platform.security.SystemJobs;
import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import com.vipride.support.TestAccounts.SignedIn;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.lifecycle.BeforeTry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestContextManager;

/**
 * Whatever money moves happen in whatever order — rides paid by card, cash or a declined card, partial
 * and full refunds, disputes opened, won and lost, payout runs, subscriptions charged and renewed from
 * earnings — after every step every journal entry balances, the reconciliation check finds nothing,
 * refunds never exceed payments (and add up to what was refunded and lost), the API accepts exactly the
 * moves the rules allow, and a payout run pays each payee exactly its ledger balance at or above the
 * minimum unless a dispute holds it. jqwik generates the sequences and shrinks a failing one to its
 * shortest form; each try has a market of its own.
 */
class LedgerPropertiesIT extends IntegrationTest {

    private static final long NGN_PER_USD = 1500; // in force since 2020, as in SubscriptionsIT

    @Autowired
    private Payouts payouts;

    @Autowired
    private Subscriptions subscriptions;

    private TestContextManager spring;
    private OffsetDateTime since;
    private RideWorld world;
    private Driver driver;
    private Map<Paid, SignedIn> riders;
    private SignedIn support;
    private final List<UUID> payments = new ArrayList<>();

    /**
     * jqwik is not Jupiter, so Spring's extension does not run here: the test context manager joins the run's
     * one cached application context (this class's configuration is IntegrationTest's) and injects this instance.
     */
    @BeforeProperty
    void joinTheSharedApplicationContext() throws Exception {
        spring = new TestContextManager(getClass());
        spring.beforeTestClass();
        spring.prepareTestInstance(this);
        superuser()
                .sql(
                        "INSERT INTO public.exchange_rates VALUES ('USD', 'NGN', :rate, TIMESTAMPTZ '2020-01-01', 'test', now()) "
                                + "ON CONFLICT DO NOTHING")
                .param("rate", NGN_PER_USD)
                .update();
    }

    @AfterProperty
    void leaveTheSharedApplicationContext() throws Exception {
        spring.afterTestClass();
    }

    @BeforeTry
    void aMarketOfItsOwn() {
        since = superuser().sql("SELECT now()").query(OffsetDateTime.class).single();
        world = new RideWorld(superuser(), accounts(), api());
        // ₦50,000 + ₦10,000 a km: a ride or two earn a subscription (₦148,500 and up) and pass the payout minimum.
        world.tariff("sedan", "normal", "per_ride", 5_000_000, 1_000_000, 0, 0, 0, 100_000);
        driver = world.driverAt(300);
        riders = Map.of(
                Paid.CARD,
                world.riderWithCard("tok_ok"),
                Paid.CASH,
                world.rider("normal"),
                Paid.DECLINED_CARD,
                world.riderWithCard("tok_decline"));
        support = accounts().aSignedInStaffMember("support_agent");
        payments.clear();
    }

    @Property(tries = 15)
    void everyStepLeavesTheLedgerReconciled(@ForAll("operations") List<Operation> operations) {
        for (int step = 0; step < operations.size(); step++) {
            Operation operation = operations.get(step);
            apply(operation);
            assertReconciled("after step " + step + " " + operation + " of " + operations);
        }
    }

    @Provide
    Arbitrary<List<Operation>> operations() {
        Arbitrary<Integer> payment = Arbitraries.integers().between(0, 11);
        Arbitrary<Integer> percent = Arbitraries.integers().between(1, 110);
        return Arbitraries.<Operation>frequencyOf(
                        Tuple.of(
                                4,
                                Combinators.combine(
                                                Arbitraries.of(Paid.class),
                                                Arbitraries.integers().between(1, 30))
                                        .as(Ride::new)),
                        Tuple.of(2, Combinators.combine(payment, percent).as(Refund::new)),
                        Tuple.of(2, Combinators.combine(payment, percent).as(Dispute::new)),
                        Tuple.of(
                                2,
                                Combinators.combine(payment, Arbitraries.of(true, false))
                                        .as(Resolve::new)),
                        Tuple.of(1, Arbitraries.just(new PayoutRun())),
                        Tuple.of(1, Arbitraries.of(Subscriptions.Tier.class).map(Subscription::new)))
                .list()
                .ofMaxSize(12);
    }

    private void apply(Operation operation) {
        if (operation instanceof Ride ride) {
            Api.Response done = world.completedRide(riders.get(ride.paid()), driver, ride.km() * 1_000);
            payments.add(superuser()
                    .sql("SELECT id FROM public.payments WHERE ride_id = :id")
                    .param("id", UUID.fromString(done.text("id")))
                    .query(UUID.class)
                    .single());
        } else if (operation instanceof Refund refund && !payments.isEmpty()) {
            Payment payment = payment(refund.payment());
            long amount = payment.part(refund.percent());
            Api.Response response = api().post(
                            "/api/v1/payments/" + payment.id() + "/refunds",
                            Map.of("amountMinor", amount, "reason", "property"),
                            support.accessToken());
            int expected =
                    !payment.refundable() ? 409 : amount > payment.left() ? 422 : payment.fromEarnings() ? 409 : 201;
            assertThat(response.status())
                    .as("%s of %s: %s", refund, payment, response)
                    .isEqualTo(expected);
        } else if (operation instanceof Dispute dispute && !payments.isEmpty()) {
            Payment payment = payment(dispute.payment());
            long amount = payment.part(dispute.percent());
            Api.Response response = api().post(
                            "/api/v1/payments/" + payment.id() + "/disputes",
                            Map.of("amountMinor", amount, "reason", "property"),
                            support.accessToken());
            boolean allowed = payment.refundable() && amount <= payment.left() && !payment.fromEarnings();
            assertThat(response.status())
                    .as("%s of %s: %s", dispute, payment, response)
                    .isEqualTo(allowed ? 201 : 409);
        } else if (operation instanceof Resolve resolve && !payments.isEmpty()) {
            UUID payment = payments.get(Math.floorMod(resolve.payment(), payments.size()));
            superuser()
                    .sql(
                            "SELECT id FROM public.payment_disputes WHERE payment_id = :id AND status IN ('open', 'under_review')")
                    .param("id", payment)
                    .query(UUID.class)
                    .optional()
                    .ifPresent(dispute -> {
                        Api.Response response = api().post(
                                        "/api/v1/disputes/" + dispute + "/resolution",
                                        Map.of("status", resolve.won() ? "won" : "lost"),
                                        support.accessToken());
                        assertThat(response.status()).as(response.toString()).isEqualTo(200);
                    });
        } else if (operation instanceof PayoutRun) {
            payoutRun();
        } else if (operation instanceof Subscription subscription) {
            subscriptionCharge(subscription.tier());
        }
    }

    /** Each of the driver's payable accounts is paid exactly its balance if at or above the minimum and not held. */
    private void payoutRun() {
        long minimum = superuser()
                .sql("SELECT minimum_minor FROM public.payout_minimums WHERE currency = 'NGN'")
                .query(Long.class)
                .single();
        Map<UUID, Account> before = payables();
        SystemJobs.run("payouts", payouts::run);
        Map<UUID, Account> after = payables();
        before.forEach((id, was) -> {
            long due = !was.held() && was.balance() >= minimum ? was.balance() : 0;
            assertThat(after.get(id).paidOut() - was.paidOut())
                    .as("paid out of %s (minimum %d)", was, minimum)
                    .isEqualTo(due);
            assertThat(after.get(id).balance()).as("left on %s", was).isEqualTo(was.balance() - due);
        });
    }

    /** Subscribes the driver (first month charged at once), or bills the live subscription when it falls due. */
    private void subscriptionCharge(Subscriptions.Tier tier) {
        long earnings = payables().values().stream().mapToLong(Account::balance).sum();
        Optional<Map<String, Object>> live =
                superuser()
                        .sql("""
                SELECT s.id, s.next_billing_at, s.monthly_price_minor * :rate AS price FROM public.driver_subscriptions s
                 WHERE s.driver_id = :driver AND s.status IN ('active', 'past_due')""")
                        .param("driver", driver.id())
                        .param("rate", NGN_PER_USD)
                        .query()
                        .listOfRows()
                        .stream()
                        .findFirst();
        if (live.isEmpty()) {
            long price = superuser()
                    .sql("SELECT public.subscription_plan_price(CAST(:tier AS public.driver_subscription_tier), 'USD') "
                            + "* :rate")
                    .param("rate", NGN_PER_USD)
                    .param("tier", tier.name())
                    .query(Long.class)
                    .single();
            Api.Response response =
                    api().post("/api/v1/drivers/me/subscription", Map.of("tier", tier.name()), driver.token());
            assertThat(response.status())
                    .as("%d earned, %d due: %s", earnings, price, response)
                    .isEqualTo(earnings >= price ? 200 : 402);
            if (response.status() == 200) {
                payments.add(lastAttempt(UUID.fromString(response.text("id"))).id());
            }
            return;
        }
        UUID id = (UUID) live.get().get("id");
        long price = ((Number) live.get().get("price")).longValue();
        OffsetDateTime due =
                ((Timestamp) live.get().get("next_billing_at")).toInstant().atOffset(java.time.ZoneOffset.UTC);
        SystemJobs.run(
                "subscription-billing",
                () -> subscriptions.bill(due.plusMinutes(1).toInstant()));
        Payment attempt = lastAttempt(id);
        assertThat(attempt.status())
                .as("%d earned, %d due", earnings, price)
                .isEqualTo(earnings >= price ? "completed" : "failed");
        payments.add(attempt.id());
    }

    private void assertReconciled(String step) {
        assertThat(superuser()
                        .sql(
                                "SELECT kind || ' ' || reference || ' ' || detail FROM public.ledger_discrepancies(:since)")
                        .param("since", since)
                        .query(String.class)
                        .list())
                .as(step)
                .isEmpty();
        assertThat(superuser().sql("""
                SELECT entry_id FROM public.journal_lines WHERE posted_at >= :since
                 GROUP BY entry_id HAVING sum(amount_minor) <> 0""").param("since", since).query(UUID.class).list())
                .as("unbalanced entries " + step)
                .isEmpty();
        assertThat(superuser().sql("""
                SELECT p.id FROM public.payments p
                 WHERE p.created_at >= :since
                   AND (p.refunded_minor > p.amount_minor
                        OR p.refunded_minor <> (SELECT coalesce(sum(r.amount_minor), 0) FROM public.refunds r WHERE r.payment_id = p.id)
                                             + (SELECT coalesce(sum(d.amount_minor), 0) FROM public.payment_disputes d
                                                 WHERE d.payment_id = p.id AND d.status = 'lost'))""").param("since", since).query(UUID.class).list())
                .as("refunds beyond payments " + step)
                .isEmpty();
    }

    private Payment payment(int index) {
        return superuser()
                .sql("""
                SELECT id, status::text, amount_minor, refunded_minor, processor = 'earnings' FROM public.payments WHERE id = :id""")
                .param("id", payments.get(Math.floorMod(index, payments.size())))
                .query((rs, n) -> new Payment(
                        rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getBoolean(5)))
                .single();
    }

    private Payment lastAttempt(UUID subscription) {
        return superuser()
                .sql("""
                SELECT id, status::text, amount_minor, refunded_minor, true FROM public.payments
                 WHERE driver_subscription_id = :id ORDER BY created_at DESC LIMIT 1""")
                .param("id", subscription)
                .query((rs, n) ->
                        new Payment(rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3), rs.getLong(4), true))
                .single();
    }

    /** The driver's payable accounts: balance, whether a dispute holds it, what was paid out of it. */
    private Map<UUID, Account> payables() {
        Map<UUID, Account> accounts = new java.util.HashMap<>();
        superuser()
                .sql("""
                SELECT a.id, b.balance_minor, a.id IN (SELECT h.account_id FROM public.payees_on_hold() h),
                       (SELECT coalesce(sum(o.amount_minor), 0) FROM public.payouts o WHERE o.account_id = a.id)
                  FROM public.ledger_accounts a JOIN public.payee_balances b ON b.account_id = a.id
                 WHERE a.purpose = 'payable' AND a.holder_id = :driver""")
                .param("driver", driver.id())
                .query((rs, n) ->
                        new Account(rs.getObject(1, UUID.class), rs.getLong(2), rs.getBoolean(3), rs.getLong(4)))
                .list()
                .forEach(account -> accounts.put(account.id(), account));
        return accounts;
    }

    enum Paid {
        CARD,
        CASH,
        DECLINED_CARD
    }

    interface Operation {}

    record Ride(Paid paid, int km) implements Operation {}

    /** A refund of {@code percent} of what is left of a payment (over 100: more than is left). */
    record Refund(int payment, int percent) implements Operation {}

    record Dispute(int payment, int percent) implements Operation {}

    record Resolve(int payment, boolean won) implements Operation {}

    record PayoutRun() implements Operation {}

    record Subscription(Subscriptions.Tier tier) implements Operation {}

    private record Payment(UUID id, String status, long amount, long refunded, boolean fromEarnings) {

        long left() {
            return amount - refunded;
        }

        long part(int percent) {
            return Math.max(1, left() * percent / 100);
        }

        boolean refundable() {
            return status.equals("completed") || status.equals("refunded");
        }
    }

    private record Account(UUID id, long balance, boolean held, long paidOut) {}
}
