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
