package com.vipride.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import com.vipride.support.TestAccounts.SignedIn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Nearest suitable driver, atomic claims under concurrency, offers that are declined or time out, expiry. */
class DispatchIT extends IntegrationTest {

    @Autowired
    private DispatchPass dispatchPass;

    private RideWorld world;

    @BeforeEach
    void market() {
        world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
    }

    @Test
    void theInlinedGreatCircleDistanceIsEarthdistancesToTheMillimetre() {
        // Pairs of points all over the globe, from metres to half the world apart.
        Double worst = superuser().sql("""
                SELECT max(abs(public.great_circle_m(lat1, lng1, lat2, lng2)
                               - public.earth_distance(public.ll_to_earth(lat1, lng1), public.ll_to_earth(lat2, lng2))))
                  FROM (SELECT lat1, lng1, least(90, greatest(-90, lat1 + d * (random() - 0.5))) AS lat2,
                               lng1 + d * (random() - 0.5) AS lng2
                          FROM (SELECT 170 * (random() - 0.5) AS lat1, 340 * (random() - 0.5) AS lng1,
                                       power(10, -4 + 6 * random()) AS d
                                  FROM generate_series(1, 5000)) p) q""").query(Double.class).single();
        assertThat(worst).isLessThan(0.001);
    }

    @Test
    void theNearestSuitableDriverGetsTheOffer() {
        world.driverAt(1_500);
        Driver near = world.driverAt(400);
        world.driverAt(100, "suv", 6, false); // nearer, but not the vehicle type asked for
        world.driverAt(200, "sedan", 4, false);
        superuser()
                .sql("UPDATE public.drivers SET position_updated_at = now() - interval '10 minutes' WHERE id = "
                        + "(SELECT id FROM public.drivers WHERE city = :city AND current_lat = :lat)")
                .param("city", world.city)
                .param("lat", world.latNorth(200))
                .update(); // stale: its pings stopped
        world.driverAt(9_000); // out of range (5 km)

        Api.Response ride = world.requestRide(world.rider("normal"));
        assertThat(ride.status()).as(ride.toString()).isEqualTo(201);
        assertThat(ride.text("status")).isEqualTo("driver_assigned");
        assertThat(ride.text("driverId")).isEqualTo(near.id().toString());
        assertThat(offerStatus(ride, near)).isEqualTo("offered");
        assertThat(available(near)).as("claimed").isFalse();
    }

    @Test
    void vipRidesGoOnlyToVettedSubscribedDriversInCertifiedVehiclesAndPartiesNeedSeats() {
        world.driverAt(100, "suv", 4, false);
        Driver unsubscribed = world.driverAt(1_000, "suv", 6, true);
        superuser()
                .sql("UPDATE public.drivers SET subscription_tier = 'basic' WHERE id = :id")
                .param("id", unsubscribed.id())
                .update(); // VIP rides need a premium or elite subscription
        Driver vetted = world.driverAt(2_000, "suv", 6, true);
        Api.Response vip = world.request(
                world.rider("vip"), Map.of("trip", withPassengers(world.trip("suv", "per_ride"), 1)), null);
        assertThat(vip.text("driverId")).isEqualTo(vetted.id().toString());

        Driver roomy = world.driverAt(2_500, "suv", 8, false);
        Api.Response party = world.request(
                world.rider("normal"), Map.of("trip", withPassengers(world.trip("suv", "per_ride"), 7)), null);
        assertThat(party.text("driverId"))
                .as("the nearer 4- and 6-seaters are too small")
                .isEqualTo(roomy.id().toString());
    }

    @Test
    void aDeclinedOfferGoesToTheNextNearestDriverAndATimedOutOneToo() {
        Driver first = world.driverAt(300);
        Driver second = world.driverAt(600);
        Driver third = world.driverAt(900);
        Api.Response ride = world.requestRide(world.rider("normal"));
        assertThat(ride.text("driverId")).isEqualTo(first.id().toString());

        assertThat(api().post("/api/v1/rides/" + ride.text("id") + "/decline", Map.of(), second.token())
                        .status())
                .as("only the driver it was offered to may answer")
                .isEqualTo(404);
        Api.Response declined = api().post("/api/v1/rides/" + ride.text("id") + "/decline", Map.of(), first.token());
        assertThat(declined.status()).as(declined.toString()).isEqualTo(200);
        assertThat(driverOf(ride)).isEqualTo(second.id());
        assertThat(available(first)).as("free again").isTrue();

        superuser()
                .sql(
                        "UPDATE public.ride_offers SET offered_at = now() - interval '1 minute', expires_at = now() - interval '1 second' "
                                + "WHERE ride_id = :id AND status = 'offered'")
                .param("id", UUID.fromString(ride.text("id")))
                .update();
        Api.Response late = api().post("/api/v1/rides/" + ride.text("id") + "/accept", Map.of(), second.token());
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.code()).isEqualTo("offer-closed");
        dispatchPass.runOnce();
        assertThat(driverOf(ride)).isEqualTo(third.id());
        assertThat(offerStatus(ride, second)).isEqualTo("expired");
        assertThat(available(second)).isTrue();

