package com.vipride.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.platform.jobs.JobRun;
import com.vipride.platform.jobs.Jobs;
import com.vipride.support.IntegrationTest;
import com.vipride.support.Rides;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The partition-upkeep job keeps every live partitioned table three months ahead; monitoring shows the coverage. */
class PartitionUpkeepIT extends IntegrationTest {

    @Autowired
    Jobs jobs;

    @Test
    void theJobKeepsEveryLiveTableCoveredThreeMonthsAheadAndRecordsItsRun() {
        JobRun run = jobs.runNow("partition-upkeep");

        assertThat(run.succeeded()).isTrue();
        assertThat(run.counts().values())
                .containsOnlyKeys("public.rides", "vip_data.vip_location_history", "audit.audit_log");
        List<Map<String, Object>> coverage = superuser().sql("""
                SELECT table_name, current_month_covered, months_ahead FROM monitoring.partition_coverage
                 WHERE table_name IN ('public.rides', 'vip_data.vip_location_history', 'audit.audit_log')""").query().listOfRows();
        assertThat(coverage).hasSize(3).allSatisfy(row -> {
            assertThat(row.get("current_month_covered")).isEqualTo(true);
            assertThat((Integer) row.get("months_ahead")).isGreaterThanOrEqualTo(3);
        });
        assertThat(superuser()
                        .sql("SELECT outcome FROM maintenance.job_runs WHERE id = :id")
                        .param("id", run.id())
                        .query(String.class)
                        .single())
                .isEqualTo("succeeded");
    }

    @Test
    void aStrayRowInTheDefaultPartitionMovesIntoItsMonthWhenUpkeepCreatesIt() {
        UUID customer = accounts().aRegisteredCustomer().id();
        LocalDate farMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).plusMonths(7);
        UUID ride = Rides.aRideRequestedAt(
                superuser(),
                customer,
                farMonth.atStartOfDay().atOffset(ZoneOffset.UTC).plusDays(3));
        assertThat(partitionOf(ride)).isEqualTo("rides_default");

        loginAsSystemAdmin("SELECT count(*) FROM maintenance.maintain_partitions(8)");

        assertThat(partitionOf(ride))
                .isEqualTo("rides_y%dm%02d".formatted(farMonth.getYear(), farMonth.getMonthValue()));
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.rides WHERE id = :id")
                        .param("id", ride)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void coverageFlagsATableWithoutPartitionsAhead() throws Exception {
        try (Connection connection =
                postgres.superuserDataSource(postgres.database()).getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL ROLE vipride_owner");
                statement.execute(
                        "CREATE TABLE maintenance.coverage_probe (at timestamptz NOT NULL) PARTITION BY RANGE (at)");
                statement.execute("SELECT maintenance.create_monthly_partition('maintenance.coverage_probe', "
                        + "(now() AT TIME ZONE 'UTC')::date)");
                try (ResultSet row = statement.executeQuery("SELECT current_month_covered, months_ahead, severity "
                        + "FROM monitoring.partition_coverage WHERE table_name = 'maintenance.coverage_probe'")) {
                    assertThat(row.next()).isTrue();
                    assertThat(row.getBoolean(1)).isTrue();
                    assertThat(row.getInt(2)).isZero();
                    assertThat(row.getString(3)).isEqualTo("critical");
                }
            } finally {
                connection.rollback();
            }
        }
    }

    @Test
    void onlyTheSystemRunsUpkeep() {
        assertThat(superuser()
                        .sql(
                                "SELECT has_function_privilege('support_agent', 'maintenance.maintain_partitions(integer)', 'EXECUTE')")
                        .query(Boolean.class)
                        .single())
                .isFalse();
        assertThat(superuser()
                        .sql(
                                "SELECT has_function_privilege('system_admin', 'maintenance.maintain_partitions(integer)', 'EXECUTE')")
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    private void loginAsSystemAdmin(String sql) {
        try (Connection connection = dataSourceFor("app_backend").getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SET ROLE system_admin");
            statement.execute(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String partitionOf(UUID ride) {
        return superuser()
                .sql("SELECT tableoid::regclass::text FROM public.rides WHERE id = :id")
                .param("id", ride)
                .query(String.class)
                .single();
    }
}
