package com.vipride.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.vipride.support.AuditChain;
import com.vipride.support.IntegrationTest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The sealed audit log is tamper-evident: whatever a superuser edits, forges or deletes behind the
 * chain's back, audit.verify_chain() names it. Each test tampers with rows it made itself and puts
 * them back afterwards, so the shared chain stays intact for every other test.
 */
class AuditChainIT extends IntegrationTest {

    private static final String VERIFY = "SELECT problem, audit_id, detail FROM audit.verify_chain()";
    private static final String ISSUE_ID = "SELECT nextval(pg_get_serial_sequence('audit.audit_log', 'id'))";
    private static final String FORGE = """
            INSERT INTO audit.audit_log (id, table_schema, table_name, record_id, operation, new_values, db_role)
            OVERRIDING SYSTEM VALUE
            VALUES (:id, 'public', 'users', :record, 'INSERT', '{"first_name": "Mallory"}', 'system_admin')""";

    @Test
    void aSealedAuditLogVerifiesClean() {
        List<Long> ids = sealedHistoryOfANewRider();

        assertThat(problems()).isEmpty();
        assertThat(superuser()
                        .sql("SELECT count(*) FROM audit.audit_log_seals WHERE audit_id IN (:ids)")
                        .param("ids", ids)
                        .query(Long.class)
                        .single())
                .isEqualTo(ids.size());
    }

