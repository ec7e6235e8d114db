package com.vipride.rides;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import com.vipride.support.Rides.PastRide;
import com.vipride.support.TestAccounts.SignedIn;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Ride history by date range for riders, drivers and fleet admins: paginated, and pruned to the months asked for. */
class RideHistoryIT extends IntegrationTest {

    private static final OffsetDateTime MONTH = OffsetDateTime.now(ZoneOffset.UTC)
            .withDayOfMonth(1)
            .withHour(0)
            .withMinute(0)
            .withSecond(0)
            .withNano(0)
            .minusMonths(3);

    private RideWorld world;
    private SignedIn rider;
    private Driver driver;
    private UUID fleet;
    private SignedIn fleetAdmin;

    @BeforeEach
    void threeMonthsOfRides() {
        world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        rider = world.rider("premium");
        driver = world.driverAt(100);
        fleet = world.fleet(2000);
        fleetAdmin = accounts().aSignedInStaffMember("fleet_admin");
        superuser()
                .sql("INSERT INTO public.fleet_admins (user_id, fleet_company_id) VALUES (:u, :f)")
                .param("u", fleetAdmin.id())
                .param("f", fleet)
                .update();
        for (int month = 0; month < 3; month++) {
            superuser()
                    .sql("SELECT public.create_monthly_ride_partition(CAST(:m AS date))")
                    .param("m", MONTH.plusMonths(month).toLocalDate())
                    .query(String.class)
                    .single();
            for (int day = 1; day <= 10; day++) {
                completedRide(MONTH.plusMonths(month).plusDays(day).plusHours(day), day % 2 == 0 ? fleet : null);
            }
        }
    }

    private void completedRide(OffsetDateTime at, UUID fleetId) {
        PastRide.of(rider.id(), at)
                .tier("premium")
                .in(world.city)
                .drivenBy(driver.id(), driver.vehicle(), fleetId)
                .completed(250_000)
                .insert(superuser());
    }

    private List<JsonNode> all(String token, String range) {
        List<JsonNode> items = new ArrayList<>();
        String before = null;
        do {
            Api.Response page = api().get(
                            "/api/v1/rides?" + range + "&limit=4" + (before == null ? "" : "&before=" + before), token);
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            page.body().get("items").forEach(items::add);
            before = page.text("nextBefore");
        } while (before != null);
        return items;
    }

    private String month(int offset) {
        return "from=" + MONTH.plusMonths(offset) + "&to=" + MONTH.plusMonths(offset + 1);
    }

    @Test
    void eachPartyPagesThroughTheRidesOfTheRangeNewestFirst() {
        List<JsonNode> riders = all(rider.accessToken(), month(1));
        assertThat(riders).hasSize(10);
        assertThat(riders)
                .allSatisfy(r -> assertThat(r.get("requestedAt").asString())
                        .startsWith(MONTH.plusMonths(1).toString().substring(0, 7)));
        for (int i = 1; i < riders.size(); i++) {
            assertThat(riders.get(i).get("requestedAt").asString())
                    .isLessThan(riders.get(i - 1).get("requestedAt").asString());
        }
        assertThat(all(rider.accessToken(), "from=" + MONTH + "&to=" + MONTH.plusMonths(3)))
                .hasSize(30);
        assertThat(all(driver.token(), month(2))).hasSize(10);
        assertThat(all(fleetAdmin.accessToken(), month(0)))
                .as("only the fleet's rides")
                .hasSize(5);
        assertThat(all(world.rider("normal").accessToken(), month(0)))
                .as("someone else sees none")
                .isEmpty();
    }

    @Test
    void theSpecsHistoryQueryReadsOnlyTheMonthAskedForUnderTheRidersSecurity() throws Exception {
        List<String> plan = new ArrayList<>();
        try (java.sql.Connection c = dataSourceFor("app_backend").getConnection()) {
            c.setAutoCommit(false);
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("SET LOCAL ROLE customer_user");
                s.execute("SELECT set_config('app.current_user_id', '" + rider.id() + "', true)");
                try (java.sql.ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, COSTS OFF) SELECT * FROM public.rides "
                        + "WHERE customer_id = '" + rider.id() + "' AND requested_at >= '" + MONTH.plusMonths(1)
                        + "' AND requested_at < '" + MONTH.plusMonths(2) + "' ORDER BY requested_at DESC")) {
                    while (rs.next()) {
                        plan.add(rs.getString(1));
                    }
                }
            }
            c.rollback();
        }
        String text = String.join("\n", plan);
        assertThat(text)
                .contains(partition(1))
                .doesNotContain(partition(0))
                .doesNotContain(partition(2))
                .doesNotContain("rides_default")
                .contains("rows=10 ");
    }

    private static String partition(int offset) {
        OffsetDateTime m = MONTH.plusMonths(offset);
        return "rides_y%04dm%02d".formatted(m.getYear(), m.getMonthValue());
    }
}
