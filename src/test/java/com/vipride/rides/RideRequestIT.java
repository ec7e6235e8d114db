package com.vipride.rides;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.TestAccounts.SignedIn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotent requests, and bad input that is refused with nothing written. */
class RideRequestIT extends IntegrationTest {

    private RideWorld world;
    private SignedIn rider;

    @BeforeEach
    void market() {
        world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        world.driverAt(300);
        world.driverAt(600);
        rider = world.rider("normal");
    }

    private long ridesOf(SignedIn someone) {
        return superuser()
                .sql("SELECT count(*) FROM public.rides WHERE customer_id = :id")
                .param("id", someone.id())
                .query(Long.class)
                .single();
    }

    @Test
    void aRetriedRequestReturnsTheSameRide() {
        Map<String, Object> body = Map.of("trip", world.trip("sedan", "per_ride"), "pickupAddress", "Gate 2");
        Api.Response first = world.request(rider, body, "key-1");
        Api.Response retry = world.request(rider, body, "key-1");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.text("id")).isEqualTo(first.text("id"));
        assertThat(retry.text("driverId")).isEqualTo(first.text("driverId"));
        assertThat(ridesOf(rider)).isEqualTo(1);

        Api.Response different = world.request(rider, Map.of("trip", world.trip("sedan", "per_ride")), "key-1");
        assertThat(different.status()).isEqualTo(422);
        assertThat(different.code()).isEqualTo("idempotency-key-reused");

