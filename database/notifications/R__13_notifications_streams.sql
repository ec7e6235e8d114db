-- R__13_notifications_streams.sql — what the live streams carry, written in the transaction of the change
-- that causes it: a driver's offers (made, accepted, declined, expired, withdrawn), a ride's state for its
-- rider and driver, the assigned driver's position and ETA for the rider while the driver approaches and
-- during the trip, geofence alerts and VIP emergencies for the control centre; and the ride messages
-- (assigned, driver arriving, completed, receipt, cancelled) through public.notify. The writer only inserts
-- the row: every instance reads the new ids and their addressee with public.stream_events_announced every
-- 50 ms, and the service reads each event under the subscriber's own role, so row-level security decides
-- what a stream carries.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'public.stream_events');

-- Stream events are not announced with NOTIFY: a notifying commit takes PostgreSQL's database-wide notify
-- lock and holds it through its WAL flush, so ride requests would commit one after the other.
DROP TRIGGER IF EXISTS stream_events_announce ON public.stream_events;

DROP FUNCTION IF EXISTS public.stream_events_announce();

-- What each instance's stream poller reads: the events after p_after (the highest id it has seen), and
-- those of p_holes (ids below it it has not seen yet: identity ids are taken in order but committed in any
-- order, and a lower id may commit after a higher one was read). Only the id, the addressee and the kind:
-- each stream reads the event itself under its subscriber's identity. With p_after NULL, the latest
-- p_limit events (where an instance starts). At most 10,000 rows after p_after.
CREATE OR REPLACE FUNCTION public.stream_events_announced(p_after bigint, p_holes bigint[], p_limit integer)
    RETURNS TABLE (id bigint, recipient_id uuid, audience text, kind text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    (SELECT e.id, e.recipient_id, e.audience, e.kind FROM public.stream_events e
      WHERE p_after IS NOT NULL AND e.id > p_after
      ORDER BY e.id LIMIT least(greatest(p_limit, 1), 10000))
    UNION ALL
    (SELECT e.id, e.recipient_id, e.audience, e.kind FROM public.stream_events e
      WHERE p_after IS NULL
      ORDER BY e.id DESC LIMIT least(greatest(p_limit, 1), 10000))
    UNION ALL
    (SELECT e.id, e.recipient_id, e.audience, e.kind FROM public.stream_events e
      WHERE e.id = ANY (p_holes) AND e.id <= p_after)
$$;

COMMENT ON FUNCTION public.stream_events_announced(bigint, bigint[], integer) IS
    'Stream poller: ids, addressees and kinds of the events after a cursor and among the ids skipped below it.';

-- A driver's offer, as the driver's stream carries it: made (with how to accept it) and every answer.
CREATE OR REPLACE FUNCTION public.ride_offers_stream() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    INSERT INTO public.stream_events (recipient_id, kind, payload)
    SELECT d.user_id, 'offer',
           jsonb_build_object('rideId', NEW.ride_id, 'rideRequestedAt', NEW.ride_requested_at,
                              'pickupDistanceM', NEW.pickup_distance_m, 'status', NEW.status,
                              'offeredAt', NEW.offered_at, 'expiresAt', NEW.expires_at,
                              'respondedAt', NEW.responded_at,
                              'accept', '/api/v1/rides/' || NEW.ride_id || '/accept',
                              'decline', '/api/v1/rides/' || NEW.ride_id || '/decline')
      FROM public.drivers d WHERE d.id = NEW.driver_id;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER ride_offers_stream AFTER INSERT OR UPDATE OF status ON public.ride_offers
    FOR EACH ROW EXECUTE FUNCTION public.ride_offers_stream();

-- A ride's step, for its rider (every step from the request on, and the driver's acceptance) and its
-- driver (the steps after the offer); and the messages of the steps that concern the rider. On INSERT,
-- OLD is NULL.
CREATE OR REPLACE FUNCTION public.rides_stream() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_event  jsonb := jsonb_build_object('rideId', NEW.id, 'rideRequestedAt', NEW.requested_at,
                                         'status', NEW.status, 'accepted', NEW.accepted_at IS NOT NULL,
                                         'at', now());
    v_driver public.drivers;
