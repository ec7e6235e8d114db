package com.vipride.accounts;

import java.util.regex.Pattern;

/**
 * The password rules every way of setting a password applies: 10 to 128 characters, with a letter and
 * a digit. Request bodies state them as bean-validation constraints with the same values; settings
 * (the first administrator's) are checked here.
 */
final class PasswordRules {

    static final int MIN_LENGTH = 10;
    static final int MAX_LENGTH = 128;
    static final String LETTER_AND_DIGIT = "(?=.*\\p{L})(?=.*\\p{N}).*";
    static final String DESCRIPTION = "10 to 128 characters, with a letter and a digit";

    private static final Pattern LETTER_AND_DIGIT_PATTERN = Pattern.compile(LETTER_AND_DIGIT, Pattern.DOTALL);

    private PasswordRules() {}

    static boolean acceptable(String password) {
        return password != null
                && password.length() >= MIN_LENGTH
                && password.length() <= MAX_LENGTH
                && LETTER_AND_DIGIT_PATTERN.matcher(password).matches();
    }
}
