package com.vipride.vip;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A VIP profile as one reader may see it; fields the reader may not see are absent. Never logged.
 * accessLogId names the audit.vip_access_log entry this read wrote, so a disputed read can be traced.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record VipProfileView(
        UUID id,
        UUID userId,
        Integer priorityLevel,
        String clearanceLevel,
        String threatLevel,
        Boolean requiresSecurityEscort,
        String homeAddress,
        List<VipProfileRequest.EmergencyContact> emergencyContacts,
        String medicalNotes,
        Map<String, String> preferences,
        String securityNotes,
        long accessLogId) {

    @Override
    public String toString() {
        return "VipProfileView[id=" + id + ", redacted]";
    }
}
