-- V1_08__hotels_tables.sql — hotel partners, their staff, rooms and bookings.
-- Rules: money is integer minor units beside an ISO-4217 code; every timestamp is timestamptz; RLS is
-- enabled and FORCED on every table (the policies live in the repeatable file).

-- ---------------------------------------------------------------------------------------------
-- Hotel partners, their staff, rooms and bookings.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.hotel_partners (
    id                  uuid        NOT NULL DEFAULT gen_random_uuid(),
    name                text        NOT NULL,
    partnership_tier    public.hotel_partnership_tier NOT NULL DEFAULT 'standard',
    city                text        NOT NULL DEFAULT 'lagos',
    address             text        NOT NULL,
    lat                 double precision NOT NULL,
    lng                 double precision NOT NULL,
    star_rating         smallint    NOT NULL,
    commission_rate_bp  integer     NOT NULL,
    payment_terms       text        NOT NULL DEFAULT 'net_30',
    contact_email       text        NOT NULL,
    contact_phone       text        NOT NULL,
    status              text        NOT NULL DEFAULT 'pending',
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT hotel_partners_pkey PRIMARY KEY (id),
    CONSTRAINT hotel_partners_name_chk CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    CONSTRAINT hotel_partners_city_chk CHECK (city ~ '^[a-z][a-z_-]{1,63}$'),
    CONSTRAINT hotel_partners_position_chk CHECK (lat BETWEEN -90 AND 90 AND lng BETWEEN -180 AND 180),
    CONSTRAINT hotel_partners_stars_chk CHECK (star_rating BETWEEN 1 AND 5),
    CONSTRAINT hotel_partners_commission_chk CHECK (commission_rate_bp BETWEEN 0 AND 5000),
    CONSTRAINT hotel_partners_terms_chk CHECK (payment_terms IN ('immediate', 'net_15', 'net_30')),
    CONSTRAINT hotel_partners_phone_chk CHECK (contact_phone ~ '^\+[1-9][0-9]{7,14}$'),
    CONSTRAINT hotel_partners_status_chk CHECK (status IN ('pending', 'active', 'suspended', 'terminated'))
);

COMMENT ON TABLE public.hotel_partners IS 'Partner hotels: tier, commission (basis points of the booking), location.';

CREATE INDEX hotel_partners_city_active_idx ON public.hotel_partners (city) WHERE status = 'active';

CREATE TABLE public.hotel_staff_members (
    user_id     uuid        NOT NULL,
    hotel_id    uuid        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT hotel_staff_members_pkey PRIMARY KEY (user_id),
    CONSTRAINT hotel_staff_members_user_fk FOREIGN KEY (user_id) REFERENCES public.users (id),
    CONSTRAINT hotel_staff_members_hotel_fk FOREIGN KEY (hotel_id) REFERENCES public.hotel_partners (id)
);

COMMENT ON TABLE public.hotel_staff_members IS 'Links hotel_staff accounts to the one hotel they work for.';

CREATE INDEX hotel_staff_members_hotel_idx ON public.hotel_staff_members (hotel_id);

CREATE TABLE public.hotel_rooms (
    id                     uuid        NOT NULL DEFAULT gen_random_uuid(),
    hotel_id               uuid        NOT NULL,
    room_number            text        NOT NULL,
    room_type              text        NOT NULL,
    max_occupancy          smallint    NOT NULL,
    nightly_rate_minor     bigint      NOT NULL,
    weekend_surcharge_bp   integer     NOT NULL DEFAULT 0,
    currency               char(3)     NOT NULL,
    is_available           boolean     NOT NULL DEFAULT true,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT hotel_rooms_pkey PRIMARY KEY (id),
    CONSTRAINT hotel_rooms_id_hotel_key UNIQUE (id, hotel_id),
    CONSTRAINT hotel_rooms_number_key UNIQUE (hotel_id, room_number),
    CONSTRAINT hotel_rooms_hotel_fk FOREIGN KEY (hotel_id) REFERENCES public.hotel_partners (id),
    CONSTRAINT hotel_rooms_type_chk CHECK (room_type IN ('standard', 'deluxe', 'suite', 'presidential')),
    CONSTRAINT hotel_rooms_occupancy_chk CHECK (max_occupancy BETWEEN 1 AND 12),
    CONSTRAINT hotel_rooms_rate_chk CHECK (nightly_rate_minor > 0),
    CONSTRAINT hotel_rooms_surcharge_chk CHECK (weekend_surcharge_bp BETWEEN 0 AND 10000),
    CONSTRAINT hotel_rooms_currency_chk CHECK (currency ~ '^[A-Z]{3}$')
);

