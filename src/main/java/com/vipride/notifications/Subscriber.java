package com.vipride.notifications;

import java.util.LinkedHashSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.security.core.Authentication;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One open stream: whose it is (its events are read under this identity, so row-level security decides
 * what it carries), the event ids announced for it and not yet sent, and the ids it sent lately (a replay
 * and the live feed may announce the same event once each).
 */
final class Subscriber {

    private static final int RECENT = 1024;

    final UUID userId;
    final boolean controlCentre;
    final Authentication authentication;
    final SseEmitter emitter;
    final ConcurrentLinkedQueue<Long> announced = new ConcurrentLinkedQueue<>();
    final AtomicBoolean draining = new AtomicBoolean();
    private final LinkedHashSet<Long> recent = new LinkedHashSet<>();
    private long lastId;
    volatile long replayFrom = -1;
    volatile boolean closed;

    Subscriber(UUID userId, boolean controlCentre, Authentication authentication, SseEmitter emitter) {
        this.userId = userId;
        this.controlCentre = controlCentre;
        this.authentication = authentication;
        this.emitter = emitter;
    }

    /** True the first time an id is offered; records it as sent. */
    synchronized boolean firstTime(long id) {
        if (!recent.add(id)) {
            return false;
        }
        if (recent.size() > RECENT) {
            var it = recent.iterator();
            it.next();
            it.remove();
        }
        lastId = Math.max(lastId, id);
        return true;
    }

    synchronized long lastId() {
        return lastId;
    }
}
