package com.vipride.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.support.Api.Response;
import com.vipride.support.AsRole;
import com.vipride.support.IntegrationTest;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.BadSqlGrammarException;
import tools.jackson.databind.JsonNode;

/**
 * monitoring.database_health and monitoring.performance_metrics as the spec writes them, for the two
 * monitoring roles only, through SQL and the API; a blocked and a long-running query provoked here show
 * up, and a critical condition turns /actuator/health DOWN.
 */
class DatabaseMonitoringIT extends IntegrationTest {

    private static final String RESTORE_THRESHOLDS = """
            UPDATE monitoring.health_thresholds SET warning_at = d.w, critical_at = d.c
              FROM (VALUES ('blocked_query', 10, 120), ('long_running_query', 60, 900)) d (name, w, c)
             WHERE check_name = d.name""";

    @AfterEach
    void restoreThresholds() {
        superuser().sql(RESTORE_THRESHOLDS).update();
    }

    @Test
    void theSpecExamplesRunAsWrittenForSystemAndAuditAdmins() {
        for (String role : List.of("system_admin", "audit_admin")) {
            List<Map<String, Object>> health = asRole(role, "SELECT * FROM monitoring.database_health");
            assertThat(health)
                    .extracting(row -> row.get("check_name"))
                    .as(role)
                    .contains(
                            "database_size",
                            "connections",
                            "cache_hit_ratio",
                            "xid_wraparound",
                            "replication_lag",
                            "dead_tuples",
                            "long_running_query",
                            "idle_in_transaction",
                            "blocked_query");
            assertThat(health).allSatisfy(row -> {
                assertThat(row.get("severity")).isIn("ok", "warning", "critical");
                assertThat(row.get("observed_at")).isNotNull();
            });
            Map<String, Object> connections = health.stream()
                    .filter(row -> "connections".equals(row.get("check_name")))
                    .findFirst()
                    .orElseThrow();
            assertThat(((Number) connections.get("value")).doubleValue()).isPositive();
            assertThat(connections.get("critical_at")).isNotNull();

            List<Map<String, Object>> metrics = asRole(role, "SELECT * FROM monitoring.performance_metrics");
            assertThat(metrics)
                    .extracting(row -> row.get("metric"))
                    .as(role)
                    .contains("slowest_statement", "most_frequent_statement", "index_usage")
                    .doesNotContain("statements_unavailable");
            assertThat(metrics)
                    .filteredOn(row -> "slowest_statement".equals(row.get("metric")))
                    .allSatisfy(row -> assertThat((Number) row.get("calls")).isNotNull());

            assertThat(asRole(role, "SELECT * FROM monitoring.security_alerts")).isNotNull();
        }
    }

    @Test
    void otherRolesAreRefusedInSqlAndThroughTheApi() {
        for (String role : List.of(
                "vip_admin",
                "compliance_officer",
                "support_agent",
                "customer_user",
                "driver_user",
                "authenticated_user",
                "anonymous_user")) {
            for (String view : List.of("monitoring.database_health", "monitoring.performance_metrics")) {
                assertThatThrownBy(() -> asRole(role, "SELECT * FROM " + view))
                        .as(role + " on " + view)
                        .isInstanceOfSatisfying(
                                BadSqlGrammarException.class,
                                e -> assertThat(e.getSQLException().getSQLState())
                                        .isEqualTo("42501"));
            }
        }
        for (String type : List.of("system_admin", "audit_admin")) {
            String token = accounts().aSignedInStaffMember(type).accessToken();
            Response health = api().get("/api/v1/monitoring/database-health", token);
            assertThat(health.status()).as(type + ": " + health).isEqualTo(200);
            assertThat(health.body().get(0).get("severity").asString()).isIn("ok", "warning", "critical");
            Response metrics =
                    api().get("/api/v1/monitoring/performance-metrics?metric=slowest_statement&limit=5", token);
            assertThat(metrics.status()).as(type + ": " + metrics).isEqualTo(200);
            assertThat(metrics.body().size()).isBetween(1, 5);
        }
        for (String type : List.of("vip_admin", "compliance_officer", "support_agent", "fleet_admin", "hotel_staff")) {
            String token = accounts().aSignedInStaffMember(type).accessToken();
            Response refused = api().get("/api/v1/monitoring/database-health", token);
            assertThat(refused.status()).as(type + ": " + refused).isEqualTo(403);
            assertThat(refused.code()).isEqualTo("access-denied");
            assertThat(api().get("/api/v1/monitoring/performance-metrics", token)
                            .status())
                    .as(type)
                    .isEqualTo(403);
        }
        assertThat(api().get(
                                "/api/v1/monitoring/database-health",
                                accounts().aSignedInCustomer().accessToken())
                        .status())
                .isEqualTo(403);
        assertThat(api().get("/api/v1/monitoring/database-health", null).status())
                .isEqualTo(401);
        String admin = accounts().aSignedInStaffMember("system_admin").accessToken();
        Response badMetric = api().get("/api/v1/monitoring/performance-metrics?metric=DROP%20TABLE", admin);
        assertThat(badMetric.status()).isEqualTo(400);
        assertThat(badMetric.code()).isEqualTo("validation-failed");
    }

