-- Part 15 — dispatch: what makes a driver dispatchable, ride requests priced from their quote, offers to
-- the nearest suitable driver with an atomic claim, timeouts, retries and expiry, idempotent requests.
--
-- The claim is one UPDATE of the driver row picked by a KNN search over the GiST index with
-- FOR UPDATE SKIP LOCKED: two requests (or two service instances) racing for the same driver never
-- both get him — the loser skips the locked row and takes the next nearest. Dispatch runs as the owner
-- (SECURITY DEFINER) because a rider may neither see drivers' positions nor change their availability.

-- ---------------------------------------------------------------------------------------------
-- Drivers: what the current vehicle allows, copied onto the driver row so that the nearest-driver
-- search filters without a join. Kept by triggers from the vehicle, never written by drivers.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.drivers
    ADD COLUMN dispatch_vehicle_type public.vehicle_type,
    ADD COLUMN dispatch_seats smallint,
    ADD COLUMN vip_eligible boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN public.drivers.dispatch_vehicle_type IS 'Type of the current vehicle (kept by trigger, for dispatch).';
COMMENT ON COLUMN public.drivers.vip_eligible IS 'VIP-vetted driver in a VIP-certified active vehicle (kept by trigger).';

CREATE FUNCTION public.drivers_set_dispatch_profile() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_vehicle public.vehicles;
BEGIN
    SELECT * INTO v_vehicle FROM public.vehicles v
     WHERE v.id = NEW.current_vehicle_id AND v.deleted_at IS NULL AND v.status = 'active';
    NEW.dispatch_vehicle_type := v_vehicle.vehicle_type;
    NEW.dispatch_seats := v_vehicle.seats;
    NEW.vip_eligible := coalesce(v_vehicle.vip_certified, false) AND NEW.vip_vetted_at IS NOT NULL;
    RETURN NEW;
END
$$;
CREATE TRIGGER drivers_set_dispatch_profile BEFORE INSERT OR UPDATE OF current_vehicle_id, vip_vetted_at, is_online
    ON public.drivers FOR EACH ROW EXECUTE FUNCTION public.drivers_set_dispatch_profile();

-- A vehicle that changes type, seats, certification or status changes what its drivers may take.
CREATE FUNCTION public.vehicles_refresh_dispatch_profiles() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    UPDATE public.drivers d SET current_vehicle_id = d.current_vehicle_id WHERE d.current_vehicle_id = NEW.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER vehicles_refresh_dispatch_profiles AFTER UPDATE OF vehicle_type, seats, vip_certified, status, deleted_at
    ON public.vehicles FOR EACH ROW EXECUTE FUNCTION public.vehicles_refresh_dispatch_profiles();

-- The dispatcher's stale-driver sweep reads only the available drivers whose last ping is oldest.
CREATE INDEX drivers_available_ping_idx ON public.drivers (city, position_updated_at) WHERE is_available AND deleted_at IS NULL;
-- Available means dispatchable: a driver without a position could never be found by the search.
ALTER TABLE public.drivers ADD CONSTRAINT drivers_available_has_position_chk
    CHECK (NOT is_available OR position_updated_at IS NOT NULL);

CREATE POLICY drivers_update_owner ON public.drivers FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);
CREATE POLICY vehicles_select_owner ON public.vehicles FOR SELECT TO vipride_owner USING (true);

-- ---------------------------------------------------------------------------------------------
-- Rides: the quote a request honours, party size, offer acceptance, dispatch retries and expiry,
-- cancellation fee and the two ratings.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.rides
    ADD COLUMN quote_id uuid,
    ADD COLUMN tariff_id uuid,
    ADD COLUMN passengers smallint NOT NULL DEFAULT 1,
    ADD COLUMN accepted_at timestamptz,
    ADD COLUMN dispatch_attempts smallint NOT NULL DEFAULT 0,
    ADD COLUMN next_dispatch_at timestamptz,
    ADD COLUMN dispatch_deadline timestamptz,
    ADD COLUMN expired_at timestamptz,
    ADD COLUMN cancellation_fee_minor bigint NOT NULL DEFAULT 0,
    ADD COLUMN driver_rating smallint,
    ADD COLUMN rider_rating smallint;
