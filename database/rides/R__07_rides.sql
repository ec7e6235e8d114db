-- R__07_rides.sql — the ride lifecycle, guarded by the database: the legal status transitions (who may
-- take a step is decided by the role that makes the change; every step is timestamped here), request_ride
-- (a request in one statement: key, quote, claim of the nearest driver, the ride), the quote a request
-- takes, active_ride_route, support's cancellation of a stuck ride (cancel_ride_as_support), and the
-- policies and grants of rides and ride_request_keys.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'public.rides',
    'public.ride_request_keys');

CREATE OR REPLACE FUNCTION public.create_monthly_ride_partition(p_month date) RETURNS text
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT maintenance.create_monthly_partition('public.rides'::regclass, p_month)
$$;

-- What a driver needs to reach the rider, only while the ride is active and assigned to them.
-- The driver role has no privilege on these columns of rides; this is the one way to read them.
CREATE OR REPLACE FUNCTION public.active_ride_route(p_ride_id uuid, p_requested_at timestamptz)
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

-- The ETA model of a trip view: the great-circle distance from the driver to the target times the
-- city's road factor, at the city's average speed (the same model as fare estimates).
CREATE OR REPLACE FUNCTION public.trip_eta(p_city text, p_from_lat double precision, p_from_lng double precision,
                                           p_to_lat double precision, p_to_lng double precision,
                                           OUT distance_m integer, OUT eta_s integer)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT d.m, round(d.m / (s.average_speed_kmh / 3.6))::integer
      FROM public.city_settings s
     CROSS JOIN LATERAL (SELECT round(public.great_circle_m(p_from_lat, p_from_lng, p_to_lat, p_to_lng)
                                      * s.road_factor)::integer AS m) d
     WHERE s.city = p_city
$$;

-- The trip as each party of an active ride sees it, once the driver has accepted it and until it ends:
-- the driver gets the rider's first name and the route; the rider gets the driver's first name and
-- rating, the vehicle, the driver's last position and an ETA (to the pickup while the driver
-- approaches, to the drop-off during the trip). Anyone else, or a ride not active, gets no row. A VIP
-- ride's route is an envelope (route_enc) that the service opens under the VIP's key: this function
-- decides who receives it and logs each hand-over in audit.vip_access_log.
CREATE OR REPLACE FUNCTION public.ride_trip(p_ride_id uuid)
    RETURNS TABLE (ride_id uuid, requested_at timestamptz, status public.ride_status, viewer text, city text,
                   customer_id uuid, quote_id uuid, vip boolean, rider_first_name text,
                   pickup_lat double precision, pickup_lng double precision, pickup_address text,
                   dropoff_lat double precision, dropoff_lng double precision, dropoff_address text, route_enc bytea,
                   driver_first_name text, driver_rating numeric, vehicle_make text, vehicle_model text,
                   vehicle_colour text, vehicle_plate text, driver_lat double precision, driver_lng double precision,
                   driver_position_at timestamptz, eta_target text, eta_distance_m integer, eta_s integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_role   text := audit.acting_role();
    v_ride   public.rides;
    v_driver public.drivers;
    v_lat    double precision;
    v_lng    double precision;
BEGIN
    IF v_role = 'driver_user' THEN
        SELECT * INTO v_ride FROM public.rides r
         WHERE r.id = p_ride_id AND r.driver_id = public.current_driver_id() AND r.accepted_at IS NOT NULL
           AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency');
    ELSIF v_role = 'customer_user' THEN
        SELECT * INTO v_ride FROM public.rides r
         WHERE r.id = p_ride_id AND r.customer_id = public.current_app_user_id() AND r.accepted_at IS NOT NULL
           AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency');
    END IF;
    IF v_ride.id IS NULL THEN
        RETURN;
    END IF;
    ride_id := v_ride.id; requested_at := v_ride.requested_at; status := v_ride.status; city := v_ride.city;
    customer_id := v_ride.customer_id; quote_id := v_ride.quote_id; vip := v_ride.customer_tier = 'vip';
    IF v_role = 'driver_user' THEN
        viewer := 'driver';
        SELECT u.first_name INTO rider_first_name FROM public.users u WHERE u.id = v_ride.customer_id;
        pickup_lat := v_ride.pickup_lat; pickup_lng := v_ride.pickup_lng; pickup_address := v_ride.pickup_address;
        dropoff_lat := v_ride.dropoff_lat; dropoff_lng := v_ride.dropoff_lng; dropoff_address := v_ride.dropoff_address;
        route_enc := v_ride.route_enc;
        IF vip THEN
            PERFORM audit.log_vip_access(v_ride.customer_id, 'rides:route', 'driving the ride ' || v_ride.id, NULL);
        END IF;
        RETURN NEXT;
        RETURN;
    END IF;
    viewer := 'rider';
    SELECT * INTO v_driver FROM public.drivers d WHERE d.id = v_ride.driver_id;
    SELECT u.first_name INTO driver_first_name FROM public.users u WHERE u.id = v_driver.user_id;
    driver_rating := v_driver.rating;
    SELECT v.make, v.model, v.color, v.plate_number INTO vehicle_make, vehicle_model, vehicle_colour, vehicle_plate
      FROM public.vehicles v WHERE v.id = v_ride.vehicle_id;
    driver_lat := v_driver.current_lat; driver_lng := v_driver.current_lng;
    driver_position_at := v_driver.position_updated_at;
    IF v_ride.status = 'driver_assigned' THEN
        eta_target := 'pickup'; v_lat := v_ride.pickup_lat; v_lng := v_ride.pickup_lng;
    ELSIF v_ride.status = 'driver_arrived' THEN
        eta_target := 'pickup'; eta_distance_m := 0; eta_s := 0;
    ELSE
        eta_target := 'dropoff'; v_lat := v_ride.dropoff_lat; v_lng := v_ride.dropoff_lng;
    END IF;
    IF vip AND eta_s IS NULL THEN
        -- The target is sealed: the service opens the route for the VIP and asks trip_eta itself.
        route_enc := v_ride.route_enc;
        PERFORM audit.log_vip_access(v_ride.customer_id, 'rides:route', 'trip ETA of the ride ' || v_ride.id, NULL);
    ELSIF eta_s IS NULL THEN
        SELECT e.distance_m, e.eta_s INTO eta_distance_m, eta_s
          FROM public.trip_eta(v_ride.city, driver_lat, driver_lng, v_lat, v_lng) e;
    END IF;
    RETURN NEXT;
END
$$;

-- A ride's route for those who may read it: its rider (any time), its driver while the ride is active,
-- and for a VIP's ride the VIP roles (vip_admin and vip_operator; an emergency responder during the VIP's
-- open emergency). A VIP's route comes sealed (route_enc) for the service to open under the VIP's key, and
-- every hand-over is logged in audit.vip_access_log with the purpose given. Support and everyone else get
-- no row: they see the ride's city in public.rides, never a VIP's points.
CREATE OR REPLACE FUNCTION public.ride_route(p_ride_id uuid, p_purpose text DEFAULT NULL)
    RETURNS TABLE (ride_id uuid, requested_at timestamptz, customer_id uuid, quote_id uuid, city text, vip boolean,
                   pickup_lat double precision, pickup_lng double precision, pickup_address text,
                   dropoff_lat double precision, dropoff_lng double precision, dropoff_address text, route_enc bytea)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_role text := audit.acting_role();
    v_ride public.rides;
