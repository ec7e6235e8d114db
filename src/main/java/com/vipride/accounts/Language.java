package com.vipride.accounts;

import com.fasterxml.jackson.annotation.JsonValue;

/** Languages the apps are offered in (ISO 639-1). */
enum Language {
    EN("en"),
    YO("yo"),
    IG("ig"),
    HA("ha"),
    FR("fr");

    private final String code;

    Language(String code) {
        this.code = code;
    }

    @JsonValue
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }

    static Language fromCode(String code) {
        for (Language language : values()) {
            if (language.code.equals(code)) {
                return language;
            }
        }
        throw new IllegalArgumentException("unknown language " + code);
    }
}
