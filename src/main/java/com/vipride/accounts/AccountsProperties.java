package com.vipride.accounts;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Account rules.
 *
 * @param maxFailedLogins    consecutive wrong passwords that lock an account
 * @param lockDuration       how long a lock-out lasts
 * @param defaultCallingCode country calling code assumed for national phone numbers (0803… → +234803…)
 * @param invitationTtl      how long a staff invitation's one-time token stays valid (at most 30 days)
 */
@Validated
@ConfigurationProperties("vipride.accounts")
record AccountsProperties(
        @DefaultValue("5") @Min(1) @Max(100) int maxFailedLogins,
        @DefaultValue("15m") Duration lockDuration,

        @DefaultValue("234") @Pattern(regexp = "[1-9][0-9]{0,2}")
        String defaultCallingCode,

        @DefaultValue("72h") Duration invitationTtl) {}
