package com.vipride.bench.scenario.privacyheavysubject;

import com.vipride.bench.BenchContext;
import com.vipride.bench.BenchSettings;
import com.vipride.bench.Scenario;
import com.vipride.bench.Sql;
import com.vipride.bench.load.RideDataGenerator;
import com.vipride.bench.measure.Elapsed;
import com.vipride.bench.report.ScenarioReport;
import com.vipride.compliance.SubjectDataExport;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Export and erasure of one heavy data subject: 10,000 rides, 100,000 VIP location points and 50,000
 * audit rows about them. Export as the export job runs it (system_admin, {@code SubjectDataExport}): the
 * rows streamed from {@code compliance.open_subject_data(subject)} while a second thread writes the archive
 * (JSON and CSV per table, zipped), then the manifest. Erasure: {@code compliance.erase_subject(request)} as a compliance
 * officer, one transaction. Targets: each at most 5 s; no lock on a live table held longer than 1 s,
 * measured by probes that, every ~2 ms with a 5 ms lock_timeout, take the lock a writer needs on
 * {@code public.rides}, {@code public.users} and {@code vip_data.vip_location_history} and update another
 * rider's ride and account. Ceilings in the same run: the same rows read as JSON by one plain query per
 * table (export), and the same deletes and updates written by hand in a rolled-back transaction (erasure).
 */
public final class PrivacyHeavySubjectScenario implements Scenario {

    static final double TARGET_SECONDS = 5.0;
    static final double TARGET_LOCK_SECONDS = 1.0;
    static final String SUBJECT = "00000000-0000-4000-8000-00000000beef";

    @Override
    public String name() {
        return "privacy-heavy-subject";
    }

    @Override
    public String title() {
        return "export and erasure of a subject with 10,000 rides, 100,000 VIP positions and 50,000 audit rows";
    }

