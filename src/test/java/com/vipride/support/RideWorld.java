package com.vipride.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.TestAccounts.SignedIn;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.ObjectMapper;

/**
 * A market of its own for one test: a unique city at a random spot on Earth (so no other test's drivers
 * are in range), with exact tariffs, settings the test chooses, and helpers to put drivers on the map
 * and riders in the back seat. Arranging is done as the superuser; everything under test goes through
 * the API.
 */
public final class RideWorld {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final String city = "test_" + randomLetters(16);
    public final double lat = ThreadLocalRandom.current().nextDouble(-50, 50);
    public final double lng = ThreadLocalRandom.current().nextDouble(-170, 170);
    private final JdbcClient sql;
    private final TestAccounts accounts;
    private final Api api;

    public RideWorld(JdbcClient sql, TestAccounts accounts, Api api) {
        this.sql = sql;
        this.accounts = accounts;
        this.api = api;
        sql.sql("""
                INSERT INTO public.city_settings (city, currency, road_factor, average_speed_kmh, surge_radius_m,
                    surge_window_s, quote_ttl_s, max_pickup_distance_m, offer_timeout_s, dispatch_retry_s,
                    dispatch_deadline_s, driver_stale_after_s, reference_lat)
                VALUES (:city, 'NGN', 1.30, 24.0, 3000, 600, 300, 5000, 30, 5, 300, 120, :lat)""").param("city", city).param("lat", lat).update();
    }

    /** Changes one of the city's settings (column name from the test, never from input). */
    public RideWorld set(String column, Object value) {
        sql.sql("UPDATE public.city_settings SET " + column + " = :value WHERE city = :city")
                .param("value", value)
                .param("city", city)
                .update();
        return this;
    }

    /** A current tariff; amounts in kobo. */
    public UUID tariff(
            String vehicleType,
            String tier,
            String model,
            long base,
            long perKm,
            long perMinute,
            long flat,
            long minimum,
            long cancellationFee) {
        return sql.sql("""
                INSERT INTO public.tariffs (city, vehicle_type, rider_tier, billing_model, currency, base_fare_minor,
                    per_km_minor, per_minute_minor, flat_fare_minor, minimum_fare_minor, cancellation_fee_minor,
                    free_cancellation_s)
                VALUES (:city, CAST(:vt AS public.vehicle_type), CAST(:tier AS public.user_tier),
                        CAST(:model AS public.billing_model), 'NGN', :base, :perKm, :perMinute, :flat, :minimum, :fee, 120)
                RETURNING id""")
                .param("city", city)
                .param("vt", vehicleType)
                .param("tier", tier)
                .param("model", model)
                .param("base", base)
                .param("perKm", perKm)
                .param("perMinute", perMinute)
                .param("flat", flat)
                .param("minimum", minimum)
                .param("fee", cancellationFee)
                .query(UUID.class)
                .single();
    }

    /** The standard test tariff for every vehicle type and tier: ₦500 + ₦150/km + ₦30/min, minimum ₦1,500. */
    public RideWorld standardTariffs() {
        for (String vt : new String[] {"sedan", "suv", "luxury", "van", "premium"}) {
            for (String tier : new String[] {"normal", "premium", "vip"}) {
                for (String model : new String[] {"per_ride", "surge_pricing"}) {
                    tariff(vt, tier, model, 50_000, 15_000, 3_000, 0, 150_000, 100_000);
                }
            }
        }
        return this;
    }

    /**
     * The flat-rate sedan tariff of riders of {@code tier} becomes {@code fare} (no minimum), as an admin
     * changes a price list: the current one, if any, is retired and a new one added.
     */
    public UUID flatFare(String tier, long fare) {
        sql.sql("""
                UPDATE public.tariffs SET retired_at = now()
                 WHERE city = :city AND vehicle_type = 'sedan' AND rider_tier = CAST(:tier AS public.user_tier)
                   AND billing_model = 'flat_rate' AND retired_at IS NULL""").param("city", city).param("tier", tier).update();
        return tariff("sedan", tier, "flat_rate", 0, 0, 0, fare, 0, 100_000);
    }

    public String tierOf(UUID user) {
        return sql.sql("SELECT tier::text FROM public.users WHERE id = :id")
                .param("id", user)
                .query(String.class)
                .single();
    }

    /** An active, verified fleet company keeping {@code driverShareBp} of its drivers' earnings after commission. */
    public UUID fleet(int driverShareBp) {
        return sql.sql("""
                INSERT INTO public.fleet_companies (name, registration_number, contact_email, contact_phone, status,
                                                    verified_at, driver_revenue_share_bp)
                VALUES ('Fleet ' || :n, 'RC-' || :n, 'ops@fleet.example', '+2341234567', 'active', now(), :share)
                RETURNING id""")
                .param("n", UUID.randomUUID().toString())
                .param("share", driverShareBp)
                .query(UUID.class)
                .single();
    }

    /** A normal rider whose saved card (sandbox processor) has a token starting {@code tokenPrefix}. */
    public SignedIn riderWithCard(String tokenPrefix) {
        SignedIn rider = rider("normal");
        sql.sql("INSERT INTO public.payment_methods (user_id, method, processor, processor_token, brand, last4) "
                        + "VALUES (:u, 'card', 'sandbox', :t, 'visa', '4242')")
                .param("u", rider.id())
                .param("t", tokenPrefix + "_" + UUID.randomUUID())
                .update();
        return rider;
    }

