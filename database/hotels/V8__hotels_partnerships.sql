-- V8__hotels_partnerships.sql — hotel partnerships run through the API:
--   * the partnership tiers' rates in one reference table (commission on bookings, referral commission
--     on rides a hotel originates, dispatch priority of its guests); partners are vetted, suspended and
--     reinstated;
--   * room types, rate plans (base nightly price per currency, weekend and peak surcharges, occupancy
--     pricing, cancellation policy), peak seasons and blackout dates;
--   * booked nights per room type (hotel_inventory_nights), kept by the bookings' trigger, which the
--     availability search and occupancy pricing read instead of the bookings;
--   * bookings priced by the database (the rate plan, the rate in force and the night-by-night
--     breakdown stored on the booking), made once per Idempotency-Key, and a pending status;
--   * rides a hotel originates (transfers of a stay, rides for guests) and monthly partner statements.
-- Money is integer minor units beside an ISO 4217 code.

CREATE TABLE public.hotel_tier_rates (
    tier                    public.hotel_partnership_tier NOT NULL,
    commission_rate_bp      integer     NOT NULL,
    referral_commission_bp  integer     NOT NULL,
    dispatch_priority       smallint    NOT NULL,
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT hotel_tier_rates_pkey PRIMARY KEY (tier),
    CONSTRAINT hotel_tier_rates_commission_chk CHECK (commission_rate_bp BETWEEN 0 AND 5000),
    CONSTRAINT hotel_tier_rates_referral_chk CHECK (referral_commission_bp BETWEEN 0 AND 5000),
    CONSTRAINT hotel_tier_rates_priority_chk CHECK (dispatch_priority BETWEEN 0 AND 5)
);

COMMENT ON TABLE public.hotel_tier_rates IS
    'Per partnership tier: the platform''s commission on bookings, the hotel''s referral commission on rides it '
    'originates (basis points of the fare) and its guests'' dispatch priority.';

INSERT INTO public.hotel_tier_rates (tier, commission_rate_bp, referral_commission_bp, dispatch_priority) VALUES
    ('standard', 1500, 300, 0),
    ('preferred', 1200, 500, 1),
    ('exclusive', 1000, 700, 2);

ALTER TABLE public.hotel_partners
    ADD COLUMN vetted_at timestamptz,
    ADD COLUMN vetted_by uuid,
    ADD COLUMN suspended_at timestamptz,
    ADD COLUMN status_reason text,
    ADD COLUMN applied_by uuid,
    ADD CONSTRAINT hotel_partners_tier_fk FOREIGN KEY (partnership_tier) REFERENCES public.hotel_tier_rates (tier),
    ADD CONSTRAINT hotel_partners_reason_chk CHECK (length(status_reason) <= 500);

CREATE TABLE public.hotel_room_types (
    id              uuid        NOT NULL DEFAULT gen_random_uuid(),
    hotel_id        uuid        NOT NULL,
    name            text        NOT NULL,
    category        text        NOT NULL DEFAULT 'standard',
    capacity        smallint    NOT NULL,
    amenities       text[]      NOT NULL DEFAULT '{}',
    rooms_count     integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT hotel_room_types_pkey PRIMARY KEY (id),
    CONSTRAINT hotel_room_types_id_hotel_key UNIQUE (id, hotel_id),
    CONSTRAINT hotel_room_types_name_key UNIQUE (hotel_id, name),
    CONSTRAINT hotel_room_types_hotel_fk FOREIGN KEY (hotel_id) REFERENCES public.hotel_partners (id),
    CONSTRAINT hotel_room_types_name_chk CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    CONSTRAINT hotel_room_types_category_chk CHECK (category IN ('standard', 'deluxe', 'suite', 'presidential')),
    CONSTRAINT hotel_room_types_capacity_chk CHECK (capacity BETWEEN 1 AND 12),
    CONSTRAINT hotel_room_types_amenities_chk CHECK (cardinality(amenities) <= 50)
);

COMMENT ON TABLE public.hotel_room_types IS 'Kinds of room a hotel offers: capacity and amenities; rooms and rate plans belong to one.';

