-- Part 18 — payouts from ledger balances, and driver subscriptions billed monthly.
--
-- Payouts pay each payee what the ledger says the platform owes them, above a minimum, except while
-- a dispute is open on a payment that credited them (the hold). Subscriptions are priced in a table,
-- billed from the driver's earnings each month with retries and a grace period; the tier places the
-- driver's rides in the commission band (public.commission_band_positions) and opens VIP rides to
-- premium and elite drivers (public.offer_ride_to_nearest_driver).

-- ---------------------------------------------------------------------------------------------
-- Payouts
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.payout_minimums (
    currency                char(3)     NOT NULL,
    minimum_minor           bigint      NOT NULL,
    CONSTRAINT payout_minimums_pkey PRIMARY KEY (currency),
    CONSTRAINT payout_minimums_currency_fk FOREIGN KEY (currency) REFERENCES public.currencies (code),
    CONSTRAINT payout_minimums_amount_chk CHECK (minimum_minor > 0)
);
COMMENT ON TABLE public.payout_minimums IS 'Smallest balance paid out per currency; smaller balances roll over.';
INSERT INTO public.payout_minimums VALUES ('NGN', 500000), ('USD', 2000);

CREATE TABLE public.payouts (
    id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
    account_id              uuid        NOT NULL,
    holder_kind             text        NOT NULL,
    holder_id               uuid        NOT NULL,
    currency                char(3)     NOT NULL,
    amount_minor            bigint      NOT NULL,
    entry_id                uuid        NOT NULL,
    status                  text        NOT NULL DEFAULT 'pending',
    created_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT payouts_pkey PRIMARY KEY (id),
    CONSTRAINT payouts_account_fk FOREIGN KEY (account_id) REFERENCES public.ledger_accounts (id),
    CONSTRAINT payouts_entry_fk FOREIGN KEY (entry_id) REFERENCES public.journal_entries (id),
    CONSTRAINT payouts_amount_chk CHECK (amount_minor > 0),
    CONSTRAINT payouts_status_chk CHECK (status IN ('pending', 'paid', 'failed'))
);
COMMENT ON TABLE public.payouts IS 'Transfers of payees'' ledger balances; each is also a journal entry (payout).';
CREATE INDEX payouts_holder_idx ON public.payouts (holder_id, created_at DESC);

-- Payees holding an open or under-review dispute: a lost dispute takes money back from them.
CREATE FUNCTION public.payees_on_hold() RETURNS TABLE (account_id uuid)
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
CREATE FUNCTION public.run_payouts(OUT payouts_made integer, OUT paid_minor bigint, OUT held integer)
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
COMMENT ON FUNCTION public.run_payouts() IS
    'Pays out every payee balance at or above the minimum, except payees with a disputed payment.';

-- ---------------------------------------------------------------------------------------------
-- Driver subscriptions
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.subscription_plans (
    tier                    public.driver_subscription_tier NOT NULL,
    currency                char(3)     NOT NULL,
    monthly_price_minor     bigint      NOT NULL,
    benefits                text        NOT NULL,
    CONSTRAINT subscription_plans_pkey PRIMARY KEY (tier, currency),
    CONSTRAINT subscription_plans_currency_fk FOREIGN KEY (currency) REFERENCES public.currencies (code),
    CONSTRAINT subscription_plans_price_chk CHECK (monthly_price_minor > 0)
);
COMMENT ON TABLE public.subscription_plans IS 'Monthly driver subscription prices and what each tier gives.';
INSERT INTO public.subscription_plans VALUES
    ('basic', 'USD', 9900, 'Commission at 80% of the rider tier''s band (none: the ceiling).'),
    ('premium', 'USD', 19900, 'Commission at the middle of the band; VIP rides (with VIP vetting and a certified vehicle).'),
    ('elite', 'USD', 29900, 'Commission at the floor of the band; VIP rides (with VIP vetting and a certified vehicle).');

CREATE TABLE public.driver_subscriptions (
    id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
    driver_id               uuid        NOT NULL,
    tier                    public.driver_subscription_tier NOT NULL,
    currency                char(3)     NOT NULL,
    status                  text        NOT NULL DEFAULT 'active',
    current_period_end      timestamptz NOT NULL,
    next_billing_at         timestamptz NOT NULL,
    failed_attempts         integer     NOT NULL DEFAULT 0,
    grace_until             timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT driver_subscriptions_pkey PRIMARY KEY (id),
    CONSTRAINT driver_subscriptions_driver_fk FOREIGN KEY (driver_id) REFERENCES public.drivers (id),
    CONSTRAINT driver_subscriptions_plan_fk FOREIGN KEY (tier, currency) REFERENCES public.subscription_plans (tier, currency),
    CONSTRAINT driver_subscriptions_status_chk CHECK (status IN ('active', 'past_due', 'cancelled', 'expired')),
    CONSTRAINT driver_subscriptions_attempts_chk CHECK (failed_attempts >= 0),
    CONSTRAINT driver_subscriptions_grace_chk CHECK ((status = 'past_due') = (grace_until IS NOT NULL))
);
COMMENT ON TABLE public.driver_subscriptions IS
    'A driver''s subscription: billed monthly from earnings; past_due retries daily until the grace period ends.';
