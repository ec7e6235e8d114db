package com.vipride.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.Registered;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** The spec's role tree, and the limits of the runtime login, as PostgreSQL holds them. */
class RoleTreeIT extends IntegrationTest {

    private static final List<String> GROUP_ROLES = List.of(
            "system_admin",
            "audit_admin",
            "compliance_officer",
            "authenticated_user",
            "vip_admin",
            "vip_operator",
            "emergency_responder",
            "fleet_admin",
            "driver_user",
            "customer_user",
            "support_agent",
            "hotel_staff");

    /** parent -> child, stored as "parent is a member of child" (the parent may act as the child). */
    private static final Set<String> TREE_EDGES = Set.of(
            "system_admin>audit_admin",
            "system_admin>compliance_officer",
            "system_admin>authenticated_user",
            "authenticated_user>vip_admin",
            "authenticated_user>fleet_admin",
            "authenticated_user>driver_user",
            "authenticated_user>customer_user",
            "authenticated_user>support_agent",
            "authenticated_user>hotel_staff",
            "vip_admin>vip_operator",
            "vip_admin>emergency_responder");

    @Test
    void allTwelveGroupRolesExistAndNoneCanLogInOrInherit() {
        List<Map<String, Object>> roles = superuser()
                .sql("""
                SELECT rolname, rolcanlogin, rolinherit, rolsuper, rolbypassrls FROM pg_roles
                 WHERE rolname = ANY(:names)""")
                .param("names", GROUP_ROLES.toArray(String[]::new))
                .query()
                .listOfRows();

        assertThat(roles)
                .hasSize(12)
                .allSatisfy(role -> assertThat(role)
                        .containsEntry("rolcanlogin", false)
                        .containsEntry("rolinherit", false)
                        .containsEntry("rolsuper", false)
                        .containsEntry("rolbypassrls", false));
    }

    @Test
    void membershipsAmongTheGroupRolesAreExactlyTheTreesEdges() {
        Set<String> edges = superuser()
                .sql("""
                SELECT m.rolname || '>' || r.rolname FROM pg_auth_members am
                  JOIN pg_roles m ON m.oid = am.member JOIN pg_roles r ON r.oid = am.roleid
                 WHERE m.rolname = ANY(:names) AND r.rolname = ANY(:names)""")
                .param("names", GROUP_ROLES.toArray(String[]::new))
                .query(String.class)
                .set();

        assertThat(edges).isEqualTo(TREE_EDGES);
    }

    @Test
    void runtimeLoginIsNotSuperuserCannotBypassRlsAndInheritsNothing() {
        Map<String, Object> appBackend = superuser()
                .sql(
                        "SELECT rolcanlogin, rolsuper, rolbypassrls, rolinherit, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'app_backend'")
                .query()
                .singleRow();

        assertThat(appBackend)
                .containsEntry("rolcanlogin", true)
                .containsEntry("rolsuper", false)
                .containsEntry("rolbypassrls", false)
                .containsEntry("rolinherit", false)
                .containsEntry("rolcreaterole", false)
                .containsEntry("rolcreatedb", false);
    }

    @Test
    void runtimeLoginOwnsNothingAndASeparateOwnerOwnsEveryTable() {
        long owned = superuser().sql("""
                SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid)
                     + (SELECT count(*) FROM pg_proc WHERE proowner = r.oid)
                     + (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid)
                     + (SELECT count(*) FROM pg_type WHERE typowner = r.oid)
                  FROM pg_roles r WHERE r.rolname = 'app_backend'""").query(Long.class).single();
        Set<String> tableOwners = superuser().sql("""
                SELECT DISTINCT tableowner FROM pg_tables
                 WHERE schemaname IN ('public', 'vip_data', 'audit', 'analytics', 'archive', 'monitoring', 'maintenance')""").query(String.class).set();

        assertThat(owned).isZero();
        assertThat(tableOwners).containsExactly("vipride_owner");
    }

    @Test
    void runtimeLoginReadsNothingUntilItSwitchesIntoACallersRole() {
        Registered customer = accounts().aRegisteredCustomer();

        assertThatThrownBy(() -> loginAs("app_backend")
                        .sql("SELECT count(*) FROM public.users")
                        .query(Long.class)
                        .single())
                .rootCause()
                .hasMessageContaining("permission denied");

        JdbcClient session = singleSession("app_backend");
        session.sql("SELECT set_config('role', 'customer_user', false), set_config('app.current_user_id', :id, false)")
                .param("id", customer.id().toString())
                .query()
                .singleRow();
        assertThat(session.sql("SELECT id FROM public.users").query(UUID.class).list())
                .containsExactly(customer.id());
    }