    @Override
    public ScenarioReport run(BenchContext context) throws Exception {
        PrintStream out = context.out();
        BenchSettings settings = context.settings();
        int subjectRides = settings.integer("subjectRides", 10_000);
        int positions = settings.integer("subjectPositions", 100_000);
        int auditRows = settings.integer("subjectAuditRows", 50_000);
        ScenarioReport report = new ScenarioReport();
        try (Connection superuser = context.superuser()) {
            RideDataGenerator.Config config = RideDataGenerator.Config.from(settings, 60_000, 12);
            report.put("load", new RideDataGenerator(config, out).load(superuser));
            out.printf("Subject: %,d rides, %,d VIP positions, %,d audit rows …%n", subjectRides, positions, auditRows);
            loadSubject(superuser, subjectRides, positions, auditRows);
            String other = Sql.queryText(
                    superuser.createStatement(),
                    "SELECT id::text FROM public.users WHERE id <> '" + SUBJECT
                            + "' AND user_type = 'customer' LIMIT 1");
            String otherRide = Sql.queryText(
                    superuser.createStatement(),
                    "SELECT id::text FROM public.rides WHERE customer_id <> '" + SUBJECT + "' LIMIT 1");
            Sql.execute(superuser, "ANALYZE");

            out.println("Ceiling: the subject's rows as JSON, one plain query per table …");
            long ceilingExportStart = System.nanoTime();
            Sql.queryText(superuser.createStatement(), """
                    SELECT length((SELECT jsonb_agg(to_jsonb(r)) FROM public.rides r WHERE customer_id = '%1$s')::text)
                         + length((SELECT jsonb_agg(to_jsonb(l) - 'encrypted_coordinates') FROM vip_data.vip_location_history l WHERE user_id = '%1$s')::text)
                         + length((SELECT jsonb_agg(to_jsonb(a)) FROM audit.audit_log a WHERE user_id = '%1$s')::text)""".formatted(SUBJECT));
            double ceilingExport = Elapsed.secondsSince(ceilingExportStart);

            List<Probe> probes = List.of(
                    new Probe("public.rides (writers)", "LOCK TABLE ONLY public.rides IN ROW EXCLUSIVE MODE", context),
                    new Probe("public.users (writers)", "LOCK TABLE public.users IN ROW EXCLUSIVE MODE", context),
                    new Probe(
                            "vip_data.vip_location_history (writers)",
                            "LOCK TABLE vip_data.vip_location_history IN ROW EXCLUSIVE MODE",
                            context),
                    new Probe(
                            "another rider's ride (row update)",
                            "UPDATE public.rides SET driver_rating = driver_rating WHERE id = '" + otherRide + "'",
                            context),
                    new Probe(
                            "another rider's account (row update)",
                            "UPDATE public.users SET preferred_language = preferred_language WHERE id = '" + other
                                    + "'",
                            context));
            double exportSeconds;
            double coldExportSeconds;
            int zipped;
            double ceilingErasure;
            String retained;
            double erasureSeconds;
            probes.forEach(Probe::start);
            try {
                Thread.sleep(200);

                // The first export in a fresh JVM also pays for compiling the archive writer; a service
                // that has exported before has it compiled. Both are reported; the second is the one timed
                // against the target.
                out.println("Export: compliance.open_subject_data as system_admin, archive written as the job does …");
                Export first = export(context);
                coldExportSeconds = first.seconds();
                Export warm = export(context);
                exportSeconds = warm.seconds();
                zipped = warm.zipped();
                out.printf(
                        "Export: first in this JVM %.2f s; again %.2f s (%.2f s reading the rows while the archive is"
                                + " written, %.2f s finishing the archive after the last row)%n",
                        coldExportSeconds,
                        exportSeconds,
                        warm.databaseSeconds(),
                        exportSeconds - warm.databaseSeconds());

                out.println("Ceiling: the erasure's deletes and updates by hand, rolled back …");
                try (Connection admin = context.superuser();
                        Statement statement = admin.createStatement()) {
                    admin.setAutoCommit(false);
                    long start = System.nanoTime();
                    statement.execute("DELETE FROM vip_data.vip_location_history WHERE user_id = '" + SUBJECT + "'");
                    statement.execute(
                            "UPDATE public.rides SET pickup_address = NULL, dropoff_address = NULL WHERE customer_id = '"
                                    + SUBJECT + "'");
                    ceilingErasure = Elapsed.secondsSince(start);
                    admin.rollback();
                }

                out.println("Erasure: compliance.erase_subject as a compliance officer …");
                String request = Sql.queryText(superuser.createStatement(), """
                    INSERT INTO compliance.subject_requests (user_id, request_type, channel, due_at, status,
                                                             identity_verified_at, identity_method)
                    VALUES ('%s', 'erasure', 'officer', now() + interval '1 month', 'verified', now(), 'bench')
                    RETURNING id::text""".formatted(SUBJECT));
                long erasureStart = System.nanoTime();
                try (Connection officer = context.connect("app_backend");
                        Statement statement = officer.createStatement()) {
                    officer.setAutoCommit(false);
                    statement.execute("SET LOCAL ROLE compliance_officer");
                    retained = Sql.queryText(
                            statement, "SELECT (compliance.erase_subject('" + request + "') -> 'retained')::text");
                    officer.commit();
                }
                erasureSeconds = Elapsed.secondsSince(erasureStart);
                Thread.sleep(200);
            } finally {
                probes.forEach(Probe::stop);
            }

            long positionsLeft = Sql.queryLong(
                    superuser, "SELECT count(*) FROM vip_data.vip_location_history WHERE user_id = '" + SUBJECT + "'");
            long addressesLeft = Sql.queryLong(
                    superuser,
                    "SELECT count(*) FROM public.rides WHERE customer_id = '" + SUBJECT
                            + "' AND pickup_address IS NOT NULL");
            double longestLock = probes.stream()
                    .mapToDouble(Probe::longestBlockedSeconds)
                    .max()
                    .orElse(0);

            report.put("subjectRides", subjectRides)
                    .put("subjectPositions", positions)
                    .put("subjectAuditRows", auditRows)
                    .put("exportSeconds", exportSeconds)
                    .put("firstExportInFreshJvmSeconds", coldExportSeconds)
                    .put("exportZipBytes", zipped)
                    .put("ceilingExportSeconds", ceilingExport)
                    .put("erasureSeconds", erasureSeconds)
                    .put("ceilingErasureSeconds", ceilingErasure)
                    .put("longestLockSeconds", longestLock)
                    .put("retained", retained);
            List<List<String>> rows = new ArrayList<>();
            for (Probe probe : probes) {
                report.put("longestLockSeconds:" + probe.name, probe.longestBlockedSeconds());
                rows.add(List.of(
                        probe.name,
                        "%.3f".formatted(probe.longestBlockedSeconds()),
                        "%,d".formatted(probe.attempts())));
            }
            report.heading("privacy-heavy-subject: %,d rides, %,d VIP positions, %,d audit rows, %s"
                            .formatted(subjectRides, positions, auditRows, java.time.Instant.now()))
                    .table(
                            List.of("", "seconds", "target", "ceiling s", "ratio"),
                            List.of(
                                    List.of(
                                            "export (open_subject_data + archive, %,d bytes)".formatted(zipped),
                                            "%.2f".formatted(exportSeconds),
                                            "≤ 5",
                                            "%.2f".formatted(ceilingExport),
                                            "%.1f".formatted(exportSeconds / ceilingExport)),
                                    List.of(
                                            "the same, first export in a fresh JVM",
                                            "%.2f".formatted(coldExportSeconds),
                                            "",
                                            "%.2f".formatted(ceilingExport),
                                            "%.1f".formatted(coldExportSeconds / ceilingExport)),
                                    List.of(
                                            "erasure (erase_subject, one transaction)",
                                            "%.2f".formatted(erasureSeconds),
                                            "≤ 5",
                                            "%.2f".formatted(ceilingErasure),
                                            "%.1f".formatted(erasureSeconds / ceilingErasure))))
                    .table(List.of("lock probe (5 ms lock_timeout, every ~2 ms)", "longest blocked s", "probes"), rows)
                    .summary(
                            "export %.2f s (first in a fresh JVM %.2f s; ceiling %.2f s), erasure %.2f s (ceiling %.2f s);"
                                            .formatted(
                                                    exportSeconds,
                                                    coldExportSeconds,
                                                    ceilingExport,
                                                    erasureSeconds,
                                                    ceilingErasure)
                                    + " target ≤ %.0f s each".formatted(TARGET_SECONDS))
                    .summary("longest lock blocking another writer: %.3f s (goal ≤ %.1f s)"
                            .formatted(longestLock, TARGET_LOCK_SECONDS))
                    .check(positionsLeft == 0 && addressesLeft == 0);
        }
        return report;
    }