COMMENT ON COLUMN public.hotel_room_types.rooms_count IS 'Its bookable rooms (is_available), kept by the rooms'' trigger.';

-- Rooms of a type (rooms made before types keep room_type_id NULL and are not offered by the search).
-- Prices now live in rate plans: the room's own rate columns are only kept for rooms without a type.
ALTER TABLE public.hotel_rooms
    ADD COLUMN room_type_id uuid,
    ADD CONSTRAINT hotel_rooms_room_type_fk FOREIGN KEY (room_type_id, hotel_id)
        REFERENCES public.hotel_room_types (id, hotel_id),
    ALTER COLUMN nightly_rate_minor DROP NOT NULL,
    ALTER COLUMN currency DROP NOT NULL,
    ADD CONSTRAINT hotel_rooms_priced_chk CHECK (room_type_id IS NOT NULL OR (nightly_rate_minor IS NOT NULL AND currency IS NOT NULL));

CREATE INDEX hotel_rooms_room_type_idx ON public.hotel_rooms (room_type_id) WHERE room_type_id IS NOT NULL;

CREATE TABLE public.hotel_rate_plans (
    id                        uuid        NOT NULL DEFAULT gen_random_uuid(),
    hotel_id                  uuid        NOT NULL,
    room_type_id              uuid        NOT NULL,
    name                      text        NOT NULL,
    currency                  char(3)     NOT NULL,
    base_nightly_minor        bigint      NOT NULL,
    -- ISO day of week of the night (the date one checks in on): 5 = Friday night, 6 = Saturday night.
    weekend_nights            smallint[]  NOT NULL DEFAULT '{5,6}',
    weekend_surcharge_bp      integer     NOT NULL DEFAULT 0,
    occupancy_threshold_pct   smallint,
    occupancy_surcharge_bp    integer     NOT NULL DEFAULT 0,
    free_cancellation_hours   integer     NOT NULL DEFAULT 48,
    cancellation_fee_bp       integer     NOT NULL DEFAULT 0,
    valid_from                date        NOT NULL,
    valid_to                  date,
    active                    boolean     NOT NULL DEFAULT true,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT hotel_rate_plans_pkey PRIMARY KEY (id),
    CONSTRAINT hotel_rate_plans_id_hotel_key UNIQUE (id, hotel_id),
    CONSTRAINT hotel_rate_plans_room_type_fk FOREIGN KEY (room_type_id, hotel_id) REFERENCES public.hotel_room_types (id, hotel_id),
    CONSTRAINT hotel_rate_plans_currency_fk FOREIGN KEY (currency) REFERENCES public.currencies (code),
    CONSTRAINT hotel_rate_plans_name_chk CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    CONSTRAINT hotel_rate_plans_base_chk CHECK (base_nightly_minor BETWEEN 1 AND 1000000000000),
    CONSTRAINT hotel_rate_plans_weekend_nights_chk CHECK (weekend_nights <@ '{1,2,3,4,5,6,7}'::smallint[]),
    CONSTRAINT hotel_rate_plans_weekend_chk CHECK (weekend_surcharge_bp BETWEEN 0 AND 10000),
    CONSTRAINT hotel_rate_plans_occupancy_chk CHECK (occupancy_threshold_pct BETWEEN 1 AND 100
                                                     AND occupancy_surcharge_bp BETWEEN 0 AND 10000),
    CONSTRAINT hotel_rate_plans_cancellation_chk CHECK (free_cancellation_hours BETWEEN 0 AND 8760
                                                        AND cancellation_fee_bp BETWEEN 0 AND 10000),
    CONSTRAINT hotel_rate_plans_validity_chk CHECK (valid_to IS NULL OR valid_to > valid_from),
    -- One active plan per room type and currency for any night: a plan never overlaps itself.
    CONSTRAINT hotel_rate_plans_no_overlap EXCLUDE USING gist (
        room_type_id WITH =, currency WITH =, daterange(valid_from, valid_to) WITH &&) WHERE (active)
);

