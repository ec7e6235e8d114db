package com.vipride.bench.measure;

import com.vipride.bench.BenchContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs PostgreSQL's own {@code pgbench} against the harness's cluster with a custom script: the ceiling
 * for the same SQL statements without the service, in the same run. Prepared protocol ({@code -M
 * prepared}), no vacuum ({@code -n}), per-statement latencies ({@code -r}) and a per-transaction log
 * ({@code -l}) from which p50/p99 are computed like the other sides'. The binary is the Debian one in
 * {@code /usr/lib/postgresql/15/bin} ({@code -Dbench.pgbench} names another).
 */
public final class Pgbench {

    private static final Pattern TPS = Pattern.compile("tps = ([\\d.]+) \\(without initial connection time\\)");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([\\d.]+) ms");
    private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");
    private static final Pattern FAILED = Pattern.compile("number of failed transactions: (\\d+)");
    private static final Pattern STATEMENT = Pattern.compile("^\\s+([\\d.]+)\\s+(\\d+)\\s+(.+)$");

    private final BenchContext context;
    private final String binary;

    public Pgbench(BenchContext context) {
        this.context = context;
        this.binary = context.settings().string("pgbench", "/usr/lib/postgresql/15/bin/pgbench");
    }

    public String binary() {
        return binary;
    }

    /**
     * Runs {@code script} as {@code login} with {@code clients} connections (one thread each), either for
     * {@code seconds} (> 0) or for {@code transactionsPerClient}; {@code variables} become {@code -D}s.
     */
    public Map<String, Object> run(
            String login,
            String script,
            int clients,
            int seconds,
            int transactionsPerClient,
            Map<String, String> variables)
            throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("vipride-pgbench-");
        try {
            Path scriptFile = dir.resolve("script.sql");
            Files.writeString(scriptFile, script, StandardCharsets.UTF_8);
            List<String> command = new ArrayList<>(List.of(
                    binary,
                    "-n",
                    "-M",
                    "prepared",
                    "-r",
                    "-l",
                    "--log-prefix=" + dir.resolve("tx"),
                    "-h",
                    "localhost",
                    "-p",
                    String.valueOf(context.server().port()),
                    "-U",
                    login,
                    "-c",
                    String.valueOf(clients),
                    "-j",
                    String.valueOf(clients),
                    "-f",
                    scriptFile.toString()));
            if (seconds > 0) {
                command.addAll(List.of("-T", String.valueOf(seconds)));
            } else {
                command.addAll(List.of("-t", String.valueOf(transactionsPerClient)));
            }
            variables.forEach((name, value) -> command.addAll(List.of("-D", name + "=" + value)));
            command.add(context.server().database());
            Path output = dir.resolve("output.txt");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            int exit = process.waitFor();
            String text = Files.readString(output);
            if (exit != 0) {
                throw new IllegalStateException("pgbench exited with " + exit + ":\n" + text);
            }
            return parse(text, transactionLatencies(dir), clients, login);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(file -> file.toFile().delete());
            }
        }
    }

    /** Latencies of every transaction, from the per-transaction logs ({@code client tx latency_us …}). */
    private static LatencyStats transactionLatencies(Path dir) throws IOException {
        LatencyStats stats = new LatencyStats(100_000);
        try (Stream<Path> logs = Files.list(dir)) {
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("tx"))
                    .toList()) {
                for (String line : Files.readAllLines(log)) {
                    String[] fields = line.split(" ");
                    if (fields.length >= 3 && !fields[2].equals("failed") && !fields[2].equals("skipped")) {
                        stats.record(Long.parseLong(fields[2]) * 1_000L);
                    }
                }
            }
        }
        return stats;
    }

    private static Map<String, Object> parse(String text, LatencyStats latencies, int clients, String login) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("login", login);
        result.put("clients", clients);
        result.put("tps", LatencyStats.round1(Double.parseDouble(find(TPS, text, "0"))));
        result.put("transactions", Long.parseLong(find(PROCESSED, text, "0")));
        result.put("failed_transactions", Long.parseLong(find(FAILED, text, "0")));
        result.put("latency_average_ms", Double.parseDouble(find(LATENCY, text, "NaN")));
        result.put("transaction_latency", latencies.summary());
        Map<String, Object> statements = new LinkedHashMap<>();
        boolean inStatements = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("statement latencies")) {
                inStatements = true;
                continue;
            }
            Matcher statement = STATEMENT.matcher(line);
            if (inStatements && statement.matches()) {
                statements.put(statement.group(3).trim(), Double.parseDouble(statement.group(1)));
            }
        }
        result.put("statement_latency_ms", statements);
        return result;
    }

    private static String find(Pattern pattern, String text, String fallback) {
        Matcher matcher = pattern.matcher(text);
        return matcher.find() ? matcher.group(1) : fallback;
    }
}
