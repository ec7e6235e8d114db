package com.vipride.audit;

/**
 * One finding of {@code audit.verify_chain()}.
 *
 * @param problem {@code edited}, {@code deleted}, {@code inserted} or {@code chain_broken}
 * @param auditId the audit row (or seal) concerned
 * @param detail  what exactly does not match
 */
record ChainProblem(String problem, long auditId, String detail) {

    @Override
    public String toString() {
        return problem + " audit_id=" + auditId + ": " + detail;
    }
}
