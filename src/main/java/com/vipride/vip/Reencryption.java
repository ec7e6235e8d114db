package com.vipride.vip;

import com.vipride.vip.crypto.FieldContext;
import com.vipride.vip.crypto.VipCipher;
import com.vipride.vip.crypto.VipKeys;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Data-key rotation without downtime: a new key becomes primary (old data stays readable), every
 * ciphertext of the subject is re-encrypted under it in batches, and only then are old keys retired.
 */
@Service
class Reencryption {

    private static final int BATCH = 1000;
    private static final List<String> PROFILE_COLUMNS = List.of(
            "home_address_enc", "emergency_contacts_enc", "medical_notes_enc", "preferences_enc", "security_notes_enc");
    private static final String LOCATION_PAGE = """
            SELECT id, recorded_at, encrypted_coordinates FROM vip_data.vip_location_history
             WHERE user_id = :vip AND (recorded_at, id) > (:afterAt, :afterId)
             ORDER BY recorded_at, id LIMIT :limit""";
    private static final String UPDATE_LOCATIONS = """
            UPDATE vip_data.vip_location_history h SET encrypted_coordinates = p.coordinates
              FROM unnest(?::uuid[], ?::timestamptz[], ?::bytea[]) AS p(id, recorded_at, coordinates)
             WHERE h.id = p.id AND h.recorded_at = p.recorded_at""";

    private final VipKeys keys;
    private final VipCipher cipher;
    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;

    Reencryption(VipKeys keys, VipCipher cipher, JdbcClient jdbc, JdbcTemplate jdbcTemplate) {
        this.keys = keys;
        this.cipher = cipher;
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
    }

    @Transactional
    Result rotateAndReencrypt(UUID vip) {
        keys.rotate(vip);
        int fields = reencryptProfile(vip);
        int points = reencryptLocations(vip);
        keys.retireOldKeys(vip);
        return new Result(fields, points, keys.keyCount(vip));
    }

    private int reencryptProfile(UUID vip) {
        UUID id = jdbc.sql("SELECT id FROM vip_data.vip_profiles WHERE user_id = :vip")
                .param("vip", vip)
                .query(UUID.class)
                .optional()
                .orElse(null);
        if (id == null) {
            return 0;
        }
        int count = 0;
        for (String column : PROFILE_COLUMNS) {
            byte[] current = jdbc.sql("SELECT " + column + " FROM vip_data.vip_profiles WHERE id = :id")
                    .param("id", id)
                    .query(byte[].class)
                    .optional()
                    .orElse(null);
            if (current == null || cipher.isCurrent(vip, current)) {
                continue;
            }
            FieldContext context = FieldContext.of(VipProfiles.TABLE, column, id);
            byte[] fresh = cipher.encrypt(vip, context, cipher.decrypt(vip, context, current));
            jdbc.sql("UPDATE vip_data.vip_profiles SET " + column + " = :value WHERE id = :id")
                    .param("value", fresh)
                    .param("id", id)
                    .update();
            count++;
        }
        return count;
    }

    private int reencryptLocations(UUID vip) {
        int total = 0;
        OffsetDateTime afterAt = OffsetDateTime.parse("1970-01-01T00:00:00Z");
        UUID afterId = new UUID(0, 0);
        while (true) {
            List<Row> page = jdbc.sql(LOCATION_PAGE)
                    .param("vip", vip)
                    .param("afterAt", afterAt)
                    .param("afterId", afterId)
                    .param("limit", BATCH)
                    .query((rs, n) -> new Row(
                            rs.getObject("id", UUID.class),
                            rs.getObject("recorded_at", OffsetDateTime.class),
                            rs.getBytes("encrypted_coordinates")))
                    .list();
            if (page.isEmpty()) {
                return total;
            }
            List<Row> changed = new ArrayList<>();
            for (Row row : page) {
                if (!cipher.isCurrent(vip, row.coordinates())) {
                    FieldContext context = FieldContext.of(VipLocations.TABLE, VipLocations.COLUMN, row.id());
                    changed.add(new Row(
                            row.id(),
                            row.recordedAt(),
                            cipher.encrypt(vip, context, cipher.decrypt(vip, context, row.coordinates()))));
                }
            }
            update(changed);
            total += changed.size();
            Row last = page.get(page.size() - 1);
            afterAt = last.recordedAt();
            afterId = last.id();
        }
    }

    private void update(List<Row> rows) {
        if (rows.isEmpty()) {
            return;
        }
        jdbcTemplate.execute((ConnectionCallback<Integer>) connection -> {
            try (PreparedStatement statement = connection.prepareStatement(UPDATE_LOCATIONS)) {
                statement.setArray(
                        1,
                        connection.createArrayOf(
                                "uuid", rows.stream().map(Row::id).toArray()));
                statement.setArray(
                        2,
                        connection.createArrayOf(
                                "text",
                                rows.stream()
                                        .map(r -> r.recordedAt().toString())
                                        .toArray()));
                statement.setArray(
                        3,
                        connection.createArrayOf(
                                "bytea", rows.stream().map(Row::coordinates).toArray(byte[][]::new)));
                return statement.executeUpdate();
            }
        });
    }

    private record Row(UUID id, OffsetDateTime recordedAt, byte[] coordinates) {}

    record Result(int profileFieldsReencrypted, int locationsReencrypted, int dataKeysLeft) {}
}
