package com.vipride.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;

/**
 * The result files of a scenario in the results folder: {@code <scenario>.json}, the latest run
 * (overwritten), and {@code <scenario>.md}, one section appended per run.
 */
public final class ResultFiles {

    private final Path projectDir;
    private final Path folder;

    public ResultFiles(Path projectDir, String resultsDir) {
        this.projectDir = projectDir;
        this.folder = projectDir.resolve(resultsDir);
    }

    public Path writeJson(String scenario, Map<String, Object> json) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(scenario + ".json");
        Files.writeString(file, Json.write(json), StandardCharsets.UTF_8);
        return file;
    }

    public Path appendMarkdown(String scenario, String section) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(scenario + ".md");
        Files.writeString(file, section, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return file;
    }

    /** The run's Markdown section: heading, command, machine, the scenario's parts and the checks. */
    @SuppressWarnings("unchecked")
    public static String section(
            String scenario, String title, Instant startedAt, Map<String, Object> json, ScenarioReport report) {
        Map<String, Object> environment = (Map<String, Object>) json.get("environment");
        StringBuilder md = new StringBuilder();
        md.append("\n## ").append(scenario).append(" — ").append(startedAt).append("\n\n");
        md.append(title).append("\n\n");
        md.append("Command: `").append(json.get("command")).append("`  \n");
        md.append("Machine: ")
                .append(environment.get("cores"))
                .append(" cores, ")
                .append(environment.get("java"))
                .append(", ")
                .append(String.valueOf(environment.get("postgres")).replaceAll(" on .*", ""))
                .append(" (shared_buffers ")
                .append(environment.get("shared_buffers"))
                .append("), load average ")
                .append(environment.get("load_average_at_start"))
                .append(" at start, ")
                .append(environment.get("load_average_at_end"))
                .append(" at end\n\n");
        report.markdown().forEach(part -> md.append(part).append('\n'));
        md.append("Checks: ")
                .append(report.passed() ? "all passed" : "**FAILED**")
                .append("\n");
        return md.toString();
    }

    /** A result file as the summary shows it: relative to the project when it lies inside. */
    public Path shown(Path file) {
        return file.startsWith(projectDir) ? projectDir.relativize(file) : file;
    }
}
