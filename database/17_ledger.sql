-- Part 17 — money that adds up: currencies and exchange rates, a double-entry ledger, ride payments
-- captured at completion and posted to the ledger, refunds and disputes.
--
-- Every movement of money is a journal entry of lines in one currency whose amounts sum to zero
-- (positive = debit, negative = credit), checked when the transaction commits. Entries are never
-- changed or deleted — a correction is a new entry — and balances are sums of lines. Posting happens
-- only inside SECURITY DEFINER functions owned by the schema owner; no role may write the ledger.

-- ---------------------------------------------------------------------------------------------
-- Currencies and exchange rates. A conversion without a rate is an error, never a silent 1.0.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.currencies (
    code                    char(3)     NOT NULL,
    name                    text        NOT NULL,
    minor_units             smallint    NOT NULL,
    CONSTRAINT currencies_pkey PRIMARY KEY (code),
    CONSTRAINT currencies_code_chk CHECK (code ~ '^[A-Z]{3}$'),
    CONSTRAINT currencies_minor_units_chk CHECK (minor_units BETWEEN 0 AND 4)
);
COMMENT ON TABLE public.currencies IS 'ISO-4217 currencies the platform settles in, with their minor units.';
INSERT INTO public.currencies VALUES ('NGN', 'Nigerian naira', 2), ('USD', 'US dollar', 2);

CREATE TABLE public.exchange_rates (
    base_currency           char(3)        NOT NULL,
    quote_currency          char(3)        NOT NULL,
    rate                    numeric(20, 10) NOT NULL,
    effective_from          timestamptz    NOT NULL,
    source                  text           NOT NULL,
    created_at              timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT exchange_rates_pkey PRIMARY KEY (base_currency, quote_currency, effective_from),
    CONSTRAINT exchange_rates_base_fk FOREIGN KEY (base_currency) REFERENCES public.currencies (code),
    CONSTRAINT exchange_rates_quote_fk FOREIGN KEY (quote_currency) REFERENCES public.currencies (code),
    CONSTRAINT exchange_rates_pair_chk CHECK (base_currency <> quote_currency),
    CONSTRAINT exchange_rates_rate_chk CHECK (rate > 0)
);
COMMENT ON TABLE public.exchange_rates IS
    'Units of quote_currency per unit of base_currency from effective_from on; history is kept, never overwritten.';

-- The rate in force at p_at: the pair's latest row not after p_at, or the inverse of the opposite pair's.
CREATE FUNCTION public.exchange_rate(p_from char(3), p_to char(3), p_at timestamptz DEFAULT now()) RETURNS numeric
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
AS $$
DECLARE
    v_rate numeric;
BEGIN
    IF p_from = p_to THEN
        RETURN 1;
    END IF;
    SELECT r.rate INTO v_rate FROM public.exchange_rates r
     WHERE r.base_currency = p_from AND r.quote_currency = p_to AND r.effective_from <= p_at
     ORDER BY r.effective_from DESC LIMIT 1;
    IF v_rate IS NULL THEN
        SELECT 1 / r.rate INTO v_rate FROM public.exchange_rates r
         WHERE r.base_currency = p_to AND r.quote_currency = p_from AND r.effective_from <= p_at
         ORDER BY r.effective_from DESC LIMIT 1;
    END IF;
    IF v_rate IS NULL THEN
        RAISE EXCEPTION 'No exchange rate from % to % at %.', p_from, p_to, p_at
            USING ERRCODE = 'VR422', HINT = 'no-exchange-rate';
    END IF;
    RETURN v_rate;
END
$$;
COMMENT ON FUNCTION public.exchange_rate(char, char, timestamptz) IS
    'Exchange rate in force at a time; raises no-exchange-rate when there is none (never assumes 1.0).';

-- An amount in minor units of one currency converted to minor units of another, rounded half-up.
CREATE FUNCTION public.convert_minor(p_amount bigint, p_from char(3), p_to char(3), p_at timestamptz DEFAULT now())
    RETURNS bigint
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT round(p_amount * public.exchange_rate(p_from, p_to, p_at)
                 * power(10::numeric, t.minor_units - f.minor_units))::bigint
      FROM public.currencies f, public.currencies t
     WHERE f.code = p_from AND t.code = p_to
