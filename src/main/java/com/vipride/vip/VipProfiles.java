package com.vipride.vip;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** vip_data.vip_profiles rows, read and written under the caller's role; *_enc columns are ciphertext. */
@Repository
class VipProfiles {

    static final String TABLE = "vip_data.vip_profiles";

    private static final String INSERT = """
            INSERT INTO vip_data.vip_profiles (id, user_id, priority_level, clearance_level, threat_level,
                requires_security_escort, home_address_enc, emergency_contacts_enc, medical_notes_enc, preferences_enc,
                security_notes_enc)
            VALUES (:id, :userId, :priority, :clearance, :threat, :escort, :home, :contacts, :medical, :preferences, :security)
            ON CONFLICT (user_id) DO NOTHING""";
    private static final String UPDATE = """
            UPDATE vip_data.vip_profiles
               SET priority_level = :priority, clearance_level = :clearance, threat_level = :threat,
                   requires_security_escort = :escort, home_address_enc = :home, emergency_contacts_enc = :contacts,
                   medical_notes_enc = :medical, preferences_enc = :preferences, security_notes_enc = :security
             WHERE id = :id""";
    private static final String SELF_UPDATE = """
            UPDATE vip_data.vip_profiles
               SET home_address_enc = coalesce(:home, home_address_enc),
                   emergency_contacts_enc = coalesce(:contacts, emergency_contacts_enc),
                   medical_notes_enc = coalesce(:medical, medical_notes_enc),
                   preferences_enc = coalesce(:preferences, preferences_enc)
             WHERE id = :id""";
    private static final String FIND_ID = "SELECT id FROM vip_data.vip_profiles WHERE user_id = :userId";
    private static final String FULL = """
            SELECT id, user_id, priority_level, clearance_level, threat_level, requires_security_escort,
                   home_address_enc, emergency_contacts_enc, medical_notes_enc, preferences_enc, security_notes_enc
              FROM vip_data.vip_profiles WHERE user_id = :userId""";
    private static final String SELF = """
            SELECT id, user_id, priority_level, requires_security_escort, home_address_enc, emergency_contacts_enc,
                   medical_notes_enc, preferences_enc
              FROM vip_data.vip_profiles WHERE user_id = :userId""";
    private static final String EMERGENCY = """
            SELECT id, user_id, priority_level, requires_security_escort, emergency_contacts_enc, medical_notes_enc
              FROM vip_data.vip_profiles WHERE user_id = :userId""";

    private final JdbcClient jdbc;

    VipProfiles(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean insert(UUID id, UUID userId, VipProfileRequest request, Sealed sealed) {
        return jdbc.sql(INSERT)
                        .param("id", id)
                        .param("userId", userId)
                        .param("priority", request.priorityLevel())
                        .param("clearance", request.clearanceLevel().name())
                        .param("threat", request.threatLevel().name())
                        .param("escort", Boolean.TRUE.equals(request.requiresSecurityEscort()))
                        .param("home", sealed.homeAddress())
                        .param("contacts", sealed.emergencyContacts())
                        .param("medical", sealed.medicalNotes())
                        .param("preferences", sealed.preferences())
                        .param("security", sealed.securityNotes())
                        .update()
                == 1;
    }

    boolean update(UUID id, VipProfileRequest request, Sealed sealed) {
        return jdbc.sql(UPDATE)
                        .param("id", id)
                        .param("priority", request.priorityLevel())
                        .param("clearance", request.clearanceLevel().name())
                        .param("threat", request.threatLevel().name())
                        .param("escort", Boolean.TRUE.equals(request.requiresSecurityEscort()))
                        .param("home", sealed.homeAddress())
                        .param("contacts", sealed.emergencyContacts())
                        .param("medical", sealed.medicalNotes())
                        .param("preferences", sealed.preferences())
                        .param("security", sealed.securityNotes())
                        .update()
                == 1;
    }

    boolean updateSelfService(UUID id, Sealed sealed) {
        return jdbc.sql(SELF_UPDATE)
                        .param("id", id)
                        .param("home", sealed.homeAddress())
                        .param("contacts", sealed.emergencyContacts())
                        .param("medical", sealed.medicalNotes())
                        .param("preferences", sealed.preferences())
                        .update()
                == 1;
    }

    Optional<UUID> profileId(UUID userId) {
        return jdbc.sql(FIND_ID).param("userId", userId).query(UUID.class).optional();
    }

    Optional<StoredProfile> full(UUID userId) {
        return jdbc.sql(FULL)
                .param("userId", userId)
                .query((rs, n) -> new StoredProfile(
                        rs.getObject("id", UUID.class),
                        rs.getObject("user_id", UUID.class),
                        rs.getInt("priority_level"),
                        rs.getString("clearance_level"),
                        rs.getString("threat_level"),
                        rs.getBoolean("requires_security_escort"),
                        new Sealed(
                                rs.getBytes("home_address_enc"),
                                rs.getBytes("emergency_contacts_enc"),
                                rs.getBytes("medical_notes_enc"),
                                rs.getBytes("preferences_enc"),
                                rs.getBytes("security_notes_enc"))))
                .optional();
    }

    Optional<StoredProfile> selfService(UUID userId) {
        return jdbc.sql(SELF)
                .param("userId", userId)
                .query((rs, n) -> new StoredProfile(
                        rs.getObject("id", UUID.class),
                        rs.getObject("user_id", UUID.class),
                        rs.getInt("priority_level"),
                        null,
                        null,
                        rs.getBoolean("requires_security_escort"),
                        new Sealed(
                                rs.getBytes("home_address_enc"),
                                rs.getBytes("emergency_contacts_enc"),
                                rs.getBytes("medical_notes_enc"),
                                rs.getBytes("preferences_enc"),
                                null)))
                .optional();
    }

    Optional<StoredProfile> emergencyFields(UUID userId) {
        return jdbc.sql(EMERGENCY)
                .param("userId", userId)
                .query((rs, n) -> new StoredProfile(
                        rs.getObject("id", UUID.class),
                        rs.getObject("user_id", UUID.class),
                        rs.getInt("priority_level"),
                        null,
                        null,
                        rs.getBoolean("requires_security_escort"),
                        new Sealed(
                                null,
                                rs.getBytes("emergency_contacts_enc"),
                                rs.getBytes("medical_notes_enc"),
                                null,
                                null)))
                .optional();
    }

    /** Ciphertexts of the encrypted columns, column by column; null where a field is empty or not read. */
    record Sealed(
            byte[] homeAddress,
            byte[] emergencyContacts,
            byte[] medicalNotes,
            byte[] preferences,
            byte[] securityNotes) {}

    record StoredProfile(
            UUID id,
            UUID userId,
            int priorityLevel,
            String clearanceLevel,
            String threatLevel,
            boolean requiresSecurityEscort,
            Sealed sealed) {}
}
