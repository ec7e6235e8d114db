package com.vipride.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.platform.security.SystemJobs;
import com.vipride.support.AuditChain;
import com.vipride.support.IntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Background jobs' transactions act as system_admin for no user; anything else outside a request is anonymous. */
class SystemJobsIT extends IntegrationTest {

    private static final String SESSION = """
            SELECT current_user AS role, current_setting('app.current_user_id', true) AS user_id""";

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private PlatformTransactionManager transactionManager;

    @Test
    void aJobsTransactionRunsAsSystemAdminForNoUser() {
        Map<String, Object> session = SystemJobs.run(
                "test", () -> inTransaction(() -> jdbc.sql(SESSION).query().singleRow()));

        assertThat(session).containsEntry("role", "system_admin").containsEntry("user_id", "");
    }

    @Test
    void outsideAJobAndARequestATransactionIsAnonymous() {
        Map<String, Object> session =
                inTransaction(() -> jdbc.sql(SESSION).query().singleRow());

        assertThat(session).containsEntry("role", "anonymous_user").containsEntry("user_id", "");
    }

    @Test
    void whatAJobChangesIsAuditedAsSystemAdminWithNoUser() {
        String name = "Fleet " + UUID.randomUUID();
        UUID fleet = SystemJobs.run(
                "test",
                () -> inTransaction(() ->
                        jdbc.sql("""
                INSERT INTO public.fleet_companies (name, registration_number, contact_email, contact_phone)
                VALUES (:name, :name, 'ops@fleet.example', '+2341234567') RETURNING id""").param("name", name).query(UUID.class).single()));

        AuditChain.drain(superuser());
        Map<String, Object> entry =
                superuser().sql("""
                SELECT db_role, user_id FROM audit.audit_log WHERE table_name = 'fleet_companies' AND record_id = :id""").param("id", fleet.toString()).query().singleRow();
        assertThat(entry).containsEntry("db_role", "system_admin").containsEntry("user_id", null);
    }

    private <T> T inTransaction(java.util.function.Supplier<T> work) {
        return new TransactionTemplate(transactionManager).execute(status -> work.get());
    }
}
