package com.vipride.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api.Response;
import com.vipride.support.AuditChain;
import com.vipride.support.IntegrationTest;
import com.vipride.support.RideWorld;
import com.vipride.support.TestAccounts;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every INSERT, UPDATE and DELETE on an audited table leaves one audit row: who (user and database
 * role), from where, the old and new values — with secrets and ciphertexts redacted — and when.
 */
class AuditTrailIT extends IntegrationTest {

    private static final String ENTRIES = """
            SELECT operation, user_id, db_role, host(client_ip) AS client_ip, user_agent, changed_fields::text AS changed,
                   compliance.reveal_audit_values(old_values)::text AS old_values,
                   compliance.reveal_audit_values(new_values)::text AS new_values
              FROM audit.audit_log WHERE table_name = :table AND record_id = :id ORDER BY id""";

    @Test
    void aRegistrationThroughTheApiIsAuditedWithTheRidersAddressAndNoPasswordHash() {
        String email = TestAccounts.uniqueEmail();
        Response response = api().send(api().request("/api/v1/auth/register", null)
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", "203.0.113.7")
                .header("User-Agent", "vipride-ios/7.1")
                .POST(HttpRequest.BodyPublishers.ofString(JsonMapper.builder()
                        .build()
                        .writeValueAsString(TestAccounts.registration(email, TestAccounts.uniquePhone()))))
                .build());
        assertThat(response.status()).as(response.toString()).isEqualTo(201);

        Map<String, Object> entry = single(entries("users", response.text("id")));
        assertThat(entry)
                .containsEntry("operation", "INSERT")
                .containsEntry("db_role", "anonymous_user")
                .containsEntry("user_id", null)
                .as("the client's own address: no proxy is trusted by default, so X-Forwarded-For is ignored")
                .containsEntry("client_ip", "127.0.0.1")
                .containsEntry("user_agent", "vipride-ios/7.1")
                .containsEntry("old_values", null);
        assertThat((String) entry.get("new_values"))
                .contains("\"email\": \"" + email + "\"")
                .contains("\"password_hash\": \"[redacted]\"")
                .doesNotContain("$argon2");
    }

    @Test
    void aCustomersUpdateIsAuditedWithWhoFromWhereAndWhatChanged() {
        UUID rider = accounts().aRegisteredCustomer().id();

        actingAs(
                "customer_user",
                rider,
                "198.51.100.9",
                sql -> sql.sql("UPDATE public.users SET first_name = 'Ngozi' WHERE id = :id")
                        .param("id", rider)
                        .update());

        Map<String, Object> update = entries("users", rider.toString()).get(1);
        assertThat(update)
                .containsEntry("operation", "UPDATE")
                .containsEntry("user_id", rider)
                .containsEntry("db_role", "customer_user")
                .containsEntry("client_ip", "198.51.100.9")
                .containsEntry("changed", "{first_name}");
        assertThat((String) update.get("old_values"))
                .contains("\"first_name\": \"Ada\"")
                .contains("\"password_hash\": \"[redacted]\"");
        assertThat((String) update.get("new_values"))
                .contains("\"first_name\": \"Ngozi\"")
                .contains("\"password_hash\": \"[redacted]\"");
    }

    @Test
    void aDeletedPaymentInstrumentIsAuditedWithItsProcessorTokenRedacted() {
        UUID rider = accounts().aRegisteredCustomer().id();
        String token = "tok_" + UUID.randomUUID();

        UUID instrument = actingAs(
                "customer_user",
                rider,
                "198.51.100.10",
                sql -> sql.sql("""
                INSERT INTO public.payment_methods (user_id, method, processor, processor_token, brand, last4,
                                                    expires_month, expires_year)
                VALUES (:user, 'card', 'sandbox', :token, 'visa', '4242', 12, 2030) RETURNING id""")
                        .param("user", rider)
                        .param("token", token)
                        .query(UUID.class)
                        .single());
        actingAs(
                "customer_user",
                rider,
                "198.51.100.10",
                sql -> sql.sql("DELETE FROM public.payment_methods WHERE id = :id")
                        .param("id", instrument)
                        .update());

        List<Map<String, Object>> entries = entries("payment_methods", instrument.toString());
        assertThat(entries).extracting(e -> e.get("operation")).containsExactly("INSERT", "DELETE");
        Map<String, Object> deletion = entries.get(1);
        assertThat(deletion)
                .containsEntry("user_id", rider)
                .containsEntry("db_role", "customer_user")
                .containsEntry("new_values", null);
        assertThat((String) deletion.get("old_values"))
                .contains("\"last4\": \"4242\"")
                .contains("\"processor_token\": \"[redacted]\"")
                .doesNotContain(token);
        assertThat((String) entries.get(0).get("new_values"))
                .contains("\"processor_token\": \"[redacted]\"")
                .doesNotContain(token);
    }

    @Test
    void vipCiphertextsNeverReachTheAuditLog() {
        UUID vip = accounts().aRegisteredCustomer().id();
        superuser()
                .sql("UPDATE public.users SET tier = 'vip' WHERE id = :id")
                .param("id", vip)
                .update();

        UUID profile = superuser().sql("""
                INSERT INTO vip_data.vip_profiles (user_id, priority_level, threat_level, security_notes_enc)
                VALUES (:user, 3, 'high', '\\x0102'::bytea) RETURNING id""").param("user", vip).query(UUID.class).single();

        String logged =
                (String) single(entries("vip_profiles", profile.toString())).get("new_values");
        assertThat(logged)
                .contains("\"security_notes_enc\": \"[redacted]\"")
                .contains("\"threat_level\": \"high\"")
                .doesNotContain("0102");
    }

