package com.vipride.drills;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Drill: every operation of the OpenAPI document, as every kind of caller (anonymous, rider, driver
 * and each staff role), gets requests broken in one way each ({@link OpenApiFuzzer}). None may answer
 * 5xx, and none may write: the row counts of every business table are the same before and after.
 * Size and seed: -Dfuzz.cases (per operation and role, default 4) and -Dfuzz.seed. Prints its figures
 * and writes them to target/drills/fuzz.txt.
 */
class OpenApiFuzzIT extends IntegrationTest {

    private static final List<String> STAFF = List.of(
            "system_admin",
            "audit_admin",
            "compliance_officer",
            "vip_admin",
            "vip_operator",
            "emergency_responder",
            "fleet_admin",
            "support_agent",
            "hotel_staff",
            "driver");

    @Test
    void everyOperationAsEveryRoleRefusesMalformedInputWithA4xxAndWritesNothing() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261207L);
        int cases = Integer.getInteger("fuzz.cases", 4);
        JsonNode document = api().get("/v3/api-docs", null).body();
        Map<String, String> callers = new LinkedHashMap<>();
        callers.put("anonymous", null);
        callers.put("customer", accounts().aSignedInCustomer().accessToken());
        for (String role : STAFF) {
            callers.put(role, accounts().aSignedInStaffMember(role).accessToken());
        }
        OpenApiFuzzer fuzzer = new OpenApiFuzzer(document, seed);
        List<OpenApiFuzzer.Operation> operations = fuzzer.operations();
        Map<String, Long> before = rowCounts();

        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Map<Integer, Integer> byStatus = new TreeMap<>();
        Map<String, Integer> byMutation = new TreeMap<>();
        List<String> serverErrors = new ArrayList<>();
        List<String> accepted = new ArrayList<>();
        int requests = 0;
        long started = System.nanoTime();
        for (OpenApiFuzzer.Operation operation : operations) {
            for (Map.Entry<String, String> caller : callers.entrySet()) {
                for (int i = 0; i < cases; i++) {
                    OpenApiFuzzer.Case request = fuzzer.malformed(operation);
                    int status = send(http, request, caller.getValue());
                    requests++;
                    byStatus.merge(status, 1, Integer::sum);
                    byMutation.merge(request.mutation(), 1, Integer::sum);
                    String line = status + " " + operation.name() + " as " + caller.getKey() + " ["
                            + request.mutation() + "] " + request.method().toUpperCase() + " " + request.path()
                            + (request.body() == null ? "" : " " + abbreviate(request.body()));
                    if (status >= 500) {
                        serverErrors.add(line);
                    } else if (status < 400) {
                        accepted.add(line);
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Map<String, Long> after = rowCounts();
        Map<String, String> changed = new TreeMap<>();
        before.forEach((table, count) -> {
            if (!count.equals(after.get(table))) {
                changed.put(table, count + " -> " + after.get(table));
            }
        });

        StringBuilder report = new StringBuilder();
        report.append("fuzz: seed ")
                .append(seed)
                .append(", ")
                .append(cases)
                .append(" cases per operation and caller\n");
        report.append("fuzz: operations ")
                .append(operations.size())
                .append(", callers ")
                .append(callers.size())
                .append(", requests ")
                .append(requests)
                .append(String.format(" in %.1f s%n", seconds));
        report.append("fuzz: by status ").append(byStatus).append('\n');
        report.append("fuzz: by mutation ").append(byMutation).append('\n');
        report.append("fuzz: 5xx ")
                .append(serverErrors.size())
                .append(", accepted (2xx/3xx) ")
                .append(accepted.size())
                .append('\n');
        report.append("fuzz: tables counted ")
                .append(before.size())
                .append(", tables changed ")
                .append(changed.size())
                .append(changed.isEmpty() ? "" : " " + changed)
                .append('\n');
        serverErrors.stream()
                .limit(40)
                .forEach(e -> report.append("  5xx: ").append(e).append('\n'));
        accepted.stream()
                .limit(40)
                .forEach(e -> report.append("  accepted: ").append(e).append('\n'));
        System.out.print(report);
        Path out = Path.of("target/drills/fuzz.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);

        com.vipride.support.DrillSummary.write(
                "openapi-fuzz",
                operations.size() + " operations × " + callers.size() + " callers, seed " + seed + ", " + cases
                        + " cases each",
                "-",
                requests + " malformed requests in " + String.format("%.0f", seconds) + " s: " + serverErrors.size()
                        + " × 5xx, " + accepted.size() + " accepted",
                changed.size() + " of " + before.size() + " tables changed by refused requests",
                serverErrors.isEmpty() && accepted.isEmpty() && changed.isEmpty(),
                Map.of(
                        "operations", operations.size(),
                        "callers", callers.size(),
                        "requests", requests,
                        "serverErrors", serverErrors.size(),
                        "accepted", accepted.size(),
                        "tablesCounted", before.size(),
                        "tablesChanged", changed.size(),
                        "byStatus", byStatus.toString(),
                        "seconds", Math.round(seconds * 10) / 10.0));

        assertThat(serverErrors).as(report.toString()).isEmpty();
        assertThat(accepted).as(report.toString()).isEmpty();
        assertThat(changed).as(report.toString()).isEmpty();
    }

    private int send(HttpClient http, OpenApiFuzzer.Case request, String token) throws InterruptedException {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(URI.create(baseUrl() + request.path()))
                    .timeout(Duration.ofSeconds(30));
        } catch (IllegalArgumentException unsendable) {
            return 400; // the client itself cannot express the request
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpRequest.BodyPublisher body = request.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body());
        if (request.contentType() != null) {
            builder.header("Content-Type", request.contentType());
        }
        builder.method(request.method().toUpperCase(), body);
        try {
            return http.send(builder.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new IllegalStateException("no answer to " + request, e);
        }
    }

    /** Rows of every business table (the audit trail, login tries and rate-limit buckets excluded). */
    private Map<String, Long> rowCounts() {
        List<String> tables = superuser().sql("""
                        SELECT format('%I.%I', n.nspname, c.relname)
                          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                         WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
                           AND n.nspname IN ('public', 'vip_data')
                           AND c.relname NOT IN ('login_attempts', 'flyway_schema_history')
                         ORDER BY 1""").query(String.class).list();
        Map<String, Long> counts = new TreeMap<>();
        for (String table : tables) {
            counts.put(
                    table,
                    superuser()
                            .sql("SELECT count(*) FROM " + table)
                            .query(Long.class)
                            .single());
        }
        return counts;
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() > 160 ? oneLine.substring(0, 160) + "…" : oneLine;
    }
}