    @Test
    void anEditedRowIsReportedAsEdited() {
        long id = sealedHistoryOfANewRider().get(0);
        String original = superuser()
                .sql("SELECT new_values::text FROM audit.audit_log WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single();

        superuser()
                .sql(
                        "UPDATE audit.audit_log SET new_values = new_values || '{\"first_name\": \"Mallory\"}' WHERE id = :id")
                .param("id", id)
                .update();
        try {
            assertThat(problemsAbout(id)).containsExactly(tuple("edited", id));
        } finally {
            superuser()
                    .sql("UPDATE audit.audit_log SET new_values = CAST(:original AS jsonb) WHERE id = :id")
                    .param("original", original)
                    .param("id", id)
                    .update();
        }
        assertThat(problemsAbout(id)).isEmpty();
    }

    @Test
    void aForgedRowIsReportedAsInsertedWhetherItsIdWasSkippedOrNeverIssued() {
        long skipped = superuser().sql(ISSUE_ID).query(Long.class).single();
        long latest = sealedHistoryOfANewRider().get(0);
        long neverIssued = latest + 1_000_000_000L;

        try {
            for (long id : List.of(skipped, neverIssued)) {
                superuser()
                        .sql(FORGE)
                        .param("id", id)
                        .param("record", UUID.randomUUID().toString())
                        .update();
            }
            assertThat(problemsAbout(skipped)).containsExactly(tuple("inserted", skipped));
            assertThat(problemsAbout(neverIssued)).containsExactly(tuple("inserted", neverIssued));
        } finally {
            superuser()
                    .sql("DELETE FROM audit.audit_log WHERE id IN (:ids)")
                    .param("ids", List.of(skipped, neverIssued))
                    .update();
        }
        assertThat(problems()).isEmpty();
    }

    @Test
    void aDeletedRowIsReportedAsDeleted() {
        long id = sealedHistoryOfANewRider().get(0);
        String row = superuser()
                .sql("SELECT to_jsonb(a)::text FROM audit.audit_log a WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single();

        superuser()
                .sql("DELETE FROM audit.audit_log WHERE id = :id")
                .param("id", id)
                .update();
        try {
            assertThat(problemsAbout(id)).containsExactly(tuple("deleted", id));
        } finally {
            superuser().sql("""
                    INSERT INTO audit.audit_log OVERRIDING SYSTEM VALUE
                    SELECT * FROM jsonb_populate_record(NULL::audit.audit_log, CAST(:row AS jsonb))""").param("row", row).update();
        }
        assertThat(problemsAbout(id)).isEmpty();
    }

    @Test
    void anAlteredSealIsReportedAndBreaksTheChain() {
        long id = sealedHistoryOfANewRider().get(0);

        superuser()
                .sql("UPDATE audit.audit_log_seals SET row_hash = sha256(row_hash) WHERE audit_id = :id")
                .param("id", id)
                .update();
        try {
            assertThat(problemsAbout(id)).containsExactlyInAnyOrder(tuple("edited", id), tuple("chain_broken", id));
        } finally {
            superuser().sql("""
                    UPDATE audit.audit_log_seals s SET row_hash = audit.row_digest(to_jsonb(a))
                      FROM audit.audit_log a WHERE a.id = s.audit_id AND s.audit_id = :id""").param("id", id).update();
        }
        assertThat(problemsAbout(id)).isEmpty();
    }

    @Test
    void aRewrittenChainHashIsReportedWhereTheChainBreaks() {
        long id = sealedHistoryOfANewRider().get(1);
        byte[] original = superuser()
                .sql("SELECT chain_hash FROM audit.audit_log_seals WHERE audit_id = :id")
                .param("id", id)
                .query(byte[].class)
                .single();

        superuser()
                .sql("UPDATE audit.audit_log_seals SET chain_hash = sha256(chain_hash) WHERE audit_id = :id")
                .param("id", id)
                .update();
        try {
            assertThat(problemsAbout(id)).containsExactly(tuple("chain_broken", id));
            assertThat(problems())
                    .extracting(ChainProblem::problem)
                    .as("the next seal no longer follows either")
                    .hasSize(2)
                    .containsOnly("chain_broken");
        } finally {
            superuser()
                    .sql("UPDATE audit.audit_log_seals SET chain_hash = :original WHERE audit_id = :id")
                    .param("original", original)
                    .param("id", id)
                    .update();
        }
        assertThat(problems()).isEmpty();
    }

    @Test
    void noRoleCanChangeOrDeleteAuditRowsOrTheirSeals() throws SQLException {
        List<String> allowed = new ArrayList<>();
        List<String> roles = List.of(
                "system_admin",
                "audit_admin",
                "compliance_officer",
                "vip_admin",
                "support_agent",
                "customer_user",
                "anonymous_user",
                "app_backend");
        List<String> writes = List.of(
                "UPDATE audit.audit_log SET db_role = 'x'",
                "DELETE FROM audit.audit_log",
                "UPDATE audit.audit_log_seals SET row_hash = row_hash",
                "DELETE FROM audit.audit_log_seals",
                "INSERT INTO audit.audit_log_seals (audit_id, audit_timestamp, row_hash, chain_hash) "
                        + "VALUES (-1, now(), sha256(''), sha256(''))",
                "UPDATE audit.chain_anchors SET sealed_through_id = 0",
                "DELETE FROM audit.chain_anchors");
        try (Connection connection = dataSourceFor("app_backend").getConnection()) {
            connection.setAutoCommit(false);
            for (String role : roles) {
                for (String write : writes) {
                    try (Statement statement = connection.createStatement()) {
                        if (!role.equals("app_backend")) {
                            statement.execute("SET LOCAL ROLE " + role);
                        }
                        statement.executeUpdate(write);
                        allowed.add(role + ": " + write);
                    } catch (SQLException refused) {
                        if (!refused.getMessage().contains("permission denied")) {
                            allowed.add(role + ": " + write + " failed otherwise: " + refused.getMessage());
                        }
                    } finally {
                        connection.rollback();
                    }
                }
            }
        }
        assertThat(allowed).isEmpty();

        var owner = loginAs("vipride_owner");
        assertThat(owner.sql("UPDATE audit.audit_log_seals SET row_hash = row_hash")
                        .update())
                .as("FORCE RLS leaves the owner nothing to change")
                .isZero();
        assertThat(owner.sql("DELETE FROM audit.audit_log_seals").update()).isZero();
        assertThat(owner.sql("DELETE FROM audit.chain_anchors").update()).isZero();
    }

    @Test
    void auditorsAndAdministratorsMayVerifyButOnlyAdministratorsMaySeal() throws SQLException {
        try (Connection connection = dataSourceFor("app_backend").getConnection()) {
            connection.setAutoCommit(false);
            for (String role :
                    List.of("system_admin", "audit_admin", "compliance_officer", "customer_user", "support_agent")) {
                boolean administers = role.equals("system_admin") || role.equals("audit_admin");
                boolean audits = administers || role.equals("compliance_officer");
                assertThat(mayRun(connection, role, "SELECT count(*) FROM audit.verify_chain()"))
                        .as(role)
                        .isEqualTo(audits);
                assertThat(mayRun(connection, role, "SELECT audit.seal_pending(1, interval '0')"))
                        .as(role)
                        .isEqualTo(administers);
            }
        }
    }

    private static boolean mayRun(Connection connection, String role, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL ROLE " + role);
            statement.execute(sql);
            return true;
        } catch (SQLException e) {
            assertThat(e.getMessage()).contains("permission denied");
            return false;
        } finally {
            connection.rollback();
        }
    }

    /** A new rider's audit rows (registration and an update), sealed; newest first. */
    private List<Long> sealedHistoryOfANewRider() {
        UUID rider = accounts().aRegisteredCustomer().id();
        superuser()
                .sql("UPDATE public.users SET last_name = 'Okafor' WHERE id = :id")
                .param("id", rider)
                .update();
        AuditChain.sealEverything(superuser());
        return superuser()
                .sql("SELECT id FROM audit.audit_log WHERE table_name = 'users' AND record_id = :id ORDER BY id DESC")
                .param("id", rider.toString())
                .query(Long.class)
                .list();
    }

    private List<ChainProblem> problems() {
        return superuser()
                .sql(VERIFY)
                .query((rs, row) ->
                        new ChainProblem(rs.getString("problem"), rs.getLong("audit_id"), rs.getString("detail")))
                .list();
    }

    private List<org.assertj.core.groups.Tuple> problemsAbout(long id) {
        return problems().stream()
                .filter(p -> p.auditId() == id)
                .map(p -> tuple(p.problem(), p.auditId()))
                .toList();
    }
}
