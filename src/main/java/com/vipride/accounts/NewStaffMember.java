package com.vipride.accounts;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/**
 * A staff account a system admin creates: a role (with its fleet or hotel for fleet_admin and
 * hotel_staff), and either an initial {@code password} or {@code invite: true} for a one-time token
 * the invitee sets their own password with.
 */
record NewStaffMember(
        @NotBlank @Email @Size(max = 254) String email,

        @Size(min = 1, max = 32) @Pattern(regexp = ".*\\S.*", message = "must not be blank")
        String phone,

        @NotBlank @Size(max = 100) String firstName,
        @NotBlank @Size(max = 100) String lastName,
        @NotNull StaffRole role,
        UUID fleetId,
        UUID hotelId,

        @Size(min = PasswordRules.MIN_LENGTH, max = PasswordRules.MAX_LENGTH, message = "must be 10 to 128 characters")
        @Pattern(regexp = PasswordRules.LETTER_AND_DIGIT, message = "must contain a letter and a digit")
        String password,

        Boolean invite) {

    boolean invited() {
        return Boolean.TRUE.equals(invite);
    }

    @Override
    public String toString() {
        return "NewStaffMember[email=" + email + ", role=" + role + ", password=redacted]";
    }
}
