package com.vipride.payments;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class Payments {

    private static final String COLUMNS = """
            id, payer_id, payer_fleet_company_id, payer_hotel_id, payee_user_id, payment_type, ride_id, lease_statement_id,
            driver_subscription_id, amount_minor, currency, refunded_minor, status, method, created_at, completed_at,
            failed_at""";
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM public.payments WHERE id = :id";
    // The caller's side of a payment: they paid it, a vehicle of theirs was paid for, or their fleet paid it.
    private static final String OF_PARTY = "SELECT " + COLUMNS + """
             FROM public.payments
            WHERE (payer_id = :user OR payee_user_id = :user OR payer_fleet_company_id = public.current_fleet_company_id())
              AND created_at < :before
            ORDER BY created_at DESC LIMIT :limit""";

    // A person's side of a payment, as support looks them up: they paid it or were paid (a leased vehicle's
    // owner). Row-level security decides whose payments the caller sees at all: support and system admins
    // every one, a rider only their own (another person's list is empty).
    private static final String OF_PERSON = "SELECT " + COLUMNS + """
             FROM public.payments
            WHERE (payer_id = :person OR payee_user_id = :person) AND created_at < :before
            ORDER BY created_at DESC, id DESC LIMIT :limit""";
    // A hotel's payments: the rides billed to its account. Row-level security decides: the hotel's own staff,
    // support and system admins; anyone else's list is empty.
    private static final String OF_HOTEL = "SELECT " + COLUMNS + """
             FROM public.payments
            WHERE payer_hotel_id = :hotel AND created_at < :before
            ORDER BY created_at DESC, id DESC LIMIT :limit""";
    private static final String REFUNDS_OF = """
            SELECT id, payment_id, amount_minor, currency, reason, created_at
              FROM public.refunds WHERE payment_id IN (:payments)
             ORDER BY created_at DESC, id""";
    private static final String DISPUTES_OF = """
            SELECT id, payment_id, amount_minor, reason, status, opened_at, resolved_at
              FROM public.payment_disputes WHERE payment_id IN (:payments)
             ORDER BY opened_at DESC, id""";

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

    /** A hotel's payments (rides billed to it), newest first, as far as the caller may see them. */
    List<PaymentView> ofHotel(UUID hotel, Instant before, int limit) {
        return jdbc.sql(OF_HOTEL)
                .param("hotel", hotel)
                .param("before", before.atOffset(ZoneOffset.UTC))
                .param("limit", limit)
                .query(Payments::payment)
                .list();
    }

    /** A person's payments, newest first, each with its refunds and disputes (those the caller may see). */
    List<PaymentActivity> ofPerson(UUID person, Instant before, int limit) {
        List<PaymentView> page = jdbc.sql(OF_PERSON)
                .param("person", person)
                .param("before", before.atOffset(ZoneOffset.UTC))
                .param("limit", limit)
                .query(Payments::payment)
                .list();
        if (page.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = page.stream().map(PaymentView::id).toList();
        Map<UUID, List<MoneyMovements.Refund>> refunds = jdbc
                .sql(REFUNDS_OF)
                .param("payments", ids)
                .query((rs, n) -> new MoneyMovements.Refund(
                        rs.getObject("id", UUID.class),
                        rs.getObject("payment_id", UUID.class),
                        rs.getLong("amount_minor"),
                        rs.getString("currency"),
                        rs.getString("reason"),
                        rs.getTimestamp("created_at").toInstant()))
                .list()
                .stream()
                .collect(Collectors.groupingBy(MoneyMovements.Refund::paymentId));
        Map<UUID, List<MoneyMovements.Dispute>> disputes =
                jdbc.sql(DISPUTES_OF).param("payments", ids).query(MoneyMovements::dispute).list().stream()
                        .collect(Collectors.groupingBy(MoneyMovements.Dispute::paymentId));
        return page.stream()
                .map(p -> new PaymentActivity(
                        p, refunds.getOrDefault(p.id(), List.of()), disputes.getOrDefault(p.id(), List.of())))
                .toList();
    }

    private static PaymentView payment(ResultSet rs, int row) throws SQLException {
        return new PaymentView(
                rs.getObject("id", UUID.class),
                rs.getObject("payer_id", UUID.class),
                rs.getObject("payer_fleet_company_id", UUID.class),
                rs.getObject("payer_hotel_id", UUID.class),
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
