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
