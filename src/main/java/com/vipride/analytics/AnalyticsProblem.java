package com.vipride.analytics;

import com.vipride.platform.web.ApiException;
import java.time.LocalDate;
import org.springframework.http.HttpStatus;

/** Dashboard requests that cannot be answered as asked. */
final class AnalyticsProblem extends ApiException {

    private AnalyticsProblem(String code, String detail) {
        super(HttpStatus.BAD_REQUEST, code, detail);
    }

    static AnalyticsProblem reversedRange(LocalDate from, LocalDate to) {
        return new AnalyticsProblem("invalid-date-range", "'from' (" + from + ") must not be after 'to' (" + to + ").");
    }

    static AnalyticsProblem rangeTooLong(LocalDate from, LocalDate to, int maxDays) {
        AnalyticsProblem problem = new AnalyticsProblem(
                "date-range-too-long",
                "The range from " + from + " to " + to + " is longer than " + maxDays + " days.");
        problem.with("maxDays", maxDays);
        return problem;
    }
}
