package com.vipride.bench.scenario;

import com.vipride.bench.BenchContext;
import com.vipride.bench.BenchSettings;
import com.vipride.bench.Scenario;
import com.vipride.bench.Sql;
import com.vipride.bench.load.RideDataGenerator;
import com.vipride.bench.measure.Elapsed;
import com.vipride.bench.report.ScenarioReport;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Archiving 1,000,000 rides with {@code archive.archive_old_data('rides', 0)}: 11 whole monthly partitions
 * (detached and attached to {@code archive.rides}) and the current month's rides (moved in batches).
 * Reported: rows per second, and the longest time the live table was locked against writers and readers.
 *
 * <p>Lock probes, each on its own connection, every ~2 ms while the archive runs: {@code LOCK TABLE ONLY
 * public.rides IN ROW EXCLUSIVE MODE} with a 5 ms lock_timeout (what every INSERT/UPDATE of a ride needs on
 * the parent), the same on the whole table including every partition (what a query that cannot prune
 * partitions needs), and on {@code public.payments} (a detach also locks the tables whose foreign keys
 * reference rides). A probe that cannot get its lock marks the table blocked until its next success; the
 * longest such window is the longest lock held. Ceiling, in the same run: a plain {@code CREATE TABLE … AS
 * SELECT} copy of the same rides (rows per second of moving the bytes without any of the archive's care).
 */
public final class ArchiveRidesScenario implements Scenario {

    static final double TARGET_LOCK_SECONDS = 1.0;

    @Override
    public String name() {
        return "archive-rides";
    }

    @Override
    public String title() {
        return "archive.archive_old_data over 1,000,000 rides: rows/s and the longest lock on the live table";
    }

    @Override
    public ScenarioReport run(BenchContext context) throws Exception {
        PrintStream out = context.out();
        BenchSettings settings = context.settings();
        int batch = settings.integer("archiveBatch", 10_000);
        ScenarioReport report = new ScenarioReport();
        try (Connection superuser = context.superuser()) {
            Map<String, Object> load =
                    new RideDataGenerator(RideDataGenerator.Config.from(settings), out).load(superuser);
            report.put("load", load);
            long rides = Sql.queryLong(superuser, "SELECT count(*) FROM public.rides");

            out.println("Ceiling: CREATE TABLE AS SELECT of the same rides …");
            long copyStart = System.nanoTime();
            Sql.execute(superuser, "CREATE TABLE public.bench_ride_copy AS SELECT * FROM public.rides");
            double copySeconds = Elapsed.secondsSince(copyStart);
            Sql.execute(superuser, "DROP TABLE public.bench_ride_copy");
            Sql.execute(superuser, "CHECKPOINT");

            List<Probe> probes = List.of(
                    new Probe(
                            "public.rides (parent, as writers need it)",
                            "LOCK TABLE ONLY public.rides IN ROW EXCLUSIVE MODE",
                            context),
                    new Probe(
                            "public.rides with every partition (unpruned readers)",
                            "LOCK TABLE public.rides IN ACCESS SHARE MODE",
                            context),
                    new Probe(
                            "public.payments (references rides)",
                            "LOCK TABLE public.payments IN ROW EXCLUSIVE MODE",
                            context));
            probes.forEach(Probe::start);
            Thread.sleep(200);

            out.printf("Archiving %,d rides (batch %,d) …%n", rides, batch);
            String result;
            long start = System.nanoTime();
            try (Connection admin = context.connect("app_backend");
                    Statement statement = admin.createStatement()) {
                admin.setAutoCommit(false);
                statement.execute("SET LOCAL ROLE system_admin");
                try (ResultSet rs =
                        statement.executeQuery("SELECT archive.archive_old_data('rides', 0, " + batch + ")::text")) {
                    rs.next();
                    result = rs.getString(1);
                }
                admin.commit();
            }
            double archiveSeconds = Elapsed.secondsSince(start);
            Thread.sleep(200);
            probes.forEach(Probe::stop);

            long live = Sql.queryLong(superuser, "SELECT count(*) FROM public.rides");
            long archived = Sql.queryLong(superuser, "SELECT count(*) FROM archive.rides");
            double rowsPerSecond = archived / archiveSeconds;
            double copyRowsPerSecond = rides / copySeconds;
            double longestParent = probes.get(0).longestBlockedSeconds();

            report.put("rides", rides)
                    .put("archived", archived)
                    .put("liveAfter", live)
                    .put("result", result)
                    .put("archiveSeconds", archiveSeconds)
                    .put("rowsPerSecond", rowsPerSecond)
                    .put("ceilingCopySeconds", copySeconds)
                    .put("ceilingRowsPerSecond", copyRowsPerSecond)
                    .put("ratioToCeiling", rowsPerSecond / copyRowsPerSecond)
                    .put("batch", batch);
            List<List<String>> rows = new ArrayList<>();
            for (Probe probe : probes) {
                report.put("longestLockSeconds:" + probe.name, probe.longestBlockedSeconds());
                report.put("probes:" + probe.name, probe.attempts());
                rows.add(List.of(
                        probe.name,
                        "%.3f".formatted(probe.longestBlockedSeconds()),
                        "%.3f".formatted(probe.totalBlockedSeconds()),
                        "%,d".formatted(probe.attempts())));
            }
            report.heading("archive-rides: %,d rides, %s".formatted(rides, java.time.Instant.now()))
                    .paragraph("`SELECT archive.archive_old_data('rides', 0, %d)` as `system_admin` → `%s`"
                            .formatted(batch, result))
                    .table(
                            List.of("", "seconds", "rows/s"),
                            List.of(
                                    List.of(
                                            "archive (%,d rows)".formatted(archived),
                                            "%.2f".formatted(archiveSeconds),
                                            "%,.0f".formatted(rowsPerSecond)),
                                    List.of(
                                            "ceiling: CREATE TABLE AS SELECT",
                                            "%.2f".formatted(copySeconds),
                                            "%,.0f".formatted(copyRowsPerSecond)),
                                    List.of(
                                            "ratio archive / ceiling",
                                            "",
                                            "%.2f".formatted(rowsPerSecond / copyRowsPerSecond))))
                    .table(
                            List.of(
                                    "lock probe (5 ms lock_timeout, every ~2 ms)",
                                    "longest blocked s",
                                    "total blocked s",
                                    "probes"),
                            rows)
                    .summary("archived %,d of %,d rides in %.2f s: %,.0f rows/s (ceiling %,.0f rows/s, ratio %.2f)"
                            .formatted(
                                    archived,
                                    rides,
                                    archiveSeconds,
                                    rowsPerSecond,
                                    copyRowsPerSecond,
                                    rowsPerSecond / copyRowsPerSecond))
                    .summary(
                            "longest lock on public.rides (writers): %.3f s (goal <= %.1f s); whole table: %.3f s; payments: %.3f s"
                                    .formatted(
                                            longestParent,
                                            TARGET_LOCK_SECONDS,
                                            probes.get(1).longestBlockedSeconds(),
                                            probes.get(2).longestBlockedSeconds()))
                    .check(live == 0 && archived == rides);
        }
        return report;
    }

    /** Tries to take one lock, briefly, over and over on its own connection and thread. */
    private static final class Probe implements Runnable {

        final String name;
        private final String lockSql;
        private final BenchContext context;
        private final AtomicBoolean running = new AtomicBoolean();
        private Thread thread;
        private long attempts;
        private long blockedSinceNanos = -1;
        private long longestBlockedNanos;
        private long totalBlockedNanos;
        private volatile Exception failure;

        Probe(String name, String lockSql, BenchContext context) {
            this.name = name;
            this.lockSql = lockSql;
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
                        statement.execute(lockSql);
                        connection.commit();
                        if (blockedSinceNanos >= 0) {
                            long blocked = System.nanoTime() - blockedSinceNanos;
                            longestBlockedNanos = Math.max(longestBlockedNanos, blocked);
                            totalBlockedNanos += blocked;
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

        double totalBlockedSeconds() {
            return totalBlockedNanos / 1e9;
        }
    }
}
