package com.vipride.accounts;

import com.vipride.platform.security.PlatformRole;

/** Kinds of account (public.user_type) and the database role each acts as. */
enum UserType {
    CUSTOMER(PlatformRole.CUSTOMER_USER),
    DRIVER(PlatformRole.DRIVER_USER),
    FLEET_ADMIN(PlatformRole.FLEET_ADMIN),
    HOTEL_STAFF(PlatformRole.HOTEL_STAFF),
    SUPPORT_AGENT(PlatformRole.SUPPORT_AGENT),
    VIP_ADMIN(PlatformRole.VIP_ADMIN),
    VIP_OPERATOR(PlatformRole.VIP_OPERATOR),
    EMERGENCY_RESPONDER(PlatformRole.EMERGENCY_RESPONDER),
    AUDIT_ADMIN(PlatformRole.AUDIT_ADMIN),
    COMPLIANCE_OFFICER(PlatformRole.COMPLIANCE_OFFICER),
    SYSTEM_ADMIN(PlatformRole.SYSTEM_ADMIN);

    private final PlatformRole role;

    UserType(PlatformRole role) {
        this.role = role;
    }

    PlatformRole role() {
        return role;
    }

    static UserType fromDb(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