COMMENT ON TABLE public.hotel_rate_plans IS
    'Prices of a room type in one currency over a validity period: base nightly price, weekend and occupancy '
    'surcharges (basis points of the base), cancellation policy.';

CREATE TABLE public.hotel_rate_plan_seasons (
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    rate_plan_id     uuid        NOT NULL,
    hotel_id         uuid        NOT NULL,
    name             text        NOT NULL,
    starts_on        date        NOT NULL,
    ends_on          date        NOT NULL,
    surcharge_bp     integer     NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT hotel_rate_plan_seasons_pkey PRIMARY KEY (id),
    CONSTRAINT hotel_rate_plan_seasons_plan_fk FOREIGN KEY (rate_plan_id, hotel_id) REFERENCES public.hotel_rate_plans (id, hotel_id),
    CONSTRAINT hotel_rate_plan_seasons_name_chk CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    CONSTRAINT hotel_rate_plan_seasons_dates_chk CHECK (ends_on > starts_on),
    CONSTRAINT hotel_rate_plan_seasons_surcharge_chk CHECK (surcharge_bp BETWEEN 0 AND 50000),
    CONSTRAINT hotel_rate_plan_seasons_no_overlap EXCLUDE USING gist (
        rate_plan_id WITH =, daterange(starts_on, ends_on) WITH &&)
);

COMMENT ON TABLE public.hotel_rate_plan_seasons IS 'Peak dates of a rate plan (nights starts_on to ends_on, exclusive): a surcharge in basis points of the base.';

CREATE INDEX hotel_rate_plans_room_type_idx ON public.hotel_rate_plans (room_type_id) WHERE active;

CREATE INDEX hotel_rate_plan_seasons_plan_idx ON public.hotel_rate_plan_seasons (rate_plan_id, starts_on);

CREATE TABLE public.hotel_blackout_dates (
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    hotel_id         uuid        NOT NULL,
    room_type_id     uuid,
    starts_on        date        NOT NULL,
    ends_on          date        NOT NULL,
    reason           text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT hotel_blackout_dates_pkey PRIMARY KEY (id),
    CONSTRAINT hotel_blackout_dates_hotel_fk FOREIGN KEY (hotel_id) REFERENCES public.hotel_partners (id),
    CONSTRAINT hotel_blackout_dates_room_type_fk FOREIGN KEY (room_type_id, hotel_id) REFERENCES public.hotel_room_types (id, hotel_id),
    CONSTRAINT hotel_blackout_dates_dates_chk CHECK (ends_on > starts_on),
    CONSTRAINT hotel_blackout_dates_reason_chk CHECK (length(reason) <= 500)
);

COMMENT ON TABLE public.hotel_blackout_dates IS 'Nights (starts_on to ends_on, exclusive) a hotel, or one of its room types, cannot be booked.';

CREATE INDEX hotel_blackout_dates_hotel_idx ON public.hotel_blackout_dates USING gist (hotel_id, daterange(starts_on, ends_on));

-- Rooms of a type held per night by live bookings (pending, confirmed, checked in): kept by the
-- bookings' trigger, read by the availability search and the occupancy pricing.
CREATE TABLE public.hotel_inventory_nights (
    room_type_id     uuid        NOT NULL,
    night            date        NOT NULL,
    hotel_id         uuid        NOT NULL,
    booked           integer     NOT NULL,
    -- The count travels in the keys' indexes: the search reads them without visiting the table.
    CONSTRAINT hotel_inventory_nights_pkey PRIMARY KEY (room_type_id, night) INCLUDE (booked),
    CONSTRAINT hotel_inventory_nights_booked_chk CHECK (booked >= 0)
);

COMMENT ON TABLE public.hotel_inventory_nights IS 'Rooms of a room type held by live bookings, per night (maintained by trigger).';

CREATE INDEX hotel_inventory_nights_hotel_idx ON public.hotel_inventory_nights (hotel_id, night) INCLUDE (booked);

