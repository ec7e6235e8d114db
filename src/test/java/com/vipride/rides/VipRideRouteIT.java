package com.vipride.rides;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.support.Api;
import com.vipride.support.AsRole;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import com.vipride.support.TestAccounts.SignedIn;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A VIP ride's pickup and drop-off are VIP data: stored only sealed (in the ride and in its quote), read by
 * the VIP, the assigned driver while the ride is active and the VIP roles, each read logged; support sees
 * the city only.
 */
class VipRideRouteIT extends IntegrationTest {

    private static final String PICKUP_ADDRESS = "12 Bourdillon Road, Ikoyi";
    private static final String DROPOFF_ADDRESS = "Federal Palace Hotel";

    private RideWorld world;
    private Driver driver;
    private SignedIn vip;

    @BeforeEach
    void market() {
        world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        driver = world.driverAt(300, "sedan", 4, true);
        vip = world.rider("vip");
    }

    /** Quoted, then requested with the quote (the service's two calls), and accepted by the driver. */
    private UUID acceptedVipRide() {
        Api.Response quote = api().post("/api/v1/fare-quotes", world.trip("sedan", "per_ride"), vip.accessToken());
        assertThat(quote.status()).as(quote.toString()).isEqualTo(201);
        Api.Response ride = world.request(
                vip,
                Map.of(
                        "quoteId", quote.text("id"),
                        "pickupAddress", PICKUP_ADDRESS,
                        "dropoffAddress", DROPOFF_ADDRESS),
                "vip-" + UUID.randomUUID());
        assertThat(ride.status()).as(ride.toString()).isEqualTo(201);
        assertThat(ride.text("status")).isEqualTo("driver_assigned");
        assertThat(ride.text("driverId")).isEqualTo(driver.id().toString());
        UUID id = UUID.fromString(ride.text("id"));
        assertThat(superuser()
                        .sql("SELECT pickup_cell IS NOT NULL FROM public.rides WHERE id = :id")
                        .param("id", id)
                        .query(Boolean.class)
                        .single())
                .as("the coarse pickup stays while the ride may be offered again")
                .isTrue();
        assertThat(api().post("/api/v1/rides/" + id + "/accept", Map.of(), driver.token())
                        .status())
                .isEqualTo(200);
        return id;
    }

    private long routeReads(String role) {
        return superuser()
                .sql("""
                        SELECT count(*) FROM audit.vip_access_log
                         WHERE vip_user_id = :vip AND data_accessed = 'rides:route' AND accessor_role = :role""")
                .param("vip", vip.id())
                .param("role", role)
                .query(Long.class)
                .single();
    }

