package com.vipride.accounts;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

record Credentials(
        @NotBlank @Size(max = 254) String email,
        @NotBlank @Size(max = 128) String password) {

    @Override
    public String toString() {
        return "Credentials[email=" + email + ", password=redacted]";
    }
}
