/**
 * Audit: the change history and the VIP access log for the audit roles, and the tamper evidence of
 * {@code audit.audit_log} — a background job seals new rows into a hash chain, and a verification
 * command reports any row edited, inserted or deleted behind the chain's back. Uses platform (security).
 */
@ApplicationModule(allowedDependencies = "platform::security")
package com.vipride.audit;

import org.springframework.modulith.ApplicationModule;
