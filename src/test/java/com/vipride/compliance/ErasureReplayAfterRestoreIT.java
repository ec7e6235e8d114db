package com.vipride.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.IntegrationTest;
import com.vipride.support.PostgresClientTools;
import com.vipride.support.TestAccounts.SignedIn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A backup taken before an erasure brings the person back when restored; ops/replay-erasures.sh with the
 * erasure log exported afterwards (ops/export-erasure-log.sh) erases them again in the restored database.
 */
class ErasureReplayAfterRestoreIT extends IntegrationTest {

    @TempDir
    Path backups;

    @Test
    void aRestoredBackupIsErasedAgainByReplayingTheErasureLog() throws Exception {
        PrivacyFixture subject = new PrivacyFixture(api(), superuser());
        Path dump =
                Path.of(run(Map.of(), "ops/backup-full.sh", backups.toString()).trim());

        UUID request = subject.fileRequest("erasure");
        SignedIn officer = accounts().aSignedInStaffMember("compliance_officer");
        Api.Response erased = api().post(
                        "/api/v1/compliance/privacy-requests/" + request + "/erasure", Map.of(), officer.accessToken());
        assertThat(erased.status()).as(erased.toString()).isEqualTo(200);
        Path log = backups.resolve("erasure-log.json");
        Files.writeString(log, run(Map.of(), "ops/export-erasure-log.sh"));
        assertThat(Files.readString(log)).contains(subject.userId.toString());

        String target = "restore_" + UUID.randomUUID().toString().substring(0, 8);
        try {
            assertThat(run(Map.of(), "ops/restore-verify.sh", dump.toString(), target))
                    .contains("verified");
            JdbcClient restored = JdbcClient.create(postgres.superuserDataSource(target));
            assertThat(emailIn(restored, subject.userId))
                    .as("the backup predates the erasure")
                    .isEqualTo(subject.email);

            String replayed = run(Map.of("PGDATABASE", target), "ops/replay-erasures.sh", log.toString());

            assertThat(replayed.trim()).isNotEqualTo("0");
            assertThat(emailIn(restored, subject.userId))
                    .isNotEqualTo(subject.email)
                    .endsWith("@erased.invalid");
            assertThat(restored.sql("SELECT audit_key IS NULL FROM compliance.subject_audit_keys WHERE user_id = :id")
                            .param("id", subject.userId)
                            .query(Boolean.class)
                            .single())
                    .as("the subject's audit key is destroyed again")
                    .isTrue();
        } finally {
            postgres.runAsSuperuser("postgres", "DROP DATABASE IF EXISTS " + target);
        }
    }

    private static String emailIn(JdbcClient database, UUID user) {
        return database.sql("SELECT email FROM public.users WHERE id = :id")
                .param("id", user)
                .query(String.class)
                .single();
    }

    private String run(Map<String, String> extraEnv, String script, String... arguments)
            throws IOException, InterruptedException {
        List<String> line = new java.util.ArrayList<>(List.of("bash", script));
        line.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(line);
        Map<String, String> env = builder.environment();
        env.put("PGHOST", "localhost");
        env.put("PGPORT", String.valueOf(postgres.port()));
        env.put("PGDATABASE", postgres.database());
        env.put(
                "PG_BIN",
                Path.of(PostgresClientTools.path("pg_dump")).getParent().toString());
        env.put("RESTORE_USER", postgres.superuser());
        env.putAll(extraEnv);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output + errors).isZero();
        return output;
    }
}
