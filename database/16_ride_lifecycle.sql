-- Part 16 — the ride lifecycle, guarded by the database:
--
--   pending ─dispatch→ driver_assigned ─driver→ driver_arrived ─driver→ in_progress ─driver→ completed
--      │                  │   ↑ (declined / offer timed out: back to pending)              │
--      │ deadline         ├──────────────── rider or driver ──→ cancelled                  │
--      ↓                  └── driver_assigned, driver_arrived, in_progress ─rider/driver→ emergency
--   expired                   emergency ─driver→ completed, emergency ─rider/driver→ cancelled
--
-- Who may take a step is decided by the role that makes the change: the dispatch functions run as
-- the owner, riders as customer_user, drivers as driver_user. Every step is timestamped here, not by
-- the caller. Completion prices the trip from the actual time and distance under the quoted tariff
-- and surge, and splits the fare (ride_earnings) in the same transaction.

CREATE FUNCTION public.ride_transition_allowed(p_from public.ride_status, p_to public.ride_status, p_actor text)
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
        ELSE false
    END
$$;
COMMENT ON FUNCTION public.ride_transition_allowed(public.ride_status, public.ride_status, text) IS
    'The ride state machine: which role may move a ride from one status to another.';

-- BEFORE UPDATE: refuses illegal steps, stamps the step, prices completion and cancellation.
-- Runs with the caller's rights (current_user is the acting role; the dispatch functions act as owner).
CREATE FUNCTION public.rides_apply_transition() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    v_actor  text := current_user;
    v_tariff public.tariffs;
BEGIN
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
                NEW.cancelled_by := CASE v_actor WHEN 'driver_user' THEN 'driver' ELSE 'customer' END::public.user_type;
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
CREATE TRIGGER rides_apply_transition BEFORE UPDATE ON public.rides
    FOR EACH ROW EXECUTE FUNCTION public.rides_apply_transition();

-- How a completed ride's fare is shared, to the minor unit:
--   platform commission = round(fare × rate), rate from public.commission_rate();
--   of the rest, a leased vehicle's owner takes the lease's revenue share; of what remains, a fleet
--   driver's fleet takes its contracted share; the driver keeps the remainder.
-- Each share is rounded half-up and the driver's is the difference, so the shares add up exactly.
CREATE FUNCTION public.settle_ride_earnings(p_ride public.rides) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_driver     public.drivers;
    v_lease      public.vehicle_leases;
    v_fleet      public.fleet_companies;
    v_rate       record;
    v_commission bigint;
    v_rest       bigint;
    v_owner      bigint := 0;
    v_fleet_cut  bigint := 0;
    v_rule       text;
BEGIN
    SELECT * INTO STRICT v_driver FROM public.drivers d WHERE d.id = p_ride.driver_id;
    SELECT * INTO STRICT v_rate FROM public.commission_rate(p_ride.customer_tier,
        CASE WHEN v_driver.subscription_expires_at > now() THEN v_driver.subscription_tier::text END);
    v_commission := round(p_ride.final_fare_minor * v_rate.rate_bp / 10000.0);
    v_rest := p_ride.final_fare_minor - v_commission;
    v_rule := v_rate.rule;
    SELECT * INTO v_lease FROM public.vehicle_leases l
     WHERE l.vehicle_id = p_ride.vehicle_id AND l.status = 'active' AND l.revenue_share_bp > 0
       AND l.starts_on <= current_date AND (l.ends_on IS NULL OR l.ends_on > current_date);
    IF FOUND THEN
        v_owner := round(v_rest * v_lease.revenue_share_bp / 10000.0);
        v_rule := v_rule || format('; lease %s: owner %s bp of the rest', v_lease.id, v_lease.revenue_share_bp);
    END IF;
    IF p_ride.fleet_company_id IS NOT NULL THEN
        SELECT * INTO STRICT v_fleet FROM public.fleet_companies f WHERE f.id = p_ride.fleet_company_id;
        v_fleet_cut := round((v_rest - v_owner) * v_fleet.driver_revenue_share_bp / 10000.0);
        v_rule := v_rule || format('; fleet %s bp of the driver side', v_fleet.driver_revenue_share_bp);
    END IF;
    INSERT INTO public.ride_earnings (ride_id, ride_requested_at, driver_id, fleet_company_id, vehicle_owner_id, currency,
                                      fare_minor, commission_rate_bp, commission_rule, platform_commission_minor,
                                      driver_share_minor, fleet_share_minor, owner_share_minor)
    VALUES (p_ride.id, p_ride.requested_at, p_ride.driver_id, p_ride.fleet_company_id,
            CASE WHEN v_owner > 0 THEN v_lease.owner_user_id END, p_ride.currency, p_ride.final_fare_minor,
            v_rate.rate_bp, v_rule, v_commission, v_rest - v_owner - v_fleet_cut, v_fleet_cut, v_owner);
END
$$;

-- AFTER UPDATE, as the owner: the consequences of a step for drivers, earnings and ratings.
CREATE FUNCTION public.rides_after_transition() RETURNS trigger
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
CREATE TRIGGER rides_after_transition AFTER UPDATE ON public.rides
    FOR EACH ROW EXECUTE FUNCTION public.rides_after_transition();

ALTER TABLE public.users
    ADD COLUMN rider_rating numeric(3, 2),
    ADD COLUMN rider_rating_count integer NOT NULL DEFAULT 0;
ALTER TABLE public.users ADD CONSTRAINT users_rider_rating_chk
    CHECK ((rider_rating IS NULL OR rider_rating BETWEEN 1 AND 5) AND rider_rating_count >= 0);

CREATE POLICY ride_earnings_insert_owner ON public.ride_earnings FOR INSERT TO vipride_owner WITH CHECK (true);
CREATE POLICY vehicle_leases_select_owner ON public.vehicle_leases FOR SELECT TO vipride_owner USING (true);
CREATE POLICY fleet_companies_select_owner ON public.fleet_companies FOR SELECT TO vipride_owner USING (true);

-- Riders rate their driver, drivers their rider.
GRANT UPDATE (driver_rating) ON public.rides TO customer_user;
GRANT UPDATE (rider_rating) ON public.rides TO driver_user;

REVOKE ALL ON FUNCTION public.rides_apply_transition(), public.settle_ride_earnings(public.rides),
    public.rides_after_transition() FROM PUBLIC;
-- The BEFORE trigger runs with the caller's rights and calls these two.
GRANT EXECUTE ON FUNCTION public.ride_transition_allowed(public.ride_status, public.ride_status, text),
    public.fare_for(public.tariffs, integer, integer, numeric) TO customer_user, driver_user;
