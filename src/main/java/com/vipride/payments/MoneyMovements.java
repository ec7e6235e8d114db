package com.vipride.payments;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Refunds, disputes and payees' ledger views. The rules — never refund more than was paid, even when
 * two refunds race; only legal dispute steps; proportional reversal of each share — are the database's
 * (database/payments/); privileges decide who may call them (support and system admins).
 */
@Service
class MoneyMovements {

    private final JdbcClient jdbc;

    MoneyMovements(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional
    Refund refund(UUID payment, long amountMinor, String reason, String idempotencyKey) {
        return jdbc.sql("""
                SELECT id, payment_id, amount_minor, currency, reason, created_at
                  FROM public.refund_payment(:payment, :amount, :reason, :key)""")
                .param("payment", payment)
                .param("amount", amountMinor)
                .param("reason", reason)
                .param("key", idempotencyKey)
                .query((rs, n) -> new Refund(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getTimestamp(6).toInstant()))
                .single();
    }

    @Transactional
    Dispute openDispute(UUID payment, long amountMinor, String reason) {
        return jdbc.sql("SELECT * FROM public.open_dispute(:payment, :amount, :reason)")
                .param("payment", payment)
                .param("amount", amountMinor)
                .param("reason", reason)
                .query(MoneyMovements::dispute)
                .single();
    }

    @Transactional
    Dispute resolveDispute(UUID dispute, String status) {
        return jdbc.sql("SELECT * FROM public.resolve_dispute(:dispute, :status)")
                .param("dispute", dispute)
                .param("status", status)
                .query(MoneyMovements::dispute)
                .single();
    }

    /** The caller's payee balances (driver, fleet, vehicle owner, hotel), per currency. */
    @Transactional(readOnly = true)
    List<Balance> myBalances() {
        return jdbc.sql("""
                SELECT holder_kind, holder_id, currency, balance_minor FROM public.payee_balances
                 WHERE holder_id = ANY (public.current_payee_ids()) ORDER BY holder_kind, currency""")
                .query((rs, n) ->
                        new Balance(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getLong(4)))
                .list();
    }

    /**
     * The caller's payable lines in [from, to), newest first: what was credited and debited, and when. Each
     * account gives at most {@code limit} of its newest lines, read backwards along its (account_id, posted_at)
     * index, so a page costs {@code limit} lines per account however busy the month was.
     */
    @Transactional(readOnly = true)
    List<StatementLine> myStatement(Instant from, Instant to, int limit) {
        return jdbc.sql("""
                SELECT a.holder_kind, a.currency, l.posted_at, -l.amount_minor AS amount_minor, l.entry_id
                  FROM public.ledger_accounts a
                  CROSS JOIN LATERAL (
                        SELECT j.posted_at, j.amount_minor, j.entry_id FROM public.journal_lines j
                         WHERE j.account_id = a.id AND j.posted_at >= :from AND j.posted_at < :to
                         ORDER BY j.posted_at DESC LIMIT :limit) l
                 WHERE a.purpose = 'payable' AND a.holder_id = ANY (public.current_payee_ids())
                 ORDER BY l.posted_at DESC LIMIT :limit""")
                .param("from", from.atOffset(ZoneOffset.UTC))
                .param("to", to.atOffset(ZoneOffset.UTC))
                .param("limit", limit)
                .query((rs, n) -> new StatementLine(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getTimestamp(3).toInstant(),
                        rs.getLong(4),
                        rs.getObject(5, UUID.class)))
                .list();
    }

    static Dispute dispute(ResultSet rs, int row) throws SQLException {
        return new Dispute(
                rs.getObject("id", UUID.class),
                rs.getObject("payment_id", UUID.class),
                rs.getLong("amount_minor"),
                rs.getString("reason"),
                rs.getString("status"),
                rs.getTimestamp("opened_at").toInstant(),
                rs.getTimestamp("resolved_at") == null
                        ? null
                        : rs.getTimestamp("resolved_at").toInstant());
    }

    record Refund(UUID id, UUID paymentId, long amountMinor, String currency, String reason, Instant createdAt) {}

    record Dispute(
            UUID id,
            UUID paymentId,
            long amountMinor,
            String reason,
            String status,
            Instant openedAt,
            Instant resolvedAt) {}

    record Balance(String holderKind, UUID holderId, String currency, long balanceMinor) {}

    /** A credit (positive: owed to the payee) or debit (negative) of the payee's account. */
    record StatementLine(String holderKind, String currency, Instant postedAt, long amountMinor, UUID entryId) {}
}
