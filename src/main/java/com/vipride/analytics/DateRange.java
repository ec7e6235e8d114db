package com.vipride.analytics;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A dashboard's inclusive range of UTC days. Unset ends default to the last 30 days up to today; a
 * range runs forwards and spans at most {@link #MAX_DAYS} days, so no request scans years of rows.
 */
record DateRange(LocalDate from, LocalDate to) {

    static final int MAX_DAYS = 731;
    private static final int DEFAULT_DAYS = 30;

    static DateRange of(LocalDate from, LocalDate to) {
        LocalDate end =
                to != null ? to : (from != null ? from.plusDays(DEFAULT_DAYS - 1) : LocalDate.now(ZoneOffset.UTC));
        LocalDate start = from != null ? from : end.minusDays(DEFAULT_DAYS - 1);
        if (start.isAfter(end)) {
            throw AnalyticsProblem.reversedRange(start, end);
        }
        if (ChronoUnit.DAYS.between(start, end) + 1 > MAX_DAYS) {
            throw AnalyticsProblem.rangeTooLong(start, end, MAX_DAYS);
        }
        return new DateRange(start, end);
    }

    /** The first day of the month of {@link #from()}: monthly views match every month the range touches. */
    LocalDate fromMonth() {
        return from.withDayOfMonth(1);
    }
}
