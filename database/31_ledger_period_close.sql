-- Part 31 — period close for the ledger: a month that has ended is closed once, and each account's
-- movement and closing balance for it are kept, so a balance reads the last closing balance plus the
-- open period's lines instead of every line the account ever had (issue #7: p99 ≤ 5 ms over 1M entries).
--
-- Lines stay immutable; closing only adds rows. A posting transaction's lines carry its start time
-- (now()), so one that began before a month ended could still post into it after the close. The close
-- therefore locks journal_lines against inserts (SHARE ROW EXCLUSIVE conflicts with the ROW EXCLUSIVE of
-- every inserter): it waits until every transaction that has posted lines commits or aborts, sums the
-- month with all of them visible, and holds new posts until it commits; a post that then finds its
-- lines dated in the closed month is refused (VR409 ledger-period-closed) and the caller retries in
-- the open period. A lock was chosen over a check alone, which cannot see lines not yet committed.

-- ---------------------------------------------------------------------------------------------
-- The books: how far the ledger is closed (one row), and the closed months per account.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.ledger_books (
    id                      boolean     NOT NULL DEFAULT true,
    closed_through          timestamptz NOT NULL DEFAULT '-infinity',
    closed_at               timestamptz,
    CONSTRAINT ledger_books_pkey PRIMARY KEY (id),
    CONSTRAINT ledger_books_one_row_chk CHECK (id)
);
COMMENT ON TABLE public.ledger_books IS
    'One row: the end of the last closed ledger period (UTC month); lines dated before it are summed in ledger_period_balances.';
INSERT INTO public.ledger_books DEFAULT VALUES;

CREATE TABLE public.ledger_period_balances (
    account_id              uuid        NOT NULL,
    period                  date        NOT NULL,
    movement_minor          bigint      NOT NULL,
    closing_minor           bigint      NOT NULL,
    lines                   integer     NOT NULL,
    CONSTRAINT ledger_period_balances_pkey PRIMARY KEY (account_id, period),
    CONSTRAINT ledger_period_balances_account_fk FOREIGN KEY (account_id) REFERENCES public.ledger_accounts (id),
    CONSTRAINT ledger_period_balances_month_chk CHECK (period = date_trunc('month', period)::date),
    CONSTRAINT ledger_period_balances_lines_chk CHECK (lines > 0)
);
COMMENT ON TABLE public.ledger_period_balances IS
    'Closed months per account: the sum of its lines dated in the month (movement) and of all its lines dated before the month''s end (closing); rows only for months with lines.';
COMMENT ON COLUMN public.ledger_period_balances.period IS 'First day of the closed UTC month.';

CREATE TRIGGER ledger_period_balances_append_only BEFORE UPDATE OR DELETE ON public.ledger_period_balances
    FOR EACH ROW EXECUTE FUNCTION public.ledger_is_append_only();

-- Refuses lines dated in a closed period. Once per statement (post_entry inserts an entry's lines in
-- one). Under READ COMMITTED this query's snapshot is taken after the close's lock was released, so it
-- sees the close; under REPEATABLE READ or SERIALIZABLE FOR SHARE turns a close committed after the
-- transaction's snapshot into a serialization failure instead of a close it cannot see.
CREATE FUNCTION public.journal_lines_in_open_period() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_oldest timestamptz;
    v_closed timestamptz;
BEGIN
    SELECT min(n.posted_at) INTO v_oldest FROM new_lines n;
    IF current_setting('transaction_isolation') = 'read committed' THEN
        SELECT b.closed_through INTO v_closed FROM public.ledger_books b;
    ELSE
        SELECT b.closed_through INTO v_closed FROM public.ledger_books b FOR SHARE;
    END IF;
    IF v_oldest < v_closed THEN
        RAISE EXCEPTION 'Ledger lines dated % fall in a closed period (closed through %).', v_oldest, v_closed
            USING ERRCODE = 'VR409', HINT = 'ledger-period-closed',
                  DETAIL = 'The period closed while this transaction was open; retry it to post in the open period.';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER journal_lines_in_open_period AFTER INSERT ON public.journal_lines
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION public.journal_lines_in_open_period();

-- Closes one UTC month (its first day): it must have ended, and be the first open month — or, while
-- nothing is closed yet, any month, whose closing balances then include every earlier line.
CREATE FUNCTION public.close_ledger_period(p_month date) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_from     timestamptz;
    v_start    timestamptz := p_month::timestamp AT TIME ZONE 'UTC';
    v_end      timestamptz := (p_month + interval '1 month')::timestamp AT TIME ZONE 'UTC';
    v_accounts integer;
BEGIN
    IF p_month IS NULL OR p_month <> date_trunc('month', p_month)::date THEN
        RAISE EXCEPTION 'A ledger period is a month, named by its first day (got %).', p_month
            USING ERRCODE = 'VR422', HINT = 'invalid-period';
    END IF;
    -- The sums below must see every line committed while the lock was awaited: a newer snapshot per
    -- statement, which only READ COMMITTED gives.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'Closing a ledger period needs a READ COMMITTED transaction.'
            USING ERRCODE = 'VR409', HINT = 'ledger-close-isolation';
    END IF;
    IF v_end > now() THEN
        RAISE EXCEPTION 'The period % has not ended.', p_month USING ERRCODE = 'VR409', HINT = 'ledger-period-open';
    END IF;
    -- Self-conflicting, so two closes run one after the other; see the header for the posting side.
    LOCK TABLE public.journal_lines IN SHARE ROW EXCLUSIVE MODE;
    SELECT b.closed_through INTO STRICT v_from FROM public.ledger_books b;
    IF v_from >= v_end THEN
        RETURN 0;  -- already closed (a second run of the job)
    END IF;
    IF v_from <> '-infinity' AND v_from <> v_start THEN
        RAISE EXCEPTION 'The ledger is closed through %; the next period to close starts there, not at %.', v_from, v_start
            USING ERRCODE = 'VR409', HINT = 'ledger-period-order';
    END IF;
    INSERT INTO public.ledger_period_balances (account_id, period, movement_minor, closing_minor, lines)
    SELECT m.account_id, p_month, m.movement, coalesce(p.closing_minor, 0) + m.movement, m.lines
      FROM (SELECT l.account_id, sum(l.amount_minor)::bigint AS movement, count(*)::integer AS lines
              FROM public.journal_lines l
             WHERE l.posted_at >= v_from AND l.posted_at < v_end
             GROUP BY l.account_id) m
      LEFT JOIN LATERAL (SELECT b.closing_minor FROM public.ledger_period_balances b
                          WHERE b.account_id = m.account_id ORDER BY b.period DESC LIMIT 1) p ON true;
    GET DIAGNOSTICS v_accounts = ROW_COUNT;
    UPDATE public.ledger_books SET closed_through = v_end, closed_at = now();
    RETURN v_accounts;
