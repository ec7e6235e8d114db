-- R__08_dispatch.sql — dispatch: the drivers' dispatch profile and dispatch plane point (kept by
-- triggers), the nearest-driver claim, offers, timeouts, retries and expiry (run_dispatch_pass).
-- The claim is one UPDATE of the driver row picked by a KNN search over the planar GiST index with
-- FOR UPDATE SKIP LOCKED: two requests racing for one driver never both get him. Positions are projected
-- into metres on their city's plane (x = R·cos(φ_city)·λ, y = R·φ); within a city the scale error is
-- under 1 %, and every candidate is checked with the exact great-circle distance. Dispatch runs as the
-- owner (SECURITY DEFINER): a rider may neither see drivers' positions nor change their availability.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'public.ride_offers');

CREATE OR REPLACE FUNCTION public.drivers_set_dispatch_profile() RETURNS trigger
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

-- A vehicle that changes type, seats, certification or status changes what its drivers may take.
CREATE OR REPLACE FUNCTION public.vehicles_refresh_dispatch_profiles() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    UPDATE public.drivers d SET current_vehicle_id = d.current_vehicle_id WHERE d.current_vehicle_id = NEW.id;
    RETURN NULL;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Dispatch functions
-- ---------------------------------------------------------------------------------------------

-- Frees a driver after an offer or a ride ended: available again if still online and approved and
-- not busy with another ride.
CREATE OR REPLACE FUNCTION public.release_driver(p_driver_id uuid) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    UPDATE public.drivers d SET is_available = true
     WHERE d.id = p_driver_id AND d.is_online AND d.status = 'approved' AND d.deleted_at IS NULL
       AND NOT EXISTS (SELECT FROM public.rides r
                        WHERE r.driver_id = p_driver_id
                          AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency'))
$$;

-- The rider's request path: dispatch the caller's own new ride now.
CREATE OR REPLACE FUNCTION public.dispatch_ride(p_ride_id uuid, p_requested_at timestamptz) RETURNS uuid
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
CREATE OR REPLACE FUNCTION public.respond_to_ride_offer(p_ride_id uuid, p_accept boolean) RETURNS text
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
CREATE OR REPLACE FUNCTION public.return_ride_to_dispatch(p_ride public.rides) RETURNS uuid
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

-- Metres on the dispatch plane of a city with the given reference latitude. The radius is
-- earthdistance's earth(), so plane and great-circle distances agree at the reference latitude.
-- Inlinable (no SET), so every name is schema-qualified; OPERATOR() syntax binds left to right, hence
-- the parentheses.
CREATE OR REPLACE FUNCTION public.dispatch_plane_point(p_reference_lat double precision, p_lat double precision,
                                            p_lng double precision) RETURNS point
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT pg_catalog.point(6378168.0 OPERATOR(pg_catalog.*) pg_catalog.cosd(p_reference_lat)
                                OPERATOR(pg_catalog.*) pg_catalog.radians(p_lng),
                            6378168.0 OPERATOR(pg_catalog.*) pg_catalog.radians(p_lat))
$$;

-- The square on the plane that holds every point within p_radius_m metres of p_center, widened by 2 %
-- for the plane's scale error; callers check the exact distance of what it returns.
CREATE OR REPLACE FUNCTION public.dispatch_plane_reach(p_center point, p_radius_m double precision) RETURNS box
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT pg_catalog.box(
        pg_catalog.point(p_center[0] OPERATOR(pg_catalog.-) (1.02 OPERATOR(pg_catalog.*) p_radius_m),
                         p_center[1] OPERATOR(pg_catalog.-) (1.02 OPERATOR(pg_catalog.*) p_radius_m)),
        pg_catalog.point(p_center[0] OPERATOR(pg_catalog.+) (1.02 OPERATOR(pg_catalog.*) p_radius_m),
                         p_center[1] OPERATOR(pg_catalog.+) (1.02 OPERATOR(pg_catalog.*) p_radius_m)))
$$;

-- Keeps drivers.dispatch_xy, the driver's point on the city's dispatch plane, in step with the reported
-- position. SECURITY DEFINER because a driver moving must not need read access to the city's settings.
CREATE OR REPLACE FUNCTION public.drivers_set_position() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    NEW.dispatch_xy := public.dispatch_plane_point(
        (SELECT s.reference_lat FROM public.city_settings s WHERE s.city = NEW.city), NEW.current_lat, NEW.current_lng);
    RETURN NEW;
END
$$;

-- A city's new reference latitude (or a new city) moves its drivers onto the new plane.
CREATE OR REPLACE FUNCTION public.city_settings_reproject_drivers() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    UPDATE public.drivers d SET city = d.city WHERE d.city = NEW.city AND d.current_lat IS NOT NULL;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION public.ride_priority(p_tier public.user_tier) RETURNS smallint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT (CASE p_tier WHEN 'vip'::public.user_tier THEN 5 WHEN 'premium'::public.user_tier THEN 2 ELSE 0 END)::smallint
$$;

-- Great-circle distance in metres (haversine) on earthdistance's sphere (radius 6,378,168 m), equal to
-- earth_distance(ll_to_earth(…), ll_to_earth(…)) to within a millimetre. Plain arithmetic that
-- PostgreSQL inlines, where ll_to_earth (STRICT, ending in a domain cast) is executed as a function of
-- its own on every row, parsed and planned again for every statement. OPERATOR() forms all bind alike,
-- left to right, hence the parentheses.
CREATE OR REPLACE FUNCTION public.great_circle_m(p_lat1 double precision, p_lng1 double precision,
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

-- The offer of a ride to a claimed driver, for both request paths and the dispatcher. PL/pgSQL, not
-- SQL: PostgreSQL 15 plans a SQL function's statements again on every call (~0.7 ms here).
CREATE OR REPLACE FUNCTION public.record_ride_offer(p_ride public.rides, p_driver public.drivers, p_settings public.city_settings)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    INSERT INTO public.ride_offers (ride_id, ride_requested_at, driver_id, pickup_distance_m, expires_at)
    VALUES (p_ride.id, p_ride.requested_at, p_driver.id,
            -- A VIP ride offered again knows its pickup only to its coarse cell (pickup_cell: lng, lat).
            round(public.great_circle_m(p_driver.current_lat, p_driver.current_lng,
                                        coalesce(p_ride.pickup_lat, p_ride.pickup_cell[1]),
                                        coalesce(p_ride.pickup_lng, p_ride.pickup_cell[0]))),
            now() + make_interval(secs => p_settings.offer_timeout_s));
END
$$;

-- Offers a pending ride to the nearest free driver (claim_nearest_driver) and records the offer
-- (record_ride_offer); with no driver in reach, counts the attempt and schedules the next one.
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

-- Claims (marks unavailable) the nearest online, available, fresh driver within the city's pickup reach,
-- searched on the dispatch plane; the plan is generic, so it is made once per session. A driver whose
-- documents (or whose vehicle's) expired is never claimed: drivers.documents_valid_until, kept by the
-- fleet triggers, is one more test on the row the search already reads.
CREATE OR REPLACE FUNCTION public.claim_nearest_driver(p_ride public.rides, p_settings public.city_settings)
    RETURNS public.drivers
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
    SET enable_bitmapscan = off
    SET enable_sort = off
    SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    -- A VIP ride's pickup is held in memory at request time; offered again, it is searched around its
    -- coarse cell (pickup_cell: lng, lat), the only trace of its pickup the ride row keeps.
    v_lat    double precision := coalesce(p_ride.pickup_lat, p_ride.pickup_cell[1]);
    v_lng    double precision := coalesce(p_ride.pickup_lng, p_ride.pickup_cell[0]);
    v_xy     point := public.dispatch_plane_point(p_settings.reference_lat, v_lat, v_lng);
    v_driver public.drivers;
BEGIN
    UPDATE public.drivers d SET is_available = false
     WHERE d.id = (SELECT c.id FROM public.drivers c
                    WHERE c.is_online AND c.is_available AND c.deleted_at IS NULL
                      AND c.dispatch_xy <@ public.dispatch_plane_reach(v_xy, p_settings.max_pickup_distance_m)
                      AND public.great_circle_m(c.current_lat, c.current_lng, v_lat, v_lng)
                          <= p_settings.max_pickup_distance_m
                      AND c.position_updated_at > now() - make_interval(secs => p_settings.driver_stale_after_s)
                      AND c.documents_valid_until >= current_date
                      AND c.dispatch_vehicle_type = p_ride.vehicle_type
                      AND c.dispatch_seats >= p_ride.passengers
                      AND (p_ride.customer_tier <> 'vip'
                           OR (c.vip_eligible AND c.subscription_tier IN ('premium', 'elite')
                               AND c.subscription_expires_at > now()))
                      AND NOT EXISTS (SELECT FROM public.ride_offers o WHERE o.ride_id = p_ride.id AND o.driver_id = c.id)
                    ORDER BY c.dispatch_xy <-> v_xy
                    LIMIT 1
                      FOR UPDATE SKIP LOCKED)
       AND d.is_available
    RETURNING * INTO v_driver;
    RETURN v_driver;
END
$$;

-- One dispatch pass. The stale-driver sweep reads the online drivers' ping index, oldest ping first, at
-- most ten batches' worth of drivers per city and pass.
CREATE OR REPLACE FUNCTION public.run_dispatch_pass(p_batch integer DEFAULT 100,
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

    -- Due rides, the highest priority first (VIP and premium riders, guests of preferred and exclusive
    -- partner hotels): when drivers are scarce, they claim the nearest ones first.
    FOR v_ride IN SELECT * FROM public.rides r WHERE r.status = 'pending' AND r.next_dispatch_at <= now()
                   ORDER BY r.vip_priority_level DESC, r.next_dispatch_at LIMIT p_batch FOR UPDATE SKIP LOCKED LOOP
        IF v_ride.dispatch_deadline <= now() THEN
            UPDATE public.rides r SET status = 'expired', expired_at = now(), next_dispatch_at = NULL
             WHERE r.id = v_ride.id AND r.requested_at = v_ride.requested_at;
            rides_expired := rides_expired + 1;
            -- A scheduled ride nobody took: its rider is told (they booked it long before).
            IF v_ride.scheduled_for IS NOT NULL THEN
                PERFORM public.notify(v_ride.customer_id, 'scheduled_ride_expired',
                    jsonb_build_object('rideId', v_ride.id, 'scheduledFor', v_ride.scheduled_for));
            END IF;
        ELSIF public.offer_ride_to_nearest_driver(v_ride) IS NOT NULL THEN
            rides_dispatched := rides_dispatched + 1;
        END IF;
    END LOOP;

    -- Per city, the available drivers whose last ping is oldest, in ping-index order: a join on the
    -- city's threshold read every driver (a sequential scan of the fleet every pass, ~0.1 s per
    -- 150,000 drivers) because the planner cannot size a range bounded by another table's column.
    UPDATE public.drivers d SET is_available = false
      FROM (SELECT o.id
              FROM public.city_settings s
             CROSS JOIN LATERAL (SELECT c.id FROM public.drivers c
                                  WHERE c.is_online AND c.deleted_at IS NULL AND c.city = s.city
                                    AND c.position_updated_at <= now() - make_interval(secs => s.driver_stale_after_s)
                                    AND c.is_available
                                  ORDER BY c.position_updated_at
                                  LIMIT p_batch * 10) o) stale
     WHERE d.id = stale.id AND d.is_available;
    GET DIAGNOSTICS drivers_gone_stale = ROW_COUNT;
END
$$;

CREATE OR REPLACE TRIGGER drivers_set_dispatch_profile BEFORE INSERT OR UPDATE OF current_vehicle_id, vip_vetted_at, is_online
    ON public.drivers FOR EACH ROW EXECUTE FUNCTION public.drivers_set_dispatch_profile();

CREATE OR REPLACE TRIGGER vehicles_refresh_dispatch_profiles AFTER UPDATE OF vehicle_type, seats, vip_certified, status, deleted_at
    ON public.vehicles FOR EACH ROW EXECUTE FUNCTION public.vehicles_refresh_dispatch_profiles();

GRANT SELECT ON public.ride_offers TO driver_user, support_agent, system_admin;

CREATE POLICY ride_offers_select_driver_user ON public.ride_offers FOR SELECT TO driver_user
    USING (driver_id = (SELECT public.current_driver_id()));

CREATE POLICY ride_offers_select_support_agent ON public.ride_offers FOR SELECT TO support_agent USING (true);

CREATE POLICY ride_offers_select_system_admin ON public.ride_offers FOR SELECT TO system_admin USING (true);

CREATE POLICY ride_offers_all_owner ON public.ride_offers FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

COMMENT ON FUNCTION public.offer_ride_to_nearest_driver(public.rides) IS
    'Atomically claims the nearest suitable available driver for a pending ride and offers it; NULL if none in range.';

COMMENT ON FUNCTION public.run_dispatch_pass(integer) IS
    'Periodic dispatcher pass: offer timeouts, retries of pending requests, expiry, stale drivers. Cluster-safe.';

REVOKE ALL ON FUNCTION public.drivers_set_dispatch_profile(), public.vehicles_refresh_dispatch_profiles(), public.release_driver(uuid), public.offer_ride_to_nearest_driver(public.rides), public.dispatch_ride(uuid, timestamptz), public.respond_to_ride_offer(uuid, boolean), public.return_ride_to_dispatch(public.rides), public.run_dispatch_pass(integer) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.dispatch_ride(uuid, timestamptz) TO customer_user;

GRANT EXECUTE ON FUNCTION public.respond_to_ride_offer(uuid, boolean) TO driver_user;

GRANT EXECUTE ON FUNCTION public.run_dispatch_pass(integer) TO system_admin;

SELECT audit.enable_audit('public.ride_offers', 'ride_id');

REVOKE ALL ON FUNCTION public.drivers_set_position() FROM PUBLIC;

CREATE OR REPLACE TRIGGER drivers_set_position BEFORE INSERT OR UPDATE OF current_lat, current_lng, city ON public.drivers
    FOR EACH ROW EXECUTE FUNCTION public.drivers_set_position();

REVOKE ALL ON FUNCTION public.city_settings_reproject_drivers() FROM PUBLIC;

CREATE OR REPLACE TRIGGER city_settings_reproject_drivers AFTER INSERT OR UPDATE OF reference_lat ON public.city_settings
    FOR EACH ROW EXECUTE FUNCTION public.city_settings_reproject_drivers();

COMMENT ON FUNCTION public.claim_nearest_driver(public.rides, public.city_settings) IS
    'Atomically takes the nearest suitable available driver for a ride out of dispatch; NULL if none in range.';

REVOKE ALL ON FUNCTION public.claim_nearest_driver(public.rides, public.city_settings) FROM PUBLIC;

REVOKE ALL ON FUNCTION public.record_ride_offer(public.rides, public.drivers, public.city_settings) FROM PUBLIC;

