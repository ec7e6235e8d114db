package com.vipride.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import com.vipride.support.SecurityWorld;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Holds the live database to the access matrix: every table is decided, every role holds exactly the
 * privileges the matrix gives it, and row-level security gives each role all rows or a filtered
 * subset exactly where the matrix says so. Each test reports every mismatch at once.
 */
class AccessMatrixIT extends IntegrationTest {

    private static final String OUR_RELATIONS = """
            SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname IN ('public', 'vip_data', 'audit', 'analytics', 'archive', 'compliance')
               AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                                          AND d.deptype = 'e')
             ORDER BY 1""";

    private final AccessMatrix matrix = AccessMatrix.load();
    private SecurityWorld world;

    @BeforeEach
    void world() {
        world = SecurityWorld.get(accounts(), superuser());
    }

    @Test
    void everyTableHasADecidedRowAndEveryRowIsATable() {
        List<String> live = superuser().sql(OUR_RELATIONS).query(String.class).list();

        assertThat(matrix.tables()).as("tables in access-matrix.txt").containsExactlyInAnyOrderElementsOf(live);
    }

    @Test
    void everyRoleHoldsExactlyThePrivilegesTheMatrixGivesIt() {
        List<String> mismatches = new ArrayList<>();
        for (String table : matrix.tables()) {
            for (String role : matrix.roles()) {
                for (String command : AccessMatrix.COMMANDS) {
                    boolean expected = matrix.expected(table, role, command) != '-';
                    boolean actual = holds(role, table, command);
                    if (expected != actual) {
                        mismatches.add("%s %s on %s: matrix says %s, database %s"
                                .formatted(
                                        role,
                                        command,
                                        table,
                                        expected ? "allowed" : "refused",
                                        actual ? "allows" : "refuses"));
                    }
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void rowLevelSecurityGivesEachRoleAllRowsOrItsFilteredShareAsTheMatrixSays() throws SQLException {
        List<String> mismatches = new ArrayList<>();
        try (Connection connection = dataSourceFor("app_backend").getConnection()) {
            connection.setAutoCommit(false);
            for (String table : matrix.tables()) {
                long total = superuser()
                        .sql("SELECT count(*) FROM " + table)
                        .query(Long.class)
                        .single();
                for (String role : matrix.roles()) {
                    for (String command : List.of("SELECT", "UPDATE", "DELETE")) {
                        char expected = matrix.expected(table, role, command);
                        if (expected == '-') {
                            continue;
                        }
                        Reach reach = reach(connection, role, table, command);
                        connection.rollback();
                        String problem = reach.contradicts(expected, total);
                        if (problem != null) {
                            mismatches.add(
                                    "%s %s on %s (%d rows in all): %s".formatted(role, command, table, total, problem));
                        }
                    }
                }
            }
        }
        assertThat(mismatches).isEmpty();
    }

    @Test
    void partitionsAreReachableOnlyThroughTheirParent() {
        List<String> reachable = superuser()
                .sql("""
                SELECT c.oid::regclass || ' by ' || r.rolname FROM pg_class c CROSS JOIN pg_roles r
                 WHERE c.relispartition AND c.relkind = 'r'
                   AND r.rolname = ANY(:roles)
                   AND (has_table_privilege(r.oid, c.oid, 'SELECT') OR has_table_privilege(r.oid, c.oid, 'INSERT')
                        OR has_table_privilege(r.oid, c.oid, 'UPDATE') OR has_table_privilege(r.oid, c.oid, 'DELETE'))""")
                .param("roles", matrix.roles().toArray(String[]::new))
                .query(String.class)
                .list();

        assertThat(reachable).isEmpty();
    }

    private boolean holds(String role, String table, String command) {
        String schema = table.substring(0, table.indexOf('.'));
        String sql = command.equals("DELETE")
                ? "SELECT has_schema_privilege(:role, :schema, 'USAGE') AND has_table_privilege(:role, :table, 'DELETE')"
                : "SELECT has_schema_privilege(:role, :schema, 'USAGE') AND (has_table_privilege(:role, :table, :command) "
                        + "OR has_any_column_privilege(:role, :table, :command))";
        return superuser()
                .sql(sql)
                .param("role", role)
                .param("schema", schema)
                .param("table", table)
                .param("command", command)
                .query(Boolean.class)
                .single();
    }

    /** How many rows the role reaches with the command, acting as its matrix identity. */
    private Reach reach(Connection connection, String role, String table, String command) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            if (!role.equals("app_backend")) {
                statement.execute("SET LOCAL ROLE " + role);
            }
            Optional<UUID> identity = world.identityFor(role);
            if (identity.isPresent()) {
                statement.execute("SELECT set_config('app.current_user_id', '" + identity.get() + "', true)");
            }
            String sql = switch (command) {
                case "SELECT" -> "SELECT count(*) FROM " + table;
                case "UPDATE" -> {
                    String column = updatableColumn(role, table);
                    yield "UPDATE " + table + " SET " + column + " = " + column;
                }
                default -> "DELETE FROM " + table;
            };
            Savepoint savepoint = connection.setSavepoint();
            try {
                if (command.equals("SELECT")) {
                    try (ResultSet rs = statement.executeQuery(sql)) {
                        rs.next();
                        return Reach.rows(rs.getLong(1));
                    }
                }
                return Reach.rows(statement.executeUpdate(sql));
            } catch (SQLException e) {
                connection.rollback(savepoint);
                // A row was reached but the change was refused by a WITH CHECK policy or a constraint:
                // the command reaches rows, but how many is unknown.
                if (e.getMessage().contains("violates row-level security policy")
                        || "23503".equals(e.getSQLState())
                        || "23514".equals(e.getSQLState())) {
                    return Reach.someRowsRefused(e.getMessage());
                }
                return Reach.failed(e.getMessage());
            }
        }
    }

    private String updatableColumn(String role, String table) {
        return superuser()
                .sql("""
                SELECT quote_ident(a.attname) FROM pg_attribute a
                 WHERE a.attrelid = CAST(:table AS regclass) AND a.attnum > 0 AND NOT a.attisdropped
                   AND a.attgenerated = '' AND a.attidentity = ''
                   AND has_column_privilege(:role, a.attrelid, a.attnum, 'UPDATE')
                 ORDER BY a.attnum LIMIT 1""")
                .param("role", role)
                .param("table", table)
                .query(String.class)
                .single();
    }

    private record Reach(long rows, boolean exact, String error) {

        static Reach rows(long rows) {
            return new Reach(rows, true, null);
        }

        static Reach someRowsRefused(String message) {
            return new Reach(1, false, null);
        }

        static Reach failed(String message) {
            return new Reach(0, false, message);
        }

        String contradicts(char expected, long total) {
            if (error != null) {
                return "failed: " + error;
            }
            if (total == 0) {
                return "the fixture has no rows to decide on";
            }
            if (!exact) {
                return null;
            }
            if (expected == 'a' && rows != total) {
                return "expected all rows, reached " + rows;
            }
            if (expected == 'f' && (rows == 0 || rows == total)) {
                return "expected a filtered share, reached " + rows;
            }
            return null;
        }
    }
}
