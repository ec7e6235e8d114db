package com.vipride.compliance;

import com.vipride.platform.web.NotFound;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The signed-in user's privacy: consents and their history, data-subject requests, exports. */
@RestController
@Tag(name = "Privacy")
class PrivacyController {

    private final JdbcClient jdbc;
    private final SubjectRequests requests;
    private final RequestFulfilment fulfilment;

    PrivacyController(JdbcClient jdbc, SubjectRequests requests, RequestFulfilment fulfilment) {
        this.fulfilment = fulfilment;
        this.jdbc = jdbc;
        this.requests = requests;
    }

    record Consent(
            String purpose,
            String title,
            boolean essential,
            boolean granted,
            int noticeVersion,
            String noticeText,
            java.time.Instant decidedAt,
            String channel) {}

    record ConsentChange(
            @NotNull Boolean granted,
            @Pattern(regexp = "app|web|api") String channel) {}

    record ConsentEvent(
            String purpose, boolean granted, int noticeVersion, String channel, java.time.Instant recordedAt) {}

    record NewRequest(
            @NotBlank @Pattern(regexp = "access|portability|rectification|erasure|restriction|objection")
            String type,

            @Size(max = 4000) String details) {}

    record ExportTicket(UUID exportId, UUID requestId, String downloadToken, String downloadPath) {}

    @GetMapping("/api/v1/me/consents")
    @Operation(summary = "Each consent purpose, its current notice and whether the signed-in user consents")
    @Transactional(readOnly = true)
    List<Consent> consents() {
        return jdbc.sql("SELECT * FROM compliance.my_consents()")
                .query((rs, n) -> new Consent(
                        rs.getString("purpose"),
                        rs.getString("title"),
                        rs.getBoolean("essential"),
                        rs.getBoolean("granted"),
                        rs.getInt("notice_version"),
                        rs.getString("notice_text"),
                        rs.getTimestamp("decided_at") == null
                                ? null
                                : rs.getTimestamp("decided_at").toInstant(),
                        rs.getString("channel")))
                .list();
    }

    @PutMapping("/api/v1/me/consents/{purpose}")
    @Operation(summary = "Grant or withdraw consent for a purpose under its current notice (recorded in the history)")
    @Transactional
    List<Consent> changeConsent(@PathVariable String purpose, @Valid @RequestBody ConsentChange change) {
        jdbc.sql("SELECT compliance.record_consent(:purpose, :granted, :channel)")
                .param("purpose", purpose)
                .param("granted", change.granted())
                .param("channel", change.channel() == null ? "api" : change.channel())
                .query(Long.class)
                .single();
        return consents();
    }

    @GetMapping("/api/v1/me/consents/history")
    @Operation(summary = "Every grant and withdrawal of the signed-in user, oldest first")
    @Transactional(readOnly = true)
    List<ConsentEvent> consentHistory() {
        return jdbc.sql("SELECT * FROM compliance.consent_history(public.current_app_user_id())")
                .query((rs, n) -> new ConsentEvent(
                        rs.getString("purpose"),
                        rs.getBoolean("granted"),
                        rs.getInt("notice_version"),
                        rs.getString("channel"),
                        rs.getTimestamp("recorded_at").toInstant()))
                .list();
    }

    @PostMapping("/api/v1/me/privacy-requests")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "File a data-subject request (due in one month); the signed-in session verifies the identity")
    @Transactional
    SubjectRequests.Request file(@Valid @RequestBody NewRequest request) {
        UUID id = jdbc.sql("SELECT compliance.file_request(public.current_app_user_id(), :type, :details)")
                .param("type", request.type())
                .param("details", request.details())
                .query(UUID.class)
                .single();
        return requests.find(id);
    }

    @GetMapping("/api/v1/me/privacy-requests")
    @Operation(summary = "The signed-in user's data-subject requests, newest first")
    @Transactional(readOnly = true)
    List<SubjectRequests.Request> mine() {
        return requests.mine();
    }

    @PostMapping("/api/v1/me/privacy-requests/{id}/export")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(
            summary = "Ask for the export of an access or portability request: a job builds the archive; the answer"
                    + " holds the one-time download token (shown only here)")
    @Transactional
    ExportTicket export(@PathVariable UUID id) {
        return requests.requestExport(id);
    }

    @PostMapping("/api/v1/me/privacy-requests/{id}/rectification")
    @Operation(summary = "Correct your name, e-mail or phone on your rectification request")
    @Transactional
    RequestFulfilment.Outcome rectify(
            @PathVariable UUID id, @Valid @RequestBody RequestFulfilment.Rectification rectification) {
        return fulfilment.rectify(id, rectification);
    }

    @PostMapping("/api/v1/me/privacy-requests/{id}/restriction")
    @Operation(summary = "Restrict processing of your data (no marketing, no analytics) on your restriction request")
    @Transactional
    SubjectRequests.Request restrict(@PathVariable UUID id) {
        return fulfilment.restrict(id);
    }

    @DeleteMapping("/api/v1/me/privacy-requests/{id}/restriction")
    @Operation(summary = "Lift the restriction you asked for")
    @Transactional
    SubjectRequests.Request liftRestriction(@PathVariable UUID id) {
        return fulfilment.liftRestriction(id);
    }

    @PostMapping("/api/v1/me/privacy-requests/{id}/objection")
    @Operation(summary = "Object to purposes (marketing, analytics, safety_location): each is withdrawn")
    @Transactional
    SubjectRequests.Request object(@PathVariable UUID id, @Valid @RequestBody RequestFulfilment.Objection objection) {
        return fulfilment.object(id, objection);
    }

    @GetMapping("/api/v1/me/privacy-exports/{id}")
    @Operation(summary = "The state of one of the signed-in user's exports (pending, ready, downloaded, expired)")
    @Transactional(readOnly = true)
    Map<String, Object> exportStatus(@PathVariable UUID id) {
        return jdbc.sql("""
                        SELECT id, status, size_bytes, created_at, ready_at, expires_at, downloaded_at
                          FROM compliance.exports WHERE id = :id""").param("id", id).query().listOfRows().stream()
                .findFirst()
                .orElseThrow(() -> NotFound.of("export", id));
    }

    @GetMapping("/api/v1/me/privacy-exports/{id}/download")
    @Operation(summary = "Download a ready export once with its token; afterwards, or after it expired, 404")
    @Transactional
    ResponseEntity<byte[]> download(@PathVariable UUID id, @RequestParam String token) {
        byte[] archive = jdbc.sql("SELECT compliance.claim_export(:id, sha256(convert_to(:token, 'UTF8')))")
                .param("id", id)
                .param("token", token)
                .query((rs, n) -> rs.getBytes(1))
                .list()
                .get(0);
        if (archive == null) {
            throw NotFound.of("downloadable export", id);
        }
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/zip"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"personal-data-" + id + ".zip\"")
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(archive);
    }
}
