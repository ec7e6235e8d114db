package com.vipride.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/** Only unexpired tokens signed with our key, naming a user and a known role, get in. */
class AccessTokenIT extends IntegrationTest {

    @Value("${vipride.security.jwt.secret}")
    private String secret;

    @Test
    void requestWithoutTokenIsAskedToAuthenticate() {
        Response response = api().get("/api/v1/me", null);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("authentication-required");
        assertThat(response.headers().get("www-authenticate")).containsExactly("Bearer");
    }

    @Test
    void validTokenMintedWithOurKeyIsAccepted() throws JOSEException {
        SignedIn customer = accounts().aSignedInCustomer();

        String token = sign(
                ourKey(),
                customer.id().toString(),
                "customer_user",
                Instant.now().plusSeconds(60));

        assertThat(api().get("/api/v1/me", token).status()).isEqualTo(200);
    }

    @Test
    void tokenWithoutASecurityVersionIsRefused() throws JOSEException {
        SignedIn customer = accounts().aSignedInCustomer();

        assertRefused(signWithoutVersion(
                ourKey(),
                customer.id().toString(),
                "customer_user",
                Instant.now().plusSeconds(60)));
    }

    @Test
    void tokenOfAnOlderSecurityVersionIsRefusedAsAnEndedSession() throws JOSEException {
        SignedIn customer = accounts().aSignedInCustomer();
        String older = sign(
                ourKey(),
                customer.id().toString(),
                "customer_user",
                Instant.now().plusSeconds(60));
        superuser()
                .sql("UPDATE public.users SET security_version = security_version + 1 WHERE id = :id")
                .param("id", customer.id())
                .update();

        Response response = api().get("/api/v1/me", older);

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("session-ended");
    }

    @Test
    void tokenExpiredLongerAgoThanTheStatedClockSkewIsRefused() throws JOSEException {
        SignedIn customer = accounts().aSignedInCustomer();

        // The stated skew is 5 seconds (vipride.security.jwt.clock-skew).
        assertRefused(sign(
                ourKey(),
                customer.id().toString(),
                "customer_user",
                Instant.now().minusSeconds(7)));
        assertThat(api().get(
                                "/api/v1/me",
                                sign(
                                        ourKey(),
                                        customer.id().toString(),
                                        "customer_user",
                                        Instant.now().plusSeconds(2)))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void lockingAnAccountEndsItsAccessTokenOnTheNextRequest() {
        SignedIn customer = accounts().aSignedInCustomer();
        assertThat(api().get("/api/v1/me", customer.accessToken()).status()).isEqualTo(200);

        superuser()
                .sql("UPDATE public.users SET account_locked_until = now() + interval '1 hour' WHERE id = :id")
                .param("id", customer.id())
                .update();

        Response response = api().get("/api/v1/me", customer.accessToken());
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("session-ended");
    }

    @Test
    void expiredTokenIsRefused() throws JOSEException {
        SignedIn customer = accounts().aSignedInCustomer();

        String token = sign(
                ourKey(),
                customer.id().toString(),
                "customer_user",
                Instant.now().minusSeconds(120));

        assertRefused(token);
    }

    @Test
    void tokenSignedWithAnotherKeyIsRefused() throws JOSEException {
        SignedIn customer = accounts().aSignedInCustomer();
        byte[] otherKey = "another-key-of-thirty-two-bytes-or-more!!".getBytes(StandardCharsets.US_ASCII);

        assertRefused(sign(
                otherKey,
                customer.id().toString(),
                "customer_user",
                Instant.now().plusSeconds(60)));
    }

    @Test
    void tamperedRoleClaimIsRefused() {
        SignedIn customer = accounts().aSignedInCustomer();
        String[] parts = customer.accessToken().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("customer_user", "system_admin");
        String tampered = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];

        assertRefused(tampered);
    }

    @Test
    void unsignedTokenIsRefused() {
        SignedIn customer = accounts().aSignedInCustomer();
        String header = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        String payload = customer.accessToken().split("\\.")[1];

        assertRefused(header + "." + payload + ".");
    }

    @Test
    void roleThatIsNotAPlatformRoleIsRefusedEvenWhenSigned() throws JOSEException {
        SignedIn customer = accounts().aSignedInCustomer();

        assertRefused(sign(
                ourKey(), customer.id().toString(), "postgres", Instant.now().plusSeconds(60)));
        assertRefused(sign(
                ourKey(),
                customer.id().toString(),
                "anonymous_user",
                Instant.now().plusSeconds(60)));
        assertRefused(
                sign(ourKey(), "not-a-uuid", "customer_user", Instant.now().plusSeconds(60)));
    }

    @Test
    void garbageTokenIsRefused() {
        assertRefused("not.a.token");
    }

    private void assertRefused(String token) {
        Response response = api().get("/api/v1/me", token);
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.code()).isEqualTo("invalid-token");
        assertThat(response.contentType()).startsWith("application/problem+json");
    }

    private byte[] ourKey() {
        return Base64.getDecoder().decode(secret);
    }

    private static String sign(byte[] key, String subject, String role, Instant expiresAt) throws JOSEException {
        return sign(key, subject, role, expiresAt, true);
    }

    private static String signWithoutVersion(byte[] key, String subject, String role, Instant expiresAt)
            throws JOSEException {
        return sign(key, subject, role, expiresAt, false);
    }

    /** A freshly signed-in account is at security version 0. */
    private static String sign(byte[] key, String subject, String role, Instant expiresAt, boolean withVersion)
            throws JOSEException {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
        if (withVersion) {
            builder.claim("sv", 0L);
        }
        JWTClaimsSet claims = builder.issuer("vipride")
                .subject(subject)
                .claim("role", role)
                .issueTime(Date.from(expiresAt.minusSeconds(900)))
                .expirationTime(Date.from(expiresAt))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }
}
