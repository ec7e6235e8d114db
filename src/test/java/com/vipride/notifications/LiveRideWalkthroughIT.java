package com.vipride.notifications;

import static com.vipride.support.TestAccounts.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import com.vipride.support.Walkthrough;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ops/walkthroughs/live-ride.sh: the offer reaches the driver's stream and is accepted from it, the rider's
 * stream follows the ride, the rider's SOS reaches a responder's stream and is resolved, and the receipt
 * is in the rider's inbox.
 */
class LiveRideWalkthroughIT extends IntegrationTest {

    @Test
    void aRideIsFollowedLiveAndItsSosIsWorkedThroughTheApiAlone() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");

        String log = Walkthrough.run(
                "live-ride", baseUrl(), Map.of("ADMIN_EMAIL", admin.email(), "ADMIN_PASSWORD", PASSWORD));

        String rideId = Walkthrough.result(log);
        Map<String, Object> ride =
                superuser().sql("""
                        SELECT r.status::text AS status,
                               (SELECT i.outcome FROM public.safety_incidents i WHERE i.ride_id = r.id) AS outcome,
                               (SELECT count(*) FROM public.notifications n
                                 WHERE n.recipient_id = r.customer_id AND n.type = 'ride.receipt') AS receipts
                          FROM public.rides r WHERE r.id = CAST(:id AS uuid)""").param("id", rideId).query().singleRow();
        assertThat(ride)
                .containsEntry("status", "completed")
                .containsEntry("outcome", "false_alarm")
                .containsEntry("receipts", 1L);
    }
}