BEGIN
    SELECT * INTO v_ride FROM public.rides r
     WHERE r.id = p_ride_id
       AND CASE v_role
               WHEN 'customer_user' THEN r.customer_id = public.current_app_user_id()
               WHEN 'driver_user' THEN r.driver_id = public.current_driver_id()
                                       AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency')
               WHEN 'vip_admin' THEN r.customer_tier = 'vip'
               WHEN 'vip_operator' THEN r.customer_tier = 'vip'
               WHEN 'emergency_responder' THEN r.customer_tier = 'vip'
                                               AND r.customer_id = ANY (vip_data.active_emergency_vip_ids())
                                               AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency')
               ELSE false
           END;
    IF v_ride.id IS NULL THEN
        RETURN;
    END IF;
    IF v_ride.customer_tier = 'vip' THEN
        PERFORM audit.log_vip_access(v_ride.customer_id, 'rides:route',
            coalesce(nullif(btrim(p_purpose), ''), CASE v_role WHEN 'customer_user' THEN 'own ride'
                                                               WHEN 'driver_user' THEN 'driving the ride ' || v_ride.id END),
            (SELECT i.id FROM vip_data.emergency_incidents i
              WHERE v_role = 'emergency_responder' AND i.vip_user_id = v_ride.customer_id AND i.status = 'open'
                AND i.access_expires_at > now() ORDER BY i.opened_at DESC LIMIT 1));
    END IF;
    RETURN QUERY SELECT v_ride.id, v_ride.requested_at, v_ride.customer_id, v_ride.quote_id, v_ride.city,
                        v_ride.customer_tier = 'vip', v_ride.pickup_lat, v_ride.pickup_lng, v_ride.pickup_address,
                        v_ride.dropoff_lat, v_ride.dropoff_lng, v_ride.dropoff_address, v_ride.route_enc;
END
$$;

CREATE OR REPLACE FUNCTION public.ride_transition_allowed(p_from public.ride_status, p_to public.ride_status, p_actor text)
    RETURNS boolean
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog
AS $$
    SELECT CASE p_actor
        WHEN 'vipride_owner' THEN (p_from, p_to) IN (('pending', 'driver_assigned'), ('driver_assigned', 'pending'),
                                                      ('pending', 'expired'))
        WHEN 'customer_user' THEN (p_from, p_to) IN (('pending', 'cancelled'), ('driver_assigned', 'cancelled'),
                                                      ('driver_arrived', 'cancelled'), ('emergency', 'cancelled'),
                                                      ('driver_assigned', 'emergency'), ('driver_arrived', 'emergency'),
                                                      ('in_progress', 'emergency'))
        WHEN 'driver_user' THEN (p_from, p_to) IN (('driver_assigned', 'driver_arrived'), ('driver_arrived', 'in_progress'),
                                                    ('in_progress', 'completed'), ('emergency', 'completed'),
                                                    ('driver_assigned', 'cancelled'), ('driver_arrived', 'cancelled'),
                                                    ('emergency', 'cancelled'), ('driver_assigned', 'emergency'),
                                                    ('driver_arrived', 'emergency'), ('in_progress', 'emergency'))
        -- Staff end a stuck ride whatever step it is stuck at; a finished one stays as it ended.
        WHEN 'support_agent' THEN p_to = 'cancelled'
                                  AND p_from IN ('pending', 'driver_assigned', 'driver_arrived', 'in_progress', 'emergency')
        WHEN 'system_admin' THEN p_to = 'cancelled'
                                 AND p_from IN ('pending', 'driver_assigned', 'driver_arrived', 'in_progress', 'emergency')
        ELSE false
    END
$$;

-- BEFORE UPDATE: refuses illegal steps, stamps the step, prices completion and cancellation.
-- Runs with the caller's rights (current_user is the acting role; the dispatch functions act as owner).
CREATE OR REPLACE FUNCTION public.rides_apply_transition() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    v_actor  text := current_user;
    v_tariff public.tariffs;
