package com.vipride.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.platform.security.SystemJobs;
import com.vipride.support.IntegrationTest;
import com.vipride.support.PostgresClientTools;
import com.vipride.vip.crypto.FieldContext;
import com.vipride.vip.crypto.VipCipher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operators' scripts against the embedded cluster: a full backup and a VIP-only backup with the backup
 * login, a restore into a fresh database that verifies itself against the backup's manifest, a VIP
 * ciphertext read back from the restored database that decrypts with the keys, and a manifest that no
 * longer matches is reported.
 */
class BackupRoundTripIT extends IntegrationTest {

    private static final String LOCATIONS = "vip_data.vip_location_history";
    private static final String COORDINATES = "encrypted_coordinates";

    @Autowired
    VipCipher cipher;

    @Autowired
    PlatformTransactionManager transactionManager;

    @TempDir
    Path backups;

    @Test
    void backupRestoreAndVerifyRoundTrip() throws Exception {
        UUID vip = accounts().aRegisteredCustomer().id();
        UUID location = UUID.randomUUID();
        String plaintext = "{\"lat\": 6.4281000, \"lng\": 3.4219000, \"probe\": \"" + UUID.randomUUID() + "\"}";
        byte[] envelope =
                asSystem(() -> cipher.encrypt(vip, FieldContext.of(LOCATIONS, COORDINATES, location), plaintext));
        superuser()
                .sql("INSERT INTO vip_data.vip_location_history (id, user_id, encrypted_coordinates, recorded_at) "
                        + "VALUES (:id, :vip, :envelope, now())")
                .param("id", location)
                .param("vip", vip)
                .param("envelope", envelope)
                .update();

        Path full = Path.of(run("ops/backup-full.sh", backups.toString()).trim());
        Path vipOnly = Path.of(run("ops/backup-vip.sh", backups.toString()).trim());

        assertThat(Files.readString(Path.of(full.toString().replace(".dump", ".manifest"))))
                .contains("vip_data.subject_keys ")
                .contains("digest:vip_location_history");
        String vipSql = run(tool("pg_restore"), "-f", "-", vipOnly.toString());
        assertThat(vipSql)
                .contains("COPY vip_data.vip_location_history")
                .contains(HexFormat.of().formatHex(envelope))
                .doesNotContain(plaintext)
                .doesNotContain("COPY public.");

        String target = "restore_" + UUID.randomUUID().toString().substring(0, 8);
        try {
            long started = System.nanoTime();
            String verified = run("ops/restore-verify.sh", full.toString(), target);
            assertThat(verified).contains("verified");
            String tables =
                    verified.replaceAll("(?s).*verified: (\\d+) tables.*", "$1").trim();

            JdbcClient restored = JdbcClient.create(postgres.superuserDataSource(target));
            byte[] fromRestored = restored.sql(
                            "SELECT encrypted_coordinates FROM vip_data.vip_location_history WHERE id = :id")
                    .param("id", location)
                    .query(byte[].class)
                    .single();
            assertThat(restored.sql("SELECT keyset_enc FROM vip_data.subject_keys WHERE subject_id = :s")
                            .param("s", vip)
                            .query(byte[].class)
                            .single())
                    .isEqualTo(superuser()
                            .sql("SELECT keyset_enc FROM vip_data.subject_keys WHERE subject_id = :s")
                            .param("s", vip)
                            .query(byte[].class)
                            .single());
            assertThat(asSystem(() ->
                            cipher.decryptString(vip, FieldContext.of(LOCATIONS, COORDINATES, location), fromRestored)))
                    .isEqualTo(plaintext);
            com.vipride.support.DrillSummary.write(
                    "backup-restore",
                    "the test run's whole database: full dump and VIP-only dump, restored into a new database",
                    "-",
                    "a restore altered to differ from its manifest: refused",
                    "0: row counts of " + tables + " tables and the VIP digests equal; a VIP location decrypts"
                            + " from the restored copy",
                    true,
                    java.util.Map.of(
                            "tables",
                            tables,
                            "restoreVerifySeconds",
                            Math.round((System.nanoTime() - started) / 1e8) / 10.0));
        } finally {
            postgres.runAsSuperuser("postgres", "DROP DATABASE IF EXISTS " + target);
        }
    }

    @Test
    void aRestoreThatDiffersFromItsManifestFails() throws Exception {
        Path full = Path.of(run("ops/backup-full.sh", backups.toString()).trim());
        Path manifest = Path.of(full.toString().replace(".dump", ".manifest"));
        List<String> lines = Files.readAllLines(manifest).stream()
                .map(line -> line.startsWith("public.users ") ? "public.users 999999999" : line)
                .toList();
        Files.write(manifest, lines);

        String target = "restore_" + UUID.randomUUID().toString().substring(0, 8);
        try {
            Result result = execute(List.of("bash", "ops/restore-verify.sh", full.toString(), target));
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.output()).contains("-public.users 999999999").contains("differs from its manifest");
        } finally {
            postgres.runAsSuperuser("postgres", "DROP DATABASE IF EXISTS " + target);
        }
    }

    private <T> T asSystem(java.util.function.Supplier<T> work) {
        return SystemJobs.run(
                "backup-test", () -> new TransactionTemplate(transactionManager).execute(status -> work.get()));
    }

    private String tool(String name) {
        return PostgresClientTools.path(name);
    }

    private String run(String command, String... arguments) throws IOException, InterruptedException {
        List<String> line =
                new java.util.ArrayList<>(command.endsWith(".sh") ? List.of("bash", command) : List.of(command));
        line.addAll(List.of(arguments));
        Result result = execute(line);
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result.output();
    }

    private Result execute(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("PGHOST", "localhost");
        env.put("PGPORT", String.valueOf(postgres.port()));
        env.put("PGDATABASE", postgres.database());
        env.put("PG_BIN", Path.of(tool("pg_dump")).getParent().toString());
        env.put("RESTORE_USER", postgres.superuser());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }

    private record Result(int exitCode, String output) {}
}
