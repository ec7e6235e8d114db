-- What-if for ledger-statement (issue #7: balance and statement p99 ≤ 5 ms over 1M entries), measured
-- with -Dbench.extraSql; NOT a migration. Two changes for the heavy payee, whose balance sums every line
-- it ever had (20,000) and whose month page reads every line of the month from the heap (~1,700) before
-- the top-100 sort:
--
-- 1. Closed months' balances kept per account, so a balance adds at most ~13 numbers plus the current
--    month's lines. Here filled once from the loaded ledger; for real, post_entry would add to the
--    month's row (one row per account and month, so the hot platform accounts see contention only
--    within one month's row — or a month-end job closes the month and the view reads lines since then).
-- 2. entry_id in the statement index, so a month page is an index-only scan (no heap visits).
CREATE TABLE public.ledger_month_balances (
    account_id    uuid   NOT NULL,
    month         date   NOT NULL,
    sum_minor     bigint NOT NULL,
    CONSTRAINT ledger_month_balances_pkey PRIMARY KEY (account_id, month)
);
INSERT INTO public.ledger_month_balances (account_id, month, sum_minor)
SELECT account_id, date_trunc('month', posted_at AT TIME ZONE 'UTC')::date, sum(amount_minor)
  FROM public.journal_lines
 WHERE posted_at < date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
 GROUP BY 1, 2;
-- The view runs with the caller's rights (security_invoker); the what-if table has no RLS of its own —
-- the view only reaches it through ledger_accounts rows the caller may see.
GRANT SELECT ON public.ledger_month_balances TO driver_user, fleet_admin, customer_user, hotel_staff,
    support_agent, system_admin, audit_admin;

CREATE OR REPLACE VIEW public.payee_balances WITH (security_invoker = true) AS
SELECT a.id AS account_id, a.holder_kind, a.holder_id, a.currency,
       coalesce(-((SELECT coalesce(sum(m.sum_minor), 0) FROM public.ledger_month_balances m WHERE m.account_id = a.id)
                  + (SELECT coalesce(sum(l.amount_minor), 0) FROM public.journal_lines l
                      WHERE l.account_id = a.id
                        AND l.posted_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')), 0)::bigint
           AS balance_minor
  FROM public.ledger_accounts a
 WHERE a.purpose = 'payable';

CREATE INDEX journal_lines_account_page_idx ON public.journal_lines (account_id, posted_at) INCLUDE (amount_minor, entry_id);
DROP INDEX public.journal_lines_account_idx;
ANALYZE public.journal_lines, public.ledger_month_balances;
