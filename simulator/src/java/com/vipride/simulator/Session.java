package com.vipride.simulator;

import java.util.Map;

/**
 * One signed-in account of the simulation. Access tokens last 15 minutes: the session refreshes its
 * token (rotating the refresh token) once it is 10 minutes old, and signs in again if that fails.
 */
final class Session {

    private static final long REFRESH_AFTER_MS = 10 * 60 * 1000L;

    final String email;
    final String password;
    final String userId;
    private final ApiClient api;
    private String accessToken;
    private String refreshToken;
    private long obtainedAt;

    private Session(ApiClient api, String email, String password, ApiClient.Response login) {
        this.api = api;
        this.email = email;
        this.password = password;
        take(login);
        this.userId = api.get("/api/v1/me", accessToken).text("id");
    }

    /** Signs in; null when the login was refused (the error is counted). */
    static Session signIn(ApiClient api, String email, String password) {
        ApiClient.Response login = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", password));
        return login.ok() ? new Session(api, email, password, login) : null;
    }

    synchronized String token() {
        if (System.currentTimeMillis() - obtainedAt > REFRESH_AFTER_MS) {
            renew();
        }
        return accessToken;
    }

    /** A token with the account's current role and state, for instance after an approval changed its role. */
    synchronized void renew() {
        ApiClient.Response refreshed = api.post("/api/v1/auth/refresh", null, Map.of("refreshToken", refreshToken));
        if (refreshed.ok()) {
            take(refreshed);
            return;
        }
        ApiClient.Response login = api.post("/api/v1/auth/login", null, Map.of("email", email, "password", password));
        if (login.ok()) {
            take(login);
        }
    }

    private void take(ApiClient.Response tokens) {
        accessToken = tokens.text("accessToken");
        refreshToken = tokens.text("refreshToken");
        obtainedAt = System.currentTimeMillis();
    }
}
