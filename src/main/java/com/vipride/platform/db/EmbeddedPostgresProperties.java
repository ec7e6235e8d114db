package com.vipride.platform.db;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The embedded PostgreSQL server used when no external database is configured.
 *
 * @param dataDir   where the cluster keeps its files; a restart on the same folder keeps every row
 * @param port      TCP port on localhost; 0 picks a free one
 * @param database  database the service uses
 * @param ephemeral throw-away cluster in a temporary folder, deleted at exit (tests)
 * @param sharedBuffers PostgreSQL's buffer cache; the dispatch indexes and the drivers table should fit
 *                      in it (PostgreSQL's own default of 128MB does not hold a 500,000-driver fleet)
 * @param durable   commit durably: fsync and synchronous_commit on, so an answered write survives a crash
 *                  of PostgreSQL or of the machine. Only tests switch it off, explicitly, for speed
 */
@ConfigurationProperties("vipride.embedded-postgres")
public record EmbeddedPostgresProperties(
        @DefaultValue("data/postgres") Path dataDir,
        @DefaultValue("15432") int port,
        @DefaultValue("vipride") String database,
        @DefaultValue("false") boolean ephemeral,
        @DefaultValue("512MB") String sharedBuffers,
        @DefaultValue("true") boolean durable) {}