BEGIN
    INSERT INTO public.stream_events (recipient_id, kind, payload) VALUES (NEW.customer_id, 'ride', v_event);
    IF coalesce(NEW.driver_id, OLD.driver_id) IS NOT NULL THEN
        SELECT * INTO v_driver FROM public.drivers d WHERE d.id = coalesce(NEW.driver_id, OLD.driver_id);
    END IF;
    IF v_driver.id IS NOT NULL AND NEW.status IS DISTINCT FROM OLD.status AND NEW.status <> 'driver_assigned' THEN
        INSERT INTO public.stream_events (recipient_id, kind, payload) VALUES (v_driver.user_id, 'ride', v_event);
    END IF;
    IF NEW.accepted_at IS NOT NULL AND OLD.accepted_at IS NULL THEN
        PERFORM public.notify(NEW.customer_id, 'ride.assigned', jsonb_build_object(
            'rideId', NEW.id, 'driverName', (SELECT u.first_name FROM public.users u WHERE u.id = v_driver.user_id)));
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        CASE NEW.status
            WHEN 'driver_arrived' THEN
                PERFORM public.notify(NEW.customer_id, 'ride.driver-arriving', jsonb_build_object('rideId', NEW.id));
            WHEN 'completed' THEN
                PERFORM public.notify(NEW.customer_id, 'ride.completed', jsonb_build_object('rideId', NEW.id));
                PERFORM public.notify(NEW.customer_id, 'ride.receipt', jsonb_build_object(
                    'rideId', NEW.id, 'fareMinor', NEW.final_fare_minor, 'currency', NEW.currency,
                    'distanceM', NEW.actual_distance_m, 'durationS', NEW.actual_duration_s,
                    'completedAt', NEW.completed_at));
            WHEN 'cancelled' THEN
                -- The rider is told unless they cancelled a ride no driver had accepted yet.
                IF NEW.cancelled_by <> 'customer' OR OLD.accepted_at IS NOT NULL THEN
                    PERFORM public.notify(NEW.customer_id, 'ride.cancelled', jsonb_build_object('rideId', NEW.id));
                END IF;
                -- Support (or an administrator) ended the ride: its driver did not choose it either.
                IF NEW.cancelled_by IN ('support_agent', 'system_admin') AND v_driver.id IS NOT NULL THEN
                    PERFORM public.notify(v_driver.user_id, 'ride.cancelled', jsonb_build_object('rideId', NEW.id));
                END IF;
            ELSE NULL;
        END CASE;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER rides_stream AFTER UPDATE OF status, accepted_at ON public.rides
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.accepted_at IS DISTINCT FROM NEW.accepted_at)
    EXECUTE FUNCTION public.rides_stream();

-- A ride is usually inserted already assigned to a driver: the rider's stream starts with that step (the
-- driver's starts with the offer).
CREATE OR REPLACE TRIGGER rides_stream_requested AFTER INSERT ON public.rides
    FOR EACH ROW EXECUTE FUNCTION public.rides_stream();

-- The assigned driver's position and ETA for the rider: to the pickup while approaching, to the drop-off
-- during the trip. Only a driver who is not available (on an offer or a ride) can have such a ride.
CREATE OR REPLACE FUNCTION public.drivers_position_stream() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_ride public.rides;
    v_eta  record;
BEGIN
    SELECT * INTO v_ride FROM public.rides r
     WHERE r.driver_id = NEW.id AND r.accepted_at IS NOT NULL
       AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency')
     ORDER BY r.requested_at DESC LIMIT 1;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    IF v_ride.status IN ('driver_assigned', 'driver_arrived') THEN
        SELECT * INTO v_eta FROM public.trip_eta(v_ride.city, NEW.current_lat, NEW.current_lng,
                                                 v_ride.pickup_lat, v_ride.pickup_lng);
    ELSE
        SELECT * INTO v_eta FROM public.trip_eta(v_ride.city, NEW.current_lat, NEW.current_lng,
                                                 v_ride.dropoff_lat, v_ride.dropoff_lng);
    END IF;
    INSERT INTO public.stream_events (recipient_id, kind, payload)
    VALUES (v_ride.customer_id, 'position', jsonb_build_object(
        'rideId', v_ride.id, 'status', v_ride.status, 'lat', NEW.current_lat, 'lng', NEW.current_lng,
        'at', NEW.position_updated_at,
        'target', CASE WHEN v_ride.status IN ('driver_assigned', 'driver_arrived') THEN 'pickup' ELSE 'dropoff' END,
        'distanceM', v_eta.distance_m, 'etaS', v_eta.eta_s));
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER drivers_position_stream AFTER UPDATE OF current_lat, current_lng ON public.drivers
    FOR EACH ROW WHEN (NOT NEW.is_available AND NEW.current_lat IS NOT NULL
                       AND (OLD.current_lat IS DISTINCT FROM NEW.current_lat
                            OR OLD.current_lng IS DISTINCT FROM NEW.current_lng))
    EXECUTE FUNCTION public.drivers_position_stream();

