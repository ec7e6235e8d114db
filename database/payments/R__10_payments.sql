-- R__10_payments.sql — the money functions: payments and their legal transitions, the ledger (every
-- movement is a journal entry whose lines sum to zero, checked at commit; entries are never changed or
-- deleted — a correction is a new entry), refunds, disputes, payouts with their dispute hold,
-- subscription billing, lease statements and period close; and the policies and grants of the money
-- tables. Posting happens only inside SECURITY DEFINER functions owned by the schema owner; no role may
-- write the ledger.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'public.payments',
    'public.payment_methods',
    'public.ride_earnings',
    'public.ledger_accounts',
    'public.journal_entries',
    'public.journal_lines',
    'public.refunds',
    'public.payment_disputes',
    'public.processor_events',
    'public.payout_minimums',
    'public.payouts',
    'public.subscription_plans',
    'public.subscription_plan_prices',
    'public.driver_subscriptions',
    'public.lease_statements',
    'public.ledger_books',
    'public.ledger_period_balances');

-- How a completed ride's fare is shared, to the minor unit:
--   platform commission = round(fare × rate), rate from public.commission_rate();
--   of the rest, a leased vehicle's owner takes the lease's revenue share; of what remains, a fleet
--   driver's fleet takes its contracted share; the driver keeps the remainder.
-- Each share is rounded half-up and the driver's is the difference, so the shares add up exactly.
CREATE OR REPLACE FUNCTION public.settle_ride_earnings(p_ride public.rides) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_driver     public.drivers;
    v_lease      public.vehicle_leases;
    v_fleet      public.fleet_companies;
    v_rate       record;
    v_commission bigint;
    v_rest       bigint;
    v_owner      bigint := 0;
    v_fleet_cut  bigint := 0;
    v_rule       text;
BEGIN
    SELECT * INTO STRICT v_driver FROM public.drivers d WHERE d.id = p_ride.driver_id;
    SELECT * INTO STRICT v_rate FROM public.commission_rate(p_ride.customer_tier,
        CASE WHEN v_driver.subscription_expires_at > now() THEN v_driver.subscription_tier::text END);
    v_commission := round(p_ride.final_fare_minor * v_rate.rate_bp / 10000.0);
    v_rest := p_ride.final_fare_minor - v_commission;
    v_rule := v_rate.rule;
    SELECT * INTO v_lease FROM public.vehicle_leases l
     WHERE l.vehicle_id = p_ride.vehicle_id AND l.status = 'active' AND l.revenue_share_bp > 0
       AND l.starts_on <= current_date AND (l.ends_on IS NULL OR l.ends_on > current_date);
    IF FOUND THEN
        v_owner := round(v_rest * v_lease.revenue_share_bp / 10000.0);
        v_rule := v_rule || format('; lease %s: owner %s bp of the rest', v_lease.id, v_lease.revenue_share_bp);
    END IF;
    IF p_ride.fleet_company_id IS NOT NULL THEN
        SELECT * INTO STRICT v_fleet FROM public.fleet_companies f WHERE f.id = p_ride.fleet_company_id;
        v_fleet_cut := round((v_rest - v_owner) * v_fleet.driver_revenue_share_bp / 10000.0);
        v_rule := v_rule || format('; fleet %s bp of the driver side', v_fleet.driver_revenue_share_bp);
    END IF;
    INSERT INTO public.ride_earnings (ride_id, ride_requested_at, driver_id, fleet_company_id, vehicle_owner_id, currency,
                                      fare_minor, commission_rate_bp, commission_rule, platform_commission_minor,
                                      driver_share_minor, fleet_share_minor, owner_share_minor)
    VALUES (p_ride.id, p_ride.requested_at, p_ride.driver_id, p_ride.fleet_company_id,
            CASE WHEN v_owner > 0 THEN v_lease.owner_user_id END, p_ride.currency, p_ride.final_fare_minor,
            v_rate.rate_bp, v_rule, v_commission, v_rest - v_owner - v_fleet_cut, v_fleet_cut, v_owner);
END
$$;

-- Checked at commit, once every line is in: each entry sums to zero in its own currency. As the owner:
-- at commit the trigger runs with the rights of whoever's transaction posted, who may not read the ledger.
CREATE OR REPLACE FUNCTION public.journal_entry_must_balance() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_sum      numeric;
    v_foreign  boolean;
BEGIN
    SELECT sum(l.amount_minor), bool_or(a.currency <> e.currency) INTO v_sum, v_foreign
      FROM public.journal_lines l
      JOIN public.ledger_accounts a ON a.id = l.account_id
      JOIN public.journal_entries e ON e.id = l.entry_id
     WHERE l.entry_id = NEW.entry_id;
    IF v_sum <> 0 OR v_foreign THEN
        RAISE EXCEPTION 'Journal entry % does not balance in its currency (sum %).', NEW.entry_id, v_sum
            USING ERRCODE = 'VR500', HINT = 'unbalanced-entry';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION public.ledger_is_append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    RAISE EXCEPTION 'Posted ledger records are never changed; post a correcting entry.'
        USING ERRCODE = 'VR409', HINT = 'ledger-immutable';
END
$$;

-- The account of a holder for a purpose and currency, created on first use.
CREATE OR REPLACE FUNCTION public.ledger_account(p_kind text, p_holder uuid, p_purpose text, p_currency char(3)) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_id uuid;
BEGIN
    SELECT a.id INTO v_id FROM public.ledger_accounts a
     WHERE a.holder_kind = p_kind AND a.holder_id IS NOT DISTINCT FROM p_holder AND a.purpose = p_purpose
       AND a.currency = p_currency;
    IF v_id IS NULL THEN
        INSERT INTO public.ledger_accounts (holder_kind, holder_id, purpose, currency)
        VALUES (p_kind, p_holder, p_purpose, p_currency)
        ON CONFLICT DO NOTHING RETURNING id INTO v_id;
        IF v_id IS NULL THEN  -- created concurrently
            SELECT a.id INTO STRICT v_id FROM public.ledger_accounts a
             WHERE a.holder_kind = p_kind AND a.holder_id IS NOT DISTINCT FROM p_holder AND a.purpose = p_purpose
               AND a.currency = p_currency;
        END IF;
    END IF;
    RETURN v_id;
END
$$;

-- Posts one entry from (account, amount) pairs; zero amounts are left out.
CREATE OR REPLACE FUNCTION public.post_entry(p_type text, p_currency char(3), p_description text, p_payment_id uuid,
                                  p_ride_id uuid, p_ride_requested_at timestamptz, p_accounts uuid[], p_amounts bigint[])
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_entry uuid;
BEGIN
    INSERT INTO public.journal_entries (entry_type, currency, description, payment_id, ride_id, ride_requested_at)
    VALUES (p_type, p_currency, p_description, p_payment_id, p_ride_id, p_ride_requested_at)
    RETURNING id INTO v_entry;
    INSERT INTO public.journal_lines (entry_id, line_no, account_id, amount_minor, posted_at)
    SELECT v_entry, row_number() OVER (ORDER BY l.ord), l.account_id, l.amount, now()
      FROM unnest(p_accounts, p_amounts) WITH ORDINALITY AS l (account_id, amount, ord)
     WHERE l.amount <> 0;
    RETURN v_entry;
END
$$;

-- The fare's journal entry: the processor owes us the fare (or, for cash, the driver holds it; for a
-- ride billed to a hotel, the hotel's partner balance is charged), which is owed on to each share's
-- holder as ride_earnings split it. A ride billed to a hotel is paid with hotel_account and nothing else,
-- and only such a ride is: the hotel is the payer, never the guest.
CREATE OR REPLACE FUNCTION public.record_ride_payment(p_ride_id uuid, p_requested_at timestamptz, p_method text,
                                           p_processor text, p_reference text, p_fee_minor bigint,
                                           p_succeeded boolean, p_failure text)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_ride     public.rides;
    v_earning  public.ride_earnings;
    v_payment  uuid;
    v_cur      char(3);
    v_source   uuid;
    v_hotel    uuid;
