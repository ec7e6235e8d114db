-- Part 29 — lease payments and subscription charges are payments too.
--
-- Until now a settled lease statement and a subscription charge were ledger entries only (a successful
-- subscription charge also left an unlinked payment row; a failed one left nothing). Now each lease
-- settlement and each subscription charge attempt, failed ones included, is a row of public.payments
-- linked to its statement or subscription, and its ledger entry names the payment, so that
-- public.ledger_discrepancies() reconciles them like ride and hotel payments.
--
-- A lease payment's payer is the fleet (a company, not a user: payer_id is empty and
-- payer_fleet_company_id names it) and its payee the vehicle's owner. Both kinds are settled from
-- ledger balances, not through a processor (method 'wallet', processor 'earnings'): there is no card to
-- refund or charge back, so refunds and disputes of them are refused. Payment statuses now change only
-- by the spec's legal transitions, for every kind of payment.

-- ---------------------------------------------------------------------------------------------
-- Columns and the rules that tie a payment's type to its parties and reference
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.payments
    ALTER COLUMN payer_id DROP NOT NULL,
    ADD COLUMN payer_fleet_company_id uuid,
    ADD COLUMN payee_user_id uuid,
    ADD COLUMN lease_statement_id uuid,
    ADD COLUMN driver_subscription_id uuid,
    ADD CONSTRAINT payments_payer_fleet_fk FOREIGN KEY (payer_fleet_company_id) REFERENCES public.fleet_companies (id),
    ADD CONSTRAINT payments_payee_fk FOREIGN KEY (payee_user_id) REFERENCES public.users (id),
    ADD CONSTRAINT payments_lease_statement_fk FOREIGN KEY (lease_statement_id) REFERENCES public.lease_statements (id),
    ADD CONSTRAINT payments_subscription_fk FOREIGN KEY (driver_subscription_id) REFERENCES public.driver_subscriptions (id),
    ADD CONSTRAINT payments_one_payer_chk CHECK ((payer_id IS NULL) <> (payer_fleet_company_id IS NULL)),
    ADD CONSTRAINT payments_lease_ref_chk CHECK ((payment_type = 'vehicle_lease') = (lease_statement_id IS NOT NULL)),
    ADD CONSTRAINT payments_lease_payer_chk CHECK ((payment_type = 'vehicle_lease') = (payer_fleet_company_id IS NOT NULL)),
    ADD CONSTRAINT payments_lease_payee_chk CHECK ((payment_type = 'vehicle_lease') = (payee_user_id IS NOT NULL)),
    ADD CONSTRAINT payments_earnings_method_chk CHECK (payment_type NOT IN ('vehicle_lease', 'subscription')
                                                       OR (method = 'wallet' AND processor = 'earnings'));
-- Subscription payments made before this part carry their subscription only in their idempotency key;
-- part 30 links them and validates this constraint. New rows are checked from now on.
ALTER TABLE public.payments ADD CONSTRAINT payments_subscription_ref_chk
    CHECK ((payment_type = 'subscription') = (driver_subscription_id IS NOT NULL)) NOT VALID;
COMMENT ON COLUMN public.payments.payer_id IS 'The paying user (rider, guest, subscribing driver); empty when a fleet pays.';
COMMENT ON COLUMN public.payments.payer_fleet_company_id IS 'The paying fleet of a vehicle_lease payment.';
COMMENT ON COLUMN public.payments.payee_user_id IS 'The vehicle owner a vehicle_lease payment pays, as at the payment.';
COMMENT ON COLUMN public.payments.lease_statement_id IS 'The lease statement a vehicle_lease payment settles.';
COMMENT ON COLUMN public.payments.driver_subscription_id IS 'The driver subscription a subscription payment (or failed attempt) charges.';
COMMENT ON TABLE public.payments IS
    'Money paid: ride fares, hotel bookings (through processors), lease payments and driver subscriptions (from earnings).';
CREATE INDEX payments_fleet_created_idx ON public.payments (payer_fleet_company_id, created_at DESC)
    WHERE payer_fleet_company_id IS NOT NULL;
CREATE INDEX payments_payee_created_idx ON public.payments (payee_user_id, created_at DESC) WHERE payee_user_id IS NOT NULL;
CREATE INDEX payments_subscription_idx ON public.payments (driver_subscription_id) WHERE driver_subscription_id IS NOT NULL;
CREATE UNIQUE INDEX payments_one_per_lease_statement_key ON public.payments (lease_statement_id)
    WHERE lease_statement_id IS NOT NULL AND status <> 'failed';

