package com.vipride.platform;

import static com.vipride.support.TestAccounts.PASSWORD;
import static com.vipride.support.TestAccounts.registration;
import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.VipRideApplication;
import com.vipride.support.Api;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-configuration service as a user runs it, in its own JVM: it keeps its data in a folder,
 * starts again on that folder after a clean stop, and also after being killed with SIGKILL (which
 * leaves the embedded server running and the folder locked).
 */
class EmbeddedRestartIT {

    private static final Duration STARTUP = Duration.ofSeconds(240);

    @TempDir
    Path workDir;

    private Process service;

    @AfterEach
    void stopService() throws InterruptedException {
        if (service != null && service.isAlive()) {
            service.destroy();
            service.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void dataSurvivesACleanRestartAndAKillDashNine() throws Exception {
        int httpPort = freePort();
        int dbPort = freePort();
        Api api = new Api("http://localhost:" + httpPort);
        String email = "restart-" + System.nanoTime() + "@example.com";

        service = start(httpPort, dbPort, "first");
        assertThat(api.post(
                                "/api/v1/auth/register",
                                registration(email, "+2348099" + (System.nanoTime() % 1_000_000 + 1_000_000)))
                        .status())
                .isEqualTo(201);

        service.destroy();
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        service = start(httpPort, dbPort, "after-clean-stop");
        assertThat(login(api, email)).isEqualTo(200);
        String token = api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD))
                .text("accessToken");

        long postgresPid = postgresPid();
        service.destroyForcibly();
        assertThat(service.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(postgresPid).map(ProcessHandle::isAlive))
                .as("killed JVM leaves its server behind")
                .contains(true);

        service = start(httpPort, dbPort, "after-sigkill");
        assertThat(api.get("/api/v1/me", token).status())
                .as("the embedded default keeps its token key: a restart signs nobody out")
                .isEqualTo(200);
        assertThat(login(api, email)).isEqualTo(200);
        assertThat(postgresPid()).isNotEqualTo(postgresPid);
    }

    private static int login(Api api, String email) {
        return api.post("/api/v1/auth/login", Map.of("email", email, "password", PASSWORD))
                .status();
    }

    private long postgresPid() throws IOException {
        return Long.parseLong(
                Files.readAllLines(workDir.resolve("pg/postmaster.pid")).get(0).trim());
    }

    private Process start(int httpPort, int dbPort, String label) throws Exception {
        Path log = workDir.resolve("service-" + label + ".log");
        Process process = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        VipRideApplication.class.getName(),
                        "--server.port=" + httpPort,
                        "--vipride.management.port=0",
                        "--vipride.embedded-postgres.data-dir=" + workDir.resolve("pg"),
                        "--vipride.embedded-postgres.port=" + dbPort))
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Api api = new Api("http://localhost:" + httpPort);
        Instant deadline = Instant.now().plus(STARTUP);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("service exited during start (" + label + "):\n" + Files.readString(log));
            }
            try {
                if (api.get("/actuator/health", null).status() == 200) {
                    return process;
                }
            } catch (RuntimeException notYetListening) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("service did not become healthy (" + label + "):\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
