package com.vipride.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The commission band of the rider's tier, placed by the driver's subscription, and the shares of the
 * driver, the fleet and a leased vehicle's owner, to the minor unit. Completion is arranged directly
 * (as superuser) with a chosen fare; the settlement under test is the database's.
 */
class CommissionIT extends IntegrationTest {

    private RideWorld world;

    @BeforeEach
    void market() {
        world = new RideWorld(superuser(), accounts(), api()).standardTariffs();
    }

    private Map<String, Object> settle(String tier, UUID driver, UUID vehicle, UUID fleet, long fare) {
        UUID customer = world.rider(tier).id();
        OffsetDateTime at = OffsetDateTime.now().minusHours(1);
        UUID ride = superuser().sql("""
                INSERT INTO public.rides (requested_at, customer_id, driver_id, vehicle_id, fleet_company_id, status, city,
                    customer_tier, vehicle_type, currency, pickup_lat, pickup_lng, dropoff_lat, dropoff_lng, assigned_at,
                    started_at)
                VALUES (:at, :customer, :driver, :vehicle, :fleet, 'in_progress', :city, CAST(:tier AS public.user_tier),
                        'sedan', 'NGN', 6.5, 3.4, 6.6, 3.5, now() - interval '30 minutes', now() - interval '20 minutes')
                RETURNING id""")
                .param("at", at).param("customer", customer).param("driver", driver).param("vehicle", vehicle)
                .param("fleet", fleet).param("city", world.city).param("tier", tier).query(UUID.class).single();
        superuser().sql("UPDATE public.rides SET status = 'completed', completed_at = now(), final_fare_minor = :fare WHERE id = :id")
                .param("fare", fare).param("id", ride).update();
        return superuser().sql("""
                SELECT fare_minor, commission_rate_bp, commission_rule, platform_commission_minor, driver_share_minor,
                       fleet_share_minor, owner_share_minor, vehicle_owner_id
                  FROM public.ride_earnings WHERE ride_id = :id""").param("id", ride).query().singleRow();
    }

    private void subscribe(Driver driver, String tier, String expiresIn) {
        superuser().sql("UPDATE public.drivers SET subscription_tier = CAST(:tier AS public.driver_subscription_tier), "
                        + "subscription_expires_at = now() + CAST(:expires AS interval) WHERE id = :id")
                .param("tier", tier).param("expires", expiresIn).param("id", driver.id()).update();
    }

    @Test
    void eachTierHasItsBandAndTheSubscriptionPlacesTheRideInIt() {
        Driver unsubscribed = world.driverAt(100);
        assertThat(settle("normal", unsubscribed.id(), unsubscribed.vehicle(), null, 123_457))
                .containsEntry("commission_rate_bp", 2000)
                .containsEntry("platform_commission_minor", 24_691L)  // 24 691.4
                .containsEntry("driver_share_minor", 98_766L);

        Driver elite = world.driverAt(200);
        subscribe(elite, "elite", "10 days");
        assertThat(settle("vip", elite.id(), elite.vehicle(), null, 100_001))
                .containsEntry("commission_rate_bp", 2500)
                .containsEntry("platform_commission_minor", 25_000L)
                .containsEntry("driver_share_minor", 75_001L);
        assertThat(settle("normal", elite.id(), elite.vehicle(), null, 10_000)).containsEntry("commission_rate_bp", 1500);

        Driver premium = world.driverAt(300);
        subscribe(premium, "premium", "10 days");
        Map<String, Object> mid = settle("vip", premium.id(), premium.vehicle(), null, 99_999);
        assertThat(mid).containsEntry("commission_rate_bp", 2750).containsEntry("platform_commission_minor", 27_500L);
        assertThat((String) mid.get("commission_rule"))
                .isEqualTo("vip band 2500-3000 bp, driver subscription premium at 50% of the band");

        Driver lapsed = world.driverAt(400);
        subscribe(lapsed, "elite", "-1 day");
        assertThat(settle("premium", lapsed.id(), lapsed.vehicle(), null, 50_000))
                .as("a lapsed subscription counts as none").containsEntry("commission_rate_bp", 2500);
    }

    @Test
    void aFleetDriverInALeasedVehicleSharesWithTheOwnerAndTheFleet() {
        UUID fleet = world.fleet(2000);
        Driver driver = world.driverAt(100);
        UUID owner = world.rider("normal").id();
        superuser().sql("UPDATE public.drivers SET category = 'fleet_driver', fleet_company_id = :fleet WHERE id = :id")
                .param("fleet", fleet).param("id", driver.id()).update();
        superuser().sql("""
                INSERT INTO public.vehicle_leases (vehicle_id, owner_user_id, fleet_company_id, lease_type, currency,
                                                   revenue_share_bp, starts_on)
                VALUES (:vehicle, :owner, :fleet, 'revenue_share', 'NGN', 1000, current_date - 30)""")
                .param("vehicle", driver.vehicle()).param("owner", owner).param("fleet", fleet).update();
        subscribe(driver, "basic", "20 days");

        // premium band 2000-2500 at 80 % = 2400 bp; 200 000 → 48 000; rest 152 000 → owner 10 % = 15 200;
        // fleet 20 % of 136 800 = 27 360; driver 109 440.
        assertThat(settle("premium", driver.id(), driver.vehicle(), fleet, 200_000))
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
        Driver driver = world.driverAt(100);
        superuser().sql("UPDATE public.drivers SET category = 'fleet_driver', fleet_company_id = :fleet WHERE id = :id")
                .param("fleet", fleet).param("id", driver.id()).update();
        superuser().sql("""
                INSERT INTO public.vehicle_leases (vehicle_id, owner_user_id, fleet_company_id, lease_type, currency,
                                                   fixed_monthly_minor, revenue_share_bp, starts_on)
                VALUES (:vehicle, :owner, :fleet, 'hybrid', 'NGN', 100000, 1333, current_date)""")
                .param("vehicle", driver.vehicle()).param("owner", world.rider("normal").id()).param("fleet", fleet).update();
        String[] tiers = {"normal", "premium", "vip"};
        for (int i = 0; i < 40; i++) {
            long fare = ThreadLocalRandom.current().nextLong(0, 5_000_000);
            Map<String, Object> shares = settle(tiers[i % 3], driver.id(), driver.vehicle(), fleet, fare);
            long sum = (long) shares.get("platform_commission_minor") + (long) shares.get("driver_share_minor")
                    + (long) shares.get("fleet_share_minor") + (long) shares.get("owner_share_minor");
            assertThat(sum).as("fare %d", fare).isEqualTo(fare);
            assertThat((long) shares.get("platform_commission_minor"))
                    .isEqualTo(Math.round(fare * ((Integer) shares.get("commission_rate_bp")) / 10_000.0));
        }
    }
}
