package com.vipride.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Accounts in known states, made through the real API wherever the API can make them. */
public final class TestAccounts {

    public static final String PASSWORD = "correct horse 42";
    private static final AtomicLong PHONE_SEQUENCE = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private final Api api;
    private final JdbcClient superuser;

    TestAccounts(Api api, JdbcClient superuser) {
        this.api = api;
        this.superuser = superuser;
    }

    public static String uniqueEmail() {
        return "rider-" + UUID.randomUUID() + "@example.com";
    }

    public static String uniquePhone() {
        return "+23480" + String.format("%09d", PHONE_SEQUENCE.incrementAndGet() % 1_000_000_000L);
    }

    public static Map<String, Object> registration(String email, String phone) {
        return Map.of(
                "email",
                email,
                "phone",
                phone,
                "password",
                PASSWORD,
                "firstName",
                "Ada",
                "lastName",
                "Obi",
                "dataProcessingConsent",
                true);
    }

    public Registered aRegisteredCustomer() {
        String email = uniqueEmail();
        Api.Response response = api.post("/api/v1/auth/register", registration(email, uniquePhone()));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        return new Registered(UUID.fromString(response.text("id")), email);
    }

    public SignedIn aSignedInCustomer() {
        return signIn(aRegisteredCustomer());
    }

    public SignedIn signIn(Registered account) {
        Api.Response response = api.post("/api/v1/auth/login", Map.of("email", account.email(), "password", PASSWORD));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return new SignedIn(account.id(), account.email(), response.text("accessToken"), response.text("refreshToken"));
    }

    /** Staff accounts have no self-service sign-up; they are provisioned by an administrator. */
    public SignedIn aSignedInStaffMember(String userType) {
        Registered customer = aRegisteredCustomer();
        superuser
                .sql("UPDATE public.users SET user_type = CAST(:type AS public.user_type) WHERE id = :id")
                .param("type", userType)
                .param("id", customer.id())
                .update();
        return signIn(customer);
    }

    public record Registered(UUID id, String email) {}

    public record SignedIn(UUID id, String email, String accessToken, String refreshToken) {}
}
