package com.vipride.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.TestAccounts.SignedIn;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Exact fares under every billing model, quotes that expire, and surge from live demand and supply. */
class FaresIT extends IntegrationTest {

    private RideWorld world;

    @BeforeEach
    void market() {
        world = new RideWorld(superuser(), accounts(), api());
    }

    private long fare(UUID tariff, int distanceM, int durationS, String surge) {
        return superuser()
                .sql(
                        "SELECT public.fare_for(t, :d, :s, CAST(:surge AS numeric)) FROM public.tariffs t WHERE t.id = :id")
                .param("d", distanceM)
                .param("s", durationS)
                .param("surge", surge)
                .param("id", tariff)
                .query(Long.class)
                .single();
    }

    @Test
    void everyBillingModelPricesToTheMinorUnit() {
        // ₦500 base, ₦150/km, ₦30/min, ₦10,000 flat, ₦1,500 minimum; 12.345 km in 20 min 34 s.
        UUID perRide = world.tariff("sedan", "normal", "per_ride", 50_000, 15_000, 3_000, 0, 150_000, 0);
        UUID distance = world.tariff("sedan", "normal", "distance_based", 50_000, 15_000, 0, 0, 150_000, 0);
        UUID time = world.tariff("sedan", "normal", "time_based", 50_000, 0, 3_000, 0, 150_000, 0);
        UUID flat = world.tariff("sedan", "normal", "flat_rate", 0, 0, 0, 1_000_000, 150_000, 0);
        UUID surge = world.tariff("sedan", "normal", "surge_pricing", 50_000, 15_000, 3_000, 0, 150_000, 0);

        assertThat(fare(perRide, 12_345, 1_234, "1.00")).isEqualTo(50_000 + 185_175 + 61_700);
        assertThat(fare(perRide, 12_345, 1_234, "2.00"))
                .as("surge applies only to surge_pricing")
                .isEqualTo(296_875);
        assertThat(fare(distance, 12_345, 1_234, "1.00")).isEqualTo(235_175);
        assertThat(fare(time, 12_345, 1_234, "1.00"))
                .as("floored at the minimum")
                .isEqualTo(150_000);
        assertThat(fare(time, 12_345, 3_601, "1.00"))
                .as("3000 × 3601 / 60 = 180050")
                .isEqualTo(230_050);
        assertThat(fare(flat, 12_345, 1_234, "1.00")).isEqualTo(1_000_000);
        assertThat(fare(flat, 90_000, 9_000, "1.00"))
                .as("flat whatever the trip")
                .isEqualTo(1_000_000);
        assertThat(fare(surge, 12_345, 1_234, "1.50"))
                .as("296875 × 1.5 = 445312.5, half-up")
                .isEqualTo(445_313);
        assertThat(fare(surge, 100, 10, "1.25")).as("minimum before surge").isEqualTo(187_500);
    }

