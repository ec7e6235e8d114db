package com.vipride.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.vipride.support.IntegrationTest;
import com.vipride.support.PostgresClientTools;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The schema installs two ways from the same files — by a DBA with psql alone and by the service
 * with Flyway — and both yield the same schema.
 */
class SchemaInstallIT extends IntegrationTest {

    @Autowired
    private Flyway serviceFlyway;

    @Test
    void psqlInstallAndServiceMigrationYieldTheSameSchema() throws Exception {
        String byPsql = freshDatabase("by_psql");
        ProcessResult install = run(List.of(PostgresClientTools.path("psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                "-h", "localhost", "-p", String.valueOf(postgres.port()), "-U", postgres.superuser(),
                "-d", byPsql, "-f", Path.of("database/install.sql").toString()));
        assertThat(install.exitCode()).as(install.output()).isZero();
        assertThat(install.output()).doesNotContain("ERROR");

        String byFlyway = freshDatabase("by_flyway");
        postgres.runAsSuperuser(byFlyway, Files.readString(Path.of("database/00_cluster_setup.sql")));
        Flyway.configure()
                .configuration(serviceFlyway.getConfiguration())
                .dataSource(postgres.jdbcUrl(byFlyway), "vipride_owner", null)
                .load()
                .migrate();

        String psqlSchema = schemaDump(byPsql);
        String flywaySchema = schemaDump(byFlyway);
        assertThat(psqlSchema).contains("CREATE TABLE public.rides").contains("CREATE POLICY")
                .contains("CREATE FUNCTION public.create_monthly_ride_partition");
        assertThat(flywaySchema).isEqualTo(psqlSchema);
    }

    @Test
    void installScriptRunsEveryNumberedPartInOrder() throws IOException {
        List<String> parts;
        try (Stream<Path> files = Files.list(Path.of("database"))) {
            parts = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d\\d_.*\\.sql")).sorted().toList();
        }
        List<String> included = Files.readAllLines(Path.of("database/install.sql")).stream()
                .filter(line -> line.startsWith("\\ir ")).map(line -> line.substring(4).trim()).toList();

        assertThat(included).isEqualTo(parts);
        assertThat(parts).first().isEqualTo("00_cluster_setup.sql");
    }

    private String freshDatabase(String purpose) {
        String name = "install_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8);
        superuser().sql("CREATE DATABASE " + name).update();
        return name;
    }

    private String schemaDump(String database) throws Exception {
        ProcessResult dump = run(List.of(PostgresClientTools.path("pg_dump"), "--schema-only",
                "--exclude-table=public.flyway_schema_history",
                "-h", "localhost", "-p", String.valueOf(postgres.port()), "-U", postgres.superuser(), database));
        assertThat(dump.exitCode()).as(dump.output()).isZero();
        // pg_dump brackets its output with \restrict <random key>; that line differs on every run.
        return dump.output().lines().filter(line -> !line.matches("\\\\(un)?restrict .*"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    static ProcessResult run(List<String> command) throws Exception {
        List<String> args = new ArrayList<>(command);
        args.removeIf(String::isEmpty);
        Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new ProcessResult(process.exitValue(), output);
    }

    record ProcessResult(int exitCode, String output) {
    }
}