BEGIN
    -- A VIP ride's coarse pickup serves only to offer it again: gone once a driver accepts or it ends.
    IF NEW.pickup_cell IS NOT NULL
       AND (NEW.accepted_at IS NOT NULL OR NEW.status NOT IN ('pending', 'driver_assigned')) THEN
        NEW.pickup_cell := NULL;
    END IF;
    -- A superuser (a DBA repairing data, a test arranging state) is not held to the state machine.
    IF (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = v_actor) THEN
        RETURN NEW;
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NOT public.ride_transition_allowed(OLD.status, NEW.status, v_actor) THEN
            RAISE EXCEPTION 'A ride cannot go from % to % (as %).', OLD.status, NEW.status, v_actor
                USING ERRCODE = 'VR409', HINT = 'illegal-transition';
        END IF;
        IF NEW.status = 'driver_arrived' AND OLD.accepted_at IS NULL THEN
            RAISE EXCEPTION 'Accept the offer before arriving.' USING ERRCODE = 'VR409', HINT = 'offer-not-accepted';
        END IF;
        CASE NEW.status
            WHEN 'driver_arrived' THEN NEW.arrived_at := now();
            WHEN 'in_progress' THEN NEW.started_at := now();
            WHEN 'emergency' THEN NEW.emergency_at := now();
            WHEN 'cancelled' THEN
                NEW.cancelled_at := now();
                NEW.cancelled_by := CASE v_actor WHEN 'driver_user' THEN 'driver'
                                                 WHEN 'support_agent' THEN 'support_agent'
                                                 WHEN 'system_admin' THEN 'system_admin'
                                                 ELSE 'customer' END::public.user_type;
                -- Staff cancel someone else's ride: the rider and the driver are owed the reason. A staff
                -- cancellation never charges the rider (the fee below is the rider's own late cancel).
                IF v_actor IN ('support_agent', 'system_admin')
                   AND (NEW.cancellation_reason IS NULL OR length(btrim(NEW.cancellation_reason)) NOT BETWEEN 1 AND 500) THEN
                    RAISE EXCEPTION 'Say why the ride is cancelled (1 to 500 characters).'
                        USING ERRCODE = 'VR422', HINT = 'reason-required';
                END IF;
                -- A rider who cancels after the driver arrived, or after the free window once a
                -- driver was assigned, pays the tariff's cancellation fee.
                IF v_actor = 'customer_user' AND OLD.tariff_id IS NOT NULL THEN
                    SELECT * INTO v_tariff FROM public.tariffs t WHERE t.id = OLD.tariff_id;
                    IF OLD.status IN ('driver_arrived')
                       OR (OLD.status = 'driver_assigned'
                           AND OLD.assigned_at <= now() - make_interval(secs => v_tariff.free_cancellation_s)) THEN
                        NEW.cancellation_fee_minor := v_tariff.cancellation_fee_minor;
                    END IF;
                END IF;
            WHEN 'completed' THEN
                IF NEW.actual_distance_m IS NULL THEN
                    RAISE EXCEPTION 'Completing a ride needs its actual distance.'
                        USING ERRCODE = 'VR400', HINT = 'distance-required';
                END IF;
                NEW.completed_at := now();
                NEW.started_at := coalesce(OLD.started_at, OLD.emergency_at);
                NEW.actual_duration_s := greatest(0, round(extract(epoch FROM NEW.completed_at - NEW.started_at)))::integer;
                IF OLD.tariff_id IS NOT NULL THEN
                    SELECT * INTO v_tariff FROM public.tariffs t WHERE t.id = OLD.tariff_id;
                    NEW.final_fare_minor := public.fare_for(v_tariff, NEW.actual_distance_m, NEW.actual_duration_s,
                                                            OLD.surge_multiplier);
                END IF;
            ELSE NULL;
        END CASE;
    ELSIF v_actor IN ('customer_user', 'driver_user')
          AND (NEW.final_fare_minor IS DISTINCT FROM OLD.final_fare_minor
               OR NEW.actual_distance_m IS DISTINCT FROM OLD.actual_distance_m
               OR NEW.actual_duration_s IS DISTINCT FROM OLD.actual_duration_s) THEN
        RAISE EXCEPTION 'Trip measures and fares change only with the ride''s status.'
            USING ERRCODE = 'VR409', HINT = 'ride-immutable';
    END IF;
    -- Each side rates the other once, after completion.
    IF (NEW.driver_rating IS DISTINCT FROM OLD.driver_rating AND OLD.driver_rating IS NOT NULL)
       OR (NEW.rider_rating IS DISTINCT FROM OLD.rider_rating AND OLD.rider_rating IS NOT NULL) THEN
        RAISE EXCEPTION 'This ride has already been rated.' USING ERRCODE = 'VR409', HINT = 'already-rated';
    END IF;
    IF (NEW.driver_rating IS NOT NULL OR NEW.rider_rating IS NOT NULL) AND NEW.status <> 'completed' THEN
        RAISE EXCEPTION 'Only a completed ride can be rated.' USING ERRCODE = 'VR409', HINT = 'not-completed';
    END IF;
    RETURN NEW;
END
$$;

-- AFTER UPDATE, as the owner: the consequences of a step for drivers, earnings and ratings.
CREATE OR REPLACE FUNCTION public.rides_after_transition() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF NEW.status = 'completed' THEN
            PERFORM public.settle_ride_earnings(NEW);
            UPDATE public.drivers d SET total_rides = d.total_rides + 1 WHERE d.id = NEW.driver_id;
        END IF;
        IF NEW.status IN ('completed', 'cancelled') AND OLD.driver_id IS NOT NULL THEN
            UPDATE public.ride_offers o SET status = 'withdrawn', responded_at = now()
             WHERE o.ride_id = NEW.id AND o.status = 'offered';
            PERFORM public.release_driver(OLD.driver_id);
        END IF;
    END IF;
    IF NEW.driver_rating IS NOT NULL AND OLD.driver_rating IS NULL THEN
        UPDATE public.drivers d
           SET rating = round((coalesce(d.rating, 0) * d.rating_count + NEW.driver_rating) / (d.rating_count + 1), 2),
               rating_count = d.rating_count + 1
         WHERE d.id = NEW.driver_id;
    END IF;
    IF NEW.rider_rating IS NOT NULL AND OLD.rider_rating IS NULL THEN
        UPDATE public.users u
           SET rider_rating = round((coalesce(u.rider_rating, 0) * u.rider_rating_count + NEW.rider_rating)
                                    / (u.rider_rating_count + 1), 2),
               rider_rating_count = u.rider_rating_count + 1
         WHERE u.id = NEW.customer_id;
    END IF;
    RETURN NULL;
END
$$;

-- Marks the rider's quote used and returns it; refuses a quote that is not theirs, already used or
-- expired (a price is honoured or re-quoted, never silently changed).
CREATE OR REPLACE FUNCTION public.take_quote(p_quote_id uuid, p_customer_id uuid) RETURNS public.fare_quotes
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

-- The one place a quote becomes a ride: the ride's city, tier, tariff, route, party and price are the
-- quote's; its dispatch priority and deadline follow from them. request_ride and a rider's own INSERT
-- (rides_take_quote) both build the ride with it. No SET clause: called once per request, it stays cheap.
CREATE OR REPLACE FUNCTION public.ride_with_quote(p_ride public.rides, p_quote public.fare_quotes,
                                                  p_settings public.city_settings)
    RETURNS public.rides
    LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    p_ride.quote_id := p_quote.id;
    p_ride.city := p_quote.city;
    p_ride.customer_tier := p_quote.rider_tier;
    p_ride.tariff_id := p_quote.tariff_id;
    p_ride.billing_model := p_quote.billing_model;
    p_ride.vehicle_type := p_quote.vehicle_type;
    p_ride.passengers := p_quote.passengers;
    p_ride.pickup_lat := p_quote.pickup_lat;
    p_ride.pickup_lng := p_quote.pickup_lng;
    p_ride.dropoff_lat := p_quote.dropoff_lat;
    p_ride.dropoff_lng := p_quote.dropoff_lng;
    p_ride.currency := p_quote.currency;
    p_ride.estimated_fare_minor := p_quote.estimated_fare_minor;
    p_ride.surge_multiplier := p_quote.surge_multiplier;
    p_ride.estimated_distance_m := p_quote.estimated_distance_m;
    p_ride.estimated_duration_s := p_quote.estimated_duration_s;
    p_ride.vip_priority_level := public.ride_priority(p_quote.rider_tier);
    p_ride.dispatch_deadline := p_ride.requested_at OPERATOR(pg_catalog.+)
                                pg_catalog.make_interval(secs => p_settings.dispatch_deadline_s);
    RETURN p_ride;
END
$$;

-- A rider's own INSERT of a ride naming a quote (psql, a BI tool, another service instance) takes the
-- quote like request_ride does; the ride then waits for dispatch_ride or the dispatcher pass.
CREATE OR REPLACE FUNCTION public.rides_take_quote() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_quote    public.fare_quotes := public.take_quote(NEW.quote_id, NEW.customer_id);
    v_settings public.city_settings;
BEGIN
    SELECT * INTO STRICT v_settings FROM public.city_settings WHERE city = v_quote.city;
    NEW := public.ride_with_quote(NEW, v_quote, v_settings);
    NEW.status := 'pending';
    NEW.next_dispatch_at := NEW.requested_at;
    RETURN NEW;
END
$$;

-- The ride that the signed-in rider's earlier request with this Idempotency-Key made; NULL when the key
-- is unused. The same key with another request is refused, and so is a key whose ride is no longer kept
-- (archived): it is never made again. request_ride answers a retry with it, and the service asks it
-- before pricing a retried trip, so a retry is never priced twice.
CREATE OR REPLACE FUNCTION public.ride_of_request_key(p_idempotency_key text, p_fingerprint text) RETURNS public.rides
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_key  public.ride_request_keys;
    v_ride public.rides;
BEGIN
    SELECT * INTO v_key FROM public.ride_request_keys k
     WHERE k.customer_id = public.current_app_user_id() AND k.idempotency_key = p_idempotency_key;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF v_key.request_fingerprint IS DISTINCT FROM p_fingerprint THEN
        RAISE EXCEPTION 'This Idempotency-Key was used for a different request.'
            USING ERRCODE = 'VR422', HINT = 'idempotency-key-reused';
    END IF;
    SELECT * INTO v_ride FROM public.rides r WHERE r.id = v_key.ride_id AND r.requested_at = v_key.ride_requested_at;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'The ride of this Idempotency-Key is no longer kept; use a new key.'
            USING ERRCODE = 'VR410', HINT = 'idempotency-key-expired';
    END IF;
    RETURN v_ride;
END
$$;

-- The signed-in rider's request. With an Idempotency-Key the key is claimed first, naming the ride
-- about to be made: a concurrent request with the same key waits on the key's primary key until this
-- transaction ends, then returns this ride (or, had this one failed, makes its own). The same key with
-- another request is refused. Runs as the owner because a rider may neither see drivers nor claim
-- them; the ride is always the caller's own.
DROP FUNCTION IF EXISTS public.request_ride(uuid, text, text, text, text);

DROP FUNCTION IF EXISTS public.request_ride(uuid, text, text, text, text, double precision, double precision, bytea);

-- A VIP's ride keeps its route only sealed (route_enc, made by the service under the VIP's key, bound to
-- "public.rides.route_enc/<quote id>"): the VIP's quote holds no points, so the service passes the pickup,
-- which the claim uses in memory and nothing stores in clear; a ride that must be offered again is searched
-- around pickup_cell. Without them a VIP's request is refused (vip-route-required) and writes nothing.
CREATE OR REPLACE FUNCTION public.request_ride(p_quote_id uuid, p_idempotency_key text, p_fingerprint text,
                                    p_pickup_address text, p_dropoff_address text,
                                    p_pickup_lat double precision DEFAULT NULL,
                                    p_pickup_lng double precision DEFAULT NULL, p_route_enc bytea DEFAULT NULL,
                                    p_scheduled_for timestamptz DEFAULT NULL)
    RETURNS public.rides
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_customer uuid := public.current_app_user_id();
    v_quote    public.fare_quotes;
    v_settings public.city_settings;
    v_ride     public.rides;
    v_claim    public.rides;
    v_driver   public.drivers;
    v_vip      boolean := false;
