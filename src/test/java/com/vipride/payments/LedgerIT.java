package com.vipride.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import com.vipride.support.TestAccounts.SignedIn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ride payments captured at completion and posted to the double-entry ledger; refunds (also racing),
 * disputes and the reconciliation check. Random sequences of these: LedgerPropertiesIT.
 */
class LedgerIT extends IntegrationTest {

    private java.time.OffsetDateTime started;
    private RideWorld world;
    private Driver driver;
    private SignedIn support;

    @BeforeEach
    void market() {
        started = superuser()
                .sql("SELECT now()")
                .query(java.time.OffsetDateTime.class)
                .single();
        world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        driver = world.driverAt(300);
        support = accounts().aSignedInStaffMember("support_agent");
    }

    private SignedIn riderWithCard(String token) {
        return world.riderWithCard(token);
    }

    private Api.Response completedRide(SignedIn rider, int metres) {
        return world.completedRide(rider, driver, metres);
    }

    private Map<String, Object> paymentOf(Api.Response ride) {
        return superuser()
                .sql("SELECT id, status::text AS status, amount_minor, processor_fee_minor, method, refunded_minor "
                        + "FROM public.payments WHERE ride_id = :id")
                .param("id", UUID.fromString(ride.text("id")))
                .query()
                .singleRow();
    }

    private long payable(String kind, UUID holder) {
        return superuser()
                .sql(
                        "SELECT coalesce(sum(balance_minor), 0) FROM public.payee_balances WHERE holder_kind = :k AND holder_id = :h")
                .param("k", kind)
                .param("h", holder)
                .query(Long.class)
                .single();
    }

    private List<String> discrepancies() {
        return superuser()
                .sql("SELECT kind || ' ' || reference || ' ' || detail FROM public.ledger_discrepancies(:since)")
                .param("since", started)
                .query(String.class)
                .list();
    }

    @Test
    void aCardRideIsChargedAtCompletionAndEveryShareIsPosted() {
        Api.Response ride = completedRide(riderWithCard("tok_ok"), 7_000);
        long fare = ride.body().get("finalFareMinor").asLong();
        Map<String, Object> payment = paymentOf(ride);
        assertThat(payment)
                .containsEntry("status", "completed")
                .containsEntry("amount_minor", fare)
                .containsEntry("method", "card");
        long fee = Math.min(200_000, Math.round(fare * 0.015) + 100);
        assertThat(payment).containsEntry("processor_fee_minor", fee);

        Map<String, Object> shares = superuser()
                .sql(
                        "SELECT platform_commission_minor, driver_share_minor FROM public.ride_earnings WHERE ride_id = :id")
                .param("id", UUID.fromString(ride.text("id")))
                .query()
                .singleRow();
        assertThat(payable("driver", driver.id())).isEqualTo(shares.get("driver_share_minor"));
        assertThat(discrepancies()).isEmpty();

        Api.Response mine = api().get("/api/v1/earnings/balances", driver.token());
        assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
        assertThat(mine.body().get(0).get("balanceMinor").asLong()).isEqualTo((Long) shares.get("driver_share_minor"));
        Driver other = world.driverAt(4_000);
        assertThat(api().get("/api/v1/earnings/balances", other.token()).body().size())
                .as("another driver's are not theirs")
                .isZero();
        Api.Response statement = api().get(
                        "/api/v1/earnings/statement?from=" + started.toInstant() + "&to="
                                + Instant.now().plusSeconds(5),
                        driver.token());
        assertThat(statement.body().size()).isEqualTo(1);
        assertThat(statement.body().get(0).get("amountMinor").asLong())
                .isEqualTo((Long) shares.get("driver_share_minor"));
    }

    @Test
    void aDeclinedCardIsAFailedPaymentWithNoEntriesAndCashLeavesTheDriverOwingTheCommission() {
        Api.Response declined = completedRide(riderWithCard("tok_decline"), 3_000);
        assertThat(paymentOf(declined)).containsEntry("status", "failed");
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.journal_entries WHERE ride_id = :id")
                        .param("id", UUID.fromString(declined.text("id")))
                        .query(Long.class)
                        .single())
                .isZero();

