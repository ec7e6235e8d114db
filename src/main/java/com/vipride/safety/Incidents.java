package com.vipride.safety;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** SOS and the control centre's steps: each a SQL function that decides who may take it. */
@Service
class Incidents {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    record TimelineEntry(long id, java.time.Instant at, UUID actorId, String kind, String note, JsonNode details) {}

    record IncidentDetail(Incident incident, List<TimelineEntry> timeline) {}

    record LiveView(
            UUID incidentId,
            UUID rideId,
            String rideStatus,
            Double driverLat,
            Double driverLng,
            java.time.Instant positionAt,
            String riderName,
            String riderPhone,
            String driverName,
            String driverPhone,
            List<EmergencyContacts.PartyContact> emergencyContacts,
            java.time.Instant accessExpiresAt) {}

    record Figures(
            long openIncidents,
            long acknowledgedIncidents,
            long overdueIncidents,
            long opened,
            long resolved,
            Double acknowledgeP50S,
            Double acknowledgeP90S,
            Double resolveP50S,
            Double resolveP90S) {}

    record Settings(int acknowledgeWithinS, int accessWindowS) {}

    private final JdbcClient jdbc;
    private final EmergencyContacts emergencyContacts;
    private final Timer toAcknowledge;
    private final Timer toResolve;

    Incidents(JdbcClient jdbc, EmergencyContacts emergencyContacts, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.emergencyContacts = emergencyContacts;
        this.toAcknowledge = Timer.builder("vipride.safety.time_to_acknowledge")
                .description("From an incident's opening to its acknowledgement")
                .publishPercentiles(0.5, 0.9, 0.99)
                .register(meters);
        this.toResolve = Timer.builder("vipride.safety.time_to_resolve")
                .description("From an incident's opening to its resolution")
                .publishPercentiles(0.5, 0.9, 0.99)
                .register(meters);
    }

    @Transactional
    Incident raiseSos(UUID rideId, String kind, String note) {
        UUID id = jdbc.sql("SELECT public.raise_sos(:ride, :kind, :note)")
                .param("ride", rideId)
                .param("kind", kind)
                .param("note", note)
                .query(UUID.class)
                .single();
        return find(id).orElseThrow();
    }

    @Transactional(readOnly = true)
    Optional<Incident> find(UUID id) {
        return jdbc.sql("SELECT " + Incident.COLUMNS + " FROM public.safety_incidents WHERE id = :id")
                .param("id", id)
                .query(Incident::of)
                .optional();
    }

    /** Unresolved incidents, most severe and oldest first (row-level security: the control centre sees all). */
    @Transactional(readOnly = true)
    List<Incident> queue() {
        return jdbc.sql("SELECT " + Incident.COLUMNS + """
                         FROM public.safety_incidents WHERE status <> 'resolved'
                        ORDER BY status = 'open' DESC, severity DESC, opened_at LIMIT 200""").query(Incident::of).list();
    }

    @Transactional(readOnly = true)
    List<TimelineEntry> timeline(UUID id) {
        return jdbc.sql("""
                        SELECT id, at, actor_id, kind, note, details::text AS details
                          FROM public.safety_incident_events WHERE incident_id = :id ORDER BY id""")
                .param("id", id)
                .query((rs, n) -> new TimelineEntry(
                        rs.getLong("id"),
                        rs.getTimestamp("at").toInstant(),
                        rs.getObject("actor_id", UUID.class),
                        rs.getString("kind"),
                        rs.getString("note"),
                        JSON.readTree(rs.getString("details"))))
                .list();
    }

    @Transactional
    Incident acknowledge(UUID id) {
        Incident incident =
                step("SELECT " + Incident.COLUMNS + " FROM public.acknowledge_incident(:id)", Map.of("id", id));
        toAcknowledge.record(Duration.between(incident.openedAt(), incident.acknowledgedAt()));
        return incident;
    }

    @Transactional
    Incident assign(UUID id, UUID responder) {
        return step(
                "SELECT " + Incident.COLUMNS + " FROM public.assign_incident(:id, :responder)",
                Map.of("id", id, "responder", responder));
    }

    @Transactional
    Incident note(UUID id, String note) {
        return step(
                "SELECT " + Incident.COLUMNS + " FROM public.add_incident_note(:id, :note)",
                Map.of("id", id, "note", note));
    }

    @Transactional
    Incident resolve(UUID id, String outcome, String note) {
        Incident before = find(id).orElse(null);
        java.util.HashMap<String, Object> params = new java.util.HashMap<>();
        params.put("id", id);
        params.put("outcome", outcome);
        params.put("note", note);
        Incident incident =
                step("SELECT " + Incident.COLUMNS + " FROM public.resolve_incident(:id, :outcome, :note)", params);
        if (before != null && before.acknowledgedAt() == null) {
            toAcknowledge.record(Duration.between(incident.openedAt(), incident.acknowledgedAt()));
        }
        toResolve.record(Duration.between(incident.openedAt(), incident.resolvedAt()));
        return incident;
    }

    @Transactional
    LiveView live(UUID id, String purpose) {
        List<EmergencyContacts.PartyContact> contacts = emergencyContacts.ofIncident(id, purpose);
        return jdbc.sql("SELECT * FROM public.incident_live_view(:id, :purpose)")
                .param("id", id)
                .param("purpose", purpose)
                .query((rs, n) -> new LiveView(
                        rs.getObject("incident_id", UUID.class),
                        rs.getObject("ride_id", UUID.class),
                        rs.getString("ride_status"),
                        (Double) rs.getObject("driver_lat"),
                        (Double) rs.getObject("driver_lng"),
                        Incident.instant(rs.getTimestamp("position_at")),
                        rs.getString("rider_name"),
                        rs.getString("rider_phone"),
                        rs.getString("driver_name"),
                        rs.getString("driver_phone"),
                        contacts,
                        rs.getTimestamp("access_expires_at").toInstant()))
                .single();
    }

    @Transactional(readOnly = true)
    Figures figures(int windowS) {
        return jdbc.sql("SELECT * FROM public.control_centre_figures(:window)")
                .param("window", windowS)
                .query((rs, n) -> new Figures(
                        rs.getLong("open_incidents"),
                        rs.getLong("acknowledged_incidents"),
                        rs.getLong("overdue_incidents"),
                        rs.getLong("opened"),
                        rs.getLong("resolved"),
                        (Double) rs.getObject("acknowledge_p50_s"),
                        (Double) rs.getObject("acknowledge_p90_s"),
                        (Double) rs.getObject("resolve_p50_s"),
                        (Double) rs.getObject("resolve_p90_s")))
                .single();
    }

    @Transactional(readOnly = true)
    Settings settings() {
        return jdbc.sql("SELECT acknowledge_within_s, access_window_s FROM public.safety_settings")
                .query((rs, n) -> new Settings(rs.getInt(1), rs.getInt(2)))
                .single();
    }

    @Transactional
    Settings changeSettings(Settings settings) {
        jdbc.sql("UPDATE public.safety_settings SET acknowledge_within_s = :ack, access_window_s = :window")
                .param("ack", settings.acknowledgeWithinS())
                .param("window", settings.accessWindowS())
                .update();
        return settings();
    }

    private Incident step(String sql, Map<String, ?> params) {
        return jdbc.sql(sql).params(params).query(Incident::of).single();
    }
}
