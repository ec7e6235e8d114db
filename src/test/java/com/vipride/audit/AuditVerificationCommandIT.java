package com.vipride.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.VipRideApplication;
import com.vipride.support.AuditChain;
import com.vipride.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator's command, run as operators run it — the service's main class in its own JVM with
 * {@code --vipride.audit.verify-and-exit=true}, pointed at the database by the standard settings.
 */
class AuditVerificationCommandIT extends IntegrationTest {

    @Test
    void exitsZeroWhenTheChainIsIntactAndOneNamingTheRowWhenARowWasEdited() throws Exception {
        UUID rider = accounts().aRegisteredCustomer().id();
        AuditChain.sealEverything(superuser());
        long id = superuser()
                .sql("SELECT id FROM audit.audit_log WHERE table_name = 'users' AND record_id = :id")
                .param("id", rider.toString())
                .query(Long.class)
                .single();

        Run intact = verify(postgres.database());
        assertThat(intact.exitCode()).as(intact.output()).isZero();
        assertThat(intact.output()).contains("audit chain intact: sealed through audit_id");

        superuser()
                .sql("UPDATE audit.audit_log SET db_role = 'support_agent' WHERE id = :id")
                .param("id", id)
                .update();
        try {
            Run tampered = verify(postgres.database());
            assertThat(tampered.exitCode()).as(tampered.output()).isEqualTo(1);
            assertThat(tampered.output())
                    .contains("edited audit_id=" + id + ": row no longer matches its seal")
                    .contains("audit chain TAMPERED: 1 problem(s)");
        } finally {
            superuser()
                    .sql("UPDATE audit.audit_log SET db_role = 'anonymous_user' WHERE id = :id")
                    .param("id", id)
                    .update();
        }
    }

    @Test
    void exitsTwoWhenTheChainCannotBeVerified() throws Exception {
        Run run = verify("postgres");

        assertThat(run.exitCode()).as(run.output()).isEqualTo(2);
        assertThat(run.output()).contains("audit chain NOT VERIFIED");
    }

    private Run verify(String database) throws Exception {
        Process process = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        VipRideApplication.class.getName(),
                        "--spring.datasource.url=" + postgres.jdbcUrl(database),
                        "--spring.datasource.username=app_backend",
                        "--vipride.audit.verify-and-exit=true"))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(output).isTrue();
        return new Run(process.exitValue(), output);
    }

    private record Run(int exitCode, String output) {}
}
