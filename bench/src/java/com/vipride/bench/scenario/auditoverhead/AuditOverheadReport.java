package com.vipride.bench.scenario.auditoverhead;

import static com.vipride.bench.report.Formats.grouped1;
import static com.vipride.bench.report.Formats.microsColumns;
import static com.vipride.bench.report.Formats.ratio;
import static com.vipride.bench.scenario.auditoverhead.AuditOverheadScenario.*;

import com.vipride.bench.load.VipRidersAtPremium;
import com.vipride.bench.measure.LatencyStats;
import com.vipride.bench.report.ScenarioReport;
import com.vipride.bench.scenario.auditoverhead.AuditOverheadScenario.Series;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code audit-overhead} reports: the result JSON, the Markdown tables and the summary lines. */
final class AuditOverheadReport {

    private AuditOverheadReport() {}

    /** The run's JSON, Markdown and summary. */
    static void write(
            ScenarioReport report,
            int oltp,
            int warmup,
            int block,
            long bulkRows,
            int bulkBlock,
            String extraSql,
            Map<String, Object> loaded,
            Series audited,
            Series unaudited,
            Series bulkAudited,
            Series bulkUnaudited,
            int statementRows,
            boolean oltpCounted,
            boolean bulkCounted,
            Map<String, Object> explain,
            Map<String, Object> sizes,
            Map<String, Object> statements,
            Map<String, Object> sealing) {
        Map<String, Object> oltpResult = new LinkedHashMap<>();
        oltpResult.put("audited", side(audited));
        oltpResult.put("unaudited", side(unaudited));
        oltpResult.put("ratio_transaction", ratios(audited.transactions, unaudited.transactions));
        oltpResult.put("ratio_statement", ratios(audited.statements, unaudited.statements));
        oltpResult.put("every_audited_ride_logged_and_no_other", oltpCounted);
        Map<String, Object> bulkResult = new LinkedHashMap<>();
        bulkResult.put("rows_per_statement", statementRows);
        bulkResult.put("audited", bulkSide(bulkAudited));
        bulkResult.put("unaudited", bulkSide(bulkUnaudited));
        bulkResult.put("ratio_total_time", LatencyStats.round2(total(bulkAudited) / total(bulkUnaudited)));
        bulkResult.put("ratio_statement", ratios(bulkAudited.statements, bulkUnaudited.statements));
        bulkResult.put("every_audited_ride_logged_and_no_other", bulkCounted);

        Map<String, Object> runSettings = new LinkedHashMap<>();
        runSettings.put("transactions", oltp);
        runSettings.put("warmup", warmup);
        runSettings.put("block", block);
        runSettings.put("bulk_rows", bulkRows);
        runSettings.put("statement_rows", statementRows);
        runSettings.put("bulk_block", bulkBlock);
        runSettings.put("target_ratio", TARGET_RATIO);
        runSettings.put("extra_sql", extraSql);
        report.put("settings", runSettings);
        report.put("load", loaded.get("load"));
        report.put("data", loaded.get("data"));
        report.put("single_row_oltp", oltpResult);
        report.put("multi_row", bulkResult);
        report.put("explain_multi_row", explain);
        report.put("sizes", sizes);
        report.put("pg_stat_statements_audited_oltp", statements);
        report.put("sealing", sealing);

        markdown(
                report,
                audited,
                unaudited,
                bulkAudited,
                bulkUnaudited,
                statementRows,
                explain,
                sizes,
                statements,
                sealing,
                extraSql);
        summary(report, audited, unaudited, bulkAudited, bulkUnaudited, sizes, sealing);
    }

    static void summary(
            ScenarioReport report,
            Series audited,
            Series unaudited,
            Series bulkAudited,
            Series bulkUnaudited,
            Map<String, Object> sizes,
            Map<String, Object> sealing) {
        report.summary("single-row OLTP µs       p50      p95      p99     mean");
        report.summary(microsColumns("  audited tx    ", audited.transactions));
        report.summary(microsColumns("  unaudited tx  ", unaudited.transactions));
        report.summary(String.format(
                "  ratio tx: p50 %s, mean %s; INSERT statement: p50 %s (target ≤ %s×)",
                ratio(audited.transactions.percentileMicros(50), unaudited.transactions.percentileMicros(50)),
                ratio(audited.transactions.meanMicros(), unaudited.transactions.meanMicros()),
                ratio(audited.statements.percentileMicros(50), unaudited.statements.percentileMicros(50)),
                TARGET_RATIO));
        report.summary(String.format(
                "multi-row: audited %,d rides in %.2f s, unaudited in %.2f s: ratio %s",
                bulkAudited.rows,
                total(bulkAudited),
                total(bulkUnaudited),
                ratio(total(bulkAudited), total(bulkUnaudited))));
        report.summary(String.format(
                "ride row %s bytes, audit row %s bytes; WAL per ride (multi-row) %,d vs %,d bytes",
                sizes.get("ride_row_bytes"),
                sizes.get("audit_row_bytes"),
                bulkAudited.walBytes / Math.max(1, bulkAudited.rows),
                bulkUnaudited.walBytes / Math.max(1, bulkUnaudited.rows)));
        report.summary(String.format(
                "sealing %,d rows/s; verify_chain over %,d rows in %s s, %s problems",
                (Long) sealing.get("rows_per_s"),
                (Long) sealing.get("verify_rows"),
                sealing.get("verify_seconds"),
                sealing.get("verify_problems")));
    }

