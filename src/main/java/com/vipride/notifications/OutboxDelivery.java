package com.vipride.notifications;

import com.vipride.platform.jobs.Jobs;
import com.vipride.platform.security.SystemJobs;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delivery job: empties the outbox on every instance, at least once. It wakes when the stream poller
 * reads a new in-app message (every message written by {@code public.notify} has one, committed with its
 * outbox rows) and otherwise every idle-poll interval (200 ms: retries fall due so). Each
 * round claims due rows in one short transaction (SKIP LOCKED, the attempt counted, the row leased), sends
 * them outside any transaction, and records each outcome in its own: sent, failed (due again after a
 * backoff) or dead. A slow or dead channel holds only this thread, never a request or a connection.
 */
@Component
class OutboxDelivery implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxDelivery.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Channels channels;
    private final NotificationsProperties.Delivery settings;
    private final String instance;
    private final Semaphore wake = new Semaphore(0);
    private final MeterRegistry meters;
    private volatile boolean running;
    private volatile boolean paused;
    private Thread thread;

    OutboxDelivery(
            JdbcClient jdbc,
            PlatformTransactionManager transactionManager,
            Channels channels,
            NotificationsProperties properties,
            Jobs jobs,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.channels = channels;
        this.settings = properties.delivery();
        this.instance = jobs.instance();
        this.meters = meters;
    }

    /** A committed message may have outbox rows: deliver now. */
    void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    /** Tests: stop taking rows (what is in flight finishes), as an instance that is down would. */
    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
        wake();
    }

    /** One round: claim, send, record. Returns how many rows it took. */
    int deliverDue() {
        List<OutboundMessage> due = SystemJobs.run(
                "notification-delivery",
                () -> transactions.execute(status -> jdbc.sql(
                                "SELECT * FROM public.claim_notification_deliveries(:limit, :lease)")
                        .param("limit", settings.batch())
                        .param("lease", (int) settings.lease().toSeconds())
                        .query((rs, n) -> new OutboundMessage(
                                rs.getLong("outbox_id"),
                                rs.getInt("attempt"),
                                rs.getString("channel"),
                                rs.getObject("notification_id", UUID.class),
                                rs.getObject("recipient_id", UUID.class),
                                rs.getString("email"),
                                rs.getString("phone"),
                                rs.getString("language"),
                                rs.getString("type"),
                                rs.getString("subject"),
                                rs.getString("body")))
                        .list()));
        for (OutboundMessage message : due) {
            deliver(message);
        }
        return due.size();
    }

    private void deliver(OutboundMessage message) {
        long started = System.nanoTime();
        String error = null;
        try {
            channels.named(message.channel())
                    .orElseThrow(() -> new IllegalStateException("no channel named " + message.channel()))
                    .send(message);
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        long nanos = System.nanoTime() - started;
        String failure = error;
        String outcome = SystemJobs.run(
                "notification-delivery",
                () -> transactions.execute(status -> jdbc.sql(
                                "SELECT public.record_notification_delivery(:id, :attempt, :error, :ms, :instance, :backoff)")
                        .param("id", message.outboxId())
                        .param("attempt", message.attempt())
                        .param("error", failure)
                        .param("ms", (int) TimeUnit.NANOSECONDS.toMillis(nanos))
                        .param("instance", instance)
                        .param("backoff", (int) Math.max(1, settings.backoff().toSeconds()))
                        .query(String.class)
                        .single()));
        Timer.builder("vipride.notifications.delivery")
                .tag("channel", message.channel())
                .tag("outcome", outcome == null ? "unknown" : outcome)
                .register(meters)
                .record(nanos, TimeUnit.NANOSECONDS);
        if (failure != null) {
            Counter.builder("vipride.notifications.delivery.failures")
                    .tag("channel", message.channel())
                    .register(meters)
                    .increment();
            log.warn(
                    "Notification {} over {} attempt {}: {} ({})",
                    message.notificationId(),
                    message.channel(),
                    message.attempt(),
                    outcome,
                    failure);
        }
    }

    private void loop() {
        while (running) {
            try {
                int taken = paused ? 0 : deliverDue();
                if (taken < settings.batch()) {
                    wake.tryAcquire(settings.idlePoll().toMillis(), TimeUnit.MILLISECONDS);
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Notification delivery round failed; it runs again shortly: {}", e.getMessage());
                try {
                    Thread.sleep(Math.max(1000, settings.idlePoll().toMillis()));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void start() {
        if (!settings.enabled()) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "notification-delivery");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
