package com.vipride.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import com.vipride.support.SecurityWorld;
import com.vipride.support.TestAccounts.Registered;
import com.vipride.support.TestAccounts.SignedIn;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Insecure direct object references through the HTTP API: for every endpoint that takes an id, the
 * callers entitled to the record get it, anyone else gets 404 (the record might as well not exist),
 * and roles with no business with that kind of record at all get 403.
 */
class CrossUserAccessIT extends IntegrationTest {

    private SecurityWorld world;
    private final Map<UUID, String> tokens = new HashMap<>();

    @BeforeEach
    void world() {
        world = SecurityWorld.get(accounts(), superuser());
    }

    @Test
    void everyEndpointThatTakesAnIdAnswersOnlyThoseEntitledToTheRecord() {
        List<String> mismatches = new ArrayList<>();
        String ride = "/api/v1/rides/" + world.rideAActive.id();
        expect(mismatches, ride, world.customerA, 200);
        expect(mismatches, ride, world.customerB, 404);
        expect(mismatches, ride, world.driverUser1, 200);
        expect(mismatches, ride, world.driverUser2, 404);
        expect(mismatches, ride, world.fleetAdmin1, 200);
        expect(mismatches, ride, world.fleetAdmin2, 404);
        expect(mismatches, ride, world.support, 200);
        expect(mismatches, ride, world.responder, 200);
        expect(mismatches, "/api/v1/rides/" + world.rideBAssigned.id(), world.responder, 404);
        expect(mismatches, ride, world.hotelStaff1, 403);

        String payment = "/api/v1/payments/" + world.paymentA;
        expect(mismatches, payment, world.customerA, 200);
        expect(mismatches, payment, world.customerB, 404);
        expect(mismatches, payment, world.support, 200);
        expect(mismatches, payment, world.driverUser1, 404);
        expect(mismatches, payment, world.fleetAdmin1, 404);
        expect(mismatches, payment, world.hotelStaff1, 404);

        String leaseToA = "/api/v1/payments/" + world.leasePaymentToA;
        expect(mismatches, leaseToA, world.fleetAdmin1, 200);
        expect(mismatches, leaseToA, world.fleetAdmin2, 404);
        expect(mismatches, leaseToA, world.customerA, 200);
        expect(mismatches, leaseToA, world.customerB, 404);
        expect(mismatches, leaseToA, world.driverUser1, 404);
        expect(mismatches, leaseToA, world.support, 200);
        String leaseToDriver = "/api/v1/payments/" + world.leasePaymentToDriver1;
        expect(mismatches, leaseToDriver, world.driverUser1, 200);
        expect(mismatches, leaseToDriver, world.driverUser2, 404);
        expect(mismatches, leaseToDriver, world.fleetAdmin2, 200);
        expect(mismatches, leaseToDriver, world.fleetAdmin1, 404);
        String subscription = "/api/v1/payments/" + world.subscriptionPayment1;
        expect(mismatches, subscription, world.driverUser1, 200);
        expect(mismatches, subscription, world.driverUser2, 404);
        expect(mismatches, subscription, world.fleetAdmin1, 404);
        expect(mismatches, subscription, world.customerA, 404);

        String driver = "/api/v1/drivers/" + world.driver1;
        expect(mismatches, driver, world.driverUser1, 200);
        expect(mismatches, driver, world.driverUser2, 404);
        expect(mismatches, driver, world.fleetAdmin1, 200);
        expect(mismatches, driver, world.fleetAdmin2, 404);
        expect(mismatches, driver, world.customerA, 200);
        expect(mismatches, driver, world.customerB, 404);
        expect(mismatches, driver, world.hotelStaff1, 403);

        String vehicle = "/api/v1/vehicles/" + world.vehicle1;
        expect(mismatches, vehicle, world.fleetAdmin1, 200);
        expect(mismatches, vehicle, world.fleetAdmin2, 404);
        expect(mismatches, vehicle, world.driverUser1, 200);
        expect(mismatches, vehicle, world.customerA, 200);
        expect(mismatches, vehicle, world.customerB, 404);

        String fleet = "/api/v1/fleets/" + world.fleet1;
        expect(mismatches, fleet, world.fleetAdmin1, 200);
        expect(mismatches, fleet, world.fleetAdmin2, 404);
        expect(mismatches, fleet, world.driverUser1, 200);
        expect(mismatches, fleet, world.driverUser2, 404);
        // Riders see the fleets they applied for, so another fleet is not found rather than forbidden.
        expect(mismatches, fleet, world.customerA, 404);
        expect(mismatches, fleet, world.hotelStaff1, 403);

        String booking = "/api/v1/hotel-bookings/" + world.bookingA;
        expect(mismatches, booking, world.customerA, 200);
        expect(mismatches, booking, world.customerB, 404);
        expect(mismatches, booking, world.hotelStaff1, 200);
        expect(mismatches, booking, world.hotelStaff2, 404);
        expect(mismatches, booking, world.driverUser1, 403);

        String rider = "/api/v1/users/" + world.customerA.id();
        expect(mismatches, rider, world.customerA, 200);
        expect(mismatches, rider, world.customerB, 404);
        expect(mismatches, rider, world.support, 200);
        expect(mismatches, rider, world.fleetAdmin1, 404);
        expect(mismatches, rider, world.hotelStaff1, 404);
        expect(mismatches, "/api/v1/users/" + world.driverUser1.id(), world.fleetAdmin1, 200);
        expect(mismatches, "/api/v1/users/" + world.driverUser1.id(), world.fleetAdmin2, 404);

        assertThat(mismatches).isEmpty();
    }