    static List<String> bulkRow(String name, Series series) {
        return List.of(
                name,
                String.format("%,d", series.rows),
                String.valueOf(LatencyStats.round2(total(series))),
                String.format("%,d", Math.round(series.rows / total(series))),
                grouped1(series.statements.percentileMicros(50) / 1000.0),
                String.format("%,d", series.walBytes / Math.max(1, series.rows)));
    }

    static List<String> ratioRow(String name, LatencyStats audited, LatencyStats unaudited) {
        return List.of(
                "**" + name + "**",
                ratio(audited.percentileMicros(50), unaudited.percentileMicros(50)),
                ratio(audited.percentileMicros(95), unaudited.percentileMicros(95)),
                ratio(audited.percentileMicros(99), unaudited.percentileMicros(99)),
                ratio(audited.meanMicros(), unaudited.meanMicros()),
                "target ≤ " + TARGET_RATIO + "×");
    }

    static List<String> row(String name, LatencyStats stats) {
        return List.of(
                name,
                grouped1(stats.percentileMicros(50)),
                grouped1(stats.percentileMicros(95)),
                grouped1(stats.percentileMicros(99)),
                grouped1(stats.meanMicros()),
                String.format("%,d", stats.count()));
    }

    @SuppressWarnings("unchecked")
    static void markdown(
            ScenarioReport report,
            Series audited,
            Series unaudited,
            Series bulkAudited,
            Series bulkUnaudited,
            int statementRows,
            Map<String, Object> explain,
            Map<String, Object> sizes,
            Map<String, Object> statements,
            Map<String, Object> sealing,
            String extraSql) {
        if (extraSql != null) {
            report.paragraph("**What-if run:** this SQL was applied after the load (`-Dbench.extraSql`):");
            report.code("sql", extraSql);
        }
        report.paragraph("Server: synchronous_commit " + sizes.get("server_synchronous_commit") + ", fsync "
                + sizes.get("server_fsync")
                + ": both sides commit alike, so the ratio is the audit's own cost.");
        report.paragraph(VipRidersAtPremium.NOTE);
        report.heading("Single-row OLTP transactions (identity, INSERT of one ride, COMMIT) as customer_user");
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("audited: transaction", audited.transactions));
        rows.add(row("unaudited: transaction", unaudited.transactions));
        rows.add(ratioRow("ratio: transaction", audited.transactions, unaudited.transactions));
        rows.add(row("audited: INSERT statement", audited.statements));
        rows.add(row("unaudited: INSERT statement", unaudited.statements));
        rows.add(ratioRow("ratio: INSERT statement", audited.statements, unaudited.statements));
        report.table(List.of("µs", "p50", "p95", "p99", "mean", "n"), rows);
        report.paragraph(String.format(
                "WAL per ride: %,d bytes audited, %,d unaudited. Audit rows written: %,d by the "
                        + "audited side (one per ride), %,d by the unaudited side.",
                audited.walBytes / Math.max(1, audited.rows),
                unaudited.walBytes / Math.max(1, unaudited.rows),
                audited.auditRowsWritten,
                unaudited.auditRowsWritten));