-- One live subscription per driver; any number of ended ones.
CREATE UNIQUE INDEX driver_subscriptions_one_live_key ON public.driver_subscriptions (driver_id)
    WHERE status IN ('active', 'past_due');
CREATE INDEX driver_subscriptions_due_idx ON public.driver_subscriptions (next_billing_at) WHERE status IN ('active', 'past_due');
CREATE TRIGGER driver_subscriptions_touch_updated_at BEFORE UPDATE ON public.driver_subscriptions
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- Charges one subscription period from the driver's earnings, in the currency they earn in (the
-- price converted at the rate in force; no rate is an error); false if the balance does not cover it.
CREATE FUNCTION public.charge_subscription_period(p_subscription public.driver_subscriptions, p_at timestamptz) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_driver   public.drivers;
    v_currency char(3);
    v_price    bigint;
    v_payable  uuid;
    v_balance  bigint;
    v_payment  uuid;
BEGIN
    SELECT * INTO STRICT v_driver FROM public.drivers d WHERE d.id = p_subscription.driver_id;
    SELECT c.currency INTO STRICT v_currency FROM public.city_settings c WHERE c.city = v_driver.city;
    SELECT public.convert_minor(p.monthly_price_minor, p.currency, v_currency, p_at) INTO STRICT v_price
      FROM public.subscription_plans p WHERE p.tier = p_subscription.tier AND p.currency = p_subscription.currency;
    v_payable := public.ledger_account('driver', v_driver.id, 'payable', v_currency);
    PERFORM FROM public.ledger_accounts a WHERE a.id = v_payable FOR UPDATE;
    v_balance := -coalesce((SELECT sum(l.amount_minor) FROM public.journal_lines l WHERE l.account_id = v_payable), 0);
    IF v_balance < v_price THEN
        RETURN false;
    END IF;
    INSERT INTO public.payments (payer_id, payment_type, amount_minor, currency, status, method, processor, completed_at,
                                 authorized_at, idempotency_key)
    VALUES (v_driver.user_id, 'subscription', v_price, v_currency, 'completed', 'wallet', 'earnings', p_at, p_at,
            'subscription:' || p_subscription.id || ':' || p_subscription.current_period_end)
    RETURNING id INTO v_payment;
    PERFORM public.post_entry('subscription_fee', v_currency,
        'Subscription ' || p_subscription.tier || ' from ' || p_subscription.current_period_end,
        v_payment, NULL, NULL,
        ARRAY[v_payable, public.ledger_account('platform', NULL, 'subscription_revenue', v_currency)],
        ARRAY[v_price, -v_price]);
    RETURN true;
END
$$;

-- The monthly billing pass (a scheduled job; cluster-safe with SKIP LOCKED). A due subscription is
-- charged and renewed; a failed charge makes it past_due with a grace period of p_grace, retried every
-- p_retry; when the grace period runs out it expires and the driver loses the tier.
CREATE FUNCTION public.bill_subscriptions(p_at timestamptz DEFAULT now(), p_grace interval DEFAULT '7 days',
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
COMMENT ON FUNCTION public.bill_subscriptions(timestamptz, interval, interval) IS
    'Monthly subscription billing: renew from earnings, or past_due with retries until the grace period ends, then expire.';

-- A driver subscribes (or changes tier): the first period is charged at once from earnings.
CREATE FUNCTION public.subscribe_driver(p_tier public.driver_subscription_tier, p_currency char(3) DEFAULT 'USD')
    RETURNS public.driver_subscriptions
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_driver uuid := public.current_driver_id();
    v_sub    public.driver_subscriptions;
BEGIN
    IF v_driver IS NULL THEN
        RAISE EXCEPTION 'Only drivers subscribe.' USING ERRCODE = 'VR403', HINT = 'not-a-driver';
    END IF;
    UPDATE public.driver_subscriptions s SET status = 'cancelled', grace_until = NULL
     WHERE s.driver_id = v_driver AND s.status IN ('active', 'past_due');
    INSERT INTO public.driver_subscriptions (driver_id, tier, currency, current_period_end, next_billing_at)
    VALUES (v_driver, p_tier, p_currency, now(), now())
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

-- ---------------------------------------------------------------------------------------------
-- Privileges
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.payout_minimums ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.payout_minimums FORCE ROW LEVEL SECURITY;
ALTER TABLE public.subscription_plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.subscription_plans FORCE ROW LEVEL SECURITY;
ALTER TABLE public.payouts ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.payouts FORCE ROW LEVEL SECURITY;
ALTER TABLE public.driver_subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.driver_subscriptions FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.payout_minimums, public.subscription_plans
    TO driver_user, fleet_admin, customer_user, hotel_staff, support_agent, system_admin;
GRANT UPDATE ON public.payout_minimums, public.subscription_plans TO system_admin;
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