-- Bookings: priced by the database; pending until paid (or confirmed by the hotel for a guest who pays at
-- the desk); the plan, the commission in force and the breakdown are kept.
ALTER TABLE public.hotel_bookings
    ALTER COLUMN booking_reference SET DEFAULT upper(substr(md5(gen_random_uuid()::text), 1, 12)),
    ALTER COLUMN customer_id DROP NOT NULL,
    ADD COLUMN room_type_id uuid,
    ADD COLUMN rate_plan_id uuid,
    ADD COLUMN commission_rate_bp integer,
    ADD COLUMN price_breakdown jsonb,
    ADD COLUMN booked_by uuid,
    ADD COLUMN idempotency_key text,
    ADD COLUMN request_fingerprint text,
    ADD COLUMN pay_at_hotel boolean NOT NULL DEFAULT false,
    ADD COLUMN cancellation_fee_minor bigint,
    ADD COLUMN refund_minor bigint,
    ADD COLUMN commission_entry_id uuid,
    ADD COLUMN confirmed_at timestamptz,
    ADD COLUMN checked_in_at timestamptz,
    ADD COLUMN checked_out_at timestamptz,
    ADD COLUMN cancelled_at timestamptz;

ALTER TABLE public.hotel_bookings DROP CONSTRAINT hotel_bookings_status_chk;

ALTER TABLE public.hotel_bookings DROP CONSTRAINT hotel_bookings_no_overlap;

ALTER TABLE public.hotel_bookings
    ADD CONSTRAINT hotel_bookings_status_chk
        CHECK (status IN ('pending', 'confirmed', 'checked_in', 'checked_out', 'cancelled', 'no_show')),
    ADD CONSTRAINT hotel_bookings_party_chk CHECK (customer_id IS NOT NULL OR booked_by IS NOT NULL),
    ADD CONSTRAINT hotel_bookings_room_type_fk FOREIGN KEY (room_type_id, hotel_id) REFERENCES public.hotel_room_types (id, hotel_id),
    ADD CONSTRAINT hotel_bookings_rate_plan_fk FOREIGN KEY (rate_plan_id, hotel_id) REFERENCES public.hotel_rate_plans (id, hotel_id),
    ADD CONSTRAINT hotel_bookings_booked_by_fk FOREIGN KEY (booked_by) REFERENCES public.users (id),
    ADD CONSTRAINT hotel_bookings_commission_chk CHECK (commission_rate_bp BETWEEN 0 AND 5000),
    ADD CONSTRAINT hotel_bookings_cancellation_chk CHECK (cancellation_fee_minor >= 0 AND refund_minor >= 0),
    ADD CONSTRAINT hotel_bookings_key_chk CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    -- A room cannot be held twice for overlapping nights.
    ADD CONSTRAINT hotel_bookings_no_overlap EXCLUDE USING gist (
        room_id WITH =, daterange(check_in, check_out) WITH &&) WHERE (status IN ('pending', 'confirmed', 'checked_in'));

