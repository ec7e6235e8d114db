package com.vipride.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import com.vipride.support.Rides;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The commission band of the rider's tier, placed by the driver's subscription, and the shares of the
 * driver, the fleet and a leased vehicle's owner, to the minor unit. Rides go the whole way through the
 * real request, offer and lifecycle, completed at a chosen fare (a flat-rate tariff set to it); the
 * settlement under test is the database's.
 */
class CommissionIT extends IntegrationTest {

    private RideWorld world;
    private Rides rides;
    private final Map<String, UUID> riders = new HashMap<>();

    @BeforeEach
    void market() {
        world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
        rides = rides(world);
    }

    /**
     * The test's rider of {@code tier} rides with {@code driver} (the only one on duty) through the real request,
     * offer and lifecycle, completed at {@code fare}; the split the completion settled.
     */
    private Map<String, Object> settle(String tier, Driver driver, long fare) {
        UUID rider = riders.computeIfAbsent(tier, t -> world.rider(t).id());
        UUID ride = rides.aCompletedRideAtFare(rider, driver, fare, 5_000).id();
        return superuser().sql("""
                SELECT fare_minor, commission_rate_bp, commission_rule, platform_commission_minor, driver_share_minor,
                       fleet_share_minor, owner_share_minor, vehicle_owner_id
                  FROM public.ride_earnings WHERE ride_id = :id""").param("id", ride).query().singleRow();
    }

    private void subscribe(Driver driver, String tier, String expiresIn) {
        superuser()
                .sql("UPDATE public.drivers SET subscription_tier = CAST(:tier AS public.driver_subscription_tier), "
                        + "subscription_expires_at = now() + CAST(:expires AS interval) WHERE id = :id")
                .param("tier", tier)
                .param("expires", expiresIn)
                .param("id", driver.id())
                .update();
    }

    @Test
    void eachTierHasItsBandAndTheSubscriptionPlacesTheRideInIt() {
        Driver unsubscribed = world.driverAt(100);
        assertThat(settle("normal", unsubscribed, 123_457))
                .containsEntry("commission_rate_bp", 2000)
                .containsEntry("platform_commission_minor", 24_691L) // 24 691.4
                .containsEntry("driver_share_minor", 98_766L);

        world.offline(unsubscribed);
        Driver elite = world.driverAt(200, "sedan", 4, true);
        subscribe(elite, "elite", "10 days");
        assertThat(settle("vip", elite, 100_001))
                .containsEntry("commission_rate_bp", 2500)
                .containsEntry("platform_commission_minor", 25_000L)
                .containsEntry("driver_share_minor", 75_001L);
        assertThat(settle("normal", elite, 10_000)).containsEntry("commission_rate_bp", 1500);

        world.offline(elite);
        Driver premium = world.driverAt(300, "sedan", 4, true);
        subscribe(premium, "premium", "10 days");
        Map<String, Object> mid = settle("vip", premium, 99_999);
        assertThat(mid).containsEntry("commission_rate_bp", 2750).containsEntry("platform_commission_minor", 27_500L);
        assertThat((String) mid.get("commission_rule"))
                .isEqualTo("vip band 2500-3000 bp, driver subscription premium at 50% of the band");

        world.offline(premium);
        Driver lapsed = world.driverAt(400);
        subscribe(lapsed, "elite", "-1 day");
        assertThat(settle("premium", lapsed, 50_000))
                .as("a lapsed subscription counts as none")
                .containsEntry("commission_rate_bp", 2500);
    }

    @Test
    void aFleetDriverInALeasedVehicleSharesWithTheOwnerAndTheFleet() {
        UUID fleet = world.fleet(2000);
        Driver driver = world.driverAt(100);
        UUID owner = world.rider("normal").id();
        superuser()
                .sql("UPDATE public.drivers SET category = 'fleet_driver', fleet_company_id = :fleet WHERE id = :id")
                .param("fleet", fleet)
                .param("id", driver.id())
                .update();
        superuser()
                .sql("""
                INSERT INTO public.vehicle_leases (vehicle_id, owner_user_id, fleet_company_id, lease_type, currency,
                                                   revenue_share_bp, starts_on)
                VALUES (:vehicle, :owner, :fleet, 'revenue_share', 'NGN', 1000, current_date - 30)""")
                .param("vehicle", driver.vehicle())
                .param("owner", owner)
                .param("fleet", fleet)
                .update();
        subscribe(driver, "basic", "20 days");

        // premium band 2000-2500 at 80 % = 2400 bp; 200 000 → 48 000; rest 152 000 → owner 10 % = 15 200;
        // fleet 20 % of 136 800 = 27 360; driver 109 440.
        assertThat(settle("premium", driver, 200_000))
                .containsEntry("commission_rate_bp", 2400)
                .containsEntry("platform_commission_minor", 48_000L)
                .containsEntry("owner_share_minor", 15_200L)
                .containsEntry("fleet_share_minor", 27_360L)
                .containsEntry("driver_share_minor", 109_440L)
                .containsEntry("vehicle_owner_id", owner);
    }

    @Test
    void sharesAlwaysAddUpToTheFareToTheMinorUnit() {
        UUID fleet = world.fleet(1777);
        Driver driver = world.driverAt(100, "sedan", 4, true); // VIP riders too
        superuser()
                .sql("UPDATE public.drivers SET category = 'fleet_driver', fleet_company_id = :fleet WHERE id = :id")
                .param("fleet", fleet)
                .param("id", driver.id())
                .update();
        superuser()
                .sql("""
                INSERT INTO public.vehicle_leases (vehicle_id, owner_user_id, fleet_company_id, lease_type, currency,
                                                   fixed_monthly_minor, revenue_share_bp, starts_on)
                VALUES (:vehicle, :owner, :fleet, 'hybrid', 'NGN', 100000, 1333, current_date)""")
                .param("vehicle", driver.vehicle())
                .param("owner", world.rider("normal").id())
                .param("fleet", fleet)
                .update();
        String[] tiers = {"normal", "premium", "vip"};
        for (int i = 0; i < 40; i++) {
            long fare = ThreadLocalRandom.current().nextLong(0, 5_000_000);
            Map<String, Object> shares = settle(tiers[i % 3], driver, fare);
            long sum = (long) shares.get("platform_commission_minor")
                    + (long) shares.get("driver_share_minor")
                    + (long) shares.get("fleet_share_minor")
                    + (long) shares.get("owner_share_minor");
            assertThat(sum).as("fare %d", fare).isEqualTo(fare);
            assertThat((long) shares.get("platform_commission_minor"))
                    .isEqualTo(Math.round(fare * ((Integer) shares.get("commission_rate_bp")) / 10_000.0));
        }
    }
}