        Api.Response cash = completedRide(world.rider("normal"), 3_000);
        assertThat(paymentOf(cash)).containsEntry("status", "completed").containsEntry("method", "cash");
        long fare = cash.body().get("finalFareMinor").asLong();
        long commission = Math.round(fare * 0.20);
        assertThat(payable("driver", driver.id()))
                .as("collected the fare, owes the commission")
                .isEqualTo(-commission);
        assertThat(discrepancies()).isEmpty();
    }

    @Test
    void refundsNeverExceedThePaymentEvenWhenTheyRace() throws Exception {
        Api.Response ride = completedRide(riderWithCard("tok_ok"), 12_000);
        Map<String, Object> payment = paymentOf(ride);
        UUID paymentId = (UUID) payment.get("id");
        long fare = (Long) payment.get("amount_minor");
        long part = fare * 3 / 10;

        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(() -> api().post(
                            "/api/v1/payments/" + paymentId + "/refunds",
                            Map.of("amountMinor", part, "reason", "overcharged"),
                            support.accessToken())
                    .status());
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Integer> statuses = new ArrayList<>();
        try {
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(3);
        assertThat(statuses).filteredOn(s -> s == 422).hasSize(3);
        assertThat(paymentOf(ride)).containsEntry("refunded_minor", 3 * part);

        Api.Response rest = api().post(
                        "/api/v1/payments/" + paymentId + "/refunds",
                        Map.of("amountMinor", fare - 3 * part, "reason", "goodwill"),
                        support.accessToken());
        assertThat(rest.status()).as(rest.toString()).isEqualTo(201);
        assertThat(paymentOf(ride)).containsEntry("status", "refunded");
        assertThat(payable("driver", driver.id())).as("every share taken back").isZero();
        assertThat(api().post(
                                "/api/v1/payments/" + paymentId + "/refunds",
                                Map.of("amountMinor", 1, "reason", "x"),
                                support.accessToken())
                        .code())
                .isEqualTo("refund-exceeds-payment");
        assertThat(discrepancies()).isEmpty();
    }

    @Test
    void refundsAreIdempotentValidatedAndOnlyForStaff() {
        Api.Response ride = completedRide(riderWithCard("tok_ok"), 5_000);
        UUID paymentId = (UUID) paymentOf(ride).get("id");
        String path = "/api/v1/payments/" + paymentId + "/refunds";
        var request = api().request(path, support.accessToken())
                .header("content-type", "application/json")
                .header("Idempotency-Key", "refund-1")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"amountMinor\":1000,\"reason\":\"late\"}"))
                .build();
        Api.Response first = api().send(request);
        Api.Response again = api().send(request);
        assertThat(again.text("id")).isEqualTo(first.text("id"));
        assertThat(paymentOf(ride)).containsEntry("refunded_minor", 1000L);

        assertThat(api().post(path, Map.of("amountMinor", 0, "reason", "x"), support.accessToken())
                        .code())
                .isEqualTo("validation-failed");
        assertThat(api().post(path, Map.of("amountMinor", -5, "reason", "x"), support.accessToken())
                        .status())
                .isEqualTo(400);
        assertThat(api().post(path, Map.of("amountMinor", 10, "reason", "mine"), driver.token())
                        .status())
                .isEqualTo(403);
        assertThat(api().post(
                                "/api/v1/payments/" + UUID.randomUUID() + "/refunds",
                                Map.of("amountMinor", 10, "reason", "x"),
                                support.accessToken())
                        .status())
                .isEqualTo(404);
        assertThat(paymentOf(ride)).containsEntry("refunded_minor", 1000L);
    }

    @Test
    void aLostDisputeTakesTheSharesBackAndAWonOneRestoresThePayment() {
        Api.Response lost = completedRide(riderWithCard("tok_ok"), 8_000);
        UUID lostPayment = (UUID) paymentOf(lost).get("id");
        long fare = (Long) paymentOf(lost).get("amount_minor");
        long before = payable("driver", driver.id());
        Api.Response dispute = api().post(
                        "/api/v1/payments/" + lostPayment + "/disputes",
                        Map.of("amountMinor", fare, "reason", "not recognised"),
                        support.accessToken());
        assertThat(dispute.status()).as(dispute.toString()).isEqualTo(201);
        assertThat(paymentOf(lost)).containsEntry("status", "disputed");
        assertThat(api().post(
                                "/api/v1/payments/" + lostPayment + "/refunds",
                                Map.of("amountMinor", 1, "reason", "x"),
                                support.accessToken())
                        .code())
                .as("no refund while disputed")
                .isEqualTo("payment-not-refundable");
        String disputeId = dispute.text("id");
        assertThat(api().post(
                                "/api/v1/disputes/" + disputeId + "/resolution",
                                Map.of("status", "under_review"),
                                support.accessToken())
                        .text("status"))
                .isEqualTo("under_review");
        assertThat(api().post(
                                "/api/v1/disputes/" + disputeId + "/resolution",
                                Map.of("status", "lost"),
                                support.accessToken())
                        .text("status"))
                .isEqualTo("lost");
        assertThat(api().post(
                                "/api/v1/disputes/" + disputeId + "/resolution",
                                Map.of("status", "won"),
                                support.accessToken())
                        .code())
                .isEqualTo("illegal-transition");
        assertThat(paymentOf(lost)).containsEntry("status", "refunded").containsEntry("refunded_minor", fare);
        assertThat(payable("driver", driver.id())).isLessThan(before);

        Api.Response won = completedRide(riderWithCard("tok_ok"), 8_000);
        UUID wonPayment = (UUID) paymentOf(won).get("id");
        String wonDispute = api().post(
                        "/api/v1/payments/" + wonPayment + "/disputes",
                        Map.of("amountMinor", 500, "reason", "double charge?"),
                        support.accessToken())
                .text("id");
        assertThat(api().post(
                                "/api/v1/disputes/" + wonDispute + "/resolution",
                                Map.of("status", "won"),
                                support.accessToken())
                        .text("status"))
                .isEqualTo("won");
        assertThat(paymentOf(won)).containsEntry("status", "completed").containsEntry("refunded_minor", 0L);
        assertThat(discrepancies()).isEmpty();
    }

    @Test
    void theLedgerIsAppendOnlyAndAnUnbalancedEntryNeverCommits() {
        completedRide(riderWithCard("tok_ok"), 2_000);
        assertThatThrownBy(() -> loginAs("vipride_owner")
                        .sql("UPDATE public.journal_lines SET amount_minor = amount_minor + 1")
                        .update())
                .hasMessageContaining("never changed");
        assertThatThrownBy(() -> loginAs("vipride_owner")
                        .sql("DELETE FROM public.journal_entries")
                        .update())
                .hasMessageContaining("never changed");
        assertThatThrownBy(() ->
                        loginAs("vipride_owner").sql("""
                SELECT public.post_entry('refund', 'NGN', 'forged', NULL, NULL, NULL,
                    ARRAY[public.ledger_account('platform', NULL, 'commission_revenue', 'NGN')], ARRAY[500::bigint])""").query(UUID.class).single())
                .hasMessageContaining("does not balance");
        assertThatThrownBy(() -> loginAs("app_backend")
                        .sql("SELECT public.post_entry('refund', 'NGN', 'x', NULL, NULL, NULL, "
                                + "ARRAY[]::uuid[], ARRAY[]::bigint[])")
                        .query(UUID.class)
                        .single())
                .rootCause()
                .hasMessageContaining("permission denied");
    }

    @Test
    void aPaymentMovesOnlyByTheSpecsLegalTransitions() {
        UUID failed = (UUID)
                paymentOf(completedRide(riderWithCard("tok_decline"), 2_000)).get("id");
        UUID completed =
                (UUID) paymentOf(completedRide(riderWithCard("tok_ok"), 2_000)).get("id");
        for (Map.Entry<UUID, String> illegal :
                Map.of(failed, "completed", completed, "pending").entrySet()) {
            assertThatThrownBy(() -> loginAs("vipride_owner")
                            .sql("UPDATE public.payments SET status = CAST(:to AS public.payment_status) "
                                    + "WHERE id = :id")
                            .param("to", illegal.getValue())
                            .param("id", illegal.getKey())
                            .update())
                    .as("to %s", illegal.getValue())
                    .hasMessageContaining("A payment cannot go from");
        }
        assertThat(superuser()
                        .sql("SELECT public.payment_transition_allowed('disputed', 'refunded')")
                        .query(Boolean.class)
                        .single())
                .as("a lost dispute")
                .isTrue();
    }

    @Test
    void aStatementPageIsTheNewestLinesOfAllThePayeesAccounts() {
        // The driver is also a vehicle owner and is owed in two currencies: three payable accounts.
        List<String> accountsOfDriver = List.of(
                "public.ledger_account('driver', '" + driver.id() + "', 'payable', 'NGN')",
                "public.ledger_account('vehicle_owner', '" + driver.user().id() + "', 'payable', 'NGN')",
                "public.ledger_account('driver', '" + driver.id() + "', 'payable', 'USD')");
        List<Long> credited = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String account = accountsOfDriver.get(i % 3);
            String currency = i % 3 == 2 ? "USD" : "NGN";
            long amount = 1_000 + i;
            // One statement each, so each entry has its own now() and the twelve are ordered in time.
            superuser()
                    .sql("SELECT public.post_entry('payout', :currency, 'statement test', NULL, NULL, NULL, "
                            + "ARRAY[public.ledger_account('platform', NULL, 'processor_receivable', :currency), "
                            + account + "], "
                            + "ARRAY[:amount, -:amount]::bigint[])")
                    .param("currency", currency)
                    .param("amount", amount)
                    .query()
                    .singleRow();
            credited.add(0, amount);
        }
        String window = "/api/v1/earnings/statement?from=" + started.toInstant() + "&to="
                + Instant.now().plusSeconds(5);

        Api.Response page = api().get(window + "&limit=5", driver.token());
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        List<Long> amounts = new ArrayList<>();
        page.body().forEach(line -> amounts.add(line.get("amountMinor").asLong()));
        assertThat(amounts).as("the five newest across the three accounts").isEqualTo(credited.subList(0, 5));
        assertThat(page.body().get(0).get("currency").asString()).isEqualTo("USD");
        assertThat(page.body().get(1).get("holderKind").asString()).isEqualTo("vehicle_owner");
        assertThat(page.body().get(2).get("holderKind").asString()).isEqualTo("driver");

        Api.Response all = api().get(window, driver.token());
        assertThat(all.body().size()).as("every line when they fit the page").isEqualTo(12);
        assertThat(api().get(window, world.driverAt(900).token()).body().size())
                .as("another driver's are not theirs")
                .isZero();
    }

    @Test
    void aMissingExchangeRateIsAnErrorNeverOne() {
        // XTS is ISO 4217's code for testing: a currency no rate exists for until this test adds one.
        superuser()
                .sql("INSERT INTO public.currencies VALUES ('XTS', 'Test currency', 2) ON CONFLICT DO NOTHING")
                .update();
        superuser()
                .sql("DELETE FROM public.exchange_rates WHERE quote_currency = 'XTS'")
                .update();
        assertThatThrownBy(() -> superuser()
                        .sql("SELECT public.convert_minor(10000, 'USD', 'XTS', now())")
                        .query(Long.class)
                        .single())
                .hasMessageContaining("No exchange rate from USD to XTS");
        superuser()
                .sql(
                        "INSERT INTO public.exchange_rates VALUES ('USD', 'XTS', 1500.25, now() - interval '1 day', 'test', now())")
                .update();
        assertThat(superuser()
                        .sql("SELECT public.convert_minor(10000, 'USD', 'XTS', now())")
                        .query(Long.class)
                        .single())
                .isEqualTo(15_002_500L);
        assertThat(superuser()
                        .sql("SELECT public.convert_minor(15002500, 'XTS', 'USD', now())")
                        .query(Long.class)
                        .single())
                .as("the inverse of the opposite pair")
                .isEqualTo(10_000L);
        assertThatThrownBy(() -> superuser()
                        .sql("SELECT public.convert_minor(100, 'USD', 'XTS', now() - interval '2 days')")
                        .query(Long.class)
                        .single())
                .as("not before it took effect")
                .hasMessageContaining("No exchange rate");
    }
}
