package com.vipride.notifications;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The open streams of this instance. An event the poller announces (its id and its addressee, a user or
 * the control centre) is routed to the streams it may concern; each such stream then reads it
 * under its own subscriber's identity (a transaction in the subscriber's role, like a request of theirs),
 * so row-level security, not this class, decides whether the stream carries it. Reads for one stream are
 * batched: the ids announced while a read runs go in the next one.
 */
@Component
class StreamHub implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);
    private static final String CONTROL_CENTRE = "control_centre";
    private static final String BY_IDS = """
            SELECT id, kind, payload::text AS payload FROM public.stream_events
             WHERE id = ANY(CAST(:ids AS bigint[])) ORDER BY id""";
    private static final String SINCE = """
            SELECT id, kind, payload::text AS payload FROM public.stream_events
             WHERE id > :after ORDER BY id LIMIT :limit""";

    private final Map<UUID, Set<Subscriber>> byUser = new ConcurrentHashMap<>();
    private final Set<Subscriber> controlCentre = ConcurrentHashMap.newKeySet();
    private final AtomicInteger open = new AtomicInteger();
    private final JdbcClient jdbc;
    private final TransactionTemplate reads;
    private final ExecutorService readers;
    private final ScheduledExecutorService heartbeat;
    private final int replayLimit;

    StreamHub(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            NotificationsProperties properties,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.reads = new TransactionTemplate(transactionManager);
        this.reads.setReadOnly(true);
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(properties.streams().fetchThreads(), r -> {
            Thread t = new Thread(r, "stream-reader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stream-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long every = properties.streams().heartbeat().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
        this.replayLimit = properties.streams().replayLimit();
        Gauge.builder("vipride.streams.open", open, AtomicInteger::get)
                .description("Open live streams on this instance")
                .register(meters);
    }

    int openStreams() {
        return open.get();
    }

    /** Registers a stream; it first replays what followed {@code lastEventId} (when given), then goes live. */
    void subscribe(Subscriber subscriber, Long lastEventId) {
        byUser.computeIfAbsent(subscriber.userId, id -> ConcurrentHashMap.newKeySet())
                .add(subscriber);
        if (subscriber.controlCentre) {
            controlCentre.add(subscriber);
        }
        open.incrementAndGet();
        Runnable remove = () -> unsubscribe(subscriber);
        subscriber.emitter.onCompletion(remove);
        subscriber.emitter.onTimeout(remove);
        subscriber.emitter.onError(e -> remove.run());
        if (lastEventId != null) {
            subscriber.replayFrom = lastEventId;
            schedule(subscriber);
        }
    }

    private void unsubscribe(Subscriber subscriber) {
        if (subscriber.closed) {
            return;
        }
        subscriber.closed = true;
        open.decrementAndGet();
        controlCentre.remove(subscriber);
        byUser.computeIfPresent(subscriber.userId, (id, set) -> {
            set.remove(subscriber);
            return set.isEmpty() ? null : set;
        });
    }

    /** A new event from the poller: addressed to one user ({@code recipient}) or to an audience. */
    void announced(long id, UUID recipient, String audience) {
        Set<Subscriber> subscribers =
                recipient != null ? byUser.get(recipient) : CONTROL_CENTRE.equals(audience) ? controlCentre : null;
        if (subscribers != null) {
            for (Subscriber s : subscribers) {
                offer(s, id);
            }
        }
    }

    private void offer(Subscriber subscriber, long id) {
        subscriber.announced.add(id);
        schedule(subscriber);
    }

    private void schedule(Subscriber subscriber) {
        if (!subscriber.closed && subscriber.draining.compareAndSet(false, true)) {
            readers.execute(() -> drain(subscriber));
        }
    }

    private void drain(Subscriber subscriber) {
        try {
            while (!subscriber.closed) {
                long replay = subscriber.replayFrom;
                if (replay >= 0) {
                    subscriber.replayFrom = -1;
                    send(subscriber, read(subscriber, SINCE, replay, null));
                }
                List<Long> ids = new ArrayList<>();
                for (Long id; (id = subscriber.announced.poll()) != null; ) {
                    ids.add(id);
                }
                if (ids.isEmpty()) {
                    break;
                }
                send(subscriber, read(subscriber, BY_IDS, 0, ids));
            }
        } catch (RuntimeException e) {
            // The subscriber's session ended (suspended, logged out, role changed) or the read failed.
            log.info("Closing the stream of user {}: {}", subscriber.userId, e.getMessage());
            subscriber.emitter.completeWithError(e);
            unsubscribe(subscriber);
        } finally {
            subscriber.draining.set(false);
        }
        if (!subscriber.closed && (!subscriber.announced.isEmpty() || subscriber.replayFrom >= 0)) {
            schedule(subscriber);
        }
    }

    private List<StreamEvent> read(Subscriber subscriber, String sql, long after, List<Long> ids) {
        SecurityContextHolder.setContext(new SecurityContextImpl(subscriber.authentication));
        try {
            return reads.execute(status -> {
                var statement = jdbc.sql(sql);
                if (ids != null) {
                    statement = statement.param("ids", toArrayLiteral(ids));
                } else {
                    statement = statement.param("after", after).param("limit", replayLimit);
                }
                return statement
                        .query((rs, n) ->
                                new StreamEvent(rs.getLong("id"), rs.getString("kind"), rs.getString("payload")))
                        .list();
            });
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private static String toArrayLiteral(List<Long> ids) {
        StringBuilder literal = new StringBuilder("{");
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) {
                literal.append(',');
            }
            literal.append(ids.get(i).longValue());
        }
        return literal.append('}').toString();
    }

    private void send(Subscriber subscriber, List<StreamEvent> events) {
        for (StreamEvent event : events) {
            if (subscriber.closed || !subscriber.firstTime(event.id())) {
                continue;
            }
            try {
                subscriber.emitter.send(SseEmitter.event()
                        .id(Long.toString(event.id()))
                        .name(event.kind())
                        .data(event.payload(), MediaType.APPLICATION_JSON));
            } catch (IOException | IllegalStateException e) {
                unsubscribe(subscriber);
                return;
            }
        }
    }

    private void beat() {
        for (Set<Subscriber> set : byUser.values()) {
            for (Subscriber s : set) {
                try {
                    s.emitter.send(SseEmitter.event().comment("keep-alive"));
                } catch (IOException | IllegalStateException e) {
                    unsubscribe(s);
                }
            }
        }
    }

    private volatile boolean running;

    @Override
    public void start() {
        running = true;
    }

    /**
     * Closes every stream first, before the web server's graceful shutdown, which would otherwise wait for
     * these never-ending requests; clients reconnect to another instance with Last-Event-ID.
     */
    @Override
    public void stop() {
        running = false;
        heartbeat.shutdownNow();
        readers.shutdownNow();
        for (Set<Subscriber> set : byUser.values()) {
            for (Subscriber s : set) {
                try {
                    s.emitter.complete();
                } catch (RuntimeException ignored) {
                    // already closed
                }
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE;
    }
}