    /** The subject: a VIP rider with the given rides (moved from the generated ones), positions and audit rows. */
    private static void loadSubject(Connection superuser, int rides, int positions, int auditRows) throws SQLException {
        Sql.execute(superuser, """
                INSERT INTO public.users (id, email, phone, password_hash, first_name, last_name, tier, data_processing_consent)
                VALUES ('%s', 'heavy.subject@example.com', '+2348099999999', 'x', 'Heavy', 'Subject', 'vip', true)""".formatted(SUBJECT));
        Sql.execute(superuser, """
                UPDATE public.rides SET customer_id = '%1$s', pickup_address = 'Home of the heavy subject'
                 WHERE id IN (SELECT id FROM public.rides WHERE status IN ('completed', 'cancelled', 'expired')
                                 AND customer_tier <> 'vip' LIMIT %2$d)""".formatted(SUBJECT, rides));
        Sql.execute(superuser, """
                INSERT INTO vip_data.vip_location_history (user_id, encrypted_coordinates, accuracy_m, location_type, recorded_at)
                SELECT '%s', gen_random_bytes(64), 5, 'routine', now() - (g || ' seconds')::interval
                  FROM generate_series(1, %d) g""".formatted(SUBJECT, positions));
        Sql.execute(superuser, """
                WITH s AS MATERIALIZED (SELECT compliance.audit_seal_spec('public', 'users') AS spec)
                INSERT INTO audit.audit_log ("timestamp", table_schema, table_name, record_id, operation, old_values,
                                             new_values, changed_fields, user_id, db_role)
                SELECT now() - (g || ' seconds')::interval, 'public', 'users', '%1$s', 'UPDATE',
                       compliance.seal_audit_values(s.spec, jsonb_build_object('id', '%1$s', 'last_name', 'Subject ' || g)),
                       compliance.seal_audit_values(s.spec, jsonb_build_object('id', '%1$s', 'last_name', 'Subject ' || (g + 1))),
                       '{last_name}', '%1$s', 'customer_user'
                  FROM generate_series(1, %2$d) g, s""".formatted(SUBJECT, auditRows));
        Sql.execute(superuser, "SELECT audit.drain_inbox(1000000)");
    }

