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

/** Every legal step by the party allowed to take it; illegal ones refused with nothing changed. */
class RideLifecycleIT extends IntegrationTest {

    private RideWorld world;
    private Driver driver;
    private SignedIn rider;

    @BeforeEach
    void market() {
        world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        driver = world.driverAt(300);
        rider = world.rider("normal");
    }

    private String rideId() {
        Api.Response ride = world.requestRide(rider);
        assertThat(ride.status()).as(ride.toString()).isEqualTo(201);
        assertThat(ride.text("status")).isEqualTo("driver_assigned");
        return ride.text("id");
    }

    private Api.Response step(String id, String step, Object body, String token) {
        return api().post("/api/v1/rides/" + id + "/" + step, body, token);
    }

    private void refused(Api.Response response, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(409);
        assertThat(response.code()).isEqualTo(code);
    }

    @Test
    void aRideGoesFromRequestToCompletionWithTheFareFromActualDistanceAndTime() {
        String id = rideId();
        refused(step(id, "arrive", Map.of(), driver.token()), "offer-not-accepted");
        assertThat(step(id, "accept", Map.of(), driver.token()).status()).isEqualTo(200);
        refused(step(id, "start", Map.of(), driver.token()), "illegal-transition");
        assertThat(step(id, "arrive", Map.of(), rider.accessToken()).status())
                .as("riders do not arrive")
                .isEqualTo(409);

        Api.Response arrived = step(id, "arrive", Map.of(), driver.token());
        assertThat(arrived.text("status")).isEqualTo("driver_arrived");
        assertThat(arrived.text("arrivedAt")).isNotNull();
        refused(step(id, "complete", Map.of("actualDistanceM", 100), driver.token()), "illegal-transition");
        Api.Response started = step(id, "start", Map.of(), driver.token());
        assertThat(started.text("status")).isEqualTo("in_progress");
        superuser()
                .sql("UPDATE public.rides SET started_at = now() - interval '25 minutes 30 seconds' WHERE id = :id")
                .param("id", UUID.fromString(id))
                .update();

        refused(step(id, "cancel", Map.of(), rider.accessToken()), "illegal-transition");
        Api.Response done = step(id, "complete", Map.of("actualDistanceM", 9_876), driver.token());
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.text("status")).isEqualTo("completed");
        int seconds = done.body().get("actualDurationS").asInt();
        assertThat(seconds).isBetween(1530, 1540);
        long expected = Math.round(50_000 + 15_000 * 9.876 + 3_000 * seconds / 60.0);
        assertThat(done.body().get("finalFareMinor").asLong()).isEqualTo(expected);

        Map<String, Object> earnings =
                superuser().sql("""
                SELECT fare_minor, platform_commission_minor + driver_share_minor + fleet_share_minor + owner_share_minor AS total,
                       commission_rate_bp FROM public.ride_earnings WHERE ride_id = :id""").param("id", UUID.fromString(id)).query().singleRow();
        assertThat(earnings.get("fare_minor")).isEqualTo(expected);
        assertThat(((Number) earnings.get("total")).longValue()).isEqualTo(expected);
        assertThat(earnings.get("commission_rate_bp")).isEqualTo(2000);

