package com.vipride.rides;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import com.vipride.support.TestAccounts.SignedIn;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /api/v1/rides/{id}/trip: each party of an active ride sees the other side; nobody else sees it. */
class TripViewIT extends IntegrationTest {

    private RideWorld world;
    private Driver driver;
    private SignedIn rider;

    @BeforeEach
    void market() {
        world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        driver = world.driverAt(300);
        rider = world.rider("normal");
    }

    private String acceptedRide() {
        Api.Response ride = world.request(
                rider,
                Map.of(
                        "trip", world.trip("sedan", "per_ride"),
                        "pickupAddress", "1 Ozumba Mbadiwe Ave",
                        "dropoffAddress", "Eko Hotel"),
                null);
        assertThat(ride.text("status")).as(ride.toString()).isEqualTo("driver_assigned");
        String id = ride.text("id");
        assertThat(trip(id, driver.token()).status())
                .as("an offer not yet accepted shows no trip")
                .isEqualTo(404);
        assertThat(api().post("/api/v1/rides/" + id + "/accept", Map.of(), driver.token())
                        .status())
                .isEqualTo(200);
        return id;
    }

    private Api.Response trip(String id, String token) {
        return api().get("/api/v1/rides/" + id + "/trip", token);
    }

    private String firstName(UUID user) {
        return superuser()
                .sql("SELECT first_name FROM public.users WHERE id = :id")
                .param("id", user)
                .query(String.class)
                .single();
    }

    @Test
    void theDriverSeesTheRouteAndTheRidersFirstNameOnly() {
        String id = acceptedRide();

        Api.Response trip = trip(id, driver.token());

        assertThat(trip.status()).as(trip.toString()).isEqualTo(200);
        assertThat(trip.text("viewer")).isEqualTo("driver");
        assertThat(trip.body().get("rider").get("firstName").asString()).isEqualTo(firstName(rider.id()));
        assertThat(trip.body().get("rider").size()).as("first name only").isEqualTo(1);
        assertThat(trip.body().get("pickup").get("lat").asDouble()).isEqualTo(world.lat);
        assertThat(trip.body().get("pickup").get("address").asString()).isEqualTo("1 Ozumba Mbadiwe Ave");
        assertThat(trip.body().get("dropoff").get("lat").asDouble()).isEqualTo(world.latNorth(3500));
        assertThat(trip.body().get("dropoff").get("address").asString()).isEqualTo("Eko Hotel");
        assertThat(trip.body().has("driver")).isFalse();
        assertThat(trip.body().has("eta")).isFalse();
    }

    @Test
    void theRiderSeesTheDriverTheVehicleItsPositionAndAnEtaToThePickupThenToTheDropoff() {
        String id = acceptedRide();

        Api.Response approaching = trip(id, rider.accessToken());

        assertThat(approaching.status()).as(approaching.toString()).isEqualTo(200);
        assertThat(approaching.text("viewer")).isEqualTo("rider");
        assertThat(approaching.body().get("driver").get("firstName").asString())
                .isEqualTo(firstName(driver.user().id()));
        assertThat(approaching.body().get("driver").get("position").get("lat").asDouble())
                .isEqualTo(world.latNorth(300));
        assertThat(approaching.body().get("vehicle").get("make").asString()).isEqualTo("Toyota");
        assertThat(approaching.body().get("vehicle").get("model").asString()).isEqualTo("Camry");
        assertThat(approaching.body().get("vehicle").get("colour").asString()).isEqualTo("black");
        assertThat(approaching.body().get("vehicle").get("plate").asString()).startsWith("T");
        assertThat(approaching.body().has("pickup"))
                .as("the rider's view is about the driver")
                .isFalse();
        assertThat(approaching.body().has("rider")).isFalse();
        // 300 m × road factor 1.30 at 24 km/h (the world's settings): 390 m, 58.5 s.
        assertThat(approaching.body().get("eta").get("target").asString()).isEqualTo("pickup");
        assertThat(approaching.body().get("eta").get("distanceM").asInt()).isBetween(385, 395);
        assertThat(approaching.body().get("eta").get("seconds").asInt()).isBetween(55, 62);

        api().post("/api/v1/rides/" + id + "/arrive", Map.of(), driver.token());
        Api.Response arrived = trip(id, rider.accessToken());
        assertThat(arrived.body().get("eta").get("seconds").asInt()).isZero();

        api().post("/api/v1/rides/" + id + "/start", Map.of(), driver.token());
        Api.Response riding = trip(id, rider.accessToken());
        assertThat(riding.body().get("eta").get("target").asString()).isEqualTo("dropoff");
        assertThat(riding.body().get("eta").get("distanceM").asInt()).isGreaterThan(3000);
    }

    @Test
    void otherRidersOtherDriversAndStaffSeeNoTrip() {
        String id = acceptedRide();
        Driver otherDriver = world.driverAt(5000);

        assertThat(trip(id, world.rider("normal").accessToken()).status()).isEqualTo(404);
        assertThat(trip(id, otherDriver.token()).status()).isEqualTo(404);
        assertThat(trip(UUID.randomUUID().toString(), rider.accessToken()).status())
                .isEqualTo(404);
        for (String staff : new String[] {"support_agent", "system_admin", "fleet_admin", "vip_admin"}) {
            assertThat(trip(id, accounts().aSignedInStaffMember(staff).accessToken())
                            .status())
                    .as(staff)
                    .isIn(403, 404);
        }
    }

    @Test
    void theTripEndsWithTheRide() {
        String id = acceptedRide();
        api().post("/api/v1/rides/" + id + "/arrive", Map.of(), driver.token());
        api().post("/api/v1/rides/" + id + "/start", Map.of(), driver.token());
        assertThat(trip(id, driver.token()).status()).isEqualTo(200);

        assertThat(api().post("/api/v1/rides/" + id + "/complete", Map.of("actualDistanceM", 4000), driver.token())
                        .status())
                .isEqualTo(200);

        assertThat(trip(id, driver.token()).status()).isEqualTo(404);
        assertThat(trip(id, rider.accessToken()).status()).isEqualTo(404);
    }
}
