package com.vipride.platform.security;

import com.vipride.platform.web.ApiException;
import org.springframework.http.HttpStatus;

/** The request did not prove who is calling. */
public final class AuthenticationFailed extends ApiException {

    private AuthenticationFailed(String code, String detail) {
        super(HttpStatus.UNAUTHORIZED, code, detail);
    }

    static AuthenticationFailed required() {
        return new AuthenticationFailed(
                "authentication-required", "Sign in and send the access token as a Bearer token.");
    }

    public static AuthenticationFailed invalidToken() {
        return new AuthenticationFailed("invalid-token", "The access token is invalid or has expired.");
    }

    public static AuthenticationFailed invalidSignature() {
        return new AuthenticationFailed("invalid-signature", "The request's signature is missing, wrong or too old.");
    }
}
