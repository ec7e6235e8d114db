-- V1_06__rides_tables.sql — rides, partitioned by month on requested_at, and ride_request_keys
-- (Idempotency-Keys of ride requests). The primary key includes the partition column, so anything that
-- refers to a ride carries (ride_id, ride_requested_at). A function that a table's CHECK uses
-- (ride_rules_hold) lives here, before its table.
-- Rules: money is integer minor units beside an ISO-4217 code; every timestamp is timestamptz; RLS is
-- enabled and FORCED on every table (the policies live in the repeatable file).

CREATE FUNCTION public.ride_rules_hold(
    p_status public.ride_status, p_city text, p_currency char(3), p_passengers smallint,
    p_pickup_lat double precision, p_pickup_lng double precision,
    p_dropoff_lat double precision, p_dropoff_lng double precision,
    p_estimated_fare_minor bigint, p_final_fare_minor bigint, p_cancellation_fee_minor bigint,
    p_surge_multiplier numeric, p_vip_priority_level smallint,
    p_estimated_distance_m integer, p_actual_distance_m integer,
    p_estimated_duration_s integer, p_actual_duration_s integer,
    p_driver_id uuid, p_assigned_at timestamptz, p_started_at timestamptz, p_completed_at timestamptz,
    p_cancelled_at timestamptz, p_cancelled_by public.user_type, p_expired_at timestamptz, p_emergency_at timestamptz,
    p_driver_rating smallint, p_rider_rating smallint)
    RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
DECLARE
    v_broken text;
BEGIN
    -- Each rule reports its own constraint name, NULL-tolerant as a CHECK is (only false breaks it).
    v_broken := CASE
        WHEN NOT (p_pickup_lat BETWEEN -90 AND 90 AND p_pickup_lng BETWEEN -180 AND 180) THEN 'rides_pickup_chk'
        WHEN NOT (p_dropoff_lat BETWEEN -90 AND 90 AND p_dropoff_lng BETWEEN -180 AND 180) THEN 'rides_dropoff_chk'
        WHEN NOT (p_pickup_lat <> p_dropoff_lat OR p_pickup_lng <> p_dropoff_lng) THEN 'rides_distinct_ends_chk'
        WHEN NOT (p_currency ~ '^[A-Z]{3}$') THEN 'rides_currency_chk'
        WHEN NOT (coalesce(p_estimated_fare_minor, 0) >= 0 AND coalesce(p_final_fare_minor, 0) >= 0) THEN 'rides_fares_chk'
        WHEN NOT (p_surge_multiplier BETWEEN 1.00 AND 10.00) THEN 'rides_surge_chk'
        WHEN NOT (coalesce(p_estimated_distance_m, 0) >= 0 AND coalesce(p_actual_distance_m, 0) >= 0
                  AND coalesce(p_estimated_duration_s, 0) >= 0 AND coalesce(p_actual_duration_s, 0) >= 0) THEN 'rides_measures_chk'
        WHEN NOT (p_vip_priority_level BETWEEN 0 AND 5) THEN 'rides_vip_priority_chk'
        WHEN NOT (p_city ~ '^[a-z][a-z_-]{1,63}$') THEN 'rides_city_chk'
        WHEN NOT (p_passengers BETWEEN 1 AND 14) THEN 'rides_passengers_chk'
        WHEN NOT (p_cancellation_fee_minor >= 0) THEN 'rides_cancellation_fee_chk'
        WHEN NOT (p_driver_rating BETWEEN 1 AND 5 AND p_rider_rating BETWEEN 1 AND 5) THEN 'rides_ratings_chk'
        WHEN NOT (p_status IN ('pending', 'cancelled', 'expired') OR (p_driver_id IS NOT NULL AND p_assigned_at IS NOT NULL))
            THEN 'rides_assigned_has_driver_chk'
        WHEN NOT (p_status <> 'completed' OR (p_completed_at IS NOT NULL AND p_started_at IS NOT NULL
                                              AND p_final_fare_minor IS NOT NULL)) THEN 'rides_completed_chk'
        WHEN NOT (p_status <> 'cancelled' OR (p_cancelled_at IS NOT NULL AND p_cancelled_by IS NOT NULL)) THEN 'rides_cancelled_chk'
        WHEN NOT (p_status <> 'expired' OR (p_expired_at IS NOT NULL AND p_driver_id IS NULL)) THEN 'rides_expired_chk'
        WHEN NOT (p_status <> 'emergency' OR p_emergency_at IS NOT NULL) THEN 'rides_emergency_chk'
        WHEN NOT (p_status = 'completed' OR (p_driver_rating IS NULL AND p_rider_rating IS NULL)) THEN 'rides_rated_when_completed_chk'
    END;
    IF v_broken IS NOT NULL THEN
        RAISE EXCEPTION 'new row for relation "rides" violates check constraint "%"', v_broken
            USING ERRCODE = 'check_violation', CONSTRAINT = v_broken, TABLE = 'rides';
    END IF;
    RETURN true;
END
$$;

