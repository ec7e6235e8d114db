package com.vipride.notifications;

import com.vipride.platform.web.NotFound;
import com.vipride.platform.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The signed-in user's notifications; row-level security shows each user only their own. */
@RestController
@Tag(name = "Notifications")
class NotificationsController {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = "id, type, payload::text AS payload, created_at, read_at";
    private static final String MINE = "SELECT " + COLUMNS + """
              FROM public.notifications
             WHERE recipient_id = public.current_app_user_id()
               AND (CAST(:before AS timestamptz) IS NULL OR created_at < :before)
               AND (NOT :unread OR read_at IS NULL)
             ORDER BY created_at DESC LIMIT :limit""";
    private static final String READ = """
            UPDATE public.notifications SET read_at = coalesce(read_at, now())
             WHERE id = :id RETURNING """ + " " + COLUMNS;

    record Notification(UUID id, String type, JsonNode payload, Instant createdAt, Instant readAt) {}

    private final JdbcClient jdbc;

    NotificationsController(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/api/v1/me/notifications")
    @Operation(summary = "The signed-in user's notifications, newest first; unread=true for unread ones only")
    @Transactional(readOnly = true)
    Page<Notification> mine(
            @RequestParam(required = false) Instant before,
            @RequestParam(defaultValue = "false") boolean unread,
            @RequestParam(defaultValue = "50") @Min(1) @Max(200) int limit) {
        List<Notification> items = jdbc.sql(MINE)
                .param("before", before == null ? null : Timestamp.from(before))
                .param("unread", unread)
                .param("limit", limit)
                .query(NotificationsController::row)
                .list();
        return Page.of(items, limit, Notification::createdAt);
    }

    @PostMapping("/api/v1/me/notifications/{id}/read")
    @Operation(summary = "Mark one of the signed-in user's notifications read; 404 for anyone else's")
    @Transactional
    Notification read(@PathVariable UUID id) {
        return jdbc.sql(READ)
                .param("id", id)
                .query(NotificationsController::row)
                .optional()
                .orElseThrow(() -> NotFound.of("notification", id));
    }

    @GetMapping("/api/v1/me/notifications/unread-count")
    @Operation(summary = "How many of the signed-in user's notifications are unread")
    @Transactional(readOnly = true)
    Map<String, Long> unreadCount() {
        return Map.of(
                "unread",
                jdbc.sql("SELECT count(*) FROM public.notifications WHERE recipient_id = public.current_app_user_id()"
                                + " AND read_at IS NULL")
                        .query(Long.class)
                        .single());
    }

    @PostMapping("/api/v1/me/notifications/read")
    @Operation(summary = "Mark all of the signed-in user's notifications read")
    @Transactional
    Map<String, Integer> readAll() {
        return Map.of(
                "marked",
                jdbc.sql("UPDATE public.notifications SET read_at = now()"
                                + " WHERE recipient_id = public.current_app_user_id() AND read_at IS NULL")
                        .update());
    }

    record Preferences(
            @NotNull Boolean email,
            @NotNull Boolean sms,
            @NotNull Boolean push,
            @NotNull Boolean marketing) {}

    record PreferencesView(boolean email, boolean sms, boolean push, boolean marketing, boolean marketingConsent) {}

    @GetMapping("/api/v1/me/notification-preferences")
    @Operation(summary = "The signed-in user's channels (in-app always; safety and security messages ignore them)")
    @Transactional(readOnly = true)
    PreferencesView preferences() {
        return jdbc.sql("SELECT * FROM public.my_notification_preferences()")
                .query((rs, n) -> new PreferencesView(
                        rs.getBoolean("email"),
                        rs.getBoolean("sms"),
                        rs.getBoolean("push"),
                        rs.getBoolean("marketing"),
                        rs.getBoolean("marketing_consent")))
                .single();
    }

    @PutMapping("/api/v1/me/notification-preferences")
    @Operation(summary = "Choose channels; marketing also needs the account's marketing consent")
    @Transactional
    PreferencesView setPreferences(@Valid @RequestBody Preferences preferences) {
        jdbc.sql("SELECT public.set_my_notification_preferences(:email, :sms, :push, :marketing)")
                .param("email", preferences.email())
                .param("sms", preferences.sms())
                .param("push", preferences.push())
                .param("marketing", preferences.marketing())
                .query()
                .singleRow();
        return preferences();
    }

    private static Notification row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        Timestamp read = rs.getTimestamp("read_at");
        return new Notification(
                rs.getObject("id", UUID.class),
                rs.getString("type"),
                JSON.readTree(rs.getString("payload")),
                rs.getTimestamp("created_at").toInstant(),
                read == null ? null : read.toInstant());
    }
}
