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
            id, payer_id, payment_type, ride_id, amount_minor, currency, refunded_minor, status, method, created_at,
            completed_at""";
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM public.payments WHERE id = :id";
    private static final String OF_PAYER = "SELECT " + COLUMNS + """
             FROM public.payments WHERE payer_id = :payer AND created_at < :before
            ORDER BY created_at DESC LIMIT :limit""";

    private final JdbcClient jdbc;

    Payments(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<PaymentView> findById(UUID id) {
        return jdbc.sql(BY_ID).param("id", id).query(Payments::payment).optional();
    }

    List<PaymentView> ofPayer(UUID payer, Instant before, int limit) {
        return jdbc.sql(OF_PAYER).param("payer", payer).param("before", before.atOffset(ZoneOffset.UTC))
                .param("limit", limit).query(Payments::payment).list();
    }

    private static PaymentView payment(ResultSet rs, int row) throws SQLException {
        Timestamp completed = rs.getTimestamp("completed_at");
        return new PaymentView(rs.getObject("id", UUID.class), rs.getObject("payer_id", UUID.class),
                rs.getString("payment_type"), rs.getObject("ride_id", UUID.class), rs.getLong("amount_minor"),
                rs.getString("currency"), rs.getLong("refunded_minor"), rs.getString("status"), rs.getString("method"),
                rs.getTimestamp("created_at").toInstant(), completed == null ? null : completed.toInstant());
    }
}
