package com.vipride.hotels;

import com.vipride.platform.web.ApiException;
import org.springframework.http.HttpStatus;

/** A hotel request refused before reaching the database's own rules. */
final class HotelProblem extends ApiException {

    HotelProblem(HttpStatus status, String code, String detail) {
        super(status, code, detail);
    }
}
