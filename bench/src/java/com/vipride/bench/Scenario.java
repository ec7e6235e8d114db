package com.vipride.bench;

import com.vipride.bench.report.ScenarioReport;

/**
 * One benchmark scenario. It gets a fresh, migrated database (see {@link BenchMain}), loads the data it
 * needs (usually with {@link com.vipride.bench.load.RideDataGenerator}), measures the operation and its ceiling in the same
 * run, and returns a report whose numbers are ratios that survive a noisy machine.
 * Register new scenarios in {@link Scenarios}.
 */
public interface Scenario {

    /** The name given as {@code -Dbench.scenario=...}; also the result files' base name. */
    String name();

    /** One line on what is measured. */
    String title();

    ScenarioReport run(BenchContext context) throws Exception;
}
