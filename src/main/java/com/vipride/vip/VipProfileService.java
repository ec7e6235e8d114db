package com.vipride.vip;

import com.vipride.accounts.Tiers;
import com.vipride.platform.security.CurrentCaller;
import com.vipride.platform.security.PlatformRole;
import com.vipride.platform.web.InvalidRequest;
import com.vipride.platform.web.NotFound;
import com.vipride.vip.VipProfileRequest.EmergencyContact;
import com.vipride.vip.VipProfiles.Sealed;
import com.vipride.vip.VipProfiles.StoredProfile;
import com.vipride.vip.crypto.FieldContext;
import com.vipride.vip.crypto.VipCipher;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * VIP profiles: created and maintained by VIP administrators, partly maintained by the VIP, read by
 * VIP staff, responders during an emergency and the VIP — each read decrypted only for its reader's
 * fields and recorded in the VIP access log with its purpose, in the same transaction.
 */
@Service
class VipProfileService {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<EmergencyContact>> CONTACTS = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> PREFERENCES = new TypeReference<>() {};

    private final VipProfiles profiles;
    private final VipCipher cipher;
    private final VipAccessLog accessLog;
    private final Emergencies emergencies;
    private final Tiers tiers;

    VipProfileService(
            VipProfiles profiles, VipCipher cipher, VipAccessLog accessLog, Emergencies emergencies, Tiers tiers) {
        this.profiles = profiles;
        this.cipher = cipher;
        this.accessLog = accessLog;
        this.emergencies = emergencies;
        this.tiers = tiers;
    }

    @Transactional
    VipProfileView create(VipProfileRequest request) {
        if (request.userId() == null) {
            throw InvalidRequest.of("validation-failed", "Invalid request: userId: must not be null");
        }
        if (!tiers.promoteToVip(request.userId())) {
            throw VipProblem.notAVipCustomer();
        }
        UUID id = UUID.randomUUID();
        if (!profiles.insert(id, request.userId(), request, seal(request.userId(), id, request))) {
            throw VipProblem.profileExists();
        }
        return adminView(request.userId(), "profile created");
    }

    @Transactional
    VipProfileView update(UUID userId, VipProfileRequest request) {
        UUID id = profiles.profileId(userId).orElseThrow(VipProblem::notAVipCustomer);
        profiles.update(id, request, seal(userId, id, request));
        return adminView(userId, "profile updated");
    }

    /** What VIP staff see: administrators every field, operators all but medical and security notes. */
    @Transactional
    VipProfileView staffView(UUID userId, String purpose) {
        requirePurpose(purpose);
        return adminView(userId, purpose);
    }

    /** A responder's view during an open emergency: emergency contacts and medical notes only. */
    @Transactional
    VipProfileView emergencyView(UUID incidentId, String purpose) {
        requirePurpose(purpose);
        Emergencies.Incident incident =
                emergencies.find(incidentId).orElseThrow(() -> NotFound.of("emergency", incidentId));
        StoredProfile stored =
                profiles.emergencyFields(incident.vipUserId()).orElseThrow(() -> NotFound.of("emergency", incidentId));
        long logId =
                accessLog.record(stored.userId(), "vip_profiles:emergency_contacts,medical_notes", purpose, incidentId);
        FieldDecryptor open = new FieldDecryptor(stored);
        return new VipProfileView(
                stored.id(),
                stored.userId(),
                stored.priorityLevel(),
                null,
                null,
                stored.requiresSecurityEscort(),
                null,
                open.contacts(),
                open.text("medical_notes_enc", stored.sealed().medicalNotes()),
                null,
                null,
                logId);
    }

    @Transactional
    VipProfileView selfView() {
        UUID self = CurrentCaller.get().requireUserId();
        StoredProfile stored = profiles.selfService(self).orElseThrow(VipProblem::notAVipCustomer);
        long logId = accessLog.record(self, "vip_profiles:self_service", "self-service view", null);
        FieldDecryptor open = new FieldDecryptor(stored);
        Sealed sealed = stored.sealed();
        return new VipProfileView(
                stored.id(),
                self,
                stored.priorityLevel(),
                null,
                null,
                stored.requiresSecurityEscort(),
                open.text("home_address_enc", sealed.homeAddress()),
                open.contacts(),
                open.text("medical_notes_enc", sealed.medicalNotes()),
                open.preferences(),
                null,
                logId);
    }

