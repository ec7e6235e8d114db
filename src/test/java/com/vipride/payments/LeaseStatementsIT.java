package com.vipride.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.platform.security.SystemJobs;
import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import com.vipride.support.Rides;
import com.vipride.support.TestAccounts.SignedIn;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Monthly lease statements: fixed rent, minimum guarantee, excess mileage, late fee, settled in the ledger. */
class LeaseStatementsIT extends IntegrationTest {

    private static final YearMonth MONTH = YearMonth.now(ZoneOffset.UTC);

    @Autowired
    private LeaseBilling billing;

    private RideWorld world;
    private UUID fleet;
    private SignedIn fleetAdmin;
    private SignedIn owner;
    private Driver driver;
    private Rides rides;

    @BeforeEach
    void aFleetWithADriver() {
        world = new RideWorld(superuser(), accounts(), api());
        fleet = world.fleet(2000);
        fleetAdmin = accounts().aSignedInStaffMember("fleet_admin");
        superuser()
                .sql("INSERT INTO public.fleet_admins (user_id, fleet_company_id) VALUES (:u, :f)")
                .param("u", fleetAdmin.id())
                .param("f", fleet)
                .update();
        owner = world.rider("normal");
        rides = rides(world);
        driver = world.driverAt(100);
        superuser()
                .sql("UPDATE public.drivers SET category = 'fleet_driver', fleet_company_id = :f WHERE id = :d")
                .param("f", fleet)
                .param("d", driver.id())
                .update();
    }

    private UUID leasedVehicle(String type, long fixed, int shareBp, long minimum, Integer mileageLimit) {
        UUID vehicle = superuser()
                .sql("""
                INSERT INTO public.vehicles (plate_number, make, model, model_year, color, vehicle_type, seats,
                                             fleet_company_id, owner_user_id)
                VALUES (:plate, 'Toyota', 'Corolla', 2022, 'grey', 'sedan', 4, :fleet, :owner) RETURNING id""")
                .param("plate", "LS" + (System.nanoTime() % 100_000_000))
                .param("fleet", fleet)
                .param("owner", owner.id())
                .query(UUID.class)
                .single();
        return superuser()
                .sql("""
                INSERT INTO public.vehicle_leases (vehicle_id, owner_user_id, fleet_company_id, lease_type, currency,
                    fixed_monthly_minor, revenue_share_bp, minimum_monthly_minor, mileage_limit_km, excess_km_rate_minor,
                    late_fee_minor, starts_on)
                VALUES (:vehicle, :owner, :fleet, :type, 'NGN', :fixed, :share, :minimum, :limit, 50000, 200000,
                        DATE '2026-01-01') RETURNING id""")
                .param("vehicle", vehicle)
                .param("owner", owner.id())
                .param("fleet", fleet)
                .param("type", type)
                .param("fixed", fixed)
                .param("share", shareBp)
                .param("minimum", minimum)
                .param("limit", mileageLimit)
                .query(UUID.class)
                .single();
    }

