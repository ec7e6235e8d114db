package com.vipride.notifications;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development sink of a channel with no provider configured (SMS and push by default, e-mail when no
 * SMTP host is set): it logs that the message would have gone, with the recipient's id and the type only
 * (never the text, which may carry personal data), and counts as delivered.
 */
class DevSinkChannel implements NotificationChannel {

    private static final Logger log = LoggerFactory.getLogger("com.vipride.notifications.devsink");

    private final String name;

    DevSinkChannel(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void send(OutboundMessage message) {
        log.info(
                "[{}] notification {} ({}) to user {} in '{}'",
                name,
                message.notificationId(),
                message.type(),
                message.recipientId(),
                message.language());
    }
}
