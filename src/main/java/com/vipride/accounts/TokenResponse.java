package com.vipride.accounts;

/** Tokens issued at login and refresh (OAuth 2 token-response style). */
record TokenResponse(
        String accessToken,
        String tokenType,
        long expiresIn,
        String refreshToken,
        long refreshExpiresIn,
        String role) {}
