package com.vipride.accounts;

import com.fasterxml.jackson.annotation.JsonValue;

/** The roles a staff account can hold (public.user_type without customer and driver). */
enum StaffRole {
    SYSTEM_ADMIN("system_admin"),
    SUPPORT_AGENT("support_agent"),
    COMPLIANCE_OFFICER("compliance_officer"),
    AUDIT_ADMIN("audit_admin"),
    VIP_ADMIN("vip_admin"),
    VIP_OPERATOR("vip_operator"),
    EMERGENCY_RESPONDER("emergency_responder"),
    /** Administers one fleet: give {@code fleetId}. */
    FLEET_ADMIN("fleet_admin"),
    /** Works for one hotel: give {@code hotelId}. */
    HOTEL_STAFF("hotel_staff");

    private final String userType;

    StaffRole(String userType) {
        this.userType = userType;
    }

    @JsonValue
    String userType() {
        return userType;
    }

    @Override
    public String toString() {
        return userType;
    }
}
