package com.vipride.vip.crypto;

import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Wrapped data keys in vip_data.subject_keys, reached only through its authorizing functions. */
@Repository
class SubjectKeys {

    private static final String FIND = "SELECT keyset_enc, master_key_id, version FROM vip_data.subject_key(:subject)";
    private static final String CREATE = """
            SELECT keyset_enc, master_key_id, version FROM vip_data.create_subject_key(:subject, :keyset, :master)""";
    private static final String REPLACE = "SELECT vip_data.replace_subject_key(:subject, :keyset, :master, :version)";
    private static final String SHRED = "SELECT vip_data.shred_subject_key(:subject)";
    private static final String WRAPPED_UNDER_OTHER =
            "SELECT vip_data.subjects_wrapped_under_other_master(:current, :limit)";

    private final JdbcClient jdbc;

    SubjectKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<WrappedKey> find(UUID subject) {
        return jdbc.sql(FIND)
                .param("subject", subject)
                .query(SubjectKeys::wrapped)
                .optional();
    }

    WrappedKey create(UUID subject, byte[] keyset, String masterKeyId) {
        return jdbc.sql(CREATE)
                .param("subject", subject)
                .param("keyset", keyset)
                .param("master", masterKeyId)
                .query(SubjectKeys::wrapped)
                .single();
    }

    boolean replace(UUID subject, byte[] keyset, String masterKeyId, int expectedVersion) {
        return jdbc.sql(REPLACE)
                .param("subject", subject)
                .param("keyset", keyset)
                .param("master", masterKeyId)
                .param("version", expectedVersion)
                .query(Boolean.class)
                .single();
    }

    boolean shred(UUID subject) {
        return jdbc.sql(SHRED).param("subject", subject).query(Boolean.class).single();
    }

    java.util.List<UUID> wrappedUnderOtherMaster(String currentMasterKeyId, int limit) {
        return jdbc.sql(WRAPPED_UNDER_OTHER)
                .param("current", currentMasterKeyId)
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    private static WrappedKey wrapped(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new WrappedKey(rs.getBytes("keyset_enc"), rs.getString("master_key_id"), rs.getInt("version"));
    }

    record WrappedKey(byte[] keyset, String masterKeyId, int version) {}
}
