-- Part 35 — a ride request in one statement: the Idempotency-Key, the quote, the claim of the nearest
-- driver and the ride, inserted already assigned.
--
-- Until now a request took five statements (claim the key, INSERT the ride as pending, dispatch_ride,
-- UPDATE the key, read the ride back), and the assignment was an UPDATE of the ride just inserted: its
-- transition triggers, an audit capture with both row images and a second visit to the partition
-- cost more than all the rest (ride-request-api benchmark: 2.5 of 5.9 ms of database time).
-- public.request_ride claims the driver with the quote's facts first and inserts the ride once, as
-- driver_assigned (requested_at and assigned_at both stamped) or, with nobody in range, as pending
-- for the dispatcher's retries. The path through the table (INSERT as customer_user with a quote,
-- then dispatch_ride) stays for psql clients and behaves as before.

-- Where a rider's requests queue among pending rides; one place for both request paths. No SET
-- clause, so that PostgreSQL inlines it (a function with one is called, and planned, every time).
CREATE FUNCTION public.ride_priority(p_tier public.user_tier) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT (CASE p_tier WHEN 'vip'::public.user_tier THEN 5 WHEN 'premium'::public.user_tier THEN 2 ELSE 0 END)::smallint
$$;

-- Great-circle distance in metres (haversine) on earthdistance's sphere (radius 6,378,168 m), equal to
-- earth_distance(ll_to_earth(…), ll_to_earth(…)) to within a millimetre. Plain arithmetic that
-- PostgreSQL inlines, where ll_to_earth (STRICT, ending in a domain cast) is executed as a function of
-- its own on every row, parsed and planned again for every statement. OPERATOR() forms all bind alike,
-- left to right, hence the parentheses.
CREATE FUNCTION public.great_circle_m(p_lat1 double precision, p_lng1 double precision,
                                      p_lat2 double precision, p_lng2 double precision)
    RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT 12756336.0::float8 OPERATOR(pg_catalog.*) pg_catalog.asin(pg_catalog.sqrt(
               (pg_catalog.sind((p_lat2 OPERATOR(pg_catalog.-) p_lat1) OPERATOR(pg_catalog./) 2.0::float8)
                   OPERATOR(pg_catalog.^) 2.0::float8)
               OPERATOR(pg_catalog.+)
               ((pg_catalog.cosd(p_lat1) OPERATOR(pg_catalog.*) pg_catalog.cosd(p_lat2))
                   OPERATOR(pg_catalog.*) (pg_catalog.sind((p_lng2 OPERATOR(pg_catalog.-) p_lng1) OPERATOR(pg_catalog./) 2.0::float8)
                                               OPERATOR(pg_catalog.^) 2.0::float8))))
$$;

-- Marks the rider's quote used and returns it; refuses a quote that is not theirs, already used or
-- expired (a price is honoured or re-quoted, never silently changed).
CREATE FUNCTION public.take_quote(p_quote_id uuid, p_customer_id uuid) RETURNS public.fare_quotes
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_quote public.fare_quotes;
BEGIN
    UPDATE public.fare_quotes q SET used_at = now()
     WHERE q.id = p_quote_id AND q.customer_id = p_customer_id AND q.used_at IS NULL
    RETURNING * INTO v_quote;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Quote % is not an unused quote of yours.', p_quote_id USING ERRCODE = 'VR422', HINT = 'invalid-quote';
    END IF;
    IF v_quote.expires_at <= now() THEN
        RAISE EXCEPTION 'Quote % expired at %; ask for a new quote.', p_quote_id, v_quote.expires_at
            USING ERRCODE = 'VR409', HINT = 'quote-expired';
    END IF;
    RETURN v_quote;
END
$$;

-- Replaces part 15's version: the quote is taken by take_quote, the priority by ride_priority.
CREATE OR REPLACE FUNCTION public.rides_take_quote() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_quote    public.fare_quotes := public.take_quote(NEW.quote_id, NEW.customer_id);
    v_settings public.city_settings;
