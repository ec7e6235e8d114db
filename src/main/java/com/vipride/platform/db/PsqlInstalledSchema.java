package com.vipride.platform.db;

import java.util.Arrays;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves a database that a DBA installed or upgraded with psql (database/upgrade.sql). psql records each
 * versioned migration it applies in Flyway's history table without a checksum, which it cannot compute;
 * before migrating, the service lets Flyway fill those checksums in from the very same files, so every
 * later start validates them as usual.
 */
@Configuration(proxyBeanMethods = false)
class PsqlInstalledSchema {

    private static final Logger log = LoggerFactory.getLogger(PsqlInstalledSchema.class);

    @Bean
    FlywayMigrationStrategy migrateAfterAdoptingPsqlRecords() {
        return flyway -> {
            if (hasRecordsWithoutChecksum(flyway)) {
                log.info("Adopting migrations recorded by psql: Flyway fills in their checksums");
                flyway.repair();
            }
            flyway.migrate();
        };
    }

    private static boolean hasRecordsWithoutChecksum(Flyway flyway) {
        return Arrays.stream(flyway.info().applied())
                .anyMatch(m -> m.getVersion() != null
                        && m.getChecksum() == null
                        && !m.getType().isSynthetic());
    }
}