COMMENT ON FUNCTION public.ride_rules_hold IS
    'The rules of a ride row (rides_rules_chk): true, or a check_violation naming the broken rule.';

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
    quote_id                uuid,
    tariff_id               uuid,
    passengers              smallint    NOT NULL DEFAULT 1,
    accepted_at             timestamptz,
    dispatch_attempts       smallint    NOT NULL DEFAULT 0,
    next_dispatch_at        timestamptz,
    dispatch_deadline       timestamptz,
    expired_at              timestamptz,
    cancellation_fee_minor  bigint      NOT NULL DEFAULT 0,
    driver_rating           smallint,
    rider_rating            smallint,
    CONSTRAINT rides_pkey PRIMARY KEY (id, requested_at),
    CONSTRAINT rides_customer_fk FOREIGN KEY (customer_id) REFERENCES public.users (id),
    CONSTRAINT rides_driver_fk FOREIGN KEY (driver_id) REFERENCES public.drivers (id),
    CONSTRAINT rides_vehicle_fk FOREIGN KEY (vehicle_id) REFERENCES public.vehicles (id),
    CONSTRAINT rides_fleet_fk FOREIGN KEY (fleet_company_id) REFERENCES public.fleet_companies (id),
    CONSTRAINT rides_tariff_fk FOREIGN KEY (tariff_id) REFERENCES public.tariffs (id),
    -- Every rule of a ride row in one CHECK: PostgreSQL 15 parses and compiles the text of each CHECK
    -- constraint again for every INSERT or UPDATE statement, while a PL/pgSQL function is compiled once
    -- per session (18 separate constraints cost more than the rest of the ride request). A broken rule
    -- is still a check_violation named after the rule.
    CONSTRAINT rides_rules_chk CHECK (public.ride_rules_hold(
        status, city, currency, passengers, pickup_lat, pickup_lng, dropoff_lat, dropoff_lng,
        estimated_fare_minor, final_fare_minor, cancellation_fee_minor, surge_multiplier, vip_priority_level,
        estimated_distance_m, actual_distance_m, estimated_duration_s, actual_duration_s,
        driver_id, assigned_at, started_at, completed_at, cancelled_at, cancelled_by, expired_at, emergency_at,
        driver_rating, rider_rating))
) PARTITION BY RANGE (requested_at);

COMMENT ON TABLE public.rides IS
    'Ride requests and their lifecycle; monthly partitions on requested_at (UTC). city is the distribution key.';

-- The spec's ride-history query (customer_id, requested_at range) prunes to the month and uses this.
CREATE INDEX rides_customer_requested_idx ON public.rides (customer_id, requested_at DESC);

CREATE INDEX rides_driver_requested_idx ON public.rides (driver_id, requested_at DESC) WHERE driver_id IS NOT NULL;

CREATE INDEX rides_fleet_requested_idx ON public.rides (fleet_company_id, requested_at DESC) WHERE fleet_company_id IS NOT NULL;

CREATE INDEX rides_active_status_idx ON public.rides (status, requested_at)
    WHERE status IN ('pending', 'driver_assigned', 'driver_arrived', 'in_progress', 'emergency');

COMMENT ON COLUMN public.rides.quote_id IS 'The fare quote the request honoured (fare_quotes.id).';

COMMENT ON COLUMN public.rides.dispatch_deadline IS 'A request still without a driver at this time expires.';

-- Dispatch retries: pending requests due for another search.
CREATE INDEX rides_pending_dispatch_idx ON public.rides (next_dispatch_at) WHERE status = 'pending';

-- ---------------------------------------------------------------------------------------------
-- Rides
--   customer_user: own rides (request, cancel); driver_user: rides assigned to them, without the
--   rider's pickup and drop-off columns (public.active_ride_route gives those while the ride is active);
--   fleet_admin: their fleet's rides; support_agent and system_admin: read all;
--   emergency_responder: rides of VIPs with an active emergency.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.rides ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.rides FORCE ROW LEVEL SECURITY;

-- ---------------------------------------------------------------------------------------------
-- ride_request_keys: Idempotency-Key of ride requests. The primary key serialises two concurrent
-- requests with the same key: the second waits for the first and then finds its ride.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.ride_request_keys (
    customer_id             uuid        NOT NULL,
    idempotency_key         text        NOT NULL,
    request_fingerprint     text        NOT NULL,
    ride_id                 uuid,
    ride_requested_at       timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ride_request_keys_pkey PRIMARY KEY (customer_id, idempotency_key),
    CONSTRAINT ride_request_keys_customer_fk FOREIGN KEY (customer_id) REFERENCES public.users (id),
    CONSTRAINT ride_request_keys_key_chk CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    CONSTRAINT ride_request_keys_ride_pair_chk CHECK ((ride_id IS NULL) = (ride_requested_at IS NULL))
);

COMMENT ON TABLE public.ride_request_keys IS 'Idempotency keys of ride requests: a retried request returns the same ride.';

ALTER TABLE public.ride_request_keys ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.ride_request_keys FORCE ROW LEVEL SECURITY;