    /** Requests a ride that must go to {@code driver}, who accepts, drives it and completes it; returns the completion. */
    public Api.Response completedRide(SignedIn rider, Driver driver, int metres) {
        Api.Response ride = requestRide(rider);
        assertThat(ride.text("driverId"))
                .as(ride.toString())
                .isEqualTo(driver.id().toString());
        String id = ride.text("id");
        for (String step : new String[] {"accept", "arrive", "start"}) {
            assertThat(api.post("/api/v1/rides/" + id + "/" + step, Map.of(), driver.token())
                            .status())
                    .isEqualTo(200);
        }
        Api.Response done =
                api.post("/api/v1/rides/" + id + "/complete", Map.of("actualDistanceM", metres), driver.token());
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        return done;
    }

    public SignedIn rider(String tier) {
        SignedIn rider = accounts.aSignedInCustomer();
        sql.sql("UPDATE public.users SET tier = CAST(:tier AS public.user_tier) WHERE id = :id")
                .param("tier", tier)
                .param("id", rider.id())
                .update();
        return rider;
    }

    /**
     * An approved owner-operator with a vehicle of the given type, online and available at the offset
     * (metres north); a VIP one is vetted, drives a certified vehicle and holds a premium subscription.
     */
    public Driver driverAt(double metresNorth, String vehicleType, int seats, boolean vip) {
        SignedIn user = accounts.aSignedInStaffMember("driver");
        UUID vehicle = sql.sql("""
                INSERT INTO public.vehicles (plate_number, make, model, model_year, color, vehicle_type, seats,
                                             owner_user_id, vip_certified)
                VALUES (:plate, 'Toyota', 'Camry', 2023, 'black', CAST(:vt AS public.vehicle_type), :seats, :owner, :vip)
                RETURNING id""")
                .param("plate", "T" + ThreadLocalRandom.current().nextInt(100_000_000))
                .param("vt", vehicleType)
                .param("seats", seats)
                .param("owner", user.id())
                .param("vip", vip)
                .query(UUID.class)
                .single();
        UUID driver = sql.sql("""
                INSERT INTO public.drivers (user_id, current_vehicle_id, license_number, license_expires_on, category,
                                            status, vip_vetted_at, city, subscription_tier, subscription_expires_at)
                VALUES (:user, :vehicle, :licence, DATE '2031-01-01', 'owner_operator', 'approved',
                        CASE WHEN :vip THEN now() END, :city, CASE WHEN :vip THEN 'premium'::public.driver_subscription_tier END,
                        CASE WHEN :vip THEN now() + interval '30 days' END)
                RETURNING id""")
                .param("user", user.id())
                .param("vehicle", vehicle)
                .param("licence", "L-" + UUID.randomUUID())
                .param("vip", vip)
                .param("city", city)
                .query(UUID.class)
                .single();
        Driver d = new Driver(driver, vehicle, user);
        assertThat(api.post("/api/v1/drivers/me/online", Map.of(), user.accessToken())
                        .status())
                .isEqualTo(200);
        Api.Response ping = api.post(
                "/api/v1/drivers/me/position", Map.of("lat", latNorth(metresNorth), "lng", lng), user.accessToken());
        assertThat(ping.status()).as(ping.toString()).isEqualTo(200);
        assertThat(ping.body().get("available").asBoolean()).as(ping.toString()).isTrue();
        return d;
    }

    /** The driver goes off duty (through the API): no more offers until online again. */
    public void offline(Driver driver) {
        assertThat(api.post("/api/v1/drivers/me/offline", Map.of(), driver.token())
                        .status())
                .isEqualTo(200);
    }

    public Driver driverAt(double metresNorth) {
        return driverAt(metresNorth, "sedan", 4, false);
    }

    public double latNorth(double metres) {
        return lat + metres / 111_195.0;
    }

    /** A trip from the centre to a point 5 km north-east. */
    public Map<String, Object> trip(String vehicleType, String model) {
        return Map.of(
                "city",
                city,
                "vehicleType",
                vehicleType,
                "billingModel",
                model,
                "passengers",
                1,
                "pickup",
                Map.of("lat", lat, "lng", lng),
                "dropoff",
                Map.of("lat", latNorth(3500), "lng", lng + 0.03));
    }

    public Api.Response request(SignedIn rider, Map<String, Object> body, String idempotencyKey) {
        HttpRequest.Builder builder = api.request("/api/v1/rides", rider.accessToken())
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        return api.send(builder.build());
    }

    /** Requests a standard sedan ride and returns the response. */
    public Api.Response requestRide(SignedIn rider) {
        return request(rider, Map.of("trip", trip("sedan", "per_ride")), null);
    }

    private static String randomLetters(int n) {
        StringBuilder letters = new StringBuilder();
        for (int i = 0; i < n; i++) {
            letters.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return letters.toString();
    }

    public record Driver(UUID id, UUID vehicle, SignedIn user) {
        public String token() {
            return user.accessToken();
        }
    }

    /** A hotel in this world's city, created through the API by a system admin (answered 201). */
    public Api.Response aHotel(String adminAccessToken, int starRating) {
        Api.Response created = api.post(
                "/api/v1/hotels",
                Map.of(
                        "name",
                        "Eko " + UUID.randomUUID(),
                        "city",
                        city,
                        "address",
                        "1 Ahmadu Bello Way",
                        "lat",
                        lat,
                        "lng",
                        lng,
                        "starRating",
                        starRating,
                        "contactEmail",
                        "desk@eko.example",
                        "contactPhone",
                        "+2341234000"),
                adminAccessToken);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created;
    }
}