BEGIN
    SELECT * INTO STRICT v_settings FROM public.city_settings WHERE city = v_quote.city;
    NEW.city := v_quote.city;
    NEW.customer_tier := v_quote.rider_tier;
    NEW.tariff_id := v_quote.tariff_id;
    NEW.billing_model := v_quote.billing_model;
    NEW.vehicle_type := v_quote.vehicle_type;
    NEW.passengers := v_quote.passengers;
    NEW.pickup_lat := v_quote.pickup_lat;
    NEW.pickup_lng := v_quote.pickup_lng;
    NEW.dropoff_lat := v_quote.dropoff_lat;
    NEW.dropoff_lng := v_quote.dropoff_lng;
    NEW.currency := v_quote.currency;
    NEW.estimated_fare_minor := v_quote.estimated_fare_minor;
    NEW.surge_multiplier := v_quote.surge_multiplier;
    NEW.estimated_distance_m := v_quote.estimated_distance_m;
    NEW.estimated_duration_s := v_quote.estimated_duration_s;
    NEW.vip_priority_level := public.ride_priority(v_quote.rider_tier);
    NEW.status := 'pending';
    NEW.next_dispatch_at := NEW.requested_at;
    NEW.dispatch_deadline := NEW.requested_at + make_interval(secs => v_settings.dispatch_deadline_s);
    RETURN NEW;
END
$$;
-- The trigger serves the path through the table, where a rider names only the quote (customer_user may
-- not write tariff_id). request_ride inserts a ride it has priced from the quote itself.
DROP TRIGGER rides_take_quote ON public.rides;
CREATE TRIGGER rides_take_quote BEFORE INSERT ON public.rides
    FOR EACH ROW WHEN (NEW.quote_id IS NOT NULL AND NEW.tariff_id IS NULL)
    EXECUTE FUNCTION public.rides_take_quote();

-- The offer of a ride to a claimed driver, for both request paths and the dispatcher. PL/pgSQL, not
-- SQL: PostgreSQL 15 plans a SQL function's statements again on every call (~0.7 ms here).
CREATE FUNCTION public.record_ride_offer(p_ride public.rides, p_driver public.drivers, p_settings public.city_settings)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    INSERT INTO public.ride_offers (ride_id, ride_requested_at, driver_id, pickup_distance_m, expires_at)
    VALUES (p_ride.id, p_ride.requested_at, p_driver.id,
            round(public.great_circle_m(p_driver.current_lat, p_driver.current_lng, p_ride.pickup_lat, p_ride.pickup_lng)),
            now() + make_interval(secs => p_settings.offer_timeout_s));
END
$$;

-- Replaces part 33's version: the offer row is record_ride_offer; the rest is unchanged.
CREATE OR REPLACE FUNCTION public.offer_ride_to_nearest_driver(p_ride public.rides) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_settings public.city_settings;
    v_driver   public.drivers;
BEGIN
    SELECT * INTO STRICT v_settings FROM public.city_settings s WHERE s.city = p_ride.city;
    v_driver := public.claim_nearest_driver(p_ride, v_settings);
    IF v_driver.id IS NULL THEN
        UPDATE public.rides r SET dispatch_attempts = r.dispatch_attempts + 1,
                                  next_dispatch_at = now() + make_interval(secs => v_settings.dispatch_retry_s)
         WHERE r.id = p_ride.id AND r.requested_at = p_ride.requested_at;
        RETURN NULL;
    END IF;
    PERFORM public.record_ride_offer(p_ride, v_driver, v_settings);
    UPDATE public.rides r SET status = 'driver_assigned', driver_id = v_driver.id, vehicle_id = v_driver.current_vehicle_id,
                              fleet_company_id = v_driver.fleet_company_id, assigned_at = now(),
                              dispatch_attempts = r.dispatch_attempts + 1, next_dispatch_at = NULL
     WHERE r.id = p_ride.id AND r.requested_at = p_ride.requested_at;
    RETURN v_driver.id;
END
$$;

-- The signed-in rider's request. With an Idempotency-Key the key is claimed first, naming the ride
-- about to be made: a concurrent request with the same key waits on the key's primary key until this
-- transaction ends, then returns this ride (or, had this one failed, makes its own). The same key with
-- another request is refused. Runs as the owner because a rider may neither see drivers nor claim
-- them; the ride is always the caller's own.
CREATE FUNCTION public.request_ride(p_quote_id uuid, p_idempotency_key text, p_fingerprint text,
                                    p_pickup_address text, p_dropoff_address text)
    RETURNS public.rides
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_customer uuid := public.current_app_user_id();
    v_key      public.ride_request_keys;
    v_quote    public.fare_quotes;
    v_settings public.city_settings;
    v_ride     public.rides;
    v_driver   public.drivers;