        Api.Response accepted = api().post("/api/v1/rides/" + ride.text("id") + "/accept", Map.of(), third.token());
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(api().post("/api/v1/rides/" + ride.text("id") + "/decline", Map.of(), third.token())
                        .code())
                .isEqualTo("offer-closed");
    }

    @Test
    void withNoDriverInRangeARequestWaitsIsRetriedAndExpires() {
        world.set("dispatch_retry_s", 1);
        SignedIn rider = world.rider("normal");
        Api.Response ride = world.requestRide(rider);
        assertThat(ride.status()).as(ride.toString()).isEqualTo(201);
        assertThat(ride.text("status")).isEqualTo("pending");

        Driver late = world.driverAt(700);
        superuser()
                .sql("UPDATE public.rides SET next_dispatch_at = now() WHERE id = :id")
                .param("id", UUID.fromString(ride.text("id")))
                .update();
        dispatchPass.runOnce();
        assertThat(driverOf(ride)).as("retried once a driver came online").isEqualTo(late.id());

        Api.Response lonely = world.requestRide(world.rider("normal"));
        assertThat(lonely.text("status")).isEqualTo("pending");
        superuser()
                .sql("UPDATE public.rides SET next_dispatch_at = now(), dispatch_deadline = now() WHERE id = :id")
                .param("id", UUID.fromString(lonely.text("id")))
                .update();
        dispatchPass.runOnce();
        Api.Response expired = api().get("/api/v1/rides/" + lonely.text("id"), rider.accessToken());
        Api.Response mine = api().get("/api/v1/rides/" + lonely.text("id"), null);
        assertThat(mine.status()).isEqualTo(401);
        assertThat(expired.status()).as("not the rider's ride").isEqualTo(404);
        assertThat(superuser()
                        .sql("SELECT status::text FROM public.rides WHERE id = :id")
                        .param("id", UUID.fromString(lonely.text("id")))
                        .query(String.class)
                        .single())
                .isEqualTo("expired");
    }

    @Test
    void aDriverWhosePingsStopDropsOutOfDispatch() {
        Driver driver = world.driverAt(300);
        superuser()
                .sql("UPDATE public.drivers SET position_updated_at = now() - interval '1 hour' WHERE id = :id")
                .param("id", driver.id())
                .update();
        dispatchPass.runOnce();
        assertThat(available(driver)).isFalse();
        assertThat(world.requestRide(world.rider("normal")).text("status")).isEqualTo("pending");

        Api.Response ping = api().post(
                        "/api/v1/drivers/me/positions",
                        Map.of(
                                "points",
                                List.of(
                                        Map.of(
                                                "lat",
                                                world.latNorth(310),
                                                "lng",
                                                world.lng,
                                                "recordedAt",
                                                java.time.Instant.now()
                                                        .minusSeconds(5)
                                                        .toString()),
                                        Map.of("lat", world.latNorth(320), "lng", world.lng))),
                        driver.token());
        assertThat(ping.status()).as(ping.toString()).isEqualTo(200);
        assertThat(ping.body().get("lat").asDouble())
                .as("the newest fix counts")
                .isEqualTo(world.latNorth(320));
        assertThat(ping.body().get("available").asBoolean()).isTrue();
    }

    @Test
    void concurrentRequestsFromTwoServiceInstancesNeverShareADriver() throws Exception {
        int drivers = 6;
        List<Driver> fleet = new ArrayList<>();
        for (int i = 0; i < drivers; i++) {
            fleet.add(world.driverAt(200 + 150 * i));
        }
        List<SignedIn> riders = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            riders.add(world.rider("normal"));
        }
        // Half of the requests through this service's HTTP API, half straight through a second, independent
        // connection pool acting as another service instance would (app_backend, rider's role and identity).
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setDataSource(dataSourceFor("app_backend"));
        config.setMaximumPoolSize(8);
        com.zaxxer.hikari.HikariDataSource otherInstance = new com.zaxxer.hikari.HikariDataSource(config);
        List<Callable<UUID>> calls = new ArrayList<>();
        for (int i = 0; i < riders.size(); i++) {
            SignedIn rider = riders.get(i);
            calls.add(
                    i % 2 == 0
                            ? () -> {
                                Api.Response r = world.requestRide(rider);
                                assertThat(r.status()).as(r.toString()).isEqualTo(201);
                                return r.text("driverId") == null ? null : UUID.fromString(r.text("driverId"));
                            }
                            : () -> requestThroughSql(otherInstance, rider));
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<UUID> assigned = new ArrayList<>();
        try {
            for (Future<UUID> f : pool.invokeAll(calls)) {
                if (f.get() != null) {
                    assigned.add(f.get());
                }
            }
        } finally {
            pool.shutdown();
            otherInstance.close();
        }
        Set<UUID> distinct = new HashSet<>(assigned);
        assertThat(assigned).hasSize(drivers);
        assertThat(distinct).hasSize(drivers);
        assertThat(superuser()
                        .sql("""
                SELECT count(*) FROM public.rides WHERE city = :city AND status = 'driver_assigned'""")
                        .param("city", world.city)
                        .query(Long.class)
                        .single())
                .isEqualTo(drivers);
        assertThat(superuser()
                        .sql("""
                SELECT count(*) FROM (SELECT driver_id FROM public.ride_offers o JOIN public.drivers d ON d.id = o.driver_id
                 WHERE d.city = :city AND o.status = 'offered' GROUP BY driver_id HAVING count(*) > 1) x""")
                        .param("city", world.city)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    /** The same SQL the service runs for a request, on a connection of another pool (a second instance). */
    private UUID requestThroughSql(javax.sql.DataSource instance, SignedIn rider) throws Exception {
        try (java.sql.Connection c = instance.getConnection()) {
            c.setAutoCommit(false);
            try (java.sql.Statement s = c.createStatement()) {
                s.execute("SET LOCAL ROLE customer_user");
                s.execute("SELECT set_config('app.current_user_id', '" + rider.id() + "', true)");
                java.sql.ResultSet q = s.executeQuery(
                        "SELECT id FROM public.quote_fare('" + world.city + "', 'sedan', 'per_ride', 1, " + world.lat
                                + ", " + world.lng + ", " + world.latNorth(3500) + ", " + (world.lng + 0.03) + ")");
                q.next();
                java.sql.ResultSet r = s.executeQuery("INSERT INTO public.rides (customer_id, quote_id) VALUES ('"
                        + rider.id() + "', '" + q.getString(1) + "') RETURNING id, requested_at");
                r.next();
                try (java.sql.PreparedStatement d = c.prepareStatement("SELECT public.dispatch_ride(?, ?)")) {
                    d.setObject(1, r.getObject(1));
                    d.setObject(2, r.getObject(2, java.time.OffsetDateTime.class));
                    java.sql.ResultSet driver = d.executeQuery();
                    driver.next();
                    UUID id = driver.getObject(1, UUID.class);
                    c.commit();
                    return id;
                }
            }
        }
    }

    private Map<String, Object> withPassengers(Map<String, Object> trip, int passengers) {
        Map<String, Object> copy = new java.util.HashMap<>(trip);
        copy.put("passengers", passengers);
        return copy;
    }

    private UUID driverOf(Api.Response ride) {
        return superuser()
                .sql("SELECT driver_id FROM public.rides WHERE id = :id")
                .param("id", UUID.fromString(ride.text("id")))
                .query(UUID.class)
                .optional()
                .orElse(null);
    }

    private String offerStatus(Api.Response ride, Driver driver) {
        return superuser()
                .sql("SELECT status FROM public.ride_offers WHERE ride_id = :ride AND driver_id = :driver")
                .param("ride", UUID.fromString(ride.text("id")))
                .param("driver", driver.id())
                .query(String.class)
                .single();
    }

    private boolean available(Driver driver) {
        return superuser()
                .sql("SELECT is_available FROM public.drivers WHERE id = :id")
                .param("id", driver.id())
                .query(Boolean.class)
                .single();
    }
}