BEGIN
    IF v_customer IS NULL THEN
        RAISE EXCEPTION 'Only a signed-in rider can request a ride.' USING ERRCODE = 'VR403', HINT = 'not-a-rider';
    END IF;
    IF p_scheduled_for IS NOT NULL AND (p_scheduled_for < now() + interval '15 minutes'
                                        OR p_scheduled_for > now() + interval '30 days') THEN
        RAISE EXCEPTION 'A scheduled ride is booked for 15 minutes to 30 days ahead.'
            USING ERRCODE = 'VR422', HINT = 'scheduled-time-out-of-range';
    END IF;
    v_ride.id := gen_random_uuid();
    v_ride.requested_at := now();
    IF p_idempotency_key IS NOT NULL THEN
        INSERT INTO public.ride_request_keys (customer_id, idempotency_key, request_fingerprint, ride_id, ride_requested_at)
        VALUES (v_customer, p_idempotency_key, p_fingerprint, v_ride.id, v_ride.requested_at)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
            RETURN public.ride_of_request_key(p_idempotency_key, p_fingerprint);
        END IF;
    END IF;

    v_quote := public.take_quote(p_quote_id, v_customer);
    IF v_quote.rider_tier IS DISTINCT FROM (SELECT u.tier FROM public.users u WHERE u.id = v_customer) THEN
        RAISE EXCEPTION 'Your tier changed since quote % was made; ask for a new quote.', p_quote_id
            USING ERRCODE = 'VR409', HINT = 'quote-tier-changed';
    END IF;
    SELECT * INTO STRICT v_settings FROM public.city_settings s WHERE s.city = v_quote.city;
    IF v_quote.rider_tier = 'vip' THEN
        IF p_route_enc IS NULL OR p_pickup_lat IS NULL OR p_pickup_lng IS NULL THEN
            RAISE EXCEPTION 'A VIP''s ride needs its sealed route and the pickup for dispatch.'
                USING ERRCODE = 'VR428', HINT = 'vip-route-required';
        END IF;
        IF p_pickup_address IS NOT NULL OR p_dropoff_address IS NOT NULL
           OR NOT (p_pickup_lat BETWEEN -90 AND 90 AND p_pickup_lng BETWEEN -180 AND 180) THEN
            RAISE EXCEPTION 'A VIP''s addresses travel only inside the sealed route, and the pickup must be a point.'
                USING ERRCODE = 'VR422', HINT = 'vip-route-in-clear';
        END IF;
        v_vip := true;
    ELSIF p_route_enc IS NOT NULL THEN
        RAISE EXCEPTION 'Only a VIP''s ride carries a sealed route.' USING ERRCODE = 'VR422', HINT = 'route-not-sealed';
    END IF;
    v_ride.customer_id := v_customer;
    v_ride.pickup_address := p_pickup_address;
    v_ride.dropoff_address := p_dropoff_address;
    v_ride.route_enc := p_route_enc;
    v_ride := public.ride_with_quote(v_ride, v_quote, v_settings);
    v_claim := v_ride;
    IF v_vip THEN
        -- The claim searches from the pickup held in memory; the ride keeps only a coarse cell (about
        -- 1 km) for offers made later, erased when a driver accepts.
        v_claim.pickup_lat := p_pickup_lat;
        v_claim.pickup_lng := p_pickup_lng;
        v_ride.pickup_cell := point(round(p_pickup_lng::numeric, 2)::float8, round(p_pickup_lat::numeric, 2)::float8);
    END IF;
    IF p_scheduled_for IS NULL THEN
        v_driver := public.claim_nearest_driver(v_claim, v_settings);
    ELSE
        -- A scheduled ride waits: the dispatcher pass offers it from 15 minutes before the pickup and
        -- expires it (notifying the rider) at the pickup time plus the city's dispatch deadline.
        v_ride.dispatch_deadline := p_scheduled_for + make_interval(secs => v_settings.dispatch_deadline_s);
    END IF;

    INSERT INTO public.rides (id, requested_at, customer_id, quote_id, tariff_id, city, customer_tier, billing_model,
                              vehicle_type, passengers, pickup_lat, pickup_lng, pickup_address, dropoff_lat,
                              dropoff_lng, dropoff_address, currency, estimated_fare_minor, surge_multiplier,
                              estimated_distance_m, estimated_duration_s, vip_priority_level, status, driver_id,
                              vehicle_id, fleet_company_id, assigned_at, dispatch_attempts, next_dispatch_at,
                              dispatch_deadline, route_enc, pickup_cell, scheduled_for)
    VALUES (v_ride.id, v_ride.requested_at, v_ride.customer_id, v_ride.quote_id, v_ride.tariff_id, v_ride.city,
            v_ride.customer_tier, v_ride.billing_model, v_ride.vehicle_type, v_ride.passengers, v_ride.pickup_lat,
            v_ride.pickup_lng, v_ride.pickup_address, v_ride.dropoff_lat, v_ride.dropoff_lng, v_ride.dropoff_address,
            v_ride.currency, v_ride.estimated_fare_minor, v_ride.surge_multiplier, v_ride.estimated_distance_m,
            v_ride.estimated_duration_s, v_ride.vip_priority_level,
            CASE WHEN v_driver.id IS NULL THEN 'pending' ELSE 'driver_assigned' END::public.ride_status,
            v_driver.id, v_driver.current_vehicle_id, v_driver.fleet_company_id,
            CASE WHEN v_driver.id IS NOT NULL THEN v_ride.requested_at END,
            CASE WHEN p_scheduled_for IS NULL THEN 1 ELSE 0 END,
            CASE WHEN p_scheduled_for IS NOT NULL THEN p_scheduled_for - interval '15 minutes'
                 WHEN v_driver.id IS NULL THEN now() + make_interval(secs => v_settings.dispatch_retry_s) END,
            v_ride.dispatch_deadline, v_ride.route_enc, v_ride.pickup_cell, p_scheduled_for)
    RETURNING * INTO v_ride;
    IF v_driver.id IS NOT NULL THEN
        -- The offer's pickup distance is the exact one, from the pickup held in memory.
        v_ride.pickup_lat := v_claim.pickup_lat;
        v_ride.pickup_lng := v_claim.pickup_lng;
        PERFORM public.record_ride_offer(v_ride, v_driver, v_settings);
    END IF;
    RETURN v_ride;
