package com.vipride.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Debian's pgbouncer in transaction pooling mode in front of a local PostgreSQL database that trusts
 * local logins: listens on a free port of 127.0.0.1, {@code serverConnections} server connections per
 * user and database. Run as root, it drops to {@code nobody} (PgBouncer refuses to run as root).
 */
public final class PgBouncer implements AutoCloseable {

    private final Process process;
    private final Path folder;
    private final int port;
    private final String database;

    private PgBouncer(Process process, Path folder, int port, String database) {
        this.process = process;
        this.folder = folder;
        this.port = port;
        this.database = database;
    }

    /** The installed pgbouncer binary, if any. */
    public static Optional<Path> binary() {
        return Stream.of("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer", "/usr/local/bin/pgbouncer")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
    }

    public static PgBouncer start(int postgresPort, String database, int serverConnections, List<String> users)
            throws IOException, InterruptedException {
        Path binary = binary().orElseThrow(() ->
                new IllegalStateException("pgbouncer is not installed: apt-get install pgbouncer (Debian's package)"));
        Path folder = Files.createTempDirectory("vipride-pgbouncer");
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
        int port = freePort();
        StringBuilder userList = new StringBuilder();
        users.forEach(user -> userList.append('"').append(user).append("\" \"\"\n"));
        Files.writeString(folder.resolve("users.txt"), userList);
        Files.writeString(folder.resolve("pgbouncer.ini"), """
                [databases]
                %s = host=127.0.0.1 port=%d dbname=%s
                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = %d
                unix_socket_dir =
                auth_type = trust
                auth_file = %s
                pool_mode = transaction
                default_pool_size = %d
                max_client_conn = 500
                ignore_startup_parameters = extra_float_digits
                """.formatted(
                        database, postgresPort, database, port, folder.resolve("users.txt"), serverConnections));
        for (Path file : List.of(folder.resolve("users.txt"), folder.resolve("pgbouncer.ini"))) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("-u", "nobody"));
        }
        command.add(folder.resolve("pgbouncer.ini").toString());
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("pgbouncer.log").toFile())
                .start();
        PgBouncer pgbouncer = new PgBouncer(process, folder, port, database);
        pgbouncer.awaitListening();
        return pgbouncer;
    }

    /** A JDBC URL through PgBouncer; no server-side prepared statements (PgBouncer 1.18 keeps none). */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?prepareThreshold=0";
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path file :
                        files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException leftBehind) {
            // a temporary folder left behind is harmless
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(
                "pgbouncer did not start: " + Files.readString(folder.resolve("pgbouncer.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
