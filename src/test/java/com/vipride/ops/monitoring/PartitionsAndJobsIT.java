package com.vipride.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.platform.jobs.Jobs;
import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The operations page's partitions and scheduled jobs: system and audit admins read them, every other role
 * is refused by the database.
 */
class PartitionsAndJobsIT extends IntegrationTest {

    @Autowired
    Jobs jobs;

    private static List<JsonNode> rows(Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        List<JsonNode> rows = new ArrayList<>();
        response.body().forEach(rows::add);
        return rows;
    }

    @Test
    void systemAndAuditAdminsSeeTheMonthlyPartitionsWithTheirBoundsSizesAndArchiveState() {
        OffsetDateTime now = OffsetDateTime.now();
        for (String role : List.of("system_admin", "audit_admin")) {
            SignedIn admin = accounts().aSignedInStaffMember(role);
            List<JsonNode> partitions = rows(api().get("/api/v1/ops/partitions", admin.accessToken()));

            List<JsonNode> rides = partitions.stream()
                    .filter(p -> p.get("tableName").asText().equals("public.rides"))
                    .toList();
            assertThat(rides).as(role).anySatisfy(p -> {
                assertThat(p.get("isDefault").asBoolean()).isFalse();
                assertThat(OffsetDateTime.parse(p.get("lowerBound").asText())).isBeforeOrEqualTo(now);
                assertThat(OffsetDateTime.parse(p.get("upperBound").asText())).isAfter(now);
                assertThat(p.get("sizeBytes").asLong()).isPositive();
                assertThat(p.get("rowsEstimate").asLong()).isNotNegative();
                assertThat(p.get("archived").asBoolean()).isFalse();
            });
            assertThat(rides)
                    .as(role)
                    .anySatisfy(p -> assertThat(p.get("isDefault").asBoolean()).isTrue());
            assertThat(partitions)
                    .as(role)
                    .extracting(p -> p.get("tableName").asText())
                    .contains("public.rides", "audit.audit_log", "vip_data.vip_location_history");
            assertThat(partitions)
                    .as("a partition is archived exactly when its table is in the archive schema")
                    .allSatisfy(p -> assertThat(p.get("archived").asBoolean())
                            .isEqualTo(p.get("tableName").asText().startsWith("archive.")));

            List<JsonNode> onlyRides =
                    rows(api().get("/api/v1/ops/partitions?table=public.rides", admin.accessToken()));
            assertThat(onlyRides).hasSameSizeAs(rides);
        }
    }

    @Test
    void systemAndAuditAdminsSeeEachScheduledJobWithItsNextDueTimeAndLastRun() {
        jobs.runNow("partition-upkeep");
        for (String role : List.of("system_admin", "audit_admin")) {
            SignedIn admin = accounts().aSignedInStaffMember(role);
            List<JsonNode> scheduled = rows(api().get("/api/v1/ops/jobs", admin.accessToken()));

            assertThat(scheduled)
                    .as(role)
                    .filteredOn(j -> j.get("jobName").asText().equals("partition-upkeep"))
                    .singleElement()
                    .satisfies(j -> {
                        assertThat(j.get("nextDueAt").isNull()).isFalse();
                        assertThat(j.get("lastOutcome").asText()).isEqualTo("succeeded");
                        assertThat(j.get("lastStartedAt").isNull()).isFalse();
                        assertThat(j.get("runs24h").asLong()).isPositive();
                    });
            assertThat(scheduled)
                    .as(role)
                    .allSatisfy(j -> assertThat(j.has("taskData")).isFalse());
        }
    }

    @Test
    void otherRolesAreRefusedPartitionsAndJobs() {
        List<String> tokens = List.of(
                accounts().aSignedInCustomer().accessToken(),
                accounts().aSignedInStaffMember("support_agent").accessToken(),
                accounts().aSignedInStaffMember("vip_admin").accessToken(),
                accounts().aSignedInStaffMember("compliance_officer").accessToken());
        for (String token : tokens) {
            for (String path : List.of("/api/v1/ops/partitions", "/api/v1/ops/jobs")) {
                Response refused = api().get(path, token);
                assertThat(refused.status()).as(path + " " + refused).isEqualTo(403);
            }
        }
    }
}
