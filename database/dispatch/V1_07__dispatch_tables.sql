-- V1_07__dispatch_tables.sql — ride_offers: each driver a ride was offered to, and what became of it.
-- Rules: money is integer minor units beside an ISO-4217 code; every timestamp is timestamptz; RLS is
-- enabled and FORCED on every table (the policies live in the repeatable file).

-- ---------------------------------------------------------------------------------------------
-- ride_offers: each driver a ride was offered to, and what became of the offer. A driver is offered a
-- ride at most once; an open offer holds the driver (is_available = false) until it is answered or
-- times out.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.ride_offers (
    ride_id                 uuid        NOT NULL,
    ride_requested_at       timestamptz NOT NULL,
    driver_id               uuid        NOT NULL,
    pickup_distance_m       integer     NOT NULL,
    offered_at              timestamptz NOT NULL DEFAULT now(),
    expires_at              timestamptz NOT NULL,
    status                  text        NOT NULL DEFAULT 'offered',
    responded_at            timestamptz,
    CONSTRAINT ride_offers_pkey PRIMARY KEY (ride_id, driver_id),
    CONSTRAINT ride_offers_ride_fk FOREIGN KEY (ride_id, ride_requested_at) REFERENCES public.rides (id, requested_at),
    CONSTRAINT ride_offers_driver_fk FOREIGN KEY (driver_id) REFERENCES public.drivers (id),
    CONSTRAINT ride_offers_status_chk CHECK (status IN ('offered', 'accepted', 'declined', 'expired', 'withdrawn')),
    CONSTRAINT ride_offers_responded_chk CHECK ((status = 'offered') = (responded_at IS NULL)),
    CONSTRAINT ride_offers_expiry_chk CHECK (expires_at > offered_at)
);

COMMENT ON TABLE public.ride_offers IS 'Offers of rides to drivers: accepted, declined, timed out or withdrawn (ride cancelled).';

-- At most one open offer per ride.
CREATE UNIQUE INDEX ride_offers_one_open_key ON public.ride_offers (ride_id) WHERE status = 'offered';

CREATE INDEX ride_offers_open_expiry_idx ON public.ride_offers (expires_at) WHERE status = 'offered';

CREATE INDEX ride_offers_driver_idx ON public.ride_offers (driver_id, offered_at DESC);

ALTER TABLE public.ride_offers ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.ride_offers FORCE ROW LEVEL SECURITY;

