package com.vipride.platform.security;

import java.util.Arrays;
import java.util.Optional;

/**
 * The database roles an end user acts as. Each name is a PostgreSQL group role from the spec's role
 * tree; the service switches into it (SET LOCAL ROLE) for every transaction the caller's request opens.
 */
public enum PlatformRole {
    SYSTEM_ADMIN("system_admin"),
    AUDIT_ADMIN("audit_admin"),
    COMPLIANCE_OFFICER("compliance_officer"),
    VIP_ADMIN("vip_admin"),
    VIP_OPERATOR("vip_operator"),
    EMERGENCY_RESPONDER("emergency_responder"),
    FLEET_ADMIN("fleet_admin"),
    DRIVER_USER("driver_user"),
    CUSTOMER_USER("customer_user"),
    SUPPORT_AGENT("support_agent"),
    HOTEL_STAFF("hotel_staff"),
    /** Unauthenticated requests: may only register, log in and refresh. */
    ANONYMOUS_USER("anonymous_user");

    private final String dbRole;

    PlatformRole(String dbRole) {
        this.dbRole = dbRole;
    }

    public String dbRole() {
        return dbRole;
    }

    static Optional<PlatformRole> fromDbRole(String name) {
        return Arrays.stream(values()).filter(r -> r.dbRole.equals(name)).findFirst();
    }
}
