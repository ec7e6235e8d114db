package com.vipride.accounts;

import java.time.Instant;
import java.util.UUID;

/**
 * The signed-in user's own account as the API shows it. Never includes secrets. {@code fleetId} and
 * {@code hotelId} name the fleet a fleet admin administers and the hotel a hotel staff member works for
 * (otherwise null).
 */
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
        Instant createdAt,
        UUID fleetId,
        UUID hotelId) {}
