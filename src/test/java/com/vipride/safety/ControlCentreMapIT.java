package com.vipride.safety;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.TestAccounts.SignedIn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The control centre's map of a city: active rides with the assigned driver's rounded position, available
 * drivers and open incidents; a VIP's ride only for VIP operators and admins; riders, drivers and other
 * staff refused.
 */
class ControlCentreMapIT extends IntegrationTest {

    private RideWorld world;
    private RideWorld.Driver freeDriver;
    private String normalRide;
    private String vipRide;
    private SignedIn normalRider;

    @BeforeEach
    void aCityWithARideAVipRideAndAFreeDriver() {
        world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        RideWorld.Driver driver = world.driverAt(250);
        normalRider = world.rider("normal");
        normalRide = world.requestRide(normalRider).text("id");
        assertThat(api().post("/api/v1/rides/" + normalRide + "/accept", Map.of(), driver.token())
                        .status())
                .isEqualTo(200);

        RideWorld.Driver vipDriver = world.driverAt(300, "sedan", 4, true);
        SignedIn vip = world.rider("vip");
        Api.Response quote = api().post("/api/v1/fare-quotes", world.trip("sedan", "per_ride"), vip.accessToken());
        assertThat(quote.status()).as(quote.toString()).isEqualTo(201);
        Api.Response ride = world.request(
                vip,
                Map.of("quoteId", quote.text("id"), "pickupAddress", "1 Ikoyi", "dropoffAddress", "2 Ikoyi"),
                "vip-" + UUID.randomUUID());
        assertThat(ride.status()).as(ride.toString()).isEqualTo(201);
        assertThat(ride.text("driverId")).isEqualTo(vipDriver.id().toString());
        vipRide = ride.text("id");
        assertThat(api().post("/api/v1/rides/" + vipRide + "/accept", Map.of(), vipDriver.token())
                        .status())
                .isEqualTo(200);

        freeDriver = world.driverAt(2000);
    }

    private JsonNode map(SignedIn caller) {
        Api.Response map = api().get("/api/v1/control-centre/map?city=" + world.city, caller.accessToken());
        assertThat(map.status()).as(map.toString()).isEqualTo(200);
        return map.body();
    }

    private static List<String> rideIds(JsonNode map) {
        List<String> ids = new ArrayList<>();
        map.get("rides").forEach(r -> ids.add(r.get("rideId").asText()));
        return ids;
    }

    @Test
    void aResponderSeesTheActiveRideAndTheFreeDriverAtRoundedPositionsButNotTheVipsRide() {
        JsonNode map = map(accounts().aSignedInStaffMember("emergency_responder"));

        assertThat(rideIds(map)).containsExactly(normalRide);
        JsonNode ride = map.get("rides").get(0);
        assertThat(ride.get("status").asText()).isEqualTo("driver_assigned");
        assertThat(ride.get("vehicleType").asText()).isEqualTo("sedan");
        assertThat(ride.get("tier").asText()).isEqualTo("normal");
        assertThat(ride.get("vip").asBoolean()).isFalse();
        assertThat(ride.get("lat").asDouble()).isEqualTo(Math.round(world.latNorth(250) * 1000) / 1000.0);

        assertThat(map.get("drivers")).hasSize(1);
        JsonNode driver = map.get("drivers").get(0);
        assertThat(driver.get("lat").asDouble()).isEqualTo(Math.round(world.latNorth(2000) * 1000) / 1000.0);
        assertThat(driver.get("lng").asDouble()).isEqualTo(Math.round(world.lng * 1000) / 1000.0);

        // Nobody's identity: neither the rider's nor any driver's id appears anywhere in the answer.
        String raw = map.toString();
        assertThat(raw).doesNotContain(normalRider.id().toString());
        assertThat(raw).doesNotContain(freeDriver.id().toString());
        assertThat(raw).doesNotContain(vipRide);
    }

    @Test
    void vipOperatorsAndAdminsSeeTheVipsRideMarkedAsOne() {
        for (String role : List.of("vip_operator", "vip_admin")) {
            JsonNode map = map(accounts().aSignedInStaffMember(role));
            assertThat(rideIds(map)).as(role).containsExactlyInAnyOrder(normalRide, vipRide);
            map.get("rides")
                    .forEach(r -> assertThat(r.get("vip").asBoolean())
                            .as(role)
                            .isEqualTo(r.get("rideId").asText().equals(vipRide)));
            map.get("rides")
                    .forEach(r -> assertThat(r.get("lat").isNull())
                            .as(role + ": a VIP's position only through the logged VIP reads")
                            .isEqualTo(r.get("vip").asBoolean()));
        }
    }

    @Test
    void supportAndSystemAdminsSeeTheCityWithoutTheVipsRide() {
        for (String role : List.of("support_agent", "system_admin")) {
            JsonNode map = map(accounts().aSignedInStaffMember(role));
            assertThat(rideIds(map)).as(role).containsExactly(normalRide);
            assertThat(map.get("drivers")).as(role).hasSize(1);
        }
    }

    @Test
    void anOpenIncidentIsOnTheMapOfTheControlCentreButNotOfSupport() {
        Api.Response sos =
                api().post("/api/v1/rides/" + normalRide + "/sos", Map.of("kind", "sos"), normalRider.accessToken());
        assertThat(sos.status()).as(sos.toString()).isEqualTo(201);

        JsonNode map = map(accounts().aSignedInStaffMember("emergency_responder"));
        assertThat(map.get("incidents")).hasSize(1);
        assertThat(map.get("incidents").get(0).get("incidentId").asText()).isEqualTo(sos.text("id"));
        assertThat(map.get("rides").get(0).get("status").asText()).isEqualTo("emergency");

        assertThat(map(accounts().aSignedInStaffMember("support_agent")).get("incidents"))
                .isEmpty();
    }

    @Test
    void ridersDriversAndOtherStaffAreRefused() {
        List<String> tokens = new ArrayList<>(List.of(
                normalRider.accessToken(),
                freeDriver.token(),
                accounts().aSignedInStaffMember("audit_admin").accessToken(),
                accounts().aSignedInStaffMember("compliance_officer").accessToken()));
        for (String token : tokens) {
            Api.Response refused = api().get("/api/v1/control-centre/map?city=" + world.city, token);
            assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        }
        assertThat(api().get("/api/v1/control-centre/map?city=" + world.city, null)
                        .status())
                .isEqualTo(401);
    }
}