CREATE UNIQUE INDEX hotel_bookings_idempotency_key ON public.hotel_bookings (coalesce(booked_by, customer_id), idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- The archive keeps the same columns.
ALTER TABLE archive.hotel_bookings
    ALTER COLUMN customer_id DROP NOT NULL,
    ADD COLUMN room_type_id uuid,
    ADD COLUMN rate_plan_id uuid,
    ADD COLUMN commission_rate_bp integer,
    ADD COLUMN price_breakdown jsonb,
    ADD COLUMN booked_by uuid,
    ADD COLUMN idempotency_key text,
    ADD COLUMN request_fingerprint text,
    ADD COLUMN pay_at_hotel boolean NOT NULL DEFAULT false,
    ADD COLUMN cancellation_fee_minor bigint,
    ADD COLUMN refund_minor bigint,
    ADD COLUMN commission_entry_id uuid,
    ADD COLUMN confirmed_at timestamptz,
    ADD COLUMN checked_in_at timestamptz,
    ADD COLUMN checked_out_at timestamptz,
    ADD COLUMN cancelled_at timestamptz;

ALTER TABLE archive.hotel_bookings DROP CONSTRAINT hotel_bookings_status_chk;

ALTER TABLE archive.hotel_bookings ADD CONSTRAINT hotel_bookings_status_chk
    CHECK (status IN ('pending', 'confirmed', 'checked_in', 'checked_out', 'cancelled', 'no_show'));

-- Rides a hotel originates: a stay's arrival or departure transfer, or a ride staff request for a guest.
-- No foreign key to rides: rides move to the archive whole partitions at a time; request_hotel_ride
-- makes the ride and this row together.
CREATE TABLE public.hotel_rides (
    ride_id                 uuid        NOT NULL,
    ride_requested_at       timestamptz NOT NULL,
    hotel_id                uuid        NOT NULL,
    booking_id              uuid,
    purpose                 text        NOT NULL,
    billed_to               text        NOT NULL DEFAULT 'guest',
    requested_by            uuid        NOT NULL,
    referral_rate_bp        integer     NOT NULL,
    referral_entry_id       uuid,
    created_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT hotel_rides_pkey PRIMARY KEY (ride_id),
    CONSTRAINT hotel_rides_hotel_fk FOREIGN KEY (hotel_id) REFERENCES public.hotel_partners (id),
    CONSTRAINT hotel_rides_booking_fk FOREIGN KEY (booking_id) REFERENCES public.hotel_bookings (id),
    CONSTRAINT hotel_rides_requested_by_fk FOREIGN KEY (requested_by) REFERENCES public.users (id),
    CONSTRAINT hotel_rides_purpose_chk CHECK (purpose IN ('arrival', 'departure', 'guest_ride')),
    CONSTRAINT hotel_rides_billed_chk CHECK (billed_to IN ('hotel', 'guest')),
    CONSTRAINT hotel_rides_referral_chk CHECK (referral_rate_bp BETWEEN 0 AND 5000)
);

COMMENT ON TABLE public.hotel_rides IS
    'Rides a hotel originates (a stay''s transfers, rides staff request for guests): who pays, the referral rate in force.';

CREATE INDEX hotel_rides_hotel_idx ON public.hotel_rides (hotel_id, ride_requested_at);

CREATE INDEX hotel_rides_booking_idx ON public.hotel_rides (booking_id) WHERE booking_id IS NOT NULL;

CREATE TABLE public.hotel_statements (
    id                       uuid        NOT NULL DEFAULT gen_random_uuid(),
    hotel_id                 uuid        NOT NULL,
    period_start             date        NOT NULL,
    currency                 char(3)     NOT NULL,
    bookings                 integer     NOT NULL,
    booking_value_minor      bigint      NOT NULL,
    booking_commission_minor bigint      NOT NULL,
    rides                    integer     NOT NULL,
    ride_fares_minor         bigint      NOT NULL,
    referral_commission_minor bigint     NOT NULL,
    hotel_billed_rides_minor bigint      NOT NULL,
    opening_balance_minor    bigint      NOT NULL,
    closing_balance_minor    bigint      NOT NULL,
    amount_payable_minor     bigint      NOT NULL,
    body                     jsonb       NOT NULL,
    issued_at                timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT hotel_statements_pkey PRIMARY KEY (id),
    CONSTRAINT hotel_statements_period_key UNIQUE (hotel_id, period_start, currency),
    CONSTRAINT hotel_statements_hotel_fk FOREIGN KEY (hotel_id) REFERENCES public.hotel_partners (id),
    CONSTRAINT hotel_statements_month_chk CHECK (extract(day FROM period_start) = 1)
);

COMMENT ON TABLE public.hotel_statements IS
    'A hotel''s monthly partner statement per currency: bookings, rides, commissions, balances (the ledger''s hotel payable).';

ALTER TABLE public.hotel_tier_rates ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_tier_rates FORCE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_room_types ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_room_types FORCE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_rate_plans ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_rate_plans FORCE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_rate_plan_seasons ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_rate_plan_seasons FORCE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_blackout_dates ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_blackout_dates FORCE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_inventory_nights ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_inventory_nights FORCE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_rides ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_rides FORCE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_statements ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_statements FORCE ROW LEVEL SECURITY;
