-- V4_2__payments_lease_contracts_and_plan_prices.sql — money for lease contracts and dated plan prices.
--   * A lease may be taken by a driver: a driver pays its lease statements from earnings as a user
--     (payer_id), a fleet still pays as a fleet; a fleet pays nothing but leases.
--   * Ending a lease early moves its early-termination fee between the parties' payables: a journal
--     entry of its own type.
--   * Subscription prices are dated rows per tier and currency (subscription_plan_prices), so a price
--     change keeps the history and takes effect from a chosen time; a subscription keeps the price it
--     was taken at (driver_subscriptions.monthly_price_minor). subscription_plans keeps the tiers'
--     currencies and benefits.
-- Money is bounded by the platform's domain maximum, 10^12 minor units.

ALTER TABLE public.payments DROP CONSTRAINT payments_lease_payer_chk;

ALTER TABLE public.payments ADD CONSTRAINT payments_fleet_pays_leases_chk
    CHECK (payer_fleet_company_id IS NULL OR payment_type = 'vehicle_lease');

ALTER TABLE public.journal_entries DROP CONSTRAINT journal_entries_type_chk;

ALTER TABLE public.journal_entries ADD CONSTRAINT journal_entries_type_chk CHECK (entry_type IN ('ride_fare',
    'hotel_booking', 'processor_fee', 'refund', 'chargeback', 'payout', 'subscription_fee', 'lease_payment',
    'lease_termination'));

CREATE TABLE public.subscription_plan_prices (
    tier                    public.driver_subscription_tier NOT NULL,
    currency                char(3)     NOT NULL,
    monthly_price_minor     bigint      NOT NULL,
    effective_from          timestamptz NOT NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subscription_plan_prices_pkey PRIMARY KEY (tier, currency, effective_from),
    CONSTRAINT subscription_plan_prices_plan_fk FOREIGN KEY (tier, currency) REFERENCES public.subscription_plans (tier, currency),
    CONSTRAINT subscription_plan_prices_price_chk CHECK (monthly_price_minor BETWEEN 1 AND 1000000000000)
);

COMMENT ON TABLE public.subscription_plan_prices IS
    'Monthly subscription prices per tier and currency from effective_from on; history is kept, never overwritten.';

-- The backfills read and write every row: row-level security is lifted for the owner while they run.
ALTER TABLE public.subscription_plans NO FORCE ROW LEVEL SECURITY;

ALTER TABLE public.driver_subscriptions NO FORCE ROW LEVEL SECURITY;

-- Today's prices have been in force since before the platform took its first subscription.
INSERT INTO public.subscription_plan_prices (tier, currency, monthly_price_minor, effective_from)
SELECT tier, currency, monthly_price_minor, TIMESTAMPTZ '2000-01-01 00:00:00+00' FROM public.subscription_plans;

ALTER TABLE public.driver_subscriptions ADD COLUMN monthly_price_minor bigint;

UPDATE public.driver_subscriptions s SET monthly_price_minor = p.monthly_price_minor
  FROM public.subscription_plans p WHERE p.tier = s.tier AND p.currency = s.currency;

ALTER TABLE public.subscription_plans FORCE ROW LEVEL SECURITY;

ALTER TABLE public.driver_subscriptions FORCE ROW LEVEL SECURITY;

ALTER TABLE public.driver_subscriptions ALTER COLUMN monthly_price_minor SET NOT NULL;

ALTER TABLE public.driver_subscriptions ADD CONSTRAINT driver_subscriptions_price_chk
    CHECK (monthly_price_minor BETWEEN 1 AND 1000000000000);

COMMENT ON COLUMN public.driver_subscriptions.monthly_price_minor IS
    'The plan''s price when the driver subscribed, in the plan''s currency: every renewal charges it.';

ALTER TABLE public.subscription_plans DROP COLUMN monthly_price_minor;

ALTER TABLE public.subscription_plan_prices ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.subscription_plan_prices FORCE ROW LEVEL SECURITY;
