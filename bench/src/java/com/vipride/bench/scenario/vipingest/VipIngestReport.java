package com.vipride.bench.scenario.vipingest;

import static com.vipride.bench.scenario.vipingest.VipIngestScenario.*;

import com.vipride.bench.measure.LatencyStats;
import com.vipride.bench.measure.ServiceThreads;
import com.vipride.bench.report.ScenarioReport;
import com.vipride.bench.scenario.vipingest.VipIngestScenario.ApiBlock;
import com.vipride.bench.scenario.vipingest.VipIngestScenario.Blocks;
import com.vipride.bench.scenario.vipingest.VipIngestScenario.CopyBlock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@code vip-ingest} reports: the result JSON, the Markdown tables and the summary lines. */
final class VipIngestReport {

    private VipIngestReport() {}

    /** The run's JSON, Markdown and summary. */
    static void write(
            ScenarioReport report,
            List<Integer> workerCounts,
            int seconds,
            int warmupSeconds,
            int profileSeconds,
            int vipCount,
            int bodyCount,
            int batchPoints,
            long seed,
            boolean truncate,
            Map<String, Object> startupFacts,
            Map<String, Object> tableAfterSweep,
            double meanBodyBytes,
            Map<String, Object> envelope,
            ApiBlock headline,
            CopyBlock headlineCopy,
            CopyBlock headlineParallelCopy,
            Blocks blocks,
            long errors,
            long expectedRows,
            long storedRows) {
        Map<String, Object> settingsJson = new LinkedHashMap<>();
        settingsJson.put("workers", workerCounts);
        settingsJson.put("seconds_per_block", seconds);
        settingsJson.put("warmup_seconds", warmupSeconds);
        settingsJson.put("profile_seconds", profileSeconds);
        settingsJson.put("vips", vipCount);
        settingsJson.put("bodies", bodyCount);
        settingsJson.put("points_per_request", batchPoints);
        settingsJson.put("seed", seed);
        settingsJson.put("truncate_before_each_block", truncate);
        settingsJson.put("copy_ids", TIME_ORDERED_COPY_IDS ? "time-ordered (v7)" : "random (v4), like the service");
        report.put("settings", settingsJson);
        Map<String, Object> serviceJson = new LinkedHashMap<>(startupFacts);
        serviceJson.put("table_after_blocks", tableAfterSweep);
        serviceJson.put("request_body_bytes_mean", Math.round(meanBodyBytes));
        serviceJson.put("envelope", envelope);
        report.put("service", serviceJson);

        double ratio = headline.pointsPerSecond() / headlineCopy.rowsPerSecond();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("workers", headline.workers());
        result.put("api_points_per_s", Math.round(headline.pointsPerSecond()));
        result.put("api_requests_per_s", LatencyStats.round1(headline.requests() / headline.seconds()));
        result.put("api_latency_ms", latencyMs(headline.latency()));
        result.put("copy_rows_per_s", Math.round(headlineCopy.rowsPerSecond()));
        result.put("api_to_copy_ratio", LatencyStats.round2(ratio));
        result.put("copy_2_streams_rows_per_s", Math.round(headlineParallelCopy.rowsPerSecond()));
        result.put(
                "api_to_copy_2_streams_ratio",
                LatencyStats.round2(headline.pointsPerSecond() / headlineParallelCopy.rowsPerSecond()));
        Map<String, Object> postgresPerRow = new LinkedHashMap<>();
        postgresPerRow.put(
                "api_insert_unnest",
                LatencyStats.round1(postgresMicrosPerRow(headline.cpu(), headline.seconds(), headline.points())));
        postgresPerRow.put(
                "copy",
                LatencyStats.round1(
                        postgresMicrosPerRow(headlineCopy.cpu(), headlineCopy.seconds(), headlineCopy.rows())));
        result.put("postgres_cpu_us_per_row", postgresPerRow);
        result.put("service_jvm_cpu_us_per_point", LatencyStats.round1(serviceJvmMicrosPerPoint(headline)));
        result.put("target_points_per_s", (long) TARGET_POINTS_PER_S);
        result.put("meets_target", headline.pointsPerSecond() >= TARGET_POINTS_PER_S);
        result.put(
                "target_share_of_copy_ceiling",
                LatencyStats.round2(TARGET_POINTS_PER_S / headlineCopy.rowsPerSecond()));
        report.put("result", result);

        Map<String, Object> warmupJson = new LinkedHashMap<>();
        warmupJson.put("api", apiJson(blocks.warmup()));
        warmupJson.put("copy", copyJson(blocks.copyWarmup()));
        report.put("warmup", warmupJson);
        List<Map<String, Object>> sweep = new ArrayList<>();
        for (int i = 0; i < blocks.api().size(); i++) {
            Map<String, Object> pair = new LinkedHashMap<>();
            pair.put("api", apiJson(blocks.api().get(i)));
            pair.put("copy", copyJson(blocks.copy().get(i)));
            pair.put("copy_2_streams", copyJson(blocks.parallelCopy().get(i)));
            pair.put(
                    "api_to_copy_ratio",
                    LatencyStats.round2(blocks.api().get(i).pointsPerSecond()
                            / blocks.copy().get(i).rowsPerSecond()));
            sweep.add(pair);
        }
        report.put("blocks", sweep);
        report.put("table_after_blocks", tableAfterSweep);
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("api", apiJson(blocks.profiled()));
        profile.put("jfr", blocks.samples());
        profile.put("pg_stat_statements", blocks.statements());
        report.put("profile", profile);
        report.put("stages_single_thread", blocks.stages());

        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("api_errors", errors);
        checks.put("rows_expected", expectedRows);
        checks.put("rows_stored", storedRows);
        checks.put("passed", errors == 0 && expectedRows == storedRows);
        report.put("checks", checks);
        report.check(errors == 0 && expectedRows == storedRows);

        markdown(report, result, serviceJson, blocks, checks, settingsJson);
        report.summary(String.format(
                "API %d workers: %,.0f points/s (target ≥ %,.0f: %s), p50 %.1f ms, p99 %.1f ms per 1000-point request",
                headline.workers(),
                headline.pointsPerSecond(),
                TARGET_POINTS_PER_S,
                headline.pointsPerSecond() >= TARGET_POINTS_PER_S ? "met" : "NOT met",
                headline.latency().percentileMicros(50) / 1000,
                headline.latency().percentileMicros(99) / 1000));
        report.summary(
                String.format("COPY ceiling: %,.0f rows/s; API/COPY = %.2f", headlineCopy.rowsPerSecond(), ratio));
        for (int i = 0; i < blocks.api().size(); i++) {
            report.summary(String.format(
                    "  %d workers: %,.0f points/s, p50 %.1f ms, p99 %.1f ms | COPY %,.0f rows/s | ratio %.2f",
                    blocks.api().get(i).workers(),
                    blocks.api().get(i).pointsPerSecond(),
                    blocks.api().get(i).latency().percentileMicros(50) / 1000,
                    blocks.api().get(i).latency().percentileMicros(99) / 1000,
                    blocks.copy().get(i).rowsPerSecond(),
                    blocks.api().get(i).pointsPerSecond() / blocks.copy().get(i).rowsPerSecond()));
        }
        report.summary("service stages (JFR, share of request-thread CPU): " + stageLine(blocks.samples()));
        report.summary(String.format(
                "CPU during the profiled block: service JVM %s cores (request threads %s, load generator %s), "
                        + "PostgreSQL %s, other processes %s, of %s",
                blocks.profiled().cpu().get("jvm_cores"),
                threadCores(blocks.profiled().cpu(), ServiceThreads.SERVER_THREADS),
                threadCores(blocks.profiled().cpu(), ServiceThreads.CLIENT_THREADS),
                blocks.profiled().cpu().get("postgres_cores"),
                blocks.profiled().cpu().get("other_processes_cores"),
                blocks.profiled().cpu().get("machine_cores")));
        report.summary("rows: " + storedRows + " stored, " + expectedRows + " expected; API errors: " + errors);
    }

