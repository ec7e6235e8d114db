package com.vipride.safety;

import com.vipride.platform.web.NotFound;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A rider's or driver's own emergency contacts. Row-level security keeps each person to their own rows;
 * responders read them only through an incident ({@link Incidents#live}).
 */
@Service
class EmergencyContacts {

    record Contact(UUID id, String name, String phone, String relationship, Instant createdAt) {}

    record PartyContact(String party, String name, String phone, String relationship) {}

    private static final String COLUMNS = "id, name, phone, relationship, created_at";

    private final JdbcClient jdbc;

    EmergencyContacts(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    List<Contact> mine() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM public.emergency_contacts ORDER BY created_at, id")
                .query(EmergencyContacts::contact)
                .list();
    }

    @Transactional
    Contact add(String name, String phone, String relationship) {
        return jdbc.sql("INSERT INTO public.emergency_contacts (user_id, name, phone, relationship)"
                        + " VALUES (public.current_app_user_id(), :name, :phone, :relationship) RETURNING " + COLUMNS)
                .param("name", name.strip())
                .param("phone", phone)
                .param("relationship", relationship == null ? null : relationship.strip())
                .query(EmergencyContacts::contact)
                .single();
    }

    @Transactional
    void remove(UUID id) {
        int removed = jdbc.sql("DELETE FROM public.emergency_contacts WHERE id = :id")
                .param("id", id)
                .update();
        if (removed == 0) {
            throw NotFound.of("emergency contact", id);
        }
    }

    /** Both parties' contacts for an incident's responder: refused once access has ended; the read is logged. */
    List<PartyContact> ofIncident(UUID incident, String purpose) {
        return jdbc.sql(
                        "SELECT party, name, phone, relationship FROM public.incident_emergency_contacts(:id, :purpose)")
                .param("id", incident)
                .param("purpose", purpose)
                .query((rs, n) -> new PartyContact(
                        rs.getString("party"),
                        rs.getString("name"),
                        rs.getString("phone"),
                        rs.getString("relationship")))
                .list();
    }

    private static Contact contact(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Contact(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("phone"),
                rs.getString("relationship"),
                rs.getTimestamp("created_at").toInstant());
    }
}
