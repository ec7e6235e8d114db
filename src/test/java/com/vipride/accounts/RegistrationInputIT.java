package com.vipride.accounts;

import static com.vipride.support.TestAccounts.registration;
import static com.vipride.support.TestAccounts.uniqueEmail;
import static com.vipride.support.TestAccounts.uniquePhone;
import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every kind of bad input is a 4xx problem with a stable code, and nothing is written. */
class RegistrationInputIT extends IntegrationTest {

    private static final String REGISTER = "/api/v1/auth/register";
    private long usersBefore;

    @BeforeEach
    void countUsers() {
        usersBefore = users();
    }

    @Test
    void malformedJson() {
        assertRejected(api().post(REGISTER, "{\"email\": \"a@b.co\", "), 400, "malformed-json");
    }

    @Test
    void missingRequiredField() {
        Map<String, Object> body = valid();
        body.remove("password");

        Response response = api().post(REGISTER, body);

        assertRejected(response, 400, "validation-failed");
        assertThat(response.raw()).contains("password");
    }

    @Test
    void mistypedField() {
        Map<String, Object> body = valid();
        body.put("dataProcessingConsent", "maybe");

        Response response = api().post(REGISTER, body);

        assertRejected(response, 400, "invalid-field-type");
        assertThat(response.text("detail")).contains("dataProcessingConsent");
    }

    @Test
    void unknownEnumValue() {
        Map<String, Object> body = valid();
        body.put("preferredLanguage", "klingon");

        Response response = api().post(REGISTER, body);

        assertRejected(response, 400, "invalid-enum-value");
        assertThat(response.text("detail")).contains("preferredLanguage").contains("yo");
    }

    @Test
    void fieldsACallerMayNotSetAreRefusedNotIgnored() {
        Map<String, Object> body = valid();
        body.put("tier", "vip");

        Response response = api().post(REGISTER, body);

        assertRejected(response, 400, "unknown-field");
        assertThat(response.text("detail")).contains("tier");
    }

    @Test
    void oversizedBodyWithContentLength() {
        Map<String, Object> body = valid();
        body.put("firstName", "x".repeat(600_000));

        assertRejected(api().post(REGISTER, body), 413, "payload-too-large");
    }

    @Test
    void oversizedChunkedBody() {
        Map<String, Object> body = valid();
        body.put("firstName", "x".repeat(600_000));
        String json = tools.jackson.databind.json.JsonMapper.builder().build().writeValueAsString(body);
        HttpRequest.BodyPublisher fixed = HttpRequest.BodyPublishers.ofString(json);
        HttpRequest.BodyPublisher chunked = new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
                fixed.subscribe(subscriber);
            }
        };

        Response response = api().send(api().request(REGISTER, null)
                .header("Content-Type", "application/json")
                .POST(chunked)
                .build());

        assertRejected(response, 413, "payload-too-large");
    }

    @Test
    void invalidEmail() {
        Map<String, Object> body = valid();
        body.put("email", "not-an-email");

        assertRejected(api().post(REGISTER, body), 400, "validation-failed");
    }

    @Test
    void invalidPhone() {
        Map<String, Object> body = valid();
        body.put("phone", "12-34");

        assertRejected(api().post(REGISTER, body), 400, "invalid-phone");
    }

    @Test
    void weakPassword() {
        Map<String, Object> body = valid();
        body.put("password", "short");

        Response response = api().post(REGISTER, body);

        assertRejected(response, 400, "validation-failed");
        assertThat(response.raw()).doesNotContain("short\"");
    }

    @Test
    void processingConsentIsRequired() {
        Map<String, Object> body = valid();
        body.put("dataProcessingConsent", false);

        assertRejected(api().post(REGISTER, body), 400, "consent-required");
    }

    @Test
    void wrongContentType() {
        Response response = api().send(api().request(REGISTER, null)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("hello"))
                .build());

        assertRejected(response, 415, "unsupported-media-type");
    }

    @Test
    void validRegistrationStillWorksAfterAllThat() {
        assertThat(api().post(REGISTER, valid()).status()).isEqualTo(201);
        assertThat(users()).isEqualTo(usersBefore + 1);
    }

    private void assertRejected(Response response, int status, String code) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.code()).isEqualTo(code);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.text("detail")).isNotBlank();
        assertThat(response.raw()).doesNotContain("Exception").doesNotContain("at com.");
        assertThat(users()).as("nothing written").isEqualTo(usersBefore);
    }

    private Map<String, Object> valid() {
        return new HashMap<>(registration(uniqueEmail(), uniquePhone()));
    }

    private long users() {
        return superuser()
                .sql("SELECT count(*) FROM public.users")
                .query(Long.class)
                .single();
    }
}