BEGIN
    SELECT * INTO v_ride FROM public.rides r
     WHERE r.id = p_ride_id AND r.requested_at = p_requested_at AND r.status = 'completed'
       AND r.driver_id = public.current_driver_id();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Ride % is not a completed ride of yours.', p_ride_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    v_hotel := public.hotel_billed_ride(p_ride_id, p_requested_at);
    IF (v_hotel IS NOT NULL) <> (p_method = 'hotel_account') THEN
        RAISE EXCEPTION 'A ride billed to a hotel is paid from the hotel''s account, and only such a ride.'
            USING ERRCODE = 'VR409', HINT = 'hotel-billed-ride';
    END IF;
    SELECT * INTO STRICT v_earning FROM public.ride_earnings e
     WHERE e.ride_id = p_ride_id AND e.ride_requested_at = p_requested_at;
    v_cur := v_ride.currency;
    INSERT INTO public.payments (payer_id, payer_hotel_id, payment_type, ride_id, ride_requested_at, amount_minor, currency, status,
                                 method, processor, processor_reference, processor_fee_minor, failure_reason,
                                 authorized_at, completed_at, failed_at)
    VALUES (CASE WHEN v_hotel IS NULL THEN v_ride.customer_id END, v_hotel, 'ride_fare', p_ride_id, p_requested_at,
            v_ride.final_fare_minor, v_cur,
            CASE WHEN p_succeeded THEN 'completed' ELSE 'failed' END::public.payment_status, p_method, p_processor,
            p_reference, CASE WHEN p_succeeded AND v_hotel IS NULL THEN p_fee_minor ELSE 0 END, p_failure,
            now(), CASE WHEN p_succeeded THEN now() END, CASE WHEN NOT p_succeeded THEN now() END)
    RETURNING id INTO v_payment;
    IF NOT p_succeeded THEN
        RETURN v_payment;
    END IF;
    v_source := CASE WHEN v_hotel IS NOT NULL THEN public.ledger_account('hotel', v_hotel, 'payable', v_cur)
                     WHEN p_method = 'cash' THEN public.ledger_account('driver', v_ride.driver_id, 'payable', v_cur)
                     ELSE public.ledger_account('platform', NULL, 'processor_receivable', v_cur) END;
    PERFORM public.post_entry('ride_fare', v_cur, 'Fare of ride ' || p_ride_id, v_payment, p_ride_id, p_requested_at,
        ARRAY[v_source,
              public.ledger_account('platform', NULL, 'commission_revenue', v_cur),
              public.ledger_account('driver', v_earning.driver_id, 'payable', v_cur),
              CASE WHEN v_earning.fleet_share_minor > 0
                   THEN public.ledger_account('fleet', v_earning.fleet_company_id, 'payable', v_cur) END,
              CASE WHEN v_earning.owner_share_minor > 0
                   THEN public.ledger_account('vehicle_owner', v_earning.vehicle_owner_id, 'payable', v_cur) END],
        ARRAY[v_earning.fare_minor, -v_earning.platform_commission_minor, -v_earning.driver_share_minor,
              -v_earning.fleet_share_minor, -v_earning.owner_share_minor]);
    IF p_fee_minor > 0 AND p_method NOT IN ('cash', 'hotel_account') THEN
        PERFORM public.post_entry('processor_fee', v_cur, 'Processor fee of payment ' || v_payment, v_payment,
            p_ride_id, p_requested_at,
            ARRAY[public.ledger_account('platform', NULL, 'processor_fees', v_cur),
                  public.ledger_account('platform', NULL, 'processor_receivable', v_cur)],
            ARRAY[p_fee_minor, -p_fee_minor]);
    END IF;
    RETURN v_payment;
END
$$;

-- The instrument a completed ride is charged to: the hotel's account when the ride is billed to a hotel,
-- else the rider's most recent saved one, or cash. Only the ride's driver asks, inside the completion;
-- the vault token is the processor's reference, not a card.
CREATE OR REPLACE FUNCTION public.ride_payment_instrument(p_ride_id uuid, p_requested_at timestamptz,
                                               OUT method text, OUT processor text, OUT processor_token text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT CASE WHEN h.hotel_id IS NOT NULL THEN 'hotel_account' ELSE coalesce(m.method, 'cash') END,
           CASE WHEN h.hotel_id IS NOT NULL THEN 'hotel_account' ELSE coalesce(m.processor, 'cash') END,
           CASE WHEN h.hotel_id IS NULL THEN m.processor_token END
      FROM public.rides r
      LEFT JOIN LATERAL (SELECT public.hotel_billed_ride(r.id, r.requested_at) AS hotel_id) h ON true
      LEFT JOIN LATERAL (SELECT pm.method, pm.processor, pm.processor_token FROM public.payment_methods pm
                          WHERE pm.user_id = r.customer_id AND h.hotel_id IS NULL
                          ORDER BY pm.created_at DESC LIMIT 1) m ON true
     WHERE r.id = p_ride_id AND r.requested_at = p_requested_at AND r.driver_id = public.current_driver_id()
$$;

-- Reverses p_amount of a payment's sale entry (a ride's fare, a hotel booking), share by share in proportion.
CREATE OR REPLACE FUNCTION public.reverse_fare_share(p_payment public.payments, p_amount bigint, p_type text, p_description text)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_accounts uuid[];
    v_amounts  bigint[];
BEGIN
    -- Each credit line of the fare entry gives back floor(share × amount / fare); the leftover minor
    -- units go to the largest remainders; the money returns from the processor (or the cash holder).
    WITH credits AS (
        SELECT l.account_id, -l.amount_minor AS share, l.line_no
          FROM public.journal_lines l JOIN public.journal_entries e ON e.id = l.entry_id
         WHERE e.payment_id = p_payment.id AND e.entry_type IN ('ride_fare', 'hotel_booking') AND l.amount_minor < 0),
    parts AS (
        SELECT account_id, line_no, (share * p_amount) / p_payment.amount_minor AS base,
               (share * p_amount) % p_payment.amount_minor AS remainder FROM credits),
    ranked AS (
        SELECT account_id, base, row_number() OVER (ORDER BY remainder DESC, line_no) AS rank,
               p_amount - sum(base) OVER () AS leftover FROM parts)
    SELECT array_agg(account_id ORDER BY rank), array_agg(base + CASE WHEN rank <= leftover THEN 1 ELSE 0 END ORDER BY rank)
      INTO v_accounts, v_amounts FROM ranked;
    v_accounts := v_accounts || (SELECT l.account_id FROM public.journal_lines l JOIN public.journal_entries e ON e.id = l.entry_id
                                  WHERE e.payment_id = p_payment.id AND e.entry_type IN ('ride_fare', 'hotel_booking') AND l.amount_minor > 0);
    v_amounts := v_amounts || (-p_amount);
    RETURN public.post_entry(p_type, p_payment.currency, p_description, p_payment.id, p_payment.ride_id,
                             p_payment.ride_requested_at, v_accounts, v_amounts);
END
$$;

CREATE OR REPLACE FUNCTION public.refund_payment(p_payment_id uuid, p_amount bigint, p_reason text, p_idempotency_key text)
    RETURNS public.refunds
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_payment public.payments;
    v_refund  public.refunds;
