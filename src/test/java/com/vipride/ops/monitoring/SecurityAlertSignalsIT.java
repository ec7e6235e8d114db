package com.vipride.ops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.AsRole;
import com.vipride.support.IntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The sources migration 26 adds to monitoring.security_alerts: an accessor reading many VIPs in the last
 * hour, and role and privilege changes — shown to system_admin and audit_admin, not to vip_admin.
 */
class SecurityAlertSignalsIT extends IntegrationTest {

    private static final String ALERTS = "SELECT * FROM monitoring.security_alerts";

    @Test
    void aBurstOfVipDataAccessByOneAccessorShowsUp() {
        UUID wide = UUID.randomUUID();
        UUID wider = UUID.randomUUID();
        UUID usual = UUID.randomUUID();
        readVips(wide, 12, 1);
        readVips(wider, 60, 1);
        readVips(usual, 3, 2);

        for (String role : List.of("system_admin", "audit_admin")) {
            List<Map<String, Object>> alerts = alerts(role);
            Map<String, Object> medium = signal(alerts, "vip_access_volume", wide);
            assertThat(medium.get("severity")).isEqualTo("medium");
            assertThat((String) medium.get("detail")).contains("12 times for 12 VIPs");
            assertThat(medium.get("alert_time")).isNotNull();
            assertThat(signal(alerts, "vip_access_volume", wider).get("severity"))
                    .isEqualTo("high");
            assertThat(alerts).noneMatch(row -> usual.equals(row.get("subject_user_id")));
        }
        assertThat(alerts("vip_admin")).noneMatch(row -> "vip_access_volume".equals(row.get("category")));
    }

    @Test
    void aRoleGrantShowsUpAtOnceAndStaysOnceRecorded() {
        String probe = "probe_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        superuser().sql("CREATE ROLE " + probe + " NOLOGIN").update();
        superuser().sql("GRANT audit_admin TO " + probe).update();
        try {
            for (String role : List.of("system_admin", "audit_admin")) {
                assertThat(details(alerts(role), "critical"))
                        .as(role)
                        .contains(probe + " was made a member of audit_admin (found now, not yet recorded)");
            }
            assertThat(alerts("vip_admin")).noneMatch(row -> "privilege_change".equals(row.get("category")));

            int recorded = AsRole.query(
                    dataSourceFor("app_backend"),
                    "system_admin",
                    sql -> sql.sql("SELECT monitoring.record_privilege_changes()")
                            .query(Integer.class)
                            .single());
            // The function's transaction was rolled back by AsRole; the operations job commits it.
            assertThat(recorded).isGreaterThanOrEqualTo(2);
            superuser()
                    .sql("SELECT monitoring.record_privilege_changes()")
                    .query(Integer.class)
                    .single();

            List<Map<String, Object>> afterRecording = alerts("audit_admin");
            assertThat(details(afterRecording, "critical")).contains(probe + " was made a member of audit_admin");
            assertThat(afterRecording)
                    .filteredOn(row -> (probe + " was made a member of audit_admin").equals(row.get("detail")))
                    .allSatisfy(row -> assertThat((String) row.get("reference")).startsWith("privilege_change:"));
            long recordedGrants = AsRole.query(
                    dataSourceFor("app_backend"),
                    "audit_admin",
                    sql -> sql.sql("""
                    SELECT count(*) FROM audit.privilege_changes
                     WHERE kind = 'membership' AND object = 'audit_admin' AND grantee = :probe AND change = 'granted'""").param("probe", probe).query(Long.class).single());
            assertThat(recordedGrants).isEqualTo(1);
        } finally {
            superuser().sql("DROP ROLE " + probe).update();
        }
        assertThat(details(alerts("system_admin"), "high"))
                .contains("Role " + probe + " was dropped (found now, not yet recorded)");
        superuser()
                .sql("SELECT monitoring.record_privilege_changes()")
                .query(Integer.class)
                .single();
    }

    @Test
    void anObjectGrantShowsUp() {
        superuser().sql("GRANT SELECT ON public.hotel_rooms TO support_agent").update();
        try {
            assertThat(details(alerts("audit_admin"), "medium"))
                    .contains(
                            "SELECT on table public.hotel_rooms granted to support_agent (found now, not yet recorded)");
        } finally {
            superuser()
                    .sql("REVOKE SELECT ON public.hotel_rooms FROM support_agent")
                    .update();
        }
        assertThat(alerts("audit_admin"))
                .noneMatch(row -> String.valueOf(row.get("detail")).contains("public.hotel_rooms"));
    }

    private void readVips(UUID accessor, int vips, int readsEach) {
        superuser()
                .sql("""
                INSERT INTO audit.vip_access_log (vip_user_id, accessor_user_id, accessor_role, data_accessed, purpose, accessed_at)
                SELECT v.id, :accessor, 'vip_operator', 'profile', 'test burst', now() - interval '5 minutes'
                  FROM (SELECT gen_random_uuid() AS id FROM generate_series(1, :vips)) v, generate_series(1, :reads)""")
                .param("accessor", accessor)
                .param("vips", vips)
                .param("reads", readsEach)
                .update();
    }

    private List<Map<String, Object>> alerts(String role) {
        return AsRole.query(
                dataSourceFor("app_backend"),
                role,
                sql -> sql.sql(ALERTS).query().listOfRows());
    }

    private static Map<String, Object> signal(List<Map<String, Object>> alerts, String category, UUID subject) {
        return alerts.stream()
                .filter(row -> category.equals(row.get("category")) && subject.equals(row.get("subject_user_id")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + category + " alert for " + subject));
    }

    private static List<Object> details(List<Map<String, Object>> alerts, String severity) {
        return alerts.stream()
                .filter(row -> "privilege_change".equals(row.get("category")) && severity.equals(row.get("severity")))
                .map(row -> row.get("detail"))
                .toList();
    }
}
