package com.vipride.payments;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Payouts of payees' ledger balances (public.run_payouts: minimum per currency, holds for open
 * disputes) and each payee's payouts. The run is the platform's "payouts" job.
 */
@Service
class Payouts {

    private static final Logger log = LoggerFactory.getLogger(Payouts.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    Payouts(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** One payout run; the caller acts as the platform (the payouts job). Safe from several instances at once. */
    RunResult run() {
        RunResult result = transactions.execute(
                status -> jdbc.sql("SELECT payouts_made, paid_minor, held FROM public.run_payouts()")
                        .query((rs, n) -> new RunResult(rs.getInt(1), rs.getLong(2), rs.getInt(3)))
                        .single());
        log.info("Payout run: {}", result);
        return result;
    }

    @Transactional(readOnly = true)
    List<Payout> mine() {
        return jdbc.sql("""
                SELECT id, holder_kind, currency, amount_minor, status, created_at FROM public.payouts
                 WHERE holder_id = ANY (public.current_payee_ids()) ORDER BY created_at DESC LIMIT 100""")
                .query((rs, n) -> new Payout(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getString(5),
                        rs.getTimestamp(6).toInstant()))
                .list();
    }

    record RunResult(int payoutsMade, long paidMinor, int accountsOnHold) {}

    record Payout(UUID id, String holderKind, String currency, long amountMinor, String status, Instant createdAt) {}
}
