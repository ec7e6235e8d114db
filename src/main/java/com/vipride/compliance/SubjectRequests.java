package com.vipride.compliance;

import com.vipride.platform.web.NotFound;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Reads data-subject requests as the caller may see them, and starts exports. */
@Service
class SubjectRequests {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String COLUMNS = """
            SELECT id, user_id, request_type, status, channel, received_at, due_at, extended_at, extension_reason,
                   identity_verified_at, identity_method, deferred_reason, completed_at, outcome
              FROM compliance.subject_requests""";

    record Request(
            UUID id,
            UUID userId,
            String type,
            String status,
            String channel,
            Instant receivedAt,
            Instant dueAt,
            Instant extendedAt,
            String extensionReason,
            Instant identityVerifiedAt,
            String identityMethod,
            String deferredReason,
            Instant completedAt,
            String outcome) {}

    private final JdbcClient jdbc;

    SubjectRequests(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Request find(UUID id) {
        return jdbc.sql(COLUMNS + " WHERE id = :id")
                .param("id", id)
                .query(SubjectRequests::row)
                .optional()
                .orElseThrow(() -> NotFound.of("privacy request", id));
    }

    List<Request> mine() {
        return jdbc.sql(COLUMNS + " WHERE user_id = public.current_app_user_id() ORDER BY received_at DESC")
                .query(SubjectRequests::row)
                .list();
    }

    List<Request> open() {
        return jdbc.sql(COLUMNS + " WHERE completed_at IS NULL ORDER BY due_at")
                .query(SubjectRequests::row)
                .list();
    }

    PrivacyController.ExportTicket requestExport(UUID requestId) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        UUID exportId = jdbc.sql("SELECT compliance.request_export(:request, :hash)")
                .param("request", requestId)
                .param("hash", sha256(token))
                .query(UUID.class)
                .single();
        return new PrivacyController.ExportTicket(
                exportId, requestId, token, "/api/v1/me/privacy-exports/" + exportId + "/download?token=" + token);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Request row(ResultSet rs, int n) throws SQLException {
        return new Request(
                rs.getObject("id", UUID.class),
                rs.getObject("user_id", UUID.class),
                rs.getString("request_type"),
                rs.getString("status"),
                rs.getString("channel"),
                instant(rs.getTimestamp("received_at")),
                instant(rs.getTimestamp("due_at")),
                instant(rs.getTimestamp("extended_at")),
                rs.getString("extension_reason"),
                instant(rs.getTimestamp("identity_verified_at")),
                rs.getString("identity_method"),
                rs.getString("deferred_reason"),
                instant(rs.getTimestamp("completed_at")),
                rs.getString("outcome"));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
