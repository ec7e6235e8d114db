package com.vipride.bench.scenario.rlshistory;

import static com.vipride.bench.report.Formats.microsColumns;
import static com.vipride.bench.report.Formats.round1;
import static com.vipride.bench.scenario.rlshistory.RlsHistoryScenario.*;

import com.vipride.bench.BenchSettings;
import com.vipride.bench.measure.HttpLoad;
import com.vipride.bench.measure.LatencyStats;
import com.vipride.bench.report.ScenarioReport;
import com.vipride.bench.scenario.rlshistory.RlsHistoryScenario.Side;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code rls-history} and {@code ride-history-10m} report: the result JSON, the Markdown tables and the summary lines. */
final class RlsHistoryReport {

    private RlsHistoryReport() {}

    @SuppressWarnings("unchecked")
    static void summary(
            ScenarioReport report,
            Map<String, Object> loaded,
            Side rls,
            Side baseline,
            Map<String, Object> ratios,
            Map<String, Object> rlsCheck) {
        Map<String, Object> load = (Map<String, Object>) loaded.get("load");
        if (load != null) {
            report.summary(String.format(
                    "load: %,d rides in %s s (%,d rows/s), total load %s s",
                    ((Map<String, Object>) loaded.get("data")).get("rides"),
                    load.get("rides_s"),
                    load.get("rides_per_s"),
                    load.get("total_s")));
        }
        report.summary(String.format("query µs        p50      p95      p99     mean"));
        report.summary(microsColumns("  RLS     ", rls.queryTimes));
        report.summary(microsColumns("  no RLS  ", baseline.queryTimes));
        Map<String, Object> query = (Map<String, Object>) ratios.get("query");
        Map<String, Object> tx = (Map<String, Object>) ratios.get("transaction");
        report.summary(String.format(
                "ratio RLS/no RLS (query): p50 %s×, p99 %s× (target ≤ %s×: %s)",
                query.get("p50"),
                query.get("p99"),
                TARGET_RATIO,
                (Boolean) query.get("meets_target") ? "met" : "NOT met"));
        report.summary(
                String.format("ratio RLS/no RLS (whole transaction): p50 %s×, p99 %s×", tx.get("p50"), tx.get("p99")));
        report.summary(String.format(
                "RLS plan: partitions %s, index access %s — %s",
                rlsCheck.get("partitions"),
                rlsCheck.get("index_access"),
                (Boolean) rlsCheck.get("passed") ? "one partition by index" : "CHECK FAILED"));
    }

    static List<String> row(String name, String login, LatencyStats stats) {
        return List.of(
                name,
                login,
                round1(stats.percentileMicros(50)),
                round1(stats.percentileMicros(95)),
                round1(stats.percentileMicros(99)),
                round1(stats.meanMicros()),
                String.format("%,d", stats.count()));
    }