-- A geofence alert reaches the control centre's streams and every active VIP operator and administrator.
CREATE OR REPLACE FUNCTION public.security_alerts_stream() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_staff uuid;
BEGIN
    INSERT INTO public.stream_events (audience, kind, payload)
    VALUES ('control_centre', 'alert', jsonb_build_object('alertId', NEW.id, 'kind', NEW.kind,
                                                          'severity', NEW.severity, 'raisedAt', NEW.raised_at));
    FOR v_staff IN SELECT u.id FROM public.users u
                    WHERE u.user_type IN ('vip_admin', 'vip_operator') AND u.is_active AND u.deleted_at IS NULL LOOP
        PERFORM public.notify(v_staff, 'security.geofence-alert', jsonb_build_object(
            'alertId', NEW.id, 'kind', NEW.kind, 'severity', NEW.severity));
    END LOOP;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER security_alerts_stream AFTER INSERT ON vip_data.security_alerts
    FOR EACH ROW EXECUTE FUNCTION public.security_alerts_stream();

-- A VIP emergency reaches the control centre's streams (who the VIP is stays in vip_data).
CREATE OR REPLACE FUNCTION public.vip_emergencies_stream() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    INSERT INTO public.stream_events (audience, kind, payload)
    VALUES ('control_centre', 'incident', jsonb_build_object('vipIncidentId', NEW.id, 'kind', NEW.kind,
                                                             'severity', NEW.severity, 'status', NEW.status,
                                                             'openedAt', NEW.opened_at));
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER vip_emergencies_stream AFTER INSERT ON vip_data.emergency_incidents
    FOR EACH ROW EXECUTE FUNCTION public.vip_emergencies_stream();

-- Stream events older than p_keep_s seconds are gone (Last-Event-ID replays within that window).
CREATE OR REPLACE FUNCTION public.purge_stream_events(p_keep_s integer) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    WITH gone AS (DELETE FROM public.stream_events e WHERE e.created_at < now() - make_interval(secs => p_keep_s)
                  RETURNING 1)
    SELECT count(*) FROM gone
$$;

COMMENT ON FUNCTION public.purge_stream_events(integer) IS 'Deletes stream events older than the replay window.';

REVOKE ALL ON FUNCTION public.stream_events_announced(bigint, bigint[], integer), public.ride_offers_stream(), public.rides_stream(),
    public.drivers_position_stream(), public.security_alerts_stream(), public.vip_emergencies_stream(),
    public.purge_stream_events(integer) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.purge_stream_events(integer), public.stream_events_announced(bigint, bigint[], integer)
    TO system_admin;

GRANT SELECT ON public.stream_events TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['system_admin', 'audit_admin', 'compliance_officer', 'fleet_admin', 'driver_user',
                             'customer_user', 'support_agent', 'hotel_staff']
    LOOP
        EXECUTE format('CREATE POLICY stream_events_select_%s ON public.stream_events FOR SELECT TO %I '
                       'USING (recipient_id = public.current_app_user_id())', r, r);
    END LOOP;
    -- The control centre: its own events and the control centre's.
    FOREACH r IN ARRAY ARRAY['vip_admin', 'vip_operator', 'emergency_responder']
    LOOP
        EXECUTE format('CREATE POLICY stream_events_select_%s ON public.stream_events FOR SELECT TO %I '
                       'USING (recipient_id = public.current_app_user_id() OR audience = ''control_centre'')', r, r);
    END LOOP;
END
$$;

CREATE POLICY stream_events_all_owner ON public.stream_events FOR ALL TO vipride_owner USING (true) WITH CHECK (true);
