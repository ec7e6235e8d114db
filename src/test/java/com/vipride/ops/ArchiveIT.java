package com.vipride.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.platform.jobs.JobRun;
import com.vipride.platform.jobs.Jobs;
import com.vipride.support.AuditChain;
import com.vipride.support.IntegrationTest;
import com.vipride.support.Rides;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import tools.jackson.databind.ObjectMapper;

/**
 * archive.archive_old_data as the spec calls it: old rides leave the live table with their payments, land
 * in the archive (whole months attached as partitions, the rest moved row by row), and no row is lost or
 * duplicated; the audit roles read the archive; the retention job applies every rule and records it.
 */
class ArchiveIT extends IntegrationTest {

    @Autowired
    Jobs jobs;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void oldRidesMoveToTheArchiveWithTheirPaymentsAndTotalsAreConserved() throws Exception {
        UUID customer = accounts().aRegisteredCustomer().id();
        OffsetDateTime firstCutoff = OffsetDateTime.now(ZoneOffset.UTC).minusMonths(120);
        LocalDate straddled = firstCutoff.toLocalDate().withDayOfMonth(1);
        OffsetDateTime straddledStart = straddled.atStartOfDay().atOffset(ZoneOffset.UTC);
        superuser()
                .sql("SELECT public.create_monthly_ride_partition(:m)")
                .param("m", straddled)
                .query(String.class)
                .single();
        superuser()
                .sql("SELECT public.create_monthly_ride_partition(:m)")
                .param("m", straddled.minusMonths(3))
                .query(String.class)
                .single();

        UUID wholeMonth = Rides.aRideRequestedAt(
                superuser(), customer, straddledStart.minusMonths(3).plusDays(4));
        UUID stray = Rides.aRideRequestedAt(superuser(), customer, straddledStart.minusYears(2));
        UUID earlyInStraddled = Rides.aRideRequestedAt(superuser(), customer, straddledStart.plusMinutes(1));
        UUID lateInStraddled = Rides.aRideRequestedAt(
                superuser(), customer, straddledStart.plusMonths(1).minusMinutes(1));
        UUID recent = Rides.aRideRequestedAt(superuser(), customer, OffsetDateTime.now(ZoneOffset.UTC));
        UUID payment = insertPayment(customer, wholeMonth);
        assertThat(partitionOf(stray)).isEqualTo("rides_default");
        long before = ridesOf(customer, "public.rides") + ridesOf(customer, "archive.rides");

        Map<?, ?> first =
                json.readValue(asSystemAdmin("SELECT archive.archive_old_data('rides', 120)::text"), Map.class);

        assertThat(((Number) first.get("partitions_moved")).intValue()).isGreaterThanOrEqualTo(1);
        assertThat(((Number) first.get("payments")).longValue()).isGreaterThanOrEqualTo(1);
        assertThat(liveIds(customer)).containsExactlyInAnyOrder(lateInStraddled, recent);
        assertThat(archivedIds(customer)).containsExactlyInAnyOrder(wholeMonth, stray, earlyInStraddled);
        assertThat(count("public.payments", payment)).isZero();
        assertThat(count("archive.payments", payment)).isOne();
        assertThat(parentOf("archive." + partitionName(straddled.minusMonths(3))))
                .isEqualTo("archive.rides");
        assertThat(ridesOf(customer, "public.rides") + ridesOf(customer, "archive.rides"))
                .isEqualTo(before);

        String spec = asSystemAdmin("SELECT archive.archive_old_data('rides', 84)::text");

        assertThat(spec).contains("\"partitions_moved\"");
        assertThat(liveIds(customer)).containsExactly(recent);
        assertThat(archivedIds(customer))
                .containsExactlyInAnyOrder(wholeMonth, stray, earlyInStraddled, lateInStraddled);
        assertThat(parentOf("archive." + partitionName(straddled)))
                .as("the month joined the rows archived before it")
                .isEqualTo("archive.rides");
        assertThat(ridesOf(customer, "public.rides") + ridesOf(customer, "archive.rides"))
                .isEqualTo(before);

        String again = asSystemAdmin("SELECT archive.archive_old_data('rides', 84) ->> 'rides'");
        assertThat(again).isEqualTo("0");
    }

