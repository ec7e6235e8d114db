-- V1_09__payments_tables.sql — money: payments (ride fares, hotel bookings, lease payments, driver
-- subscriptions), payment_methods, ride_earnings, the double-entry ledger (accounts, journal entries
-- and lines, the closed books), refunds, disputes, processor events, payouts, subscription plans and
-- subscriptions, lease statements. A payment's type decides which reference it must carry; refunds
-- never exceed what was paid. References into the ledger carry no foreign keys, so the books stay whole
-- when rides and payments move to the archive.
-- Rules: money is integer minor units beside an ISO-4217 code; every timestamp is timestamptz; RLS is
-- enabled and FORCED on every table (the policies live in the repeatable file).

-- ---------------------------------------------------------------------------------------------
-- payments: money paid. Ride fares are charged when the ride completes (a card, wallet or bank transfer
-- through a processor; cash collected by the driver) and hotel bookings through a processor: the service
-- charges the processor and records the outcome here. Lease payments and driver subscriptions are paid
-- from earnings. Exactly one payer: a user, or a fleet for a lease payment.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.payments (
    id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
    payer_id                uuid,
    payment_type            text        NOT NULL,
    ride_id                 uuid,
    ride_requested_at       timestamptz,
    amount_minor            bigint      NOT NULL,
    currency                char(3)     NOT NULL,
    refunded_minor          bigint      NOT NULL DEFAULT 0,
    status                  public.payment_status NOT NULL DEFAULT 'pending',
    method                  text        NOT NULL,
    processor               text        NOT NULL DEFAULT 'sandbox',
    processor_reference     text,
    failure_reason          text,
    authorized_at           timestamptz,
    completed_at            timestamptz,
    failed_at               timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    processor_fee_minor     bigint      NOT NULL DEFAULT 0,
    idempotency_key         text,
    -- A reference without a foreign key, like the ledger's: a payment and its booking may reach the
    -- archive in either order (bookings tied to a ride move with the ride).
    hotel_booking_id        uuid,
    payer_fleet_company_id  uuid,
    payee_user_id           uuid,
    lease_statement_id      uuid,
    driver_subscription_id  uuid,
    CONSTRAINT payments_pkey PRIMARY KEY (id),
    CONSTRAINT payments_payer_fk FOREIGN KEY (payer_id) REFERENCES public.users (id),
    CONSTRAINT payments_ride_fk FOREIGN KEY (ride_id, ride_requested_at) REFERENCES public.rides (id, requested_at),
    CONSTRAINT payments_payer_fleet_fk FOREIGN KEY (payer_fleet_company_id) REFERENCES public.fleet_companies (id),
    CONSTRAINT payments_payee_fk FOREIGN KEY (payee_user_id) REFERENCES public.users (id),
    CONSTRAINT payments_type_chk CHECK (payment_type IN ('ride_fare', 'hotel_booking', 'vehicle_lease', 'subscription')),
    CONSTRAINT payments_ride_ref_chk CHECK ((payment_type = 'ride_fare') = (ride_id IS NOT NULL)),
    CONSTRAINT payments_ride_pair_chk CHECK ((ride_id IS NULL) = (ride_requested_at IS NULL)),
    CONSTRAINT payments_booking_ref_chk CHECK ((payment_type = 'hotel_booking') = (hotel_booking_id IS NOT NULL)),
    CONSTRAINT payments_lease_ref_chk CHECK ((payment_type = 'vehicle_lease') = (lease_statement_id IS NOT NULL)),
    CONSTRAINT payments_subscription_ref_chk CHECK ((payment_type = 'subscription') = (driver_subscription_id IS NOT NULL)),
    CONSTRAINT payments_one_payer_chk CHECK ((payer_id IS NULL) <> (payer_fleet_company_id IS NULL)),
    CONSTRAINT payments_lease_payer_chk CHECK ((payment_type = 'vehicle_lease') = (payer_fleet_company_id IS NOT NULL)),
    CONSTRAINT payments_lease_payee_chk CHECK ((payment_type = 'vehicle_lease') = (payee_user_id IS NOT NULL)),
    CONSTRAINT payments_earnings_method_chk CHECK (payment_type NOT IN ('vehicle_lease', 'subscription')
                                                   OR (method = 'wallet' AND processor = 'earnings')),
    CONSTRAINT payments_amount_chk CHECK (amount_minor > 0),
    CONSTRAINT payments_refund_chk CHECK (refunded_minor BETWEEN 0 AND amount_minor),
    CONSTRAINT payments_fee_chk CHECK (processor_fee_minor >= 0 AND processor_fee_minor <= amount_minor),
    CONSTRAINT payments_currency_chk CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT payments_method_chk CHECK (method IN ('card', 'bank_transfer', 'wallet', 'cash')),
    CONSTRAINT payments_completed_chk CHECK (status <> 'completed' OR completed_at IS NOT NULL),
    CONSTRAINT payments_failed_chk CHECK (status <> 'failed' OR failed_at IS NOT NULL)
);