    @SuppressWarnings("unchecked")
    static void markdown(
            ScenarioReport report,
            Map<String, Object> loaded,
            Side rls,
            Side baseline,
            Map<String, Object> ratios,
            Map<String, Object> plans,
            Map<String, Object> isolation,
            int measured,
            int warmup,
            int block) {
        Map<String, Object> data = (Map<String, Object>) loaded.get("data");
        Map<String, Object> load = (Map<String, Object>) loaded.get("load");
        report.paragraph(String.format(
                "Data: %,d customers (tiers %s), %,d drivers, %,d rides in %d monthly partitions "
                        + "(%s heap, %s indexes).%s",
                data.get("customers"),
                data.get("customer_tiers"),
                data.get("drivers"),
                data.get("rides"),
                data.get("months"),
                data.get("rides_table_size"),
                data.get("rides_index_size"),
                load == null
                        ? " Reused an already loaded cluster."
                        : String.format(
                                " Loaded in %s s (rides %,d rows/s, %s).",
                                load.get("total_s"), load.get("rides_per_s"), load.get("rides_loaded_with"))));
        report.paragraph(String.format(
                "%,d measured queries per side after %,d warm-up, same random (customer, month) "
                        + "sequence on both sides in alternating blocks of %d. *query* = execute + read all rows; "
                        + "*transaction* = identity statement + query + commit (3 round trips on both sides).",
                measured, warmup, block));
        List<List<String>> rows = new ArrayList<>();
        for (Side side : List.of(rls, baseline)) {
            rows.add(row(side.name + " — query", side.login, side.queryTimes));
        }
        for (Side side : List.of(rls, baseline)) {
            rows.add(row(side.name + " — transaction", side.login, side.transactionTimes));
        }
        report.table(List.of("side", "login", "p50 µs", "p95 µs", "p99 µs", "mean µs", "queries"), rows);
        Map<String, Object> query = (Map<String, Object>) ratios.get("query");
        Map<String, Object> tx = (Map<String, Object>) ratios.get("transaction");
        report.table(
                List.of("ratio RLS / no RLS", "p50", "p95", "p99", "mean", "target", "meets target (p50 and p99)"),
                List.of(
                        List.of(
                                "query",
                                String.valueOf(query.get("p50")),
                                String.valueOf(query.get("p95")),
                                String.valueOf(query.get("p99")),
                                String.valueOf(query.get("mean")),
                                "≤ " + TARGET_RATIO + "×",
                                (Boolean) query.get("meets_target") ? "yes" : "**no**"),
                        List.of(
                                "transaction",
                                String.valueOf(tx.get("p50")),
                                String.valueOf(tx.get("p95")),
                                String.valueOf(tx.get("p99")),
                                String.valueOf(tx.get("mean")),
                                "≤ " + TARGET_RATIO + "×",
                                (Boolean) tx.get("meets_target") ? "yes" : "**no**")));
        report.paragraph(String.format(
                "Rows returned: %,d on each side (%.2f per query, %,d empty results); "
                        + "isolation check: the customer sees %s rows, another customer sees %s — %s.",
                rls.rows,
                (double) rls.rows / Math.max(1, rls.queryTimes.count()),
                rls.emptyResults,
                isolation.get("rows_as_the_customer"),
                isolation.get("rows_as_another_customer"),
                Boolean.TRUE.equals(isolation.get("passed")) ? "passed" : "**FAILED**"));

        List<List<String>> planRows = new ArrayList<>();
        for (String key : List.of("rls_custom_plan", "rls_generic_plan", "baseline_plan")) {
            Map<String, Object> check = (Map<String, Object>) plans.get(key);
            planRows.add(List.of(
                    key.replace('_', ' '),
                    String.valueOf(check.get("partitions")),
                    String.valueOf(check.get("index_access")),
                    String.valueOf(check.get("planning_ms")),
                    String.valueOf(check.get("execution_ms")),
                    String.valueOf(check.getOrDefault("initplan_ms", "—")),
                    (Boolean) check.get("passed") ? "yes" : "**no**"));
        }
        report.table(
                List.of(
                        "plan",
                        "partitions read",
                        "index access",
                        "planning ms",
                        "execution ms",
                        "of which InitPlan ms",
                        "one partition, by index"),
                planRows);
        Map<String, Object> cache = (Map<String, Object>) plans.get("plan_cache");
        report.paragraph("How PostgreSQL planned the server-prepared query during the run (pg_prepared_statements): "
                + "RLS " + cache.get("rls") + ", no RLS " + cache.get("baseline")
                + ". Custom plans only means the query was planned afresh on every execution.");
        Map<String, Object> sample = (Map<String, Object>) plans.get("sample");
        report.paragraph("EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) of one RLS query as customer_user (customer "
                + sample.get("customer") + ", " + sample.get("from") + " … " + sample.get("to") + "):");
        report.code("text", (String) ((Map<String, Object>) plans.get("rls_custom_plan")).get("text"));
        report.paragraph("The same query with a generic plan (plan_cache_mode = force_generic_plan), as a long-lived "
                + "prepared statement may end up using:");
        report.code("text", (String) ((Map<String, Object>) plans.get("rls_generic_plan")).get("text"));
        report.paragraph("The same query as vipride_backup (BYPASSRLS):");
        report.code("text", (String) ((Map<String, Object>) plans.get("baseline_plan")).get("text"));
    }

    static Map<String, Object> withText(Map<String, Object> check, String plan) {
        Map<String, Object> withText = new LinkedHashMap<>(check);
        withText.put("text", plan.stripTrailing());
        return withText;
    }

    static Map<String, Object> ratios(LatencyStats rls, LatencyStats baseline) {
        Map<String, Object> ratios = new LinkedHashMap<>();
        double p50 = rls.percentileMicros(50) / baseline.percentileMicros(50);
        double p95 = rls.percentileMicros(95) / baseline.percentileMicros(95);
        double p99 = rls.percentileMicros(99) / baseline.percentileMicros(99);
        double mean = rls.meanMicros() / baseline.meanMicros();
        ratios.put("p50", LatencyStats.round2(p50));
        ratios.put("p95", LatencyStats.round2(p95));
        ratios.put("p99", LatencyStats.round2(p99));
        ratios.put("mean", LatencyStats.round2(mean));
        ratios.put("meets_target", p50 <= TARGET_RATIO && p99 <= TARGET_RATIO);
        return ratios;
    }