    @Test
    void unknownIdsAndSomeoneElsesIdsGetTheSameAnswer() {
        Response foreign = api().get("/api/v1/rides/" + world.rideBAssigned.id(), token(world.customerA));
        Response unknown = api().get("/api/v1/rides/" + UUID.randomUUID(), token(world.customerA));

        assertThat(foreign.status()).isEqualTo(404);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(foreign.code()).isEqualTo(unknown.code()).isEqualTo("not-found");
    }

    @Test
    void rideHistoryListsOnlyTheCallersOwnRidesWhateverIdTheyName() {
        String range = "?from=" + Instant.now().minus(30, ChronoUnit.DAYS) + "&to="
                + Instant.now().plus(1, ChronoUnit.DAYS);

        Response own =
                api().get("/api/v1/rides" + range + "&customerId=" + world.customerB.id(), token(world.customerA));
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.body()
                        .get("items")
                        .valueStream()
                        .map(r -> r.get("customerId").asString())
                        .distinct()
                        .toList())
                .containsExactly(world.customerA.id().toString());

        Response byDriver = api().get("/api/v1/rides" + range, token(world.driverUser1));
        assertThat(byDriver.body()
                        .get("items")
                        .valueStream()
                        .map(r -> r.get("driverId").asString())
                        .distinct()
                        .toList())
                .containsExactly(world.driver1.toString());

        Response byFleet = api().get("/api/v1/rides" + range, token(world.fleetAdmin2));
        assertThat(byFleet.body()
                        .get("items")
                        .valueStream()
                        .map(r -> r.get("fleetCompanyId").asString())
                        .distinct()
                        .toList())
                .containsExactly(world.fleet2.toString());

        Response bySupport =
                api().get("/api/v1/rides" + range + "&customerId=" + world.customerB.id(), token(world.support));
        assertThat(bySupport.body().get("items").size()).isEqualTo(2);

        assertThat(api().get("/api/v1/rides" + range, token(world.support)).code())
                .isEqualTo("customer-required");
    }

    @Test
    void badIdsAndRangesAreClearClientErrors() {
        String token = token(world.customerA);
        assertThat(api().get("/api/v1/rides/not-a-uuid", token).code()).isEqualTo("invalid-parameter");
        assertThat(api().get("/api/v1/rides?from=2026-01-01T00:00:00Z", token).code())
                .isEqualTo("missing-parameter");
        assertThat(api().get("/api/v1/rides?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", token)
                        .code())
                .isEqualTo("invalid-range");
        assertThat(api().get("/api/v1/rides?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", token)
                        .code())
                .isEqualTo("invalid-range");
        assertThat(api().get("/api/v1/rides?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z&limit=0", token)
                        .code())
                .isEqualTo("validation-failed");
    }

    private void expect(List<String> mismatches, String path, SignedIn caller, int status) {
        Response response = api().get(path, token(caller));
        if (response.status() != status) {
            mismatches.add("GET %s as %s: expected %d, got %s".formatted(path, roleOf(caller), status, response));
        }
    }

    private String roleOf(SignedIn caller) {
        return superuser()
                .sql("SELECT user_type::text FROM public.users WHERE id = :id")
                .param("id", caller.id())
                .query(String.class)
                .single();
    }

    /** A fresh access token: the shared world outlives the 15-minute token lifetime in a long run. */
    private String token(SignedIn user) {
        return tokens.computeIfAbsent(
                user.id(),
                id -> accounts().signIn(new Registered(user.id(), user.email())).accessToken());
    }
}
