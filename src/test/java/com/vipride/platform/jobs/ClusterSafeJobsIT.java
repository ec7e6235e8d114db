package com.vipride.platform.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Two schedulers on one database are two service instances: a job due once runs once, as the system, recorded. */
class ClusterSafeJobsIT extends IntegrationTest {

    @Autowired
    JobRuns runs;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void aJobDueOnceRunsOnceWithTwoSchedulerInstances() throws Exception {
        String name = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ranAs = new CopyOnWriteArrayList<>();
        RecurringJob probe = new RecurringJob(name, Duration.ofHours(1), true, () -> {
            ranAs.add(new TransactionTemplate(transactionManager)
                    .execute(status ->
                            jdbc.sql("SELECT current_user").query(String.class).single()));
            pause(Duration.ofMillis(500));
            return JobCounts.of("probes", 1);
        });
        SchedulerProperties settings = new SchedulerProperties(true, Duration.ofMillis(200), 2, "");
        JobScheduler first = JobScheduler.create(
                dataSourceFor("app_backend"), new Jobs(List.of(probe), runs, "instance-a"), settings, "instance-a");
        JobScheduler second = JobScheduler.create(
                dataSourceFor("app_backend"), new Jobs(List.of(probe), runs, "instance-b"), settings, "instance-b");
        first.start();
        second.start();
        try {
            assertThat(superuser()
                            .sql(
                                    "SELECT execution_time > now() + interval '59 minutes' FROM maintenance.scheduled_tasks "
                                            + "WHERE task_name = :name")
                            .param("name", name)
                            .query(Boolean.class)
                            .single())
                    .as("registered once, first due one interval after start")
                    .isTrue();

            superuser()
                    .sql("UPDATE maintenance.scheduled_tasks SET execution_time = now() WHERE task_name = :name")
                    .param("name", name)
                    .update();
            for (int i = 0; i < 20; i++) {
                first.checkForDueJobs();
                second.checkForDueJobs();
                pause(Duration.ofMillis(100));
            }
            pause(Duration.ofSeconds(2));
        } finally {
            first.stop();
            second.stop();
        }

        assertThat(ranAs).containsExactly("system_admin");
        List<Map<String, Object>> recorded = superuser()
                .sql("SELECT instance, outcome, counts::text AS counts, finished_at IS NOT NULL AS finished "
                        + "FROM maintenance.job_runs WHERE job_name = :name")
                .param("name", name)
                .query()
                .listOfRows();
        assertThat(recorded).hasSize(1);
        assertThat(recorded.get(0))
                .containsEntry("outcome", "succeeded")
                .containsEntry("counts", "{\"probes\": 1}")
                .containsEntry("finished", true);
        assertThat((String) recorded.get(0).get("instance")).isIn("instance-a", "instance-b");
        assertThat(superuser()
                        .sql("SELECT execution_time > now() + interval '59 minutes' FROM maintenance.scheduled_tasks "
                                + "WHERE task_name = :name")
                        .param("name", name)
                        .query(Boolean.class)
                        .single())
                .as("rescheduled one interval after the run")
                .isTrue();
    }

    @Test
    void aFailingRunIsRecordedWithItsError() {
        String name = "failing-" + UUID.randomUUID().toString().substring(0, 8);
        Jobs jobs = new Jobs(
                List.of(new RecurringJob(name, Duration.ofHours(1), false, () -> {
                    throw new IllegalStateException("disk full");
                })),
                runs,
                "instance-a");

        JobRun run = jobs.runNow(name);

        assertThat(run.succeeded()).isFalse();
        assertThat(run.error()).contains("IllegalStateException: disk full");
        assertThat(superuser()
                        .sql("SELECT outcome || ': ' || error FROM maintenance.job_runs WHERE id = :id")
                        .param("id", run.id())
                        .query(String.class)
                        .single())
                .isEqualTo("failed: IllegalStateException: disk full");
    }

    @Test
    void theRuntimeLoginReachesTheSchedulerTableButNoJobHistory() {
        JdbcClient runtime = loginAs("app_backend");
        assertThat(runtime.sql("SELECT count(*) >= 0 FROM maintenance.scheduled_tasks")
                        .query(Boolean.class)
                        .single())
                .isTrue();
        assertThat(superuser()
                        .sql("SELECT has_table_privilege('app_backend', 'maintenance.job_runs', 'SELECT')")
                        .query(Boolean.class)
                        .single())
                .isFalse();
        assertThat(superuser()
                        .sql("SELECT has_table_privilege('system_admin', 'maintenance.job_runs', 'INSERT')")
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
