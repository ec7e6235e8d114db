package com.vipride.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Debian's PostgreSQL 15 client tools (psql, pg_dump), which the embedded binaries do not include.
 * On a fresh Debian machine where the test run is root, they are installed on first use, so that
 * the README's test command needs nothing but a JDK; anywhere else a missing tool fails with the
 * command that installs it.
 */
public final class PostgresClientTools {

    private static final List<String> DIRECTORIES = List.of("/usr/lib/postgresql/15/bin", "/usr/bin", "/usr/local/bin");

    private PostgresClientTools() {}

    public static synchronized String path(String tool) {
        return find(tool)
                .or(() -> {
                    installWithApt();
                    return find(tool);
                })
                .orElseThrow(() -> new IllegalStateException(
                        tool + " is missing: install the PostgreSQL 15 client (apt-get install postgresql-client-15)"));
    }

    private static Optional<String> find(String tool) {
        return DIRECTORIES.stream()
                .map(dir -> Path.of(dir, tool))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }

    private static void installWithApt() {
        if (!Files.isExecutable(Path.of("/usr/bin/apt-get")) || !"root".equals(System.getProperty("user.name"))) {
            return;
        }
        try {
            new ProcessBuilder(
                            "sh",
                            "-c",
                            "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client-15")
                    .inheritIO()
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("could not run apt-get", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
