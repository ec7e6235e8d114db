package com.vipride.platform.security;

/**
 * The characters Spring Security's {@code StrictHttpFirewall} allows in header names and values,
 * checked by a loop instead of its regular expressions ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*},
 * and for values also a tab). The firewall checks every header each time it is read, and a bearer
 * token is read several times per request: the regular expressions were ~8 % of a ride request's
 * service CPU in the ride-request-api benchmark. Same rules: assigned code points, no control
 * characters (Cc), a tab allowed in values only.
 */
final class HeaderCharacters {

    private HeaderCharacters() {}

    static boolean allowedInName(String name) {
        return allowed(name, false);
    }

    static boolean allowedInValue(String value) {
        return allowed(value, true);
    }

    private static boolean allowed(String text, boolean tabAllowed) {
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (!Character.isDefined(codePoint)
                    || (Character.getType(codePoint) == Character.CONTROL && !(tabAllowed && codePoint == '\t'))) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }
}
