package com.vipride.bench.load;

import com.vipride.bench.Sql;
import com.vipride.bench.measure.LatencyStats;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads a ledger set-based as the superuser: one payable account per driver (drivers as
 * {@code RideDataGenerator} makes them: {@code md5('bench-driver:' || j)}), and fare entries of three
 * balanced lines each — the processor owes the fare, the platform keeps 20 % as commission, the driver
 * is owed the rest — posted over the last 365 days. The first {@code heavy} drivers get
 * {@code heavyLines} entries each, the rest of the entries go round-robin to the other drivers.
 *
 * <p>Every value is a hash of the entry number, so the entry and its lines, inserted by two statements,
 * agree without a join. Loaded with {@code session_replication_role = replica} (no per-line balance
 * trigger at commit, no FK checks, no audit rows); every entry is checked to balance afterwards.
 */
public final class LedgerLoader {

    // k → payee driver, fare and posting time; OFFSET 0 computes each once per entry.
    private static final String ENTRY_VALUES = """
            SELECT k, md5('bench-entry:' || k)::uuid AS entry_id,
                   CASE WHEN k <= %1$d * %2$d THEN 1 + (k - 1) %% %1$d ELSE %1$d + 1 + k %% (%3$d - %1$d) END AS driver,
                   150000 + (hashint8(k)::bigint & 2147483647) %% 1350000 AS fare,
                   now() - ((hashint8(-k)::bigint & 2147483647) %% (365 * 86400)) * interval '1 second' AS posted_at
              FROM generate_series(%4$d, %5$d) AS k OFFSET 0""";

    private final Connection superuser;
    private final PrintStream out;

    public LedgerLoader(Connection superuser, PrintStream out) {
        this.superuser = superuser;
        this.out = out;
    }

    public Map<String, Object> load(long entries, int drivers, int heavy, int heavyLines, int batchRows)
            throws SQLException {
        Map<String, Object> report = new LinkedHashMap<>();
        long begin = System.nanoTime();
        superuser.setAutoCommit(true);
        try (Statement statement = superuser.createStatement()) {
            String receivable = Sql.queryText(
                    statement, "SELECT public.ledger_account('platform', NULL, 'processor_receivable', 'NGN')");
            String commission = Sql.queryText(
                    statement, "SELECT public.ledger_account('platform', NULL, 'commission_revenue', 'NGN')");
            statement.executeUpdate("""
                    INSERT INTO public.ledger_accounts (id, holder_kind, holder_id, purpose, currency)
                    SELECT md5('bench-payable:' || j)::uuid, 'driver', md5('bench-driver:' || j)::uuid, 'payable', 'NGN'
                      FROM generate_series(1, %d) AS j""".formatted(drivers));
            statement.execute("SET session_replication_role = replica");
            for (long from = 1; from <= entries; from += batchRows) {
                long to = Math.min(entries, from + batchRows - 1);
                String values = ENTRY_VALUES.formatted(heavy, heavyLines, drivers, from, to);
                statement.executeUpdate("""
                        INSERT INTO public.journal_entries (id, entry_type, currency, description, posted_at)
                        SELECT entry_id, 'ride_fare', 'NGN', 'Fare of bench ride ' || k, posted_at FROM (%s) AS e""".formatted(values));
                statement.executeUpdate("""
                        INSERT INTO public.journal_lines (entry_id, line_no, account_id, amount_minor, posted_at)
                        SELECT e.entry_id, line,
                               CASE line WHEN 1 THEN '%s'::uuid WHEN 2 THEN '%s'::uuid
                                         ELSE md5('bench-payable:' || e.driver)::uuid END,
                               CASE line WHEN 1 THEN e.fare WHEN 2 THEN -(e.fare / 5) ELSE -(e.fare - e.fare / 5) END,
                               e.posted_at
                          FROM (%s) AS e CROSS JOIN generate_series(1, 3) AS line""".formatted(receivable, commission, values));
                double seconds = (System.nanoTime() - begin) / 1e9;
                out.printf(
                        "[load] journal entries %5.1f%%  %,12d / %,d  %,10.0f entries/s%n",
                        100.0 * to / entries, to, entries, to / seconds);
            }
            statement.execute("RESET session_replication_role");
            long vacuum = System.nanoTime();
            statement.execute("VACUUM (ANALYZE) public.ledger_accounts, public.journal_entries, public.journal_lines");
            // Index-only scans of a heavy payee's month fetch the heap for pages not marked all-visible.
            String allVisible = Sql.queryText(
                    statement,
                    "SELECT relallvisible || ' of ' || relpages FROM pg_class WHERE oid = 'public.journal_lines'::regclass");
            out.printf(
                    "[load] VACUUM (ANALYZE) of the ledger in %.1f s; journal_lines pages all-visible: %s%n",
                    (System.nanoTime() - vacuum) / 1e9, allVisible);
            report.put("journal_lines_pages_all_visible", allVisible);
            report.put("entries", entries);
            report.put("lines", Long.parseLong(Sql.queryText(statement, "SELECT count(*) FROM public.journal_lines")));
            report.put("payable_accounts", drivers);
            report.put("heavy_payees", heavy);
            report.put("heavy_entries_each", heavyLines);
            report.put(
                    "journal_lines_size",
                    Sql.queryText(statement, "SELECT pg_size_pretty(pg_table_size('public.journal_lines'))"));
            report.put(
                    "journal_lines_account_page_idx_size",
                    Sql.queryText(
                            statement,
                            "SELECT pg_size_pretty(pg_relation_size('public.journal_lines_account_page_idx'))"));
        }
        report.put("seconds", LatencyStats.round1((System.nanoTime() - begin) / 1e9));
        return report;
    }
}
