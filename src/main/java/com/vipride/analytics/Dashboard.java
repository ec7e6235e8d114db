package com.vipride.analytics;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A dashboard's answer: the view it was read from, when that view was last refreshed (null: never
 * since installation), the range asked for and the rows.
 */
record Dashboard<T>(String view, OffsetDateTime refreshedAt, LocalDate from, LocalDate to, List<T> rows) {}