END
$$;

-- Support's (or a system administrator's) cancellation of a stuck ride, with the reason they must give.
-- Runs with the caller's rights, as a direct UPDATE would: the staff update policy, the column grants and
-- the state machine (ride_transition_allowed, rides_apply_transition) decide; this function only turns
-- "not there" and "already ended" into clear refusals. The after-trigger releases the driver and
-- withdraws open offers; the stream and notification triggers tell the rider and the driver; the audit
-- trigger records who did it.
CREATE OR REPLACE FUNCTION public.cancel_ride_as_support(p_ride_id uuid, p_reason text) RETURNS uuid
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    v_status public.ride_status;
BEGIN
    IF current_user NOT IN ('support_agent', 'system_admin') THEN
        RAISE EXCEPTION 'Only support or a system administrator cancels a ride for its parties.'
            USING ERRCODE = 'VR403', HINT = 'access-denied';
    END IF;
    IF p_reason IS NULL OR length(btrim(p_reason)) NOT BETWEEN 1 AND 500 THEN
        RAISE EXCEPTION 'Say why the ride is cancelled (1 to 500 characters).'
            USING ERRCODE = 'VR422', HINT = 'reason-required';
    END IF;
    -- Locked, so that a driver completing the ride at this moment either goes first (then it has
    -- ended) or waits for the cancellation.
    SELECT r.status INTO v_status FROM public.rides r WHERE r.id = p_ride_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No ride % is visible to you.', p_ride_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF v_status IN ('completed', 'cancelled', 'expired') THEN
        RAISE EXCEPTION 'This ride has already ended (%); there is nothing to cancel.', v_status
            USING ERRCODE = 'VR409', HINT = 'ride-finished';
    END IF;
    UPDATE public.rides SET status = 'cancelled', cancellation_reason = btrim(p_reason) WHERE id = p_ride_id;
    RETURN p_ride_id;
