package com.vipride.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.VipRideApplication;
import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.PostgresClientTools;
import com.vipride.support.TestAccounts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The schema installs two ways from the same files — by a DBA with psql alone and by the service
 * with Flyway — and both yield the same schema; a database installed with psql is then served and
 * upgraded by the service with no extra settings.
 */
class SchemaInstallIT extends IntegrationTest {

    @Autowired
    private Flyway serviceFlyway;

    @Test
    void psqlInstallAndServiceMigrationYieldTheSameSchema() throws Exception {
        String byPsql = freshDatabase("by_psql");
        ProcessResult install = psql(byPsql, "database/install.sql");
        assertThat(install.exitCode()).as(install.output()).isZero();
        assertThat(install.output()).doesNotContain("ERROR");

        String byFlyway = freshDatabase("by_flyway");
        postgres.runAsSuperuser(byFlyway, Files.readString(Path.of("database/cluster.sql")));
        Flyway.configure()
                .configuration(serviceFlyway.getConfiguration())
                .dataSource(postgres.jdbcUrl(byFlyway), "vipride_owner", null)
                .load()
                .migrate();

        String psqlSchema = schemaDump(byPsql);
        String flywaySchema = schemaDump(byFlyway);
        assertThat(psqlSchema)
                .contains("CREATE TABLE public.rides")
                .contains("CREATE POLICY")
                .contains("CREATE FUNCTION public.create_monthly_ride_partition");
        assertThat(flywaySchema).isEqualTo(psqlSchema);

        ProcessResult again = psql(byPsql, "database/upgrade.sql");
        assertThat(again.exitCode()).as(again.output()).isZero();
        // Compared line by line regardless of order: re-granting reorders a table's ACL entries in the dump.
        assertThat(schemaDump(byPsql).lines().sorted().toList())
                .as("every definition file is re-runnable: applying them again changes nothing")
                .isEqualTo(psqlSchema.lines().sorted().toList());
    }

    @Test
    void upgradeScriptAppliesWhatFlywayAppliesInTheSameOrder() throws IOException {
        List<String> byPsql = Files.readAllLines(Path.of("database/upgrade.sql")).stream()
                .filter(line -> line.startsWith("\\set script ") || line.matches("\\\\ir \\w+/(R__|afterMigrate).*"))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .toList();
        List<String> byFlyway = Stream.concat(
                        Arrays.stream(serviceFlyway.info().all()).map(MigrationInfo::getScript),
                        Stream.of("ops/afterMigrate.sql"))
                .toList();

        assertThat(byPsql).isEqualTo(byFlyway);
    }

    @Test
    void aDatabaseInstalledWithPsqlIsServedAndUpgradedByTheService(@TempDir Path extraMigrations) throws Exception {
        String database = freshDatabase("psql_then_service");
        ProcessResult install = psql(database, "database/install.sql");
        assertThat(install.exitCode()).as(install.output()).isZero();
        JdbcClient owner = JdbcClient.create(postgres.superuserDataSource(database));
        assertThat(owner.sql("SELECT count(*) FROM public.flyway_schema_history WHERE checksum IS NULL AND success")
                        .query(Integer.class)
                        .single())
                .as("versioned migrations recorded by psql")
                .isEqualTo(versionedCount());

        // The next release brings one more versioned migration; the service applies it on that database.
        Files.writeString(
                extraMigrations.resolve("V999__probe.sql"), "CREATE TABLE public.upgrade_probe (id integer);");
        try (ConfigurableApplicationContext service = new SpringApplicationBuilder(VipRideApplication.class)
                .profiles("test")
                .run(
                        "--server.port=0",
                        "--spring.datasource.url=" + postgres.jdbcUrl(database),
                        "--spring.datasource.username=app_backend",
                        "--spring.flyway.user=vipride_owner",
                        "--spring.flyway.locations=classpath:db/migration,filesystem:" + extraMigrations,
                        "--vipride.vip.crypto.master-keyset-file="
                                + postgres.dataDirectory()
                                        .resolveSibling("keys")
                                        .resolve("dev-master-keyset.json"))) {
            int port = service.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            Api api = new Api("http://localhost:" + port);
            assertThat(api.post(
                                    "/api/v1/auth/register",
                                    TestAccounts.registration(
                                            "psql-" + UUID.randomUUID() + "@example.com",
                                            "+2348077" + (System.nanoTime() % 1_000_000 + 1_000_000)))
                            .status())
                    .isEqualTo(201);
        }

        assertThat(owner.sql(
                                "SELECT count(*) FROM public.flyway_schema_history WHERE version IS NOT NULL AND checksum IS NULL")
                        .query(Integer.class)
                        .single())
                .as("checksums filled in by the service")
                .isZero();
        assertThat(owner.sql("SELECT to_regclass('public.upgrade_probe') IS NOT NULL")
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    private int versionedCount() {
        return (int) Arrays.stream(serviceFlyway.info().all())
                .filter(m -> m.getVersion() != null)
                .count();
    }

    private ProcessResult psql(String database, String file) throws Exception {
        return run(List.of(
                PostgresClientTools.path("psql"),
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                "localhost",
                "-p",
                String.valueOf(postgres.port()),
                "-U",
                postgres.superuser(),
                "-d",
                database,
                "-f",
                Path.of(file).toString()));
    }

    private String freshDatabase(String purpose) {
        String name = "install_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8);
        superuser().sql("CREATE DATABASE " + name).update();
        return name;
    }

    private String schemaDump(String database) throws Exception {
        ProcessResult dump = run(List.of(
                PostgresClientTools.path("pg_dump"),
                "--schema-only",
                "--exclude-table=public.flyway_schema_history",
                "-h",
                "localhost",
                "-p",
                String.valueOf(postgres.port()),
                "-U",
                postgres.superuser(),
                database));
        assertThat(dump.exitCode()).as(dump.output()).isZero();
        // pg_dump brackets its output with \restrict <random key>; that line differs on every run.
        return dump.output()
                .lines()
                .filter(line -> !line.matches("\\\\(un)?restrict .*"))
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

    record ProcessResult(int exitCode, String output) {}
}
