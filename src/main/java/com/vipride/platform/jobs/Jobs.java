package com.vipride.platform.jobs;

import com.vipride.platform.security.SystemJobs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the registered {@link RecurringJob}s as the system and records every run. The scheduler calls it
 * when a job is due; operators and tests call {@link #runNow} to run one at once.
 */
public class Jobs {

    private static final Logger log = LoggerFactory.getLogger(Jobs.class);

    private final Map<String, RecurringJob> byName;
    private final JobRuns runs;
    private final String instance;

    Jobs(List<RecurringJob> jobs, JobRuns runs, String instance) {
        this.byName = jobs.stream().collect(Collectors.toUnmodifiableMap(RecurringJob::name, Function.identity()));
        this.runs = runs;
        this.instance = instance;
    }

    /** This service instance's name, as recorded in {@code job_runs.instance}. */
    public String instance() {
        return instance;
    }

    List<RecurringJob> all() {
        return List.copyOf(byName.values());
    }

    /** Runs the named job now, on this thread, whether or not it is enabled, and returns its record. */
    public JobRun runNow(String name) {
        RecurringJob job = byName.get(name);
        if (job == null) {
            throw new IllegalArgumentException("no job named '" + name + "'");
        }
        return run(job);
    }

    /** Runs the job; a failure is recorded and returned, never thrown, so the scheduler simply tries again next time. */
    JobRun run(RecurringJob job) {
        return SystemJobs.run(job.name(), () -> {
            long id = runs.start(job.name(), instance);
            try {
                JobCounts counts = job.body().run();
                runs.succeeded(id, counts);
                log.info("Job {} succeeded: {}", job.name(), counts.values());
                return new JobRun(id, job.name(), true, counts, Optional.empty());
            } catch (RuntimeException e) {
                String error = e.getClass().getSimpleName() + ": " + e.getMessage();
                runs.failed(id, error);
                log.warn("Job {} failed; it runs again when next due: {}", job.name(), error, e);
                return new JobRun(id, job.name(), false, JobCounts.none(), Optional.of(error));
            }
        });
    }
}
