package com.vipride.rides;

import com.vipride.platform.web.ApiException;
import org.springframework.http.HttpStatus;

/** Why a ride request or step was refused before reaching the database's own rules. */
final class RideProblem extends ApiException {

    private RideProblem(HttpStatus status, String code, String detail) {
        super(status, code, detail);
    }

    static RideProblem quoteOrTrip() {
        return new RideProblem(
                HttpStatus.BAD_REQUEST,
                "quote-or-trip",
                "Give either quoteId (a quote you accepted) or trip (to be quoted now), not both or neither.");
    }

    static RideProblem invalidIdempotencyKey() {
        return new RideProblem(
                HttpStatus.BAD_REQUEST,
                "invalid-idempotency-key",
                "Idempotency-Key must be 1 to 255 visible ASCII characters.");
    }

    static RideProblem unsealedQuote() {
        return new RideProblem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "invalid-quote",
                "This quote is not an unused VIP quote of yours with a sealed route; ask for a new quote.");
    }
}
