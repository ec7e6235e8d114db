package com.vipride.platform.jobs;

import java.util.Optional;

/** The record of one finished run (a row of {@code maintenance.job_runs}). */
public record JobRun(long id, String jobName, boolean succeeded, JobCounts counts, Optional<String> error) {}