        report.heading(String.format(
                "Multi-row statements (%,d rides per INSERT … SELECT, one transaction each)", statementRows));
        report.table(
                List.of("side", "rides", "seconds", "rides/s", "statement p50 ms", "WAL bytes per ride"),
                List.of(
                        bulkRow("audited", bulkAudited),
                        bulkRow("unaudited", bulkUnaudited),
                        List.of(
                                "**ratio**",
                                "",
                                "**" + LatencyStats.round2(total(bulkAudited) / total(bulkUnaudited)) + "×**",
                                "",
                                LatencyStats.round2(bulkAudited.statements.percentileMicros(50)
                                                / bulkUnaudited.statements.percentileMicros(50))
                                        + "×",
                                LatencyStats.round2((double) bulkAudited.walBytes / Math.max(1, bulkUnaudited.walBytes))
                                        + "×")));
        report.paragraph(String.format(
                "A ride row is %s bytes; its audit row (the whole ride as JSON, plus who and where) " + "is %s bytes.",
                sizes.get("ride_row_bytes"), sizes.get("audit_row_bytes")));
        if (explain.containsKey("trigger_ms")) {
            report.paragraph(String.format(
                    "EXPLAIN ANALYZE of one %,d-row insert: the audit trigger took %s ms of %s ms " + "(%s).",
                    statementRows,
                    explain.get("trigger_ms"),
                    explain.get("execution_ms"),
                    explain.get("trigger_share")));
        }
        report.code("text", (String) explain.get("text"));
        if (statements.containsKey("statements")) {
            List<List<String>> top = new ArrayList<>();
            for (Map<String, Object> s : (List<Map<String, Object>>) statements.get("statements")) {
                top.add(List.of(
                        String.valueOf(s.get("calls")),
                        String.valueOf(s.get("mean_us")),
                        String.valueOf(s.get("total_ms")),
                        String.valueOf(s.get("toplevel")),
                        "`" + String.valueOf(s.get("query")).replace("|", "\\|") + "`"));
            }
            report.paragraph("pg_stat_statements (track = all) over the single-row phase, both sides:");
            report.table(List.of("calls", "mean µs", "total ms", "top level", "statement"), top);
        }
        report.paragraph(String.format(
                "Off the write path, audit.drain_inbox() moved the captured rows into audit.audit_log "
                        + "at %s µs an audit row after the single-row blocks and %s µs after the multi-row blocks.",
                drainJson(audited).get("us_per_audit_row"),
                drainJson(bulkAudited).get("us_per_audit_row")));
        report.paragraph(String.format(
                "Sealing afterwards: audit.seal_pending() sealed %,d rows in %s s (%,d rows/s); "
                        + "audit.verify_chain() checked %,d rows in %s s and found %s problems.",
                (Long) sealing.get("rows_sealed"),
                sealing.get("seconds"),
                (Long) sealing.get("rows_per_s"),
                (Long) sealing.get("verify_rows"),
                sealing.get("verify_seconds"),
                sealing.get("verify_problems")));
    }

    static Map<String, Object> ratios(LatencyStats audited, LatencyStats unaudited) {
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("p50", LatencyStats.round2(audited.percentileMicros(50) / unaudited.percentileMicros(50)));
        ratios.put("p95", LatencyStats.round2(audited.percentileMicros(95) / unaudited.percentileMicros(95)));
        ratios.put("p99", LatencyStats.round2(audited.percentileMicros(99) / unaudited.percentileMicros(99)));
        ratios.put("mean", LatencyStats.round2(audited.meanMicros() / unaudited.meanMicros()));
        ratios.put("target", TARGET_RATIO);
        ratios.put("meets_target_p50", audited.percentileMicros(50) / unaudited.percentileMicros(50) <= TARGET_RATIO);
        return ratios;
    }

    /** Seconds spent in the measured transactions (identity, INSERT, COMMIT). */
    static double total(Series series) {
        return series.transactions.meanMicros() * series.transactions.count() / 1e6;
    }

    /** The off-path cost: the drain's time for the audit rows this side's triggers captured. */
    static Map<String, Object> drainJson(Series series) {
        Map<String, Object> drain = new LinkedHashMap<>();
        double seconds = series.drainNanos / 1e9;
        drain.put("seconds", LatencyStats.round2(seconds));
        drain.put("audit_rows_per_s", series.auditRowsWritten == 0 ? 0 : Math.round(series.auditRowsWritten / seconds));
        drain.put(
                "us_per_audit_row",
                series.auditRowsWritten == 0 ? 0 : LatencyStats.round2(seconds * 1e6 / series.auditRowsWritten));
        return drain;
    }

    static Map<String, Object> bulkSide(Series series) {
        Map<String, Object> side = new LinkedHashMap<>();
        side.put("rides", series.rows);
        side.put("statements", series.statements.count());
        side.put("total_s", LatencyStats.round2(total(series)));
        side.put("rides_per_s", Math.round(series.rows / total(series)));
        side.put("statement", series.statements.summary());
        side.put("wal_bytes_per_ride", series.rows == 0 ? 0 : series.walBytes / series.rows);
        side.put("audit_rows_written", series.auditRowsWritten);
        side.put("drain", drainJson(series));
        return side;
    }

    static Map<String, Object> side(Series series) {
        Map<String, Object> side = new LinkedHashMap<>();
        side.put("transaction", series.transactions.summary());
        side.put("statement", series.statements.summary());
        side.put("rides", series.rows);
        side.put("wal_bytes_per_ride", series.rows == 0 ? 0 : series.walBytes / series.rows);
        side.put("audit_rows_written", series.auditRowsWritten);
        side.put("drain", drainJson(series));
        return side;
    }
}
