package com.vipride.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The spec's audit queries, run under the caller's role (only the audit roles may read the audit schema). */
@Repository
class AuditQueries {

    /** Spec: SELECT * FROM audit.audit_log WHERE table_name = … AND record_id = … ORDER BY timestamp DESC. */
    private static final String CHANGES = """
            SELECT id, "timestamp", table_schema, table_name, record_id, operation,
                   compliance.reveal_audit_values(old_values)::text AS old_values,
                   compliance.reveal_audit_values(new_values)::text AS new_values, changed_fields, user_id, db_role, host(client_ip) AS client_ip
              FROM audit.audit_log
             WHERE table_name = :table AND record_id = :record
             ORDER BY "timestamp" DESC
             LIMIT :limit""";
    /** Spec: SELECT * FROM audit.vip_access_log WHERE vip_user_id = … ORDER BY accessed_at DESC. */
    private static final String VIP_ACCESS = """
            SELECT id, vip_user_id, accessor_user_id, accessor_role, data_accessed, purpose, incident_id,
                   host(client_ip) AS client_ip, user_agent, accessed_at
              FROM audit.vip_access_log
             WHERE vip_user_id = :vip
             ORDER BY accessed_at DESC
             LIMIT :limit""";

    private final JdbcClient jdbc;

    AuditQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Drains the audit inbox first, so that changes committed a moment ago are in the answer. */
    List<Change> changes(String table, String recordId, int limit) {
        jdbc.sql("SELECT audit.drain_inbox()").query(Integer.class).list();
        return jdbc.sql(CHANGES)
                .param("table", table)
                .param("record", recordId)
                .param("limit", limit)
                .query(AuditQueries::change)
                .list();
    }

    List<VipAccess> vipAccess(UUID vip, int limit) {
        return jdbc.sql(VIP_ACCESS)
                .param("vip", vip)
                .param("limit", limit)
                .query(AuditQueries::access)
                .list();
    }

    private static Change change(ResultSet rs, int row) throws SQLException {
        java.sql.Array fields = rs.getArray("changed_fields");
        return new Change(
                rs.getLong("id"),
                rs.getTimestamp("timestamp").toInstant(),
                rs.getString("table_schema"),
                rs.getString("table_name"),
                rs.getString("record_id"),
                rs.getString("operation"),
                rs.getString("old_values"),
                rs.getString("new_values"),
                fields == null ? null : List.of((String[]) fields.getArray()),
                rs.getObject("user_id", UUID.class),
                rs.getString("db_role"),
                rs.getString("client_ip"));
    }

    private static VipAccess access(ResultSet rs, int row) throws SQLException {
        return new VipAccess(
                rs.getLong("id"),
                rs.getObject("vip_user_id", UUID.class),
                rs.getObject("accessor_user_id", UUID.class),
                rs.getString("accessor_role"),
                rs.getString("data_accessed"),
                rs.getString("purpose"),
                rs.getObject("incident_id", UUID.class),
                rs.getString("client_ip"),
                rs.getString("user_agent"),
                rs.getTimestamp("accessed_at").toInstant());
    }

    /** One audited change; old and new values are the redacted JSON the trigger stored. */
    record Change(
            long id,
            Instant timestamp,
            String tableSchema,
            String tableName,
            String recordId,
            String operation,
            String oldValues,
            String newValues,
            List<String> changedFields,
            UUID userId,
            String dbRole,
            String clientIp) {}

    record VipAccess(
            long id,
            UUID vipUserId,
            UUID accessorUserId,
            String accessorRole,
            String dataAccessed,
            String purpose,
            UUID incidentId,
            String clientIp,
            String userAgent,
            Instant accessedAt) {}
}