ALTER TABLE public.rides
    ADD CONSTRAINT rides_tariff_fk FOREIGN KEY (tariff_id) REFERENCES public.tariffs (id),
    ADD CONSTRAINT rides_passengers_chk CHECK (passengers BETWEEN 1 AND 14),
    ADD CONSTRAINT rides_cancellation_fee_chk CHECK (cancellation_fee_minor >= 0),
    ADD CONSTRAINT rides_ratings_chk CHECK (driver_rating BETWEEN 1 AND 5 AND rider_rating BETWEEN 1 AND 5),
    ADD CONSTRAINT rides_rated_when_completed_chk CHECK (
        status = 'completed' OR (driver_rating IS NULL AND rider_rating IS NULL)),
    ADD CONSTRAINT rides_expired_chk CHECK (status <> 'expired' OR (expired_at IS NOT NULL AND driver_id IS NULL));
-- An expired request never had a driver, like a pending or cancelled one.
ALTER TABLE public.rides DROP CONSTRAINT rides_assigned_has_driver_chk;
ALTER TABLE public.rides ADD CONSTRAINT rides_assigned_has_driver_chk CHECK (
    status IN ('pending', 'cancelled', 'expired') OR (driver_id IS NOT NULL AND assigned_at IS NOT NULL));
COMMENT ON COLUMN public.rides.quote_id IS 'The fare quote the request honoured (fare_quotes.id).';
COMMENT ON COLUMN public.rides.dispatch_deadline IS 'A request still without a driver at this time expires.';
-- Dispatch retries: pending requests due for another search.
CREATE INDEX rides_pending_dispatch_idx ON public.rides (next_dispatch_at) WHERE status = 'pending';

CREATE POLICY rides_update_owner ON public.rides FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

-- The request takes everything that was priced from the quote; the rider names only the quote (and
-- addresses). The quote must be the rider's, unused and unexpired: an expired quote is refused, so a
-- price is either honoured or re-quoted, never silently changed.
CREATE FUNCTION public.rides_take_quote() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_quote    public.fare_quotes;
    v_settings public.city_settings;
BEGIN
    IF NEW.quote_id IS NULL THEN
        RETURN NEW;  -- rides loaded by the owner (imports, benchmarks) carry their own values
    END IF;
    UPDATE public.fare_quotes q SET used_at = now()
     WHERE q.id = NEW.quote_id AND q.customer_id = NEW.customer_id AND q.used_at IS NULL
    RETURNING * INTO v_quote;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Quote % is not an unused quote of yours.', NEW.quote_id USING ERRCODE = 'VR422', HINT = 'invalid-quote';
    END IF;
    IF v_quote.expires_at <= now() THEN
        RAISE EXCEPTION 'Quote % expired at %; ask for a new quote.', NEW.quote_id, v_quote.expires_at
            USING ERRCODE = 'VR409', HINT = 'quote-expired';
    END IF;
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
    NEW.vip_priority_level := CASE v_quote.rider_tier WHEN 'vip' THEN 5 WHEN 'premium' THEN 2 ELSE 0 END;
    NEW.status := 'pending';
    NEW.next_dispatch_at := NEW.requested_at;
    NEW.dispatch_deadline := NEW.requested_at + make_interval(secs => v_settings.dispatch_deadline_s);
    RETURN NEW;
END
$$;
CREATE TRIGGER rides_take_quote BEFORE INSERT ON public.rides
    FOR EACH ROW EXECUTE FUNCTION public.rides_take_quote();

-- A rider requests only through a quote.
DROP POLICY rides_insert_customer_user ON public.rides;
CREATE POLICY rides_insert_customer_user ON public.rides FOR INSERT TO customer_user
    WITH CHECK (customer_id = public.current_app_user_id() AND status = 'pending' AND quote_id IS NOT NULL
                AND customer_tier = (SELECT u.tier FROM public.users u WHERE u.id = public.current_app_user_id()));