    @Test
    void aQuoteUsesTheRidersTierTariffAndTheSameArithmetic() {
        world.standardTariffs();
        UUID vipTariff = world.tariff("luxury", "vip", "flat_rate", 0, 0, 0, 2_500_000, 0, 0);
        SignedIn normal = world.rider("normal");
        SignedIn vip = world.rider("vip");

        Api.Response quote = api().post("/api/v1/fare-quotes", world.trip("sedan", "per_ride"), normal.accessToken());
        assertThat(quote.status()).as(quote.toString()).isEqualTo(201);
        int distance = quote.body().get("estimatedDistanceM").asInt();
        int duration = quote.body().get("estimatedDurationS").asInt();
        long expected = superuser()
                .sql("""
                SELECT round(public.earth_distance(public.ll_to_earth(:lat, :lng), public.ll_to_earth(:lat2, :lng2)) * 1.30)""")
                .param("lat", world.lat)
                .param("lng", world.lng)
                .param("lat2", world.latNorth(3500))
                .param("lng2", world.lng + 0.03)
                .query(Long.class)
                .single();
        assertThat(distance).isEqualTo(expected);
        // The estimate's rounding is SQL's numeric arithmetic; a double in Java can land on the other side of .5.
        assertThat((long) duration)
                .isEqualTo(superuser()
                        .sql("SELECT round(:d / (24.0 / 3.6))")
                        .param("d", distance)
                        .query(Long.class)
                        .single());
        long meter = Math.round(50_000 + 15_000 * distance / 1000.0 + 3_000 * duration / 60.0);
        assertThat(quote.body().get("estimatedFareMinor").asLong()).isEqualTo(Math.max(meter, 150_000));
        assertThat(quote.text("currency")).isEqualTo("NGN");
        assertThat(quote.text("riderTier")).isEqualTo("normal");

        Api.Response vipQuote = api().post("/api/v1/fare-quotes", world.trip("luxury", "flat_rate"), vip.accessToken());
        assertThat(vipQuote.status()).as(vipQuote.toString()).isEqualTo(201);
        assertThat(vipQuote.body().get("estimatedFareMinor").asLong()).isEqualTo(2_500_000);
        assertThat(superuser()
                        .sql("SELECT tariff_id FROM public.fare_quotes WHERE id = :id")
                        .param("id", UUID.fromString(vipQuote.text("id")))
                        .query(UUID.class)
                        .single())
                .isEqualTo(vipTariff);
    }

