package com.vipride.accounts;

import static com.vipride.support.TestAccounts.PASSWORD;
import static com.vipride.support.TestAccounts.registration;
import static com.vipride.support.TestAccounts.uniqueEmail;
import static com.vipride.support.TestAccounts.uniquePhone;
import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.Registered;
import com.vipride.support.TestAccounts.SignedIn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AccountsIT extends IntegrationTest {

    @Test
    void registeredCustomerIsANormalTierCustomerWithAnArgon2Hash() {
        String email = uniqueEmail();
        Response response = api().post(
                        "/api/v1/auth/register",
                        registration(
                                email.toUpperCase(), "0803 111 " + uniquePhone().substring(10)));

        assertThat(response.status()).isEqualTo(201);
        assertThat(response.text("email")).isEqualTo(email);
        assertThat(response.text("phone")).startsWith("+234803111");
        assertThat(response.text("tier")).isEqualTo("normal");
        assertThat(response.text("role")).isEqualTo("customer_user");
        assertThat(response.raw()).doesNotContainIgnoringCase("password");

        Map<String, Object> row = superuser()
                .sql("SELECT password_hash, user_type::text, tier::text, data_processing_consent "
                        + "FROM public.users WHERE id = :id")
                .param("id", UUID.fromString(response.text("id")))
                .query()
                .singleRow();
        assertThat((String) row.get("password_hash"))
                .startsWith("{argon2}$argon2id$")
                .doesNotContain(PASSWORD);
        assertThat(row)
                .containsEntry("user_type", "customer")
                .containsEntry("tier", "normal")
                .containsEntry("data_processing_consent", true);
    }

    @Test
    void emailIsUniqueRegardlessOfCase() {
        String email = uniqueEmail();
        assertThat(api().post("/api/v1/auth/register", registration(email, uniquePhone()))
                        .status())
                .isEqualTo(201);

        Response again = api().post("/api/v1/auth/register", registration(email.toUpperCase(), uniquePhone()));

        // The same answer as a new account (registration never tells whether an email is known); nothing stored.
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.text("email")).isEqualTo(email);
        assertThat(countUsersWithEmail(email)).isEqualTo(1);
    }

    @Test
    void phoneIsUniqueRegardlessOfFormatting() {
        String phone = uniquePhone();
        assertThat(api().post("/api/v1/auth/register", registration(uniqueEmail(), phone))
                        .status())
                .isEqualTo(201);
        String national = "0" + phone.substring(4, 7) + "-" + phone.substring(7, 10) + " (" + phone.substring(10) + ")";
        String international = "00" + phone.substring(1);

        for (String variant : List.of(national, international)) {
            String email = uniqueEmail();
            Response again = api().post("/api/v1/auth/register", registration(email, variant));
            assertThat(again.status()).as(variant).isEqualTo(201);
            assertThat(countUsersWithEmail(email)).isZero();
        }
    }

    @Test
    void loginIssuesAnAccessTokenNamingTheUserAndTheirRole() {
        Registered customer = accounts().aRegisteredCustomer();

        Response login = api().post(
                        "/api/v1/auth/login", Map.of("email", customer.email().toUpperCase(), "password", PASSWORD));

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.text("tokenType")).isEqualTo("Bearer");
        JsonNode claims = claimsOf(login.text("accessToken"));
        assertThat(claims.get("sub").asString()).isEqualTo(customer.id().toString());
        assertThat(claims.get("role").asString()).isEqualTo("customer_user");
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(900);

        Response me = api().get("/api/v1/me", login.text("accessToken"));
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.text("id")).isEqualTo(customer.id().toString());
        assertThat(me.text("email")).isEqualTo(customer.email());
    }

    @Test
    void staffLoginCarriesTheirPlatformRole() {
        SignedIn admin = accounts().aSignedInStaffMember("vip_admin");

        assertThat(claimsOf(admin.accessToken()).get("role").asString()).isEqualTo("vip_admin");
        assertThat(api().get("/api/v1/me", admin.accessToken()).text("role")).isEqualTo("vip_admin");
    }

    @Test
    void wrongPasswordAndUnknownEmailGetTheSameAnswer() {
        Registered customer = accounts().aRegisteredCustomer();

        Response wrongPassword =
                api().post("/api/v1/auth/login", Map.of("email", customer.email(), "password", "not the password 1"));
        Response unknownEmail = api().post("/api/v1/auth/login", Map.of("email", uniqueEmail(), "password", PASSWORD));

        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(unknownEmail.status()).isEqualTo(401);
        assertThat(wrongPassword.code()).isEqualTo("invalid-credentials").isEqualTo(unknownEmail.code());
        assertThat(wrongPassword.text("detail")).isEqualTo(unknownEmail.text("detail"));
        assertThat(wrongPassword.contentType()).startsWith("application/problem+json");
    }

    @Test
    void repeatedFailuresLockTheAccountUntilTheLockExpires() {
        Registered customer = accounts().aRegisteredCustomer();
        Map<String, String> wrong = Map.of("email", customer.email(), "password", "not the password 1");

        for (int attempt = 1; attempt < 5; attempt++) {
            assertThat(api().post("/api/v1/auth/login", wrong).status()).isEqualTo(401);
        }
        Response fifth = api().post("/api/v1/auth/login", wrong);
        assertThat(fifth.status()).isEqualTo(423);
        assertThat(fifth.code()).isEqualTo("account-locked");
        assertThat(fifth.text("lockedUntil")).isNotBlank();

        Response rightPasswordWhileLocked =
                api().post("/api/v1/auth/login", Map.of("email", customer.email(), "password", PASSWORD));
        assertThat(rightPasswordWhileLocked.status()).isEqualTo(423);
        assertThat(authEvents(customer.id()))
                .contains("login_failed", "account_locked")
                .doesNotContain("login_succeeded");

        assertThat(rightPasswordWhileLocked.headers().get("retry-after")).isNotEmpty();

        superuser()
                .sql("UPDATE public.login_attempts SET locked_until = now() - interval '1 second'"
                        + " WHERE email_hash = public.login_email_hash(:email)")
                .param("email", customer.email())
                .update();
        assertThat(api().post("/api/v1/auth/login", Map.of("email", customer.email(), "password", PASSWORD))
                        .status())
                .isEqualTo(200);
        assertThat(loginTries(customer.email()))
                .as("a right password starts the count again")
                .isZero();
    }

    @Test
    void parallelWrongPasswordsGetExactlyTheAllowedTriesChecked() throws Exception {
        Registered customer = accounts().aRegisteredCustomer();
        Map<String, String> wrong = Map.of("email", customer.email(), "password", "not the password 1");
        int parallel = 25;

        List<Integer> statuses = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return api().post("/api/v1/auth/login", wrong).status();
                }));
            }
            start.countDown();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }

        // Each checked password leaves one event (login_failed, or account_locked for the last); the others
        // were refused before their password was looked at.
        assertThat(authEvents(customer.id()).stream()
                        .filter(e -> e.equals("login_failed") || e.equals("account_locked"))
                        .count())
                .isEqualTo(5);
        assertThat(statuses.stream().filter(s -> s == 401).count()).isEqualTo(4);
        assertThat(statuses.stream().filter(s -> s == 423).count()).isEqualTo(parallel - 4);
    }

    @Test
    void aStrangerLocksOutOnlyTheirOwnAddress() throws java.sql.SQLException {
        Registered customer = accounts().aRegisteredCustomer();
        // Five wrong passwords from another address, through the function the service calls, as the service
        // calls it (the runtime login in the anonymous role, the client address in app.client_ip).
        try (java.sql.Connection connection = dataSourceFor("app_backend").getConnection();
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SET ROLE anonymous_user");
            statement.execute("SELECT set_config('app.client_ip', '198.51.100.7', false)");
            for (int i = 0; i < 5; i++) {
                statement.execute("SELECT * FROM public.claim_login_try('" + customer.email() + "', 5, '15 minutes')");
            }
        }
        assertThat(superuser()
                        .sql("SELECT locked_until > now() FROM public.login_attempts"
                                + " WHERE email_hash = public.login_email_hash(:email) AND client_ip = '198.51.100.7'")
                        .param("email", customer.email())
                        .query(Boolean.class)
                        .single())
                .as("the stranger's address is locked out")
                .isTrue();

        Response owner = api().post("/api/v1/auth/login", Map.of("email", customer.email(), "password", PASSWORD));

        assertThat(owner.status())
                .as("the owner, from their own address, is not")
                .isEqualTo(200);
    }

    @Test
    void anUnknownEmailAndAKnownOneGetTheSameAnswersUpToAndAfterTheLockOut() {
        Registered customer = accounts().aRegisteredCustomer();
        String unknown = uniqueEmail();

        for (int attempt = 1; attempt <= 7; attempt++) {
            Response known = api().post(
                            "/api/v1/auth/login", Map.of("email", customer.email(), "password", "not the password 1"));
            Response stranger =
                    api().post("/api/v1/auth/login", Map.of("email", unknown, "password", "not the password 1"));
            assertThat(stranger.status()).as("attempt " + attempt).isEqualTo(known.status());
            assertThat(stranger.code()).as("attempt " + attempt).isEqualTo(known.code());
            assertThat(stranger.headers().containsKey("retry-after"))
                    .isEqualTo(known.headers().containsKey("retry-after"));
        }
    }

    @Test
    void registeringATakenEmailAnswersLikeANewAccount() {
        String taken = uniqueEmail();
        Response first = api().post("/api/v1/auth/register", registration(taken, uniquePhone()));
        Response fresh = api().post("/api/v1/auth/register", registration(uniqueEmail(), uniquePhone()));
        Response again = api().post("/api/v1/auth/register", registration(taken, uniquePhone()));

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(fresh.status());
        assertThat(again.headers().get("location")).isEqualTo(fresh.headers().get("location"));
        assertThat(fieldNames(again)).isEqualTo(fieldNames(fresh));
        assertThat(again.text("id")).isNotEqualTo(first.text("id"));
    }

    @Test
    void loginsOfOneEmailAreRateLimitedWithRetryAfter() {
        String email = uniqueEmail();
        Map<String, String> attempt = Map.of("email", email, "password", "not the password 1");
        Response last = null;
        // The test profile allows 60 logins of one email per 10 minutes, from any address.
        for (int i = 0; i <= 60; i++) {
            last = api().post("/api/v1/auth/login", attempt);
        }

        assertThat(last.status()).isEqualTo(429);
        assertThat(last.code()).isEqualTo("rate-limited");
        assertThat(Long.parseLong(last.headers().get("retry-after").get(0))).isPositive();
    }

    @Test
    void refreshRotatesTheTokenAndTheOldOneStopsWorking() {
        SignedIn customer = accounts().aSignedInCustomer();

        Response refreshed = api().post("/api/v1/auth/refresh", Map.of("refreshToken", customer.refreshToken()));
        assertThat(refreshed.status()).isEqualTo(200);
        assertThat(refreshed.text("refreshToken")).isNotEqualTo(customer.refreshToken());
        assertThat(api().get("/api/v1/me", refreshed.text("accessToken")).status())
                .isEqualTo(200);

        Response replay = api().post("/api/v1/auth/refresh", Map.of("refreshToken", customer.refreshToken()));
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.code()).isEqualTo("invalid-refresh-token");
    }

    @Test
    void replayingARotatedRefreshTokenRevokesTheWholeSession() {
        SignedIn customer = accounts().aSignedInCustomer();
        String current = api().post("/api/v1/auth/refresh", Map.of("refreshToken", customer.refreshToken()))
                .text("refreshToken");

        api().post("/api/v1/auth/refresh", Map.of("refreshToken", customer.refreshToken()));

        assertThat(api().post("/api/v1/auth/refresh", Map.of("refreshToken", current))
                        .status())
                .isEqualTo(401);
        assertThat(authEvents(customer.id())).contains("refresh_token_reused");
    }

    @Test
    void refreshTokensAreStoredOnlyAsHashes() {
        SignedIn customer = accounts().aSignedInCustomer();

        List<byte[]> stored = superuser()
                .sql("SELECT token_hash FROM public.refresh_tokens WHERE user_id = :id")
                .param("id", customer.id())
                .query(byte[].class)
                .list();

        assertThat(stored).hasSize(1);
        assertThat(new String(stored.get(0), StandardCharsets.ISO_8859_1)).doesNotContain(customer.refreshToken());
        assertThat(stored.get(0)).hasSize(32);
    }

    @Test
    void logoutEndsTheSessionAndOnlyItsOwnerCanEndIt() {
        SignedIn customer = accounts().aSignedInCustomer();
        SignedIn other = accounts().aSignedInCustomer();

        Response foreign =
                api().post("/api/v1/auth/logout", Map.of("refreshToken", customer.refreshToken()), other.accessToken());
        assertThat(foreign.status()).isEqualTo(401);
        assertThat(foreign.code()).isEqualTo("invalid-refresh-token");

        Response logout = api().post(
                        "/api/v1/auth/logout", Map.of("refreshToken", customer.refreshToken()), customer.accessToken());
        assertThat(logout.status()).isEqualTo(204);
        assertThat(api().post("/api/v1/auth/refresh", Map.of("refreshToken", customer.refreshToken()))
                        .status())
                .isEqualTo(401);
        assertThat(authEvents(customer.id())).contains("logged_out");
    }

    @Test
    void logoutNeedsAnAccessToken() {
        SignedIn customer = accounts().aSignedInCustomer();

        Response response = api().post("/api/v1/auth/logout", Map.of("refreshToken", customer.refreshToken()));

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("authentication-required");
        assertThat(api().post("/api/v1/auth/refresh", Map.of("refreshToken", customer.refreshToken()))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void disabledAccountCannotLogIn() {
        Registered customer = accounts().aRegisteredCustomer();
        superuser()
                .sql("UPDATE public.users SET is_active = false WHERE id = :id")
                .param("id", customer.id())
                .update();

        Response login = api().post("/api/v1/auth/login", Map.of("email", customer.email(), "password", PASSWORD));

        assertThat(login.status()).isEqualTo(403);
        assertThat(login.code()).isEqualTo("account-disabled");
    }

    private long loginTries(String email) {
        return superuser()
                .sql("SELECT count(*) FROM public.login_attempts WHERE email_hash = public.login_email_hash(:email)")
                .param("email", email)
                .query(Long.class)
                .single();
    }

    private static List<String> fieldNames(Response response) {
        List<String> names = new ArrayList<>();
        response.body().propertyNames().forEach(names::add);
        return names;
    }

    private long countUsersWithEmail(String email) {
        return superuser()
                .sql("SELECT count(*) FROM public.users WHERE email = :email")
                .param("email", email)
                .query(Long.class)
                .single();
    }

    private List<String> authEvents(UUID userId) {
        return superuser()
                .sql("SELECT event FROM audit.auth_events WHERE user_id = :id ORDER BY id")
                .param("id", userId)
                .query(String.class)
                .list();
    }

    static JsonNode claimsOf(String jwt) {
        String payload = jwt.split("\\.")[1];
        return JsonMapper.builder()
                .build()
                .readTree(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
    }
}
