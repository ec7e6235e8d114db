package com.vipride.notifications;

/**
 * One way of reaching a person (e-mail, SMS, push). {@link #send} either delivers the message or throws;
 * the delivery job retries a failure with backoff and records every attempt. The in-app channel is the
 * notification row itself, stored and announced on the recipient's stream in the transaction that wrote it.
 */
public interface NotificationChannel {

    /** The outbox's name of the channel: email, sms or push. */
    String name();

    void send(OutboundMessage message) throws Exception;
}
