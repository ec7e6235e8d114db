package com.vipride.accounts;

import com.vipride.platform.security.CurrentCaller;
import com.vipride.platform.web.NotFound;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Accounts", description = "Registration, login, tokens and the signed-in user")
class AccountsController {

    private final AccountService accounts;
    private final UserDirectory directory;

    AccountsController(AccountService accounts, UserDirectory directory) {
        this.accounts = accounts;
        this.directory = directory;
    }

    @PostMapping("/api/v1/auth/register")
    @Operation(summary = "Register as a rider (normal tier)")
    ResponseEntity<AccountView> register(@Valid @RequestBody Registration registration) {
        AccountView created = accounts.register(registration);
        return ResponseEntity.created(URI.create("/api/v1/me")).body(created);
    }

    @PostMapping("/api/v1/auth/login")
    @Operation(summary = "Log in with email and password; returns an access token and a refresh token")
    TokenResponse login(@Valid @RequestBody Credentials credentials) {
        return accounts.login(credentials);
    }

    @PostMapping("/api/v1/auth/refresh")
    @Operation(summary = "Exchange a refresh token for new tokens; the old refresh token stops working")
    TokenResponse refresh(@Valid @RequestBody RefreshRequest request) {
        return accounts.refresh(request);
    }

    @PostMapping("/api/v1/auth/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "End the session of a refresh token")
    void logout(@Valid @RequestBody RefreshRequest request) {
        accounts.logout(request);
    }

    @GetMapping("/api/v1/users/{id}")
    @Operation(summary = "An account the caller may see (support, admins, a fleet's drivers, oneself); 404 otherwise")
    @Transactional(readOnly = true)
    UserDirectory.UserSummary user(@PathVariable UUID id) {
        return directory.findById(id).orElseThrow(() -> NotFound.of("user", id));
    }

    @GetMapping("/api/v1/me")
    @Operation(summary = "The signed-in user's account")
    AccountView me() {
        return accounts.me(CurrentCaller.get().requireUserId());
    }
}