    @SuppressWarnings("unchecked")
    static void markdown(
            ScenarioReport report,
            Map<String, Object> result,
            Map<String, Object> service,
            Blocks blocks,
            Map<String, Object> checks,
            Map<String, Object> settings) {
        List<ApiBlock> apiBlocks = blocks.api();
        List<CopyBlock> copyBlocks = blocks.copy();
        List<CopyBlock> parallelCopyBlocks = blocks.parallelCopy();
        ApiBlock profiled = blocks.profiled();
        Map<String, Object> samples = blocks.samples();
        List<Map<String, Object>> statements = blocks.statements();
        Map<String, Object> stages = blocks.stages();
        ApiBlock warmup = blocks.warmup();
        CopyBlock copyWarmup = blocks.copyWarmup();
        Map<String, Object> envelope = (Map<String, Object>) service.get("envelope");
        report.paragraph(String.format(
                        "The service (`SpringApplication` on `VipRideApplication`, started in the benchmark JVM on the "
                                + "harness's cluster, default configuration: Hikari pool %s, Tomcat) and the load generator share the machine. "
                                + "A vip_admin and %s VIPs are created through the API; %s workers (one `HttpClient` each, HTTP/1.1 keep-alive) "
                                + "post %s pre-built 1000-point drives through Lagos (%.0f KB of JSON each) back to back for %s s per worker count, "
                                + "after a %s s warm-up. After each API block, one plain `COPY … FROM STDIN` (text format, superuser) writes as "
                                + "many rows of the same shape into the same table (random %s-byte ciphertext = the service's envelope size), "
                                + "then the same again split over 2 parallel COPY streams (one COPY is one backend, so at most one core). %s",
                        service.get("hikari_maximum_pool_size") == null
                                ? "20 (default)"
                                : service.get("hikari_maximum_pool_size"),
                        settings.get("vips"),
                        settings.get("workers"),
                        settings.get("bodies"),
                        ((Number) service.get("request_body_bytes_mean")).doubleValue() / 1024,
                        settings.get("seconds_per_block"),
                        settings.get("warmup_seconds"),
                        envelope.get("avg_bytes"),
                        Boolean.TRUE.equals(settings.get("truncate_before_each_block"))
                                ? "Every measured block starts on an empty table (TRUNCATE) after a CHECKPOINT, so all blocks write into the same state."
                                : "The table grows from block to block (-Dbench.truncate=false); a CHECKPOINT precedes each block.")
                + (TIME_ORDERED_COPY_IDS
                        ? " What-if: the COPY rows get time-ordered (v7) ids (-Dbench.copyIds=time-ordered); the service's stay random."
                        : ""));
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < apiBlocks.size(); i++) {
            ApiBlock api = apiBlocks.get(i);
            CopyBlock copy = copyBlocks.get(i);
            rows.add(List.of(
                    String.valueOf(api.workers()),
                    String.format("%,.0f", api.pointsPerSecond()),
                    String.format("%.1f", api.requests() / api.seconds()),
                    String.format("%.1f", api.latency().percentileMicros(50) / 1000),
                    String.format("%.1f", api.latency().percentileMicros(99) / 1000),
                    String.valueOf(api.errors()),
                    String.format("%,.0f", copy.rowsPerSecond()),
                    String.format("%.2f", api.pointsPerSecond() / copy.rowsPerSecond()),
                    String.format(
                            "%,.0f (%.2f)",
                            parallelCopyBlocks.get(i).rowsPerSecond(),
                            api.pointsPerSecond() / parallelCopyBlocks.get(i).rowsPerSecond()),
                    String.format(
                            "%s / %s / %s",
                            api.cpu().get("jvm_cores"),
                            api.cpu().get("postgres_cores"),
                            api.cpu().get("other_processes_cores")),
                    String.format(
                            "%s / %s",
                            copy.cpu().get("postgres_cores"), copy.cpu().get("other_processes_cores")),
                    String.format(
                            "%.1f / %.1f",
                            serviceJvmMicrosPerPoint(api),
                            postgresMicrosPerRow(api.cpu(), api.seconds(), api.points())),
                    String.format("%.1f", postgresMicrosPerRow(copy.cpu(), copy.seconds(), copy.rows()))));
        }
        report.table(
                List.of(
                        "workers",
                        "API points/s",
                        "requests/s",
                        "p50 ms",
                        "p99 ms",
                        "errors",
                        "COPY rows/s",
                        "API / COPY",
                        "COPY 2 streams rows/s (API / it)",
                        "CPU cores during API: JVM / PostgreSQL / other processes",
                        "during COPY: PostgreSQL / other",
                        "CPU µs per point, API: service JVM / PostgreSQL",
                        "PostgreSQL CPU µs per row, COPY"),
                rows);
        Map<String, Object> table = (Map<String, Object>) service.get("table_after_blocks");
        if (table != null) {
            report.paragraph(String.format(
                    "Table after the last block: %,d rows; heap %s MB, primary key (id uuid, recorded_at) %s MB, "
                            + "(user_id, recorded_at) index %s MB; shared_buffers %s. Index blocks read from outside shared_buffers "
                            + "since the start: %,d (hits %,d).",
                    (Long) table.get("rows"),
                    table.get("heap_mb"),
                    table.get("primary_key_mb"),
                    table.get("user_time_index_mb"),
                    table.get("shared_buffers"),
                    (Long) table.get("index_blocks_read_since_start"),
                    (Long) table.get("index_blocks_hit_since_start")));
        }
        report.table(
                List.of("result", "value"),
                List.of(
                        List.of(
                                "API points/s (best worker count: " + result.get("workers") + ")",
                                String.format("%,d", (Long) result.get("api_points_per_s"))),
                        List.of(
                                "request latency p50 / p99 (1000 points)",
                                ((Map<String, Object>) result.get("api_latency_ms")).get("p50") + " / "
                                        + ((Map<String, Object>) result.get("api_latency_ms")).get("p99") + " ms"),
                        List.of(
                                "COPY ceiling rows/s (same run)",
                                String.format("%,d", (Long) result.get("copy_rows_per_s"))),
                        List.of("API / COPY", String.valueOf(result.get("api_to_copy_ratio"))),
                        List.of(
                                "COPY in 2 parallel streams rows/s (API / it)",
                                String.format(
                                        "%,d (%s)",
                                        (Long) result.get("copy_2_streams_rows_per_s"),
                                        result.get("api_to_copy_2_streams_ratio"))),
                        List.of(
                                "PostgreSQL CPU µs per row: INSERT … unnest via the API / COPY",
                                ((Map<String, Object>) result.get("postgres_cpu_us_per_row")).get("api_insert_unnest")
                                        + " / "
                                        + ((Map<String, Object>) result.get("postgres_cpu_us_per_row")).get("copy")),
                        List.of(
                                "service JVM CPU µs per point (all but the load generator)",
                                String.valueOf(result.get("service_jvm_cpu_us_per_point"))),
                        List.of(
                                "target",
                                "≥ 50,000 points/s — " + ((Boolean) result.get("meets_target") ? "met" : "**not met**")
                                        + " (the target is " + result.get("target_share_of_copy_ceiling")
                                        + "× the COPY ceiling here)")));

