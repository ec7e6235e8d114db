package com.vipride.compliance;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Compliance officers: requests on a subject's behalf, identity checks, extensions, erasure, legal holds,
 * breach incidents and their regulator report, the data map. The database refuses every other role.
 */
@RestController
@Tag(name = "Compliance")
class ComplianceController {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final SubjectRequests requests;
    private final RequestFulfilment fulfilment;

    ComplianceController(JdbcClient jdbc, SubjectRequests requests, RequestFulfilment fulfilment) {
        this.fulfilment = fulfilment;
        this.jdbc = jdbc;
        this.requests = requests;
    }

    record OnBehalf(
            @NotNull UUID userId,

            @NotBlank @Pattern(regexp = "access|portability|rectification|erasure|restriction|objection")
            String type,

            @Size(max = 4000) String details) {}

    record Verification(@NotBlank @Size(max = 200) String method) {}

    record Extension(@NotBlank @Size(min = 3, max = 2000) String reason) {}

    record Closing(
            @NotBlank @Pattern(regexp = "completed|rejected|in_progress|deferred")
            String status,

            String outcome) {}

    record Hold(
            @NotNull UUID userId,
            @NotBlank @Size(min = 3, max = 2000) String reason) {}

    record Breach(
            @NotNull Instant detectedAt,
            @NotBlank String nature,
            @NotEmpty List<String> dataCategories,
            @NotNull @Min(0) Integer approxSubjects,
            @NotNull @Min(0) Integer approxRecords,
            @NotBlank String likelyConsequences,
            @NotBlank String measures) {}

    record BreachChange(String status, String measures, Instant regulatorNotifiedAt) {}

    record Subjects(@NotEmpty List<UUID> userIds) {}

