package com.vipride.platform.web;

import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Request rate limits, shared by every service instance (their buckets live in PostgreSQL).
 *
 * @param enabled         off only for benchmarks that log in thousands of accounts from one address
 * @param addressCapacity requests one client address may make to each limited path per addressPeriod
 * @param addressPeriod   the period in which addressCapacity refills
 * @param accountCapacity logins (or registrations) of one email per accountPeriod, from all addresses
 * @param accountPeriod   the period in which accountCapacity refills
 * @param addressPaths    the POST paths limited per client address: sign-in, sign-up, token refresh,
 *                        invitation acceptance (and a password reset, when there is one)
 */
@Validated
@ConfigurationProperties("vipride.rate-limits")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("30") @Positive int addressCapacity,
        @DefaultValue("1m") Duration addressPeriod,
        @DefaultValue("20") @Positive int accountCapacity,
        @DefaultValue("10m") Duration accountPeriod,

        @DefaultValue({
            "/api/v1/auth/login",
            "/api/v1/auth/register",
            "/api/v1/auth/refresh",
            "/api/v1/auth/invitations/accept",
            "/api/v1/auth/password-reset"
        })
        List<String> addressPaths) {}
