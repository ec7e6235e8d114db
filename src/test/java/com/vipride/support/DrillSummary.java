package com.vipride.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The summary a drill ends with, as the shell drills write theirs (ops/drills/lib.sh): one line
 * {@code DRILL-SUMMARY <json>} on standard output and target/drills/&lt;drill&gt;.json, which
 * {@code ops/drills/report.sh --collect} copies to bench/results/drills/ for the table in
 * docs/reliability.md.
 */
public final class DrillSummary {

    private DrillSummary() {}

    /** Numbers in {@code figures} are written as numbers, everything else as strings. */
    public static void write(
            String drill,
            String load,
            String faults,
            String badInputs,
            String rowsLost,
            boolean ok,
            Map<String, Object> figures) {
        String json = "{\"drill\":" + quote(drill)
                + ",\"measuredAt\":"
                + quote(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                + ",\"machine\":"
                + quote(Runtime.getRuntime().availableProcessors() + " cores, load average " + loadAverage())
                + ",\"load\":" + quote(load)
                + ",\"faults\":" + quote(faults)
                + ",\"badInputs\":" + quote(badInputs)
                + ",\"rowsLost\":" + quote(rowsLost)
                + ",\"ok\":" + ok
                + ",\"figures\":{"
                + figures.entrySet().stream()
                        .map(e -> quote(e.getKey()) + ":"
                                + (e.getValue() instanceof Number n
                                        ? n.toString()
                                        : quote(String.valueOf(e.getValue()))))
                        .collect(Collectors.joining(","))
                + "}}";
        System.out.println("DRILL-SUMMARY " + json);
        try {
            Path file = Path.of("target/drills/" + drill + ".json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, json + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException unknown) {
            return "unknown";
        }
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
