package com.vipride.bench.scenario.riderequestapi;

import static com.vipride.bench.report.Formats.msFixed;
import static com.vipride.bench.scenario.riderequestapi.RideRequestApiScenario.*;

import com.vipride.bench.load.VipRidersAtPremium;
import com.vipride.bench.measure.HttpLoad;
import com.vipride.bench.measure.LatencyStats;
import com.vipride.bench.report.Json;
import com.vipride.bench.report.ScenarioReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code ride-request-api} reports: the result JSON, the Markdown tables and the summary lines. */
final class RideRequestApiReport {

    private RideRequestApiReport() {}

    /** The run's JSON, Markdown and summary. */
    static void write(
            ScenarioReport report,
            int customers,
            int drivers,
            List<Integer> workerCounts,
            int seconds,
            int warmupSeconds,
            int rideSeconds,
            int profileSeconds,
            int pgbenchClients,
            int pgbenchTransactions,
            int pgbenchSeconds,
            String extraSql,
            Map<String, Object> loaded,
            Map<String, Object> results,
            List<HttpLoad.Result> blocks,
            HttpLoad.Result floor,
            Map<String, Object> pgbenchRun,
            List<Map<String, Object>> statements,
            HttpLoad.Result profiled,
            Map<String, Object> profile) {
        HttpLoad.Result best = best(blocks);
        double pgbenchTps = ((Number) pgbenchRun.get("tps")).doubleValue();
        double ratio = best.perSecond() / pgbenchTps;
        double p99Ms = best.latency().percentileMicros(99) / 1000;
        boolean met = best.perSecond() >= TARGET_RPS && p99Ms <= TARGET_P99_MS;
        List<Map<String, Object>> blockJson = new ArrayList<>();
        blocks.forEach(b -> blockJson.add(b.json()));
        results.put("api_blocks", blockJson);
        results.put("pgbench", pgbenchRun);
        results.put("floor_get_me", floor.json());
        results.put("statements_per_request", statements);
        Map<String, Object> verdict = new LinkedHashMap<>();
        verdict.put("best_workers", best.workers());
        verdict.put("api_requests_per_s", LatencyStats.round1(best.perSecond()));
        verdict.put("api_p99_ms", LatencyStats.round2(p99Ms));
        verdict.put("pgbench_tps", pgbenchTps);
        verdict.put("api_over_pgbench", LatencyStats.round2(ratio));
        verdict.put("floor_get_me_per_s", LatencyStats.round1(floor.perSecond()));
        verdict.put("api_over_floor", LatencyStats.round2(best.perSecond() / floor.perSecond()));
        verdict.put("meets_target", met);
        verdict.put("meets_ratio_goal", ratio >= TARGET_RATIO);
        results.put("verdict", verdict);
        if (profiled != null) {
            results.put("profiled_block", profiled.json());
            results.put("profile", profile);
        }
        boolean allAnswered = blocks.stream().allMatch(b -> b.errors() == 0 && !b.ranOut())
                && floor.errors() == 0
                && ((Number) pgbenchRun.get("failed_transactions")).longValue() == 0;
        report.check(allAnswered);

        Map<String, Object> runSettings = new LinkedHashMap<>();
        runSettings.put("customers", customers);
        runSettings.put("drivers", drivers);
        runSettings.put("workers", workerCounts);
        runSettings.put("seconds", seconds);
        runSettings.put("warmup_seconds", warmupSeconds);
        runSettings.put("ride_seconds", rideSeconds);
        runSettings.put("profile_seconds", profileSeconds);
        runSettings.put("pgbench_clients", pgbenchClients);
        runSettings.put("pgbench_transactions_per_client_max", pgbenchTransactions);
        runSettings.put("pgbench_seconds_aimed_at", pgbenchSeconds);
        runSettings.put("extra_sql", extraSql);
        report.put("settings", runSettings);
        report.put("data", loaded);
        report.put("results", results);
        markdown(
                report,
                loaded,
                runSettings,
                blocks,
                floor,
                pgbenchRun,
                statements,
                verdict,
                profiled,
                profile,
                extraSql);

        report.summary(String.format(
                "API, best of %s workers (%d): %.0f requests/s, p50 %.1f ms, p99 %.1f ms — target ≥ %.0f/s "
                        + "with p99 ≤ %.0f ms: %s",
                workerCounts,
                best.workers(),
                best.perSecond(),
                best.latency().percentileMicros(50) / 1000,
                p99Ms,
                TARGET_RPS,
                TARGET_P99_MS,
                met ? "met" : "NOT met"));
        report.summary(String.format(
                "outcomes %s; CPU: service JVM %s cores, PostgreSQL %s cores, others %s cores",
                best.outcomes(),
                best.cpu().get("jvm_cores"),
                best.cpu().get("postgres_cores"),
                best.cpu().get("other_processes_cores")));
        report.summary(String.format(
                "pgbench -c %d, same statements: %.0f tps → API / pgbench = %.2f (goal ≥ %.1f: %s)",
                pgbenchClients, pgbenchTps, ratio, TARGET_RATIO, ratio >= TARGET_RATIO ? "met" : "NOT met"));
        report.summary(String.format(
                "floor, GET /api/v1/me (identity + one read + COMMIT): %.0f requests/s → ride request / floor = %s",
                floor.perSecond(), verdict.get("api_over_floor")));
    }

