package com.vipride.accounts;

import com.vipride.platform.web.ApiException;
import java.time.Instant;
import org.springframework.http.HttpStatus;

/** The ways registration, login and token refresh can be refused. */
final class AccountProblem extends ApiException {

    private AccountProblem(HttpStatus status, String code, String detail) {
        super(status, code, detail);
    }

    static AccountProblem duplicateEmail() {
        return new AccountProblem(HttpStatus.CONFLICT, "duplicate-email", "An account with this email already exists.");
    }

    static AccountProblem duplicatePhone() {
        return new AccountProblem(
                HttpStatus.CONFLICT, "duplicate-phone", "An account with this phone number already exists.");
    }

    static AccountProblem invalidPhone() {
        return new AccountProblem(
                HttpStatus.BAD_REQUEST,
                "invalid-phone",
                "phone must be an international number such as +2348030000000 (or a national one such as 08030000000).");
    }

    static AccountProblem consentRequired() {
        return new AccountProblem(
                HttpStatus.BAD_REQUEST,
                "consent-required",
                "dataProcessingConsent must be true: the service cannot run without processing your data.");
    }

    static AccountProblem invalidCredentials() {
        return new AccountProblem(HttpStatus.UNAUTHORIZED, "invalid-credentials", "Email or password is wrong.");
    }

    static AccountProblem locked(Instant until) {
        AccountProblem problem = new AccountProblem(
                HttpStatus.LOCKED,
                "account-locked",
                "Too many failed logins: logins to this account from your address are locked until " + until + ".");
        problem.with("lockedUntil", until.toString());
        problem.retryAfter(until);
        return problem;
    }

    static AccountProblem disabled() {
        return new AccountProblem(HttpStatus.FORBIDDEN, "account-disabled", "This account is disabled.");
    }

    static AccountProblem invalidRefreshToken() {
        return new AccountProblem(
                HttpStatus.UNAUTHORIZED,
                "invalid-refresh-token",
                "The refresh token is invalid, expired or already used; log in again.");
    }

    static AccountProblem notFound() {
        return new AccountProblem(HttpStatus.NOT_FOUND, "account-not-found", "No such account.");
    }
}
