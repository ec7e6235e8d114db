package com.vipride.platform.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.vipride.platform.db.EmbeddedPostgresServer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.util.StringUtils;

/**
 * The HMAC key that signs and verifies access tokens. It comes from configuration; only the embedded
 * development default may run without one, and then gets a random key that lives as long as the process.
 */
@Configuration(proxyBeanMethods = false)
class SigningKeyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyConfiguration.class);
    private static final int MIN_KEY_BYTES = 32;

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    SecretKey accessTokenSigningKey(JwtProperties properties, ObjectProvider<EmbeddedPostgresServer> embedded) {
        byte[] key;
        if (StringUtils.hasText(properties.secret())) {
            key = Base64.getDecoder().decode(properties.secret().trim());
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalStateException(
                        "vipride.security.jwt.secret must be at least 256 bits (32 bytes, base64)");
            }
        } else if (embedded.getIfAvailable() != null) {
            log.warn(
                    "No vipride.security.jwt.secret set: using a random development key; tokens end with this process");
            key = new byte[MIN_KEY_BYTES];
            new SecureRandom().nextBytes(key);
        } else {
            throw new IllegalStateException(
                    "vipride.security.jwt.secret (VIPRIDE_SECURITY_JWT_SECRET) must be set when using an external database");
        }
        return new SecretKeySpec(key, "HmacSHA256");
    }

    @Bean
    JwtEncoder jwtEncoder(SecretKey accessTokenSigningKey) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(accessTokenSigningKey));
    }

    @Bean
    JwtDecoder jwtDecoder(SecretKey accessTokenSigningKey, JwtProperties properties, Clock clock) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(accessTokenSigningKey)
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(properties.issuer()),
                new JwtClaimValidator<String>("sub", SigningKeyConfiguration::isUuid),
                new JwtClaimValidator<String>(AccessTokens.ROLE_CLAIM, SigningKeyConfiguration::isUserRole),
                new JwtClaimValidator<Object>(
                        AccessTokens.SECURITY_VERSION_CLAIM, SigningKeyConfiguration::isSecurityVersion));
        decoder.setJwtValidator(validator);
        return properties.verifiedTokens() == 0
                ? decoder
                : new VerifiedTokenCache(decoder, properties.verifiedTokens(), properties.accessTokenTtl(), clock);
    }

    private static boolean isUuid(String value) {
        try {
            return value != null && UUID.fromString(value).toString().equals(value);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isSecurityVersion(Object value) {
        return (value instanceof Long || value instanceof Integer) && ((Number) value).longValue() >= 0;
    }

    private static boolean isUserRole(String value) {
        return PlatformRole.fromDbRole(value)
                .filter(r -> r != PlatformRole.ANONYMOUS_USER)
                .isPresent();
    }
}
