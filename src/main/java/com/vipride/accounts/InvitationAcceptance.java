package com.vipride.accounts;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** An invitee's one-time token and the password they choose. */
record InvitationAcceptance(
        @NotBlank @Size(max = 128) String token,

        @NotNull
        @Size(min = PasswordRules.MIN_LENGTH, max = PasswordRules.MAX_LENGTH, message = "must be 10 to 128 characters")
        @Pattern(regexp = PasswordRules.LETTER_AND_DIGIT, message = "must contain a letter and a digit")
        String password) {

    @Override
    public String toString() {
        return "InvitationAcceptance[token=redacted, password=redacted]";
    }
}
