package com.vipride.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api;
import com.vipride.support.TestAccounts;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A rider with a unique name, email and phone, and the compliance officer who handles their requests. */
final class PrivacyFixture {

    final Api api;
    final JdbcClient superuser;
    final String email = "subject-" + UUID.randomUUID() + "@example.com";
    final String phone = TestAccounts.uniquePhone();
    final String firstName = uniqueName();
    final String lastName = uniqueName();
    final UUID userId;
    final String token;

    PrivacyFixture(Api api, JdbcClient superuser) {
        this.api = api;
        this.superuser = superuser;
        Api.Response registered = api.post(
                "/api/v1/auth/register",
                Map.of(
                        "email", email,
                        "phone", phone,
                        "password", TestAccounts.PASSWORD,
                        "firstName", firstName,
                        "lastName", lastName,
                        "dataProcessingConsent", true));
        assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
        userId = UUID.fromString(registered.text("id"));
        token = login(email);
    }

    String login(String email) {
        Api.Response response =
                api.post("/api/v1/auth/login", Map.of("email", email, "password", TestAccounts.PASSWORD));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        return response.text("accessToken");
    }

    UUID fileRequest(String type) {
        Api.Response filed = api.post("/api/v1/me/privacy-requests", Map.of("type", type), token);
        assertThat(filed.status()).as(filed.toString()).isEqualTo(201);
        return UUID.fromString(filed.text("id"));
    }

    void drainAudit() {
        while (true) {
            Integer taken = superuser
                    .sql("SELECT audit.drain_inbox(100000)")
                    .query(Integer.class)
                    .single();
            if (taken != null && taken == 0) {
                return;
            }
        }
    }

    /** Every text-like column of every table in every schema, audit and archive included, that holds the value. */
    java.util.List<String> placesHolding(String value) {
        java.util.List<String> columns = superuser.sql("""
                        SELECT format('%I.%I', n.nspname, c.relname) || '|' || a.attname
                          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                         WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
                           AND a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'jsonb'::regtype, 'json'::regtype,
                                              'bpchar'::regtype, 'text[]'::regtype)""").query(String.class).list();
        java.util.List<String> found = new java.util.ArrayList<>();
        for (String entry : columns) {
            String table = entry.substring(0, entry.indexOf('|'));
            String column = entry.substring(entry.indexOf('|') + 1);
            Long hits = superuser
                    .sql("SELECT count(*) FROM " + table + " WHERE strpos(lower(\"" + column.replace("\"", "\"\"")
                            + "\"::text), lower(:value)) > 0")
                    .param("value", value)
                    .query(Long.class)
                    .single();
            if (hits > 0) {
                found.add(table + "." + column);
            }
        }
        return found;
    }

    private static String uniqueName() {
        StringBuilder name = new StringBuilder("Zq");
        for (int i = 0; i < 10; i++) {
            name.append((char) ('a' + ThreadLocalRandom.current().nextInt(26)));
        }
        return name.toString();
    }
}