    @PostMapping("/api/v1/compliance/privacy-requests")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "File a data-subject request on a subject's behalf (identity to be verified)")
    @Transactional
    SubjectRequests.Request file(@Valid @RequestBody OnBehalf request) {
        UUID id = jdbc.sql("SELECT compliance.file_request(:user, :type, :details)")
                .param("user", request.userId())
                .param("type", request.type())
                .param("details", request.details())
                .query(UUID.class)
                .single();
        return requests.find(id);
    }

    @GetMapping("/api/v1/compliance/privacy-requests")
    @Operation(summary = "Open data-subject requests, earliest due first")
    @Transactional(readOnly = true)
    List<SubjectRequests.Request> open() {
        return requests.open();
    }

    @GetMapping("/api/v1/compliance/privacy-requests/{id}")
    @Operation(summary = "One data-subject request")
    @Transactional(readOnly = true)
    SubjectRequests.Request one(@PathVariable UUID id) {
        return requests.find(id);
    }

    @GetMapping("/api/v1/compliance/privacy-requests/{id}/timeline")
    @Operation(summary = "Every step of a data-subject request")
    @Transactional(readOnly = true)
    List<Map<String, Object>> timeline(@PathVariable UUID id) {
        return jdbc.sql("""
                        SELECT event, actor_id, actor_role, detail::text AS detail, at
                          FROM compliance.request_events WHERE request_id = :id ORDER BY id""").param("id", id).query().listOfRows();
    }

    @PostMapping("/api/v1/compliance/privacy-requests/{id}/identity-verification")
    @Operation(summary = "Record how the subject's identity was verified")
    @Transactional
    SubjectRequests.Request verify(@PathVariable UUID id, @Valid @RequestBody Verification verification) {
        jdbc.sql("SELECT 1 FROM compliance.verify_identity(:id, :method)")
                .param("id", id)
                .param("method", verification.method())
                .query(Integer.class)
                .single();
        return requests.find(id);
    }

    @PostMapping("/api/v1/compliance/privacy-requests/{id}/extension")
    @Operation(summary = "Extend the due date once by two months, with the reason (the subject is told)")
    @Transactional
    SubjectRequests.Request extend(@PathVariable UUID id, @Valid @RequestBody Extension extension) {
        jdbc.sql("SELECT 1 FROM compliance.extend_request(:id, :reason)")
                .param("id", id)
                .param("reason", extension.reason())
                .query(Integer.class)
                .single();
        return requests.find(id);
    }

    @PostMapping("/api/v1/compliance/privacy-requests/{id}/status")
    @Operation(summary = "Move a request on: in_progress, deferred (with the reason), completed or rejected")
    @Transactional
    SubjectRequests.Request close(@PathVariable UUID id, @Valid @RequestBody Closing closing) {
        jdbc.sql("SELECT 1 FROM compliance.close_request(:id, :status, :outcome)")
                .param("id", id)
                .param("status", closing.status())
                .param("outcome", closing.outcome())
                .query(Integer.class)
                .single();
        return requests.find(id);
    }

    @PostMapping("/api/v1/compliance/privacy-requests/{id}/export")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Start the export of an access or portability request filed on the subject's behalf")
    @Transactional
    PrivacyController.ExportTicket export(@PathVariable UUID id) {
        return requests.requestExport(id);
    }

    @PostMapping("/api/v1/compliance/privacy-requests/{id}/rectification")
    @Operation(
            summary = "Apply the corrected name, e-mail or phone of a verified rectification request to the account"
                    + " (the timeline names the fields changed)")
    @Transactional
    RequestFulfilment.Outcome rectify(
            @PathVariable UUID id, @Valid @RequestBody RequestFulfilment.Rectification rectification) {
        return fulfilment.rectify(id, rectification);
    }

    @PostMapping("/api/v1/compliance/privacy-requests/{id}/restriction")
    @Operation(
            summary = "Restrict processing for the subject of a verified restriction request: no marketing, no"
                    + " analytics until lifted; rides and payments go on")
    @Transactional
    SubjectRequests.Request restrict(@PathVariable UUID id) {
        return fulfilment.restrict(id);
    }

    @DeleteMapping("/api/v1/compliance/privacy-requests/{id}/restriction")
    @Operation(summary = "Lift the restriction placed on a restriction request (the subject is told)")
    @Transactional
    SubjectRequests.Request liftRestriction(@PathVariable UUID id) {
        return fulfilment.liftRestriction(id);
    }

    @PostMapping("/api/v1/compliance/privacy-requests/{id}/objection")
    @Operation(
            summary = "Apply a verified objection: each purpose named (marketing, analytics, safety_location) is"
                    + " withdrawn in the subject's consent history")
    @Transactional
    SubjectRequests.Request object(@PathVariable UUID id, @Valid @RequestBody RequestFulfilment.Objection objection) {
        return fulfilment.object(id, objection);
    }

    @PostMapping("/api/v1/compliance/privacy-requests/{id}/erasure")
    @Operation(
            summary = "Erase the subject of a verified erasure request; 409 erasure-blocked names what blocks it"
                    + " (legal hold, open ride, open dispute, unpaid balance)")
    @Transactional
    JsonNode erase(@PathVariable UUID id) {
        return JSON.readTree(jdbc.sql("SELECT compliance.erase_subject(:id)::text")
                .param("id", id)
                .query(String.class)
                .single());
    }

    @GetMapping("/api/v1/compliance/users/{userId}/erasure-blockers")
    @Operation(summary = "What blocks erasing a user now (empty: nothing)")
    @Transactional(readOnly = true)
    List<Map<String, Object>> blockers(@PathVariable UUID userId) {
        return jdbc.sql("SELECT code, detail FROM compliance.erasure_blockers(:user)")
                .param("user", userId)
                .query()
                .listOfRows();
    }

    @PostMapping("/api/v1/compliance/legal-holds")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Place a legal hold: the user cannot be erased until it is released")
    @Transactional
    Map<String, Object> hold(@Valid @RequestBody Hold hold) {
        UUID id = jdbc.sql("SELECT compliance.place_legal_hold(:user, :reason)")
                .param("user", hold.userId())
                .param("reason", hold.reason())
                .query(UUID.class)
                .single();
        return Map.of("id", id, "userId", hold.userId());
    }

    @DeleteMapping("/api/v1/compliance/legal-holds/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Release a legal hold")
    @Transactional
    void release(@PathVariable UUID id) {
        jdbc.sql("SELECT 1 FROM compliance.release_legal_hold(:id)")
                .param("id", id)
                .query(Integer.class)
                .single();
    }

    @PostMapping("/api/v1/compliance/breaches")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record a personal-data breach; its regulator deadline is detection + 72 hours")
    @Transactional
    JsonNode recordBreach(@Valid @RequestBody Breach breach) {
        UUID id = jdbc.sql("""
                        SELECT compliance.record_breach(:detected, :nature, CAST(:categories AS text[]), :subjects,
                                                        :records, :consequences, :measures)""")
                .param("detected", Timestamp.from(breach.detectedAt()))
                .param("nature", breach.nature())
                .param("categories", breach.dataCategories().toArray(String[]::new))
                .param("subjects", breach.approxSubjects())
                .param("records", breach.approxRecords())
                .param("consequences", breach.likelyConsequences())
                .param("measures", breach.measures())
                .query(UUID.class)
                .single();
        return report(id);
    }

    @GetMapping("/api/v1/compliance/breaches")
    @Operation(summary = "The breach register: every breach with its 72-hour regulator clock, open ones first")
    @Transactional(readOnly = true)
    List<Map<String, Object>> breaches(@RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        return jdbc.sql("""
                        SELECT c.id, b.nature, c.status, c.detected_at AS "detectedAt",
                               c.regulator_deadline AS "regulatorDeadline", c.warning_at AS "warningAt",
                               c.regulator_notified_at AS "regulatorNotifiedAt", c.clock,
                               extract(epoch FROM c.time_left)::bigint AS "secondsLeft",
                               b.approx_subjects AS "approxSubjects"
                          FROM compliance.breach_clock c JOIN compliance.breach_incidents b ON b.id = c.id
                         ORDER BY c.status = 'closed', c.regulator_notified_at IS NOT NULL, c.regulator_deadline, c.id
                         LIMIT :limit""").param("limit", limit).query().listOfRows();
    }

    @PatchMapping("/api/v1/compliance/breaches/{id}")
    @Operation(summary = "Update a breach: status, measures, when the regulator was notified")
    @Transactional
    JsonNode updateBreach(@PathVariable UUID id, @RequestBody BreachChange change) {
        jdbc.sql("SELECT 1 FROM compliance.update_breach(:id, :status, :measures, :notified)")
                .param("id", id)
                .param("status", change.status())
                .param("measures", change.measures())
                .param(
                        "notified",
                        change.regulatorNotifiedAt() == null ? null : Timestamp.from(change.regulatorNotifiedAt()))
                .query(Integer.class)
                .single();
        return report(id);
    }

    @PostMapping("/api/v1/compliance/breaches/{id}/subjects")
    @Operation(summary = "List affected subjects of a breach")
    @Transactional
    Map<String, Object> addSubjects(@PathVariable UUID id, @Valid @RequestBody Subjects subjects) {
        int added = jdbc.sql("SELECT compliance.add_breach_subjects(:id, CAST(:users AS uuid[]))")
                .param("id", id)
                .param("users", subjects.userIds().toArray(UUID[]::new))
                .query(Integer.class)
                .single();
        return Map.of("added", added);
    }

    @PostMapping("/api/v1/compliance/breaches/{id}/subject-notices")
    @Operation(summary = "Notify every listed subject not yet told, through their notifications")
    @Transactional
    Map<String, Object> notifySubjects(@PathVariable UUID id) {
        int told = jdbc.sql("SELECT compliance.notify_breach_subjects(:id)")
                .param("id", id)
                .query(Integer.class)
                .single();
        return Map.of("notified", told);
    }

    @GetMapping("/api/v1/compliance/breaches/{id}/report")
    @Operation(summary = "The regulator report generated from the record: JSON, or Markdown with format=markdown")
    @Transactional(readOnly = true)
    ResponseEntity<?> report(@PathVariable UUID id, @RequestParam(defaultValue = "json") String format) {
        JsonNode report = report(id);
        if ("markdown".equals(format)) {
            return ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType("text/markdown;charset=UTF-8"))
                    .body(BreachReportMarkdown.render(report));
        }
        return ResponseEntity.ok(report);
    }

    @GetMapping("/api/v1/compliance/data-map")
    @Operation(summary = "The data map: every table with personal data, how erasure treats it, and its columns")
    @Transactional(readOnly = true)
    List<Map<String, Object>> dataMap() {
        return jdbc.sql("""
                        SELECT t.table_name, t.link, t.erasure, t.legal_basis, t.retention_years, t.purposes, t.recipients,
                               (SELECT jsonb_agg(jsonb_build_object('column', c.column_name, 'category', c.category,
                                                                    'treatment', c.treatment))::text
                                  FROM compliance.data_map_columns c WHERE c.table_name = t.table_name) AS columns
                          FROM compliance.data_map_tables t ORDER BY t.table_name, t.link""").query().listOfRows();
    }

    private JsonNode report(UUID id) {
        String json = jdbc.sql("SELECT compliance.breach_report(:id)::text")
                .param("id", id)
                .query(String.class)
                .optional()
                .orElse(null);
        if (json == null) {
            throw com.vipride.platform.web.NotFound.of("breach", id);
        }
        return JSON.readTree(json);
    }
}
