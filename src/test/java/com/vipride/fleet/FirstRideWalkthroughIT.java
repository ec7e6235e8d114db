package com.vipride.fleet;

import static com.vipride.support.TestAccounts.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import com.vipride.support.Walkthrough;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ops/walkthroughs/first-ride.sh takes the service from a system admin alone to a completed, paid, rated ride. */
class FirstRideWalkthroughIT extends IntegrationTest {

    @Test
    void aCityIsLaunchedAndCarriesItsFirstRideThroughTheApiAlone() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");

        String log = Walkthrough.run(
                "first-ride", baseUrl(), Map.of("ADMIN_EMAIL", admin.email(), "ADMIN_PASSWORD", PASSWORD));

        String rideId = Walkthrough.result(log);
        Map<String, Object> ride =
                superuser().sql("""
                        SELECT r.status::text AS status, r.driver_rating::int AS driver_rating, r.rider_rating::int AS rider_rating,
                               (SELECT count(*) FROM public.payments p
                                 WHERE p.ride_id = r.id AND p.status = 'completed') AS payments
                          FROM public.rides r WHERE r.id = CAST(:id AS uuid)""").param("id", rideId).query().singleRow();
        assertThat(ride)
                .containsEntry("status", "completed")
                .containsEntry("payments", 1L)
                .containsEntry("driver_rating", 5)
                .containsEntry("rider_rating", 5);
    }
}