BEGIN
    IF p_amount IS NULL OR p_amount <= 0 THEN
        RAISE EXCEPTION 'A refund must be a positive amount.' USING ERRCODE = 'VR400', HINT = 'invalid-amount';
    END IF;
    SELECT * INTO v_payment FROM public.payments p WHERE p.id = p_payment_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Payment % not found.', p_payment_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF p_idempotency_key IS NOT NULL THEN
        SELECT * INTO v_refund FROM public.refunds r WHERE r.payment_id = p_payment_id AND r.idempotency_key = p_idempotency_key;
        IF FOUND THEN
            RETURN v_refund;
        END IF;
    END IF;
    IF v_payment.status NOT IN ('completed', 'refunded') THEN
        RAISE EXCEPTION 'Only a completed payment can be refunded (this one is %).', v_payment.status
            USING ERRCODE = 'VR409', HINT = 'payment-not-refundable';
    END IF;
    IF p_amount > v_payment.amount_minor - v_payment.refunded_minor THEN
        RAISE EXCEPTION 'At most % can still be refunded.', v_payment.amount_minor - v_payment.refunded_minor
            USING ERRCODE = 'VR422', HINT = 'refund-exceeds-payment';
    END IF;
    INSERT INTO public.refunds (payment_id, amount_minor, currency, reason, requested_by, idempotency_key)
    VALUES (p_payment_id, p_amount, v_payment.currency, p_reason, public.current_app_user_id(), p_idempotency_key)
    RETURNING * INTO v_refund;
    UPDATE public.payments p SET refunded_minor = p.refunded_minor + p_amount,
                                 status = CASE WHEN p.refunded_minor + p_amount = p.amount_minor THEN 'refunded' ELSE p.status END
     WHERE p.id = p_payment_id;
    IF v_payment.payment_type IN ('ride_fare', 'hotel_booking') THEN
        PERFORM public.reverse_fare_share(v_payment, p_amount, 'refund', 'Refund ' || v_refund.id);
    END IF;
    RETURN v_refund;
END
$$;

CREATE OR REPLACE FUNCTION public.open_dispute(p_payment_id uuid, p_amount bigint, p_reason text) RETURNS public.payment_disputes
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_payment public.payments;
    v_dispute public.payment_disputes;
BEGIN
    SELECT * INTO v_payment FROM public.payments p WHERE p.id = p_payment_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Payment % not found.', p_payment_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF v_payment.status NOT IN ('completed', 'refunded') OR p_amount <= 0
       OR p_amount > v_payment.amount_minor - v_payment.refunded_minor THEN
        RAISE EXCEPTION 'This payment cannot be disputed for that amount.' USING ERRCODE = 'VR409', HINT = 'not-disputable';
    END IF;
    INSERT INTO public.payment_disputes (payment_id, amount_minor, reason) VALUES (p_payment_id, p_amount, p_reason)
    RETURNING * INTO v_dispute;
    UPDATE public.payments p SET status = 'disputed' WHERE p.id = p_payment_id;
    RETURN v_dispute;
END
$$;

CREATE OR REPLACE FUNCTION public.resolve_dispute(p_dispute_id uuid, p_status text) RETURNS public.payment_disputes
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_dispute public.payment_disputes;
    v_payment public.payments;
BEGIN
    SELECT * INTO v_dispute FROM public.payment_disputes d WHERE d.id = p_dispute_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Dispute % not found.', p_dispute_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF NOT ((v_dispute.status = 'open' AND p_status IN ('under_review', 'won', 'lost'))
            OR (v_dispute.status = 'under_review' AND p_status IN ('won', 'lost'))) THEN
        RAISE EXCEPTION 'A dispute cannot go from % to %.', v_dispute.status, p_status
            USING ERRCODE = 'VR409', HINT = 'illegal-transition';
    END IF;
    SELECT * INTO STRICT v_payment FROM public.payments p WHERE p.id = v_dispute.payment_id FOR UPDATE;
    UPDATE public.payment_disputes d SET status = p_status,
                                         resolved_at = CASE WHEN p_status IN ('won', 'lost') THEN now() END
     WHERE d.id = p_dispute_id RETURNING * INTO v_dispute;
    IF p_status = 'won' THEN
        UPDATE public.payments p
           SET status = CASE WHEN p.refunded_minor = p.amount_minor THEN 'refunded' ELSE 'completed' END::public.payment_status
         WHERE p.id = v_payment.id;
    ELSIF p_status = 'lost' THEN
        UPDATE public.payments p SET refunded_minor = p.refunded_minor + v_dispute.amount_minor,
                                     status = 'refunded'
         WHERE p.id = v_payment.id;
        IF v_payment.payment_type IN ('ride_fare', 'hotel_booking') THEN
            PERFORM public.reverse_fare_share(v_payment, v_dispute.amount_minor, 'chargeback', 'Chargeback ' || v_dispute.id);
        END IF;
    END IF;
    RETURN v_dispute;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Privileges. Nobody writes the ledger except through the functions above; payees read their own
