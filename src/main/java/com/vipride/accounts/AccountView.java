package com.vipride.accounts;

import java.time.Instant;
import java.util.UUID;

/** The signed-in user's own account as the API shows it. Never includes secrets. */
record AccountView(
        UUID id,
        String email,
        String phone,
        String firstName,
        String lastName,
        String role,
        String userType,
        String tier,
        Language preferredLanguage,
        boolean marketingConsent,
        boolean dataProcessingConsent,
        Instant createdAt) {}
