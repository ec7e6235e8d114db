package com.vipride.platform.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A failure the API reports to its caller as an RFC 9457 problem: an HTTP status, a stable
 * machine-readable code, a human-readable detail and optional extra members. Each concrete failure
 * is its own subclass with static factories.
 */
public abstract class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final Map<String, Object> properties = new LinkedHashMap<>();

    protected ApiException(HttpStatus status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }

    protected ApiException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    Map<String, Object> properties() {
        return Map.copyOf(properties);
    }
}
