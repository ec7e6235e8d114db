package com.vipride.bench.scenario.livestreams;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live-streams benchmark's clients, in a JVM of their own (10,000 client sockets and 10,000 server
 * sockets do not fit one process's file limit, and the service's heap is then measured alone): opens one
 * Server-Sent Events stream per token, prints {@code OPEN <ready> <failed>}, records the arrival time
 * (epoch µs) of every offer and ride event, and on {@code DONE} from stdin writes them to the events
 * file, one {@code <µs> <event> <rideId> <status>} a line, and exits.
 *
 * <p>Args: base URL, tokens file (one {@code <path> <token>} a line), events file.
 */
public final class StreamClients {

    private static final Pattern RIDE = Pattern.compile("\"rideId\":\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern STATUS = Pattern.compile("\"status\":\\s*\"(\\w+)\"");

    public static void main(String[] args) throws Exception {
        String baseUrl = args[0];
        List<String> tokens = Files.readAllLines(Path.of(args[1]));
        Path eventsFile = Path.of(args[2]);
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(30))
                .build();
        ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        AtomicInteger ready = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        int n = 0;
        for (String line : tokens) {
            int space = line.indexOf(' ');
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + line.substring(0, space)))
                    .header("Authorization", "Bearer " + line.substring(space + 1))
                    .header("Accept", "text/event-stream")
                    .GET()
                    .build();
            http.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(new Lines(events, ready)))
                    .whenComplete((r, e) -> {
                        if (e != null || r.statusCode() != 200) {
                            failed.incrementAndGet();
                        }
                    });
            if (++n % 250 == 0) {
                while (ready.get() + failed.get() < n - 500) {
                    Thread.sleep(10);
                }
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (ready.get() + failed.get() < tokens.size() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        System.out.println("OPEN " + ready.get() + " " + failed.get());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String command; (command = in.readLine()) != null; ) {
            if (command.equals("DONE")) {
                break;
            }
        }
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(eventsFile))) {
            for (String e : events) {
                out.println(e);
            }
        }
        System.out.println("WROTE " + events.size() + " " + failed.get());
        System.out.flush();
        System.exit(0);
    }

    /** One stream: SSE lines to timed events. */
    private static final class Lines implements Flow.Subscriber<String> {

        private final ConcurrentLinkedQueue<String> events;
        private final AtomicInteger ready;
        private String name = "";

        Lines(ConcurrentLinkedQueue<String> events, AtomicInteger ready) {
            this.events = events;
            this.ready = ready;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                if (name.equals("ready")) {
                    ready.incrementAndGet();
                } else if (name.equals("offer") || name.equals("ride")) {
                    Instant now = Instant.now();
                    long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
                    Matcher ride = RIDE.matcher(line);
                    Matcher status = STATUS.matcher(line);
                    events.add(micros + " " + name + " " + (ride.find() ? ride.group(1) : "-") + " "
                            + (status.find() ? status.group(1) : "-"));
                }
            } else if (line.isEmpty()) {
                name = "";
            }
        }

        @Override
        public void onError(Throwable throwable) {}

        @Override
        public void onComplete() {}
    }
}
