package com.vipride.vip;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What a VIP administrator records about a VIP. Every free-text field is stored encrypted. */
record VipProfileRequest(
        UUID userId,
        @NotNull @Min(1) @Max(5) Integer priorityLevel,
        @NotNull ClearanceLevel clearanceLevel,
        @NotNull ThreatLevel threatLevel,
        Boolean requiresSecurityEscort,
        @Size(max = 500) String homeAddress,
        @Size(max = 5) List<@Valid EmergencyContact> emergencyContacts,
        @Size(max = 2000) String medicalNotes,
        @Size(max = 20) Map<@Size(max = 50) String, @Size(max = 200) String> preferences,
        @Size(max = 2000) String securityNotes) {

    record EmergencyContact(
            @NotBlank @Size(max = 100) String name,

            @NotBlank @Pattern(regexp = "\\+[1-9][0-9]{7,14}", message = "must be E.164, e.g. +2348030000000")
            String phone,

            @Size(max = 50) String relation) {}

    enum ClearanceLevel {
        government,
        corporate,
        celebrity
    }

    enum ThreatLevel {
        low,
        medium,
        high,
        critical
    }

    @Override
    public String toString() {
        return "VipProfileRequest[userId=" + userId + ", redacted]";
    }
}
