package com.vipride.platform.jobs;

import java.util.LinkedHashMap;
import java.util.Map;

/** What one job run did, as named counts (rows archived, partitions created, …), in insertion order. */
public record JobCounts(Map<String, Long> values) {

    public JobCounts {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    static JobCounts none() {
        return new JobCounts(Map.of());
    }

    public static JobCounts of(String name, long value) {
        return new JobCounts(Map.of(name, value));
    }

    public static JobCounts of(Map<String, Long> values) {
        return new JobCounts(values);
    }

    public long get(String name) {
        return values.getOrDefault(name, 0L);
    }
}
