package com.vipride.accounts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.postgresql.util.PSQLException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Account storage. Anonymous steps (register, log in, refresh) go through the database's account
 * functions; reads of a profile go through row-level security as the signed-in caller.
 */
@Repository
class Accounts {

    private static final String REGISTER = """
            SELECT public.register_customer(:email, :phone, :passwordHash, :firstName, :lastName,
                                            :language, :marketingConsent, :dataProcessingConsent)
            """;
    private static final String FIND_LOGIN = """
            SELECT user_id, password_hash, user_type, is_active, account_locked_until
              FROM public.find_login_account(:email)
            """;
    private static final String CLAIM_TRY = """
            SELECT granted, locked_until
              FROM public.claim_login_try(:email, :maxTries, make_interval(secs => :lockSeconds))
            """;
    private static final String RECORD_FAILURE = """
            SELECT public.record_failed_login(:userId, :locked)
            """;
    private static final String RECORD_SUCCESS = """
            SELECT public.record_successful_login(:userId, :tokenHash, :expiresAt)
            """;
    private static final String ROTATE = """
            SELECT user_id, user_type, security_version FROM public.rotate_refresh_token(:oldHash, :newHash, :expiresAt)
            """;
    private static final String REVOKE_FAMILY = "SELECT public.revoke_refresh_token_family(:tokenHash)";
    private static final String FIND_PROFILE = """
            SELECT id, email, phone, first_name, last_name, user_type, tier, preferred_language,
                   marketing_consent, data_processing_consent, created_at,
                   public.current_fleet_company_id() AS fleet_id, public.current_hotel_id() AS hotel_id
              FROM public.users
             WHERE id = :id AND deleted_at IS NULL
            """;

    private final JdbcClient jdbc;

    Accounts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    UUID registerCustomer(NewCustomer customer) {
        try {
            return jdbc.sql(REGISTER)
                    .param("email", customer.email())
                    .param("phone", customer.phone())
                    .param("passwordHash", customer.passwordHash())
                    .param("firstName", customer.firstName())
                    .param("lastName", customer.lastName())
                    .param("language", customer.language().code())
                    .param("marketingConsent", customer.marketingConsent())
                    .param("dataProcessingConsent", customer.dataProcessingConsent())
                    .query(UUID.class)
                    .single();
        } catch (DuplicateKeyException e) {
            throw duplicateFor(e);
        }
    }

    static AccountProblem duplicateFor(DuplicateKeyException e) {
        String constraint =
                e.getMostSpecificCause() instanceof PSQLException psql && psql.getServerErrorMessage() != null
                        ? psql.getServerErrorMessage().getConstraint()
                        : null;
        if ("users_phone_key".equals(constraint)) {
            return AccountProblem.duplicatePhone();
        }
        if ("users_email_key".equals(constraint)) {
            return AccountProblem.duplicateEmail();
        }
        throw e;
    }

    @Transactional(readOnly = true)
    Optional<LoginAccount> findLoginAccount(String email) {
        return jdbc.sql(FIND_LOGIN)
                .param("email", email)
                .query(Accounts::loginAccount)
                .optional();
    }

    /**
     * Claims one password try of this email from the caller's address, before the password is checked.
     * Refused while the pair is locked; the claim that uses up the last try returns its lock expiry.
     */
    @Transactional
    LoginTry claimLoginTry(String email, int maxTries, long lockSeconds) {
        return jdbc.sql(CLAIM_TRY)
                .param("email", email)
                .param("maxTries", maxTries)
                .param("lockSeconds", lockSeconds)
                .query((rs, n) -> new LoginTry(
                        rs.getBoolean("granted"),
                        Optional.ofNullable(rs.getObject("locked_until", OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant)))
                .single();
    }

    @Transactional
    void recordFailedLogin(UUID userId, boolean locked) {
        jdbc.sql(RECORD_FAILURE)
                .param("userId", userId)
                .param("locked", locked)
                .query()
                .singleRow();
    }

    /** A claimed try: granted or not, and when the pair's lock ends (the last granted try sets it). */
    record LoginTry(boolean granted, Optional<Instant> lockedUntil) {}

    /** Returns the account's security version, for the access token. */
    @Transactional
    long recordSuccessfulLogin(UUID userId, byte[] refreshTokenHash, Instant refreshExpiresAt) {
        return jdbc.sql(RECORD_SUCCESS)
                .param("userId", userId)
                .param("tokenHash", refreshTokenHash)
                .param("expiresAt", utc(refreshExpiresAt))
                .query(Long.class)
                .single();
    }

    @Transactional
    Optional<AccountRef> rotateRefreshToken(byte[] oldHash, byte[] newHash, Instant expiresAt) {
        return jdbc.sql(ROTATE)
                .param("oldHash", oldHash)
                .param("newHash", newHash)
                .param("expiresAt", utc(expiresAt))
                .query((rs, n) -> new AccountRef(
                        rs.getObject("user_id", UUID.class),
                        UserType.fromDb(rs.getString("user_type")),
                        rs.getLong("security_version")))
                .optional();
    }

    @Transactional
    int revokeRefreshTokenFamily(byte[] tokenHash) {
        return jdbc.sql(REVOKE_FAMILY)
                .param("tokenHash", tokenHash)
                .query(Integer.class)
                .single();
    }

    @Transactional(readOnly = true)
    Optional<AccountView> findProfile(UUID id) {
        return jdbc.sql(FIND_PROFILE).param("id", id).query(Accounts::profile).optional();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static LoginAccount loginAccount(ResultSet rs, int row) throws SQLException {
        Timestamp locked = rs.getTimestamp("account_locked_until");
        return new LoginAccount(
                rs.getObject("user_id", UUID.class),
                rs.getString("password_hash"),
                UserType.fromDb(rs.getString("user_type")),
                rs.getBoolean("is_active"),
                Optional.ofNullable(locked).map(Timestamp::toInstant));
    }

    private static AccountView profile(ResultSet rs, int row) throws SQLException {
        return new AccountView(
                rs.getObject("id", UUID.class),
                rs.getString("email"),
                rs.getString("phone"),
                rs.getString("first_name"),
                rs.getString("last_name"),
                UserType.fromDb(rs.getString("user_type")).role().dbRole(),
                rs.getString("user_type"),
                rs.getString("tier"),
                Language.fromCode(rs.getString("preferred_language")),
                rs.getBoolean("marketing_consent"),
                rs.getBoolean("data_processing_consent"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getObject("fleet_id", UUID.class),
                rs.getObject("hotel_id", UUID.class));
    }

    record NewCustomer(
            String email,
            String phone,
            String passwordHash,
            String firstName,
            String lastName,
            Language language,
            boolean marketingConsent,
            boolean dataProcessingConsent) {}

    record LoginAccount(
            UUID userId, String passwordHash, UserType userType, boolean active, Optional<Instant> lockedUntil) {}

    record AccountRef(UUID userId, UserType userType, long securityVersion) {}
}
