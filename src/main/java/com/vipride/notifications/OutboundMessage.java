package com.vipride.notifications;

import java.util.UUID;

/** One outbox row being delivered: the message rendered in the recipient's language, and their addresses. */
public record OutboundMessage(
        long outboxId,
        int attempt,
        String channel,
        UUID notificationId,
        UUID recipientId,
        String email,
        String phone,
        String language,
        String type,
        String subject,
        String body) {}
