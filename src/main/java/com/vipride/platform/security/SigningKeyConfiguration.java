package com.vipride.platform.security;

import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.vipride.platform.db.EmbeddedPostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
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
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.util.StringUtils;

/**
 * The HMAC key that signs and verifies access tokens. It comes from configuration; only the embedded
 * development default may run without one: it generates a random key once and keeps it in its keys folder.
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
            key = developmentKey(embedded.getIfAvailable()
                    .dataDirectory()
                    .resolveSibling("keys")
                    .resolve("dev-token-signing.key"));
        } else {
            throw new IllegalStateException(
                    "vipride.security.jwt.secret (VIPRIDE_SECURITY_JWT_SECRET) must be set when using an external database");
        }
        return new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * The embedded default's signing key, kept beside its VIP master key so that a restart does not sign
     * everyone out. Created once, readable by the service's user only.
     */
    private static byte[] developmentKey(Path file) {
        try {
            if (Files.exists(file)) {
                byte[] key = Base64.getDecoder()
                        .decode(Files.readString(file, StandardCharsets.US_ASCII)
                                .trim());
                if (key.length >= MIN_KEY_BYTES) {
                    return key;
                }
            }
            byte[] key = new byte[MIN_KEY_BYTES];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(partial);
            try {
                Files.createFile(
                        partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createFile(partial);
            }
            Files.writeString(partial, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            log.warn(
                    "No vipride.security.jwt.secret set: generated a development token-signing key in {}"
                            + " (kept across restarts) — set a real secret in production",
                    file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or create the development signing key " + file, e);
        }
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
                expiry(properties, clock),
                new JwtIssuerValidator(properties.issuer()),
                new JwtClaimValidator<String>("sub", SigningKeyConfiguration::isUuid),
                new JwtClaimValidator<String>(AccessTokens.ROLE_CLAIM, SigningKeyConfiguration::isUserRole),
                new JwtClaimValidator<Object>(
                        AccessTokens.SECURITY_VERSION_CLAIM, SigningKeyConfiguration::isSecurityVersion));
        decoder.setJwtValidator(validator);
        return properties.verifiedTokens() == 0
                ? decoder
                : new VerifiedTokenCache(decoder, properties.verifiedTokens(), properties.accessTokenTtl(), clock);
    }

    /** exp required; refused from exp + the stated clock skew on (nbf likewise). */
    private static OAuth2TokenValidator<Jwt> expiry(JwtProperties properties, Clock clock) {
        JwtTimestampValidator timestamps = new JwtTimestampValidator(properties.clockSkew());
        timestamps.setClock(clock);
        return new DelegatingOAuth2TokenValidator<>(
                new JwtClaimValidator<Object>(JwtClaimNames.EXP, java.util.Objects::nonNull), timestamps);
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
