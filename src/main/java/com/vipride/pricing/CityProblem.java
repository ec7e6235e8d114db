package com.vipride.pricing;

import com.vipride.platform.web.ApiException;
import org.springframework.http.HttpStatus;

/** A city request the API refuses before it reaches the database. */
final class CityProblem extends ApiException {

    private CityProblem(HttpStatus status, String code, String detail) {
        super(status, code, detail);
    }

    static CityProblem incomplete() {
        return new CityProblem(
                HttpStatus.BAD_REQUEST,
                "validation-failed",
                "A new city needs settings.currency and settings.referenceLat.");
    }
}
