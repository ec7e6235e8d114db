package com.vipride.accounts;

import java.time.Instant;
import java.util.UUID;

/**
 * The created staff account. {@code invitation} is present only for an invited account: its token is
 * shown this once (only its hash is stored) for the administrator to hand to the invitee.
 */
record StaffMemberCreated(UUID id, String email, StaffRole role, UUID fleetId, UUID hotelId, Invitation invitation) {

    record Invitation(String token, Instant expiresAt) {

        @Override
        public String toString() {
            return "Invitation[token=redacted, expiresAt=" + expiresAt + "]";
        }
    }
}
