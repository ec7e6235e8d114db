package com.vipride.drills;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Input that never reaches a controller — refused by Tomcat, the firewall, the path matcher or the
 * error page — is a 4xx too, written as raw bytes on a socket where an HTTP client would refuse to send
 * it. Also: the operators' paths do not exist on the public port, forwarded headers from a client that
 * is no configured proxy are ignored.
 */
class MalformedRequestIT extends IntegrationTest {

    @Test
    void theErrorPageAskedForDirectlyIsNotFound() {
        Response error = api().get("/error", null);

        assertThat(error.status()).isEqualTo(404);
        assertThat(error.code()).isEqualTo("not-found");
    }

    @Test
    void requestsRefusedBeforeAnyControllerAre4xx() throws IOException {
        String token = accounts().aSignedInCustomer().accessToken();
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put("method not allowed", "PUT /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
        raw.put(
                "method not allowed, signed in",
                "DELETE /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token + "\r\n\r\n");
        raw.put("unknown method", "FOO /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("TRACE", "TRACE /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("dot segments", "GET /api/v1/me/../me HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("encoded dot segments", "GET /api/v1/%2e%2e/api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("encoded slash", "GET /api/v1/rides%2Fx HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("double slash", "GET //api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("path parameter", "GET /api/v1/me;jsessionid=1 HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("bad percent encoding", "GET /api/v1/me%ZZ HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("encoded null", "GET /api/v1/rides/%00 HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("invalid UTF-8 in path", "GET /api/v1/rides/%C0%AF HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("space in target", "GET /api/v1/m e HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("braces in target", "GET /api/v1/{x} HTTP/1.1\r\nHost: x\r\n\r\n");
        raw.put("header without colon", "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n");
        raw.put("oversized header", "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
        raw.put("control character in header", "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n");
        raw.put("bad HTTP version", "GET /api/v1/me HTTP/9.9\r\nHost: x\r\n\r\n");
        raw.put(
                "invalid UTF-8 body",
                bodyRequest("application/json", "{\"email\":\"\u00c3(\"}", StandardCharsets.ISO_8859_1));
        raw.put("unknown charset", bodyRequest("application/json; charset=bogus", "{}", StandardCharsets.US_ASCII));
        raw.put(
                "lone surrogate",
                bodyRequest(
                        "application/json",
                        "{\"email\":\"\\ud800@x.io\",\"password\":\"p\"}",
                        StandardCharsets.US_ASCII));
        raw.put("array with null", bodyRequest("application/json", "[null]", StandardCharsets.US_ASCII));
        raw.put(
                "chunked garbage",
                "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n");

        Map<String, Integer> answers = new LinkedHashMap<>();
        for (Map.Entry<String, String> request : raw.entrySet()) {
            answers.put(request.getKey(), statusOf(request.getValue()));
        }

        System.out.println("malformed requests: " + answers);
        // The one 5xx is the protocol's own: Tomcat answers a request line naming HTTP/9.9 with 505 HTTP
        // Version Not Supported before any of the service's code runs.
        assertThat(answers.remove("bad HTTP version")).isEqualTo(505);
        assertThat(answers)
                .allSatisfy((name, status) -> assertThat(status).as(name).isBetween(400, 499));
    }

    @Test
    void operatorsPathsDoNotExistOnThePublicPortButDoOnTheManagementPort() {
        for (String path : new String[] {
            "/actuator/prometheus",
            "/actuator/health/details",
            "/actuator/info",
            "/actuator",
            "/internal/vip-crypto/decrypt"
        }) {
            assertThat(api().get(path, null).status()).as(path).isEqualTo(404);
        }
        Response health = api().get("/actuator/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.raw())
                .doesNotContain("components")
                .doesNotContain("diskSpace")
                .doesNotContain("path");

        assertThat(management().get("/actuator/prometheus", null).status()).isEqualTo(200);
        Response details = management().get("/actuator/health/details", null);
        assertThat(details.status()).isEqualTo(200);
        assertThat(details.body().get("components").has("databaseHealth")).isTrue();
        assertThat(URI.create(managementUrl()).getHost()).isEqualTo("localhost");
    }

    @Test
    void forwardedHeadersFromAClientThatIsNoProxyAreIgnored() throws IOException {
        String email = com.vipride.support.TestAccounts.uniqueEmail();
        String json = com.vipride.support.TestAccounts.registration(
                        email, com.vipride.support.TestAccounts.uniquePhone())
                .entrySet()
                .stream()
                .map(e ->
                        "\"" + e.getKey() + "\":" + (e.getValue() instanceof String s ? "\"" + s + "\"" : e.getValue()))
                .reduce((a, b) -> a + "," + b)
                .map(body -> "{" + body + "}")
                .orElseThrow();
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        int status = statusOf("POST /api/v1/auth/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "X-Forwarded-For: 203.0.113.9\r\nForwarded: for=203.0.113.9\r\nContent-Length: " + bytes.length
                + "\r\n\r\n" + json);
        assertThat(status).isEqualTo(201);
        String recorded = superuser()
                .sql("SELECT host(e.client_ip) FROM audit.auth_events e JOIN public.users u ON u.id = e.user_id"
                        + " WHERE u.email = :email AND e.event = 'registered'")
                .param("email", email)
                .query(String.class)
                .single();
        assertThat(recorded).isNotEqualTo("203.0.113.9").isIn("127.0.0.1", "::1", "0:0:0:0:0:0:0:1");

        String document =
                statusAndBody("GET /v3/api-docs HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-Host: evil.example\r\n"
                        + "X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n");
        assertThat(document).doesNotContain("evil.example");
    }

    @Test
    void theApiDocumentDeclaresHowEachOperationAuthenticates() {
        tools.jackson.databind.JsonNode document =
                api().get("/v3/api-docs", null).body();

        assertThat(document.at("/components/securitySchemes/bearerAuth/scheme").asString())
                .isEqualTo("bearer");
        assertThat(document.at("/paths/~1api~1v1~1me/get/security/0").has("bearerAuth"))
                .isTrue();
        assertThat(document.at("/paths/~1api~1v1~1auth~1login/post/security").isEmpty())
                .isTrue();
        assertThat(document.at("/paths/~1api~1v1~1auth~1login/post/security").isArray())
                .isTrue();
    }

    private static String bodyRequest(String contentType, String body, java.nio.charset.Charset charset) {
        byte[] bytes = body.getBytes(charset);
        return "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + bytes.length + "\r\n\r\n" + new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private int statusOf(String request) throws IOException {
        String answer = statusAndBody(request);
        String[] statusLine = answer.split("\r\n", 2)[0].split(" ");
        return statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : -1;
    }

    private String statusAndBody(String request) throws IOException {
        int port = URI.create(baseUrl()).getPort();
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            String closing = request.contains("Connection: close")
                    ? request
                    : request.replaceFirst("\r\n", "\r\nConnection: close\r\n");
            out.write(closing.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException done) {
                // the server answered and kept or reset the connection
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