    /** Tries a statement over and over on its own connection with a 5 ms lock_timeout; records the longest block. */
    private static final class Probe implements Runnable {

        final String name;
        private final String sql;
        private final BenchContext context;
        private final AtomicBoolean running = new AtomicBoolean();
        private Thread thread;
        private long attempts;
        private long blockedSinceNanos = -1;
        private long longestBlockedNanos;
        private volatile Exception failure;

        Probe(String name, String sql, BenchContext context) {
            this.name = name;
            this.sql = sql;
            this.context = context;
        }

        void start() {
            running.set(true);
            thread = new Thread(this, "lock-probe");
            thread.start();
        }

        void stop() {
            running.set(false);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (blockedSinceNanos >= 0) {
                longestBlockedNanos = Math.max(longestBlockedNanos, System.nanoTime() - blockedSinceNanos);
            }
            if (failure != null) {
                throw new IllegalStateException("lock probe " + name + " failed", failure);
            }
        }

        @Override
        public void run() {
            try (Connection connection = context.superuser();
                    Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                while (running.get()) {
                    long now = System.nanoTime();
                    attempts++;
                    try {
                        statement.execute("SET LOCAL lock_timeout = '5ms'");
                        statement.execute(sql);
                        connection.rollback();
                        if (blockedSinceNanos >= 0) {
                            longestBlockedNanos = Math.max(longestBlockedNanos, System.nanoTime() - blockedSinceNanos);
                            blockedSinceNanos = -1;
                        }
                    } catch (SQLException e) {
                        connection.rollback();
                        if (!"55P03".equals(e.getSQLState())) {
                            throw e;
                        }
                        if (blockedSinceNanos < 0) {
                            blockedSinceNanos = now;
                        }
                    }
                    Thread.sleep(2);
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        long attempts() {
            return attempts;
        }

        double longestBlockedSeconds() {
            return longestBlockedNanos / 1e9;
        }
    }

    private record Export(double seconds, double databaseSeconds, int zipped) {}

    /**
     * One export as the job runs it, in one transaction: the subject's rows streamed from
     * compliance.open_subject_data while a second thread writes the archive, then the manifest entries.
     */
    private static Export export(BenchContext context) throws Exception {
        long start = System.nanoTime();
        try (Connection admin = context.connect("app_backend");
                Statement statement = admin.createStatement()) {
            admin.setAutoCommit(false);
            statement.execute("SET LOCAL ROLE system_admin");
            JdbcClient jdbc = JdbcClient.create(new SingleConnectionDataSource(admin, true));
            SubjectDataExport.Result result =
                    SubjectDataExport.build(jdbc, UUID.fromString(SUBJECT), Instant.now(), List::of);
            admin.commit();
            return new Export(Elapsed.secondsSince(start), result.readSeconds(), result.archive().length);
        }
    }
}