    /** A ride of this month in the lease's vehicle, completed with the given fare and distance. */
    private void completedRide(UUID lease, long fare, int metres) {
        superuser().sql("""
                UPDATE public.drivers SET current_vehicle_id = (SELECT vehicle_id FROM public.vehicle_leases WHERE id = :lease)
                 WHERE id = :driver""").param("lease", lease).param("driver", driver.id()).update();
        rides.aCompletedRideAtFare(world.rider("normal").id(), driver, fare, metres);
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

    @Test
    void aHybridLeaseTopsUpToTheMinimumChargesExcessMileageAndALateFee() {
        UUID lease = leasedVehicle("hybrid", 1_000_000, 1000, 3_000_000, 10);
        completedRide(lease, 200_000, 8_000);
        completedRide(lease, 200_000, 7_000);
        // Each ride: commission 20 % = 40 000; owner 10 % of 160 000 = 16 000; fleet 20 % of 144 000 = 28 800.
        // (Arranged without payments, so the ledger holds only what the statement moves.)

        LeaseBilling.Statement statement = SystemJobs.run("test", () -> billing.issue(lease, MONTH));
        assertThat(statement.rides()).isEqualTo(2);
        assertThat(statement.revenueShareMinor()).isEqualTo(32_000);
        assertThat(statement.fixedMinor()).isEqualTo(1_000_000);
        assertThat(statement.guaranteeTopupMinor())
                .as("3 000 000 − 1 000 000 − 32 000")
                .isEqualTo(1_968_000);
        assertThat(statement.distanceKm()).isEqualTo(15);
        assertThat(statement.excessKm()).isEqualTo(5);
        assertThat(statement.excessChargeMinor()).isEqualTo(250_000);
        assertThat(statement.dueMinor()).isEqualTo(3_218_000);
        assertThat(statement.dueOn()).isEqualTo(MONTH.plusMonths(1).atDay(11));

        Instant afterTheMonth =
                MONTH.plusMonths(1).atDay(2).atStartOfDay(ZoneOffset.UTC).toInstant();
        LeaseBilling.RunResult waiting = SystemJobs.run("test", () -> billing.run(afterTheMonth));
        assertThat(waiting.waiting())
                .as("the fleet has no earnings to cover it")
                .isGreaterThanOrEqualTo(1);
        assertThatThrownBy(() -> billing.statements(lease))
                .as("nobody signed in: refused")
                .rootCause()
                .hasMessageContaining("permission denied");

        superuser().sql("""
                SELECT public.post_entry('ride_fare', 'NGN', 'fleet earnings', NULL, NULL, NULL,
                    ARRAY[public.ledger_account('platform', NULL, 'processor_receivable', 'NGN'),
                          public.ledger_account('fleet', :fleet, 'payable', 'NGN')], ARRAY[5000000, -5000000]::bigint[])""").param("fleet", fleet).query(UUID.class).single();
        Instant late =
                MONTH.plusMonths(1).atDay(15).atStartOfDay(ZoneOffset.UTC).toInstant();
        SystemJobs.run("test", () -> billing.run(late));
        Map<String, Object> paid = superuser()
                .sql("SELECT status, late_fee_minor FROM public.lease_statements WHERE lease_id = :id")
                .param("id", lease)
                .query()
                .singleRow();
        assertThat(paid).containsEntry("status", "paid").containsEntry("late_fee_minor", 200_000L);
        assertThat(payable("vehicle_owner", owner.id())).isEqualTo(3_218_000 + 200_000);
        assertThat(payable("fleet", fleet)).isEqualTo(5_000_000 - 3_418_000);

        Api.Response forFleet = api().get("/api/v1/leases/" + lease + "/statements", fleetAdmin.accessToken());
        assertThat(forFleet.body().size()).isEqualTo(1);
        assertThat(forFleet.body().get(0).get("dueMinor").asLong()).isEqualTo(3_218_000);
        assertThat(api().get("/api/v1/leases/" + lease + "/statements", owner.accessToken())
                        .body()
                        .size())
                .isEqualTo(1);
        assertThat(api().get(
                                "/api/v1/leases/" + lease + "/statements",
                                world.rider("normal").accessToken())
                        .body()
                        .size())
                .as("not theirs")
                .isZero();
        assertThat(api().post(
                                "/api/v1/leases/" + lease + "/statements?month=" + MONTH,
                                Map.of(),
                                fleetAdmin.accessToken())
                        .status())
                .as("only the platform issues")
                .isEqualTo(403);
    }

    @Test
    void aSettlementIsALeasePaymentFromTheFleetToTheOwnerThatOnlyTheyAndStaffSee() {
        OffsetDateTime started =
                superuser().sql("SELECT now()").query(OffsetDateTime.class).single();
        UUID lease = leasedVehicle("fixed_rate", 1_500_000, 0, 0, null);
        LeaseBilling.Statement statement = SystemJobs.run("test", () -> billing.issue(lease, MONTH));
        superuser().sql("""
                SELECT public.post_entry('ride_fare', 'NGN', 'fleet earnings', NULL, NULL, NULL,
                    ARRAY[public.ledger_account('platform', NULL, 'processor_receivable', 'NGN'),
                          public.ledger_account('fleet', :fleet, 'payable', 'NGN')], ARRAY[2000000, -2000000]::bigint[])""").param("fleet", fleet).query(UUID.class).single();
        Instant onTime =
                MONTH.plusMonths(1).atDay(3).atStartOfDay(ZoneOffset.UTC).toInstant();
        SystemJobs.run("test", () -> billing.run(onTime));

        Map<String, Object> payment =
                superuser().sql("""
                SELECT p.id, p.payer_id, p.payer_fleet_company_id, p.payee_user_id, p.payment_type, p.amount_minor, p.currency,
                       p.status::text AS status, p.method, p.processor, p.completed_at, e.entry_type
                  FROM public.payments p JOIN public.journal_entries e ON e.payment_id = p.id
                 WHERE p.lease_statement_id = :statement""").param("statement", statement.id()).query().singleRow();
        assertThat(payment)
                .containsEntry("payer_fleet_company_id", fleet)
                .containsEntry("payee_user_id", owner.id())
                .containsEntry("payment_type", "vehicle_lease")
                .containsEntry("amount_minor", 1_500_000L)
                .containsEntry("currency", "NGN")
                .containsEntry("status", "completed")
                .containsEntry("method", "wallet")
                .containsEntry("processor", "earnings")
                .containsEntry("entry_type", "lease_payment");
        assertThat(payment.get("payer_id")).as("a fleet pays, not a user").isNull();
        assertThat(((java.sql.Timestamp) payment.get("completed_at")).toInstant())
                .isEqualTo(onTime);
        assertThat(superuser()
                        .sql("SELECT kind || ' ' || detail FROM public.ledger_discrepancies(:since) "
                                + "WHERE kind <> 'ride_without_payment'")
                        .param("since", started)
                        .query(String.class)
                        .list())
                .as("the settled lease payment has its balanced entry for its amount")
                .isEmpty();
        SystemJobs.run("test", () -> billing.run(onTime.plusSeconds(86_400)));
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.payments WHERE lease_statement_id = :s")
                        .param("s", statement.id())
                        .query(Long.class)
                        .single())
                .as("settled once")
                .isEqualTo(1);

        String id = payment.get("id").toString();
        for (SignedIn party : new SignedIn[] {fleetAdmin, owner}) {
            Api.Response mine = api().get("/api/v1/payments", party.accessToken());
            assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
            assertThat(mine.body().get("items").size()).isEqualTo(1);
            assertThat(mine.body().get("items").get(0).get("leaseStatementId").asString())
                    .isEqualTo(statement.id().toString());
            assertThat(api().get("/api/v1/payments/" + id, party.accessToken()).text("payerFleetCompanyId"))
                    .isEqualTo(fleet.toString());
        }
        SignedIn otherFleetsAdmin = accounts().aSignedInStaffMember("fleet_admin");
        superuser()
                .sql("INSERT INTO public.fleet_admins (user_id, fleet_company_id) VALUES (:u, :f)")
                .param("u", otherFleetsAdmin.id())
                .param("f", world.fleet(2000))
                .update();
        for (SignedIn stranger : new SignedIn[] {
            otherFleetsAdmin, world.rider("normal"), accounts().aSignedInStaffMember("driver")
        }) {
            assertThat(api().get("/api/v1/payments/" + id, stranger.accessToken())
                            .status())
                    .isEqualTo(404);
            assertThat(api().get("/api/v1/payments", stranger.accessToken())
                            .body()
                            .get("items")
                            .size())
                    .isZero();
        }
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        assertThat(api().get("/api/v1/payments/" + id, support.accessToken()).text("payeeUserId"))
                .isEqualTo(owner.id().toString());
        assertThat(api().post(
                                "/api/v1/payments/" + id + "/disputes",
                                Map.of("amountMinor", 100, "reason", "x"),
                                support.accessToken())
                        .code())
                .as("no chargeback of a ledger transfer")
                .isEqualTo("settled-from-earnings");
    }

