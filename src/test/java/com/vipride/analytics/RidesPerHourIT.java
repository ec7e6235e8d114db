package com.vipride.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.TestAccounts.SignedIn;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Completed rides per hour for the operations chart: system admins read them, everyone else is refused. */
class RidesPerHourIT extends IntegrationTest {

    @Autowired
    private AnalyticsRefresh refresh;

    @Test
    void aCompletedRideCountsInTheHourOfItsCompletionForItsTierAndCity() {
        RideWorld world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        RideWorld.Driver driver = world.driverAt(200);
        world.completedRide(world.rider("premium"), driver, 3000);
        world.completedRide(world.rider("premium"), driver, 3000);
        OffsetDateTime hour = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
        refresh.refreshAll();

        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        Response dashboard =
                api().get("/api/v1/analytics/rides-per-hour?hours=48&city=" + world.city, admin.accessToken());
        assertThat(dashboard.status()).as(dashboard.toString()).isEqualTo(200);
        assertThat(dashboard.text("view")).isEqualTo("analytics.rides_hourly");
        assertThat(dashboard.body().get("refreshedAt").isNull()).isFalse();
        JsonNode rows = dashboard.body().get("rows");
        assertThat(rows).hasSize(1);
        JsonNode row = rows.get(0);
        assertThat(OffsetDateTime.parse(row.get("hour").asText()).toInstant())
                .isIn(hour.toInstant(), hour.minusHours(1).toInstant());
        assertThat(row.get("tier").asText()).isEqualTo("premium");
        assertThat(row.get("completedRides").asLong()).isEqualTo(2);

        Response tooLong = api().get("/api/v1/analytics/rides-per-hour?hours=500", admin.accessToken());
        assertThat(tooLong.status()).as(tooLong.toString()).isEqualTo(400);
    }

    @Test
    void otherRolesAreRefusedTheHourlyRides() {
        for (String token : List.of(
                accounts().aSignedInCustomer().accessToken(),
                accounts().aSignedInStaffMember("audit_admin").accessToken(),
                accounts().aSignedInStaffMember("emergency_responder").accessToken())) {
            Response refused = api().get("/api/v1/analytics/rides-per-hour", token);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        }
    }
}
