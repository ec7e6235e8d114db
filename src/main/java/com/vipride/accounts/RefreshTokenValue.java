package com.vipride.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * An opaque refresh token: 256 random bits handed to the client once. Only its SHA-256 hash is
 * stored, so a copy of the database cannot be used to mint sessions.
 */
record RefreshTokenValue(String value) {

    private static final SecureRandom RANDOM = new SecureRandom();

    static RefreshTokenValue generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new RefreshTokenValue(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    byte[] hash() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "RefreshTokenValue[redacted]";
    }
}
