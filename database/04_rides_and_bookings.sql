-- Part 04 — rides, partitioned by month on requested_at. The primary key includes the partition
-- column, so anything that refers to a ride carries (ride_id, ride_requested_at) and a composite
-- foreign key; partition pruning then works for every lookup by ride.

CREATE TABLE public.rides (
    id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
    requested_at            timestamptz NOT NULL DEFAULT now(),
    customer_id             uuid        NOT NULL,
    driver_id               uuid,
    vehicle_id              uuid,
    fleet_company_id        uuid,
    city                    text        NOT NULL DEFAULT 'lagos',
    status                  public.ride_status NOT NULL DEFAULT 'pending',
    customer_tier           public.user_tier NOT NULL,
    billing_model           public.billing_model NOT NULL DEFAULT 'per_ride',
    vehicle_type            public.vehicle_type NOT NULL,
    pickup_lat              double precision NOT NULL,
    pickup_lng              double precision NOT NULL,
    pickup_address          text,
    dropoff_lat             double precision NOT NULL,
    dropoff_lng             double precision NOT NULL,
    dropoff_address         text,
    currency                char(3)     NOT NULL,
    estimated_fare_minor    bigint,
    final_fare_minor        bigint,
    surge_multiplier        numeric(4, 2) NOT NULL DEFAULT 1.00,
    estimated_distance_m    integer,
    actual_distance_m       integer,
    estimated_duration_s    integer,
    actual_duration_s       integer,
    vip_priority_level      smallint    NOT NULL DEFAULT 0,
    assigned_at             timestamptz,
    arrived_at              timestamptz,
    started_at              timestamptz,
    completed_at            timestamptz,
    cancelled_at            timestamptz,
    cancelled_by            public.user_type,
    cancellation_reason     text,
    emergency_at            timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT rides_pkey PRIMARY KEY (id, requested_at),
    CONSTRAINT rides_customer_fk FOREIGN KEY (customer_id) REFERENCES public.users (id),
    CONSTRAINT rides_driver_fk FOREIGN KEY (driver_id) REFERENCES public.drivers (id),
    CONSTRAINT rides_vehicle_fk FOREIGN KEY (vehicle_id) REFERENCES public.vehicles (id),
    CONSTRAINT rides_fleet_fk FOREIGN KEY (fleet_company_id) REFERENCES public.fleet_companies (id),
    CONSTRAINT rides_pickup_chk CHECK (pickup_lat BETWEEN -90 AND 90 AND pickup_lng BETWEEN -180 AND 180),
    CONSTRAINT rides_dropoff_chk CHECK (dropoff_lat BETWEEN -90 AND 90 AND dropoff_lng BETWEEN -180 AND 180),
    CONSTRAINT rides_distinct_ends_chk CHECK (pickup_lat <> dropoff_lat OR pickup_lng <> dropoff_lng),
    CONSTRAINT rides_currency_chk CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT rides_fares_chk CHECK (coalesce(estimated_fare_minor, 0) >= 0 AND coalesce(final_fare_minor, 0) >= 0),
    CONSTRAINT rides_surge_chk CHECK (surge_multiplier BETWEEN 1.00 AND 10.00),
    CONSTRAINT rides_measures_chk CHECK (coalesce(estimated_distance_m, 0) >= 0 AND coalesce(actual_distance_m, 0) >= 0
                                         AND coalesce(estimated_duration_s, 0) >= 0 AND coalesce(actual_duration_s, 0) >= 0),
    CONSTRAINT rides_vip_priority_chk CHECK (vip_priority_level BETWEEN 0 AND 5),
    CONSTRAINT rides_city_chk CHECK (city ~ '^[a-z][a-z_-]{1,63}$'),
    -- Status-specific columns: each state carries the facts it implies.
    CONSTRAINT rides_assigned_has_driver_chk CHECK (
        status IN ('pending', 'cancelled') OR (driver_id IS NOT NULL AND assigned_at IS NOT NULL)),
    CONSTRAINT rides_completed_chk CHECK (
        status <> 'completed' OR (completed_at IS NOT NULL AND started_at IS NOT NULL AND final_fare_minor IS NOT NULL)),
    CONSTRAINT rides_cancelled_chk CHECK (status <> 'cancelled' OR (cancelled_at IS NOT NULL AND cancelled_by IS NOT NULL)),
    CONSTRAINT rides_emergency_chk CHECK (status <> 'emergency' OR emergency_at IS NOT NULL)
) PARTITION BY RANGE (requested_at);
COMMENT ON TABLE public.rides IS
    'Ride requests and their lifecycle; monthly partitions on requested_at (UTC). city is the distribution key.';

-- The spec's ride-history query (customer_id, requested_at range) prunes to the month and uses this.
CREATE INDEX rides_customer_requested_idx ON public.rides (customer_id, requested_at DESC);
CREATE INDEX rides_driver_requested_idx ON public.rides (driver_id, requested_at DESC) WHERE driver_id IS NOT NULL;
CREATE INDEX rides_fleet_requested_idx ON public.rides (fleet_company_id, requested_at DESC) WHERE fleet_company_id IS NOT NULL;
CREATE INDEX rides_active_status_idx ON public.rides (status, requested_at)
    WHERE status IN ('pending', 'driver_assigned', 'driver_arrived', 'in_progress', 'emergency');

CREATE TRIGGER rides_touch_updated_at BEFORE UPDATE ON public.rides
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE FUNCTION public.create_monthly_ride_partition(p_month date) RETURNS text
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT maintenance.create_monthly_partition('public.rides'::regclass, p_month)
$$;
COMMENT ON FUNCTION public.create_monthly_ride_partition(date) IS
    'Idempotently creates the rides partition for the month containing p_month (spec: partition creation).';

SELECT maintenance.ensure_partitions_ahead('public.rides'::regclass);

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
CREATE TRIGGER hotel_partners_touch_updated_at BEFORE UPDATE ON public.hotel_partners
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

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

CREATE FUNCTION public.current_hotel_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT m.hotel_id FROM public.hotel_staff_members m WHERE m.user_id = public.current_app_user_id()
$$;
COMMENT ON FUNCTION public.current_hotel_id() IS 'The hotel the calling hotel staff member works for, or NULL.';

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
CREATE TRIGGER hotel_rooms_touch_updated_at BEFORE UPDATE ON public.hotel_rooms
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

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
CREATE TRIGGER hotel_bookings_touch_updated_at BEFORE UPDATE ON public.hotel_bookings
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- What a driver needs to reach the rider, only while the ride is active and assigned to them.
-- The driver role has no privilege on these columns of rides; this is the one way to read them.
CREATE FUNCTION public.active_ride_route(p_ride_id uuid, p_requested_at timestamptz)
    RETURNS TABLE (rider_first_name text, pickup_lat double precision, pickup_lng double precision,
                   pickup_address text, dropoff_lat double precision, dropoff_lng double precision,
                   dropoff_address text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT u.first_name, r.pickup_lat, r.pickup_lng, r.pickup_address, r.dropoff_lat, r.dropoff_lng, r.dropoff_address
      FROM public.rides r
      JOIN public.users u ON u.id = r.customer_id
     WHERE r.id = p_ride_id AND r.requested_at = p_requested_at
       AND r.driver_id = public.current_driver_id()
       AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency')
$$;
