package com.vipride.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a scenario found: a JSON tree (written as {@code <scenario>.json}) and Markdown parts
 * (appended to {@code <scenario>.md}), plus the lines of the stdout summary.
 */
public final class ScenarioReport {

    private final Map<String, Object> json = new LinkedHashMap<>();
    private final List<String> markdown = new ArrayList<>();
    private final List<String> summary = new ArrayList<>();
    private boolean passed = true;

    public Map<String, Object> json() {
        return json;
    }

    public ScenarioReport put(String key, Object value) {
        json.put(key, value);
        return this;
    }

    public ScenarioReport paragraph(String text) {
        markdown.add(text.strip() + "\n");
        return this;
    }

    public ScenarioReport heading(String text) {
        markdown.add("#### " + text + "\n");
        return this;
    }

    public ScenarioReport table(List<String> header, List<List<String>> rows) {
        StringBuilder table = new StringBuilder();
        table.append("| ").append(String.join(" | ", header)).append(" |\n");
        table.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> row : rows) {
            table.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        markdown.add(table.toString());
        return this;
    }

    public ScenarioReport code(String language, String text) {
        markdown.add("```" + language + "\n" + text.stripTrailing() + "\n```\n");
        return this;
    }

    public ScenarioReport summary(String line) {
        summary.add(line);
        return this;
    }

    /** Records a check; a failed one makes the run end with a failure after the results are written. */
    public ScenarioReport check(boolean ok) {
        passed &= ok;
        return this;
    }

    public boolean passed() {
        return passed;
    }

    public List<String> markdown() {
        return markdown;
    }

    public List<String> summaryLines() {
        return summary;
    }
}