END
$$;

COMMENT ON FUNCTION public.cancel_ride_as_support(uuid, text) IS
    'Support or a system administrator cancels a ride that has not ended, with a reason; no fee for the rider.';

REVOKE ALL ON FUNCTION public.cancel_ride_as_support(uuid, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.cancel_ride_as_support(uuid, text) TO support_agent, system_admin;

COMMENT ON FUNCTION public.create_monthly_ride_partition(date) IS
    'Idempotently creates the rides partition for the month containing p_month (spec: partition creation).';

SELECT maintenance.ensure_partitions_ahead('public.rides'::regclass);

SELECT audit.enable_audit('public.rides');

GRANT EXECUTE ON FUNCTION public.active_ride_route(uuid, timestamptz) TO driver_user;

REVOKE ALL ON FUNCTION public.ride_trip(uuid),
    public.trip_eta(text, double precision, double precision, double precision, double precision) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.ride_trip(uuid), public.trip_eta(text, double precision, double precision,
                                                              double precision, double precision)
    TO driver_user, customer_user;

GRANT EXECUTE ON FUNCTION public.create_monthly_ride_partition(date) TO system_admin;

GRANT SELECT ON public.rides TO customer_user, fleet_admin, system_admin, emergency_responder;

-- Support reads every ride but not a VIP's sealed route or coarse pickup (a VIP ride's plain route
-- columns are empty): the city is what it sees of where a VIP goes.
REVOKE SELECT ON public.rides FROM support_agent;

GRANT SELECT (id, requested_at, customer_id, driver_id, vehicle_id, fleet_company_id, city, status, customer_tier,
              billing_model, vehicle_type, pickup_lat, pickup_lng, pickup_address, dropoff_lat, dropoff_lng,
              dropoff_address, currency, estimated_fare_minor, final_fare_minor, surge_multiplier, estimated_distance_m,
              actual_distance_m, estimated_duration_s, actual_duration_s, vip_priority_level, assigned_at, arrived_at,
              started_at, completed_at, cancelled_at, cancelled_by, cancellation_reason, emergency_at, created_at,
              updated_at, quote_id, tariff_id, passengers, accepted_at, dispatch_attempts, next_dispatch_at,
              dispatch_deadline, expired_at, cancellation_fee_minor, driver_rating, rider_rating, scheduled_for)
    ON public.rides TO support_agent;

REVOKE ALL ON FUNCTION public.ride_route(uuid, text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.ride_route(uuid, text)
    TO customer_user, driver_user, vip_admin, vip_operator, emergency_responder;

GRANT SELECT (id, requested_at, customer_id, driver_id, vehicle_id, fleet_company_id, city, status, customer_tier,
              billing_model, vehicle_type, currency, estimated_fare_minor, final_fare_minor, surge_multiplier,
              estimated_distance_m, actual_distance_m, estimated_duration_s, actual_duration_s, vip_priority_level,
              assigned_at, arrived_at, started_at, completed_at, cancelled_at, cancelled_by, cancellation_reason,
              emergency_at, created_at, updated_at, scheduled_for)
    ON public.rides TO driver_user;

GRANT INSERT (customer_id, city, customer_tier, billing_model, vehicle_type, pickup_lat, pickup_lng, pickup_address,
              dropoff_lat, dropoff_lng, dropoff_address, currency, estimated_fare_minor, surge_multiplier,
              estimated_distance_m, estimated_duration_s, vip_priority_level)
    ON public.rides TO customer_user;

GRANT UPDATE (status, cancelled_at, cancelled_by, cancellation_reason, emergency_at) ON public.rides TO customer_user;

GRANT UPDATE (status, arrived_at, started_at, completed_at, cancelled_at, cancelled_by, cancellation_reason,
              emergency_at, actual_distance_m, actual_duration_s, final_fare_minor) ON public.rides TO driver_user;

CREATE POLICY rides_select_customer_user ON public.rides FOR SELECT TO customer_user
    USING (customer_id = public.current_app_user_id());

CREATE POLICY rides_select_driver_user ON public.rides FOR SELECT TO driver_user
    USING (driver_id = (SELECT public.current_driver_id()));

CREATE POLICY rides_select_fleet_admin ON public.rides FOR SELECT TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()));

CREATE POLICY rides_select_support_agent ON public.rides FOR SELECT TO support_agent USING (true);

