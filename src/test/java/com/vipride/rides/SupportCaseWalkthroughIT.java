package com.vipride.rides;

import static com.vipride.support.TestAccounts.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import com.vipride.support.Walkthrough;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ops/walkthroughs/support-case.sh: a support agent cancels a rider's stuck ride and reads their payments. */
class SupportCaseWalkthroughIT extends IntegrationTest {

    @Test
    void aSupportAgentCancelsAStuckRideAndReadsTheRidersPaymentsThroughTheApiAlone() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");

        String log = Walkthrough.run(
                "support-case", baseUrl(), Map.of("ADMIN_EMAIL", admin.email(), "ADMIN_PASSWORD", PASSWORD));

        String rideId = Walkthrough.result(log);
        Map<String, Object> ride =
                superuser().sql("""
                        SELECT r.status::text AS status, r.cancelled_by::text AS cancelled_by,
                               r.cancellation_fee_minor, d.is_available
                          FROM public.rides r JOIN public.drivers d ON d.id = r.driver_id
                         WHERE r.id = CAST(:id AS uuid)""").param("id", rideId).query().singleRow();
        assertThat(ride)
                .containsEntry("status", "cancelled")
                .containsEntry("cancelled_by", "support_agent")
                .containsEntry("cancellation_fee_minor", 0L)
                .containsEntry("is_available", true);
    }
}