-- accounts and lines, finance-minded staff (support_agent, system_admin, audit_admin) read all.
-- ---------------------------------------------------------------------------------------------
-- One PL/pgSQL query (its plan cached for the session) rather than a SQL function calling three
-- SECURITY DEFINER helpers: a payee's query evaluates this three times (its WHERE and two policies), and
-- the ledger-statement benchmark measured ~0.25 ms a call the other way.
CREATE OR REPLACE FUNCTION public.current_payee_ids() RETURNS uuid[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_user uuid := public.current_app_user_id();
BEGIN
    IF v_user IS NULL THEN
        RETURN '{}';
    END IF;
    RETURN array_remove(ARRAY[v_user,
        (SELECT d.id FROM public.drivers d WHERE d.user_id = v_user AND d.deleted_at IS NULL),
        (SELECT fa.fleet_company_id FROM public.fleet_admins fa WHERE fa.user_id = v_user),
        (SELECT m.hotel_id FROM public.hotel_staff_members m WHERE m.user_id = v_user)], NULL);
END
$$;

-- Payees holding an open or under-review dispute: a lost dispute takes money back from them.
CREATE OR REPLACE FUNCTION public.payees_on_hold() RETURNS TABLE (account_id uuid)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT DISTINCT l.account_id
      FROM public.payment_disputes d
      JOIN public.journal_entries e ON e.payment_id = d.payment_id AND e.entry_type IN ('ride_fare', 'hotel_booking')
      JOIN public.journal_lines l ON l.entry_id = e.id AND l.amount_minor < 0
     WHERE d.status IN ('open', 'under_review')
$$;

-- Pays every payable balance at or above its currency's minimum, except those on hold. One entry per
-- payout: the payee's payable is debited, the funds held at the processor credited. Cluster-safe: the
-- accounts are locked, and a second run finds the balances already paid.
CREATE OR REPLACE FUNCTION public.run_payouts(OUT payouts_made integer, OUT paid_minor bigint, OUT held integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_account record;
    v_entry   uuid;
BEGIN
    payouts_made := 0; paid_minor := 0;
    SELECT count(*) INTO held FROM public.payees_on_hold();
    FOR v_account IN
        SELECT a.id, a.holder_kind, a.holder_id, a.currency
          FROM public.ledger_accounts a
         WHERE a.purpose = 'payable'
           AND a.id NOT IN (SELECT h.account_id FROM public.payees_on_hold() h)
         ORDER BY a.id
           FOR UPDATE SKIP LOCKED
    LOOP
        DECLARE
            v_balance bigint := -coalesce((SELECT sum(l.amount_minor) FROM public.journal_lines l
                                            WHERE l.account_id = v_account.id), 0);
        BEGIN
            CONTINUE WHEN v_balance < (SELECT m.minimum_minor FROM public.payout_minimums m WHERE m.currency = v_account.currency);
            v_entry := public.post_entry('payout', v_account.currency, 'Payout to ' || v_account.holder_kind || ' ' || v_account.holder_id,
                NULL, NULL, NULL,
                ARRAY[v_account.id, public.ledger_account('platform', NULL, 'processor_receivable', v_account.currency)],
                ARRAY[v_balance, -v_balance]);
            INSERT INTO public.payouts (account_id, holder_kind, holder_id, currency, amount_minor, entry_id)
            VALUES (v_account.id, v_account.holder_kind, v_account.holder_id, v_account.currency, v_balance, v_entry);
            payouts_made := payouts_made + 1;
            paid_minor := paid_minor + v_balance;
        END;
    END LOOP;
END
$$;

-- The monthly billing pass (a scheduled job; cluster-safe with SKIP LOCKED). A due subscription is
-- charged and renewed; a failed charge makes it past_due with a grace period of p_grace, retried every
-- p_retry; when the grace period runs out it expires and the driver loses the tier.
CREATE OR REPLACE FUNCTION public.bill_subscriptions(p_at timestamptz DEFAULT now(), p_grace interval DEFAULT '7 days',
                                          p_retry interval DEFAULT '1 day',
                                          OUT renewed integer, OUT failed integer, OUT expired integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_sub public.driver_subscriptions;
BEGIN
    renewed := 0; failed := 0; expired := 0;
    FOR v_sub IN SELECT * FROM public.driver_subscriptions s
                  WHERE s.status IN ('active', 'past_due') AND s.next_billing_at <= p_at
                  ORDER BY s.next_billing_at FOR UPDATE SKIP LOCKED LOOP
        IF public.charge_subscription_period(v_sub, p_at) THEN
            UPDATE public.driver_subscriptions s
               SET status = 'active', grace_until = NULL, failed_attempts = 0,
                   current_period_end = s.current_period_end + interval '1 month',
                   next_billing_at = s.current_period_end + interval '1 month'
             WHERE s.id = v_sub.id;
            UPDATE public.drivers d SET subscription_tier = v_sub.tier,
                                        subscription_expires_at = v_sub.current_period_end + interval '1 month'
             WHERE d.id = v_sub.driver_id;
            renewed := renewed + 1;
        ELSIF v_sub.status = 'past_due' AND v_sub.grace_until <= p_at THEN
            UPDATE public.driver_subscriptions s SET status = 'expired', grace_until = NULL,
                                                     failed_attempts = s.failed_attempts + 1
             WHERE s.id = v_sub.id;
            UPDATE public.drivers d SET subscription_tier = NULL, subscription_expires_at = NULL WHERE d.id = v_sub.driver_id;
            expired := expired + 1;
        ELSE
            UPDATE public.driver_subscriptions s
               SET status = 'past_due', failed_attempts = s.failed_attempts + 1,
                   grace_until = coalesce(s.grace_until, p_at + p_grace), next_billing_at = p_at + p_retry
             WHERE s.id = v_sub.id;
            -- During the grace period the driver keeps the tier.
            UPDATE public.drivers d SET subscription_expires_at = coalesce(v_sub.grace_until, p_at + p_grace)
             WHERE d.id = v_sub.driver_id;
            failed := failed + 1;
        END IF;
    END LOOP;
END
$$;

-- The monthly price of a tier in a currency in force at p_at: the latest dated price not after it.
CREATE OR REPLACE FUNCTION public.subscription_plan_price(p_tier public.driver_subscription_tier, p_currency char(3),
                                                          p_at timestamptz DEFAULT now())
    RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT p.monthly_price_minor FROM public.subscription_plan_prices p
     WHERE p.tier = p_tier AND p.currency = p_currency AND p.effective_from <= p_at
     ORDER BY p.effective_from DESC LIMIT 1
$$;

-- A driver subscribes (or changes tier) at the plan's price in force now, which the subscription keeps
-- for every renewal; the first period is charged at once from earnings.
CREATE OR REPLACE FUNCTION public.subscribe_driver(p_tier public.driver_subscription_tier, p_currency char(3) DEFAULT 'USD')
    RETURNS public.driver_subscriptions
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_driver uuid := public.current_driver_id();
    v_price  bigint := public.subscription_plan_price(p_tier, p_currency, now());
    v_sub    public.driver_subscriptions;
BEGIN
    IF v_driver IS NULL THEN
        RAISE EXCEPTION 'Only drivers subscribe.' USING ERRCODE = 'VR403', HINT = 'not-a-driver';
    END IF;
    IF v_price IS NULL THEN
        RAISE EXCEPTION 'The % plan has no price in % yet.', p_tier, p_currency
            USING ERRCODE = 'VR422', HINT = 'no-plan-price';
    END IF;
    UPDATE public.driver_subscriptions s SET status = 'cancelled', grace_until = NULL
     WHERE s.driver_id = v_driver AND s.status IN ('active', 'past_due');
    INSERT INTO public.driver_subscriptions (driver_id, tier, currency, monthly_price_minor, current_period_end,
                                             next_billing_at)
    VALUES (v_driver, p_tier, p_currency, v_price, now(), now())
    RETURNING * INTO v_sub;
    IF NOT public.charge_subscription_period(v_sub, now()) THEN
        RAISE EXCEPTION 'Your earnings do not cover the first month of %.', p_tier
            USING ERRCODE = 'VR402', HINT = 'insufficient-earnings';
    END IF;
    UPDATE public.driver_subscriptions s SET current_period_end = now() + interval '1 month',
                                             next_billing_at = now() + interval '1 month'
     WHERE s.id = v_sub.id RETURNING * INTO v_sub;
    UPDATE public.drivers d SET subscription_tier = p_tier, subscription_expires_at = v_sub.current_period_end
     WHERE d.id = v_driver;
    RETURN v_sub;
END
$$;

-- A lease that ran: accepted (active, completed or suspended), or terminated after it had started. An
-- offer never accepted, and a lease ended before its start, owe nothing.
CREATE OR REPLACE FUNCTION public.lease_ran(p_lease public.vehicle_leases) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT p_lease.status IN ('active', 'completed', 'suspended')
           OR (p_lease.status = 'terminated' AND p_lease.accepted_at IS NOT NULL
               AND p_lease.terminated_at::date >= p_lease.starts_on)
$$;

-- The payable a lease's lessee pays from: the fleet's, or the driver's.
CREATE OR REPLACE FUNCTION public.lessee_payable(p_lease public.vehicle_leases, p_currency char(3)) RETURNS uuid
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT CASE WHEN p_lease.fleet_company_id IS NOT NULL
                THEN public.ledger_account('fleet', p_lease.fleet_company_id, 'payable', p_currency)
                ELSE public.ledger_account('driver', p_lease.driver_id, 'payable', p_currency) END
$$;

-- Computes and stores the statement of one lease for the month containing p_month (idempotent).
CREATE OR REPLACE FUNCTION public.issue_lease_statement(p_lease_id uuid, p_month date) RETURNS public.lease_statements
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
    IF v_lease.starts_on >= v_end OR (v_lease.ends_on IS NOT NULL AND v_lease.ends_on <= v_start)
       OR NOT public.lease_ran(v_lease) THEN
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
    -- What the contract charges for the month: the fixed rent, or the per-ride fee for each ride.
    v_fixed := CASE WHEN v_lease.lease_type = 'per_ride' THEN v_rides * v_lease.per_ride_minor
                    ELSE v_lease.fixed_monthly_minor END;
    v_topup := CASE WHEN v_lease.lease_type IN ('revenue_share', 'hybrid', 'per_ride')
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

-- The monthly lease billing job: completes the leases whose end date has come, issues last month's
-- statement of every lease that ran then, and settles every issued statement the lessee's earnings
-- cover (with the late fee once past due; a statement they do not cover waits for the next run).
CREATE OR REPLACE FUNCTION public.run_lease_billing(p_at timestamptz DEFAULT now(), OUT issued integer, OUT settled integer,
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
    PERFORM public.complete_ended_leases(p_at::date);
    FOR v_lease IN SELECT * FROM public.vehicle_leases l
                    WHERE l.starts_on < v_month + interval '1 month' AND (l.ends_on IS NULL OR l.ends_on > v_month)
                      AND public.lease_ran(l)
                      AND NOT EXISTS (SELECT FROM public.lease_statements s WHERE s.lease_id = l.id AND s.period_start = v_month)
    LOOP
        PERFORM public.issue_lease_statement(v_lease.id, v_month);
        issued := issued + 1;
    END LOOP;
    FOR v_statement IN SELECT s.id, s.due_minor, s.due_on, s.currency, l AS lease, l.late_fee_minor
                         FROM public.lease_statements s JOIN public.vehicle_leases l ON l.id = s.lease_id
                        WHERE s.status = 'issued' ORDER BY s.period_start FOR UPDATE OF s SKIP LOCKED
    LOOP
        v_balance := -coalesce((SELECT sum(jl.amount_minor) FROM public.journal_lines jl
                                 WHERE jl.account_id = public.lessee_payable(v_statement.lease, v_statement.currency)), 0);
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

-- Before a payment leaves the live table, its refunds, disputes and processor events go to the archive.
CREATE OR REPLACE FUNCTION public.payments_archive_records() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    WITH moved AS (DELETE FROM public.refunds r WHERE r.payment_id = OLD.id RETURNING r.*)
    INSERT INTO archive.refunds SELECT * FROM moved;
    WITH moved AS (DELETE FROM public.payment_disputes d WHERE d.payment_id = OLD.id RETURNING d.*)
    INSERT INTO archive.payment_disputes SELECT * FROM moved;
    WITH moved AS (DELETE FROM public.processor_events e WHERE e.payment_id = OLD.id RETURNING e.*)
    INSERT INTO archive.processor_events SELECT * FROM moved;
    RETURN OLD;
END
$$;

-- Records the outcome of charging the caller's booking and posts it: the processor owes the total; the
-- hotel is owed the total less commission; the platform earns the commission (rounded half-up, at the
-- rate stored on the booking). A successful payment confirms a pending booking.
CREATE OR REPLACE FUNCTION public.record_hotel_booking_payment(p_booking_id uuid, p_method text, p_processor text, p_reference text,
                                                    p_fee_minor bigint, p_succeeded boolean, p_failure text,
                                                    p_idempotency_key text)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_booking    public.hotel_bookings;
    v_rate_bp    integer;
    v_commission bigint;
    v_payment    uuid;
BEGIN
    SELECT * INTO v_booking FROM public.hotel_bookings b
     WHERE b.id = p_booking_id AND b.customer_id = public.current_app_user_id() FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Booking % is not yours.', p_booking_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    -- A retry with the same Idempotency-Key gets the first attempt's payment.
    SELECT p.id INTO v_payment FROM public.payments p
     WHERE p.payer_id = public.current_app_user_id() AND p.idempotency_key = p_idempotency_key
       AND p.hotel_booking_id = p_booking_id;
    IF FOUND THEN
        RETURN v_payment;
    END IF;
    IF v_booking.status NOT IN ('pending', 'confirmed') THEN
        RAISE EXCEPTION 'Only a pending or confirmed booking is paid (this one is %).', v_booking.status
            USING ERRCODE = 'VR409', HINT = 'booking-not-payable';
    END IF;
    IF EXISTS (SELECT FROM public.payments p WHERE p.hotel_booking_id = p_booking_id AND p.status <> 'failed') THEN
        RAISE EXCEPTION 'Booking % is already paid.', p_booking_id USING ERRCODE = 'VR409', HINT = 'already-paid';
    END IF;
    INSERT INTO public.payments (payer_id, payment_type, hotel_booking_id, amount_minor, currency, status, method,
                                 processor, processor_reference, processor_fee_minor, failure_reason, authorized_at,
                                 completed_at, failed_at, idempotency_key)
    VALUES (v_booking.customer_id, 'hotel_booking', p_booking_id, v_booking.total_minor, v_booking.currency,
            CASE WHEN p_succeeded THEN 'completed' ELSE 'failed' END::public.payment_status, p_method, p_processor,
            p_reference, CASE WHEN p_succeeded THEN p_fee_minor ELSE 0 END, p_failure, now(),
            CASE WHEN p_succeeded THEN now() END, CASE WHEN NOT p_succeeded THEN now() END, p_idempotency_key)
    RETURNING id INTO v_payment;
    IF NOT p_succeeded THEN
        RETURN v_payment;
    END IF;
    -- The rate in force when the booking was made (older bookings: the hotel's current rate).
    SELECT coalesce(v_booking.commission_rate_bp, h.commission_rate_bp) INTO STRICT v_rate_bp
      FROM public.hotel_partners h WHERE h.id = v_booking.hotel_id;
    -- A paid booking is confirmed.
    UPDATE public.hotel_bookings b SET status = 'confirmed', confirmed_at = coalesce(b.confirmed_at, now())
     WHERE b.id = p_booking_id AND b.status = 'pending';
    v_commission := round(v_booking.total_minor * v_rate_bp / 10000.0);
    PERFORM public.post_entry('hotel_booking', v_booking.currency, 'Hotel booking ' || v_booking.booking_reference,
        v_payment, NULL, NULL,
        ARRAY[public.ledger_account('platform', NULL, 'processor_receivable', v_booking.currency),
              public.ledger_account('platform', NULL, 'commission_revenue', v_booking.currency),
              public.ledger_account('hotel', v_booking.hotel_id, 'payable', v_booking.currency)],
        ARRAY[v_booking.total_minor, -v_commission, -(v_booking.total_minor - v_commission)]);
    IF p_fee_minor > 0 THEN
        PERFORM public.post_entry('processor_fee', v_booking.currency, 'Processor fee of payment ' || v_payment,
            v_payment, NULL, NULL,
            ARRAY[public.ledger_account('platform', NULL, 'processor_fees', v_booking.currency),
                  public.ledger_account('platform', NULL, 'processor_receivable', v_booking.currency)],
            ARRAY[p_fee_minor, -p_fee_minor]);
    END IF;
    RETURN v_payment;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Legal status transitions (the spec's statuses). The functions that move money only make these;
-- the trigger keeps any future writer to them too. Unchanged status is always allowed.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.payment_transition_allowed(p_from public.payment_status, p_to public.payment_status) RETURNS boolean
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

CREATE OR REPLACE FUNCTION public.payments_apply_transition() RETURNS trigger
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

-- Payments settled from earnings moved money between payees' ledger accounts, not through a
-- processor: nothing can be refunded to a card or charged back. Refused before refund_payment or
-- open_dispute changes anything (their insert is their first write).
CREATE OR REPLACE FUNCTION public.refuse_earnings_payment_reversal() RETURNS trigger
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

-- ---------------------------------------------------------------------------------------------
-- Subscription charges: every attempt is a payment; a failed one is a failed payment (no entry).
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
    v_price := public.convert_minor(p_subscription.monthly_price_minor, p_subscription.currency, v_currency, p_at);
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

-- ---------------------------------------------------------------------------------------------
-- Lease settlements: a completed payment from the lessee (a fleet, or a driver) to the owner, and the
-- entry that names it.
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
        INSERT INTO public.payments (payer_fleet_company_id, payer_id, payee_user_id, payment_type, lease_statement_id,
                                     amount_minor, currency, status, method, processor, authorized_at, completed_at)
        VALUES (v_lease.fleet_company_id,
                (SELECT d.user_id FROM public.drivers d WHERE d.id = v_lease.driver_id),
                v_lease.owner_user_id, 'vehicle_lease', p_statement_id,
                v_statement.due_minor + v_late, v_statement.currency, 'completed', 'wallet', 'earnings', p_at, p_at)
        RETURNING id INTO v_payment;
        v_entry := public.post_entry('lease_payment', v_statement.currency,
            'Lease ' || v_lease.id || ' for ' || to_char(v_statement.period_start, 'YYYY-MM'), v_payment, NULL, NULL,
            ARRAY[public.lessee_payable(v_lease, v_statement.currency),
                  public.ledger_account('vehicle_owner', v_lease.owner_user_id, 'payable', v_statement.currency)],
            ARRAY[v_statement.due_minor + v_late, -(v_statement.due_minor + v_late)]);
    END IF;
    UPDATE public.lease_statements s SET status = 'paid', late_fee_minor = v_late, entry_id = v_entry, settled_at = p_at
     WHERE s.id = p_statement_id RETURNING * INTO v_statement;
    RETURN v_statement;
END
$$;

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

-- Refuses lines dated in a closed period. Once per statement (post_entry inserts an entry's lines in
-- one). Under READ COMMITTED this query's snapshot is taken after the close's lock was released, so it
-- sees the close; under REPEATABLE READ or SERIALIZABLE FOR SHARE turns a close committed after the
-- transaction's snapshot into a serialization failure instead of a close it cannot see.
CREATE OR REPLACE FUNCTION public.journal_lines_in_open_period() RETURNS trigger
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

-- Closes one UTC month (its first day): it must have ended, and be the first open month — or, while
-- nothing is closed yet, any month, whose closing balances then include every earlier line.
CREATE OR REPLACE FUNCTION public.close_ledger_period(p_month date) RETURNS integer
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

-- The ledger-close job: closes, in order, every month that ended more than p_margin ago. The margin
-- only spares in-flight postings a retry; correctness does not depend on it.
CREATE OR REPLACE FUNCTION public.close_ledger_periods(p_margin interval)
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

SELECT audit.enable_audit('public.payments');

SELECT audit.enable_audit('public.payment_methods');

SELECT audit.enable_audit('public.ride_earnings', 'ride_id');

GRANT SELECT ON public.payments TO customer_user, system_admin;

GRANT SELECT (id, payer_id, payment_type, ride_id, ride_requested_at, amount_minor, currency, refunded_minor, status,
              method, processor, authorized_at, completed_at, failed_at, created_at, updated_at)
    ON public.payments TO support_agent;

CREATE POLICY payments_select_customer_user ON public.payments FOR SELECT TO customer_user
    USING (payer_id = public.current_app_user_id());

CREATE POLICY payments_select_support_agent ON public.payments FOR SELECT TO support_agent USING (true);

CREATE POLICY payments_select_system_admin ON public.payments FOR SELECT TO system_admin USING (true);

GRANT SELECT, INSERT, DELETE ON public.payment_methods TO customer_user;

CREATE POLICY payment_methods_select_customer_user ON public.payment_methods FOR SELECT TO customer_user
    USING (user_id = public.current_app_user_id());

CREATE POLICY payment_methods_insert_customer_user ON public.payment_methods FOR INSERT TO customer_user
    WITH CHECK (user_id = public.current_app_user_id());

CREATE POLICY payment_methods_delete_customer_user ON public.payment_methods FOR DELETE TO customer_user
    USING (user_id = public.current_app_user_id());

GRANT SELECT ON public.ride_earnings TO driver_user, fleet_admin, system_admin;

CREATE POLICY ride_earnings_select_driver_user ON public.ride_earnings FOR SELECT TO driver_user
    USING (driver_id = (SELECT public.current_driver_id()));

CREATE POLICY ride_earnings_select_fleet_admin ON public.ride_earnings FOR SELECT TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()));

CREATE POLICY ride_earnings_select_system_admin ON public.ride_earnings FOR SELECT TO system_admin USING (true);

CREATE POLICY ride_earnings_insert_owner ON public.ride_earnings FOR INSERT TO vipride_owner WITH CHECK (true);

REVOKE ALL ON FUNCTION public.settle_ride_earnings(public.rides) FROM PUBLIC;

DROP TRIGGER IF EXISTS journal_lines_balance ON public.journal_lines;
CREATE CONSTRAINT TRIGGER journal_lines_balance AFTER INSERT ON public.journal_lines
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.journal_entry_must_balance();

CREATE OR REPLACE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON public.journal_entries
    FOR EACH ROW EXECUTE FUNCTION public.ledger_is_append_only();

CREATE OR REPLACE TRIGGER journal_lines_append_only BEFORE UPDATE OR DELETE ON public.journal_lines
    FOR EACH ROW EXECUTE FUNCTION public.ledger_is_append_only();

COMMENT ON FUNCTION public.record_ride_payment(uuid, timestamptz, text, text, text, bigint, boolean, text) IS
    'Records the completing driver''s ride payment outcome and posts its fare and fee entries.';

CREATE POLICY payment_methods_select_owner ON public.payment_methods FOR SELECT TO vipride_owner USING (true);

COMMENT ON VIEW public.payee_balances IS 'What the platform owes each payee, per currency (credit balance of their payable account).';

COMMENT ON FUNCTION public.ledger_discrepancies(timestamptz) IS
    'Reconciliation: unbalanced entries, completed rides without payment, payments without entries, unreversed refunds.';

COMMENT ON FUNCTION public.current_payee_ids() IS 'The payee ids the caller holds: own user id (vehicle owner), driver, fleet, hotel.';

GRANT SELECT ON public.ledger_accounts, public.journal_lines, public.payee_balances
    TO driver_user, fleet_admin, customer_user, hotel_staff, support_agent, system_admin, audit_admin;

GRANT SELECT ON public.journal_entries TO support_agent, system_admin, audit_admin;

DO $$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['driver_user', 'fleet_admin', 'customer_user', 'hotel_staff'] LOOP
        EXECUTE format('CREATE POLICY %I ON public.ledger_accounts FOR SELECT TO %I USING ('
                       'purpose = ''payable'' AND holder_id = ANY ((SELECT public.current_payee_ids())::uuid[]))',
                       'ledger_accounts_select_' || v_role, v_role);
        EXECUTE format('CREATE POLICY %I ON public.journal_lines FOR SELECT TO %I USING (account_id IN ('
                       'SELECT a.id FROM public.ledger_accounts a WHERE a.purpose = ''payable'' '
                       'AND a.holder_id = ANY ((SELECT public.current_payee_ids())::uuid[])))',
                       'journal_lines_select_' || v_role, v_role);
    END LOOP;
    FOREACH v_role IN ARRAY ARRAY['support_agent', 'system_admin', 'audit_admin'] LOOP
        EXECUTE format('CREATE POLICY %I ON public.ledger_accounts FOR SELECT TO %I USING (true)',
                       'ledger_accounts_select_' || v_role, v_role);
        EXECUTE format('CREATE POLICY %I ON public.journal_entries FOR SELECT TO %I USING (true)',
                       'journal_entries_select_' || v_role, v_role);
        EXECUTE format('CREATE POLICY %I ON public.journal_lines FOR SELECT TO %I USING (true)',
                       'journal_lines_select_' || v_role, v_role);
        EXECUTE format('CREATE POLICY %I ON public.refunds FOR SELECT TO %I USING (true)', 'refunds_select_' || v_role, v_role);
        EXECUTE format('CREATE POLICY %I ON public.payment_disputes FOR SELECT TO %I USING (true)',
                       'payment_disputes_select_' || v_role, v_role);
    END LOOP;
END
$$;

CREATE POLICY ledger_accounts_all_owner ON public.ledger_accounts FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY journal_entries_all_owner ON public.journal_entries FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY journal_lines_all_owner ON public.journal_lines FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

GRANT SELECT ON public.refunds, public.payment_disputes TO customer_user, support_agent, system_admin, audit_admin;

CREATE POLICY refunds_select_customer_user ON public.refunds FOR SELECT TO customer_user
    USING (payment_id IN (SELECT p.id FROM public.payments p WHERE p.payer_id = public.current_app_user_id()));

CREATE POLICY payment_disputes_select_customer_user ON public.payment_disputes FOR SELECT TO customer_user
    USING (payment_id IN (SELECT p.id FROM public.payments p WHERE p.payer_id = public.current_app_user_id()));

CREATE POLICY refunds_all_owner ON public.refunds FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY payment_disputes_all_owner ON public.payment_disputes FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY payments_all_owner ON public.payments FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

GRANT SELECT, INSERT ON public.processor_events TO system_admin;

GRANT SELECT ON public.processor_events TO support_agent, audit_admin;

CREATE POLICY processor_events_insert_system_admin ON public.processor_events FOR INSERT TO system_admin WITH CHECK (true);

CREATE POLICY processor_events_select_system_admin ON public.processor_events FOR SELECT TO system_admin USING (true);

CREATE POLICY processor_events_select_support_agent ON public.processor_events FOR SELECT TO support_agent USING (true);

CREATE POLICY processor_events_select_audit_admin ON public.processor_events FOR SELECT TO audit_admin USING (true);

REVOKE ALL ON FUNCTION public.journal_entry_must_balance(), public.ledger_is_append_only(), public.ledger_account(text, uuid, text, char), public.post_entry(text, char, text, uuid, uuid, timestamptz, uuid[], bigint[]), public.record_ride_payment(uuid, timestamptz, text, text, text, bigint, boolean, text), public.reverse_fare_share(public.payments, bigint, text, text), public.refund_payment(uuid, bigint, text, text), public.open_dispute(uuid, bigint, text), public.resolve_dispute(uuid, text), public.current_payee_ids(), public.ride_payment_instrument(uuid, timestamptz), public.ledger_discrepancies(timestamptz) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.ledger_discrepancies(timestamptz) TO system_admin, audit_admin;

GRANT EXECUTE ON FUNCTION public.record_ride_payment(uuid, timestamptz, text, text, text, bigint, boolean, text),
    public.ride_payment_instrument(uuid, timestamptz) TO driver_user;

GRANT EXECUTE ON FUNCTION public.refund_payment(uuid, bigint, text, text), public.open_dispute(uuid, bigint, text),
    public.resolve_dispute(uuid, text) TO support_agent, system_admin;

GRANT EXECUTE ON FUNCTION public.current_payee_ids() TO driver_user, fleet_admin, customer_user, hotel_staff;

SELECT audit.enable_audit('public.refunds');

SELECT audit.enable_audit('public.payment_disputes');

COMMENT ON FUNCTION public.run_payouts() IS
    'Pays out every payee balance at or above the minimum, except payees with a disputed payment.';

COMMENT ON FUNCTION public.bill_subscriptions(timestamptz, interval, interval) IS
    'Monthly subscription billing: renew from earnings, or past_due with retries until the grace period ends, then expire.';

GRANT SELECT ON public.payout_minimums, public.subscription_plans
    TO driver_user, fleet_admin, customer_user, hotel_staff, support_agent, system_admin;

GRANT UPDATE ON public.payout_minimums, public.subscription_plans TO system_admin;

-- A tier is offered in a new currency by system_admin (its first price follows in subscription_plan_prices).
GRANT INSERT ON public.subscription_plans TO system_admin;

CREATE POLICY subscription_plans_insert_system_admin ON public.subscription_plans FOR INSERT TO system_admin
    WITH CHECK (true);

-- Dated prices: everyone who reads the plans reads their history; system_admin adds prices, and nobody
-- changes or deletes one, so the history is complete.
GRANT SELECT ON public.subscription_plan_prices
    TO driver_user, fleet_admin, customer_user, hotel_staff, support_agent, system_admin;

GRANT INSERT ON public.subscription_plan_prices TO system_admin;

CREATE POLICY subscription_plan_prices_insert_system_admin ON public.subscription_plan_prices FOR INSERT TO system_admin
    WITH CHECK (true);

DO $$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['driver_user', 'fleet_admin', 'customer_user', 'hotel_staff', 'support_agent',
                                  'system_admin', 'vipride_owner'] LOOP
        EXECUTE format('CREATE POLICY %I ON public.subscription_plan_prices FOR SELECT TO %I USING (true)',
                       'subscription_plan_prices_select_' || v_role, v_role);
    END LOOP;
END
$$;

SELECT audit.enable_audit('public.subscription_plan_prices', 'tier');

COMMENT ON FUNCTION public.subscription_plan_price(public.driver_subscription_tier, char, timestamptz) IS
    'A tier''s monthly price in a currency in force at a time (the latest dated price not after it), or NULL.';

REVOKE ALL ON FUNCTION public.subscription_plan_price(public.driver_subscription_tier, char, timestamptz),
    public.lessee_payable(public.vehicle_leases, char) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.subscription_plan_price(public.driver_subscription_tier, char, timestamptz)
    TO driver_user, fleet_admin, customer_user, hotel_staff, support_agent, system_admin;

GRANT EXECUTE ON FUNCTION public.lease_ran(public.vehicle_leases) TO PUBLIC;

GRANT SELECT ON public.payouts TO driver_user, fleet_admin, customer_user, hotel_staff, support_agent, system_admin, audit_admin;

GRANT SELECT ON public.driver_subscriptions TO driver_user, support_agent, system_admin;

DO $$
DECLARE
    v_table text;
    v_role  text;
BEGIN
    FOREACH v_table IN ARRAY ARRAY['payout_minimums', 'subscription_plans'] LOOP
        FOREACH v_role IN ARRAY ARRAY['driver_user', 'fleet_admin', 'customer_user', 'hotel_staff', 'support_agent',
                                      'system_admin', 'vipride_owner'] LOOP
            EXECUTE format('CREATE POLICY %I ON public.%I FOR SELECT TO %I USING (true)',
                           v_table || '_select_' || v_role, v_table, v_role);
        END LOOP;
        EXECUTE format('CREATE POLICY %I ON public.%I FOR UPDATE TO system_admin USING (true) WITH CHECK (true)',
                       v_table || '_update_system_admin', v_table);
    END LOOP;
    FOREACH v_role IN ARRAY ARRAY['driver_user', 'fleet_admin', 'customer_user', 'hotel_staff'] LOOP
        EXECUTE format('CREATE POLICY %I ON public.payouts FOR SELECT TO %I '
                       'USING (holder_id = ANY ((SELECT public.current_payee_ids())::uuid[]))', 'payouts_select_' || v_role, v_role);
    END LOOP;
    FOREACH v_role IN ARRAY ARRAY['support_agent', 'system_admin', 'audit_admin'] LOOP
        EXECUTE format('CREATE POLICY %I ON public.payouts FOR SELECT TO %I USING (true)', 'payouts_select_' || v_role, v_role);
    END LOOP;
END
$$;

CREATE POLICY payouts_all_owner ON public.payouts FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY driver_subscriptions_select_driver_user ON public.driver_subscriptions FOR SELECT TO driver_user
    USING (driver_id = (SELECT public.current_driver_id()));

CREATE POLICY driver_subscriptions_select_support_agent ON public.driver_subscriptions FOR SELECT TO support_agent USING (true);

CREATE POLICY driver_subscriptions_select_system_admin ON public.driver_subscriptions FOR SELECT TO system_admin USING (true);

CREATE POLICY driver_subscriptions_all_owner ON public.driver_subscriptions FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

REVOKE ALL ON FUNCTION public.payees_on_hold(), public.run_payouts(),
    public.charge_subscription_period(public.driver_subscriptions, timestamptz),
    public.bill_subscriptions(timestamptz, interval, interval),
    public.subscribe_driver(public.driver_subscription_tier, char) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.run_payouts(), public.bill_subscriptions(timestamptz, interval, interval) TO system_admin;

GRANT EXECUTE ON FUNCTION public.subscribe_driver(public.driver_subscription_tier, char) TO driver_user;

SELECT audit.enable_audit('public.payout_minimums', 'currency');

SELECT audit.enable_audit('public.subscription_plans', 'tier');

SELECT audit.enable_audit('public.payouts');

SELECT audit.enable_audit('public.driver_subscriptions');

COMMENT ON FUNCTION public.issue_lease_statement(uuid, date) IS
    'The month''s lease statement from the vehicle''s completed rides: fixed rent, guarantee top-up, excess mileage.';

GRANT SELECT ON public.lease_statements TO fleet_admin, driver_user, customer_user, support_agent, system_admin;

CREATE POLICY lease_statements_select_fleet_admin ON public.lease_statements FOR SELECT TO fleet_admin
    USING (lease_id IN (SELECT l.id FROM public.vehicle_leases l WHERE l.fleet_company_id = (SELECT public.current_fleet_company_id())));

-- Owners (riders or drivers) see the statements of their own vehicles' leases; drivers those of the
-- leases they take.
CREATE POLICY lease_statements_select_driver_user ON public.lease_statements FOR SELECT TO driver_user
    USING (lease_id IN (SELECT l.id FROM public.vehicle_leases l
                         WHERE l.owner_user_id = public.current_app_user_id()
                            OR l.driver_id = (SELECT public.current_driver_id())));

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

-- The owner's archive functions read and delete the rows they move out of these FORCE RLS tables.
CREATE POLICY payments_select_owner ON public.payments FOR SELECT TO vipride_owner USING (true);

CREATE POLICY payments_delete_owner ON public.payments FOR DELETE TO vipride_owner USING (true);

CREATE POLICY ride_earnings_select_owner ON public.ride_earnings FOR SELECT TO vipride_owner USING (true);

CREATE POLICY ride_earnings_delete_owner ON public.ride_earnings FOR DELETE TO vipride_owner USING (true);

CREATE POLICY processor_events_select_owner ON public.processor_events FOR SELECT TO vipride_owner USING (true);

CREATE POLICY processor_events_delete_owner ON public.processor_events FOR DELETE TO vipride_owner USING (true);

COMMENT ON FUNCTION public.payments_archive_records() IS
    'Moves a payment''s refunds, disputes and processor events to the archive as the payment is archived.';

CREATE OR REPLACE TRIGGER payments_archive_records BEFORE DELETE ON public.payments
    FOR EACH ROW EXECUTE FUNCTION public.payments_archive_records();

REVOKE ALL ON FUNCTION public.payments_archive_records() FROM PUBLIC;

COMMENT ON FUNCTION public.record_hotel_booking_payment(uuid, text, text, text, bigint, boolean, text, text) IS
    'Records the rider''s payment of their own confirmed booking and posts the hotel''s share and the commission.';

REVOKE ALL ON FUNCTION public.record_hotel_booking_payment(uuid, text, text, text, bigint, boolean, text, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.record_hotel_booking_payment(uuid, text, text, text, bigint, boolean, text, text) TO customer_user;

COMMENT ON FUNCTION public.payment_transition_allowed(public.payment_status, public.payment_status) IS
    'Whether a payment may go from one status to another; failed is final.';

CREATE OR REPLACE TRIGGER payments_apply_transition BEFORE UPDATE OF status ON public.payments
    FOR EACH ROW EXECUTE FUNCTION public.payments_apply_transition();

CREATE OR REPLACE TRIGGER refunds_not_of_earnings_payments BEFORE INSERT ON public.refunds
    FOR EACH ROW EXECUTE FUNCTION public.refuse_earnings_payment_reversal();

CREATE OR REPLACE TRIGGER payment_disputes_not_of_earnings_payments BEFORE INSERT ON public.payment_disputes
    FOR EACH ROW EXECUTE FUNCTION public.refuse_earnings_payment_reversal();

COMMENT ON FUNCTION public.charge_subscription_period(public.driver_subscriptions, timestamptz) IS
    'Charges one subscription period from the driver''s earnings: a completed payment and its entry, or a failed payment.';

COMMENT ON FUNCTION public.settle_lease_statement(uuid, timestamptz) IS
    'Settles a lease statement: the fleet pays the owner the amount due (plus the late fee) as a payment and its entry.';

COMMENT ON FUNCTION public.ledger_discrepancies(timestamptz) IS
    'Reconciliation: unbalanced entries, completed rides without payment, payments without (or with a wrong) sale '
    'entry, unreversed refunds — for rides, hotel bookings, lease payments and subscriptions.';

-- ---------------------------------------------------------------------------------------------
-- Who sees lease and subscription payments: the paying fleet's admins and the vehicle's owner (a
-- rider or a driver) their lease payments; the driver his subscription payments; staff as for every
-- payment.
-- ---------------------------------------------------------------------------------------------
GRANT SELECT ON public.payments TO fleet_admin, driver_user;

GRANT SELECT (payer_fleet_company_id, payee_user_id, lease_statement_id, driver_subscription_id, payer_hotel_id)
    ON public.payments TO support_agent;

CREATE POLICY payments_select_fleet_admin ON public.payments FOR SELECT TO fleet_admin
    USING (payer_fleet_company_id = (SELECT public.current_fleet_company_id()));

CREATE POLICY payments_select_driver_user ON public.payments FOR SELECT TO driver_user
    USING (payer_id = (SELECT public.current_app_user_id()) OR payee_user_id = (SELECT public.current_app_user_id()));

-- A rider who leases a vehicle to a fleet is paid by it (a rider's own payments: payments_select_customer_user).
CREATE POLICY payments_select_customer_user_payee ON public.payments FOR SELECT TO customer_user
    USING (payee_user_id = (SELECT public.current_app_user_id()));

-- A hotel's staff see the payments their hotel made: the rides billed to its account.
GRANT SELECT ON public.payments TO hotel_staff;

CREATE POLICY payments_select_hotel_staff ON public.payments FOR SELECT TO hotel_staff
    USING (payer_hotel_id = (SELECT public.current_hotel_id()));

REVOKE ALL ON FUNCTION public.payment_transition_allowed(public.payment_status, public.payment_status),
    public.payments_apply_transition(), public.refuse_earnings_payment_reversal() FROM PUBLIC;

CREATE OR REPLACE TRIGGER ledger_period_balances_append_only BEFORE UPDATE OR DELETE ON public.ledger_period_balances
    FOR EACH ROW EXECUTE FUNCTION public.ledger_is_append_only();

CREATE OR REPLACE TRIGGER journal_lines_in_open_period AFTER INSERT ON public.journal_lines
    REFERENCING NEW TABLE AS new_lines
    FOR EACH STATEMENT EXECUTE FUNCTION public.journal_lines_in_open_period();

COMMENT ON FUNCTION public.close_ledger_period(date) IS
    'Closes one ended UTC month of the ledger (the first open one): per-account movement and closing balance; later lines dated in it are refused.';

COMMENT ON FUNCTION public.close_ledger_periods(interval) IS
    'Closes every ledger month that ended more than the margin ago, oldest first (the ledger-close job).';

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

-- updated_at follows every change.
CREATE OR REPLACE TRIGGER payments_touch_updated_at BEFORE UPDATE ON public.payments
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE OR REPLACE TRIGGER driver_subscriptions_touch_updated_at BEFORE UPDATE ON public.driver_subscriptions
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- Erasure (compliance.apply_erasure, as the owner) deletes an erased account's payment methods.
CREATE POLICY payment_methods_delete_owner ON public.payment_methods FOR DELETE TO vipride_owner USING (true);