    @Test
    void aBlockedQueryShowsUpAndTurnsTheServiceHealthDownUntilItEnds() throws Exception {
        assertThat(health().status()).as("no critical condition before").isEqualTo(200);
        // system_admin may tune thresholds (rolled back here); the test's own setting is committed by the superuser.
        assertThat(asRole(
                        "system_admin",
                        "UPDATE monitoring.health_thresholds SET warning_at = 0.2, critical_at = 0.5 "
                                + "WHERE check_name = 'blocked_query' RETURNING check_name"))
                .hasSize(1);
        superuser()
                .sql("UPDATE monitoring.health_thresholds SET warning_at = 0.2, critical_at = 0.5 "
                        + "WHERE check_name = 'blocked_query'")
                .update();
        long lock = System.nanoTime();
        try (Connection holder =
                        postgres.superuserDataSource(postgres.database()).getConnection();
                Connection waiter = dataSourceFor("app_backend").getConnection()) {
            int waiterPid = pid(waiter);
            execute(holder, "SELECT pg_advisory_lock(" + lock + ")");
            CompletableFuture<Void> blocked = CompletableFuture.runAsync(
                    () -> execute(waiter, "SELECT pg_advisory_lock(" + lock + "), pg_advisory_unlock(" + lock + ")"));

            Map<String, Object> row = awaitHealthRow(r -> "blocked_query".equals(r.get("check_name"))
                    && ("pid " + waiterPid).equals(r.get("object"))
                    && "critical".equals(r.get("severity")));
            assertThat((String) row.get("detail")).contains("pg_advisory_lock").contains("app_backend");
            assertThat(row.get("since")).isNotNull();

            assertThat(health().status())
                    .as("the public status says DOWN, without details")
                    .isEqualTo(503);
            Response down = healthDetails();
            assertThat(down.status()).as(down.toString()).isEqualTo(503);
            JsonNode component = down.body().get("components").get("databaseHealth");
            assertThat(component.get("status").asString()).isEqualTo("DOWN");
            assertThat(component.get("details").get("critical").toString())
                    .contains("blocked_query", "pid " + waiterPid);
            assertThat(down.raw()).doesNotContain("pg_advisory_lock").doesNotContain("app_backend");

            execute(holder, "SELECT pg_advisory_unlock(" + lock + ")");
            blocked.get();
        }
        assertThat(health().status()).as("UP again once the wait ended").isEqualTo(200);
    }

    @Test
    void aLongRunningQueryIsReportedWithItsStartTime() throws Exception {
        superuser()
                .sql("UPDATE monitoring.health_thresholds SET warning_at = 0.5, critical_at = 600 "
                        + "WHERE check_name = 'long_running_query'")
                .update();
        try (Connection sleeper = dataSourceFor("app_backend").getConnection()) {
            int pid = pid(sleeper);
            CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> execute(sleeper, "SELECT pg_sleep(4)"));
            Map<String, Object> row = awaitHealthRow(
                    r -> "long_running_query".equals(r.get("check_name")) && ("pid " + pid).equals(r.get("object")));
            assertThat(row.get("severity")).isEqualTo("warning");
            assertThat((String) row.get("detail")).contains("pg_sleep");
            assertThat(health().status()).as("a warning leaves the service UP").isEqualTo(200);
            sleeping.get();
        }
    }

    @Test
    void performanceMetricsStillWorkWithoutPgStatStatements() throws Exception {
        try (Connection connection =
                postgres.superuserDataSource(postgres.database()).getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("DROP EXTENSION pg_stat_statements");
                statement.execute("SET LOCAL ROLE system_admin");
                var rows = statement.executeQuery("SELECT metric, severity FROM monitoring.performance_metrics");
                boolean unavailable = false;
                boolean indexUsage = false;
                while (rows.next()) {
                    unavailable |=
                            "statements_unavailable".equals(rows.getString(1)) && "warning".equals(rows.getString(2));
                    indexUsage |= "index_usage".equals(rows.getString(1));
                }
                assertThat(unavailable).isTrue();
                assertThat(indexUsage).isTrue();
            } finally {
                connection.rollback();
            }
        }
        assertThat(asRole(
                        "system_admin",
                        "SELECT * FROM monitoring.performance_metrics WHERE metric = 'slowest_statement'"))
                .isNotEmpty();
    }

    private Map<String, Object> awaitHealthRow(Predicate<Map<String, Object>> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            var found = asRole("system_admin", "SELECT * FROM monitoring.database_health").stream()
                    .filter(wanted)
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no such row in monitoring.database_health");
    }

    private Response health() {
        return api().get("/actuator/health", null);
    }

    /** The health details, on the management port. */
    private Response healthDetails() {
        return management().get("/actuator/health/details", null);
    }

    private List<Map<String, Object>> asRole(String role, String sql) {
        return AsRole.query(
                dataSourceFor("app_backend"),
                role,
                jdbc -> jdbc.sql(sql).query().listOfRows());
    }

    private static int pid(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement();
                var rs = statement.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void execute(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
