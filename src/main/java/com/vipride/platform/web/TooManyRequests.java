package com.vipride.platform.web;

import java.time.Instant;
import org.springframework.http.HttpStatus;

/** A rate limit is used up: 429 with Retry-After saying when the next request will be taken. */
public final class TooManyRequests extends ApiException {

    TooManyRequests(Instant retryAt) {
        super(
                HttpStatus.TOO_MANY_REQUESTS,
                "rate-limited",
                "Too many requests of this kind; retry after the time the Retry-After header gives.");
        retryAfter(retryAt);
    }
}
