package com.vipride.payments;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Monthly lease statements (database/payments/): issued per lease and month from the
 * vehicle's rides, settled from the fleet's earnings to the owner's in the ledger by the lease-billing job.
 */
@Service
class LeaseBilling {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    LeaseBilling(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    @Transactional
    Statement issue(UUID lease, YearMonth month) {
        return jdbc.sql("SELECT * FROM public.issue_lease_statement(:lease, :month)")
                .param("lease", lease)
                .param("month", month.atDay(1))
                .query(LeaseBilling::statement)
                .single();
    }

    @Transactional(readOnly = true)
    List<Statement> statements(UUID lease) {
        return jdbc.sql("SELECT * FROM public.lease_statements WHERE lease_id = :lease ORDER BY period_start DESC")
                .param("lease", lease)
                .query(LeaseBilling::statement)
                .list();
    }

    /** The billing run as of {@code at}; the caller acts as the platform (the lease-billing job). */
    RunResult run(Instant at) {
        return transactions.execute(
                status -> jdbc.sql("SELECT issued, settled, waiting FROM public.run_lease_billing(:at)")
                        .param("at", at.atOffset(ZoneOffset.UTC))
                        .query((rs, n) -> new RunResult(rs.getInt(1), rs.getInt(2), rs.getInt(3)))
                        .single());
    }

    private static Statement statement(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Statement(
                rs.getObject("id", UUID.class),
                rs.getObject("lease_id", UUID.class),
                rs.getObject("period_start", LocalDate.class),
                rs.getString("currency"),
                rs.getInt("rides"),
                rs.getLong("revenue_share_minor"),
                rs.getLong("fixed_minor"),
                rs.getLong("guarantee_topup_minor"),
                rs.getInt("distance_km"),
                rs.getInt("excess_km"),
                rs.getLong("excess_charge_minor"),
                rs.getLong("due_minor"),
                rs.getObject("due_on", LocalDate.class),
                rs.getLong("late_fee_minor"),
                rs.getString("status"));
    }

    /** What the fleet owes the owner for one month, on top of the revenue share paid ride by ride. */
    record Statement(
            UUID id,
            UUID leaseId,
            LocalDate periodStart,
            String currency,
            int rides,
            long revenueShareMinor,
            long fixedMinor,
            long guaranteeTopupMinor,
            int distanceKm,
            int excessKm,
            long excessChargeMinor,
            long dueMinor,
            LocalDate dueOn,
            long lateFeeMinor,
            String status) {}

    record RunResult(int issued, int settled, int waiting) {}
}
