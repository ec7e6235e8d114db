package com.vipride.notifications;

import com.vipride.platform.security.Caller;
import com.vipride.platform.security.CurrentCaller;
import com.vipride.platform.security.PlatformRole;
import com.vipride.platform.web.InvalidRequest;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The signed-in user's live stream (Server-Sent Events). Every event has an id; a client that reconnects
 * with {@code Last-Event-ID} first receives what it missed (within the retention window). Events:
 * {@code offer} (a driver's offers and their answers), {@code ride} (a ride's steps), {@code position}
 * (the assigned driver's position and ETA), {@code notification} (in-app messages), {@code incident} and
 * {@code alert} (the control centre's). The first event, {@code ready}, says the stream is open.
 */
@RestController
@Tag(name = "Live streams")
class StreamController {

    private static final Set<PlatformRole> CONTROL_CENTRE =
            EnumSet.of(PlatformRole.EMERGENCY_RESPONDER, PlatformRole.VIP_ADMIN, PlatformRole.VIP_OPERATOR);

    private final StreamHub hub;
    private final long maxDurationMs;

    StreamController(StreamHub hub, NotificationsProperties properties) {
        this.hub = hub;
        this.maxDurationMs = properties.streams().maxDuration().toMillis();
    }

    @GetMapping(
            path = {"/api/v1/me/stream", "/api/v1/drivers/me/stream", "/api/v1/control-centre/stream"},
            produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "The signed-in user's live events (Server-Sent Events); Last-Event-ID replays what was missed")
    SseEmitter stream(
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
            @RequestParam(name = "lastEventId", required = false) String lastEventIdParam,
            HttpServletResponse response)
            throws IOException {
        Caller caller = CurrentCaller.get();
        Long lastEventId = parse(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam);
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no");
        SseEmitter emitter = new SseEmitter(maxDurationMs);
        Subscriber subscriber = new Subscriber(
                caller.requireUserId(),
                CONTROL_CENTRE.contains(caller.role()),
                SecurityContextHolder.getContext().getAuthentication(),
                emitter);
        emitter.send(SseEmitter.event()
                .name("ready")
                .data(
                        Map.of("lastEventId", lastEventId == null ? "" : lastEventId.toString()),
                        MediaType.APPLICATION_JSON));
        hub.subscribe(subscriber, lastEventId);
        return emitter;
    }

    private static Long parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(value.trim());
            if (id < 0) {
                throw new NumberFormatException();
            }
            return id;
        } catch (NumberFormatException e) {
            throw InvalidRequest.of("invalid-last-event-id", "Last-Event-ID must be an event id from this stream.");
        }
    }
}
