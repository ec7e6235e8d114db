package com.vipride.notifications;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Notification settings.
 *
 * @param delivery the delivery job that empties the outbox
 * @param mail     the e-mail channel
 * @param streams  the live streams (Server-Sent Events)
 */
@Validated
@ConfigurationProperties("vipride.notifications")
public record NotificationsProperties(
        @DefaultValue Delivery delivery,
        @DefaultValue Mail mail,
        @DefaultValue Streams streams) {

    /**
     * @param enabled  whether this instance delivers (every instance may: rows are claimed with SKIP LOCKED)
     * @param batch    outbox rows claimed at once
     * @param lease    how long a claimed row is held; a row whose instance died before recording the
     *                 outcome falls due again after it
     * @param backoff  the first retry's delay; each further failure doubles it (at most an hour, ±20 %)
     * @param idlePoll how often the job looks for due rows when the stream poller did not wake it (retries
     *                 and rows made due by other means are picked up so)
     */
    public record Delivery(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("50") int batch,
            @DefaultValue("60s") Duration lease,
            @DefaultValue("5s") Duration backoff,
            @DefaultValue("200ms") Duration idlePoll) {}

    /** @param from sender address of e-mail notifications */
    public record Mail(
            @DefaultValue("VIP Ride <no-reply@vipride.example>")
            String from) {}

    /**
     * @param maxDuration  a stream is closed after this long; the client reconnects with Last-Event-ID
     * @param heartbeat    a comment line this often keeps idle connections open through proxies
     * @param replayLimit  events replayed at most on a reconnect
     * @param retention    how long events stay for replay
     * @param fetchThreads threads that read events under their subscriber's identity and send them
     * @param poll         how often this instance reads the new events' ids (the live feed's delay)
     * @param lateCommitWindow  how long an id skipped below the highest seen is still looked for (its
     *                     transaction may commit after a later one; a rolled-back insert never does)
     * @param lateCommitRecheck skipped ids older than two seconds are looked for this often, not every poll
     */
    public record Streams(
            @DefaultValue("30m") Duration maxDuration,
            @DefaultValue("20s") Duration heartbeat,
            @DefaultValue("500") int replayLimit,
            @DefaultValue("24h") Duration retention,
            @DefaultValue("4") int fetchThreads,
            @DefaultValue("50ms") Duration poll,
            @DefaultValue("30s") Duration lateCommitWindow,
            @DefaultValue("1s") Duration lateCommitRecheck) {}
}
