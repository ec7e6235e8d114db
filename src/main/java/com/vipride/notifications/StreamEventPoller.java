package com.vipride.notifications;

import com.vipride.platform.security.SystemJobs;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * How this instance learns of new stream events, whoever wrote them (a request on any instance, a job, psql):
 * every poll interval (50 ms) one short read-only transaction, as the platform, asks
 * {@code public.stream_events_announced} for the ids after the highest it has seen and for the ids it
 * skipped below it ({@link StreamCursor}), with their addressee only. Each new event goes to the hub, which
 * routes it to the streams it may concern; a new in-app message also wakes the delivery job. Every instance
 * reads every event (nothing is claimed), and the writer's transaction does nothing but insert its row.
 * When the database is unreachable the cursor waits: the next read that works picks up where it stopped.
 */
@Component
class StreamEventPoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamEventPoller.class);
    private static final int PAGE = 1000;
    private static final int MAX_HOLES = 10_000;
    private static final String READ = """
            SELECT id, recipient_id, audience, kind
              FROM public.stream_events_announced(:after, CAST(:holes AS bigint[]), :limit)""";

    private final JdbcClient jdbc;
    private final TransactionTemplate reads;
    private final Consumer<StreamCursor.Announced> sink;
    private final Runnable wakeDelivery;
    private final long intervalMillis;
    private final StreamCursor cursor;
    private final AtomicInteger holes = new AtomicInteger();
    private volatile boolean running;
    private volatile boolean reading;
    private Thread thread;

    @Autowired
    StreamEventPoller(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            StreamHub hub,
            OutboxDelivery delivery,
            NotificationsProperties properties,
            MeterRegistry meters) {
        this(
                jdbc,
                transactionManager,
                properties.streams(),
                event -> hub.announced(event.id(), event.recipientId(), event.audience()),
                delivery::wake,
                meters);
    }

    /** A poller that hands what it reads to {@code sink} (another instance, as tests see one). */
    StreamEventPoller(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            NotificationsProperties.Streams streams,
            Consumer<StreamCursor.Announced> sink,
            Runnable wakeDelivery,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.reads = new TransactionTemplate(transactionManager);
        this.reads.setReadOnly(true);
        this.sink = sink;
        this.wakeDelivery = wakeDelivery;
        this.intervalMillis = Math.max(1, streams.poll().toMillis());
        this.cursor = new StreamCursor(
                streams.lateCommitWindow().toNanos(),
                Math.max(1, streams.lateCommitRecheck().toNanos()),
                MAX_HOLES);
        Gauge.builder("vipride.streams.late-commit-holes", holes, AtomicInteger::get)
                .description("Stream event ids skipped below the highest seen, looked for until they commit")
                .register(meters);
    }

    /** One read: announces what is new; returns how many events after the cursor it read. */
    int poll() {
        StreamCursor.Read read = cursor.nextRead(System.nanoTime());
        List<StreamCursor.Announced> rows = SystemJobs.run(
                "stream-events",
                () -> reads.execute(status -> jdbc.sql(READ)
                        .param("after", read.after())
                        .param("holes", toArrayLiteral(read.holes()))
                        .param("limit", PAGE)
                        .query((rs, n) -> new StreamCursor.Announced(
                                rs.getLong("id"),
                                rs.getObject("recipient_id", UUID.class),
                                rs.getString("audience"),
                                rs.getString("kind")))
                        .list()));
        int afterCursor = 0;
        for (StreamCursor.Announced row : rows) {
            if (read.after() != null && row.id() > read.after()) {
                afterCursor++;
            }
        }
        List<StreamCursor.Announced> announce = cursor.accept(read, rows);
        holes.set(cursor.holes());
        boolean message = false;
        for (StreamCursor.Announced event : announce) {
            sink.accept(event);
            message |= "notification".equals(event.kind());
        }
        if (message) {
            wakeDelivery.run();
        }
        return afterCursor;
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

    private void loop() {
        while (running) {
            try {
                int read = poll();
                if (!reading) {
                    log.info("Reading stream events");
                }
                reading = true;
                if (read < PAGE) {
                    Thread.sleep(intervalMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (reading || log.isDebugEnabled()) {
                    log.warn("Reading stream events failed; retrying every second: {}", e.getMessage());
                }
                reading = false;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::loop, "stream-events");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        reading = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
