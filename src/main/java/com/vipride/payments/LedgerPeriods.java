package com.vipride.payments;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Period close of the ledger (database/payments/): every month that ended more than a
 * margin ago is closed once, oldest first, so balances read closing balances plus the open period's
 * lines. The run is the platform's "ledger-close" job.
 */
@Service
class LedgerPeriods {

    private static final Logger log = LoggerFactory.getLogger(LedgerPeriods.class);

    private static final String CLOSE_ENDED_MONTHS = """
            SELECT period, accounts FROM public.close_ledger_periods(make_interval(secs => :seconds))""";

    private final JdbcClient jdbc;

    LedgerPeriods(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Closes every month that ended more than {@code margin} ago; the caller acts as the platform. */
    @Transactional
    List<ClosedPeriod> closeEndedMonths(Duration margin) {
        List<ClosedPeriod> closed = jdbc.sql(CLOSE_ENDED_MONTHS)
                .param("seconds", margin.toSeconds())
                .query((rs, n) -> new ClosedPeriod(rs.getObject(1, LocalDate.class), rs.getInt(2)))
                .list();
        if (!closed.isEmpty()) {
            log.info("Ledger periods closed: {}", closed);
        }
        return closed;
    }

    /** A closed month (its first day) and the accounts that had lines in it. */
    record ClosedPeriod(LocalDate period, int accounts) {}
}
