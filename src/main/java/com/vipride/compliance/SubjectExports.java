package com.vipride.compliance;

import com.vipride.vip.export.SubjectFieldDecryption;
import com.vipride.vip.export.SubjectFieldDecryption.OpenedField;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds subject-access archives: every row the data map finds about the subject, one JSON and one CSV
 * file per table (written while the database streams the rows), the subject's VIP-encrypted fields decrypted for them through the vip capability (each
 * kind logged in the VIP access log with the requester as actor and the request as purpose, in the same
 * transaction), the manifest and the consent history, zipped and stored for a one-time download.
 */
@Service
class SubjectExports {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Duration ttl;
    private final SubjectFieldDecryption vipFields;

    SubjectExports(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            SubjectFieldDecryption vipFields,
            @Value("${vipride.compliance.export-ttl:P7D}") Duration ttl) {
        this.jdbc = jdbc;
        this.vipFields = vipFields;
        this.transactions = new TransactionTemplate(transactionManager);
        this.ttl = ttl;
    }

    /** Builds every pending export, one transaction each; returns how many were built. */
    long buildPending() {
        long built = 0;
        while (true) {
            Boolean did = transactions.execute(status -> buildOne());
            if (!Boolean.TRUE.equals(did)) {
                return built;
            }
            built++;
        }
    }

    private boolean buildOne() {
        List<Map<String, Object>> pending = jdbc.sql("SELECT export_id, user_id FROM compliance.pending_exports(1)")
                .query()
                .listOfRows();
        if (pending.isEmpty()) {
            return false;
        }
        UUID exportId = (UUID) pending.get(0).get("export_id");
        UUID userId = (UUID) pending.get(0).get("user_id");
        byte[] archive = SubjectDataExport.build(jdbc, userId, Instant.now(), () -> decrypt(exportId, userId))
                .archive();
        jdbc.sql("SELECT 1 FROM compliance.store_export(:id, :archive, CAST(:ttl AS interval))")
                .param("id", exportId)
                .param("archive", archive)
                .param("ttl", ttl.toSeconds() + " seconds")
                .query(Integer.class)
                .single();
        return true;
    }

    /** The subject's own VIP fields, decrypted for their archive (each kind logged before any is returned). */
    private List<OpenedField> decrypt(UUID exportId, UUID userId) {
        List<byte[]> envelopes = jdbc.sql("SELECT f FROM compliance.export_sealed_fields(:id) f")
                .param("id", exportId)
                .query((rs, n) -> rs.getBytes(1))
                .list();
        return envelopes.isEmpty()
                ? List.of()
                : vipFields.decryptForOwnExport(
                        userId,
                        envelopes,
                        (table, column, count) -> jdbc.sql(
                                        "SELECT compliance.log_export_decryption(:id, :table, :column, :count)")
                                .param("id", exportId)
                                .param("table", table)
                                .param("column", column)
                                .param("count", count)
                                .query(Long.class)
                                .single());
    }
}
