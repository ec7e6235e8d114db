package com.vipride.payments;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Payments {

    private static final String COLUMNS = """
            id, payer_id, payer_fleet_company_id, payee_user_id, payment_type, ride_id, lease_statement_id,
            driver_subscription_id, amount_minor, currency, refunded_minor, status, method, created_at, completed_at,
            failed_at""";
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM public.payments WHERE id = :id";
    // The caller's side of a payment: they paid it, a vehicle of theirs was paid for, or their fleet paid it.
    private static final String OF_PARTY = "SELECT " + COLUMNS + """
             FROM public.payments
            WHERE (payer_id = :user OR payee_user_id = :user OR payer_fleet_company_id = public.current_fleet_company_id())
              AND created_at < :before
            ORDER BY created_at DESC LIMIT :limit""";

    private final JdbcClient jdbc;

    Payments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<PaymentView> findById(UUID id) {
        return jdbc.sql(BY_ID).param("id", id).query(Payments::payment).optional();
    }

    /** Payments the user paid, was paid (a leased vehicle's owner) or whose paying fleet they administer. */
    List<PaymentView> ofParty(UUID user, Instant before, int limit) {
        return jdbc.sql(OF_PARTY)
                .param("user", user)
                .param("before", before.atOffset(ZoneOffset.UTC))
                .param("limit", limit)
                .query(Payments::payment)
                .list();
    }

    private static PaymentView payment(ResultSet rs, int row) throws SQLException {
        return new PaymentView(
                rs.getObject("id", UUID.class),
                rs.getObject("payer_id", UUID.class),
                rs.getObject("payer_fleet_company_id", UUID.class),
                rs.getObject("payee_user_id", UUID.class),
                rs.getString("payment_type"),
                rs.getObject("ride_id", UUID.class),
                rs.getObject("lease_statement_id", UUID.class),
                rs.getObject("driver_subscription_id", UUID.class),
                rs.getLong("amount_minor"),
                rs.getString("currency"),
                rs.getLong("refunded_minor"),
                rs.getString("status"),
                rs.getString("method"),
                rs.getTimestamp("created_at").toInstant(),
                instant(rs.getTimestamp("completed_at")),
                instant(rs.getTimestamp("failed_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
