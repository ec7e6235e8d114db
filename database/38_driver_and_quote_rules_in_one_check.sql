-- Part 38 — part 37's treatment for the two other tables a ride request writes: drivers (10 CHECK
-- constraints, 8 KB of expression text, checked on every claim, release and position ping) and
-- fare_quotes (4, 8 KB, on every quote made and taken). Each table's rules move into one PL/pgSQL
-- function behind one CHECK constraint; a broken rule is still check_violation (23514) with the old
-- constraint's name. Adding the constraints checks the stored rows, as part 37 does.
--
-- Measured on a kept cluster (ride-request pgbench, 4 clients, six interleaved pairs): about 5 % less
-- database CPU per request, within the spread of single runs. The price, here as in part 37: a
-- statement writing many rows calls the function for each (~5 µs a row) where the constraints were
-- compiled once per statement, so bulk writes are slightly slower; the hot paths write one row.

CREATE FUNCTION public.driver_rules_hold(
    p_status text, p_category public.driver_category, p_fleet_company_id uuid, p_city text,
    p_is_online boolean, p_is_available boolean, p_position_updated_at timestamptz,
    p_current_lat double precision, p_current_lng double precision,
    p_rating numeric, p_rating_count integer, p_total_rides integer)
    RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
DECLARE
    v_broken text;
BEGIN
    -- Each rule is the constraint it replaces, NULL-tolerant as a CHECK is (only false breaks it).
    v_broken := CASE
        WHEN NOT (p_status IN ('pending_verification', 'approved', 'suspended', 'rejected')) THEN 'drivers_status_chk'
        WHEN NOT (p_city ~ '^[a-z][a-z_-]{1,63}$') THEN 'drivers_city_chk'
        WHEN NOT (p_current_lat BETWEEN -90 AND 90) THEN 'drivers_lat_chk'
        WHEN NOT (p_current_lng BETWEEN -180 AND 180) THEN 'drivers_lng_chk'
        WHEN NOT ((p_current_lat IS NULL) = (p_current_lng IS NULL)) THEN 'drivers_position_pair_chk'
        WHEN NOT (p_rating IS NULL OR p_rating BETWEEN 1 AND 5) THEN 'drivers_rating_chk'
        WHEN NOT (p_rating_count >= 0 AND p_total_rides >= 0) THEN 'drivers_counts_chk'
        WHEN NOT (p_category <> 'fleet_driver' OR p_fleet_company_id IS NOT NULL) THEN 'drivers_fleet_driver_has_fleet_chk'
        WHEN NOT (NOT p_is_available OR (p_is_online AND p_status = 'approved')) THEN 'drivers_available_online_chk'
        WHEN NOT (NOT p_is_available OR p_position_updated_at IS NOT NULL) THEN 'drivers_available_has_position_chk'
    END;
    IF v_broken IS NOT NULL THEN
        RAISE EXCEPTION 'new row for relation "drivers" violates check constraint "%"', v_broken
            USING ERRCODE = 'check_violation', CONSTRAINT = v_broken, TABLE = 'drivers';
    END IF;
    RETURN true;
END
$$;
COMMENT ON FUNCTION public.driver_rules_hold IS
    'The rules of a driver row (drivers_rules_chk): true, or a check_violation naming the broken rule.';

CREATE FUNCTION public.fare_quote_rules_hold(
    p_pickup_lat double precision, p_pickup_lng double precision,
    p_dropoff_lat double precision, p_dropoff_lng double precision,
    p_passengers smallint, p_estimated_fare_minor bigint, p_surge_multiplier numeric,
    p_created_at timestamptz, p_expires_at timestamptz)
    RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
DECLARE
    v_broken text;
BEGIN
    v_broken := CASE
        WHEN NOT (p_pickup_lat BETWEEN -90 AND 90 AND p_pickup_lng BETWEEN -180 AND 180
                  AND p_dropoff_lat BETWEEN -90 AND 90 AND p_dropoff_lng BETWEEN -180 AND 180
                  AND (p_pickup_lat <> p_dropoff_lat OR p_pickup_lng <> p_dropoff_lng)) THEN 'fare_quotes_ends_chk'
        WHEN NOT (p_passengers BETWEEN 1 AND 14) THEN 'fare_quotes_passengers_chk'
        WHEN NOT (p_estimated_fare_minor >= 0 AND p_surge_multiplier BETWEEN 1.00 AND 10.00) THEN 'fare_quotes_fare_chk'
        WHEN NOT (p_expires_at > p_created_at) THEN 'fare_quotes_expiry_chk'
    END;
    IF v_broken IS NOT NULL THEN
        RAISE EXCEPTION 'new row for relation "fare_quotes" violates check constraint "%"', v_broken
            USING ERRCODE = 'check_violation', CONSTRAINT = v_broken, TABLE = 'fare_quotes';
    END IF;
    RETURN true;
END
$$;
COMMENT ON FUNCTION public.fare_quote_rules_hold IS
    'The rules of a fare quote row (fare_quotes_rules_chk): true, or a check_violation naming the broken rule.';

-- Pure tests of their arguments that read nothing: every role that writes these rows evaluates them.
GRANT EXECUTE ON FUNCTION public.driver_rules_hold, public.fare_quote_rules_hold TO PUBLIC;

ALTER TABLE public.drivers
    DROP CONSTRAINT drivers_status_chk,
    DROP CONSTRAINT drivers_city_chk,
    DROP CONSTRAINT drivers_lat_chk,
    DROP CONSTRAINT drivers_lng_chk,
    DROP CONSTRAINT drivers_position_pair_chk,
    DROP CONSTRAINT drivers_rating_chk,
    DROP CONSTRAINT drivers_counts_chk,
    DROP CONSTRAINT drivers_fleet_driver_has_fleet_chk,
    DROP CONSTRAINT drivers_available_online_chk,
    DROP CONSTRAINT drivers_available_has_position_chk,
    ADD CONSTRAINT drivers_rules_chk CHECK (public.driver_rules_hold(
        status, category, fleet_company_id, city, is_online, is_available, position_updated_at,
        current_lat, current_lng, rating, rating_count, total_rides));

ALTER TABLE public.fare_quotes
    DROP CONSTRAINT fare_quotes_ends_chk,
    DROP CONSTRAINT fare_quotes_passengers_chk,
    DROP CONSTRAINT fare_quotes_fare_chk,
    DROP CONSTRAINT fare_quotes_expiry_chk,
    ADD CONSTRAINT fare_quotes_rules_chk CHECK (public.fare_quote_rules_hold(
        pickup_lat, pickup_lng, dropoff_lat, dropoff_lng, passengers, estimated_fare_minor, surge_multiplier,
        created_at, expires_at));
