package com.vipride.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** HeaderCharacters allows exactly what StrictHttpFirewall's regular expressions allow. */
class HeaderCharactersTest {

    // StrictHttpFirewall's own expressions (spring-security-web 7).
    private static final Pattern NAME = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Pattern VALUE = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCodePointIsJudgedAsTheFirewallsExpressionsJudgeIt() {
        List<String> disagreements = new ArrayList<>();
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "a" + Character.toString(codePoint) + "b";
            if (HeaderCharacters.allowedInName(text) != NAME.matcher(text).matches()
                    || HeaderCharacters.allowedInValue(text)
                            != VALUE.matcher(text).matches()) {
                disagreements.add(Integer.toHexString(codePoint));
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void controlCharactersAreRefusedAndATabOnlyInValues() {
        assertThat(HeaderCharacters.allowedInValue("Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"))
                .isTrue();
        assertThat(HeaderCharacters.allowedInValue("café \u00e9")).isTrue();
        assertThat(HeaderCharacters.allowedInValue("a\tb")).isTrue();
        assertThat(HeaderCharacters.allowedInName("a\tb")).isFalse();
        assertThat(HeaderCharacters.allowedInValue("a\u0085b")).isFalse();
        assertThat(HeaderCharacters.allowedInValue("a\rb")).isFalse();
        assertThat(HeaderCharacters.allowedInValue("a\u0378b")).isFalse();
        // A lone surrogate is an assigned (Cs) character to both.
        String loneSurrogate = "a\ud800b";
        assertThat(HeaderCharacters.allowedInValue(loneSurrogate))
                .isEqualTo(VALUE.matcher(loneSurrogate).matches());
        assertThat(HeaderCharacters.allowedInValue("")).isTrue();
    }
}
