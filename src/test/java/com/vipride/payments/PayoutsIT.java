package com.vipride.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.platform.security.SystemJobs;
import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import com.vipride.support.TestAccounts.SignedIn;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Payouts equal the ledger balances, above the minimum, held while a dispute is open. */
class PayoutsIT extends IntegrationTest {

    @Autowired
    private Payouts payouts;

    private RideWorld world;
    private SignedIn support;

    @BeforeEach
    void market() {
        world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        support = accounts().aSignedInStaffMember("support_agent");
        superuser()
                .sql("UPDATE public.payout_minimums SET minimum_minor = 100000 WHERE currency = 'NGN'")
                .update();
    }

    @AfterEach
    void restoreMinimum() {
        superuser()
                .sql("UPDATE public.payout_minimums SET minimum_minor = 500000 WHERE currency = 'NGN'")
                .update();
    }

    private UUID paidRide(Driver driver, int metres) {
        Api.Response ride = world.completedRide(world.riderWithCard("tok_ok"), driver, metres);
        return superuser()
                .sql("SELECT id FROM public.payments WHERE ride_id = :id")
                .param("id", UUID.fromString(ride.text("id")))
                .query(UUID.class)
                .single();
    }

    private long balance(Driver driver) {
        return superuser()
                .sql("SELECT coalesce(sum(balance_minor), 0) FROM public.payee_balances WHERE holder_id = :id")
                .param("id", driver.id())
                .query(Long.class)
                .single();
    }

    private long paidOut(Driver driver) {
        return superuser()
                .sql("SELECT coalesce(sum(amount_minor), 0) FROM public.payouts WHERE holder_id = :id")
                .param("id", driver.id())
                .query(Long.class)
                .single();
    }

    @Test
    void eachPayeeIsPaidItsLedgerBalanceOnceAndSmallBalancesRollOver() {
        Driver busy = world.driverAt(100);
        paidRide(busy, 20_000);
        long owed = balance(busy);
        assertThat(owed).isGreaterThanOrEqualTo(100_000);
        Driver small = world.driverAt(5_000);
        superuser().sql("""
                SELECT public.post_entry('ride_fare', 'NGN', 'small', NULL, NULL, NULL,
                    ARRAY[public.ledger_account('platform', NULL, 'processor_receivable', 'NGN'),
                          public.ledger_account('driver', :d, 'payable', 'NGN')], ARRAY[99999, -99999]::bigint[])""").param("d", small.id()).query(UUID.class).single();

        SystemJobs.run("payouts", payouts::run);
        assertThat(paidOut(busy)).isEqualTo(owed);
        assertThat(balance(busy)).isZero();
        assertThat(paidOut(small)).as("below the minimum").isZero();
        assertThat(balance(small)).isEqualTo(99_999);
        SystemJobs.run("payouts", payouts::run);
        assertThat(paidOut(busy)).as("a second run pays nothing twice").isEqualTo(owed);

        Api.Response mine = api().get("/api/v1/earnings/payouts", busy.token());
        assertThat(mine.body().size()).isEqualTo(1);
        assertThat(mine.body().get(0).get("amountMinor").asLong()).isEqualTo(owed);
        assertThat(api().get("/api/v1/earnings/payouts", small.token()).body().size())
                .isZero();
        assertThat(superuser()
                        .sql(
                                "SELECT count(*) FROM public.ledger_discrepancies(now() - interval '1 hour') WHERE kind = 'unbalanced_entry'")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void anOpenDisputeHoldsThePayeesPayoutUntilItIsResolved() {
        Driver driver = world.driverAt(100);
        UUID payment = paidRide(driver, 20_000);
        long owed = balance(driver);
        Api.Response dispute = api().post(
                        "/api/v1/payments/" + payment + "/disputes",
                        Map.of("amountMinor", 5_000, "reason", "card holder disputes"),
                        support.accessToken());
        assertThat(dispute.status()).as(dispute.toString()).isEqualTo(201);

        SystemJobs.run("payouts", payouts::run);
        assertThat(paidOut(driver)).as("held").isZero();
        api().post(
                        "/api/v1/disputes/" + dispute.text("id") + "/resolution",
                        Map.of("status", "won"),
                        support.accessToken());
        SystemJobs.run("payouts", payouts::run);
        assertThat(paidOut(driver)).isEqualTo(owed);
    }
}
