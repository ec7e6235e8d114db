package com.vipride.support;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Past ledger months for tests. Closing is global and only moves forward, and the posting functions date
 * entries now(); so tests post dated entries as the superuser into months no test has closed yet, taken
 * in order from January 2000 on, and close them with the real closing function.
 */
public final class LedgerHistory {

    private static final LocalDate FIRST = LocalDate.of(2000, 1, 1); // as in firstOpen's query

    private LedgerHistory() {}

    /** The first month nobody has closed (January 2000 while nothing is closed), reserved with the next {@code months - 1}. */
    public static synchronized LocalDate openMonths(JdbcClient superuser, int months) {
        LocalDate next = firstOpen(superuser);
        LocalDate start = next.isBefore(reserved) ? reserved : next;
        reserved = start.plusMonths(months);
        return start;
    }

    private static LocalDate reserved = FIRST;

    private static LocalDate firstOpen(JdbcClient superuser) {
        OffsetDateTime closed = superuser
                .sql("SELECT greatest(closed_through, TIMESTAMPTZ '2000-01-01 00:00Z') FROM public.ledger_books")
                .query(OffsetDateTime.class)
                .single();
        return closed.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
    }

    /** A balanced entry dated {@code at}, in one statement: each account gets its amount (positive debits, negative credits). */
    public static void post(JdbcClient superuser, OffsetDateTime at, List<UUID> accounts, List<Long> amounts) {
        superuser
                .sql("""
                WITH e AS (INSERT INTO public.journal_entries (entry_type, currency, description, posted_at)
                           VALUES ('ride_fare', 'NGN', 'history', :at) RETURNING id)
                INSERT INTO public.journal_lines (entry_id, line_no, account_id, amount_minor, posted_at)
                SELECT e.id, l.n, l.account, l.amount, :at
                  FROM e, unnest(CAST(:accounts AS uuid[]), CAST(:amounts AS bigint[])) WITH ORDINALITY AS l (account, amount, n)""")
                .param("at", at)
                .param("accounts", accounts.toArray(UUID[]::new))
                .param("amounts", amounts.toArray(Long[]::new))
                .update();
    }

    /** Closes every open month up to {@code last}, oldest first, as the ledger-close job would. */
    public static void closeThrough(JdbcClient superuser, LocalDate last) {
        for (LocalDate month = firstOpen(superuser); !month.isAfter(last); month = month.plusMonths(1)) {
            superuser
                    .sql("SELECT public.close_ledger_period(:m)")
                    .param("m", month)
                    .query(Integer.class)
                    .single();
        }
    }
}