$$;

-- ---------------------------------------------------------------------------------------------
-- The ledger: accounts, entries, lines.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.ledger_accounts (
    id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
    holder_kind             text        NOT NULL,
    holder_id               uuid,
    purpose                 text        NOT NULL,
    currency                char(3)     NOT NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ledger_accounts_pkey PRIMARY KEY (id),
    CONSTRAINT ledger_accounts_currency_fk FOREIGN KEY (currency) REFERENCES public.currencies (code),
    CONSTRAINT ledger_accounts_kind_chk CHECK (holder_kind IN ('platform', 'driver', 'fleet', 'vehicle_owner', 'hotel')),
    CONSTRAINT ledger_accounts_holder_chk CHECK ((holder_kind = 'platform') = (holder_id IS NULL)),
    CONSTRAINT ledger_accounts_purpose_chk CHECK (purpose IN (
        'processor_receivable',  -- platform: money the processors owe us (asset)
        'commission_revenue',    -- platform: our share of fares and hotel bookings (revenue)
        'subscription_revenue',  -- platform: drivers' subscription fees (revenue)
        'processor_fees',        -- platform: what processors charge (expense)
        'payable'))              -- a payee: what we owe them (liability)
);
COMMENT ON TABLE public.ledger_accounts IS 'Ledger accounts: the platform''s own, and one payable per payee and currency.';
CREATE UNIQUE INDEX ledger_accounts_key ON public.ledger_accounts (holder_kind, holder_id, purpose, currency) NULLS NOT DISTINCT;
CREATE INDEX ledger_accounts_holder_idx ON public.ledger_accounts (holder_id) WHERE holder_id IS NOT NULL;

CREATE TABLE public.journal_entries (
    id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
    entry_type              text        NOT NULL,
    currency                char(3)     NOT NULL,
    description             text        NOT NULL,
    payment_id              uuid,
    ride_id                 uuid,
    ride_requested_at       timestamptz,
    posted_at               timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT journal_entries_pkey PRIMARY KEY (id),
    CONSTRAINT journal_entries_currency_fk FOREIGN KEY (currency) REFERENCES public.currencies (code),
    CONSTRAINT journal_entries_type_chk CHECK (entry_type IN ('ride_fare', 'hotel_booking', 'processor_fee', 'refund',
        'chargeback', 'payout', 'subscription_fee', 'lease_payment'))
);
COMMENT ON TABLE public.journal_entries IS 'Balanced journal entries; never updated or deleted (corrections are new entries).';
-- payment_id and ride_id name the payment and ride an entry was posted for, without foreign keys: the
-- books stay whole when old rides and payments move to the archive schema (they are still there).
CREATE INDEX journal_entries_payment_idx ON public.journal_entries (payment_id) WHERE payment_id IS NOT NULL;
CREATE INDEX journal_entries_ride_idx ON public.journal_entries (ride_id, ride_requested_at) WHERE ride_id IS NOT NULL;

CREATE TABLE public.journal_lines (
    entry_id                uuid        NOT NULL,
    line_no                 smallint    NOT NULL,
    account_id              uuid        NOT NULL,
    amount_minor            bigint      NOT NULL,
    posted_at               timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT journal_lines_pkey PRIMARY KEY (entry_id, line_no),
    CONSTRAINT journal_lines_entry_fk FOREIGN KEY (entry_id) REFERENCES public.journal_entries (id),
    CONSTRAINT journal_lines_account_fk FOREIGN KEY (account_id) REFERENCES public.ledger_accounts (id),
    CONSTRAINT journal_lines_amount_chk CHECK (amount_minor <> 0)
);
COMMENT ON TABLE public.journal_lines IS 'Lines of journal entries: positive amounts debit, negative credit the account.';
COMMENT ON COLUMN public.journal_lines.posted_at IS 'The entry''s time, repeated so that statements and balances read one index.';
-- A payee's balance and statement: one index range per account, amounts included.
CREATE INDEX journal_lines_account_idx ON public.journal_lines (account_id, posted_at) INCLUDE (amount_minor);