-- The archive keeps the live table's shape (references without foreign keys, as for bookings).
ALTER TABLE archive.payments
    ALTER COLUMN payer_id DROP NOT NULL,
    ADD COLUMN payer_fleet_company_id uuid,
    ADD COLUMN payee_user_id uuid,
    ADD COLUMN lease_statement_id uuid,
    ADD COLUMN driver_subscription_id uuid,
    ADD CONSTRAINT payments_one_payer_chk CHECK ((payer_id IS NULL) <> (payer_fleet_company_id IS NULL)),
    ADD CONSTRAINT payments_lease_ref_chk CHECK ((payment_type = 'vehicle_lease') = (lease_statement_id IS NOT NULL)),
    ADD CONSTRAINT payments_lease_payer_chk CHECK ((payment_type = 'vehicle_lease') = (payer_fleet_company_id IS NOT NULL)),
    ADD CONSTRAINT payments_lease_payee_chk CHECK ((payment_type = 'vehicle_lease') = (payee_user_id IS NOT NULL)),
    ADD CONSTRAINT payments_earnings_method_chk CHECK (payment_type NOT IN ('vehicle_lease', 'subscription')
                                                       OR (method = 'wallet' AND processor = 'earnings'));
ALTER TABLE archive.payments ADD CONSTRAINT payments_subscription_ref_chk
    CHECK ((payment_type = 'subscription') = (driver_subscription_id IS NOT NULL)) NOT VALID;