    /** SQL as the service login switched into {@code role} for {@code user}, rolled back afterwards. */
    private <T> T as(String role, UUID user, Function<JdbcClient, T> work) {
        try (Connection connection = dataSourceFor("app_backend").getConnection()) {
            connection.setAutoCommit(false);
            try {
                JdbcClient sql = JdbcClient.create(new SingleConnectionDataSource(connection, true));
                sql.sql("SELECT set_config('role', :role, true), set_config('app.current_user_id', :user, true)")
                        .param("role", role)
                        .param("user", user.toString())
                        .query()
                        .singleRow();
                return work.apply(sql);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theRouteIsStoredOnlySealedInTheRideAndItsQuote() {
        UUID id = acceptedVipRide();

        Map<String, Object> ride = superuser().sql("""
                        SELECT pickup_lat, pickup_lng, pickup_address, dropoff_lat, dropoff_lng, dropoff_address,
                               route_enc, pickup_cell::text AS pickup_cell, quote_id
                          FROM public.rides WHERE id = :id""").param("id", id).query().singleRow();
        assertThat(ride.get("pickup_lat")).isNull();
        assertThat(ride.get("pickup_lng")).isNull();
        assertThat(ride.get("pickup_address")).isNull();
        assertThat(ride.get("dropoff_lat")).isNull();
        assertThat(ride.get("dropoff_lng")).isNull();
        assertThat(ride.get("dropoff_address")).isNull();
        assertThat(ride.get("pickup_cell"))
                .as("erased once the driver accepted")
                .isNull();
        assertNoPlaintext((byte[]) ride.get("route_enc"));

        Map<String, Object> quote = superuser()
                .sql("SELECT pickup_lat, dropoff_lat, route_enc FROM public.fare_quotes WHERE id = :id")
                .param("id", ride.get("quote_id"))
                .query()
                .singleRow();
        assertThat(quote.get("pickup_lat")).isNull();
        assertThat(quote.get("dropoff_lat")).isNull();
        assertNoPlaintext((byte[]) quote.get("route_enc"));

        String audited = superuser()
                .sql(
                        "SELECT string_agg(new_values::text, ' ') FROM audit.audit_log WHERE table_name = 'rides' AND record_id = :id")
                .param("id", id.toString())
                .query(String.class)
                .optional()
                .orElse("");
        assertThat(audited).doesNotContain(PICKUP_ADDRESS).doesNotContain(String.valueOf(world.lat));
    }

    private void assertNoPlaintext(byte[] envelope) {
        assertThat(envelope).isNotNull();
        String raw = new String(envelope, StandardCharsets.ISO_8859_1);
        assertThat(raw).doesNotContain("Bourdillon").doesNotContain("Federal Palace");
        assertThat(envelope[0]).as("a VIP envelope").isEqualTo((byte) 1);
    }

    @Test
    void theAssignedDriverReadsTheRouteWhileTheRideIsActiveAndNotAfterEachReadLogged() {
        UUID id = acceptedVipRide();
        long before = routeReads("driver_user");

        Api.Response trip = api().get("/api/v1/rides/" + id + "/trip", driver.token());

        assertThat(trip.status()).as(trip.toString()).isEqualTo(200);
        assertThat(trip.body().get("pickup").get("lat").asDouble()).isEqualTo(world.lat);
        assertThat(trip.body().get("pickup").get("address").asString()).isEqualTo(PICKUP_ADDRESS);
        assertThat(trip.body().get("dropoff").get("address").asString()).isEqualTo(DROPOFF_ADDRESS);
        Api.Response route = api().get("/api/v1/rides/" + id + "/route", driver.token());
        assertThat(route.status()).as(route.toString()).isEqualTo(200);
        assertThat(route.body().get("dropoff").get("lat").asDouble()).isEqualTo(world.latNorth(3500));
        assertThat(routeReads("driver_user")).isEqualTo(before + 2);

        assertThat(this.<Boolean>as(
                        "driver_user",
                        driver.user().id(),
                        sql -> sql.sql("SELECT route_enc IS NOT NULL FROM public.ride_route(:id)")
                                .param("id", id)
                                .query(Boolean.class)
                                .single()))
                .as("in SQL too, while active")
                .isTrue();

        api().post("/api/v1/rides/" + id + "/arrive", Map.of(), driver.token());
        api().post("/api/v1/rides/" + id + "/start", Map.of(), driver.token());
        assertThat(api().post("/api/v1/rides/" + id + "/complete", Map.of("actualDistanceM", 4000), driver.token())
                        .status())
                .isEqualTo(200);
        long afterCompletion = routeReads("driver_user");

        assertThat(api().get("/api/v1/rides/" + id + "/trip", driver.token()).status())
                .isEqualTo(404);
        assertThat(api().get("/api/v1/rides/" + id + "/route", driver.token()).status())
                .isEqualTo(404);
        assertThat(this.<Long>as(
                        "driver_user",
                        driver.user().id(),
                        sql -> sql.sql("SELECT count(*) FROM public.ride_route(:id)")
                                .param("id", id)
                                .query(Long.class)
                                .single()))
                .isZero();
        assertThatThrownBy(() -> as(
                        "driver_user",
                        driver.user().id(),
                        sql -> sql.sql("SELECT route_enc FROM public.rides WHERE id = :id")
                                .param("id", id)
                                .query()
                                .listOfRows()))
                .rootCause()
                .hasMessageContaining("permission denied");
        assertThat(routeReads("driver_user")).isEqualTo(afterCompletion);
    }

    @Test
    void theVipReadsTheirRouteAndSeesAnEtaEachReadLogged() {
        UUID id = acceptedVipRide();
        long before = routeReads("customer_user");

        Api.Response route = api().get("/api/v1/rides/" + id + "/route", vip.accessToken());
        assertThat(route.status()).as(route.toString()).isEqualTo(200);
        assertThat(route.body().get("pickup").get("address").asString()).isEqualTo(PICKUP_ADDRESS);
        assertThat(route.body().get("pickup").get("lng").asDouble()).isEqualTo(world.lng);

        Api.Response trip = api().get("/api/v1/rides/" + id + "/trip", vip.accessToken());
        assertThat(trip.status()).as(trip.toString()).isEqualTo(200);
        assertThat(trip.body().get("eta").get("target").asString()).isEqualTo("pickup");
        assertThat(trip.body().get("eta").get("distanceM").asInt()).isBetween(385, 395);
        assertThat(routeReads("customer_user")).isEqualTo(before + 2);
    }

    @Test
    void vipRolesReadTheRouteWithAPurposeLogged() {
        UUID id = acceptedVipRide();

        for (String role : new String[] {"vip_admin", "vip_operator"}) {
            long before = routeReads(role);
            Api.Response route = api().get(
                            "/api/v1/rides/" + id + "/route?purpose=security%20review",
                            accounts().aSignedInStaffMember(role).accessToken());
            assertThat(route.status()).as(role + " " + route).isEqualTo(200);
            assertThat(route.body().get("pickup").get("address").asString()).isEqualTo(PICKUP_ADDRESS);
            assertThat(routeReads(role)).isEqualTo(before + 1);
        }
        assertThat(superuser()
                        .sql("""
                                SELECT purpose FROM audit.vip_access_log
                                 WHERE vip_user_id = :vip AND accessor_role = 'vip_admin' AND data_accessed = 'rides:route'""")
                        .param("vip", vip.id())
                        .query(String.class)
                        .list())
                .contains("security review");
    }

    @Test
    void supportSeesTheCityButNeverTheVipsPoints() {
        UUID id = acceptedVipRide();
        SignedIn support = accounts().aSignedInStaffMember("support_agent");

        Api.Response ride = api().get("/api/v1/rides/" + id, support.accessToken());
        assertThat(ride.status()).as(ride.toString()).isEqualTo(200);
        assertThat(ride.text("city")).isEqualTo(world.city);
        assertThat(ride.raw()).doesNotContain(PICKUP_ADDRESS).doesNotContain(String.valueOf(world.lat));
        assertThat(api().get("/api/v1/rides/" + id + "/route", support.accessToken())
                        .status())
                .isIn(403, 404);
        assertThat(api().get("/api/v1/rides/" + id + "/trip", support.accessToken())
                        .status())
                .isIn(403, 404);

        Map<String, Object> row = AsRole.query(
                dataSourceFor("app_backend"),
                "support_agent",
                sql -> sql.sql("SELECT city, pickup_lat, pickup_lng, pickup_address, dropoff_lat, dropoff_address "
                                + "FROM public.rides WHERE id = :id")
                        .param("id", id)
                        .query()
                        .singleRow());
        assertThat(row.get("city")).isEqualTo(world.city);
        assertThat(row.get("pickup_lat")).isNull();
        assertThat(row.get("pickup_address")).isNull();
        assertThat(row.get("dropoff_lat")).isNull();
        assertThat(row.get("dropoff_address")).isNull();
        for (String forbidden : new String[] {
            "SELECT route_enc FROM public.rides WHERE id = :id",
            "SELECT pickup_cell FROM public.rides WHERE id = :id",
            "SELECT * FROM public.ride_route(:id)",
            "SELECT public.decrypt_vip_data(route_enc) FROM public.fare_quotes WHERE route_enc IS NOT NULL LIMIT 1"
        }) {
            assertThatThrownBy(() -> AsRole.query(
                            dataSourceFor("app_backend"),
                            "support_agent",
                            sql -> sql.sql(forbidden).param("id", id).query().listOfRows()))
                    .as(forbidden)
                    .rootCause()
                    .hasMessageContaining("permission denied");
        }
        assertThat(routeReads("support_agent")).isZero();
    }

    @Test
    void otherRidersAndDriversGetNotFound() {
        UUID id = acceptedVipRide();
        Driver other = world.driverAt(4000, "sedan", 4, true);

        for (String token : new String[] {world.rider("vip").accessToken(), other.token()}) {
            assertThat(api().get("/api/v1/rides/" + id + "/route", token).status())
                    .isEqualTo(404);
            assertThat(api().get("/api/v1/rides/" + id + "/trip", token).status())
                    .isEqualTo(404);
        }
    }

    @Test
    void aVipTripRequestedInOneStepIsSealedToo() {
        Api.Response ride = world.request(
                vip, Map.of("trip", world.trip("sedan", "per_ride"), "pickupAddress", PICKUP_ADDRESS), null);
        assertThat(ride.status()).as(ride.toString()).isEqualTo(201);
        assertThat(ride.text("driverId")).isEqualTo(driver.id().toString());
        Map<String, Object> row = superuser()
                .sql("SELECT pickup_lat, pickup_address, route_enc FROM public.rides WHERE id = :id")
                .param("id", UUID.fromString(ride.text("id")))
                .query()
                .singleRow();
        assertThat(row.get("pickup_lat")).isNull();
        assertThat(row.get("pickup_address")).isNull();
        assertNoPlaintext((byte[]) row.get("route_enc"));
        Api.Response route = api().get("/api/v1/rides/" + ride.text("id") + "/route", vip.accessToken());
        assertThat(route.body().get("pickup").get("address").asString()).isEqualTo(PICKUP_ADDRESS);
    }

    @Test
    void aDeclinedVipRideIsOfferedAgainAroundItsCoarsePickup() {
        Driver second = world.driverAt(900, "sedan", 4, true);
        Api.Response quote = api().post("/api/v1/fare-quotes", world.trip("sedan", "per_ride"), vip.accessToken());
        Api.Response ride = world.request(vip, Map.of("quoteId", quote.text("id")), null);
        assertThat(ride.text("driverId")).isEqualTo(driver.id().toString());

        Api.Response declined = api().post("/api/v1/rides/" + ride.text("id") + "/decline", Map.of(), driver.token());
        assertThat(declined.status()).as(declined.toString()).isEqualTo(200);

        assertThat(superuser()
                        .sql("SELECT driver_id FROM public.rides WHERE id = :id")
                        .param("id", UUID.fromString(ride.text("id")))
                        .query(UUID.class)
                        .single())
                .isEqualTo(second.id());
    }
}
