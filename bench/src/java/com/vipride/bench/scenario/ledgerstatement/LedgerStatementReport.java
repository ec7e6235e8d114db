package com.vipride.bench.scenario.ledgerstatement;

import static com.vipride.bench.report.Formats.ms;
import static com.vipride.bench.scenario.ledgerstatement.LedgerStatementScenario.*;

import com.vipride.bench.measure.LatencyStats;
import com.vipride.bench.report.ScenarioReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code ledger-statement} reports: the result JSON, the Markdown tables and the summary lines. */
final class LedgerStatementReport {

    private LedgerStatementReport() {}

    /** The run's JSON, Markdown and summary. */
    static void write(
            ScenarioReport report,
            long entries,
            int drivers,
            int heavy,
            int heavyLines,
            int warmup,
            int apiWarmupSeconds,
            boolean apiProfile,
            int queries,
            int block,
            int warmupRequests,
            LatencyStats[][] query,
            LatencyStats[][] transaction,
            LatencyStats[] api,
            Map<String, Object> checks,
            long apiErrors,
            String firstApiError,
            Map<String, Object> apiCpu,
            Map<String, Object> profile) {
        int perKind = KINDS.size();
        List<Map<String, Object>> results = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        boolean targetMet = true;
        for (int kind = 0; kind < perKind; kind++) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("kind", KINDS.get(kind));
            result.put("sql_as_payee_query", query[0][kind].summary());
            result.put("sql_as_payee_transaction", transaction[0][kind].summary());
            result.put("sql_without_rls_query", query[1][kind].summary());
            result.put("sql_without_rls_transaction", transaction[1][kind].summary());
            result.put("api_request", api[kind].summary());
            double payeeP99 = transaction[0][kind].percentileMicros(99) / 1000;
            double apiP99 = api[kind].percentileMicros(99) / 1000;
            result.put("sql_p99_target_met", payeeP99 <= TARGET_P99_MS);
            result.put("api_p99_target_met", apiP99 <= TARGET_P99_MS);
            targetMet &= payeeP99 <= TARGET_P99_MS && apiP99 <= TARGET_P99_MS;
            results.add(result);
            rows.add(List.of(
                    KINDS.get(kind),
                    ms(query[0][kind], 50),
                    ms(query[0][kind], 99),
                    ms(transaction[0][kind], 50),
                    ms(transaction[0][kind], 99),
                    ms(transaction[1][kind], 50),
                    ms(transaction[1][kind], 99),
                    LatencyStats.round2(transaction[0][kind].percentileMicros(99)
                                    / transaction[1][kind].percentileMicros(99))
                            + "×",
                    ms(api[kind], 50),
                    ms(api[kind], 99)));
        }
        report.put(
                "settings",
                Map.of(
                        "entries",
                        entries,
                        "drivers",
                        drivers,
                        "heavy_payees",
                        heavy,
                        "heavy_lines",
                        heavyLines,
                        "warmup",
                        warmup,
                        "api_warmup_s",
                        apiWarmupSeconds,
                        "api_profile",
                        apiProfile,
                        "queries",
                        queries,
                        "block",
                        block,
                        "statement_limit",
                        STATEMENT_LIMIT));
        report.put("api_warmup_requests", warmupRequests);
        report.put("results", results);
        report.put("target_p99_ms", TARGET_P99_MS);
        report.put("target_met", targetMet);
        report.put("api_errors", apiErrors);
        report.put("first_api_error", firstApiError);
        report.put("checks", checks);
        report.put("api_cpu", apiCpu);
        report.put("api_profile", profile);
        report.check(apiErrors == 0 && !checks.containsValue(Boolean.FALSE));

        report.heading(
                "Balance and one-month statement, as the payee (RLS), without RLS (ceiling) and through the API");
        report.paragraph("""
            %,d journal entries (3 lines each: processor receivable, commission, the driver's payable) over 12 months \
            for %,d payees; %d heavy payees with %,d entries each. %,d measured queries per kind and side after %,d \
            warm-up, alternating blocks of %d; the API one request at a time (Apache HttpClient 5 classic, one keep-alive connection), same payees \
            and months, after %d s of warm-up requests (%,d). Statement: one calendar month, first page (%d lines). Times in ms; SQL *query* = execute + read, *tx* = identity + \
            query + COMMIT (3 round trips). Target: p99 ≤ %.0f ms.""".formatted(
                        entries,
                        drivers,
                        heavy,
                        heavyLines,
                        queries,
                        warmup,
                        block,
                        apiWarmupSeconds,
                        warmupRequests,
                        STATEMENT_LIMIT,
                        TARGET_P99_MS));
        report.table(
                List.of(
                        "kind",
                        "payee query p50",
                        "payee query p99",
                        "payee tx p50",
                        "payee tx p99",
                        "no-RLS tx p50",
                        "no-RLS tx p99",
                        "payee/no-RLS p99",
                        "API p50",
                        "API p99"),
                rows);
        report.paragraph("Checks: " + checks + "; API errors: " + apiErrors
                + (firstApiError == null ? "" : " (" + firstApiError + ")") + ".");
        report.paragraph("Period close after the load (`public.close_ledger_periods`, as the `ledger-close` job): "
                + report.json().get("period_close") + ".");
        report.paragraph("Where the machine's CPU went during the measured API requests (cores): " + apiCpu + ".");
        if (apiProfile) {
            report.paragraph("CPU samples of the service's request threads by stage (JFR, every 10 ms): "
                    + profile.get("service_stages") + "; top leaf methods: " + profile.get("service_top_leaf_methods")
                    + ".");
        }
        @SuppressWarnings("unchecked")
        Map<String, String> plans = (Map<String, String>) report.json().get("plans");
        plans.forEach((kind, plan) -> {
            report.paragraph("EXPLAIN (ANALYZE, BUFFERS), as the payee — " + kind + ":");
            report.code("text", plan);
        });
        for (int kind = 0; kind < perKind; kind++) {
            report.summary("%-32s payee tx p50 %s / p99 %s ms, no-RLS p99 %s ms, API p50 %s / p99 %s ms"
                    .formatted(
                            KINDS.get(kind),
                            ms(transaction[0][kind], 50),
                            ms(transaction[0][kind], 99),
                            ms(transaction[1][kind], 99),
                            ms(api[kind], 50),
                            ms(api[kind], 99)));
        }
        report.summary("target p99 ≤ 5 ms " + (targetMet ? "met" : "MISSED") + "; checks " + checks);
    }
}