        SignedIn other = world.rider("normal");
        Api.Response sameKeyOtherRider = world.request(other, body, "key-1");
        assertThat(sameKeyOtherRider.status()).as("keys are per rider").isEqualTo(201);
        assertThat(sameKeyOtherRider.text("id")).isNotEqualTo(first.text("id"));
    }

    @Test
    void aRetriedQuotedRequestReturnsTheSameAssignedRideAndARetriedTripIsQuotedOnce() {
        Api.Response quote = api().post("/api/v1/fare-quotes", world.trip("sedan", "per_ride"), rider.accessToken());
        Map<String, Object> quoted = Map.of("quoteId", quote.text("id"));
        Api.Response first = world.request(rider, quoted, "quoted-1");
        Api.Response retry = world.request(rider, quoted, "quoted-1");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.text("status")).isEqualTo("driver_assigned");
        assertThat(retry.status()).as(retry.toString()).isEqualTo(201);
        assertThat(retry.text("id")).isEqualTo(first.text("id"));

        Map<String, Object> trip = Map.of("trip", world.trip("sedan", "per_ride"));
        Api.Response tripFirst = world.request(rider, trip, "trip-1");
        Api.Response tripRetry = world.request(rider, trip, "trip-1");
        assertThat(tripRetry.text("id")).isEqualTo(tripFirst.text("id"));
        assertThat(ridesOf(rider)).isEqualTo(2);
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.fare_quotes WHERE customer_id = :id")
                        .param("id", rider.id())
                        .query(Long.class)
                        .single())
                .as("the retried trip is not priced again")
                .isEqualTo(2);
    }

    @Test
    void aQuoteMadeBeforeTheRidersTierChangedIsRefusedAndNothingIsWritten() {
        Api.Response quote = api().post("/api/v1/fare-quotes", world.trip("sedan", "per_ride"), rider.accessToken());
        superuser()
                .sql("UPDATE public.users SET tier = 'premium' WHERE id = :id")
                .param("id", rider.id())
                .update();

        Api.Response refused = world.request(rider, Map.of("quoteId", quote.text("id")), "tier-1");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("quote-tier-changed");
        assertThat(ridesOf(rider)).isZero();
        assertThat(superuser()
                        .sql("SELECT used_at IS NULL FROM public.fare_quotes WHERE id = CAST(:id AS uuid)")
                        .param("id", quote.text("id"))
                        .query(Boolean.class)
                        .single())
                .as("the quote stays unused")
                .isTrue();
    }

    @Test
    void aRetryWhoseRideIsNoLongerKeptIsRefusedRatherThanMadeAgain() {
        Map<String, Object> body = Map.of("trip", world.trip("sedan", "per_ride"));
        Api.Response first = world.request(rider, body, "archived-1");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        // As archive.archive_old_data does once the ride's month is old: the ride leaves public.rides.
        superuser()
                .sql("DELETE FROM public.ride_offers WHERE ride_id = CAST(:id AS uuid)")
                .param("id", first.text("id"))
                .update();
        superuser()
                .sql("DELETE FROM public.rides WHERE id = CAST(:id AS uuid)")
                .param("id", first.text("id"))
                .update();

        Api.Response retry = world.request(rider, body, "archived-1");
        assertThat(retry.status()).as(retry.toString()).isEqualTo(410);
        assertThat(retry.code()).isEqualTo("idempotency-key-expired");
        assertThat(ridesOf(rider)).isZero();
    }

    @Test
    void concurrentRetriesMakeOneRide() throws Exception {
        Map<String, Object> body = Map.of("trip", world.trip("sedan", "per_ride"));
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(() -> {
                Api.Response r = world.request(rider, body, "retry-storm");
                assertThat(r.status()).as(r.toString()).isEqualTo(201);
                return r.text("id");
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<String> ids = new ArrayList<>();
        try {
            for (Future<String> f : pool.invokeAll(calls)) {
                ids.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThat(new HashSet<>(ids)).hasSize(1);
        assertThat(ridesOf(rider)).isEqualTo(1);
    }

    @Test
    void badInputIsAClear4xxAndWritesNothing() {
        Map<String, Object> trip = world.trip("sedan", "per_ride");
        assertProblem(Map.of("trip", with(trip, "pickup", Map.of("lat", 91, "lng", 3.4))), 400, "validation-failed");
        assertProblem(Map.of("trip", with(trip, "dropoff", Map.of("lat", 6.5, "lng", -181))), 400, "validation-failed");
        assertProblem(Map.of("trip", with(trip, "dropoff", trip.get("pickup"))), 400, "same-pickup-and-dropoff");
        assertProblem(Map.of("trip", with(trip, "vehicleType", "helicopter")), 400, "invalid-enum-value");
        assertProblem(Map.of("trip", with(trip, "passengers", 0)), 400, "validation-failed");
        assertProblem(Map.of("trip", with(trip, "city", "atlantis")), 422, "unknown-city");
        assertProblem(Map.of("trip", with(trip, "billingModel", "flat_rate")), 422, "no-tariff");
        assertProblem(Map.of(), 400, "quote-or-trip");
        assertProblem(Map.of("quoteId", UUID.randomUUID()), 422, "invalid-quote");
        Api.Response quote =
                api().post("/api/v1/fare-quotes", trip, world.rider("normal").accessToken());
        assertProblem(Map.of("quoteId", quote.text("id")), 422, "invalid-quote"); // someone else's quote
        assertThat(world.request(rider, Map.of("trip", trip), " spaces not allowed ")
                        .code())
                .isEqualTo("invalid-idempotency-key");
        assertThat(ridesOf(rider)).isZero();
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.ride_request_keys WHERE customer_id = :id")
                        .param("id", rider.id())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void onlyRidersRequestRides() {
        SignedIn support = accounts().aSignedInStaffMember("support_agent");
        Api.Response refused = world.request(support, Map.of("trip", world.trip("sedan", "per_ride")), null);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(api().post("/api/v1/rides", Map.of("trip", world.trip("sedan", "per_ride")))
                        .status())
                .isEqualTo(401);
    }

    private void assertProblem(Map<String, Object> body, int status, String code) {
        Api.Response response = world.request(rider, body, null);
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.code()).as(response.toString()).isEqualTo(code);
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    private static Map<String, Object> with(Map<String, Object> trip, String key, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(trip);
        copy.put(key, value);
        return copy;
    }
}
