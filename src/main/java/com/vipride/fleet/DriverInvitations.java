package com.vipride.fleet;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * A fleet's invitations to drive for it: each step one call of its SQL function, each read under the
 * caller's row-level security (the fleet's admin sees its fleet's, the invitee those addressed to it).
 */
@Repository
class DriverInvitations {

    private static final String COLUMNS = """
            SELECT i.id, i.fleet_company_id, f.name AS fleet_name, i.email, i.created_at, i.expires_at,
                   i.accepted_at, i.driver_id, i.revoked_at,
                   CASE WHEN i.accepted_at IS NOT NULL THEN 'accepted' WHEN i.revoked_at IS NOT NULL THEN 'revoked'
                        WHEN i.expires_at <= now() THEN 'expired' ELSE 'open' END AS status
              FROM public.fleet_driver_invitations i
              LEFT JOIN public.fleet_companies f ON f.id = i.fleet_company_id
            """;

    private final JdbcClient jdbc;

    DriverInvitations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An invitation to drive for a fleet, as its fleet and its invitee see it. */
    record Invitation(
            UUID id,
            UUID fleetCompanyId,
            String fleetName,
            String email,
            Instant createdAt,
            Instant expiresAt,
            Instant acceptedAt,
            UUID driverId,
            Instant revokedAt,
            String status) {}

    UUID invite(UUID fleet, String email) {
        return jdbc.sql("SELECT public.invite_driver(:fleet, :email)")
                .param("fleet", fleet)
                .param("email", email)
                .query(UUID.class)
                .single();
    }

    void revoke(UUID invitation) {
        jdbc.sql("SELECT public.revoke_driver_invitation(:id)")
                .param("id", invitation)
                .query()
                .singleRow();
    }

    UUID accept(UUID invitation, String licenceNumber, LocalDate licenceExpiresOn, String city) {
        return jdbc.sql("SELECT public.accept_driver_invitation(:id, :licence, :expires, :city)")
                .param("id", invitation)
                .param("licence", licenceNumber)
                .param("expires", licenceExpiresOn)
                .param("city", city)
                .query(UUID.class)
                .single();
    }

    Optional<Invitation> find(UUID id) {
        return jdbc.sql(COLUMNS + "WHERE i.id = :id")
                .param("id", id)
                .query(Invitation.class)
                .optional();
    }

    /** A fleet's invitations, newest first. */
    List<Invitation> ofFleet(UUID fleet, Instant before, int limit) {
        return jdbc.sql(COLUMNS + """
                         WHERE i.fleet_company_id = :fleet AND (CAST(:before AS timestamptz) IS NULL OR i.created_at < :before)
                         ORDER BY i.created_at DESC, i.id DESC LIMIT :limit""")
                .param("fleet", fleet)
                .param("before", before == null ? null : java.sql.Timestamp.from(before))
                .param("limit", limit)
                .query(Invitation.class)
                .list();
    }

    /** The open invitations addressed to the caller. */
    List<Invitation> mine() {
        return jdbc.sql(COLUMNS + """
                         WHERE i.email = public.current_app_user_email() AND i.accepted_at IS NULL
                           AND i.revoked_at IS NULL AND i.expires_at > now()
                         ORDER BY i.created_at DESC""").query(Invitation.class).list();
    }
}