    @Test
    void aFixedRateLeaseOwesItsRentAndARevenueShareAboveTheMinimumNoTopUp() {
        UUID fixed = leasedVehicle("fixed_rate", 1_500_000, 0, 0, null);
        completedRide(fixed, 300_000, 40_000);
        LeaseBilling.Statement rent = SystemJobs.run("test", () -> billing.issue(fixed, MONTH));
        assertThat(rent.dueMinor()).isEqualTo(1_500_000);
        assertThat(rent.revenueShareMinor()).isZero();
        assertThat(rent.excessChargeMinor()).as("no mileage limit").isZero();

        UUID share = leasedVehicle("revenue_share", 0, 5000, 50_000, null);
        completedRide(share, 400_000, 5_000);
        LeaseBilling.Statement shared = SystemJobs.run("test", () -> billing.issue(share, MONTH));
        // 400 000 − 80 000 commission = 320 000; owner 50 % = 160 000 ≥ 50 000 minimum.
        assertThat(shared.revenueShareMinor()).isEqualTo(160_000);
        assertThat(shared.guaranteeTopupMinor()).isZero();
        assertThat(shared.dueMinor()).isZero();
        assertThat(SystemJobs.run("test", () -> billing.issue(share, MONTH)).id())
                .as("issued once")
                .isEqualTo(shared.id());
    }
}
