package com.vipride.simulator;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;

/**
 * A simulated driver's live stream ({@code GET /api/v1/drivers/me/stream}, Server-Sent Events), read as the
 * driver app reads it: line by line, without a thread of its own (the HTTP client hands the lines over as they
 * come). Every {@code offer} event goes to the traffic. When the service ends the stream (its longest life, or
 * a restart) the stream reconnects with the last event's id, so the service replays what was missed; when the
 * stream fails, the reason is printed, the driver falls back to polling its offers while it is down, and it
 * reconnects after a pause that grows up to 30 s.
 */
final class OfferStream {

    private static final long FIRST_PAUSE_MS = 1000;
    private static final long LONGEST_PAUSE_MS = 30_000;

    private final HttpClient http;
    private final String url;
    private final SimDriver driver;
    private final Stats stats;
    private final PrintStream out;
    private final ScheduledExecutorService scheduler;
    private final BiConsumer<SimDriver, JsonNode> onOffer;
    private final Object lock = new Object();
    private String lastEventId;
    private volatile long pauseMs = FIRST_PAUSE_MS;
    private Flow.Subscription subscription;
    private volatile boolean open;
    private volatile boolean closed;

    OfferStream(
            HttpClient http,
            String baseUrl,
            SimDriver driver,
            Stats stats,
            PrintStream out,
            ScheduledExecutorService scheduler,
            BiConsumer<SimDriver, JsonNode> onOffer) {
        this.http = http;
        this.url = baseUrl.replaceAll("/+$", "") + "/api/v1/drivers/me/stream";
        this.driver = driver;
        this.stats = stats;
        this.out = out;
        this.scheduler = scheduler;
        this.onOffer = onOffer;
    }

    /** A client for streams: connections that stay open, so none of the short requests' timeouts. */
    static HttpClient client() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Whether the stream is connected and its first event (ready) has arrived: offers come by it. */
    boolean open() {
        return open;
    }

    void connect() {
        if (closed) {
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + driver.session.token())
                .GET();
        synchronized (lock) {
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
        }
        stats.requests.incrementAndGet();
        stats.streamConnects.incrementAndGet();
        Lines lines = new Lines();
        http.sendAsync(
                        request.build(),
                        info -> info.statusCode() == 200
                                ? HttpResponse.BodySubscribers.fromLineSubscriber(lines)
                                : HttpResponse.BodySubscribers.replacing(null))
                .whenComplete((response, failure) -> {
                    if (failure != null) {
                        lines.end("the stream failed: " + rootCause(failure));
                    } else if (response.statusCode() != 200) {
                        stats.error(response.statusCode() + " stream");
                        lines.end("the stream answered " + response.statusCode());
                    }
                });
    }

    /** Stops reading and never reconnects. */
    void close() {
        closed = true;
        open = false;
        Flow.Subscription current;
        synchronized (lock) {
            current = subscription;
        }
        if (current != null) {
            current.cancel();
        }
    }

    /**
     * One connection's Server-Sent Events, one line at a time: fields gather until a blank line ends the event.
     * Its end (the service closed it, it broke, or it never opened) is handled once.
     */
    private final class Lines implements Flow.Subscriber<String> {
        private final AtomicBoolean ended = new AtomicBoolean();
        private boolean ready;
        private String id;
        private String event = "message";
        private final StringBuilder data = new StringBuilder();

        @Override
        public void onSubscribe(Flow.Subscription given) {
            synchronized (lock) {
                subscription = given;
            }
            if (closed) {
                given.cancel();
                return;
            }
            given.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                dispatch();
            } else if (!line.startsWith(":")) {
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data.append(data.length() == 0 ? "" : "\n").append(value);
                    default -> {
                        // retry and unknown fields: nothing to do
                    }
                }
            }
        }

        private void dispatch() {
            if (id != null) {
                synchronized (lock) {
                    lastEventId = id;
                }
            }
            String kind = event;
            String payload = data.toString();
            id = null;
            event = "message";
            data.setLength(0);
            if ("ready".equals(kind)) {
                ready = true;
                open = true;
                pauseMs = FIRST_PAUSE_MS;
            } else if ("offer".equals(kind) && !payload.isEmpty()) {
                try {
                    onOffer.accept(driver, ApiClient.JSON.readTree(payload));
                } catch (RuntimeException e) {
                    stats.error("sim stream-event");
                    out.println("ERROR an offer event could not be read: " + e);
                }
            }
        }

        @Override
        public void onError(Throwable failure) {
            end("the stream broke: " + rootCause(failure));
        }

        @Override
        public void onComplete() {
            end(null);
        }

        /** The connection is over: read on from the last event when the service ended it, else after a pause. */
        void end(String failure) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            open = false;
            if (closed) {
                return;
            }
            if (failure == null && !ready) {
                failed("the stream ended before its first event");
            } else if (failure == null) {
                stats.streamReconnects.incrementAndGet();
                connect();
            } else {
                failed(failure);
            }
        }
    }

    private void failed(String reason) {
        stats.streamFailures.incrementAndGet();
        out.println("STREAM driver " + driver.driverId + ": " + reason + "; polling offers until it is back (in "
                + pauseMs / 1000 + " s)");
        long pause = pauseMs;
        pauseMs = Math.min(LONGEST_PAUSE_MS, pauseMs * 2);
        scheduler.schedule(this::connect, pause, TimeUnit.MILLISECONDS);
    }

    /** The failure as its cause names it, without the wrapping of the asynchronous call. */
    private static String rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : " " + cause.getMessage());
    }
}