    @SuppressWarnings("unchecked")
    static void markdown(
            ScenarioReport report,
            Map<String, Object> loaded,
            Map<String, Object> runSettings,
            List<HttpLoad.Result> blocks,
            HttpLoad.Result floor,
            Map<String, Object> pgbenchRun,
            List<Map<String, Object>> statements,
            Map<String, Object> verdict,
            HttpLoad.Result profiled,
            Map<String, Object> profile,
            String extraSql) {
        if (extraSql != null) {
            report.paragraph("**What-if run:** this SQL was applied after the load (`-Dbench.extraSql`):");
            report.code("sql", extraSql);
        }
        Map<String, Object> fleet = (Map<String, Object>) loaded.get("fleet");
        report.paragraph(String.format(
                "Data: %,d riders (generator tiers), %,d online available drivers in Lagos with "
                        + "vehicles (%s), quotes pre-created in SQL for the run (%s) — **only the request is timed, not the "
                        + "quote**. Riders' access tokens minted by the service's AccessTokens (HS256, as at sign-in). "
                        + "Drivers never answer offers here: offer_timeout_s raised to 3600 for the run, and every claimed "
                        + "driver made available again (superuser UPDATE) before each block. %s",
                runSettings.get("customers"),
                runSettings.get("drivers"),
                fleet.get("available_by_vehicle_type"),
                loaded.get("quotes"),
                (Integer) runSettings.get("ride_seconds") > 0
                        ? "Drivers finish their rides: " + runSettings.get("ride_seconds")
                                + " s after a ride's request its driver "
                                + "is available again (a superuser UPDATE every 0.5 s, through the active-rides index; DriverTurnover), "
                                + "so the fleet reaches a steady state instead of running out during a block."
                        : "No turnover (`-Dbench.rideSeconds=0`): claimed drivers stay busy until the next block."));
        report.paragraph(VipRidersAtPremium.NOTE);
        report.paragraph(String.format(
                "Load: closed loop, N workers in the service's JVM (Apache HttpClient 5 classic, one "
                        + "HTTP/1.1 keep-alive connection each), "
                        + "each `POST /api/v1/rides {\"quoteId\": …}` with `Idempotency-Key` and the rider's bearer token, back to "
                        + "back for %s s per block after a %s s warm-up; a request counts when it answers 201 (outcome = the ride's "
                        + "status). Service, PostgreSQL and load generator share the machine's cores.",
                runSettings.get("seconds"), runSettings.get("warmup_seconds")));
        List<List<String>> rows = new ArrayList<>();
        for (HttpLoad.Result b : blocks) {
            rows.add(List.of(
                    "API, " + b.workers() + " workers",
                    String.format("%.0f", b.perSecond()),
                    msFixed(b.latency().percentileMicros(50)),
                    msFixed(b.latency().percentileMicros(95)),
                    msFixed(b.latency().percentileMicros(99)),
                    String.valueOf(b.outcomes()),
                    String.valueOf(b.errors()),
                    String.valueOf(b.cpu().get("jvm_cores")),
                    String.valueOf(b.cpu().get("postgres_cores")),
                    String.valueOf(b.cpu().get("other_processes_cores"))));
        }
        rows.add(List.of(
                "floor: GET /api/v1/me, " + floor.workers() + " workers",
                String.format("%.0f", floor.perSecond()),
                msFixed(floor.latency().percentileMicros(50)),
                msFixed(floor.latency().percentileMicros(95)),
                msFixed(floor.latency().percentileMicros(99)),
                String.valueOf(floor.outcomes()),
                String.valueOf(floor.errors()),
                String.valueOf(floor.cpu().get("jvm_cores")),
                String.valueOf(floor.cpu().get("postgres_cores")),
                String.valueOf(floor.cpu().get("other_processes_cores"))));
        Map<String, Object> latency = (Map<String, Object>) pgbenchRun.get("transaction_latency");
        Map<String, Object> pgCpu = (Map<String, Object>) pgbenchRun.get("cpu");
        rows.add(List.of(
                "pgbench, " + pgbenchRun.get("clients") + " clients",
                String.valueOf(pgbenchRun.get("tps")),
                msFixed((Double) latency.get("p50_us")),
                msFixed((Double) latency.get("p95_us")),
                msFixed((Double) latency.get("p99_us")),
                "{driver_assigned=" + pgbenchRun.get("assigned") + " of " + pgbenchRun.get("transactions") + "}",
                String.valueOf(pgbenchRun.get("failed_transactions")),
                "—",
                String.valueOf(pgCpu.get("postgres_cores")),
                String.valueOf(pgCpu.get("other_processes_cores"))));
        report.table(
                List.of(
                        "side",
                        "requests/s",
                        "p50 ms",
                        "p95 ms",
                        "p99 ms",
                        "outcomes",
                        "errors",
                        "JVM cores",
                        "PostgreSQL cores",
                        "other processes' cores"),
                rows);
        report.paragraph(String.format(
                "**Verdict:** best API block %s workers: %s requests/s, p99 %s ms (target ≥ %.0f/s with "
                        + "p99 ≤ %.0f ms: %s); pgbench %s tps; API / pgbench = **%s** (goal ≥ %.1f: %s).",
                verdict.get("best_workers"),
                verdict.get("api_requests_per_s"),
                verdict.get("api_p99_ms"),
                TARGET_RPS,
                TARGET_P99_MS,
                (Boolean) verdict.get("meets_target") ? "met" : "**not met**",
                verdict.get("pgbench_tps"),
                verdict.get("api_over_pgbench"),
                TARGET_RATIO,
                (Boolean) verdict.get("meets_ratio_goal") ? "met" : "**not met**"));
        report.paragraph(String.format(
                "The service's floor on this machine, measured in the same run: its lightest "
                        + "authenticated request with the same transaction shape (identity, one indexed read, COMMIT), "
                        + "`GET /api/v1/me`, %s requests/s; a ride request runs at %s of it.",
                verdict.get("floor_get_me_per_s"), verdict.get("api_over_floor")));
        report.paragraph("The statements per request, from pg_stat_statements (reset before the block) over "
                + (profiled != null
                        ? "the profiled block, with `track = all`: top-level rows are what the service sends, the "
                                + "others run inside functions and triggers (their time is part of the top-level statement's)"
                        : "the last API block (top-level statements only)")
                + "; the dispatcher's periodic pass shows too:");
        List<List<String>> statementRows = new ArrayList<>();
        for (Map<String, Object> s : statements) {
            statementRows.add(List.of(
                    String.valueOf(s.get("calls_per_request")),
                    String.valueOf(s.get("mean_us")),
                    String.valueOf(s.get("total_ms")),
                    String.valueOf(s.get("toplevel")),
                    "`" + String.valueOf(s.get("query")).replace("|", "\\|") + "`"));
        }
        report.table(List.of("calls / request", "mean µs", "total ms", "top level", "statement"), statementRows);
        report.paragraph(
                "The pgbench script (as `app_backend`, `-M prepared`, one transaction per request; quote and rider ids "
                        + "computed with md5 from the quote number, the only difference from what the service binds):");
        report.code("sql", pgbenchScript());
        List<List<String>> pgStatements = new ArrayList<>();
        ((Map<String, Object>) pgbenchRun.get("statement_latency_ms"))
                .forEach((sql, ms) -> pgStatements.add(List.of(
                        String.valueOf(ms),
                        "`" + (sql.length() > 110 ? sql.substring(0, 110) + "…" : sql).replace("|", "\\|") + "`")));
        report.table(List.of("pgbench mean ms", "statement"), pgStatements);
        if (profiled != null) {
            report.paragraph(String.format(
                    "Where the time goes: a profiled block (%d workers, %.0f s, JFR execution samples "
                            + "every 10 ms): %.0f requests/s, p99 %s ms; CPU %s.",
                    profiled.workers(),
                    profiled.seconds(),
                    profiled.perSecond(),
                    msFixed(profiled.latency().percentileMicros(99)),
                    profiled.cpu().get("jvm_threads_cores")));
            report.code("json", Json.write(profile));
        }
    }
}
