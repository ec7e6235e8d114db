package com.vipride.platform.web;

import java.time.Instant;
import java.util.List;

/**
 * One page of a newest-first list. Pass {@code nextBefore} back as {@code before} for the next page;
 * it is null on the last page.
 */
public record Page<T>(List<T> items, Instant nextBefore) {

    public static <T> Page<T> of(List<T> items, int limit, java.util.function.Function<T, Instant> timeOf) {
        return new Page<>(items, items.size() < limit ? null : timeOf.apply(items.get(items.size() - 1)));
    }
}
