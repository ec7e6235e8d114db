package com.vipride.platform.jobs;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * One service instance's db-scheduler over {@code maintenance.scheduled_tasks}. Each instance runs its
 * own; a due execution is picked with an optimistic update of its row, so exactly one instance runs it.
 * Disabled jobs stay known (so the library never calls them unresolved) but are not scheduled, and a
 * schedule left from when they were enabled is cancelled.
 */
final class JobScheduler {

    static final String TABLE = "maintenance.scheduled_tasks";

    private final Scheduler scheduler;
    private final List<RecurringJob> disabled;

    private JobScheduler(Scheduler scheduler, List<RecurringJob> disabled) {
        this.scheduler = scheduler;
        this.disabled = disabled;
    }

    static JobScheduler create(DataSource dataSource, Jobs jobs, SchedulerProperties properties, String instanceName) {
        List<RecurringTask<Void>> enabled = jobs.all().stream()
                .filter(RecurringJob::enabled)
                .map(job -> task(job).execute((instance, context) -> jobs.run(job)))
                .toList();
        List<RecurringJob> disabled =
                jobs.all().stream().filter(job -> !job.enabled()).toList();
        // startTasks makes the enabled jobs known too; the disabled ones are known without being scheduled.
        List<Task<?>> knownDisabled = disabled.stream()
                .<Task<?>>map(job -> task(job).doNotScheduleOnStartup().execute((instance, context) -> {}))
                .toList();
        Scheduler scheduler = Scheduler.create(dataSource, knownDisabled)
                .tableName(TABLE)
                .schedulerName(new SchedulerName.Fixed(instanceName))
                .pollingInterval(properties.pollingInterval())
                .threads(properties.threads())
                .startTasks(enabled)
                .build();
        return new JobScheduler(scheduler, disabled);
    }

    private static Tasks.RecurringTaskBuilder<Void> task(RecurringJob job) {
        return Tasks.recurring(
                job.name(), new FirstRunOneIntervalAfterStart(FixedDelay.of(job.interval()), job.interval()));
    }

    /**
     * A fixed delay whose first run falls one interval after the job is first registered, not at once:
     * a fresh install already has what the jobs keep up (the migrations create the partitions ahead), and
     * a test run never meets a job that fell due while the context started. The due time is stored, so a
     * restart does not push it back.
     */
    private record FirstRunOneIntervalAfterStart(FixedDelay delay, Duration interval) implements Schedule {

        @Override
        public Instant getInitialExecutionTime(Instant now) {
            return now.plus(interval);
        }

        @Override
        public Instant getNextExecutionTime(ExecutionComplete executionComplete) {
            return delay.getNextExecutionTime(executionComplete);
        }

        @Override
        public boolean isDeterministic() {
            return false;
        }
    }

    void start() {
        scheduler.start();
        for (RecurringJob job : disabled) {
            TaskInstanceId id = TaskInstanceId.of(job.name(), RecurringTask.INSTANCE);
            scheduler.getScheduledExecution(id).ifPresent(execution -> scheduler.cancel(id));
        }
    }

    void stop() {
        scheduler.stop();
    }

    /** Looks for due executions now instead of at the next poll. */
    void checkForDueJobs() {
        scheduler.triggerCheckForDueExecutions();
    }
}
