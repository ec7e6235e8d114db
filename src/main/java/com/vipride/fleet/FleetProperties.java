package com.vipride.fleet;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Fleet settings.
 *
 * @param documents the files of drivers' and vehicles' documents
 * @param reminders the job that reminds keepers of documents about to expire
 */
@Validated
@ConfigurationProperties("vipride.fleet")
record FleetProperties(
        @Valid @DefaultValue Documents documents,
        @Valid @DefaultValue Reminders reminders) {

    /**
     * @param dir          folder of the default document store, beside the embedded database's files
     *                     ({@code data/postgres}) unless set
     * @param maxSize      largest file accepted; the request as a whole must also fit {@code vipride.web.max-request-body}
     * @param allowedTypes content types accepted (the file's first bytes must match the type)
     */
    record Documents(
            @DefaultValue("data/documents") Path dir,
            @DefaultValue("400KB") DataSize maxSize,

            @DefaultValue({"application/pdf", "image/jpeg", "image/png"}) @NotEmpty
            List<String> allowedTypes) {}

    /**
     * @param enabled  whether the job is scheduled
     * @param interval pause between runs; each document gets one reminder per threshold whatever the interval
     */
    record Reminders(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("6h") Duration interval) {}
}