GRANT INSERT (quote_id) ON public.rides TO customer_user;
GRANT SELECT (quote_id, tariff_id, passengers, accepted_at, dispatch_attempts, next_dispatch_at, dispatch_deadline,
              expired_at, cancellation_fee_minor, driver_rating, rider_rating)
    ON public.rides TO driver_user;

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
GRANT SELECT ON public.ride_offers TO driver_user, support_agent, system_admin;
CREATE POLICY ride_offers_select_driver_user ON public.ride_offers FOR SELECT TO driver_user
    USING (driver_id = (SELECT public.current_driver_id()));
CREATE POLICY ride_offers_select_support_agent ON public.ride_offers FOR SELECT TO support_agent USING (true);
CREATE POLICY ride_offers_select_system_admin ON public.ride_offers FOR SELECT TO system_admin USING (true);
CREATE POLICY ride_offers_all_owner ON public.ride_offers FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

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
GRANT SELECT, INSERT (customer_id, idempotency_key, request_fingerprint), UPDATE (ride_id, ride_requested_at)
    ON public.ride_request_keys TO customer_user;
CREATE POLICY ride_request_keys_select_customer_user ON public.ride_request_keys FOR SELECT TO customer_user
    USING (customer_id = public.current_app_user_id());
CREATE POLICY ride_request_keys_insert_customer_user ON public.ride_request_keys FOR INSERT TO customer_user
    WITH CHECK (customer_id = public.current_app_user_id());
CREATE POLICY ride_request_keys_update_customer_user ON public.ride_request_keys FOR UPDATE TO customer_user
    USING (customer_id = public.current_app_user_id() AND ride_id IS NULL)
    WITH CHECK (customer_id = public.current_app_user_id());

-- ---------------------------------------------------------------------------------------------
-- Dispatch functions
-- ---------------------------------------------------------------------------------------------