        report.heading("Where the time goes");
        report.paragraph(String.format(
                "Profiled block (%d workers, %.0f s, %,.0f points/s, JFR execution samples every 10 ms): CPU in "
                        + "cores — service JVM %s (HTTP request threads %s, load generator %s, GC/JIT %s), PostgreSQL %s, "
                        + "other processes on the machine %s, machine busy %s of %s.",
                profiled.workers(),
                profiled.seconds(),
                profiled.pointsPerSecond(),
                profiled.cpu().get("jvm_cores"),
                threadCores(profiled.cpu(), ServiceThreads.SERVER_THREADS),
                threadCores(profiled.cpu(), ServiceThreads.CLIENT_THREADS),
                threadCores(profiled.cpu(), "GC, JIT and other VM-internal threads"),
                profiled.cpu().get("postgres_cores"),
                profiled.cpu().get("other_processes_cores"),
                profiled.cpu().get("machine_busy_cores"),
                profiled.cpu().get("machine_cores")));
        Map<String, Object> allocated = (Map<String, Object>) profiled.cpu().get("jvm_allocated_mb_by_thread_group");
        Object serverMb = allocated == null ? null : allocated.get(ServiceThreads.SERVER_THREADS);
        report.paragraph(String.format(
                "Allocation on the service's request threads: %s MB in %d requests (%.1f MB per 1000-point request); "
                        + "%s GCs, GC time %s of the wall clock, JIT compilation %s s during the block.",
                serverMb,
                profiled.requests(),
                serverMb == null ? Double.NaN : ((Number) serverMb).doubleValue() / Math.max(1, profiled.requests()),
                profiled.cpu().get("gc_collections"),
                profiled.cpu().get("gc_time_share"),
                profiled.cpu().get("jit_compile_s")));
        List<List<String>> stageRows = new ArrayList<>();
        ((Map<String, Object>) samples.get("service_stages"))
                .forEach((stage, value) -> stageRows.add(List.of(
                        stage,
                        String.valueOf(((Map<String, Object>) value).get("share_pct")),
                        String.valueOf(((Map<String, Object>) value).get("samples")))));
        report.table(
                List.of("service request threads: stage (innermost marker on the stack)", "% of samples", "samples"),
                stageRows);
        List<List<String>> leafRows = new ArrayList<>();
        ((Map<String, Object>) samples.get("service_top_leaf_methods"))
                .forEach((method, share) -> leafRows.add(List.of("`" + method + "`", String.valueOf(share))));
        report.table(List.of("top leaf methods on the request threads", "% of samples"), leafRows);
        Map<String, Object> stacks = (Map<String, Object>) samples.get("service_top_leaf_most_common_stack");
        if (stacks != null && !stacks.isEmpty()) {
            StringBuilder text = new StringBuilder();
            stacks.forEach((leaf, stack) -> text.append(stack).append('\n'));
            report.paragraph(
                    "The most common stack (10 innermost frames, leaf first) under each of the top 5 leaf methods:");
            report.code("text", text.toString());
        }
        List<List<String>> statementRows = new ArrayList<>();
        for (Map<String, Object> s : statements) {
            statementRows.add(List.of(
                    "`" + String.valueOf(s.get("query")).replace("|", "\\|") + "`",
                    String.valueOf(s.get("calls")),
                    String.valueOf(s.get("mean_exec_ms")),
                    String.valueOf(s.get("total_exec_s")),
                    String.valueOf(s.get("backend_cores_busy"))));
        }
        report.table(
                List.of("pg_stat_statements during the profiled block", "calls", "mean ms", "total s", "backend cores"),
                statementRows);
        List<List<String>> timingRows = new ArrayList<>();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("http_request_total", "whole HTTP request, 1 client (JSON → validation → ingest → response)");
        labels.put(
                "service_ingest_in_process",
                "LocationIngestService.ingest in-process (transaction, encryption, INSERT, geofences; CPU: JVM side only)");
        labels.put("json_parse", "JSON → LocationBatch (the service's Jackson mapper)");
        labels.put("bean_validation", "bean validation of the batch (@Valid on each point)");
        labels.put("plaintext_string_format", "plaintext per point (String.format %.7f ×2)");
        labels.put("uuid_random", "row ids (UUID.randomUUID ×1000)");
        labels.put("encrypt_envelopes", "encryption: VipCipher.encrypt ×1000 (envelope + Tink AES-256-GCM)");
        labels.put("insert_build_arrays", "INSERT: building the 7 JDBC arrays");
        labels.put("insert_execute", "INSERT … unnest: execute (send, parse arrays, insert, FK/RLS checks, 2 indexes)");
        labels.put("insert_commit", "COMMIT");
        labels.forEach((key, label) -> {
            Map<String, Object> timing = (Map<String, Object>) stages.get(key);
            if (timing != null) {
                Object perCpu = timing.get("points_per_cpu_second");
                timingRows.add(List.of(
                        label,
                        String.valueOf(timing.get("mean_ms_per_batch")),
                        String.valueOf(timing.getOrDefault("cpu_ms_per_batch", "—")),
                        timing.get("cpu_of") == null ? "—" : String.valueOf(timing.get("cpu_of")),
                        perCpu == null ? "—" : String.format("%,d", (Long) perCpu),
                        timing.get("allocated_kb_per_batch") == null
                                ? "—"
                                : String.format("%,d", (Long) timing.get("allocated_kb_per_batch"))));
            }
        });
        report.table(
                List.of(
                        "one 1000-point batch, single-threaded, stage alone",
                        "wall ms",
                        "CPU ms",
                        "CPU of",
                        "points per CPU-second",
                        "allocated KB"),
                timingRows);
        Map<String, Object> explain = (Map<String, Object>) stages.get("insert_explain_analyze");
        if (explain != null) {
            report.paragraph(
                    "EXPLAIN (ANALYZE, BUFFERS) of one 1000-point `INSERT … unnest` as the VIP (customer_user): execution "
                            + explain.get("execution_ms") + " ms, of which triggers " + explain.get("triggers") + ":");
            report.code("text", (String) explain.get("text"));
        }
        Map<String, Object> lookup = (Map<String, Object>) stages.get("subject_key_lookup_sql");
        if (lookup != null) {
            report.paragraph(
                    "Subject-key lookup (`vip_data.subject_key`, SQL only): " + lookup.get("mean_ms_per_lookup")
                            + " ms — cached by the service for 60 s per VIP, so not a per-batch cost.");
        }
        report.paragraph(String.format(
                "Warm-up: %,.0f points/s with %d workers; COPY warm-up %,.0f rows/s. Envelope size %s bytes "
                        + "(min %s, max %s): %s.",
                warmup.pointsPerSecond(),
                warmup.workers(),
                copyWarmup.rowsPerSecond(),
                envelope.get("avg_bytes"),
                envelope.get("min_bytes"),
                envelope.get("max_bytes"),
                envelope.get("layout")));
        report.paragraph(String.format(
                "Consistency: API errors %s; rows in the table %s, expected %s — %s.",
                checks.get("api_errors"),
                checks.get("rows_stored"),
                checks.get("rows_expected"),
                (Boolean) checks.get("passed") ? "passed" : "**FAILED**"));
    }

    @SuppressWarnings("unchecked")
    static String stageLine(Map<String, Object> samples) {
        StringBuilder line = new StringBuilder();
        Map<String, Object> stages = (Map<String, Object>) samples.get("service_stages");
        stages.entrySet().stream().limit(6).forEach(e -> {
            if (!line.isEmpty()) {
                line.append(", ");
            }
            line.append(e.getKey().replaceAll(" \\(.*", ""))
                    .append(' ')
                    .append(((Map<String, Object>) e.getValue()).get("share_pct"))
                    .append('%');
        });
        return line.toString();
    }

    @SuppressWarnings("unchecked")
    static Object threadCores(Map<String, Object> cpu, String group) {
        return ((Map<String, Object>) cpu.get("jvm_threads_cores")).getOrDefault(group, 0.0);
    }

    static Map<String, Object> copyJson(CopyBlock block) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("streams", block.streams());
        json.put(
                "postgres_cpu_us_per_row",
                LatencyStats.round1(postgresMicrosPerRow(block.cpu(), block.seconds(), block.rows())));
        json.put("rows", block.rows());
        json.put("seconds", LatencyStats.round2(block.seconds()));
        json.put("rows_per_s", Math.round(block.rowsPerSecond()));
        json.put("cpu", block.cpu());
        return json;
    }

    static Map<String, Object> apiJson(ApiBlock block) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("service_jvm_cpu_us_per_point", LatencyStats.round1(serviceJvmMicrosPerPoint(block)));
        json.put(
                "postgres_cpu_us_per_point",
                LatencyStats.round1(postgresMicrosPerRow(block.cpu(), block.seconds(), block.points())));
        json.put("workers", block.workers());
        json.put("seconds", LatencyStats.round2(block.seconds()));
        json.put("requests", block.requests());
        json.put("points", block.points());
        json.put("points_per_s", Math.round(block.pointsPerSecond()));
        json.put("errors", block.errors());
        if (block.firstError() != null) {
            json.put("first_error", block.firstError());
        }
        json.put("latency_ms", latencyMs(block.latency()));
        json.put("cpu", block.cpu());
        return json;
    }

    static double postgresMicrosPerRow(Map<String, Object> cpu, double seconds, long rows) {
        return ((Number) cpu.get("postgres_cores")).doubleValue() * seconds * 1e6 / Math.max(1, rows);
    }

    /** CPU-µs the service's JVM (all but the load generator's threads) spent per point. */
    static double serviceJvmMicrosPerPoint(ApiBlock block) {
        double cores = ((Number) block.cpu().get("jvm_cores")).doubleValue()
                - ((Number) threadCores(block.cpu(), ServiceThreads.CLIENT_THREADS)).doubleValue();
        return cores * block.seconds() * 1e6 / Math.max(1, block.points());
    }

    static Map<String, Object> latencyMs(LatencyStats stats) {
        Map<String, Object> ms = new LinkedHashMap<>();
        ms.put("count", stats.count());
        ms.put("p50", LatencyStats.round1(stats.percentileMicros(50) / 1000));
        ms.put("p95", LatencyStats.round1(stats.percentileMicros(95) / 1000));
        ms.put("p99", LatencyStats.round1(stats.percentileMicros(99) / 1000));
        ms.put("mean", LatencyStats.round1(stats.meanMicros() / 1000));
        ms.put("max", LatencyStats.round1(stats.percentileMicros(100) / 1000));
        return ms;
    }
}
