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
 * @param clockSkew       how long after its exp an access token is still accepted, for clocks of
 *                        several instances that differ slightly (at most 30 s)
 */
@Validated
@ConfigurationProperties("vipride.security.jwt")
public record JwtProperties(
        String secret,
        @DefaultValue("vipride") String issuer,
        @DefaultValue("15m") Duration accessTokenTtl,
        @DefaultValue("30d") Duration refreshTokenTtl,
        @DefaultValue("20000") @PositiveOrZero int verifiedTokens,
        @DefaultValue("5s") Duration clockSkew) {

    public JwtProperties {
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofSeconds(30)) > 0) {
            throw new IllegalArgumentException("vipride.security.jwt.clock-skew must be between 0 and 30 seconds");
        }
    }
}
