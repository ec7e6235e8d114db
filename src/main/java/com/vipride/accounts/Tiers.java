package com.vipride.accounts;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** A customer's tier (public.users.tier), changed under the caller's role: VIP administrators promote to VIP. */
@Repository
public class Tiers {

    private static final String PROMOTE_TO_VIP = """
            UPDATE public.users SET tier = 'vip' WHERE id = :id AND user_type = 'customer' AND deleted_at IS NULL""";

    private final JdbcClient jdbc;

    Tiers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Whether the user is an active customer, now in the VIP tier. */
    @Transactional
    public boolean promoteToVip(UUID customerId) {
        return jdbc.sql(PROMOTE_TO_VIP).param("id", customerId).update() == 1;
    }
}
