package com.vipride.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * A real SMTP server (GreenMail) in the test JVM, behind a small TCP relay the tests can switch: relay
 * (mail is delivered), refuse (connections are closed at once, as by a server that is down) or hang
 * (connections are accepted and never answered, as by a dead server). The service's spring.mail.host and
 * port point at the relay; the integration tests' context is initialized with it (IntegrationTest), so a
 * service started from the test class path by a test (a command, a benchmark) runs without it.
 */
public final class TestMailServer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public enum Mode {
        RELAY,
        REFUSE,
        HANG
    }

    private static GreenMail greenMail;
    private static ServerSocket relay;
    private static volatile Mode mode = Mode.RELAY;
    private static final List<Socket> open = new CopyOnWriteArrayList<>();

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        int port = start();
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "test-mail-server",
                        Map.of("spring.mail.host", "127.0.0.1", "spring.mail.port", String.valueOf(port))));
    }

    public static synchronized int start() {
        if (relay != null) {
            return relay.getLocalPort();
        }
        try {
            int smtpPort;
            try (ServerSocket free = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                smtpPort = free.getLocalPort();
            }
            greenMail = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            greenMail.start();
            relay = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> accept(smtpPort), "test-smtp-relay");
            acceptor.setDaemon(true);
            acceptor.start();
            return relay.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void mode(Mode next) {
        mode = next;
        if (next != Mode.HANG) {
            for (Socket s : open) {
                close(s);
            }
            open.clear();
        }
    }

    /** Every message the SMTP server received so far. */
    public static MimeMessage[] received() {
        return greenMail.getReceivedMessages();
    }

    private static void accept(int smtpPort) {
        while (true) {
            Socket client;
            try {
                client = relay.accept();
            } catch (IOException e) {
                return;
            }
            switch (mode) {
                case REFUSE -> close(client);
                case HANG -> open.add(client);
                case RELAY -> {
                    try {
                        Socket server = new Socket(InetAddress.getLoopbackAddress(), smtpPort);
                        pipe(client, server);
                        pipe(server, client);
                    } catch (IOException e) {
                        close(client);
                    }
                }
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException ignored) {
                        // either side closed
                    } finally {
                        close(from);
                        close(to);
                    }
                },
                "test-smtp-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
