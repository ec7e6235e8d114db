-- Part 19 — monthly lease statements: what a fleet owes a vehicle's owner for a month of its lease.
--
-- A leased vehicle's revenue share is already paid ride by ride (public.settle_ride_earnings credits
-- the owner's payable). The statement adds what the month's contract says on top: the fixed rent, the
-- top-up to the minimum monthly guarantee (revenue-share and hybrid leases), and the excess-mileage
-- charge over the limit (measured as the rides' driven distance). Settling it moves the total, plus the
-- late fee when settled after the due date, from the fleet's payable to the owner's in the ledger.

CREATE TABLE public.lease_statements (
    id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
    lease_id                uuid        NOT NULL,
    period_start            date        NOT NULL,
    currency                char(3)     NOT NULL,
    rides                   integer     NOT NULL,
    revenue_share_minor     bigint      NOT NULL,
    fixed_minor             bigint      NOT NULL,
    guarantee_topup_minor   bigint      NOT NULL,
    distance_km             integer     NOT NULL,
    excess_km               integer     NOT NULL,
    excess_charge_minor     bigint      NOT NULL,
    due_minor               bigint      NOT NULL,
    due_on                  date        NOT NULL,
    late_fee_minor          bigint      NOT NULL DEFAULT 0,
    status                  text        NOT NULL DEFAULT 'issued',
    entry_id                uuid,
    settled_at              timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT lease_statements_pkey PRIMARY KEY (id),
    CONSTRAINT lease_statements_lease_fk FOREIGN KEY (lease_id) REFERENCES public.vehicle_leases (id),
    CONSTRAINT lease_statements_entry_fk FOREIGN KEY (entry_id) REFERENCES public.journal_entries (id),
    CONSTRAINT lease_statements_period_key UNIQUE (lease_id, period_start),
    CONSTRAINT lease_statements_month_chk CHECK (period_start = date_trunc('month', period_start)::date),
    CONSTRAINT lease_statements_amounts_chk CHECK (rides >= 0 AND revenue_share_minor >= 0 AND fixed_minor >= 0
        AND guarantee_topup_minor >= 0 AND distance_km >= 0 AND excess_km >= 0 AND excess_charge_minor >= 0
        AND late_fee_minor >= 0),
    CONSTRAINT lease_statements_due_chk CHECK (due_minor = fixed_minor + guarantee_topup_minor + excess_charge_minor),
    CONSTRAINT lease_statements_status_chk CHECK (status IN ('issued', 'paid')),
    CONSTRAINT lease_statements_paid_chk CHECK ((status = 'paid') = (settled_at IS NOT NULL))
);
COMMENT ON TABLE public.lease_statements IS
    'Monthly lease statements: fixed rent, minimum-guarantee top-up and excess mileage owed by the fleet to the owner.';

-- Computes and stores the statement of one lease for the month containing p_month (idempotent).
CREATE FUNCTION public.issue_lease_statement(p_lease_id uuid, p_month date) RETURNS public.lease_statements
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_lease     public.vehicle_leases;
    v_start     date := date_trunc('month', p_month)::date;
    v_end       date := (date_trunc('month', p_month) + interval '1 month')::date;
    v_rides     integer;
    v_share     bigint;
    v_metres    bigint;
    v_km        integer;
    v_excess    integer;
    v_fixed     bigint;
    v_topup     bigint;
    v_statement public.lease_statements;
BEGIN
    SELECT * INTO v_statement FROM public.lease_statements s WHERE s.lease_id = p_lease_id AND s.period_start = v_start;
    IF FOUND THEN
        RETURN v_statement;
    END IF;
    SELECT * INTO v_lease FROM public.vehicle_leases l WHERE l.id = p_lease_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Lease % not found.', p_lease_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF v_lease.starts_on >= v_end OR (v_lease.ends_on IS NOT NULL AND v_lease.ends_on <= v_start) THEN
        RAISE EXCEPTION 'Lease % does not run in %.', p_lease_id, to_char(v_start, 'YYYY-MM')
            USING ERRCODE = 'VR409', HINT = 'lease-not-running';
    END IF;
    SELECT count(*), coalesce(sum(e.owner_share_minor) FILTER (WHERE e.vehicle_owner_id = v_lease.owner_user_id), 0),
           coalesce(sum(r.actual_distance_m), 0)
      INTO v_rides, v_share, v_metres
      FROM public.rides r
      LEFT JOIN public.ride_earnings e ON e.ride_id = r.id AND e.ride_requested_at = r.requested_at
     WHERE r.vehicle_id = v_lease.vehicle_id AND r.status = 'completed'
       AND r.completed_at >= v_start AND r.completed_at < v_end
       AND r.requested_at >= v_start - 1 AND r.requested_at < v_end;
    v_km := ceil(v_metres / 1000.0);
    v_excess := CASE WHEN v_lease.mileage_limit_km IS NULL THEN 0 ELSE greatest(0, v_km - v_lease.mileage_limit_km) END;
    v_fixed := v_lease.fixed_monthly_minor;
    v_topup := CASE WHEN v_lease.lease_type IN ('revenue_share', 'hybrid')
                    THEN greatest(0, v_lease.minimum_monthly_minor - v_fixed - v_share) ELSE 0 END;
    INSERT INTO public.lease_statements (lease_id, period_start, currency, rides, revenue_share_minor, fixed_minor,
                                         guarantee_topup_minor, distance_km, excess_km, excess_charge_minor, due_minor, due_on)
    VALUES (p_lease_id, v_start, v_lease.currency, v_rides, v_share, v_fixed, v_topup, v_km, v_excess,
            v_excess * v_lease.excess_km_rate_minor, v_fixed + v_topup + v_excess * v_lease.excess_km_rate_minor,
            v_end + 10)
    RETURNING * INTO v_statement;
    RETURN v_statement;
END
$$;
COMMENT ON FUNCTION public.issue_lease_statement(uuid, date) IS
    'The month''s lease statement from the vehicle''s completed rides: fixed rent, guarantee top-up, excess mileage.';

-- Settles a statement: the fleet's payable pays the owner's the amount due, plus the late fee after the due date.
CREATE FUNCTION public.settle_lease_statement(p_statement_id uuid, p_at timestamptz DEFAULT now())
    RETURNS public.lease_statements
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_statement public.lease_statements;
    v_lease     public.vehicle_leases;
    v_late      bigint;
    v_entry     uuid;
BEGIN
    SELECT * INTO v_statement FROM public.lease_statements s WHERE s.id = p_statement_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Lease statement % not found.', p_statement_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF v_statement.status = 'paid' THEN
        RETURN v_statement;
    END IF;
    SELECT * INTO STRICT v_lease FROM public.vehicle_leases l WHERE l.id = v_statement.lease_id;
    v_late := CASE WHEN p_at::date > v_statement.due_on THEN v_lease.late_fee_minor ELSE 0 END;
    IF v_statement.due_minor + v_late > 0 THEN
        v_entry := public.post_entry('lease_payment', v_statement.currency,
            'Lease ' || v_lease.id || ' for ' || to_char(v_statement.period_start, 'YYYY-MM'), NULL, NULL, NULL,
            ARRAY[public.ledger_account('fleet', v_lease.fleet_company_id, 'payable', v_statement.currency),
                  public.ledger_account('vehicle_owner', v_lease.owner_user_id, 'payable', v_statement.currency)],
            ARRAY[v_statement.due_minor + v_late, -(v_statement.due_minor + v_late)]);
    END IF;
    UPDATE public.lease_statements s SET status = 'paid', late_fee_minor = v_late, entry_id = v_entry, settled_at = p_at
     WHERE s.id = p_statement_id RETURNING * INTO v_statement;
    RETURN v_statement;
END
$$;

-- The monthly lease billing job: issues last month's statement of every lease that ran then, and
-- settles every issued statement the fleet's earnings cover (with the late fee once past due; a
-- statement they do not cover waits for the next run).
CREATE FUNCTION public.run_lease_billing(p_at timestamptz DEFAULT now(), OUT issued integer, OUT settled integer,
                                         OUT waiting integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_month     date := (date_trunc('month', p_at) - interval '1 month')::date;
    v_lease     public.vehicle_leases;
    v_statement record;
    v_balance   bigint;
BEGIN
    issued := 0; settled := 0; waiting := 0;
    FOR v_lease IN SELECT * FROM public.vehicle_leases l
                    WHERE l.starts_on < v_month + interval '1 month' AND (l.ends_on IS NULL OR l.ends_on > v_month)
                      AND NOT EXISTS (SELECT FROM public.lease_statements s WHERE s.lease_id = l.id AND s.period_start = v_month)
    LOOP
        PERFORM public.issue_lease_statement(v_lease.id, v_month);
        issued := issued + 1;
    END LOOP;
    FOR v_statement IN SELECT s.id, s.due_minor, s.due_on, s.currency, l.fleet_company_id, l.late_fee_minor
                         FROM public.lease_statements s JOIN public.vehicle_leases l ON l.id = s.lease_id
                        WHERE s.status = 'issued' ORDER BY s.period_start FOR UPDATE OF s SKIP LOCKED
    LOOP
        v_balance := -coalesce((SELECT sum(jl.amount_minor) FROM public.journal_lines jl
                                 WHERE jl.account_id = public.ledger_account('fleet', v_statement.fleet_company_id,
                                                                               'payable', v_statement.currency)), 0);
        IF v_balance >= v_statement.due_minor
                        + (CASE WHEN p_at::date > v_statement.due_on THEN v_statement.late_fee_minor ELSE 0 END) THEN
            PERFORM public.settle_lease_statement(v_statement.id, p_at);
            settled := settled + 1;
        ELSE
            waiting := waiting + 1;
        END IF;
    END LOOP;
END
$$;

ALTER TABLE public.lease_statements ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.lease_statements FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.lease_statements TO fleet_admin, driver_user, customer_user, support_agent, system_admin;
CREATE POLICY lease_statements_select_fleet_admin ON public.lease_statements FOR SELECT TO fleet_admin
    USING (lease_id IN (SELECT l.id FROM public.vehicle_leases l WHERE l.fleet_company_id = (SELECT public.current_fleet_company_id())));
-- Owners (riders or drivers) see the statements of their own vehicles' leases.
CREATE POLICY lease_statements_select_driver_user ON public.lease_statements FOR SELECT TO driver_user
    USING (lease_id IN (SELECT l.id FROM public.vehicle_leases l WHERE l.owner_user_id = public.current_app_user_id()));
CREATE POLICY lease_statements_select_customer_user ON public.lease_statements FOR SELECT TO customer_user
    USING (lease_id IN (SELECT l.id FROM public.vehicle_leases l WHERE l.owner_user_id = public.current_app_user_id()));
CREATE POLICY lease_statements_select_support_agent ON public.lease_statements FOR SELECT TO support_agent USING (true);
CREATE POLICY lease_statements_select_system_admin ON public.lease_statements FOR SELECT TO system_admin USING (true);
CREATE POLICY lease_statements_all_owner ON public.lease_statements FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

REVOKE ALL ON FUNCTION public.issue_lease_statement(uuid, date), public.settle_lease_statement(uuid, timestamptz),
    public.run_lease_billing(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.issue_lease_statement(uuid, date), public.settle_lease_statement(uuid, timestamptz),
    public.run_lease_billing(timestamptz) TO system_admin;

SELECT audit.enable_audit('public.lease_statements');