END
$$;
COMMENT ON FUNCTION public.close_ledger_period(date) IS
    'Closes one ended UTC month of the ledger (the first open one): per-account movement and closing balance; later lines dated in it are refused.';

-- The ledger-close job: closes, in order, every month that ended more than p_margin ago. The margin
-- only spares in-flight postings a retry; correctness does not depend on it.
CREATE FUNCTION public.close_ledger_periods(p_margin interval)
    RETURNS TABLE (period date, accounts integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_from  timestamptz;
    v_month date;
    v_last  date := (date_trunc('month', (now() - p_margin) AT TIME ZONE 'UTC') - interval '1 month')::date;
BEGIN
    SELECT b.closed_through INTO STRICT v_from FROM public.ledger_books b;
    IF v_from = '-infinity' THEN
        v_month := (SELECT date_trunc('month', min(l.posted_at) AT TIME ZONE 'UTC')::date FROM public.journal_lines l);
    ELSE
        v_month := (v_from AT TIME ZONE 'UTC')::date;
    END IF;
    WHILE v_month <= v_last LOOP
        period := v_month;
        accounts := public.close_ledger_period(v_month);
        RETURN NEXT;
        v_month := (v_month + interval '1 month')::date;
    END LOOP;
END
$$;
COMMENT ON FUNCTION public.close_ledger_periods(interval) IS
    'Closes every ledger month that ended more than the margin ago, oldest first (the ledger-close job).';

-- A payee's balance: the last closing balance plus the open period's lines (one index row and one
-- index range). Equal to the sum of all its lines, which LedgerCloseIT checks.
CREATE OR REPLACE VIEW public.payee_balances WITH (security_invoker = true) AS
SELECT a.id AS account_id, a.holder_kind, a.holder_id, a.currency,
       (-(coalesce((SELECT b.closing_minor FROM public.ledger_period_balances b
                     WHERE b.account_id = a.id ORDER BY b.period DESC LIMIT 1), 0)
          + coalesce((SELECT sum(l.amount_minor) FROM public.journal_lines l
                       WHERE l.account_id = a.id
                         AND l.posted_at >= (SELECT k.closed_through FROM public.ledger_books k)), 0)))::bigint
           AS balance_minor
  FROM public.ledger_accounts a
 WHERE a.purpose = 'payable';

-- ---------------------------------------------------------------------------------------------
-- Privileges: closed balances are read like the lines they sum (payees their own accounts' rows;
-- support, system and audit admins all); the books' one row by everyone who reads balances.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.ledger_books ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.ledger_books FORCE ROW LEVEL SECURITY;
ALTER TABLE public.ledger_period_balances ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.ledger_period_balances FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.ledger_books, public.ledger_period_balances
    TO driver_user, fleet_admin, customer_user, hotel_staff, support_agent, system_admin, audit_admin;
DO $$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['driver_user', 'fleet_admin', 'customer_user', 'hotel_staff'] LOOP
        EXECUTE format('CREATE POLICY %I ON public.ledger_period_balances FOR SELECT TO %I USING (account_id IN ('
                       'SELECT a.id FROM public.ledger_accounts a WHERE a.purpose = ''payable'' '
                       'AND a.holder_id = ANY ((SELECT public.current_payee_ids())::uuid[])))',
                       'ledger_period_balances_select_' || v_role, v_role);
    END LOOP;
    FOREACH v_role IN ARRAY ARRAY['support_agent', 'system_admin', 'audit_admin'] LOOP
        EXECUTE format('CREATE POLICY %I ON public.ledger_period_balances FOR SELECT TO %I USING (true)',
                       'ledger_period_balances_select_' || v_role, v_role);
    END LOOP;
    FOREACH v_role IN ARRAY ARRAY['driver_user', 'fleet_admin', 'customer_user', 'hotel_staff', 'support_agent',
                                  'system_admin', 'audit_admin'] LOOP
        EXECUTE format('CREATE POLICY %I ON public.ledger_books FOR SELECT TO %I USING (true)',
                       'ledger_books_select_' || v_role, v_role);
    END LOOP;
END
$$;
CREATE POLICY ledger_books_all_owner ON public.ledger_books FOR ALL TO vipride_owner USING (true) WITH CHECK (true);
CREATE POLICY ledger_period_balances_all_owner ON public.ledger_period_balances FOR ALL TO vipride_owner
    USING (true) WITH CHECK (true);

REVOKE ALL ON FUNCTION public.journal_lines_in_open_period(), public.close_ledger_period(date),
    public.close_ledger_periods(interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.close_ledger_period(date), public.close_ledger_periods(interval) TO system_admin;
