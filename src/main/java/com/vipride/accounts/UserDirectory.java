package com.vipride.accounts;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Other users' accounts, as far as row-level security lets the caller see them (support, admins, fleets). */
@Repository
class UserDirectory {

    private static final String BY_ID = """
            SELECT id, email, phone, first_name, last_name, user_type, tier, preferred_language, is_active, created_at
              FROM public.users WHERE id = :id""";

    private final JdbcClient jdbc;

    UserDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<UserSummary> findById(UUID id) {
        return jdbc.sql(BY_ID)
                .param("id", id)
                .query((rs, n) -> new UserSummary(
                        rs.getObject("id", UUID.class),
                        rs.getString("email"),
                        rs.getString("phone"),
                        rs.getString("first_name"),
                        rs.getString("last_name"),
                        rs.getString("user_type"),
                        rs.getString("tier"),
                        rs.getString("preferred_language"),
                        rs.getBoolean("is_active"),
                        rs.getTimestamp("created_at").toInstant()))
                .optional();
    }

    record UserSummary(
            UUID id,
            String email,
            String phone,
            String firstName,
            String lastName,
            String userType,
            String tier,
            String preferredLanguage,
            boolean active,
            java.time.Instant createdAt) {}
}