BEGIN
    IF v_customer IS NULL THEN
        RAISE EXCEPTION 'Only a signed-in rider can request a ride.' USING ERRCODE = 'VR403', HINT = 'not-a-rider';
    END IF;
    v_ride.id := gen_random_uuid();
    v_ride.requested_at := now();
    IF p_idempotency_key IS NOT NULL THEN
        INSERT INTO public.ride_request_keys (customer_id, idempotency_key, request_fingerprint, ride_id, ride_requested_at)
        VALUES (v_customer, p_idempotency_key, p_fingerprint, v_ride.id, v_ride.requested_at)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
            SELECT * INTO STRICT v_key FROM public.ride_request_keys k
             WHERE k.customer_id = v_customer AND k.idempotency_key = p_idempotency_key;
            IF v_key.request_fingerprint IS DISTINCT FROM p_fingerprint THEN
                RAISE EXCEPTION 'This Idempotency-Key was used for a different request.'
                    USING ERRCODE = 'VR422', HINT = 'idempotency-key-reused';
            END IF;
            SELECT * INTO v_ride FROM public.rides r
             WHERE r.id = v_key.ride_id AND r.requested_at = v_key.ride_requested_at;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'The ride of this Idempotency-Key is no longer kept; use a new key.'
                    USING ERRCODE = 'VR410', HINT = 'idempotency-key-expired';
            END IF;
            RETURN v_ride;
        END IF;
    END IF;

    v_quote := public.take_quote(p_quote_id, v_customer);
    IF v_quote.rider_tier IS DISTINCT FROM (SELECT u.tier FROM public.users u WHERE u.id = v_customer) THEN
        RAISE EXCEPTION 'Your tier changed since quote % was made; ask for a new quote.', p_quote_id
            USING ERRCODE = 'VR409', HINT = 'quote-tier-changed';
    END IF;
    SELECT * INTO STRICT v_settings FROM public.city_settings s WHERE s.city = v_quote.city;
    -- What the claim reads of the ride: its id, pickup, vehicle type, party and tier.
    v_ride.pickup_lat := v_quote.pickup_lat;
    v_ride.pickup_lng := v_quote.pickup_lng;
    v_ride.vehicle_type := v_quote.vehicle_type;
    v_ride.passengers := v_quote.passengers;
    v_ride.customer_tier := v_quote.rider_tier;
    v_driver := public.claim_nearest_driver(v_ride, v_settings);

    INSERT INTO public.rides (id, requested_at, customer_id, quote_id, tariff_id, city, customer_tier, billing_model,
                              vehicle_type, passengers, pickup_lat, pickup_lng, pickup_address, dropoff_lat,
                              dropoff_lng, dropoff_address, currency, estimated_fare_minor, surge_multiplier,
                              estimated_distance_m, estimated_duration_s, vip_priority_level, status, driver_id,
                              vehicle_id, fleet_company_id, assigned_at, dispatch_attempts, next_dispatch_at,
                              dispatch_deadline)
    VALUES (v_ride.id, v_ride.requested_at, v_customer, v_quote.id, v_quote.tariff_id, v_quote.city, v_quote.rider_tier,
            v_quote.billing_model, v_quote.vehicle_type, v_quote.passengers, v_quote.pickup_lat, v_quote.pickup_lng,
            p_pickup_address, v_quote.dropoff_lat, v_quote.dropoff_lng, p_dropoff_address, v_quote.currency,
            v_quote.estimated_fare_minor, v_quote.surge_multiplier, v_quote.estimated_distance_m,
            v_quote.estimated_duration_s, public.ride_priority(v_quote.rider_tier),
            CASE WHEN v_driver.id IS NULL THEN 'pending' ELSE 'driver_assigned' END::public.ride_status,
            v_driver.id, v_driver.current_vehicle_id, v_driver.fleet_company_id,
            CASE WHEN v_driver.id IS NOT NULL THEN v_ride.requested_at END, 1,
            CASE WHEN v_driver.id IS NULL THEN now() + make_interval(secs => v_settings.dispatch_retry_s) END,
            v_ride.requested_at + make_interval(secs => v_settings.dispatch_deadline_s))
    RETURNING * INTO v_ride;
    IF v_driver.id IS NOT NULL THEN
        PERFORM public.record_ride_offer(v_ride, v_driver, v_settings);
    END IF;
    RETURN v_ride;
END
$$;
COMMENT ON FUNCTION public.request_ride(uuid, text, text, text, text) IS
    'A rider''s ride request in one step: Idempotency-Key, quote, nearest-driver claim, the ride and its offer.';

CREATE POLICY rides_insert_owner ON public.rides FOR INSERT TO vipride_owner WITH CHECK (true);
CREATE POLICY ride_request_keys_all_owner ON public.ride_request_keys FOR ALL TO vipride_owner
    USING (true) WITH CHECK (true);

REVOKE ALL ON FUNCTION public.take_quote(uuid, uuid),
    public.record_ride_offer(public.rides, public.drivers, public.city_settings),
    public.request_ride(uuid, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.request_ride(uuid, text, text, text, text) TO customer_user;