    static Map<String, Object> side(Side side) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("login", side.login);
        summary.put("query", side.queryTimes.summary());
        summary.put("transaction", side.transactionTimes.summary());
        summary.put("rows_returned", side.rows);
        summary.put("mean_rows_per_query", LatencyStats.round2((double) side.rows / side.queryTimes.count()));
        summary.put("empty_results", side.emptyResults);
        return summary;
    }

    static void absoluteTargets(ScenarioReport report, Map<String, Object> results, Side rls) {
        double p99 = rls.queryTimes.percentileMicros(99);
        results.put(
                "sql_target",
                Map.of(
                        "rls_query_p99_us",
                        LatencyStats.round1(p99),
                        "target_p99_us",
                        TARGET_SQL_P99_US,
                        "meets_target",
                        p99 <= TARGET_SQL_P99_US));
        report.paragraph(String.format(
                "**Absolute target, in SQL:** RLS query p99 %.0f µs, target ≤ %.0f µs: **%s** "
                        + "(whole transaction p99 %.0f µs).",
                p99,
                TARGET_SQL_P99_US,
                p99 <= TARGET_SQL_P99_US ? "met" : "not met",
                rls.transactionTimes.percentileMicros(99)));
        report.summary(String.format(
                "SQL target: RLS query p99 %.0f µs (≤ %.0f µs: %s)",
                p99, TARGET_SQL_P99_US, p99 <= TARGET_SQL_P99_US ? "met" : "NOT met"));
    }

    /** The run's settings, the what-if notes, the loaded data and the results, in the JSON and the Markdown. */
    static void settingsAndData(
            ScenarioReport report,
            BenchSettings settings,
            int warmup,
            int measured,
            int block,
            long seed,
            String extraSql,
            Map<String, Object> loaded,
            Map<String, Object> results) {
        Map<String, Object> runSettings = new LinkedHashMap<>();
        runSettings.put("warmup_per_side", warmup);
        runSettings.put("measured_per_side", measured);
        runSettings.put("block", block);
        runSettings.put("seed", seed);
        runSettings.put("plan_cache_mode", settings.string("planCacheMode", "auto (server default)"));
        runSettings.put("extra_sql", extraSql);
        report.put("settings", runSettings);
        if (extraSql != null) {
            report.paragraph("**What-if run:** this SQL was applied after the load (`-Dbench.extraSql`), so the "
                    + "numbers are not those of the schema as it is:");
            report.code("sql", extraSql);
        }
        if (settings.string("planCacheMode", null) != null) {
            report.paragraph(
                    "**Both sides ran with `plan_cache_mode = " + settings.string("planCacheMode", null) + "`.**");
        }
        report.put("load", loaded.get("load"));
        report.put("data", loaded.get("data"));
        report.put("results", results);
    }

    /** The API side: its JSON (into {@code api}), its paragraph, table and summary line. */
    static void api(
            ScenarioReport report,
            Map<String, Object> api,
            HttpLoad.Result result,
            long rides,
            int warmup,
            int measured) {
        double p99 = result.latency().percentileMicros(99);
        api.put("queries", result.json());
        api.put("rides_returned", rides);
        api.put("target_p99_us", TARGET_API_P99_US);
        api.put("meets_target", p99 <= TARGET_API_P99_US && result.errors() == 0);
        report.check(result.errors() == 0);
        report.paragraph(String.format(
                "**Through the API:** the real service in the benchmark JVM (default "
                        + "configuration, on this cluster); one client sends %,d sequential `GET /api/v1/rides?from=…&to=…` "
                        + "(one calendar month, default limit 50) after %,d warm-up, random (customer, month) as above, each "
                        + "with the rider's bearer token (minted by the service's AccessTokens). Latency = request sent → "
                        + "whole JSON body received. %,d rides returned (%.2f per request), %d errors.",
                measured, warmup, rides, rides / (double) Math.max(1, result.requests()), result.errors()));
        report.table(
                List.of("side", "p50 µs", "p95 µs", "p99 µs", "mean µs", "requests/s", "target p99", "met"),
                List.of(List.of(
                        "API GET /api/v1/rides",
                        round1(result.latency().percentileMicros(50)),
                        round1(result.latency().percentileMicros(95)),
                        round1(p99),
                        round1(result.latency().meanMicros()),
                        String.format("%.0f", result.perSecond()),
                        "≤ " + (int) TARGET_API_P99_US + " µs",
                        p99 <= TARGET_API_P99_US ? "yes" : "**no**")));
        report.summary(String.format(
                "API target: GET /api/v1/rides p50 %.0f µs, p99 %.0f µs (≤ %.0f µs: %s), %d errors",
                result.latency().percentileMicros(50),
                p99,
                TARGET_API_P99_US,
                p99 <= TARGET_API_P99_US ? "met" : "NOT met",
                result.errors()));
    }
}