COMMENT ON TABLE public.hotel_rooms IS 'Rooms a partner hotel offers through the platform.';

CREATE TABLE public.hotel_bookings (
    id                   uuid        NOT NULL DEFAULT gen_random_uuid(),
    booking_reference    text        NOT NULL DEFAULT upper(substr(md5(gen_random_uuid()::text), 1, 10)),
    hotel_id             uuid        NOT NULL,
    room_id              uuid        NOT NULL,
    customer_id          uuid        NOT NULL,
    -- What the hotel needs to receive the guest, copied at booking time: staff never read users.
    guest_name           text        NOT NULL,
    guest_phone          text        NOT NULL,
    guests               smallint    NOT NULL DEFAULT 1,
    ride_id              uuid,
    ride_requested_at    timestamptz,
    check_in             date        NOT NULL,
    check_out            date        NOT NULL,
    status               text        NOT NULL DEFAULT 'confirmed',
    total_minor          bigint      NOT NULL,
    currency             char(3)     NOT NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT hotel_bookings_pkey PRIMARY KEY (id),
    CONSTRAINT hotel_bookings_reference_key UNIQUE (booking_reference),
    CONSTRAINT hotel_bookings_room_fk FOREIGN KEY (room_id, hotel_id) REFERENCES public.hotel_rooms (id, hotel_id),
    CONSTRAINT hotel_bookings_customer_fk FOREIGN KEY (customer_id) REFERENCES public.users (id),
    CONSTRAINT hotel_bookings_ride_fk FOREIGN KEY (ride_id, ride_requested_at) REFERENCES public.rides (id, requested_at),
    CONSTRAINT hotel_bookings_ride_pair_chk CHECK ((ride_id IS NULL) = (ride_requested_at IS NULL)),
    CONSTRAINT hotel_bookings_dates_chk CHECK (check_out > check_in),
    CONSTRAINT hotel_bookings_guests_chk CHECK (guests BETWEEN 1 AND 12),
    CONSTRAINT hotel_bookings_total_chk CHECK (total_minor > 0),
    CONSTRAINT hotel_bookings_currency_chk CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT hotel_bookings_status_chk CHECK (status IN ('confirmed', 'checked_in', 'checked_out', 'cancelled', 'no_show')),
    -- A room cannot be booked twice for overlapping nights.
    CONSTRAINT hotel_bookings_no_overlap EXCLUDE USING gist (
        room_id WITH =, daterange(check_in, check_out) WITH &&) WHERE (status IN ('confirmed', 'checked_in'))
);

COMMENT ON TABLE public.hotel_bookings IS 'Room bookings made through the platform, optionally tied to a ride.';

CREATE INDEX hotel_bookings_customer_idx ON public.hotel_bookings (customer_id, check_in DESC);

CREATE INDEX hotel_bookings_hotel_idx ON public.hotel_bookings (hotel_id, check_in DESC);

-- ---------------------------------------------------------------------------------------------
-- Hotels
--   everyone signed in as a rider: active hotels and their available rooms; hotel_staff: their own
--   hotel, rooms and bookings (the booking carries the guest details it needs); customer_user: own
--   bookings; support_agent: read hotels and bookings; system_admin: onboarding.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.hotel_partners ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_partners FORCE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_staff_members ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_staff_members FORCE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_rooms ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_rooms FORCE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_bookings ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.hotel_bookings FORCE ROW LEVEL SECURITY;

