package com.vipride.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A Server-Sent Events client for tests: collects every event of one open stream. */
public final class EventStream implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public record Event(String id, String name, String data) {
        public JsonNode json() {
            return JSON.readTree(data);
        }

        public long number() {
            return Long.parseLong(id);
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;
    private volatile Stream<String> lines;

    private EventStream(String url, String accessToken, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream")
                .GET();
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = HTTP.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAcceptAsync(r -> {
            lines = r.body();
            parse(lines);
        });
    }

    /** Opens the stream and waits for its {@code ready} event. */
    public static EventStream open(String baseUrl, String path, String accessToken, String lastEventId) {
        EventStream stream = new EventStream(baseUrl + path, accessToken, lastEventId);
        stream.await(e -> "ready".equals(e.name()), Duration.ofSeconds(10));
        return stream;
    }

    public static EventStream open(String baseUrl, String accessToken) {
        return open(baseUrl, "/api/v1/me/stream", accessToken, null);
    }

    private void parse(Stream<String> body) {
        String id = null;
        String name = "message";
        StringBuilder data = new StringBuilder();
        try {
            for (var it = body.iterator(); it.hasNext(); ) {
                String line = it.next();
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = "message";
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    if (!data.isEmpty()) {
                        data.append('\n');
                    }
                    data.append(line.substring(5).trim());
                }
            }
        } catch (RuntimeException closed) {
            // the stream was closed
        }
    }

    public List<Event> events() {
        return new ArrayList<>(events);
    }

    public List<Event> named(String name) {
        return events.stream().filter(e -> name.equals(e.name())).toList();
    }

    /** Waits until an event matches; fails after {@code timeout} listing what arrived. */
    public Event await(Predicate<Event> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Event e : events) {
                if (match.test(e)) {
                    return e;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no matching event within " + timeout + "; received " + events);
    }

    public Event await(String name, Predicate<JsonNode> match) {
        return await(e -> name.equals(e.name()) && match.test(e.json()), Duration.ofSeconds(10));
    }

    /** The HTTP status of the stream's response (waits for its headers). */
    public int status() {
        try {
            return response.get(10, TimeUnit.SECONDS).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        response.cancel(true);
        Stream<String> open = lines;
        if (open != null) {
            open.close();
        }
    }
}
