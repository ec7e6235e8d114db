package com.vipride.vip.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** The shared secret the database's SQL functions present to the VIP crypto agent. */
public final class CryptoAgentToken {

    private final String value;

    CryptoAgentToken(String value) {
        if (value == null || !value.matches("[A-Za-z0-9_-]{32,128}")) {
            throw new IllegalStateException(
                    "vipride.vip.crypto.agent-token must be 32-128 characters of [A-Za-z0-9_-]");
        }
        this.value = value;
    }

    static CryptoAgentToken generate() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return new CryptoAgentToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    }

    /** Constant-time comparison, so response timing does not reveal the token. */
    public boolean matches(String presented) {
        return presented != null
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }

    String value() {
        return value;
    }

    @Override
    public String toString() {
        return "CryptoAgentToken[redacted]";
    }
}
