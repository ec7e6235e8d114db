package com.vipride.platform.web;

import org.springframework.http.HttpStatus;

/** A request that is well-formed but asks for something that cannot be answered as asked. */
public final class InvalidRequest extends ApiException {

    private InvalidRequest(String code, String detail) {
        super(HttpStatus.BAD_REQUEST, code, detail);
    }

    public static InvalidRequest of(String code, String detail) {
        return new InvalidRequest(code, detail);
    }
}
