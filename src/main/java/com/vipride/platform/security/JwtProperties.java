package com.vipride.platform.security;

import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Token settings.
 *
 * @param secret          base64 HMAC-SHA256 key, at least 256 bits; required unless the service runs
 *                        on the embedded default, which then generates a throw-away development key
 * @param issuer          iss claim written and required
 * @param accessTokenTtl  lifetime of an access token
 * @param refreshTokenTtl lifetime of a refresh token (rotated on every use)
 * @param verifiedTokens  access tokens kept verified until they expire (0: verify every request)
 */
@Validated
@ConfigurationProperties("vipride.security.jwt")
public record JwtProperties(
        String secret,
        @DefaultValue("vipride") String issuer,
        @DefaultValue("15m") Duration accessTokenTtl,
        @DefaultValue("30d") Duration refreshTokenTtl,
        @DefaultValue("20000") @PositiveOrZero int verifiedTokens) {}