    @Test
    void runtimeLoginCanBecomeEveryEndUserRoleButNotTheOwner() {
        JdbcClient session = singleSession("app_backend");
        for (String role : GROUP_ROLES) {
            session.sql("SET ROLE " + role).update();
            assertThat(session.sql("SELECT current_user").query(String.class).single())
                    .isEqualTo(role);
            session.sql("RESET ROLE").update();
        }
        assertThatThrownBy(() -> session.sql("SET ROLE vipride_owner").update())
                .rootCause()
                .hasMessageContaining("permission denied");
    }

    @Test
    void anotherLoginCannotForgeTheServicesIdentitySetting() {
        Registered victim = accounts().aRegisteredCustomer();
        superuser().sql("""
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'test_direct_login') THEN
                    CREATE ROLE test_direct_login LOGIN;
                  END IF;
                END $$""").update();
        superuser().sql("GRANT customer_user TO test_direct_login").update();
        superuser()
                .sql("GRANT CONNECT ON DATABASE " + postgres.database() + " TO test_direct_login")
                .update();

        JdbcClient session = singleSession("test_direct_login");
        session.sql("SELECT set_config('role', 'customer_user', false), set_config('app.current_user_id', :id, false)")
                .param("id", victim.id().toString())
                .query()
                .singleRow();

        assertThat(session.sql("SELECT count(*) FROM public.users")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void rowLevelSecurityIsEnabledAndForcedOnEveryTableHoldingPersonalData() {
        List<String> unprotected = superuser().sql("""
                SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
                   AND n.nspname IN ('public', 'vip_data', 'audit')
                   AND c.relname <> 'flyway_schema_history'
                   AND NOT (c.relrowsecurity AND c.relforcerowsecurity)""").query(String.class).list();

        assertThat(unprotected).isEmpty();
    }

    @Test
    void vipOperatorReadsButCannotWriteVipProfilesWhileVipAdminCan() {
        Registered vip = accounts().aRegisteredCustomer();
        JdbcClient session = singleSession("app_backend");

        session.sql("SET ROLE vip_operator").update();
        assertThatThrownBy(() -> session.sql("INSERT INTO vip_data.vip_profiles (user_id) VALUES (:id)")
                        .param("id", vip.id())
                        .update())
                .rootCause()
                .hasMessageContaining("permission denied");

        session.sql("SET ROLE vip_admin").update();
        assertThat(session.sql("INSERT INTO vip_data.vip_profiles (user_id) VALUES (:id)")
                        .param("id", vip.id())
                        .update())
                .isEqualTo(1);

        session.sql("SET ROLE vip_operator").update();
        assertThat(session.sql("SELECT count(*) FROM vip_data.vip_profiles WHERE user_id = :id")
                        .param("id", vip.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void backupLoginReadsEverythingButOwnsAndWritesNothing() {
        Map<String, Object> backup = superuser()
                .sql(
                        "SELECT rolcanlogin, rolsuper, rolbypassrls, pg_has_role('vipride_backup', 'pg_read_all_data', 'USAGE') AS reads_all "
                                + "FROM pg_roles WHERE rolname = 'vipride_backup'")
                .query()
                .singleRow();
        assertThat(backup)
                .containsEntry("rolcanlogin", true)
                .containsEntry("rolsuper", false)
                .containsEntry("rolbypassrls", true)
                .containsEntry("reads_all", true);

        accounts().aRegisteredCustomer();
        assertThat(loginAs("vipride_backup")
                        .sql("SELECT count(*) FROM public.users")
                        .query(Long.class)
                        .single())
                .isPositive();
        assertThatThrownBy(() -> loginAs("vipride_backup")
                        .sql("DELETE FROM public.users")
                        .update())
                .rootCause()
                .hasMessageContaining("permission denied");
    }

    private JdbcClient singleSession(String login) {
        try {
            return JdbcClient.create(
                    new SingleConnectionDataSource(dataSourceFor(login).getConnection(), true));
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
