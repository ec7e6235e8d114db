package com.vipride.accounts;

import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Normalises phone numbers to E.164 so that "+234 803 000 0001", "0803-000-0001" and
 * "002348030000001" are the same number (and collide on the unique index).
 */
@Component
class PhoneNumbers {

    private static final Pattern SEPARATORS = Pattern.compile("[\\s().-]");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{7,14}");

    private final String defaultCallingCode;

    PhoneNumbers(AccountsProperties properties) {
        this.defaultCallingCode = properties.defaultCallingCode();
    }

    Optional<String> normalize(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String digits = SEPARATORS.matcher(raw.trim()).replaceAll("");
        if (digits.startsWith("00")) {
            digits = "+" + digits.substring(2);
        } else if (digits.startsWith("0")) {
            digits = "+" + defaultCallingCode + digits.substring(1);
        }
        return E164.matcher(digits).matches() ? Optional.of(digits) : Optional.empty();
    }
}
