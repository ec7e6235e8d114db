package com.vipride.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Access tokens already verified, until they expire. An app sends the same token with every request
 * of its lifetime, and verifying it again (HMAC, JSON, the claim validators) is the same work with the
 * same answer; a token is only ever found here if it passed the real decoder in this process. Only
 * good tokens are kept, so a flood of forged ones cannot evict them faster than the bound allows.
 */
final class VerifiedTokenCache implements JwtDecoder {

    private final JwtDecoder decoder;
    private final Cache<String, Jwt> verified;
    private final Clock clock;

    VerifiedTokenCache(JwtDecoder decoder, long maximumSize, Duration tokenLifetime, Clock clock) {
        this.decoder = decoder;
        this.verified = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfterWrite(tokenLifetime)
                .build();
        this.clock = clock;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt jwt = verified.getIfPresent(token);
        if (jwt != null && jwt.getExpiresAt() != null && jwt.getExpiresAt().isAfter(clock.instant())) {
            return jwt;
        }
        jwt = decoder.decode(token);
        if (jwt.getExpiresAt() != null) {
            verified.put(token, jwt);
        }
        return jwt;
    }
}
