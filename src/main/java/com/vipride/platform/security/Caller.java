package com.vipride.platform.security;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Who a request acts for: the signed-in user and the role they act as, or nobody.
 *
 * @param userId the user, empty for anonymous callers
 * @param role   the database role the caller's transactions run as
 */
public record Caller(Optional<UUID> userId, PlatformRole role) {

    public static final Caller ANONYMOUS = new Caller(Optional.empty(), PlatformRole.ANONYMOUS_USER);

    public Caller {
        Objects.requireNonNull(userId);
        Objects.requireNonNull(role);
        if (userId.isEmpty() != (role == PlatformRole.ANONYMOUS_USER)) {
            throw new IllegalArgumentException("only anonymous callers have no user id");
        }
    }

    public static Caller user(UUID userId, PlatformRole role) {
        return new Caller(Optional.of(userId), role);
    }

    /** The signed-in user's id; only for code paths that require authentication. */
    public UUID requireUserId() {
        return userId.orElseThrow(() -> new IllegalStateException("an authenticated caller is required"));
    }
}