-- Frees a driver after an offer or a ride ended: available again if still online and approved and
-- not busy with another ride.
CREATE FUNCTION public.release_driver(p_driver_id uuid) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    UPDATE public.drivers d SET is_available = true
     WHERE d.id = p_driver_id AND d.is_online AND d.status = 'approved' AND d.deleted_at IS NULL
       AND NOT EXISTS (SELECT FROM public.rides r
                        WHERE r.driver_id = p_driver_id
                          AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency'))
$$;

-- Offers a pending ride to the nearest suitable driver: online and fresh, in range, the requested
-- vehicle type with room for the party, for VIP riders VIP-vetted in a VIP-certified vehicle with a
-- premium or elite subscription, not offered this ride before. Returns the driver, or NULL when none is in range (the ride stays pending
-- and is retried after the city's dispatch_retry_s).
CREATE FUNCTION public.offer_ride_to_nearest_driver(p_ride public.rides) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public
AS $$
DECLARE
    v_settings public.city_settings;
    v_pickup   public.earth := public.ll_to_earth(p_ride.pickup_lat, p_ride.pickup_lng);
    v_driver   public.drivers;
BEGIN
    SELECT * INTO STRICT v_settings FROM public.city_settings WHERE city = p_ride.city;
    UPDATE public.drivers d SET is_available = false
     WHERE d.id = (SELECT c.id FROM public.drivers c
                    WHERE c.is_available AND c.deleted_at IS NULL
                      AND c.current_position OPERATOR(public.<@) public.earth_box(v_pickup, v_settings.max_pickup_distance_m)
                      AND c.position_updated_at > now() - make_interval(secs => v_settings.driver_stale_after_s)
                      AND c.dispatch_vehicle_type = p_ride.vehicle_type
                      AND c.dispatch_seats >= p_ride.passengers
                      AND (p_ride.customer_tier <> 'vip'
                           OR (c.vip_eligible AND c.subscription_tier IN ('premium', 'elite')
                               AND c.subscription_expires_at > now()))
                      AND NOT EXISTS (SELECT FROM public.ride_offers o WHERE o.ride_id = p_ride.id AND o.driver_id = c.id)
                    ORDER BY c.current_position OPERATOR(public.<->) v_pickup
                    LIMIT 1
                      FOR UPDATE SKIP LOCKED)
       AND d.is_available
    RETURNING * INTO v_driver;
    IF v_driver.id IS NULL THEN
        UPDATE public.rides r SET dispatch_attempts = r.dispatch_attempts + 1,
                                  next_dispatch_at = now() + make_interval(secs => v_settings.dispatch_retry_s)
         WHERE r.id = p_ride.id AND r.requested_at = p_ride.requested_at;
        RETURN NULL;
    END IF;
    INSERT INTO public.ride_offers (ride_id, ride_requested_at, driver_id, pickup_distance_m, expires_at)
    VALUES (p_ride.id, p_ride.requested_at, v_driver.id,
            round(public.earth_distance(v_driver.current_position::public.earth, v_pickup)),
            now() + make_interval(secs => v_settings.offer_timeout_s));
    UPDATE public.rides r SET status = 'driver_assigned', driver_id = v_driver.id, vehicle_id = v_driver.current_vehicle_id,
                              fleet_company_id = v_driver.fleet_company_id, assigned_at = now(),
                              dispatch_attempts = r.dispatch_attempts + 1, next_dispatch_at = NULL
     WHERE r.id = p_ride.id AND r.requested_at = p_ride.requested_at;
    RETURN v_driver.id;
END
$$;
COMMENT ON FUNCTION public.offer_ride_to_nearest_driver(public.rides) IS
    'Atomically claims the nearest suitable available driver for a pending ride and offers it; NULL if none in range.';

-- The rider's request path: dispatch the caller's own new ride now.
CREATE FUNCTION public.dispatch_ride(p_ride_id uuid, p_requested_at timestamptz) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_ride public.rides;
BEGIN
    SELECT * INTO v_ride FROM public.rides r
     WHERE r.id = p_ride_id AND r.requested_at = p_requested_at AND r.customer_id = public.current_app_user_id()
       FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Ride % not found.', p_ride_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF v_ride.status <> 'pending' THEN
        RETURN v_ride.driver_id;
    END IF;
    RETURN public.offer_ride_to_nearest_driver(v_ride);
END
$$;

-- A driver answers an open offer. Accepting confirms the assignment; declining frees the driver and
-- offers the ride to the next nearest one at once.
CREATE FUNCTION public.respond_to_ride_offer(p_ride_id uuid, p_accept boolean) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_offer public.ride_offers;
    v_ride  public.rides;
BEGIN
    SELECT * INTO v_offer FROM public.ride_offers o
     WHERE o.ride_id = p_ride_id AND o.driver_id = public.current_driver_id()
       FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No offer of ride % to you.', p_ride_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF v_offer.status <> 'offered' OR v_offer.expires_at <= now() THEN
        RAISE EXCEPTION 'The offer of ride % is no longer open (%).', p_ride_id,
            CASE WHEN v_offer.status = 'offered' THEN 'expired' ELSE v_offer.status END
            USING ERRCODE = 'VR409', HINT = 'offer-closed';
    END IF;
    SELECT * INTO STRICT v_ride FROM public.rides r
     WHERE r.id = v_offer.ride_id AND r.requested_at = v_offer.ride_requested_at FOR UPDATE;
    UPDATE public.ride_offers o SET status = CASE WHEN p_accept THEN 'accepted' ELSE 'declined' END, responded_at = now()
     WHERE o.ride_id = v_offer.ride_id AND o.driver_id = v_offer.driver_id;
    IF p_accept THEN
        UPDATE public.rides r SET accepted_at = now() WHERE r.id = v_ride.id AND r.requested_at = v_ride.requested_at;
        RETURN 'accepted';
    END IF;
    PERFORM public.return_ride_to_dispatch(v_ride);
    RETURN 'declined';
END
$$;

-- Takes a ride back from the driver it was offered to and offers it to the next one.
CREATE FUNCTION public.return_ride_to_dispatch(p_ride public.rides) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_ride public.rides;
BEGIN
    UPDATE public.rides r SET status = 'pending', driver_id = NULL, vehicle_id = NULL, fleet_company_id = NULL,
                              assigned_at = NULL, accepted_at = NULL, next_dispatch_at = now()
     WHERE r.id = p_ride.id AND r.requested_at = p_ride.requested_at
    RETURNING * INTO v_ride;
    PERFORM public.release_driver(p_ride.driver_id);
    RETURN public.offer_ride_to_nearest_driver(v_ride);
END
$$;

-- The dispatcher's periodic pass, safe to run from every service instance at once (SKIP LOCKED):
-- times out open offers (the ride goes to the next driver), retries pending requests that are due,
-- expires requests past their deadline, and takes drivers whose pings stopped out of dispatch.
CREATE FUNCTION public.run_dispatch_pass(p_batch integer DEFAULT 100,
                                         OUT offers_timed_out integer, OUT rides_dispatched integer,
                                         OUT rides_expired integer, OUT drivers_gone_stale integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_offer public.ride_offers;
    v_ride  public.rides;
BEGIN
    offers_timed_out := 0; rides_dispatched := 0; rides_expired := 0;
    FOR v_offer IN SELECT * FROM public.ride_offers o WHERE o.status = 'offered' AND o.expires_at <= now()
                    ORDER BY o.expires_at LIMIT p_batch FOR UPDATE SKIP LOCKED LOOP
        SELECT * INTO v_ride FROM public.rides r
         WHERE r.id = v_offer.ride_id AND r.requested_at = v_offer.ride_requested_at FOR UPDATE SKIP LOCKED;
        CONTINUE WHEN NOT FOUND;
        UPDATE public.ride_offers o SET status = 'expired', responded_at = now()
         WHERE o.ride_id = v_offer.ride_id AND o.driver_id = v_offer.driver_id;
        offers_timed_out := offers_timed_out + 1;
        IF v_ride.status = 'driver_assigned' AND v_ride.driver_id = v_offer.driver_id AND v_ride.accepted_at IS NULL THEN
            PERFORM public.return_ride_to_dispatch(v_ride);
        END IF;
    END LOOP;

    FOR v_ride IN SELECT * FROM public.rides r WHERE r.status = 'pending' AND r.next_dispatch_at <= now()
                   ORDER BY r.next_dispatch_at LIMIT p_batch FOR UPDATE SKIP LOCKED LOOP
        IF v_ride.dispatch_deadline <= now() THEN
            UPDATE public.rides r SET status = 'expired', expired_at = now(), next_dispatch_at = NULL
             WHERE r.id = v_ride.id AND r.requested_at = v_ride.requested_at;
            rides_expired := rides_expired + 1;
        ELSIF public.offer_ride_to_nearest_driver(v_ride) IS NOT NULL THEN
            rides_dispatched := rides_dispatched + 1;
        END IF;
    END LOOP;

    UPDATE public.drivers d SET is_available = false
      FROM public.city_settings s
     WHERE d.is_available AND d.deleted_at IS NULL AND d.city = s.city
       AND d.position_updated_at <= now() - make_interval(secs => s.driver_stale_after_s);
    GET DIAGNOSTICS drivers_gone_stale = ROW_COUNT;
END
$$;
COMMENT ON FUNCTION public.run_dispatch_pass(integer) IS
    'Periodic dispatcher pass: offer timeouts, retries of pending requests, expiry, stale drivers. Cluster-safe.';

REVOKE ALL ON FUNCTION public.drivers_set_dispatch_profile(), public.vehicles_refresh_dispatch_profiles(),
    public.rides_take_quote(), public.release_driver(uuid), public.offer_ride_to_nearest_driver(public.rides),
    public.dispatch_ride(uuid, timestamptz), public.respond_to_ride_offer(uuid, boolean),
    public.return_ride_to_dispatch(public.rides), public.run_dispatch_pass(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.dispatch_ride(uuid, timestamptz) TO customer_user;
GRANT EXECUTE ON FUNCTION public.respond_to_ride_offer(uuid, boolean) TO driver_user;
GRANT EXECUTE ON FUNCTION public.run_dispatch_pass(integer) TO system_admin;

SELECT audit.enable_audit('public.ride_offers', 'ride_id');