    @Test
    void aTariffChangeRetiresTheOldOneAndOnlySystemAdminMayMakeIt() {
        world.standardTariffs();
        Map<String, Object> tariff = Map.ofEntries(
                Map.entry("city", world.city),
                Map.entry("vehicleType", "sedan"),
                Map.entry("riderTier", "normal"),
                Map.entry("billingModel", "per_ride"),
                Map.entry("currency", "NGN"),
                Map.entry("baseFareMinor", 70_000),
                Map.entry("perKmMinor", 20_000),
                Map.entry("perMinuteMinor", 0),
                Map.entry("flatFareMinor", 0),
                Map.entry("minimumFareMinor", 0),
                Map.entry("cancellationFeeMinor", 0),
                Map.entry("freeCancellationS", 60));
        SignedIn rider = world.rider("normal");
        assertThat(api().post("/api/v1/pricing/tariffs", tariff, rider.accessToken())
                        .status())
                .isEqualTo(403);

        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        Api.Response published = api().post("/api/v1/pricing/tariffs", tariff, admin.accessToken());
        assertThat(published.status()).as(published.toString()).isEqualTo(201);
        assertThat(superuser()
                        .sql("""
                SELECT count(*) FROM public.tariffs WHERE city = :city AND vehicle_type = 'sedan' AND rider_tier = 'normal'
                   AND billing_model = 'per_ride' AND retired_at IS NULL""")
                        .param("city", world.city)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        Api.Response quote = api().post("/api/v1/fare-quotes", world.trip("sedan", "per_ride"), rider.accessToken());
        int distance = quote.body().get("estimatedDistanceM").asInt();
        assertThat(quote.body().get("estimatedFareMinor").asLong())
                .isEqualTo(Math.round(70_000 + 20 * (double) distance));

        Map<String, Object> broken = new java.util.HashMap<>(tariff);
        broken.put("billingModel", "flat_rate");
        Api.Response refused = api().post("/api/v1/pricing/tariffs", broken, admin.accessToken());
        assertThat(refused.status()).as("a flat rate needs a flat fare").isEqualTo(422);
    }

    @Test
    void surgeFollowsDemandAgainstSupplyAroundThePickup() {
        world.standardTariffs();
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        Api.Response rules = api().send(api().request("/api/v1/pricing/surge-rules/" + world.city, admin.accessToken())
                .header("content-type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "[{\"demandRatioFrom\":1.5,\"multiplier\":1.25},{\"demandRatioFrom\":3,\"multiplier\":2.00}]"))
                .build());
        assertThat(rules.status()).as(rules.toString()).isEqualTo(200);
        world.driverAt(800);
        world.driverAt(900, "suv", 6, false); // another vehicle type: not supply for sedans

        BigDecimal first = surge(world.rider("normal"));
        assertThat(first).as("1 rider / 1 driver").isEqualByComparingTo("1.00");
        BigDecimal second = surge(world.rider("normal"));
        assertThat(second).as("2 riders / 1 driver").isEqualByComparingTo("1.25");
        BigDecimal third = surge(world.rider("normal"));
        assertThat(third).as("3 riders / 1 driver").isEqualByComparingTo("2.00");

        Api.Response perRide = api().post(
                        "/api/v1/fare-quotes",
                        world.trip("sedan", "per_ride"),
                        world.rider("normal").accessToken());
        assertThat(perRide.body().get("surgeMultiplier").decimalValue())
                .as("surge only on surge_pricing")
                .isEqualByComparingTo("1.00");
        assertThat(perRide.body().get("demand").asInt()).isEqualTo(4);
        assertThat(perRide.body().get("supply").asInt()).isEqualTo(1);
    }

    private BigDecimal surge(SignedIn rider) {
        Api.Response quote =
                api().post("/api/v1/fare-quotes", world.trip("sedan", "surge_pricing"), rider.accessToken());
        assertThat(quote.status()).as(quote.toString()).isEqualTo(201);
        return quote.body().get("surgeMultiplier").decimalValue();
    }

    @Test
    void anExpiredQuoteIsRefusedAndNothingIsWritten() {
        world.standardTariffs();
        world.driverAt(500);
        SignedIn rider = world.rider("normal");
        Api.Response quote = api().post("/api/v1/fare-quotes", world.trip("sedan", "per_ride"), rider.accessToken());
        superuser()
                .sql(
                        "UPDATE public.fare_quotes SET created_at = now() - interval '10 minutes', expires_at = now() - interval '1 second' WHERE id = :id")
                .param("id", UUID.fromString(quote.text("id")))
                .update();

        Api.Response ride = world.request(rider, Map.of("quoteId", quote.text("id")), null);
        assertThat(ride.status()).as(ride.toString()).isEqualTo(409);
        assertThat(ride.code()).isEqualTo("quote-expired");
        assertThat(ridesOf(rider)).isZero();
        assertThat(superuser()
                        .sql("SELECT used_at IS NULL FROM public.fare_quotes WHERE id = :id")
                        .param("id", UUID.fromString(quote.text("id")))
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void aQuoteInTimeIsHonouredEvenIfTheTariffChangedSince() {
        world.standardTariffs();
        world.driverAt(500);
        SignedIn rider = world.rider("normal");
        Api.Response quote = api().post("/api/v1/fare-quotes", world.trip("sedan", "per_ride"), rider.accessToken());
        superuser()
                .sql("UPDATE public.tariffs SET retired_at = now() WHERE city = :city")
                .param("city", world.city)
                .update();
        world.tariff("sedan", "normal", "per_ride", 99_000, 99_000, 0, 0, 0, 0);

        Api.Response ride = world.request(rider, Map.of("quoteId", quote.text("id")), null);
        assertThat(ride.status()).as(ride.toString()).isEqualTo(201);
        assertThat(ride.body().get("estimatedFareMinor").asLong())
                .isEqualTo(quote.body().get("estimatedFareMinor").asLong());
        Api.Response reused = world.request(rider, Map.of("quoteId", quote.text("id")), null);
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.code()).isEqualTo("invalid-quote");
    }

    private long ridesOf(SignedIn rider) {
        return superuser()
                .sql("SELECT count(*) FROM public.rides WHERE customer_id = :id")
                .param("id", rider.id())
                .query(Long.class)
                .single();
    }
}
