package com.vipride.accounts;

import com.vipride.accounts.Accounts.AccountRef;
import com.vipride.accounts.Accounts.LoginAccount;
import com.vipride.platform.security.AccessTokens;
import com.vipride.platform.security.AccessTokens.IssuedAccessToken;
import com.vipride.platform.security.JwtProperties;
import com.vipride.platform.web.RateLimits;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;

/**
 * Registration, login, refresh and log-out. Password hashing runs outside any database transaction,
 * so a slow hash never holds a pooled connection.
 */
@Service
class AccountService {

    private final Accounts accounts;
    private final PasswordEncoder passwords;
    private final PhoneNumbers phones;
    private final AccessTokens accessTokens;
    private final AccountsProperties properties;
    private final JwtProperties jwt;
    private final Clock clock;
    private final RateLimits rateLimits;
    /** Verified against when the email is unknown, so that the response time does not reveal it. */
    private final String decoyHash;

    AccountService(
            Accounts accounts,
            PasswordEncoder passwords,
            PhoneNumbers phones,
            AccessTokens accessTokens,
            AccountsProperties properties,
            JwtProperties jwt,
            Clock clock,
            RateLimits rateLimits) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.phones = phones;
        this.accessTokens = accessTokens;
        this.properties = properties;
        this.jwt = jwt;
        this.clock = clock;
        this.rateLimits = rateLimits;
        this.decoyHash = passwords.encode(UUID.randomUUID().toString());
    }

    AccountView register(Registration registration) {
        rateLimits.perAccount("register", registration.email());
        if (!Boolean.TRUE.equals(registration.dataProcessingConsent())) {
            throw AccountProblem.consentRequired();
        }
        String phone = phones.normalize(registration.phone()).orElseThrow(AccountProblem::invalidPhone);
        UUID id = accounts.registerCustomer(new Accounts.NewCustomer(
                normalizeEmail(registration.email()),
                phone,
                passwords.encode(registration.password()),
                registration.firstName().trim(),
                registration.lastName().trim(),
                Optional.ofNullable(registration.preferredLanguage()).orElse(Language.EN),
                Boolean.TRUE.equals(registration.marketingConsent()),
                true));
        return new AccountView(
                id,
                normalizeEmail(registration.email()),
                phone,
                registration.firstName().trim(),
                registration.lastName().trim(),
                UserType.CUSTOMER.role().dbRole(),
                "customer",
                "normal",
                Optional.ofNullable(registration.preferredLanguage()).orElse(Language.EN),
                Boolean.TRUE.equals(registration.marketingConsent()),
                true,
                clock.instant(),
                null,
                null);
    }

    /**
     * Logs in. A try is claimed per email and client address before the password is checked, so at
     * most maxFailedLogins passwords per pair are ever checked per lock period. Unknown emails go
     * through the same steps (and a decoy hash): every answer about the password is the same whether
     * or not the email has an account; only a caller who gave the right password learns more.
     */
    TokenResponse login(Credentials credentials) {
        String email = normalizeEmail(credentials.email());
        rateLimits.perAccount("login", email);
        Accounts.LoginTry claimed = accounts.claimLoginTry(
                email, properties.maxFailedLogins(), properties.lockDuration().toSeconds());
        if (!claimed.granted()) {
            throw AccountProblem.locked(
                    claimed.lockedUntil().orElseGet(() -> clock.instant().plus(properties.lockDuration())));
        }
        Optional<LoginAccount> found = accounts.findLoginAccount(email);
        if (found.isEmpty()) {
            passwords.matches(credentials.password(), decoyHash);
            throw claimed.lockedUntil().map(AccountProblem::locked).orElseGet(AccountProblem::invalidCredentials);
        }
        LoginAccount account = found.get();
        if (!passwords.matches(credentials.password(), account.passwordHash())) {
            accounts.recordFailedLogin(account.userId(), claimed.lockedUntil().isPresent());
            throw claimed.lockedUntil().map(AccountProblem::locked).orElseGet(AccountProblem::invalidCredentials);
        }
        Instant now = clock.instant();
        if (account.lockedUntil().filter(now::isBefore).isPresent()) {
            throw AccountProblem.locked(account.lockedUntil().get());
        }
        if (!account.active()) {
            throw AccountProblem.disabled();
        }
        RefreshTokenValue refresh = RefreshTokenValue.generate();
        long securityVersion =
                accounts.recordSuccessfulLogin(account.userId(), refresh.hash(), now.plus(jwt.refreshTokenTtl()));
        return tokens(account.userId(), account.userType(), securityVersion, refresh);
    }

    TokenResponse refresh(RefreshRequest request) {
        RefreshTokenValue presented = new RefreshTokenValue(request.refreshToken());
        RefreshTokenValue next = RefreshTokenValue.generate();
        AccountRef account = accounts.rotateRefreshToken(
                        presented.hash(), next.hash(), clock.instant().plus(jwt.refreshTokenTtl()))
                .orElseThrow(AccountProblem::invalidRefreshToken);
        return tokens(account.userId(), account.userType(), account.securityVersion(), next);
    }

    /**
     * Ends the session the refresh token belongs to; the caller must own it. The account's access
     * tokens stop working on their next request (its security version moves on).
     */
    void logout(RefreshRequest request) {
        if (accounts.revokeRefreshTokenFamily(new RefreshTokenValue(request.refreshToken()).hash()) == 0) {
            throw AccountProblem.invalidRefreshToken();
        }
    }

    AccountView me(UUID userId) {
        return accounts.findProfile(userId).orElseThrow(AccountProblem::notFound);
    }

    private TokenResponse tokens(UUID userId, UserType type, long securityVersion, RefreshTokenValue refresh) {
        IssuedAccessToken access = accessTokens.issue(userId, type.role(), securityVersion);
        long expiresIn = access.expiresAt().getEpochSecond() - clock.instant().getEpochSecond();
        return new TokenResponse(
                access.value(),
                "Bearer",
                expiresIn,
                refresh.value(),
                jwt.refreshTokenTtl().toSeconds(),
                type.role().dbRole());
    }

    private static String normalizeEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
