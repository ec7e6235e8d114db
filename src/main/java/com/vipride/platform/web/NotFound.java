package com.vipride.platform.web;

import org.springframework.http.HttpStatus;

/**
 * Nothing with this id is visible to the caller. Row-level security makes "does not exist" and "is
 * not yours" the same answer, so an id never confirms that someone else's record exists.
 */
public final class NotFound extends ApiException {

    private NotFound(String detail) {
        super(HttpStatus.NOT_FOUND, "not-found", detail);
    }

    public static NotFound of(String kind, Object id) {
        return new NotFound("No " + kind + " " + id + " is visible to you.");
    }
}
