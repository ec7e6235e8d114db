package com.vipride.vip;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Writes audit.vip_access_log for every read of VIP data, in the same transaction as the read: if the
 * log cannot be written, the data is not returned.
 */
@Repository
class VipAccessLog {

    private static final String LOG = "SELECT audit.log_vip_access(:vip, :what, :purpose, :incident)";

    private final JdbcClient jdbc;

    VipAccessLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long record(UUID vipUserId, String dataAccessed, String purpose, UUID incidentId) {
        return jdbc.sql(LOG)
                .param("vip", vipUserId)
                .param("what", dataAccessed)
                .param("purpose", purpose)
                .param("incident", incidentId)
                .query(Long.class)
                .single();
    }
}