    @Test
    void theSpecsHistoryQueryListsARecordsChangesNewestFirst() {
        UUID rider = accounts().aRegisteredCustomer().id();
        for (String name : List.of("Chidi", "Emeka")) {
            actingAs(
                    "customer_user",
                    rider,
                    "198.51.100.11",
                    sql -> sql.sql("UPDATE public.users SET first_name = :name WHERE id = :id")
                            .param("name", name)
                            .param("id", rider)
                            .update());
        }

        AuditChain.drain(superuser());
        List<Map<String, Object>> history = actingAs(
                "audit_admin",
                null,
                null,
                sql -> sql.sql("SELECT * FROM audit.audit_log WHERE table_name = 'users' AND record_id = '" + rider
                                + "' " + "ORDER BY timestamp DESC")
                        .query()
                        .listOfRows());

        assertThat(history).extracting(e -> e.get("operation")).containsExactly("UPDATE", "UPDATE", "INSERT");
        // Personal values are sealed under the rider's key; the audit roles open them with reveal_audit_values.
        assertThat(history.get(0).get("new_values").toString())
                .contains("sealed:v1:")
                .doesNotContain("Emeka");
        List<String> revealed = actingAs(
                "audit_admin",
                null,
                null,
                sql -> sql.sql("SELECT compliance.reveal_audit_values(new_values)::text FROM audit.audit_log "
                                + "WHERE table_name = 'users' AND record_id = :id ORDER BY timestamp DESC")
                        .param("id", rider.toString())
                        .query(String.class)
                        .list());
        assertThat(revealed.get(0)).contains("Emeka");
        assertThat(revealed.get(1)).contains("Chidi");
    }

    @Test
    void aDriversPingsAndAvailabilityLeaveNoAuditRowsButAnyOtherChangeDoes() {
        RideWorld world = new RideWorld(superuser(), accounts(), api());
        RideWorld.Driver driver = world.driverAt(100);
        int before = entries("drivers", driver.id().toString()).size();

        Response ping = api().post(
                        "/api/v1/drivers/me/position",
                        Map.of("lat", world.latNorth(250), "lng", world.lng),
                        driver.user().accessToken());
        assertThat(ping.status()).as(ping.toString()).isEqualTo(200);
        superuser()
                .sql("UPDATE public.drivers SET is_available = false, is_online = false WHERE id = :id")
                .param("id", driver.id())
                .update();
        assertThat(entries("drivers", driver.id().toString())).hasSize(before);

        superuser()
                .sql("UPDATE public.drivers SET status = 'suspended', current_lat = current_lat + 0.001 WHERE id = :id")
                .param("id", driver.id())
                .update();
        List<Map<String, Object>> after = entries("drivers", driver.id().toString());
        assertThat(after).hasSize(before + 1);
        assertThat(after.get(before))
                .containsEntry("operation", "UPDATE")
                .containsEntry("changed", "{status,current_lat,dispatch_xy}");
    }

    @Test
    void theDriversAuditTriggerFiresOnEveryColumnButThePositionAndAvailabilityOnes() {
        List<String> watched = superuser().sql("""
                SELECT a.attname::text FROM pg_trigger t
                  JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = ANY (t.tgattr)
                 WHERE t.tgrelid = 'public.drivers'::regclass AND t.tgname = 'drivers_audit_update'""").query(String.class).list();
        List<String> columns = superuser()
                .sql("SELECT attname::text FROM pg_attribute "
                        + "WHERE attrelid = 'public.drivers'::regclass AND attnum > 0 AND NOT attisdropped")
                .query(String.class)
                .list();
        List<String> ignored = List.of(
                "is_online",
                "is_available",
                "current_lat",
                "current_lng",
                "dispatch_xy",
                "position_updated_at",
                "updated_at");

        assertThat(columns).containsAll(ignored);
        for (String column : columns) {
            assertThat(watched.contains(column))
                    .as("drivers.%s watched by the audit trigger", column)
                    .isEqualTo(!ignored.contains(column));
        }
    }

    private List<Map<String, Object>> entries(String table, String recordId) {
        AuditChain.drain(superuser());
        return superuser()
                .sql(ENTRIES)
                .param("table", table)
                .param("id", recordId)
                .query()
                .listOfRows();
    }

    private static Map<String, Object> single(List<Map<String, Object>> rows) {
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    /** One committed transaction as the service runs it: the runtime login, switched into the caller's role. */
    private <T> T actingAs(String role, UUID user, String clientIp, Function<JdbcClient, T> work) {
        try (Connection connection = dataSourceFor("app_backend").getConnection()) {
            connection.setAutoCommit(false);
            JdbcClient sql = JdbcClient.create(new SingleConnectionDataSource(connection, true));
            sql.sql("""
                    SELECT set_config('role', :role, true), set_config('app.current_user_id', :user, true),
                           set_config('app.client_ip', :ip, true)""")
                    .param("role", role)
                    .param("user", user == null ? "" : user.toString())
                    .param("ip", clientIp == null ? "" : clientIp)
                    .query()
                    .listOfRows();
            T result = work.apply(sql);
            connection.commit();
            return result;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
