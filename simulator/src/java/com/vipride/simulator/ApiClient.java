package com.vipride.simulator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The simulated clients' HTTP: JSON in and out, counted. A non-2xx answer is a business refusal when the
 * caller said it may happen (by problem code); any other one is an error, counted by status and code and
 * printed (the first ones in full). A 429 (rate limit) or 503 (database busy) is retried after its Retry-After,
 * as a polite client does, and counted as throttled.
 */
final class ApiClient {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int PRINTED_ERRORS = 20;

    private final String baseUrl;
    private final Stats stats;
    private final PrintStream out;
    private final HttpClient http;
    private final AtomicInteger printed = new AtomicInteger();

    ApiClient(String baseUrl, Stats stats, PrintStream out) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.stats = stats;
        this.out = out;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    record Response(int status, JsonNode body) {
        boolean ok() {
            return status / 100 == 2;
        }

        String code() {
            return body == null ? "" : body.path("code").asString("");
        }

        String text(String field) {
            return body.path(field).asString(null);
        }
    }

    Response get(String path, String token) {
        return send("GET", path, token, null, Set.of(), Map.of());
    }

    Response post(String path, String token, Object body) {
        return send("POST", path, token, body, Set.of(), Map.of());
    }

    Response send(
            String method,
            String path,
            String token,
            Object body,
            Set<String> expectedCodes,
            Map<String, String> headers) {
        String json = body == null ? null : body instanceof String raw ? raw : JSON.writeValueAsString(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return exchange(method, path, token, request, expectedCodes, headers);
    }

    /** A document with a small PDF file, as multipart/form-data. */
    Response upload(String path, String token, Map<String, String> fields, String fileNumber) {
        String boundary = "sim-" + UUID.randomUUID();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringBuilder text = new StringBuilder();
        fields.forEach((name, value) -> text.append("--")
                .append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"")
                .append(name)
                .append("\"\r\n\r\n")
                .append(value)
                .append("\r\n"));
        text.append("--")
                .append(boundary)
                .append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"document.pdf\"\r\n")
                .append("Content-Type: application/pdf\r\n\r\n")
                .append("%PDF-1.4\n% ")
                .append(fileNumber)
                .append("\n%%EOF\n\r\n--")
                .append(boundary)
                .append("--\r\n");
        bytes.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray()));
        return exchange("POST", path, token, request, Set.of(), Map.of());
    }

    private Response exchange(
            String method,
            String path,
            String token,
            HttpRequest.Builder request,
            Set<String> expectedCodes,
            Map<String, String> headers) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        HttpRequest built = request.build();
        for (int attempt = 1; ; attempt++) {
            stats.requests.incrementAndGet();
            Response response;
            HttpResponse<String> raw;
            try {
                raw = http.send(built, HttpResponse.BodyHandlers.ofString());
                response = new Response(raw.statusCode(), parse(raw.body()));
            } catch (IOException e) {
                stats.error("io " + e.getClass().getSimpleName());
                report(method, path, "no answer: " + e);
                return new Response(0, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Response(0, null);
            }
            if ((response.status() == 429 && attempt < 30) || (response.status() == 503 && attempt < 6)) {
                stats.throttled.incrementAndGet();
                long wait = raw.headers().firstValueAsLong("Retry-After").orElse(1L);
                sleep(Math.min(Math.max(wait, 1), 30) * 1000L);
                continue;
            }
            if (!response.ok()) {
                if (expectedCodes.contains(response.code())) {
                    stats.refusalsExpected.incrementAndGet();
                } else {
                    stats.error(response.status() + " " + (response.code().isEmpty() ? "-" : response.code()));
                    report(method, path, response.status() + " " + response.body());
                }
            }
            return response;
        }
    }

    private void report(String method, String path, String what) {
        if (printed.incrementAndGet() <= PRINTED_ERRORS) {
            out.println("ERROR " + method + " " + path + ": " + what);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            return JSON.createObjectNode().put("raw", body.length() > 200 ? body.substring(0, 200) : body);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
