package com.vipride.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.platform.jobs.JobRun;
import com.vipride.platform.jobs.Jobs;
import com.vipride.support.AuditChain;
import com.vipride.support.IntegrationTest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The spec's SELECT maintenance.vacuum_analyze_all() and SELECT maintenance.update_statistics() really
 * vacuum and analyze (PostgreSQL's own counters move), for system_admin and nobody below it; the scheduled
 * job does the same; every run is in maintenance.maintenance_runs.
 */
class VacuumAndStatisticsIT extends IntegrationTest {

    private static final String COUNTERS = """
            SELECT vacuum_count + autovacuum_count AS vacuums, analyze_count + autoanalyze_count AS analyzes
              FROM pg_stat_user_tables WHERE relid = CAST(:table AS regclass)""";

    @Autowired
    Jobs jobs;

    @Test
    void vacuumAnalyzeAllReallyVacuumsAndAnalyzesEveryTable() throws Exception {
        Map<String, Object> users = counters("public.users");
        Map<String, Object> ridePartition = counters("public." + currentRidePartition());

        String outcome = asSystemAdmin("SELECT maintenance.vacuum_analyze_all()");

        assertThat(outcome).startsWith("vacuum + analyze of ").contains(" tables by ");
        awaitCounters("public.users", users, true);
        awaitCounters("public." + currentRidePartition(), ridePartition, true);
        assertThat(superuser().sql("""
                SELECT requested_by || ' ' || outcome FROM maintenance.maintenance_runs
                 WHERE kind = 'vacuum_analyze' AND request_id IS NOT NULL ORDER BY id DESC LIMIT 1""").query(String.class).single()).isEqualTo("app_backend succeeded");
    }

    @Test
    void updateStatisticsAnalyzesWithoutVacuuming() throws Exception {
        accounts().aRegisteredCustomer();
        AuditChain.drain(superuser()); // the registration's audit row reaches audit_log, the partitioned parent
        Map<String, Object> before = counters("public.payments");

        String outcome = asSystemAdmin("SELECT maintenance.update_statistics()");

        assertThat(outcome).startsWith("analyze of ");
        Map<String, Object> after = awaitCounters("public.payments", before, false);
        assertThat(after.get("vacuums")).isEqualTo(before.get("vacuums"));
        assertThat(superuser()
                        .sql(
                                "SELECT count(*) > 0 FROM pg_stats WHERE schemaname = 'audit' AND tablename = 'audit_log' AND inherited")
                        .query(Boolean.class)
                        .single())
                .as("statistics of a partitioned parent itself (the registration wrote an audit row)")
                .isTrue();
    }

    @Test
    void onlyTheSystemMayAskForMaintenance() {
        assertThatThrownBy(() -> asRole("support_agent", "SELECT maintenance.vacuum_analyze_all()"))
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> asRole("customer_user", "SELECT maintenance.update_statistics()"))
                .hasMessageContaining("permission denied");
    }

    @Test
    void theScheduledJobVacuumsAndRecordsItsRun() throws Exception {
        Map<String, Object> before = counters("audit.auth_events");

        JobRun run = jobs.runNow("maintenance");

        assertThat(run.succeeded()).as(run.error().orElse("")).isTrue();
        assertThat(run.counts().get("tables_vacuumed_and_analyzed")).isGreaterThan(10);
        awaitCounters("audit.auth_events", before, true);
        assertThat(superuser().sql("""
                SELECT requested_by FROM maintenance.maintenance_runs WHERE request_id IS NULL ORDER BY id DESC LIMIT 1""").query(String.class).single()).isEqualTo("job:maintenance");
    }

    private Map<String, Object> counters(String table) {
        return superuser().sql(COUNTERS).param("table", table).query().singleRow();
    }

    /** Statistics reach pg_stat_user_tables shortly after the worker's session reports them. */
    private Map<String, Object> awaitCounters(String table, Map<String, Object> before, boolean vacuumed)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (true) {
            Map<String, Object> now = counters(table);
            boolean analyzed =
                    ((Number) now.get("analyzes")).longValue() > ((Number) before.get("analyzes")).longValue();
            boolean vacuumMoved =
                    ((Number) now.get("vacuums")).longValue() > ((Number) before.get("vacuums")).longValue();
            if (analyzed && (vacuumMoved || !vacuumed)) {
                return now;
            }
            assertThat(Instant.now())
                    .as("%s analyzed%s by now", table, vacuumed ? " and vacuumed" : "")
                    .isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private String currentRidePartition() {
        return superuser()
                .sql("SELECT to_char(now() AT TIME ZONE 'UTC', '\"rides_y\"YYYY\"m\"MM')")
                .query(String.class)
                .single();
    }

    private String asSystemAdmin(String sql) throws SQLException {
        return asRole("system_admin", sql);
    }

    private String asRole(String role, String sql) throws SQLException {
        try (Connection connection = dataSourceFor("app_backend").getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL ROLE " + role);
                try (ResultSet result = statement.executeQuery(sql)) {
                    result.next();
                    String value = result.getString(1);
                    connection.commit();
                    return value;
                }
            } finally {
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                }
            }
        }
    }
}
