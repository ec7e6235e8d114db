package com.vipride.platform.web;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
    private Instant retryAt;

    protected ApiException(HttpStatus status, String code, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
    }

    protected ApiException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    /** Answers with a Retry-After header saying when the request may succeed. */
    protected ApiException retryAfter(Instant when) {
        this.retryAt = when;
        return this;
    }

    /** Whole seconds until the request may be retried (at least 1), if the failure says so. */
    Optional<Long> retryAfterSeconds() {
        if (retryAt == null) {
            return Optional.empty();
        }
        long millis = Duration.between(Instant.now(), retryAt).toMillis();
        return Optional.of(Math.max(1, (millis + 999) / 1000));
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
