package com.vipride.accounts;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A rider signing up. Type and tier are not part of it: every sign-up is a normal-tier customer. */
record Registration(
        @NotBlank @Email @Size(max = 254) String email,
        @NotBlank @Size(max = 32) String phone,

        @NotNull
        @Size(min = 10, max = 128, message = "must be 10 to 128 characters")
        @Pattern(regexp = "(?=.*\\p{L})(?=.*\\p{N}).*", message = "must contain a letter and a digit")
        String password,

        @NotBlank @Size(max = 100) String firstName,
        @NotBlank @Size(max = 100) String lastName,
        Language preferredLanguage,
        Boolean marketingConsent,
        @NotNull Boolean dataProcessingConsent) {

    @Override
    public String toString() {
        return "Registration[email=" + email + ", password=redacted]";
    }
}