-- ---------------------------------------------------------------------------------------------
-- Legal status transitions (the spec's statuses). The functions that move money only make these;
-- the trigger keeps any future writer to them too. Unchanged status is always allowed.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.payment_transition_allowed(p_from public.payment_status, p_to public.payment_status) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog
AS $$
    SELECT p_from = p_to OR (p_from::text, p_to::text) IN (
        ('pending', 'processing'), ('pending', 'completed'), ('pending', 'failed'),
        ('processing', 'completed'), ('processing', 'failed'),
        ('completed', 'refunded'), ('completed', 'disputed'),
        ('refunded', 'disputed'),                               -- a partly refunded payment can still be charged back
        ('disputed', 'completed'), ('disputed', 'refunded'))   -- won, lost (or won after a full refund)
$$;
COMMENT ON FUNCTION public.payment_transition_allowed(public.payment_status, public.payment_status) IS
    'Whether a payment may go from one status to another; failed is final.';

CREATE FUNCTION public.payments_apply_transition() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT public.payment_transition_allowed(OLD.status, NEW.status) THEN
        RAISE EXCEPTION 'A payment cannot go from % to %.', OLD.status, NEW.status
            USING ERRCODE = 'VR409', HINT = 'illegal-payment-transition';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER payments_apply_transition BEFORE UPDATE OF status ON public.payments
    FOR EACH ROW EXECUTE FUNCTION public.payments_apply_transition();

-- Payments settled from earnings moved money between payees' ledger accounts, not through a
-- processor: nothing can be refunded to a card or charged back. Refused before refund_payment or
-- open_dispute changes anything (their insert is their first write).
CREATE FUNCTION public.refuse_earnings_payment_reversal() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF EXISTS (SELECT FROM public.payments p WHERE p.id = NEW.payment_id AND p.processor = 'earnings') THEN
        RAISE EXCEPTION 'Payment % was settled from earnings; it is neither refunded nor disputed.', NEW.payment_id
            USING ERRCODE = 'VR409', HINT = 'settled-from-earnings';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER refunds_not_of_earnings_payments BEFORE INSERT ON public.refunds
    FOR EACH ROW EXECUTE FUNCTION public.refuse_earnings_payment_reversal();
CREATE TRIGGER payment_disputes_not_of_earnings_payments BEFORE INSERT ON public.payment_disputes
    FOR EACH ROW EXECUTE FUNCTION public.refuse_earnings_payment_reversal();

-- ---------------------------------------------------------------------------------------------
-- Subscription charges: every attempt is a payment; a failed one is a failed payment (no entry).
-- As part 18's function otherwise.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.charge_subscription_period(p_subscription public.driver_subscriptions, p_at timestamptz)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_driver   public.drivers;
    v_currency char(3);
    v_price    bigint;
    v_payable  uuid;
    v_balance  bigint;
    v_covered  boolean;
    v_payment  uuid;
BEGIN
    SELECT * INTO STRICT v_driver FROM public.drivers d WHERE d.id = p_subscription.driver_id;
    SELECT c.currency INTO STRICT v_currency FROM public.city_settings c WHERE c.city = v_driver.city;
    SELECT public.convert_minor(p.monthly_price_minor, p.currency, v_currency, p_at) INTO STRICT v_price
      FROM public.subscription_plans p WHERE p.tier = p_subscription.tier AND p.currency = p_subscription.currency;
    v_payable := public.ledger_account('driver', v_driver.id, 'payable', v_currency);
    PERFORM FROM public.ledger_accounts a WHERE a.id = v_payable FOR UPDATE;
    v_balance := -coalesce((SELECT sum(l.amount_minor) FROM public.journal_lines l WHERE l.account_id = v_payable), 0);
    v_covered := v_balance >= v_price;
    INSERT INTO public.payments (payer_id, payment_type, driver_subscription_id, amount_minor, currency, status, method,
                                 processor, failure_reason, authorized_at, completed_at, failed_at, idempotency_key)
    VALUES (v_driver.user_id, 'subscription', p_subscription.id, v_price, v_currency,
            CASE WHEN v_covered THEN 'completed' ELSE 'failed' END::public.payment_status, 'wallet', 'earnings',
            CASE WHEN NOT v_covered THEN 'insufficient-earnings' END,
            CASE WHEN v_covered THEN p_at END, CASE WHEN v_covered THEN p_at END, CASE WHEN NOT v_covered THEN p_at END,
            CASE WHEN v_covered THEN 'subscription:' || p_subscription.id || ':' || p_subscription.current_period_end END)
    RETURNING id INTO v_payment;
    IF NOT v_covered THEN
        RETURN false;
    END IF;
    PERFORM public.post_entry('subscription_fee', v_currency,
        'Subscription ' || p_subscription.tier || ' from ' || p_subscription.current_period_end,
        v_payment, NULL, NULL,
        ARRAY[v_payable, public.ledger_account('platform', NULL, 'subscription_revenue', v_currency)],
        ARRAY[v_price, -v_price]);
    RETURN true;
END
$$;
COMMENT ON FUNCTION public.charge_subscription_period(public.driver_subscriptions, timestamptz) IS
    'Charges one subscription period from the driver''s earnings: a completed payment and its entry, or a failed payment.';

-- ---------------------------------------------------------------------------------------------
-- Lease settlements: a completed payment from the fleet to the owner, and the entry that names it.
-- As part 19's function otherwise.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.settle_lease_statement(p_statement_id uuid, p_at timestamptz DEFAULT now())
    RETURNS public.lease_statements
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_statement public.lease_statements;
    v_lease     public.vehicle_leases;
    v_late      bigint;
    v_payment   uuid;
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
        INSERT INTO public.payments (payer_fleet_company_id, payee_user_id, payment_type, lease_statement_id, amount_minor,
                                     currency, status, method, processor, authorized_at, completed_at)
        VALUES (v_lease.fleet_company_id, v_lease.owner_user_id, 'vehicle_lease', p_statement_id,
                v_statement.due_minor + v_late, v_statement.currency, 'completed', 'wallet', 'earnings', p_at, p_at)
        RETURNING id INTO v_payment;
        v_entry := public.post_entry('lease_payment', v_statement.currency,
            'Lease ' || v_lease.id || ' for ' || to_char(v_statement.period_start, 'YYYY-MM'), v_payment, NULL, NULL,
            ARRAY[public.ledger_account('fleet', v_lease.fleet_company_id, 'payable', v_statement.currency),
                  public.ledger_account('vehicle_owner', v_lease.owner_user_id, 'payable', v_statement.currency)],
            ARRAY[v_statement.due_minor + v_late, -(v_statement.due_minor + v_late)]);
    END IF;
    UPDATE public.lease_statements s SET status = 'paid', late_fee_minor = v_late, entry_id = v_entry, settled_at = p_at
     WHERE s.id = p_statement_id RETURNING * INTO v_statement;
    RETURN v_statement;
END
$$;
COMMENT ON FUNCTION public.settle_lease_statement(uuid, timestamptz) IS
    'Settles a lease statement: the fleet pays the owner the amount due (plus the late fee) as a payment and its entry.';

-- ---------------------------------------------------------------------------------------------
-- Reconciliation, for every kind of payment: each entry balances; each completed ride has a payment;
-- each payment that is not failed has its sale entry (fare, booking, subscription fee, lease payment)
-- for exactly its amount, and a failed one has none; each refunded minor unit has its reversal.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.ledger_discrepancies(p_since timestamptz)
    RETURNS TABLE (kind text, reference uuid, detail text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    WITH recent AS (
        SELECT p.id, p.status, p.amount_minor, p.refunded_minor,
               CASE p.payment_type WHEN 'subscription' THEN 'subscription_fee' WHEN 'vehicle_lease' THEN 'lease_payment'
                                   ELSE p.payment_type END AS sale_entry_type
          FROM public.payments p
         WHERE p.created_at >= p_since)
    SELECT 'unbalanced_entry', e.id, 'lines sum to ' || sum(l.amount_minor)
      FROM public.journal_entries e JOIN public.journal_lines l ON l.entry_id = e.id
     WHERE e.posted_at >= p_since
     GROUP BY e.id HAVING sum(l.amount_minor) <> 0
    UNION ALL
    SELECT 'ride_without_payment', r.id, 'completed at ' || r.completed_at
      FROM public.rides r
     WHERE r.status = 'completed' AND r.completed_at >= p_since AND r.requested_at >= p_since - interval '1 day'
       AND NOT EXISTS (SELECT FROM public.payments p WHERE p.ride_id = r.id AND p.ride_requested_at = r.requested_at)
    UNION ALL
    SELECT 'payment_without_entry', p.id, 'status ' || p.status
      FROM recent p
     WHERE p.status <> 'failed'
       AND NOT EXISTS (SELECT FROM public.journal_entries e WHERE e.payment_id = p.id AND e.entry_type = p.sale_entry_type)
    UNION ALL
    SELECT 'entry_amount_mismatch', p.id, 'paid ' || p.amount_minor || ' (' || p.status || '), posted ' || x.posted
      FROM recent p
      JOIN LATERAL (SELECT sum(l.amount_minor) AS posted
                      FROM public.journal_entries e JOIN public.journal_lines l ON l.entry_id = e.id
                     WHERE e.payment_id = p.id AND e.entry_type = p.sale_entry_type AND l.amount_minor > 0) x
        ON x.posted IS NOT NULL
     WHERE x.posted <> CASE WHEN p.status = 'failed' THEN 0 ELSE p.amount_minor END
    UNION ALL
    SELECT 'refund_without_reversal', p.id, 'refunded ' || p.refunded_minor || ', reversed ' || coalesce(x.reversed, 0)
      FROM recent p
      LEFT JOIN LATERAL (SELECT sum(l.amount_minor) AS reversed
                           FROM public.journal_entries e JOIN public.journal_lines l ON l.entry_id = e.id
                          WHERE e.payment_id = p.id AND e.entry_type IN ('refund', 'chargeback') AND l.amount_minor > 0) x ON true
     WHERE p.refunded_minor <> coalesce(x.reversed, 0)
$$;
COMMENT ON FUNCTION public.ledger_discrepancies(timestamptz) IS
    'Reconciliation: unbalanced entries, completed rides without payment, payments without (or with a wrong) sale '
    'entry, unreversed refunds — for rides, hotel bookings, lease payments and subscriptions.';

-- ---------------------------------------------------------------------------------------------
-- Who sees lease and subscription payments: the paying fleet's admins and the vehicle's owner (a
-- rider or a driver) their lease payments; the driver his subscription payments; staff as before.
-- ---------------------------------------------------------------------------------------------
GRANT SELECT ON public.payments TO fleet_admin, driver_user;
GRANT SELECT (payer_fleet_company_id, payee_user_id, lease_statement_id, driver_subscription_id)
    ON public.payments TO support_agent;
CREATE POLICY payments_select_fleet_admin ON public.payments FOR SELECT TO fleet_admin
    USING (payer_fleet_company_id = (SELECT public.current_fleet_company_id()));
CREATE POLICY payments_select_driver_user ON public.payments FOR SELECT TO driver_user
    USING (payer_id = (SELECT public.current_app_user_id()) OR payee_user_id = (SELECT public.current_app_user_id()));
-- A rider who leases a vehicle to a fleet is paid by it (riders' own payments: part 07's policy).
CREATE POLICY payments_select_customer_user_payee ON public.payments FOR SELECT TO customer_user
    USING (payee_user_id = (SELECT public.current_app_user_id()));

REVOKE ALL ON FUNCTION public.payment_transition_allowed(public.payment_status, public.payment_status),
    public.payments_apply_transition(), public.refuse_earnings_payment_reversal() FROM PUBLIC;
