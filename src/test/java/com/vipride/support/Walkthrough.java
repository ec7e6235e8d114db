package com.vipride.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a walk-through of ops/walkthroughs/ — the runnable examples a newcomer reads first — against the
 * test's service, as a user would: bash, curl and jq over HTTP, admin credentials in the environment.
 */
public final class Walkthrough {

    private static final List<String> TOOLS = List.of("bash", "curl", "jq");

    private Walkthrough() {}

    /** The script's output (its steps on standard error, then its result); fails unless it exits 0. */
    public static String run(String name, String baseUrl, Map<String, String> environment) {
        TOOLS.forEach(Walkthrough::requireTool);
        Path script = Path.of("ops/walkthroughs", name + ".sh");
        assertThat(script).as("walk-through " + name).isRegularFile();
        try {
            Path output = Files.createTempFile("walkthrough-" + name, ".log");
            ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), baseUrl)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            boolean finished = process.waitFor(5, TimeUnit.MINUTES);
            if (!finished) {
                process.destroyForcibly();
            }
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertThat(finished)
                    .as("%s finished within 5 minutes:%n%s", name, log)
                    .isTrue();
            assertThat(process.exitValue()).as("%s exit status:%n%s", name, log).isZero();
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last line a walk-through prints: the id of what it made. */
    public static String result(String log) {
        List<String> lines = log.strip().lines().toList();
        return lines.get(lines.size() - 1).strip();
    }

    private static void requireTool(String tool) {
        boolean found = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
        assertThat(found)
                .as("%s is missing: install the Debian package %s (apt-get install %s)", tool, tool, tool)
                .isTrue();
    }
}