        for (String step : new String[] {"arrive", "start", "cancel", "emergency"}) {
            refused(step(id, step, Map.of(), driver.token()), "illegal-transition");
        }
        refused(step(id, "complete", Map.of("actualDistanceM", 1), driver.token()), "ride-immutable");
        assertThat(superuser()
                        .sql("SELECT total_rides, is_available FROM public.drivers WHERE id = :id")
                        .param("id", driver.id())
                        .query()
                        .singleRow())
                .containsEntry("total_rides", 1)
                .containsEntry("is_available", true);
    }

    @Test
    void eachSideRatesTheOtherOnceAfterCompletion() {
        String id = rideId();
        assertThat(step(id, "rating", Map.of("stars", 5), rider.accessToken()).code())
                .isEqualTo("not-completed");
        step(id, "accept", Map.of(), driver.token());
        step(id, "arrive", Map.of(), driver.token());
        step(id, "start", Map.of(), driver.token());
        step(id, "complete", Map.of("actualDistanceM", 2_000), driver.token());

        assertThat(step(id, "rating", Map.of("stars", 4), rider.accessToken())
                        .body()
                        .get("driverRating")
                        .asInt())
                .isEqualTo(4);
        assertThat(step(id, "rating", Map.of("stars", 2), rider.accessToken()).code())
                .isEqualTo("already-rated");
        assertThat(step(id, "rating", Map.of("stars", 5), driver.token())
                        .body()
                        .get("riderRating")
                        .asInt())
                .isEqualTo(5);
        assertThat(step(id, "rating", Map.of("stars", 6), driver.token()).status())
                .isEqualTo(400);
        assertThat(superuser()
                        .sql("SELECT rating FROM public.drivers WHERE id = :id")
                        .param("id", driver.id())
                        .query(java.math.BigDecimal.class)
                        .single())
                .isEqualByComparingTo("4.00");
        assertThat(superuser()
                        .sql("SELECT rider_rating FROM public.users WHERE id = :id")
                        .param("id", rider.id())
                        .query(java.math.BigDecimal.class)
                        .single())
                .isEqualByComparingTo("5.00");
    }

    @Test
    void aRiderCancelsFreeInTheWindowAndPaysTheFeeAfterIt() {
        String free = rideId();
        Api.Response cancelled = step(free, "cancel", Map.of("reason", "changed my mind"), rider.accessToken());
        assertThat(cancelled.text("status")).isEqualTo("cancelled");
        assertThat(cancelled.text("cancelledBy")).isEqualTo("customer");
        assertThat(cancelled.body().get("cancellationFeeMinor").asLong()).isZero();
        assertThat(superuser()
                        .sql("SELECT status FROM public.ride_offers WHERE ride_id = :id")
                        .param("id", UUID.fromString(free))
                        .query(String.class)
                        .single())
                .isEqualTo("withdrawn");

        String late = rideId();
        superuser()
                .sql("UPDATE public.rides SET assigned_at = now() - interval '3 minutes' WHERE id = :id")
                .param("id", UUID.fromString(late))
                .update();
        assertThat(step(late, "cancel", Map.of(), rider.accessToken())
                        .body()
                        .get("cancellationFeeMinor")
                        .asLong())
                .isEqualTo(100_000);

        String byDriver = rideId();
        step(byDriver, "accept", Map.of(), driver.token());
        step(byDriver, "arrive", Map.of(), driver.token());
        Api.Response driverCancel = step(byDriver, "cancel", Map.of("reason", "rider not at pickup"), driver.token());
        assertThat(driverCancel.text("cancelledBy")).isEqualTo("driver");
        assertThat(driverCancel.body().get("cancellationFeeMinor").asLong()).isZero();
        assertThat(superuser()
                        .sql("SELECT is_available FROM public.drivers WHERE id = :id")
                        .param("id", driver.id())
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void anEmergencyCanBeRaisedByEitherSideAndTheRideStillCompletes() {
        String id = rideId();
        step(id, "accept", Map.of(), driver.token());
        step(id, "arrive", Map.of(), driver.token());
        step(id, "start", Map.of(), driver.token());
        Api.Response emergency = step(id, "emergency", Map.of(), rider.accessToken());
        assertThat(emergency.text("status")).isEqualTo("emergency");
        assertThat(emergency.text("emergencyAt")).isNotNull();
        refused(step(id, "start", Map.of(), driver.token()), "illegal-transition");
        Api.Response done = step(id, "complete", Map.of("actualDistanceM", 3_000), driver.token());
        assertThat(done.text("status")).isEqualTo("completed");
    }

    @Test
    void nobodyActsOnSomeoneElsesRideAndStaffCannotDriveIt() {
        String id = rideId();
        SignedIn stranger = world.rider("normal");
        Driver otherDriver = world.driverAt(4_000);
        assertThat(step(id, "cancel", Map.of(), stranger.accessToken()).status())
                .isEqualTo(404);
        assertThat(step(id, "accept", Map.of(), otherDriver.token()).status()).isEqualTo(404);
        assertThat(step(id, "emergency", Map.of(), otherDriver.token()).status())
                .isEqualTo(404);
        SignedIn hotel = accounts().aSignedInStaffMember("hotel_staff");
        assertThat(step(id, "cancel", Map.of(), hotel.accessToken()).status()).isEqualTo(403);
        // Support may only cancel (SupportCancellationIT): no other step is theirs.
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        refused(step(id, "arrive", Map.of(), support.accessToken()), "illegal-transition");
        assertThat(superuser()
                        .sql("SELECT status::text FROM public.rides WHERE id = :id")
                        .param("id", UUID.fromString(id))
                        .query(String.class)
                        .single())
                .isEqualTo("driver_assigned");
    }

    @Test
    void theDatabaseRefusesIllegalStepsWhoeverAsks() {
        // Straight SQL as the rider's role, past the API: the state machine is in the table.
        String id = rideId();
        var tx = loginAs("app_backend");
        String sql = "BEGIN; SET LOCAL ROLE customer_user; SELECT set_config('app.current_user_id', '" + rider.id()
                + "', true); UPDATE public.rides SET status = 'in_progress' WHERE id = '" + id + "'; COMMIT;";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tx.sql(sql).update())
                .hasMessageContaining("cannot go from driver_assigned to in_progress");
        assertThat(superuser()
                        .sql("SELECT status::text FROM public.rides WHERE id = :id")
                        .param("id", UUID.fromString(id))
                        .query(String.class)
                        .single())
                .isEqualTo("driver_assigned");
    }
}