-- Checked at commit, once every line is in: each entry sums to zero in its own currency. As the owner:
-- at commit the trigger runs with the rights of whoever's transaction posted, who may not read the ledger.
CREATE FUNCTION public.journal_entry_must_balance() RETURNS trigger
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
CREATE CONSTRAINT TRIGGER journal_lines_balance AFTER INSERT ON public.journal_lines
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION public.journal_entry_must_balance();

CREATE FUNCTION public.ledger_is_append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    RAISE EXCEPTION 'Posted ledger records are never changed; post a correcting entry.'
        USING ERRCODE = 'VR409', HINT = 'ledger-immutable';
END
$$;
CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON public.journal_entries
    FOR EACH ROW EXECUTE FUNCTION public.ledger_is_append_only();
CREATE TRIGGER journal_lines_append_only BEFORE UPDATE OR DELETE ON public.journal_lines
    FOR EACH ROW EXECUTE FUNCTION public.ledger_is_append_only();

-- The account of a holder for a purpose and currency, created on first use.
CREATE FUNCTION public.ledger_account(p_kind text, p_holder uuid, p_purpose text, p_currency char(3)) RETURNS uuid
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
CREATE FUNCTION public.post_entry(p_type text, p_currency char(3), p_description text, p_payment_id uuid,
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

-- ---------------------------------------------------------------------------------------------
-- Ride payments: charged when the ride completes (a card, wallet or bank transfer through a processor;
-- cash collected by the driver). The service charges the processor and records the outcome here.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.payments
    ADD COLUMN processor_fee_minor bigint NOT NULL DEFAULT 0,
    ADD COLUMN idempotency_key text;
ALTER TABLE public.payments ADD CONSTRAINT payments_fee_chk CHECK (processor_fee_minor >= 0 AND processor_fee_minor <= amount_minor);
CREATE UNIQUE INDEX payments_one_fare_per_ride_key ON public.payments (ride_id, ride_requested_at)
    WHERE payment_type = 'ride_fare' AND status IN ('pending', 'processing', 'completed', 'refunded', 'disputed');
CREATE UNIQUE INDEX payments_idempotency_key ON public.payments (payer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- The fare's journal entry: the processor owes us the fare (or, for cash, the driver holds it), which
-- is owed on to each share's holder as ride_earnings split it.
CREATE FUNCTION public.record_ride_payment(p_ride_id uuid, p_requested_at timestamptz, p_method text,
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
BEGIN
    SELECT * INTO v_ride FROM public.rides r
     WHERE r.id = p_ride_id AND r.requested_at = p_requested_at AND r.status = 'completed'
       AND r.driver_id = public.current_driver_id();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Ride % is not a completed ride of yours.', p_ride_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    SELECT * INTO STRICT v_earning FROM public.ride_earnings e
     WHERE e.ride_id = p_ride_id AND e.ride_requested_at = p_requested_at;
    v_cur := v_ride.currency;
    INSERT INTO public.payments (payer_id, payment_type, ride_id, ride_requested_at, amount_minor, currency, status,
                                 method, processor, processor_reference, processor_fee_minor, failure_reason,
                                 authorized_at, completed_at, failed_at)
    VALUES (v_ride.customer_id, 'ride_fare', p_ride_id, p_requested_at, v_ride.final_fare_minor, v_cur,
            CASE WHEN p_succeeded THEN 'completed' ELSE 'failed' END::public.payment_status, p_method, p_processor,
            p_reference, CASE WHEN p_succeeded THEN p_fee_minor ELSE 0 END, p_failure,
            now(), CASE WHEN p_succeeded THEN now() END, CASE WHEN NOT p_succeeded THEN now() END)
    RETURNING id INTO v_payment;
    IF NOT p_succeeded THEN
        RETURN v_payment;
    END IF;
    v_source := CASE WHEN p_method = 'cash' THEN public.ledger_account('driver', v_ride.driver_id, 'payable', v_cur)
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
    IF p_fee_minor > 0 AND p_method <> 'cash' THEN
        PERFORM public.post_entry('processor_fee', v_cur, 'Processor fee of payment ' || v_payment, v_payment,
            p_ride_id, p_requested_at,
            ARRAY[public.ledger_account('platform', NULL, 'processor_fees', v_cur),
                  public.ledger_account('platform', NULL, 'processor_receivable', v_cur)],
            ARRAY[p_fee_minor, -p_fee_minor]);
    END IF;
    RETURN v_payment;
END
$$;
COMMENT ON FUNCTION public.record_ride_payment(uuid, timestamptz, text, text, text, bigint, boolean, text) IS
    'Records the completing driver''s ride payment outcome and posts its fare and fee entries.';

-- The instrument a completed ride is charged to: the rider's most recent saved one, or cash. Only the
-- ride's driver asks, inside the completion; the vault token is the processor's reference, not a card.
CREATE FUNCTION public.ride_payment_instrument(p_ride_id uuid, p_requested_at timestamptz,
                                               OUT method text, OUT processor text, OUT processor_token text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(m.method, 'cash'), coalesce(m.processor, 'cash'), m.processor_token
      FROM public.rides r
      LEFT JOIN LATERAL (SELECT pm.method, pm.processor, pm.processor_token FROM public.payment_methods pm
                          WHERE pm.user_id = r.customer_id ORDER BY pm.created_at DESC LIMIT 1) m ON true
     WHERE r.id = p_ride_id AND r.requested_at = p_requested_at AND r.driver_id = public.current_driver_id()
$$;
CREATE POLICY payment_methods_select_owner ON public.payment_methods FOR SELECT TO vipride_owner USING (true);

-- ---------------------------------------------------------------------------------------------
-- Refunds. The payment row is locked first, so two refunds of one payment run one after the other
-- and the second sees what the first took: never more than was paid. A refund takes each share back
-- in proportion (largest remainder, so the parts add up to the refund exactly).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.refunds (
    id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
    payment_id              uuid        NOT NULL,
    amount_minor            bigint      NOT NULL,
    currency                char(3)     NOT NULL,
    reason                  text        NOT NULL,
    requested_by            uuid,
    idempotency_key         text,
    created_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT refunds_pkey PRIMARY KEY (id),
    CONSTRAINT refunds_payment_fk FOREIGN KEY (payment_id) REFERENCES public.payments (id),
    CONSTRAINT refunds_amount_chk CHECK (amount_minor > 0),
    CONSTRAINT refunds_reason_chk CHECK (length(reason) BETWEEN 1 AND 500)
);
COMMENT ON TABLE public.refunds IS 'Partial and full refunds of payments; their sum never exceeds the payment.';
CREATE INDEX refunds_payment_idx ON public.refunds (payment_id);
CREATE UNIQUE INDEX refunds_idempotency_key ON public.refunds (payment_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Reverses p_amount of a payment's sale entry (a ride's fare, a hotel booking), share by share in proportion.
CREATE FUNCTION public.reverse_fare_share(p_payment public.payments, p_amount bigint, p_type text, p_description text)
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

CREATE FUNCTION public.refund_payment(p_payment_id uuid, p_amount bigint, p_reason text, p_idempotency_key text)
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

-- ---------------------------------------------------------------------------------------------
-- Disputes: a rider's chargeback. While a dispute is open or under review the payment is 'disputed'
-- and payouts to its payees are held; lost, the disputed amount is taken back like a refund; won, the
-- payment is completed again.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.payment_disputes (
    id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
    payment_id              uuid        NOT NULL,
    amount_minor            bigint      NOT NULL,
    reason                  text        NOT NULL,
    status                  text        NOT NULL DEFAULT 'open',
    opened_at               timestamptz NOT NULL DEFAULT now(),
    resolved_at             timestamptz,
    CONSTRAINT payment_disputes_pkey PRIMARY KEY (id),
    CONSTRAINT payment_disputes_payment_fk FOREIGN KEY (payment_id) REFERENCES public.payments (id),
    CONSTRAINT payment_disputes_amount_chk CHECK (amount_minor > 0),
    CONSTRAINT payment_disputes_status_chk CHECK (status IN ('open', 'under_review', 'won', 'lost')),
    CONSTRAINT payment_disputes_resolved_chk CHECK ((status IN ('won', 'lost')) = (resolved_at IS NOT NULL))
);
COMMENT ON TABLE public.payment_disputes IS 'Chargebacks: open and under_review hold the payment''s payouts; lost reverses it.';
CREATE UNIQUE INDEX payment_disputes_one_active_key ON public.payment_disputes (payment_id) WHERE status IN ('open', 'under_review');

CREATE FUNCTION public.open_dispute(p_payment_id uuid, p_amount bigint, p_reason text) RETURNS public.payment_disputes
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

CREATE FUNCTION public.resolve_dispute(p_dispute_id uuid, p_status text) RETURNS public.payment_disputes
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
-- Processor webhooks: each event is recorded once, by the processor's own event id, in the same
-- transaction as its effect — a redelivered event finds its row and has no second effect.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.processor_events (
    processor               text        NOT NULL,
    event_id                text        NOT NULL,
    event_type              text        NOT NULL,
    payment_id              uuid        NOT NULL,
    amount_minor            bigint,
    received_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT processor_events_pkey PRIMARY KEY (processor, event_id),
    CONSTRAINT processor_events_payment_fk FOREIGN KEY (payment_id) REFERENCES public.payments (id),
    CONSTRAINT processor_events_id_chk CHECK (length(event_id) BETWEEN 1 AND 255),
    CONSTRAINT processor_events_type_chk CHECK (event_type IN ('charge.refunded', 'dispute.opened', 'dispute.won', 'dispute.lost'))
);
COMMENT ON TABLE public.processor_events IS 'Webhook events from payment processors, applied exactly once.';
CREATE INDEX processor_events_payment_idx ON public.processor_events (payment_id);

-- A payee's balance: what the platform owes them, from the ledger.
CREATE VIEW public.payee_balances WITH (security_invoker = true) AS
SELECT a.id AS account_id, a.holder_kind, a.holder_id, a.currency,
       coalesce(-(SELECT sum(l.amount_minor) FROM public.journal_lines l WHERE l.account_id = a.id), 0)::bigint AS balance_minor
  FROM public.ledger_accounts a
 WHERE a.purpose = 'payable';
COMMENT ON VIEW public.payee_balances IS 'What the platform owes each payee, per currency (credit balance of their payable account).';

-- The reconciliation check: every entry balances; every completed ride since p_since has a payment;
-- every captured ride payment has its fare entry; every refunded minor unit of a ride payment has its
-- reversal. An empty result is a reconciled ledger.
CREATE FUNCTION public.ledger_discrepancies(p_since timestamptz)
    RETURNS TABLE (kind text, reference uuid, detail text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
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
      FROM public.payments p
     WHERE p.payment_type IN ('ride_fare', 'hotel_booking') AND p.created_at >= p_since AND p.status <> 'failed'
       AND NOT EXISTS (SELECT FROM public.journal_entries e WHERE e.payment_id = p.id AND e.entry_type = p.payment_type)
    UNION ALL
    SELECT 'refund_without_reversal', p.id, 'refunded ' || p.refunded_minor || ', reversed ' || coalesce(x.reversed, 0)
      FROM public.payments p
      LEFT JOIN LATERAL (SELECT sum(l.amount_minor) AS reversed
                           FROM public.journal_entries e JOIN public.journal_lines l ON l.entry_id = e.id
                          WHERE e.payment_id = p.id AND e.entry_type IN ('refund', 'chargeback') AND l.amount_minor > 0) x ON true
     WHERE p.payment_type IN ('ride_fare', 'hotel_booking') AND p.created_at >= p_since
       AND p.refunded_minor <> coalesce(x.reversed, 0)
$$;
COMMENT ON FUNCTION public.ledger_discrepancies(timestamptz) IS
    'Reconciliation: unbalanced entries, completed rides without payment, payments without entries, unreversed refunds.';

-- ---------------------------------------------------------------------------------------------
-- Privileges. Nobody writes the ledger except through the functions above; payees read their own
-- accounts and lines, finance-minded staff (support_agent, system_admin, audit_admin) read all.
-- ---------------------------------------------------------------------------------------------
-- One PL/pgSQL query (its plan cached for the session) rather than a SQL function calling three
-- SECURITY DEFINER helpers: a payee's query evaluates this three times (its WHERE and two policies), and
-- the ledger-statement benchmark measured ~0.25 ms a call the other way.
CREATE FUNCTION public.current_payee_ids() RETURNS uuid[]
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
COMMENT ON FUNCTION public.current_payee_ids() IS 'The payee ids the caller holds: own user id (vehicle owner), driver, fleet, hotel.';

ALTER TABLE public.currencies ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.currencies FORCE ROW LEVEL SECURITY;
ALTER TABLE public.exchange_rates ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.exchange_rates FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.currencies, public.exchange_rates TO customer_user, driver_user, fleet_admin, hotel_staff,
    support_agent, system_admin, audit_admin;
GRANT INSERT ON public.exchange_rates TO system_admin;
DO $$
DECLARE
    v_table text;
    v_role  text;
BEGIN
    FOREACH v_table IN ARRAY ARRAY['currencies', 'exchange_rates'] LOOP
        FOREACH v_role IN ARRAY ARRAY['customer_user', 'driver_user', 'fleet_admin', 'hotel_staff', 'support_agent',
                                      'system_admin', 'audit_admin', 'vipride_owner'] LOOP
            EXECUTE format('CREATE POLICY %I ON public.%I FOR SELECT TO %I USING (true)',
                           v_table || '_select_' || v_role, v_table, v_role);
        END LOOP;
    END LOOP;
END
$$;
CREATE POLICY exchange_rates_insert_system_admin ON public.exchange_rates FOR INSERT TO system_admin WITH CHECK (true);

ALTER TABLE public.ledger_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.ledger_accounts FORCE ROW LEVEL SECURITY;
ALTER TABLE public.journal_entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.journal_entries FORCE ROW LEVEL SECURITY;
ALTER TABLE public.journal_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.journal_lines FORCE ROW LEVEL SECURITY;
ALTER TABLE public.refunds ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.refunds FORCE ROW LEVEL SECURITY;
ALTER TABLE public.payment_disputes ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.payment_disputes FORCE ROW LEVEL SECURITY;
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

ALTER TABLE public.processor_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.processor_events FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON public.processor_events TO system_admin;
GRANT SELECT ON public.processor_events TO support_agent, audit_admin;
CREATE POLICY processor_events_insert_system_admin ON public.processor_events FOR INSERT TO system_admin WITH CHECK (true);
CREATE POLICY processor_events_select_system_admin ON public.processor_events FOR SELECT TO system_admin USING (true);
CREATE POLICY processor_events_select_support_agent ON public.processor_events FOR SELECT TO support_agent USING (true);
CREATE POLICY processor_events_select_audit_admin ON public.processor_events FOR SELECT TO audit_admin USING (true);

REVOKE ALL ON FUNCTION public.exchange_rate(char, char, timestamptz), public.convert_minor(bigint, char, char, timestamptz),
    public.journal_entry_must_balance(), public.ledger_is_append_only(), public.ledger_account(text, uuid, text, char),
    public.post_entry(text, char, text, uuid, uuid, timestamptz, uuid[], bigint[]),
    public.record_ride_payment(uuid, timestamptz, text, text, text, bigint, boolean, text),
    public.reverse_fare_share(public.payments, bigint, text, text), public.refund_payment(uuid, bigint, text, text),
    public.open_dispute(uuid, bigint, text), public.resolve_dispute(uuid, text), public.current_payee_ids(),
    public.ride_payment_instrument(uuid, timestamptz), public.ledger_discrepancies(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.ledger_discrepancies(timestamptz) TO system_admin, audit_admin;
GRANT EXECUTE ON FUNCTION public.exchange_rate(char, char, timestamptz), public.convert_minor(bigint, char, char, timestamptz)
    TO customer_user, driver_user, fleet_admin, hotel_staff, support_agent, system_admin, audit_admin;
GRANT EXECUTE ON FUNCTION public.record_ride_payment(uuid, timestamptz, text, text, text, bigint, boolean, text),
    public.ride_payment_instrument(uuid, timestamptz) TO driver_user;
GRANT EXECUTE ON FUNCTION public.refund_payment(uuid, bigint, text, text), public.open_dispute(uuid, bigint, text),
    public.resolve_dispute(uuid, text) TO support_agent, system_admin;
GRANT EXECUTE ON FUNCTION public.current_payee_ids() TO driver_user, fleet_admin, customer_user, hotel_staff;

SELECT audit.enable_audit('public.exchange_rates', 'base_currency');
SELECT audit.enable_audit('public.refunds');
SELECT audit.enable_audit('public.payment_disputes');
