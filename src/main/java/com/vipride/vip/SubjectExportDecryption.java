package com.vipride.vip;

import com.vipride.pricing.RouteVault.Route;
import com.vipride.vip.crypto.VipCipher;
import com.vipride.vip.export.SubjectFieldDecryption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Opens a VIP's own envelopes for their subject-access archive. Each envelope names its subject and the
 * table, column and row it was sealed for (authenticated with it): every one must name the archive's
 * subject, and the table/column decides how its plaintext reads (JSON for positions, contacts,
 * preferences and routes; text otherwise). The access log gets one entry per table and column before
 * any plaintext is returned.
 */
@Component
class SubjectExportDecryption implements SubjectFieldDecryption {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> JSON_COLUMNS =
            Set.of("emergency_contacts_enc", "preferences_enc", VipLocations.COLUMN);

    private final ObjectProvider<VipCipher> ciphers;

    /** The cipher is looked up when an export runs: a process that never exports needs no master key. */
    SubjectExportDecryption(ObjectProvider<VipCipher> ciphers) {
        this.ciphers = ciphers;
    }

    @Override
    public List<OpenedField> decryptForOwnExport(UUID subject, List<byte[]> envelopes, AccessLog log) {
        List<OpenedField> opened = new ArrayList<>(envelopes.size());
        Map<String, int[]> kinds = new LinkedHashMap<>();
        VipCipher cipher = ciphers.getObject();
        for (byte[] envelope : envelopes) {
            VipCipher.Opened field = cipher.openAny(envelope);
            if (!field.subject().equals(subject)) {
                throw new IllegalArgumentException("an envelope of another subject is not part of this archive");
            }
            Place place = Place.of(field.context());
            opened.add(new OpenedField(
                    place.table(), place.column(), place.row(), text(place, field.plaintext()), isJson(place)));
            kinds.computeIfAbsent(place.table() + "\u0000" + place.column(), k -> new int[1])[0]++;
        }
        kinds.forEach((kind, count) -> {
            int split = kind.indexOf('\u0000');
            log.record(kind.substring(0, split), kind.substring(split + 1), count[0]);
        });
        return opened;
    }

    private static boolean isJson(Place place) {
        return JSON_COLUMNS.contains(place.column()) || "route_enc".equals(place.column());
    }

    private static String text(Place place, byte[] plaintext) {
        if ("route_enc".equals(place.column())) {
            Route route = VipRouteVault.decode(plaintext);
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("pickupLat", route.pickupLat());
            json.put("pickupLng", route.pickupLng());
            json.put("pickupAddress", route.pickupAddress());
            json.put("dropoffLat", route.dropoffLat());
            json.put("dropoffLng", route.dropoffLng());
            json.put("dropoffAddress", route.dropoffAddress());
            return JSON.writeValueAsString(json);
        }
        return new String(plaintext, StandardCharsets.UTF_8);
    }

    /** A field context, {@code <schema.table>.<column>/<row id>}; an ad-hoc SQL context keeps its text as the table. */
    private record Place(String table, String column, UUID row) {
        static Place of(String context) {
            int slash = context.lastIndexOf('/');
            int dot = slash < 0 ? -1 : context.lastIndexOf('.', slash);
            if (slash < 0 || dot < 0) {
                return new Place(context, "", null);
            }
            try {
                return new Place(
                        context.substring(0, dot),
                        context.substring(dot + 1, slash),
                        UUID.fromString(context.substring(slash + 1)));
            } catch (IllegalArgumentException notARow) {
                return new Place(context, "", null);
            }
        }
    }
}
