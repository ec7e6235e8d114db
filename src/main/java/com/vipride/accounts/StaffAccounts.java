package com.vipride.accounts;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Staff accounts through the database's staff functions, as the signed-in caller: who may create,
 * suspend, reactivate, unlock or change the role of whom is decided there, and every change lands
 * in the audit trail.
 */
@Repository
class StaffAccounts {

    private static final String CREATE = """
            SELECT public.create_staff_account(:email, :phone, :firstName, :lastName, CAST(:role AS public.user_type),
                                               CAST(:fleetId AS uuid), CAST(:hotelId AS uuid), :passwordHash,
                                               CAST(:invitationHash AS bytea), CAST(:invitationExpiresAt AS timestamptz))
            """;
    private static final String SET_SUSPENDED = "SELECT public.set_account_suspended(:id, :suspended)";
    private static final String UNLOCK = "SELECT public.unlock_account(:id)";
    private static final String CHANGE_ROLE = """
            SELECT public.change_account_role(:id, CAST(:role AS public.user_type), CAST(:fleetId AS uuid),
                                              CAST(:hotelId AS uuid))
            """;
    private static final String ACCEPT_INVITATION = "SELECT public.accept_staff_invitation(:tokenHash, :passwordHash)";
    private static final String SYSTEM_ADMIN_EXISTS = """
            SELECT EXISTS (SELECT FROM public.users WHERE user_type = 'system_admin' AND deleted_at IS NULL)
            """;
    private static final String BOOTSTRAP = "SELECT public.bootstrap_system_admin(:email, :passwordHash)";

    private final JdbcClient jdbc;

    StaffAccounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    UUID create(NewStaff staff) {
        try {
            return jdbc.sql(CREATE)
                    .param("email", staff.email())
                    .param("phone", staff.phone())
                    .param("firstName", staff.firstName())
                    .param("lastName", staff.lastName())
                    .param("role", staff.role().userType())
                    .param("fleetId", staff.fleetId())
                    .param("hotelId", staff.hotelId())
                    .param("passwordHash", staff.passwordHash())
                    .param("invitationHash", staff.invitationHash())
                    .param(
                            "invitationExpiresAt",
                            staff.invitationExpiresAt() == null
                                    ? null
                                    : staff.invitationExpiresAt().atOffset(ZoneOffset.UTC))
                    .query(UUID.class)
                    .single();
        } catch (DuplicateKeyException e) {
            throw Accounts.duplicateFor(e);
        }
    }

    @Transactional
    void setSuspended(UUID id, boolean suspended) {
        jdbc.sql(SET_SUSPENDED)
                .param("id", id)
                .param("suspended", suspended)
                .query()
                .singleRow();
    }

    @Transactional
    void unlock(UUID id) {
        jdbc.sql(UNLOCK).param("id", id).query().singleRow();
    }

    @Transactional
    void changeRole(UUID id, RoleChange change) {
        jdbc.sql(CHANGE_ROLE)
                .param("id", id)
                .param("role", change.role().userType())
                .param("fleetId", change.fleetId())
                .param("hotelId", change.hotelId())
                .query()
                .singleRow();
    }

    @Transactional
    UUID acceptInvitation(byte[] tokenHash, String passwordHash) {
        return jdbc.sql(ACCEPT_INVITATION)
                .param("tokenHash", tokenHash)
                .param("passwordHash", passwordHash)
                .query(UUID.class)
                .single();
    }

    @Transactional(readOnly = true)
    boolean systemAdminExists() {
        return jdbc.sql(SYSTEM_ADMIN_EXISTS).query(Boolean.class).single();
    }

    @Transactional
    UUID bootstrapSystemAdmin(String email, String passwordHash) {
        return jdbc.sql(BOOTSTRAP)
                .param("email", email)
                .param("passwordHash", passwordHash)
                .query(UUID.class)
                .single();
    }

    record NewStaff(
            String email,
            String phone,
            String firstName,
            String lastName,
            StaffRole role,
            UUID fleetId,
            UUID hotelId,
            String passwordHash,
            byte[] invitationHash,
            Instant invitationExpiresAt) {}
}
