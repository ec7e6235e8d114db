-- Part 36 — availability flips without index work, and a claim planned once.
--
-- Claiming a driver and releasing him change only is_available, yet each was a full non-HOT update:
-- the partial dispatch indexes named is_available in their predicates, so every flip wrote a new entry
-- into all five b-tree indexes of drivers. The dispatch indexes now cover the online drivers (a rare
-- change) and the searches test availability row by row, so a flip is a heap-only (HOT) update when
-- the page has room: drivers keep 20 % of each page free for it. Available implies online
-- (drivers_available_online_chk), so every search says both, for the planner to match the predicate.
--
-- The drivers' row-level audit trigger compared every audited column in a WHEN clause, which
-- PostgreSQL parses again for every statement (~50 µs of each claim and ping); it now fires on
-- UPDATE OF the audited columns, and the drain drops a capture whose changes are all ignored columns.
--
-- claim_nearest_driver is planned once per session (force_generic_plan): its custom plans were
-- re-made on every call (~0.3 ms) for no better plan, since the KNN index scan is the only path. It
-- and surge_at test the exact distance with great_circle_m (part 35), inlined, instead of calling
-- ll_to_earth for every candidate row; with no earthdistance call left they, like the offer functions of
-- part 35, search pg_catalog only.
--
-- Indexes are built here in the migration's transaction (writes to drivers wait for the build); a
-- large existing fleet would rather get them CONCURRENTLY by hand first.

ALTER TABLE public.drivers SET (fillfactor = 80);

DROP INDEX public.drivers_available_xy_idx;
DROP INDEX public.drivers_available_ping_idx;
CREATE INDEX drivers_online_xy_idx ON public.drivers USING gist (dispatch_xy) WHERE is_online AND deleted_at IS NULL;
CREATE INDEX drivers_online_ping_idx ON public.drivers (city, position_updated_at) WHERE is_online AND deleted_at IS NULL;
COMMENT ON INDEX public.drivers_online_xy_idx IS 'Nearest-driver search (KNN on the dispatch plane) over online drivers.';
COMMENT ON INDEX public.drivers_online_ping_idx IS 'The stale-driver sweep: online drivers whose last ping is oldest.';

-- Replaces part 34's version: the columns a row-level capture may ignore come with the trigger.
CREATE OR REPLACE FUNCTION audit.record_row_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    INSERT INTO audit.audit_inbox (table_schema, table_name, key_column, ignored_columns, operation, old_rows, new_rows,
                                   user_id, db_role, client_ip, user_agent)
    VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, coalesce(TG_ARGV[0], 'id'), coalesce(TG_ARGV[1], '{}')::text[], TG_OP,
            jsonb_build_array(to_jsonb(OLD)), jsonb_build_array(to_jsonb(NEW)),
            public.current_app_user_id(), audit.acting_role(), audit.request_client_ip(), audit.request_user_agent());
    RETURN NULL;
END
$$;

DROP TRIGGER drivers_audit_update ON public.drivers;
DO $$
DECLARE
    v_ignored text[] := ARRAY['is_online', 'is_available', 'current_lat', 'current_lng', 'dispatch_xy',
                              'position_updated_at', 'updated_at'];
    v_audited text[] := ARRAY(SELECT quote_ident(a.attname) FROM pg_attribute a
                               WHERE a.attrelid = 'public.drivers'::regclass AND a.attnum > 0 AND NOT a.attisdropped
                                 AND a.attname <> ALL (v_ignored)
                               ORDER BY a.attnum);
BEGIN
    EXECUTE format('CREATE TRIGGER drivers_audit_update AFTER UPDATE OF %s ON public.drivers FOR EACH ROW '
                   'EXECUTE FUNCTION audit.record_row_update(%L, %L)',
                   array_to_string(v_audited, ', '), 'id', v_ignored::text);
END
$$;

-- Replaces part 33's version: online and available, planned once per session.
CREATE OR REPLACE FUNCTION public.claim_nearest_driver(p_ride public.rides, p_settings public.city_settings)
    RETURNS public.drivers
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
    SET enable_bitmapscan = off
    SET enable_sort = off
    SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_xy     point := public.dispatch_plane_point(p_settings.reference_lat, p_ride.pickup_lat, p_ride.pickup_lng);
    v_driver public.drivers;
BEGIN
    UPDATE public.drivers d SET is_available = false
     WHERE d.id = (SELECT c.id FROM public.drivers c
                    WHERE c.is_online AND c.is_available AND c.deleted_at IS NULL
                      AND c.dispatch_xy <@ public.dispatch_plane_reach(v_xy, p_settings.max_pickup_distance_m)
                      AND public.great_circle_m(c.current_lat, c.current_lng, p_ride.pickup_lat, p_ride.pickup_lng)
                          <= p_settings.max_pickup_distance_m
                      AND c.position_updated_at > now() - make_interval(secs => p_settings.driver_stale_after_s)
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

-- Replaces part 33's version: supply is counted over the online drivers' index.
CREATE OR REPLACE FUNCTION public.surge_at(p_city text, p_vehicle_type public.vehicle_type, p_lat double precision,
                                           p_lng double precision, OUT demand integer, OUT supply integer,
                                           OUT multiplier numeric)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_settings public.city_settings;
BEGIN
    SELECT * INTO STRICT v_settings FROM public.city_settings WHERE city = p_city;
    SELECT count(DISTINCT q.customer_id) INTO demand
      FROM public.fare_quotes q
     WHERE q.city = p_city AND q.created_at > now() - make_interval(secs => v_settings.surge_window_s)
       AND public.great_circle_m(q.pickup_lat, q.pickup_lng, p_lat, p_lng) <= v_settings.surge_radius_m;
    SELECT count(*) INTO supply
      FROM public.drivers d
     WHERE d.is_online AND d.is_available AND d.deleted_at IS NULL
       AND d.dispatch_xy <@ public.dispatch_plane_reach(
               public.dispatch_plane_point(v_settings.reference_lat, p_lat, p_lng), v_settings.surge_radius_m)
       AND public.great_circle_m(d.current_lat, d.current_lng, p_lat, p_lng) <= v_settings.surge_radius_m
       AND d.position_updated_at > now() - make_interval(secs => v_settings.driver_stale_after_s)
       AND d.dispatch_vehicle_type = p_vehicle_type;
    SELECT coalesce(max(r.multiplier), 1.00) INTO multiplier
      FROM public.surge_rules r
     WHERE r.city = p_city AND r.demand_ratio_from <= demand::numeric / greatest(supply, 1);
END
$$;

-- Replaces part 15's version: the stale-driver sweep reads the online drivers' ping index, oldest
-- ping first, at most ten batches' worth of drivers per city and pass.
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
