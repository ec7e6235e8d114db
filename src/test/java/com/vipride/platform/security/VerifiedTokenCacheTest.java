package com.vipride.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

class VerifiedTokenCacheTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    /** A decoder that accepts tokens named "good…" expiring at the given time and counts its calls. */
    private static final class CountingDecoder implements JwtDecoder {
        final List<String> decoded = new ArrayList<>();
        final Instant expiresAt;

        CountingDecoder(Instant expiresAt) {
            this.expiresAt = expiresAt;
        }

        @Override
        public Jwt decode(String token) {
            decoded.add(token);
            if (!token.startsWith("good")) {
                throw new BadJwtException("forged");
            }
            return Jwt.withTokenValue(token)
                    .header("alg", "HS256")
                    .subject("rider")
                    .issuedAt(expiresAt.minusSeconds(900))
                    .expiresAt(expiresAt)
                    .build();
        }
    }

    private static final class SettableClock extends Clock {
        Instant now = NOW;

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void aVerifiedTokenIsNotVerifiedAgainUntilItExpires() {
        CountingDecoder decoder = new CountingDecoder(NOW.plusSeconds(60));
        SettableClock clock = new SettableClock();
        VerifiedTokenCache cache = new VerifiedTokenCache(decoder, 100, Duration.ofMinutes(15), clock);

        assertThat(cache.decode("good-1").getSubject()).isEqualTo("rider");
        assertThat(cache.decode("good-1").getSubject()).isEqualTo("rider");
        assertThat(decoder.decoded).containsExactly("good-1");

        clock.now = NOW.plusSeconds(61);
        cache.decode("good-1");
        assertThat(decoder.decoded)
                .as("an expired entry goes back to the real decoder")
                .containsExactly("good-1", "good-1");
    }

    @Test
    void aRefusedTokenIsRefusedEveryTimeAndNeverKept() {
        CountingDecoder decoder = new CountingDecoder(NOW.plusSeconds(60));
        VerifiedTokenCache cache = new VerifiedTokenCache(decoder, 100, Duration.ofMinutes(15), new SettableClock());

        assertThatThrownBy(() -> cache.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> cache.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThat(decoder.decoded).containsExactly("forged", "forged");
    }
}
