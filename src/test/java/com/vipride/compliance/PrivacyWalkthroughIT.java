package com.vipride.compliance;

import static com.vipride.support.TestAccounts.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts;
import com.vipride.support.TestAccounts.SignedIn;
import com.vipride.support.Walkthrough;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** ops/walkthroughs/privacy.sh: a rider rides, changes consent, exports, is erased and can register again. */
class PrivacyWalkthroughIT extends IntegrationTest {

    @Test
    void aRiderExercisesTheirRightsThroughTheApiAlone() {
        SignedIn admin = accounts().aSignedInStaffMember("system_admin");
        String email = "walk-" + UUID.randomUUID() + "@example.com";

        String log = Walkthrough.run(
                "privacy",
                baseUrl(),
                Map.of(
                        "ADMIN_EMAIL",
                        admin.email(),
                        "ADMIN_PASSWORD",
                        PASSWORD,
                        "SUBJECT_EMAIL",
                        email,
                        "SUBJECT_PHONE",
                        TestAccounts.uniquePhone()));

        String request = Walkthrough.result(log);
        Map<String, Object> outcome =
                superuser().sql("""
                        SELECT r.status, r.outcome, (SELECT count(*) FROM compliance.erasure_log l WHERE l.request_id = r.id) AS logged
                          FROM compliance.subject_requests r WHERE r.id = CAST(:id AS uuid)""").param("id", request).query().singleRow();
        assertThat(outcome)
                .containsEntry("status", "completed")
                .containsEntry("outcome", "erased")
                .containsEntry("logged", 1L);
    }
}
