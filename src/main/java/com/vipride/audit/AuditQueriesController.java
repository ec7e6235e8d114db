package com.vipride.audit;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.UUID;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail and the VIP access log for audit_admin and compliance_officer; anyone else gets 403. */
@RestController
@Tag(name = "Audit")
class AuditQueriesController {

    private final AuditQueries queries;
    private final AuditSeals seals;

    AuditQueriesController(AuditQueries queries, AuditSeals seals) {
        this.queries = queries;
        this.seals = seals;
    }

    record ChainVerification(boolean intact, java.time.Instant checkedAt, List<ChainProblem> problems) {}

    @GetMapping("/api/v1/audit/chain-verification")
    @Operation(
            summary = "Verify the audit trail's hash chain now: every edited, deleted or inserted row and broken"
                    + " link (audit_admin, compliance_officer, system_admin)")
    @Transactional(readOnly = true)
    ChainVerification verifyChain() {
        List<ChainProblem> problems = seals.verifyChain(java.time.Duration.ofDays(1));
        return new ChainVerification(problems.isEmpty(), java.time.Instant.now(), problems);
    }

    @GetMapping("/api/v1/audit/changes")
    @Operation(summary = "Change history of one record, newest first (audit roles)")
    @Transactional
    List<AuditQueries.Change> changes(
            @RequestParam @Pattern(regexp = "[a-z_]{1,63}") String table,
            @RequestParam @Pattern(regexp = "[A-Za-z0-9_-]{1,100}") String recordId,
            @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        return queries.changes(table, recordId, limit);
    }

    @GetMapping("/api/v1/audit/vip-access")
    @Operation(summary = "Who read a VIP's data, when, why and from where, newest first (audit roles)")
    @Transactional(readOnly = true)
    List<AuditQueries.VipAccess> vipAccess(
            @RequestParam UUID vipUserId, @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        return queries.vipAccess(vipUserId, limit);
    }
}