COMMENT ON TABLE public.payments IS
    'Money paid: ride fares, hotel bookings (through processors), lease payments and driver subscriptions (from earnings).';

COMMENT ON COLUMN public.payments.payer_id IS 'The paying user (rider, guest, subscribing driver); empty when a fleet pays.';

COMMENT ON COLUMN public.payments.hotel_booking_id IS 'The hotel booking a hotel_booking payment pays (hotel_bookings.id).';

COMMENT ON COLUMN public.payments.payer_fleet_company_id IS 'The paying fleet of a vehicle_lease payment.';

COMMENT ON COLUMN public.payments.payee_user_id IS 'The vehicle owner a vehicle_lease payment pays, as at the payment.';

COMMENT ON COLUMN public.payments.lease_statement_id IS 'The lease statement a vehicle_lease payment settles.';

COMMENT ON COLUMN public.payments.driver_subscription_id IS 'The driver subscription a subscription payment (or failed attempt) charges.';

CREATE INDEX payments_payer_created_idx ON public.payments (payer_id, created_at DESC);

CREATE INDEX payments_fleet_created_idx ON public.payments (payer_fleet_company_id, created_at DESC)
    WHERE payer_fleet_company_id IS NOT NULL;

CREATE INDEX payments_payee_created_idx ON public.payments (payee_user_id, created_at DESC) WHERE payee_user_id IS NOT NULL;

CREATE INDEX payments_ride_idx ON public.payments (ride_id, ride_requested_at) WHERE ride_id IS NOT NULL;

CREATE INDEX payments_subscription_idx ON public.payments (driver_subscription_id) WHERE driver_subscription_id IS NOT NULL;

CREATE UNIQUE INDEX payments_processor_ref_key ON public.payments (processor, processor_reference)
    WHERE processor_reference IS NOT NULL;