    @Transactional
    VipProfileView updateSelf(VipSelfServiceRequest request) {
        UUID self = CurrentCaller.get().requireUserId();
        UUID id = profiles.profileId(self).orElseThrow(VipProblem::notAVipCustomer);
        profiles.updateSelfService(
                id,
                new Sealed(
                        sealText(self, id, "home_address_enc", request.homeAddress()),
                        sealJson(self, id, "emergency_contacts_enc", request.emergencyContacts()),
                        sealText(self, id, "medical_notes_enc", request.medicalNotes()),
                        sealJson(self, id, "preferences_enc", request.preferences()),
                        null));
        return selfView();
    }

    private VipProfileView adminView(UUID userId, String purpose) {
        StoredProfile stored = profiles.full(userId).orElseThrow(VipProblem::notAVipCustomer);
        boolean admin = CurrentCaller.get().role() == PlatformRole.VIP_ADMIN;
        long logId =
                accessLog.record(userId, admin ? "vip_profiles:all" : "vip_profiles:operator_fields", purpose, null);
        FieldDecryptor open = new FieldDecryptor(stored);
        Sealed sealed = stored.sealed();
        return new VipProfileView(
                stored.id(),
                userId,
                stored.priorityLevel(),
                stored.clearanceLevel(),
                stored.threatLevel(),
                stored.requiresSecurityEscort(),
                open.text("home_address_enc", sealed.homeAddress()),
                open.contacts(),
                admin ? open.text("medical_notes_enc", sealed.medicalNotes()) : null,
                open.preferences(),
                admin ? open.text("security_notes_enc", sealed.securityNotes()) : null,
                logId);
    }

    private Sealed seal(UUID subject, UUID profileId, VipProfileRequest request) {
        return new Sealed(
                sealText(subject, profileId, "home_address_enc", request.homeAddress()),
                sealJson(subject, profileId, "emergency_contacts_enc", request.emergencyContacts()),
                sealText(subject, profileId, "medical_notes_enc", request.medicalNotes()),
                sealJson(subject, profileId, "preferences_enc", request.preferences()),
                sealText(subject, profileId, "security_notes_enc", request.securityNotes()));
    }

    private byte[] sealText(UUID subject, UUID profileId, String column, String value) {
        return value == null
                ? null
                : cipher.encrypt(subject, FieldContext.of(VipProfiles.TABLE, column, profileId), value);
    }

    private byte[] sealJson(UUID subject, UUID profileId, String column, Object value) {
        return value == null
                ? null
                : cipher.encrypt(
                        subject, FieldContext.of(VipProfiles.TABLE, column, profileId), JSON.writeValueAsBytes(value));
    }

    private static void requirePurpose(String purpose) {
        if (purpose == null || purpose.isBlank()) {
            throw VipProblem.purposeRequired();
        }
    }

    /** Decrypts one stored profile's fields, each checked against the row and column it was read from. */
    private final class FieldDecryptor {
        private final StoredProfile stored;

        FieldDecryptor(StoredProfile stored) {
            this.stored = stored;
        }

        String text(String column, byte[] sealed) {
            return sealed == null
                    ? null
                    : cipher.decryptString(
                            stored.userId(), FieldContext.of(VipProfiles.TABLE, column, stored.id()), sealed);
        }

        List<EmergencyContact> contacts() {
            byte[] sealed = stored.sealed().emergencyContacts();
            return sealed == null ? null : JSON.readValue(json("emergency_contacts_enc", sealed), CONTACTS);
        }

        Map<String, String> preferences() {
            byte[] sealed = stored.sealed().preferences();
            return sealed == null ? null : JSON.readValue(json("preferences_enc", sealed), PREFERENCES);
        }

        private String json(String column, byte[] sealed) {
            return new String(
                    cipher.decrypt(stored.userId(), FieldContext.of(VipProfiles.TABLE, column, stored.id()), sealed),
                    StandardCharsets.UTF_8);
        }
    }
}