    @Test
    void theAuditRolesReadTheArchiveAndOthersCannot() throws Exception {
        assertThat(asRole("audit_admin", "SELECT count(*) >= 0 FROM archive.rides"))
                .isEqualTo("t");
        assertThat(asRole("compliance_officer", "SELECT count(*) >= 0 FROM archive.payments"))
                .isEqualTo("t");
        assertThatThrownBy(() -> asRole("support_agent", "SELECT count(*) FROM archive.rides"))
                .hasMessageContaining("permission denied");
        assertThatThrownBy(() -> asRole("support_agent", "SELECT archive.archive_old_data('rides', 84)"))
                .hasMessageContaining("permission denied");
    }

    @Test
    void aDependantWithoutAnArchiveTableIsRefusedWhileItReferencesOldRides() throws Exception {
        UUID customer = accounts().aRegisteredCustomer().id();
        try (Connection connection =
                postgres.superuserDataSource(postgres.database()).getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                UUID ride = Rides.aRideRow(
                        JdbcClient.create(new SingleConnectionDataSource(connection, true)),
                        customer,
                        Map.of("requested_at", "now() - interval '100 months'"));
                statement.execute(
                        "CREATE TEMP TABLE old_ride ON COMMIT DROP AS SELECT id, requested_at FROM public.rides "
                                + "WHERE id = '" + ride + "'");
                statement.execute("GRANT SELECT ON old_ride TO vipride_owner");
                statement.execute("SET LOCAL ROLE vipride_owner");
                statement.execute("""
                        CREATE TABLE public.ride_notes (ride_id uuid NOT NULL, ride_requested_at timestamptz NOT NULL,
                            FOREIGN KEY (ride_id, ride_requested_at) REFERENCES public.rides (id, requested_at))""");
                statement.execute("INSERT INTO public.ride_notes SELECT id, requested_at FROM old_ride");
                assertThatThrownBy(() -> statement.execute("SELECT archive.archive_old_data('rides', 84)"))
                        .hasMessageContaining("public.ride_notes")
                        .hasMessageContaining("has no archive table");
            } finally {
                connection.rollback();
            }
        }
    }

    @Test
    void archivingTheAuditLogMovesWholeMonthsAndKeepsTheChainVerifiable() throws Exception {
        LocalDate oldMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(100);
        superuser()
                .sql("SELECT audit.create_monthly_audit_partition(:m)")
                .param("m", oldMonth)
                .query(String.class)
                .single();
        long id = superuser()
                .sql("""
                INSERT INTO audit.audit_log ("timestamp", table_schema, table_name, record_id, operation, new_values, db_role)
                VALUES (:at, 'public', 'rides', 'archive-probe', 'INSERT', '{}', 'system_admin') RETURNING id""")
                .param("at", oldMonth.atStartOfDay().atOffset(ZoneOffset.UTC).plusDays(2))
                .query(Long.class)
                .single();
        AuditChain.sealEverything(superuser());

        Integer months = Integer.valueOf(asSystemAdmin("SELECT audit.apply_audit_retention()"));

        assertThat(months).isGreaterThanOrEqualTo(1);
        assertThat(parentOf("archive." + "audit_log" + suffix(oldMonth))).isEqualTo("archive.audit_log");
        assertThat(asRole("audit_admin", "SELECT count(*) FROM archive.audit_log WHERE id = " + id))
                .isEqualTo("1");
        assertThat(superuser()
                        .sql("SELECT count(*) FROM audit.verify_chain() WHERE audit_id = :id")
                        .param("id", id)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void theRetentionJobAppliesEveryRuleAndRecordsCountsPerClass() {
        UUID vip = accounts().aRegisteredCustomer().id();
        LocalDate oldMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1).minusMonths(30);
        superuser()
                .sql("SELECT vip_data.create_monthly_location_partition(:m)")
                .param("m", oldMonth)
                .query(String.class)
                .single();
        UUID oldPosition = insertLocation(
                vip, oldMonth.atStartOfDay().atOffset(ZoneOffset.UTC).plusDays(1));
        UUID recentPosition = insertLocation(vip, OffsetDateTime.now(ZoneOffset.UTC));
        superuser()
                .sql(
                        "INSERT INTO audit.auth_events (user_id, event, occurred_at) VALUES (:u, 'login_failed', now() - interval '25 months')")
                .param("u", vip)
                .update();

        JobRun run = jobs.runNow("retention");

        assertThat(run.succeeded()).as(run.error().orElse("")).isTrue();
        assertThat(run.counts().values())
                .containsKeys("rides", "payments", "audit_log", "vip_location_history", "auth_events");
        assertThat(run.counts().get("vip_location_history")).isGreaterThanOrEqualTo(1);
        assertThat(run.counts().get("auth_events")).isGreaterThanOrEqualTo(1);
        assertThat(superuser()
                        .sql("SELECT count(*) FROM vip_data.vip_location_history WHERE id IN (:a, :b)")
                        .param("a", oldPosition)
                        .param("b", recentPosition)
                        .query(Long.class)
                        .single())
                .isOne();
        assertThat(superuser()
                        .sql(
                                "SELECT count(*) FROM audit.auth_events WHERE user_id = :u AND occurred_at < now() - interval '24 months'")
                        .param("u", vip)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(superuser()
                        .sql(
                                "SELECT jsonb_exists(counts, 'vip_location_history') FROM maintenance.job_runs WHERE id = :id")
                        .param("id", run.id())
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    private String asSystemAdmin(String sql) throws SQLException {
        return asRole("system_admin", sql);
    }

    /** Runs one statement as the service does: app_backend switched into the role, in one transaction. */
    private String asRole(String role, String sql) throws SQLException {
        try (Connection connection = dataSourceFor("app_backend").getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL ROLE " + role);
                try (ResultSet result = statement.executeQuery(sql)) {
                    result.next();
                    String value = result.getString(1);
                    connection.commit();
                    return value;
                }
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private UUID insertPayment(UUID payer, UUID ride) {
        return superuser()
                .sql("""
                INSERT INTO public.payments (payer_id, payment_type, ride_id, ride_requested_at, amount_minor, currency, method)
                SELECT :payer, 'ride_fare', id, requested_at, 250000, 'NGN', 'card' FROM public.rides WHERE id = :ride
                RETURNING id""")
                .param("payer", payer)
                .param("ride", ride)
                .query(UUID.class)
                .single();
    }

    private UUID insertLocation(UUID vip, OffsetDateTime recordedAt) {
        return superuser()
                .sql("""
                INSERT INTO vip_data.vip_location_history (user_id, encrypted_coordinates, recorded_at)
                VALUES (:vip, '\\x00'::bytea, :at) RETURNING id""")
                .param("vip", vip)
                .param("at", recordedAt)
                .query(UUID.class)
                .single();
    }

    private java.util.List<UUID> liveIds(UUID customer) {
        return superuser()
                .sql("SELECT id FROM public.rides WHERE customer_id = :c")
                .param("c", customer)
                .query(UUID.class)
                .list();
    }

    private java.util.List<UUID> archivedIds(UUID customer) {
        return superuser()
                .sql("SELECT id FROM archive.rides WHERE customer_id = :c")
                .param("c", customer)
                .query(UUID.class)
                .list();
    }

    private long ridesOf(UUID customer, String table) {
        return superuser()
                .sql("SELECT count(*) FROM " + table + " WHERE customer_id = :c")
                .param("c", customer)
                .query(Long.class)
                .single();
    }

    private long count(String table, UUID id) {
        return superuser()
                .sql("SELECT count(*) FROM " + table + " WHERE id = :id")
                .param("id", id)
                .query(Long.class)
                .single();
    }

    private String partitionOf(UUID ride) {
        return superuser()
                .sql("SELECT tableoid::regclass::text FROM public.rides WHERE id = :id")
                .param("id", ride)
                .query(String.class)
                .single();
    }

    private String parentOf(String partition) {
        return superuser()
                .sql("SELECT inhparent::regclass::text FROM pg_inherits WHERE inhrelid = CAST(:p AS regclass)")
                .param("p", partition)
                .query(String.class)
                .single();
    }

    private static String partitionName(LocalDate month) {
        return "rides" + suffix(month);
    }

    private static String suffix(LocalDate month) {
        return "_y%dm%02d".formatted(month.getYear(), month.getMonthValue());
    }
}