CREATE UNIQUE INDEX payments_idempotency_key ON public.payments (payer_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- One live charge per ride fare, per hotel booking and per lease statement; failed attempts do not count.
CREATE UNIQUE INDEX payments_one_fare_per_ride_key ON public.payments (ride_id, ride_requested_at)
    WHERE payment_type = 'ride_fare' AND status IN ('pending', 'processing', 'completed', 'refunded', 'disputed');

CREATE UNIQUE INDEX payments_one_per_booking_key ON public.payments (hotel_booking_id)
    WHERE payment_type = 'hotel_booking' AND status IN ('pending', 'processing', 'completed', 'refunded', 'disputed');

CREATE UNIQUE INDEX payments_one_per_lease_statement_key ON public.payments (lease_statement_id)
    WHERE lease_statement_id IS NOT NULL AND status <> 'failed';

-- Saved payment instruments. Only the processor's vault token and display hints are stored, never a
-- card number; only the owning rider can read them (support staff cannot).
CREATE TABLE public.payment_methods (
    id                uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id           uuid        NOT NULL,
    method            text        NOT NULL,
    processor         text        NOT NULL,
    processor_token   text        NOT NULL,
    brand             text,
    last4             text,
    expires_month     smallint,
    expires_year      smallint,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT payment_methods_pkey PRIMARY KEY (id),
    CONSTRAINT payment_methods_user_fk FOREIGN KEY (user_id) REFERENCES public.users (id),
    CONSTRAINT payment_methods_method_chk CHECK (method IN ('card', 'bank_transfer', 'wallet')),
    CONSTRAINT payment_methods_last4_chk CHECK (last4 IS NULL OR last4 ~ '^[0-9]{4}$'),
    CONSTRAINT payment_methods_expiry_chk CHECK (expires_month IS NULL OR expires_month BETWEEN 1 AND 12),
    CONSTRAINT payment_methods_token_key UNIQUE (processor, processor_token)
);

COMMENT ON TABLE public.payment_methods IS 'Tokenised payment instruments; readable by their owner only.';

CREATE INDEX payment_methods_user_idx ON public.payment_methods (user_id);

-- How each completed ride's fare is shared. Every share is stored, in the fare's currency, and the
-- shares add up exactly to the fare; the rate and the rule that chose it are kept for audit.
CREATE TABLE public.ride_earnings (
    ride_id                   uuid        NOT NULL,
    ride_requested_at         timestamptz NOT NULL,
    driver_id                 uuid        NOT NULL,
    fleet_company_id          uuid,
    vehicle_owner_id          uuid,
    currency                  char(3)     NOT NULL,
    fare_minor                bigint      NOT NULL,
    commission_rate_bp        integer     NOT NULL,
    commission_rule           text        NOT NULL,
    platform_commission_minor bigint      NOT NULL,
    driver_share_minor        bigint      NOT NULL,
    fleet_share_minor         bigint      NOT NULL DEFAULT 0,
    owner_share_minor         bigint      NOT NULL DEFAULT 0,
    earned_at                 timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ride_earnings_pkey PRIMARY KEY (ride_id, ride_requested_at),
    CONSTRAINT ride_earnings_ride_fk FOREIGN KEY (ride_id, ride_requested_at) REFERENCES public.rides (id, requested_at),
    CONSTRAINT ride_earnings_driver_fk FOREIGN KEY (driver_id) REFERENCES public.drivers (id),
    CONSTRAINT ride_earnings_fleet_fk FOREIGN KEY (fleet_company_id) REFERENCES public.fleet_companies (id),
    CONSTRAINT ride_earnings_owner_fk FOREIGN KEY (vehicle_owner_id) REFERENCES public.users (id),
    CONSTRAINT ride_earnings_currency_chk CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT ride_earnings_rate_chk CHECK (commission_rate_bp BETWEEN 1500 AND 3000),
    CONSTRAINT ride_earnings_non_negative_chk CHECK (fare_minor >= 0 AND platform_commission_minor >= 0
        AND driver_share_minor >= 0 AND fleet_share_minor >= 0 AND owner_share_minor >= 0),
    CONSTRAINT ride_earnings_shares_add_up_chk CHECK (
        platform_commission_minor + driver_share_minor + fleet_share_minor + owner_share_minor = fare_minor),
    CONSTRAINT ride_earnings_fleet_share_chk CHECK (fleet_share_minor = 0 OR fleet_company_id IS NOT NULL),
    CONSTRAINT ride_earnings_owner_share_chk CHECK (owner_share_minor = 0 OR vehicle_owner_id IS NOT NULL)
);

COMMENT ON TABLE public.ride_earnings IS 'Per-ride split of the fare between platform, driver, fleet and vehicle owner.';

CREATE INDEX ride_earnings_driver_idx ON public.ride_earnings (driver_id, earned_at DESC);

CREATE INDEX ride_earnings_fleet_idx ON public.ride_earnings (fleet_company_id, earned_at DESC) WHERE fleet_company_id IS NOT NULL;

CREATE INDEX ride_earnings_owner_idx ON public.ride_earnings (vehicle_owner_id, earned_at DESC) WHERE vehicle_owner_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- Money: payments, payment_methods, ride_earnings
--   customer_user: own payments and own saved instruments; support_agent: payments without processor
--   references, never instruments; driver_user and fleet_admin: their own earnings and revenue.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.payments ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.payments FORCE ROW LEVEL SECURITY;

ALTER TABLE public.payment_methods ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.payment_methods FORCE ROW LEVEL SECURITY;

ALTER TABLE public.ride_earnings ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.ride_earnings FORCE ROW LEVEL SECURITY;

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

ALTER TABLE public.processor_events ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.processor_events FORCE ROW LEVEL SECURITY;

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

-- payments is created before the subscriptions it charges.
ALTER TABLE public.payments ADD CONSTRAINT payments_subscription_fk
    FOREIGN KEY (driver_subscription_id) REFERENCES public.driver_subscriptions (id);

-- ---------------------------------------------------------------------------------------------
-- Row-level security of the payout and subscription tables
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.payout_minimums ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.payout_minimums FORCE ROW LEVEL SECURITY;

ALTER TABLE public.subscription_plans ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.subscription_plans FORCE ROW LEVEL SECURITY;

ALTER TABLE public.payouts ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.payouts FORCE ROW LEVEL SECURITY;

ALTER TABLE public.driver_subscriptions ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.driver_subscriptions FORCE ROW LEVEL SECURITY;

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

ALTER TABLE public.lease_statements ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.lease_statements FORCE ROW LEVEL SECURITY;

-- payments is created before the lease statements it settles.
ALTER TABLE public.payments ADD CONSTRAINT payments_lease_statement_fk
    FOREIGN KEY (lease_statement_id) REFERENCES public.lease_statements (id);


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

-- ---------------------------------------------------------------------------------------------
-- Privileges: closed balances are read like the lines they sum (payees their own accounts' rows;
-- support, system and audit admins all); the books' one row by everyone who reads balances.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.ledger_books ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.ledger_books FORCE ROW LEVEL SECURITY;

ALTER TABLE public.ledger_period_balances ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.ledger_period_balances FORCE ROW LEVEL SECURITY;

CREATE INDEX IF NOT EXISTS journal_lines_account_page_idx ON public.journal_lines (account_id, posted_at)
    INCLUDE (amount_minor, entry_id);

