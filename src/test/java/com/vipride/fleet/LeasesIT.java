package com.vipride.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.AsRole;
import com.vipride.support.AuditChain;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import com.vipride.support.TestAccounts.SignedIn;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Vehicle leases as contracts: an owner offers, the lessee (a fleet's admin or a driver) accepts, either
 * ends it (early for the contract's fee, moved in the ledger), the end date completes it; each party
 * sees only its own leases, and a refused step writes nothing.
 */
class LeasesIT extends IntegrationTest {

    private RideWorld world;
    private SignedIn owner;
    private UUID vehicle;
    private UUID fleet;
    private SignedIn fleetAdmin;
    private SignedIn otherFleetsAdmin;
    private LocalDate today;
    private OffsetDateTime started;

    @BeforeEach
    void anOwnerAVehicleAndAFleet() {
        world = new RideWorld(superuser(), accounts(), api());
        started = superuser().sql("SELECT now()").query(OffsetDateTime.class).single();
        today = superuser().sql("SELECT current_date").query(LocalDate.class).single();
        owner = world.rider("normal");
        vehicle = vehicleOf(owner);
        fleet = world.fleet(2000);
        fleetAdmin = adminOf(fleet);
        otherFleetsAdmin = adminOf(world.fleet(2000));
    }

    private UUID vehicleOf(SignedIn user) {
        return superuser()
                .sql("""
                INSERT INTO public.vehicles (plate_number, make, model, model_year, color, vehicle_type, seats, owner_user_id)
                VALUES (:plate, 'Toyota', 'Corolla', 2022, 'grey', 'sedan', 4, :owner) RETURNING id""")
                .param("plate", "LZ" + (System.nanoTime() % 100_000_000))
                .param("owner", user.id())
                .query(UUID.class)
                .single();
    }

    private SignedIn adminOf(UUID fleetId) {
        SignedIn admin = accounts().aSignedInStaffMember("fleet_admin");
        superuser()
                .sql("INSERT INTO public.fleet_admins (user_id, fleet_company_id) VALUES (:u, :f)")
                .param("u", admin.id())
                .param("f", fleetId)
                .update();
        return admin;
    }

    private Map<String, Object> hybridToFleet(LocalDate startsOn, LocalDate endsOn) {
        Map<String, Object> offer = new HashMap<>();
        offer.put("vehicleId", vehicle);
        offer.put("fleetCompanyId", fleet);
        offer.put("leaseType", "hybrid");
        offer.put("currency", "NGN");
        offer.put("fixedMonthlyMinor", 1_000_000);
        offer.put("revenueShareBp", 1000);
        offer.put("minimumMonthlyMinor", 3_000_000);
        offer.put("mileageLimitKm", 3000);
        offer.put("excessKmRateMinor", 5000);
        offer.put("lateFeeMinor", 20_000);
        offer.put("earlyTerminationFeeMinor", 500_000);
        offer.put("startsOn", startsOn.toString());
        offer.put("endsOn", endsOn == null ? null : endsOn.toString());
        return offer;
    }

    private String offered(Map<String, Object> offer) {
        Api.Response response = api().post("/api/v1/leases", offer, owner.accessToken());
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        assertThat(response.text("status")).isEqualTo("pending");
        return response.text("id");
    }

    private Api.Response step(String lease, String step, SignedIn who) {
        return api().post("/api/v1/leases/" + lease + "/" + step, Map.of(), who.accessToken());
    }

    private long leasesOfVehicle() {
        return superuser()
                .sql("SELECT count(*) FROM public.vehicle_leases WHERE vehicle_id = :v")
                .param("v", vehicle)
                .query(Long.class)
                .single();
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
                .sql("SELECT kind || ' ' || detail FROM public.ledger_discrepancies(:since) "
                        + "WHERE kind <> 'ride_without_payment'")
                .param("since", started)
                .query(String.class)
                .list();
    }

    private static List<String> ids(Api.Response page) {
        return StreamSupport.stream(page.body().get("items").spliterator(), false)
                .map(item -> item.get("id").asString())
                .toList();
    }

    @Test
    void aFleetAcceptsAnOwnersOfferAndEndingItEarlyMovesTheFeeFromTheFleetToTheOwner() {
        String lease = offered(hybridToFleet(today, today.plusYears(1)));

        assertThat(step(lease, "accept", owner).status())
                .as("the owner cannot accept their own offer")
                .isEqualTo(403);
        assertThat(step(lease, "accept", otherFleetsAdmin).status())
                .as("another fleet's admin: as if it did not exist")
                .isEqualTo(404);
        Api.Response accepted = step(lease, "accept", fleetAdmin);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.text("status")).isEqualTo("active");
        assertThat(accepted.text("acceptedAt")).isNotNull();
        assertThat(step(lease, "accept", fleetAdmin).code()).isEqualTo("illegal-transition");

        Api.Response ended = step(lease, "terminate", fleetAdmin);
        assertThat(ended.status()).as(ended.toString()).isEqualTo(200);
        assertThat(ended.text("status")).isEqualTo("terminated");
        assertThat(ended.text("endsOn"))
                .as("it ran through today")
                .isEqualTo(today.plusDays(1).toString());
        assertThat(payable("vehicle_owner", owner.id())).isEqualTo(500_000);
        assertThat(payable("fleet", fleet)).isEqualTo(-500_000);
        Map<String, Object> entry = superuser()
                .sql("""
                SELECT e.entry_type, e.currency, sum(l.amount_minor)::bigint AS total, count(*) AS lines
                  FROM public.journal_entries e JOIN public.journal_lines l ON l.entry_id = e.id
                 WHERE e.id = :entry GROUP BY e.entry_type, e.currency""")
                .param("entry", UUID.fromString(ended.text("terminationEntryId")))
                .query()
                .singleRow();
        assertThat(entry)
                .containsEntry("entry_type", "lease_termination")
                .containsEntry("currency", "NGN")
                .containsEntry("total", 0L)
                .containsEntry("lines", 2L);
        assertThat(discrepancies()).as("the books still reconcile").isEmpty();
        assertThat(step(lease, "terminate", owner).code()).isEqualTo("illegal-transition");

        AuditChain.drain(superuser());
        assertThat(superuser().sql("""
                        SELECT string_agg(operation || ':' || coalesce(new_values ->> 'status', ''), ',' ORDER BY id)
                          FROM audit.audit_log WHERE table_name = 'vehicle_leases' AND record_id = :id""").param("id", lease).query(String.class).single())
                .as("every step is audited")
                .isEqualTo("INSERT:pending,UPDATE:active,UPDATE:terminated");
    }

    @Test
    void aDriverTakesALeaseAndPaysItsStatementFromEarnings() {
        Driver driver = world.driverAt(100);
        Map<String, Object> offer = new HashMap<>();
        offer.put("vehicleId", vehicle);
        offer.put("driverId", driver.id());
        offer.put("leaseType", "per_ride");
        offer.put("currency", "NGN");
        offer.put("perRideMinor", 50_000);
        offer.put("minimumMonthlyMinor", 200_000);
        offer.put("startsOn", today.withDayOfMonth(1).toString());
        String lease = offered(offer);

        Api.Response accepted = step(lease, "accept", driver.user());
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(ids(api().get("/api/v1/leases", driver.token()))).contains(lease);

        Api.Response statement = api().post(
                        "/api/v1/leases/" + lease + "/statements?month="
                                + today.toString().substring(0, 7),
                        Map.of(),
                        accounts().aSignedInStaffMember("system_admin").accessToken());
        assertThat(statement.status()).as(statement.toString()).isEqualTo(200);
        assertThat(statement.body().get("guaranteeTopupMinor").asLong())
                .as("no rides yet: the minimum guarantee")
                .isEqualTo(200_000);
        superuser()
                .sql("SELECT public.settle_lease_statement(:id)")
                .param("id", UUID.fromString(statement.text("id")))
                .query()
                .listOfRows();
        Map<String, Object> payment = superuser()
                .sql("SELECT payer_id, payer_fleet_company_id, payee_user_id, amount_minor FROM public.payments "
                        + "WHERE lease_statement_id = :id")
                .param("id", UUID.fromString(statement.text("id")))
                .query()
                .singleRow();
        assertThat(payment)
                .containsEntry("payer_id", driver.user().id())
                .containsEntry("payer_fleet_company_id", null)
                .containsEntry("payee_user_id", owner.id())
                .containsEntry("amount_minor", 200_000L);
        assertThat(payable("driver", driver.id())).isEqualTo(-200_000);
        assertThat(discrepancies()).isEmpty();
        assertThat(api().get("/api/v1/leases/" + lease + "/statements", driver.token())
                        .body()
                        .size())
                .as("the lessee driver sees the statements")
                .isEqualTo(1);
    }

    @Test
    void eachPartySeesItsOwnLeasesAndNobodyElseDoes() {
        String lease = offered(hybridToFleet(today, null));
        for (SignedIn party : List.of(owner, fleetAdmin)) {
            assertThat(api().get("/api/v1/leases/" + lease, party.accessToken()).status())
                    .isEqualTo(200);
            assertThat(ids(api().get("/api/v1/leases", party.accessToken()))).contains(lease);
        }
        assertThat(api().get(
                                "/api/v1/leases/" + lease,
                                accounts().aSignedInStaffMember("system_admin").accessToken())
                        .status())
                .isEqualTo(200);
        for (SignedIn stranger :
                List.of(otherFleetsAdmin, world.rider("normal"), accounts().aSignedInStaffMember("driver"))) {
            assertThat(api().get("/api/v1/leases/" + lease, stranger.accessToken())
                            .status())
                    .isEqualTo(404);
            assertThat(ids(api().get("/api/v1/leases", stranger.accessToken()))).doesNotContain(lease);
            assertThat(step(lease, "terminate", stranger).status()).isEqualTo(404);
        }
        assertThat(api().get(
                                "/api/v1/leases/" + lease,
                                accounts().aSignedInStaffMember("hotel_staff").accessToken())
                        .code())
                .as("no business with leases")
                .isEqualTo("access-denied");
        Api.Response page = api().get("/api/v1/leases?limit=1", owner.accessToken());
        assertThat(page.body().get("items").size()).isEqualTo(1);
        assertThat(page.text("nextBefore")).as("a full page names the next").isNotNull();
    }

    @Test
    void datesBackwardsOverlapsAndForeignVehiclesAreRefusedAndWriteNothing() {
        Api.Response backwards =
                api().post("/api/v1/leases", hybridToFleet(today, today.minusDays(1)), owner.accessToken());
        assertThat(backwards.status()).isEqualTo(422);
        assertThat(backwards.code()).isEqualTo("lease-dates");
        assertThat(api().post("/api/v1/leases", hybridToFleet(today, today), owner.accessToken())
                        .code())
                .isEqualTo("lease-dates");
        Map<String, Object> noRent = hybridToFleet(today, null);
        noRent.put("leaseType", "fixed_rate");
        assertThat(api().post("/api/v1/leases", noRent, owner.accessToken()).code())
                .isEqualTo("lease-terms");
        Map<String, Object> tooMuch = hybridToFleet(today, null);
        tooMuch.put("fixedMonthlyMinor", 1_000_000_000_001L);
        assertThat(api().post("/api/v1/leases", tooMuch, owner.accessToken()).code())
                .isEqualTo("validation-failed");
        assertThat(api().post(
                                "/api/v1/leases",
                                hybridToFleet(today, null),
                                world.rider("normal").accessToken())
                        .status())
                .as("someone else's vehicle")
                .isEqualTo(404);
        assertThat(leasesOfVehicle()).isZero();

        String first = offered(hybridToFleet(today, today.plusMonths(6)));
        String overlapping = offered(hybridToFleet(today.plusMonths(3), today.plusMonths(9)));
        assertThat(step(first, "accept", fleetAdmin).status()).isEqualTo(200);
        Api.Response clash = step(overlapping, "accept", fleetAdmin);
        assertThat(clash.status()).isEqualTo(409);
        assertThat(clash.code()).isEqualTo("lease-overlap");
        assertThat(api().get("/api/v1/leases/" + overlapping, fleetAdmin.accessToken())
                        .text("status"))
                .isEqualTo("pending");
        Api.Response another =
                api().post("/api/v1/leases", hybridToFleet(today.plusMonths(1), null), owner.accessToken());
        assertThat(another.code()).isEqualTo("lease-overlap");
        assertThat(leasesOfVehicle()).isEqualTo(2);

        String next = offered(hybridToFleet(today.plusMonths(6), today.plusMonths(12)));
        assertThat(step(next, "accept", fleetAdmin).text("status"))
                .as("the next lease may be accepted while the current one runs")
                .isEqualTo("active");
    }

    @Test
    void aLeaseCompletesOnItsEndDate() {
        String lease = offered(hybridToFleet(today.minusMonths(3), today.minusMonths(1)));
        assertThat(step(lease, "accept", fleetAdmin).status()).isEqualTo(200);
        superuser().sql("SELECT public.complete_ended_leases()").query().listOfRows();
        assertThat(api().get("/api/v1/leases/" + lease, owner.accessToken()).text("status"))
                .isEqualTo("completed");
        Api.Response late = step(lease, "terminate", owner);
        assertThat(late.code()).as("a completed lease ends no more").isEqualTo("illegal-transition");
    }

    /** psql or a BI tool in any role meets the same lifecycle: no role writes the table, only the functions do. */
    @Test
    void noRoleWritesLeasesExceptThroughTheLeaseFunctions() {
        String lease = offered(hybridToFleet(today, null));
        for (String role : List.of("system_admin", "fleet_admin", "driver_user", "customer_user")) {
            String refusal = AsRole.query(dataSourceFor("app_backend"), role, sql -> {
                try {
                    sql.sql("UPDATE public.vehicle_leases SET status = 'active' WHERE id = :id")
                            .param("id", UUID.fromString(lease))
                            .update();
                    return "updated";
                } catch (org.springframework.dao.DataAccessException e) {
                    return e.getMostSpecificCause().getMessage();
                }
            });
            assertThat(refusal).as(role).contains("permission denied");
        }
        String asAFleetAdminWithNoUser = AsRole.query(dataSourceFor("app_backend"), "fleet_admin", sql -> {
            try {
                sql.sql("SELECT status FROM public.accept_vehicle_lease(:id)")
                        .param("id", UUID.fromString(lease))
                        .query(String.class)
                        .single();
                return "accepted";
            } catch (org.springframework.dao.DataAccessException e) {
                return e.getMostSpecificCause().getMessage();
            }
        });
        assertThat(asAFleetAdminWithNoUser).as("no identity is no party").contains("No lease");
        assertThat(api().get("/api/v1/leases/" + lease, owner.accessToken()).text("status"))
                .isEqualTo("pending");
    }
}
