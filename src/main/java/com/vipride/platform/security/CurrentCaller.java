package com.vipride.platform.security;

import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/** Reads the caller of the current request from Spring Security's context, or the running system job. */
public final class CurrentCaller {

    private CurrentCaller() {}

    public static Caller get() {
        if (SystemJobs.isRunning()) {
            return Caller.SYSTEM_JOB;
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken token && token.isAuthenticated()) {
            Jwt jwt = token.getToken();
            // The decoder's validators already guarantee both claims are present and well-formed.
            PlatformRole role = PlatformRole.fromDbRole(jwt.getClaimAsString(AccessTokens.ROLE_CLAIM))
                    .orElseThrow();
            return Caller.user(UUID.fromString(jwt.getSubject()), role);
        }
        return Caller.ANONYMOUS;
    }

    /**
     * The account security version the signed-in caller's access token was issued at; empty for
     * anonymous callers and system jobs (and for tokens made in tests without one).
     */
    public static OptionalLong securityVersion() {
        if (SystemJobs.isRunning()) {
            return OptionalLong.empty();
        }
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken token
                && token.isAuthenticated()
                && token.getToken().getClaims().get(AccessTokens.SECURITY_VERSION_CLAIM) instanceof Number version) {
            return OptionalLong.of(version.longValue());
        }
        return OptionalLong.empty();
    }
}
