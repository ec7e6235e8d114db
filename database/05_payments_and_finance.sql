-- Part 05 — payments. Amounts are integer minor units with an ISO-4217 code; a payment's purpose
-- decides which reference it must carry; refunds can never exceed what was paid.

CREATE TABLE public.payments (
    id                    uuid        NOT NULL DEFAULT gen_random_uuid(),
    payer_id              uuid        NOT NULL,
    payment_type          text        NOT NULL,
    ride_id               uuid,
    ride_requested_at     timestamptz,
    amount_minor          bigint      NOT NULL,
    currency              char(3)     NOT NULL,
    refunded_minor        bigint      NOT NULL DEFAULT 0,
    status                public.payment_status NOT NULL DEFAULT 'pending',
    method                text        NOT NULL,
    processor             text        NOT NULL DEFAULT 'sandbox',
    processor_reference   text,
    failure_reason        text,
    authorized_at         timestamptz,
    completed_at          timestamptz,
    failed_at             timestamptz,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT payments_pkey PRIMARY KEY (id),
    CONSTRAINT payments_payer_fk FOREIGN KEY (payer_id) REFERENCES public.users (id),
    CONSTRAINT payments_ride_fk FOREIGN KEY (ride_id, ride_requested_at) REFERENCES public.rides (id, requested_at),
    CONSTRAINT payments_type_chk CHECK (payment_type IN ('ride_fare', 'hotel_booking', 'vehicle_lease', 'subscription')),
    CONSTRAINT payments_ride_ref_chk CHECK ((payment_type = 'ride_fare') = (ride_id IS NOT NULL)),
    CONSTRAINT payments_ride_pair_chk CHECK ((ride_id IS NULL) = (ride_requested_at IS NULL)),
    CONSTRAINT payments_amount_chk CHECK (amount_minor > 0),
    CONSTRAINT payments_refund_chk CHECK (refunded_minor BETWEEN 0 AND amount_minor),
    CONSTRAINT payments_currency_chk CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT payments_method_chk CHECK (method IN ('card', 'bank_transfer', 'wallet', 'cash')),
    CONSTRAINT payments_completed_chk CHECK (status <> 'completed' OR completed_at IS NOT NULL),
    CONSTRAINT payments_failed_chk CHECK (status <> 'failed' OR failed_at IS NOT NULL)
);
COMMENT ON TABLE public.payments IS 'Money paid by riders and partners; ledger postings are added by the payments issue.';
CREATE INDEX payments_payer_created_idx ON public.payments (payer_id, created_at DESC);
CREATE INDEX payments_ride_idx ON public.payments (ride_id, ride_requested_at) WHERE ride_id IS NOT NULL;
CREATE UNIQUE INDEX payments_processor_ref_key ON public.payments (processor, processor_reference)
    WHERE processor_reference IS NOT NULL;

CREATE TRIGGER payments_touch_updated_at BEFORE UPDATE ON public.payments
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

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
