package com.vipride.platform.security;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Who a transaction acts for: the signed-in user and the role they act as, nobody (anonymous), or
 * the platform itself in a background job ({@link SystemJobs}).
 *
 * @param userId    the user, empty for anonymous callers and system jobs
 * @param role      the database role the caller's transactions run as
 * @param systemJob a background job acting as the platform: always {@code system_admin} and nobody
 */
public record Caller(Optional<UUID> userId, PlatformRole role, boolean systemJob) {

    public static final Caller ANONYMOUS = new Caller(Optional.empty(), PlatformRole.ANONYMOUS_USER, false);
    public static final Caller SYSTEM_JOB = new Caller(Optional.empty(), PlatformRole.SYSTEM_ADMIN, true);

    public Caller {
        Objects.requireNonNull(userId);
        Objects.requireNonNull(role);
        if (systemJob && (userId.isPresent() || role != PlatformRole.SYSTEM_ADMIN)) {
            throw new IllegalArgumentException("a system job acts as system_admin for no user");
        }
        if (!systemJob && userId.isEmpty() != (role == PlatformRole.ANONYMOUS_USER)) {
            throw new IllegalArgumentException("only anonymous callers and system jobs have no user id");
        }
    }

    Caller(Optional<UUID> userId, PlatformRole role) {
        this(userId, role, false);
    }

    static Caller user(UUID userId, PlatformRole role) {
        return new Caller(Optional.of(userId), role);
    }

    /** The signed-in user's id; only for code paths that require authentication. */
    public UUID requireUserId() {
        return userId.orElseThrow(() -> new IllegalStateException("an authenticated caller is required"));
    }
}