CREATE POLICY rides_select_system_admin ON public.rides FOR SELECT TO system_admin USING (true);

CREATE POLICY rides_select_emergency_responder ON public.rides FOR SELECT TO emergency_responder
    USING (customer_id = ANY ((SELECT vip_data.active_emergency_vip_ids())::uuid[])
           AND status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency'));

CREATE POLICY rides_update_customer_user ON public.rides FOR UPDATE TO customer_user
    USING (customer_id = public.current_app_user_id())
    WITH CHECK (customer_id = public.current_app_user_id());

-- Staff may write one thing to a ride: its cancellation, now (the trigger stamps cancelled_at with the
-- transaction's time), so an old cancellation's reason cannot be rewritten. Every ride is in reach, so
-- a finished one meets the state machine's 409 rather than a 404.
GRANT UPDATE (status, cancellation_reason) ON public.rides TO support_agent, system_admin;

CREATE POLICY rides_update_support_agent ON public.rides FOR UPDATE TO support_agent
    USING (true) WITH CHECK (status = 'cancelled' AND cancelled_at = now());

CREATE POLICY rides_update_system_admin ON public.rides FOR UPDATE TO system_admin
    USING (true) WITH CHECK (status = 'cancelled' AND cancelled_at = now());

CREATE POLICY rides_update_driver_user ON public.rides FOR UPDATE TO driver_user
    USING (driver_id = (SELECT public.current_driver_id()))
    WITH CHECK (driver_id = (SELECT public.current_driver_id()));

-- public.active_ride_route (SECURITY DEFINER) reads a ride for its driver.
CREATE POLICY rides_select_owner ON public.rides FOR SELECT TO vipride_owner USING (true);

CREATE POLICY rides_update_owner ON public.rides FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY rides_insert_customer_user ON public.rides FOR INSERT TO customer_user
    WITH CHECK (customer_id = public.current_app_user_id() AND status = 'pending' AND quote_id IS NOT NULL
                AND customer_tier = (SELECT u.tier FROM public.users u WHERE u.id = public.current_app_user_id()));

GRANT INSERT (quote_id) ON public.rides TO customer_user;

GRANT SELECT (quote_id, tariff_id, passengers, accepted_at, dispatch_attempts, next_dispatch_at, dispatch_deadline,
              expired_at, cancellation_fee_minor, driver_rating, rider_rating)
    ON public.rides TO driver_user;

GRANT SELECT, INSERT (customer_id, idempotency_key, request_fingerprint), UPDATE (ride_id, ride_requested_at)
    ON public.ride_request_keys TO customer_user;

CREATE POLICY ride_request_keys_select_customer_user ON public.ride_request_keys FOR SELECT TO customer_user
    USING (customer_id = public.current_app_user_id());

CREATE POLICY ride_request_keys_insert_customer_user ON public.ride_request_keys FOR INSERT TO customer_user
    WITH CHECK (customer_id = public.current_app_user_id());

CREATE POLICY ride_request_keys_update_customer_user ON public.ride_request_keys FOR UPDATE TO customer_user
    USING (customer_id = public.current_app_user_id() AND ride_id IS NULL)
    WITH CHECK (customer_id = public.current_app_user_id());

REVOKE ALL ON FUNCTION public.rides_take_quote() FROM PUBLIC;

COMMENT ON FUNCTION public.ride_transition_allowed(public.ride_status, public.ride_status, text) IS
    'The ride state machine: which role may move a ride from one status to another.';

-- Each trigger runs only for an update it can act on (exactly the tests its function starts from): an
-- update that touches none of them (a subject's erasure coarsening 10,000 rides' places, a retention run)
-- pays no function call per row.
CREATE OR REPLACE TRIGGER rides_apply_transition BEFORE UPDATE ON public.rides
    FOR EACH ROW
    WHEN (NEW.pickup_cell IS NOT NULL OR NEW.status IS DISTINCT FROM OLD.status
          OR NEW.final_fare_minor IS DISTINCT FROM OLD.final_fare_minor
          OR NEW.actual_distance_m IS DISTINCT FROM OLD.actual_distance_m
          OR NEW.actual_duration_s IS DISTINCT FROM OLD.actual_duration_s
          OR NEW.driver_rating IS DISTINCT FROM OLD.driver_rating OR NEW.rider_rating IS DISTINCT FROM OLD.rider_rating
          OR ((NEW.driver_rating IS NOT NULL OR NEW.rider_rating IS NOT NULL) AND NEW.status <> 'completed'))
    EXECUTE FUNCTION public.rides_apply_transition();

CREATE OR REPLACE TRIGGER rides_after_transition AFTER UPDATE ON public.rides
    FOR EACH ROW
    WHEN (NEW.status IS DISTINCT FROM OLD.status
          OR (NEW.driver_rating IS NOT NULL AND OLD.driver_rating IS NULL)
          OR (NEW.rider_rating IS NOT NULL AND OLD.rider_rating IS NULL))
    EXECUTE FUNCTION public.rides_after_transition();

-- Riders rate their driver, drivers their rider.
GRANT UPDATE (driver_rating) ON public.rides TO customer_user;

GRANT UPDATE (rider_rating) ON public.rides TO driver_user;

REVOKE ALL ON FUNCTION public.rides_apply_transition(), public.rides_after_transition() FROM PUBLIC;

-- The BEFORE trigger runs with the caller's rights and calls these two.
GRANT EXECUTE ON FUNCTION public.ride_transition_allowed(public.ride_status, public.ride_status, text)
    TO customer_user, driver_user, support_agent, system_admin;

CREATE OR REPLACE TRIGGER rides_take_quote BEFORE INSERT ON public.rides
    FOR EACH ROW WHEN (NEW.quote_id IS NOT NULL AND NEW.tariff_id IS NULL)
    EXECUTE FUNCTION public.rides_take_quote();

COMMENT ON FUNCTION public.request_ride(uuid, text, text, text, text, double precision, double precision, bytea, timestamptz) IS
    'A rider''s ride request in one step: Idempotency-Key, quote, nearest-driver claim, the ride and its offer.';

CREATE POLICY rides_insert_owner ON public.rides FOR INSERT TO vipride_owner WITH CHECK (true);

CREATE POLICY ride_request_keys_all_owner ON public.ride_request_keys FOR ALL TO vipride_owner
    USING (true) WITH CHECK (true);

REVOKE ALL ON FUNCTION public.take_quote(uuid, uuid),
    public.request_ride(uuid, text, text, text, text, double precision, double precision, bytea, timestamptz),
    public.ride_of_request_key(text, text),
    public.ride_with_quote(public.rides, public.fare_quotes, public.city_settings) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.request_ride(uuid, text, text, text, text, double precision, double precision, bytea, timestamptz), public.ride_of_request_key(text, text)
    TO customer_user;

-- A pure test of its arguments that reads nothing: every role that writes a ride evaluates it.
GRANT EXECUTE ON FUNCTION public.ride_rules_hold TO PUBLIC;

-- updated_at follows every change.
CREATE OR REPLACE TRIGGER rides_touch_updated_at BEFORE UPDATE ON public.rides
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- A ride for a rider made by another party's function (a hotel's transfer or a ride staff request for a
-- guest), for now or scheduled 15 minutes to 30 days ahead. Priced like a quote with no surge (per_ride
-- tariff of the rider's tier), it waits as a pending ride: the dispatcher pass offers it from
-- next_dispatch_at on (now, or 15 minutes before a scheduled pickup) and expires it at its deadline
-- (pickup time plus the city's dispatch deadline), notifying the rider of a scheduled one. A VIP's ride
-- needs a sealed route, which only the rider's own request makes: refused here. Not granted to any role.
CREATE OR REPLACE FUNCTION public.create_ride_for(p_customer_id uuid, p_city text, p_vehicle_type public.vehicle_type,
                                                  p_passengers integer, p_pickup_lat double precision,
                                                  p_pickup_lng double precision, p_dropoff_lat double precision,
                                                  p_dropoff_lng double precision, p_pickup_address text,
                                                  p_dropoff_address text, p_scheduled_for timestamptz,
                                                  p_priority_boost integer DEFAULT 0)
    RETURNS public.rides
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_tier     public.user_tier;
    v_settings public.city_settings;
    v_tariff   public.tariffs;
    v_distance integer;
    v_duration integer;
    v_at       timestamptz := coalesce(p_scheduled_for, now());
    v_ride     public.rides;
BEGIN
    IF p_scheduled_for IS NOT NULL AND (p_scheduled_for < now() + interval '15 minutes'
                                        OR p_scheduled_for > now() + interval '30 days') THEN
        RAISE EXCEPTION 'A scheduled ride is booked for 15 minutes to 30 days ahead.'
            USING ERRCODE = 'VR422', HINT = 'scheduled-time-out-of-range';
    END IF;
    SELECT u.tier INTO v_tier FROM public.users u
     WHERE u.id = p_customer_id AND u.deleted_at IS NULL AND u.user_type = 'customer';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Only a rider''s ride can be booked.' USING ERRCODE = 'VR422', HINT = 'guest-not-a-rider';
    END IF;
    IF v_tier = 'vip' THEN
        RAISE EXCEPTION 'A VIP books their own rides (their route is sealed under their key).'
            USING ERRCODE = 'VR422', HINT = 'vip-books-own-rides';
    END IF;
    SELECT * INTO v_settings FROM public.city_settings s WHERE s.city = p_city;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'We do not operate in "%".', p_city USING ERRCODE = 'VR422', HINT = 'unknown-city';
    END IF;
    SELECT * INTO v_tariff FROM public.tariffs t
     WHERE t.city = p_city AND t.vehicle_type = p_vehicle_type AND t.rider_tier = v_tier
       AND t.billing_model = 'per_ride' AND t.retired_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No tariff for a % in %.', p_vehicle_type, p_city USING ERRCODE = 'VR422', HINT = 'no-tariff';
    END IF;
    v_distance := round(public.great_circle_m(p_pickup_lat, p_pickup_lng, p_dropoff_lat, p_dropoff_lng)
                        * v_settings.road_factor);
    v_duration := round(v_distance / (v_settings.average_speed_kmh / 3.6));
    INSERT INTO public.rides (customer_id, tariff_id, city, customer_tier, billing_model, vehicle_type, passengers,
                              pickup_lat, pickup_lng, pickup_address, dropoff_lat, dropoff_lng, dropoff_address,
                              currency, estimated_fare_minor, surge_multiplier, estimated_distance_m,
                              estimated_duration_s, vip_priority_level, status, dispatch_attempts, next_dispatch_at,
                              dispatch_deadline, scheduled_for)
    VALUES (p_customer_id, v_tariff.id, p_city, v_tier, 'per_ride', p_vehicle_type, coalesce(p_passengers, 1),
            p_pickup_lat, p_pickup_lng, p_pickup_address, p_dropoff_lat, p_dropoff_lng, p_dropoff_address,
            v_tariff.currency, public.fare_for(v_tariff, v_distance, v_duration, 1.00), 1.00, v_distance, v_duration,
            least(5, public.ride_priority(v_tier) + greatest(coalesce(p_priority_boost, 0), 0))::smallint, 'pending', 0,
            CASE WHEN p_scheduled_for IS NULL THEN now() ELSE p_scheduled_for - interval '15 minutes' END,
            v_at + make_interval(secs => v_settings.dispatch_deadline_s), p_scheduled_for)
    RETURNING * INTO v_ride;
    RETURN v_ride;
END
$$;

COMMENT ON FUNCTION public.create_ride_for(uuid, text, public.vehicle_type, integer, double precision, double precision,
                                           double precision, double precision, text, text, timestamptz, integer) IS
    'A pending ride for a rider, now or scheduled 15 min to 30 days ahead, for the dispatcher pass to offer; for other capabilities'' functions.';

REVOKE ALL ON FUNCTION public.create_ride_for(uuid, text, public.vehicle_type, integer, double precision, double precision,
                                              double precision, double precision, text, text, timestamptz, integer) FROM PUBLIC;
