package com.vipride.platform.jobs;

/** The work of a {@link RecurringJob}: returns what it did, counted, for the run's record. */
@FunctionalInterface
public interface JobBody {

    JobCounts run();
}
