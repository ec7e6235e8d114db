-- R__15_safety.sql — SOS for every ride and the control centre's workflow. A ride that enters status
-- emergency (its rider or driver raised an SOS, through any path) opens a safety incident, alerts the
-- control centre's streams and notifies every active emergency responder, all in that transaction. An
-- incident not acknowledged within safety_settings.acknowledge_within_s escalates (severity + 1, a second
-- notification, again after each further period). Responders acknowledge, assign, add notes, resolve with
-- an outcome; for a bounded window they may read the ride's live position, the parties' phones and their
-- emergency contacts, and every such read is written to the incident's timeline. Riders and drivers keep
-- their own emergency contacts.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'public.safety_settings',
    'public.safety_incidents',
    'public.safety_incident_events',
    'public.emergency_contacts');

-- Whether the caller works in the control centre (may read and work every incident).
CREATE OR REPLACE FUNCTION public.in_control_centre() RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT current_user IN ('emergency_responder', 'vip_admin', 'vip_operator')
           OR (current_user = 'vipride_owner'
               AND (SELECT u.user_type FROM public.users u WHERE u.id = public.current_app_user_id())
                   IN ('emergency_responder', 'vip_admin', 'vip_operator'))
$$;

-- Appends one step to an incident's timeline.
CREATE OR REPLACE FUNCTION public.safety_incident_step(p_incident uuid, p_kind text, p_note text, p_details jsonb)
    RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    INSERT INTO public.safety_incident_events (incident_id, actor_id, kind, note, details)
    VALUES (p_incident, public.current_app_user_id(), p_kind, p_note, coalesce(p_details, '{}'))
$$;

-- The incident as the control centre's streams carry it.
CREATE OR REPLACE FUNCTION public.safety_incident_broadcast(p_incident public.safety_incidents, p_step text)
    RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    INSERT INTO public.stream_events (audience, kind, payload)
    VALUES ('control_centre', 'incident', jsonb_build_object(
        'incidentId', p_incident.id, 'step', p_step, 'rideId', p_incident.ride_id, 'kind', p_incident.kind,
        'severity', p_incident.severity, 'status', p_incident.status, 'raisedAs', p_incident.raised_as,
        'openedAt', p_incident.opened_at, 'acknowledgeDueAt', p_incident.acknowledge_due_at,
        'escalations', p_incident.escalations, 'assignedTo', p_incident.assigned_to))
$$;

-- Opens the incident of a ride in emergency (or returns the one already live), alerts the control centre
-- and notifies every active emergency responder.
CREATE OR REPLACE FUNCTION public.open_safety_incident(p_ride public.rides, p_raised_by uuid, p_kind text)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_settings  public.safety_settings;
    v_incident  public.safety_incidents;
    v_driver    public.drivers;
    v_raised_by uuid;
    v_alerted   integer := 0;
    v_responder uuid;
BEGIN
    SELECT * INTO v_incident FROM public.safety_incidents i WHERE i.ride_id = p_ride.id AND i.status <> 'resolved';
    IF FOUND THEN
        RETURN v_incident.id;
    END IF;
    SELECT * INTO STRICT v_settings FROM public.safety_settings;
    SELECT * INTO v_driver FROM public.drivers d WHERE d.id = p_ride.driver_id;
    v_raised_by := coalesce(p_raised_by, p_ride.customer_id);
    INSERT INTO public.safety_incidents (ride_id, ride_requested_at, rider_id, driver_id, raised_by, raised_as, kind,
                                         acknowledge_due_at, access_expires_at)
    VALUES (p_ride.id, p_ride.requested_at, p_ride.customer_id, p_ride.driver_id, v_raised_by,
            CASE WHEN v_raised_by = v_driver.user_id THEN 'driver' ELSE 'rider' END, coalesce(p_kind, 'sos'),
            now() + make_interval(secs => v_settings.acknowledge_within_s),
            now() + make_interval(secs => v_settings.access_window_s))
    RETURNING * INTO v_incident;
    PERFORM public.safety_incident_step(v_incident.id, 'opened', NULL,
                                        jsonb_build_object('raisedAs', v_incident.raised_as, 'kind', v_incident.kind));
    PERFORM public.safety_incident_broadcast(v_incident, 'opened');
    FOR v_responder IN SELECT u.id FROM public.users u
                        WHERE u.user_type = 'emergency_responder' AND u.is_active AND u.deleted_at IS NULL LOOP
        PERFORM public.notify(v_responder, 'safety.sos', jsonb_build_object(
            'incidentId', v_incident.id, 'rideId', p_ride.id, 'severity', v_incident.severity));
        v_alerted := v_alerted + 1;
    END LOOP;
    PERFORM public.safety_incident_step(v_incident.id, 'alerted', NULL, jsonb_build_object('responders', v_alerted));
    RETURN v_incident.id;
END
$$;

-- Any path that puts a ride into emergency opens its incident.
CREATE OR REPLACE FUNCTION public.rides_open_safety_incident() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    PERFORM public.open_safety_incident(NEW, public.current_app_user_id(), NULL);
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER rides_open_safety_incident AFTER UPDATE OF status ON public.rides
    FOR EACH ROW WHEN (NEW.status = 'emergency' AND OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION public.rides_open_safety_incident();

-- The SOS of a ride's rider or driver: the ride goes into emergency (under the caller's own rights and the
-- ride's state machine), then the incident is returned, with its kind and the caller's note.
CREATE OR REPLACE FUNCTION public.raise_sos(p_ride_id uuid, p_kind text, p_note text) RETURNS uuid
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    UPDATE public.rides r SET status = 'emergency'
     WHERE r.id = p_ride_id AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress');
    RETURN public.sos_incident_of_ride(p_ride_id, p_kind, p_note);
END
$$;

CREATE OR REPLACE FUNCTION public.sos_incident_of_ride(p_ride_id uuid, p_kind text, p_note text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_ride     public.rides;
    v_incident public.safety_incidents;
    v_id       uuid;
BEGIN
    SELECT * INTO v_ride FROM public.rides r
     WHERE r.id = p_ride_id
       AND (r.customer_id = public.current_app_user_id()
            OR (r.driver_id IS NOT NULL AND r.driver_id = public.current_driver_id()))
     ORDER BY r.requested_at DESC LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Ride % not found.', p_ride_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF v_ride.status <> 'emergency' THEN
        RAISE EXCEPTION 'An SOS needs an active ride (this one is %).', v_ride.status
            USING ERRCODE = 'VR409', HINT = 'ride-not-active';
    END IF;
    v_id := public.open_safety_incident(v_ride, public.current_app_user_id(), p_kind);
    SELECT * INTO STRICT v_incident FROM public.safety_incidents i WHERE i.id = v_id FOR UPDATE;
    IF p_kind IS NOT NULL AND p_kind <> v_incident.kind THEN
        UPDATE public.safety_incidents i SET kind = p_kind WHERE i.id = v_id;
    END IF;
    IF v_incident.opened_at < now() THEN
        PERFORM public.safety_incident_step(v_id, 'raised_again', p_note, jsonb_build_object('kind', p_kind));
    ELSIF p_note IS NOT NULL THEN
        PERFORM public.safety_incident_step(v_id, 'note', p_note, '{}');
    END IF;
    RETURN v_id;
END
$$;

-- The control centre's steps. Each refuses callers outside the control centre and incidents in the
-- wrong state, writes the timeline and tells the control centre's streams.
CREATE OR REPLACE FUNCTION public.control_centre_incident(p_id uuid) RETURNS public.safety_incidents
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_incident public.safety_incidents;
BEGIN
    IF NOT public.in_control_centre() THEN
        RAISE EXCEPTION 'Only the control centre works incidents.' USING ERRCODE = 'VR403', HINT = 'forbidden';
    END IF;
    SELECT * INTO v_incident FROM public.safety_incidents i WHERE i.id = p_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Incident % not found.', p_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    RETURN v_incident;
END
$$;

CREATE OR REPLACE FUNCTION public.acknowledge_incident(p_id uuid) RETURNS public.safety_incidents
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_incident public.safety_incidents := public.control_centre_incident(p_id);
BEGIN
    IF v_incident.status <> 'open' THEN
        RAISE EXCEPTION 'Incident % is already %.', p_id, v_incident.status
            USING ERRCODE = 'VR409', HINT = 'incident-not-open';
    END IF;
    UPDATE public.safety_incidents i
       SET status = 'acknowledged', acknowledged_at = now(), acknowledged_by = public.current_app_user_id()
     WHERE i.id = p_id RETURNING * INTO v_incident;
    PERFORM public.safety_incident_step(p_id, 'acknowledged', NULL, '{}');
    PERFORM public.safety_incident_broadcast(v_incident, 'acknowledged');
    RETURN v_incident;
END
$$;

CREATE OR REPLACE FUNCTION public.assign_incident(p_id uuid, p_responder uuid) RETURNS public.safety_incidents
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_incident public.safety_incidents := public.control_centre_incident(p_id);
BEGIN
    IF v_incident.status = 'resolved' THEN
        RAISE EXCEPTION 'Incident % is resolved.', p_id USING ERRCODE = 'VR409', HINT = 'incident-resolved';
    END IF;
    IF NOT EXISTS (SELECT FROM public.users u WHERE u.id = p_responder AND u.is_active AND u.deleted_at IS NULL
                      AND u.user_type IN ('emergency_responder', 'vip_admin', 'vip_operator')) THEN
        RAISE EXCEPTION 'User % is not an active responder.', p_responder
            USING ERRCODE = 'VR400', HINT = 'not-a-responder';
    END IF;
    UPDATE public.safety_incidents i
       SET assigned_to = p_responder, assigned_at = now(), status = 'acknowledged',
           acknowledged_at = coalesce(i.acknowledged_at, now()),
           acknowledged_by = coalesce(i.acknowledged_by, public.current_app_user_id())
     WHERE i.id = p_id RETURNING * INTO v_incident;
    PERFORM public.safety_incident_step(p_id, 'assigned', NULL, jsonb_build_object('responderId', p_responder));
    PERFORM public.safety_incident_broadcast(v_incident, 'assigned');
    PERFORM public.notify(p_responder, 'safety.incident-assigned',
                          jsonb_build_object('incidentId', p_id, 'rideId', v_incident.ride_id));
    RETURN v_incident;
END
$$;

CREATE OR REPLACE FUNCTION public.add_incident_note(p_id uuid, p_note text) RETURNS public.safety_incidents
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_incident public.safety_incidents := public.control_centre_incident(p_id);
BEGIN
    PERFORM public.safety_incident_step(p_id, 'note', p_note, '{}');
    RETURN v_incident;
END
$$;

CREATE OR REPLACE FUNCTION public.resolve_incident(p_id uuid, p_outcome text, p_note text) RETURNS public.safety_incidents
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_incident public.safety_incidents := public.control_centre_incident(p_id);
BEGIN
    IF v_incident.status = 'resolved' THEN
        RAISE EXCEPTION 'Incident % is already resolved.', p_id USING ERRCODE = 'VR409', HINT = 'incident-resolved';
    END IF;
    UPDATE public.safety_incidents i
       SET status = 'resolved', outcome = p_outcome, resolved_at = now(), resolved_by = public.current_app_user_id(),
           acknowledged_at = coalesce(i.acknowledged_at, now()),
           acknowledged_by = coalesce(i.acknowledged_by, public.current_app_user_id())
     WHERE i.id = p_id RETURNING * INTO v_incident;
    PERFORM public.safety_incident_step(p_id, 'resolved', p_note, jsonb_build_object('outcome', p_outcome));
    PERFORM public.safety_incident_broadcast(v_incident, 'resolved');
    RETURN v_incident;
END
$$;

-- Time-boxed responder access: an incident's ride may be read while the incident is unresolved and its
-- window open, and every read is written to the incident's timeline with its purpose and what was read.
CREATE OR REPLACE FUNCTION public.incident_access(p_id uuid, p_purpose text, p_read text)
    RETURNS public.safety_incidents
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_incident public.safety_incidents := public.control_centre_incident(p_id);
BEGIN
    IF v_incident.status = 'resolved' OR v_incident.access_expires_at <= now() THEN
        RAISE EXCEPTION 'Access to incident % has ended.', p_id USING ERRCODE = 'VR403', HINT = 'access-ended';
    END IF;
    PERFORM public.safety_incident_step(p_id, 'access', coalesce(p_purpose, 'emergency response'),
                                        jsonb_build_object('read', p_read));
    RETURN v_incident;
END
$$;

-- The ride's live position and the parties' names and phones.
CREATE OR REPLACE FUNCTION public.incident_live_view(p_id uuid, p_purpose text)
    RETURNS TABLE (incident_id uuid, ride_id uuid, ride_status public.ride_status, driver_lat double precision,
                   driver_lng double precision, position_at timestamptz, rider_name text, rider_phone text,
                   driver_name text, driver_phone text, access_expires_at timestamptz)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_incident public.safety_incidents := public.incident_access(p_id, p_purpose, 'live position and contacts');
BEGIN
    RETURN QUERY
    SELECT v_incident.id, r.id, r.status, d.current_lat, d.current_lng, d.position_updated_at,
           ru.first_name || ' ' || ru.last_name, ru.phone, du.first_name || ' ' || du.last_name, du.phone,
           v_incident.access_expires_at
      FROM public.rides r
      JOIN public.users ru ON ru.id = r.customer_id
      LEFT JOIN public.drivers d ON d.id = v_incident.driver_id
      LEFT JOIN public.users du ON du.id = d.user_id
     WHERE r.id = v_incident.ride_id AND r.requested_at = v_incident.ride_requested_at;
END
$$;

-- The emergency contacts of both parties of the incident's ride.
CREATE OR REPLACE FUNCTION public.incident_emergency_contacts(p_id uuid, p_purpose text)
    RETURNS TABLE (party text, name text, phone text, relationship text)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_incident public.safety_incidents := public.incident_access(p_id, p_purpose, 'emergency contacts');
BEGIN
    RETURN QUERY
    SELECT p.party, c.name, c.phone, c.relationship
      FROM (VALUES ('rider', v_incident.rider_id),
                   ('driver', (SELECT d.user_id FROM public.drivers d WHERE d.id = v_incident.driver_id))) AS p(party, user_id)
      JOIN public.emergency_contacts c ON c.user_id = p.user_id
     ORDER BY p.party DESC, c.created_at;
END
$$;

-- At most five contacts a person; the lock makes the count exact when two are added at once.
CREATE OR REPLACE FUNCTION public.emergency_contacts_at_most_five() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended('emergency_contacts:' || NEW.user_id::text, 0));
    IF (SELECT count(*) FROM public.emergency_contacts c WHERE c.user_id = NEW.user_id) >= 5 THEN
        RAISE EXCEPTION 'A person keeps at most five emergency contacts.' USING ERRCODE = 'VR409', HINT = 'too-many-contacts';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER emergency_contacts_at_most_five BEFORE INSERT ON public.emergency_contacts
    FOR EACH ROW EXECUTE FUNCTION public.emergency_contacts_at_most_five();

-- The escalation job: every open incident past its acknowledgement time gets severity + 1 (at most 5), a
-- new deadline, a timeline step, a stream event and a second notification to every active responder.
CREATE OR REPLACE FUNCTION public.escalate_overdue_incidents() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_settings  public.safety_settings;
    v_incident  public.safety_incidents;
    v_responder uuid;
    v_count     integer := 0;
BEGIN
    SELECT * INTO STRICT v_settings FROM public.safety_settings;
    FOR v_incident IN
        UPDATE public.safety_incidents i
           SET severity = least(5, i.severity + 1), escalations = i.escalations + 1,
               acknowledge_due_at = now() + make_interval(secs => v_settings.acknowledge_within_s)
         WHERE i.id IN (SELECT x.id FROM public.safety_incidents x
                         WHERE x.status = 'open' AND x.acknowledge_due_at <= now() FOR UPDATE SKIP LOCKED)
        RETURNING * LOOP
        PERFORM public.safety_incident_step(v_incident.id, 'escalated', NULL,
            jsonb_build_object('severity', v_incident.severity, 'escalations', v_incident.escalations));
        PERFORM public.safety_incident_broadcast(v_incident, 'escalated');
        FOR v_responder IN SELECT u.id FROM public.users u
                            WHERE u.user_type IN ('emergency_responder', 'vip_admin') AND u.is_active
                              AND u.deleted_at IS NULL LOOP
            PERFORM public.notify(v_responder, 'safety.incident-escalated', jsonb_build_object(
                'incidentId', v_incident.id, 'rideId', v_incident.ride_id, 'severity', v_incident.severity,
                'escalations', v_incident.escalations));
        END LOOP;
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END
$$;

-- Monitoring figures over incidents opened in the last p_window_s seconds.
CREATE OR REPLACE FUNCTION public.control_centre_figures(p_window_s integer,
    OUT open_incidents bigint, OUT acknowledged_incidents bigint, OUT overdue_incidents bigint,
    OUT opened bigint, OUT resolved bigint,
    OUT acknowledge_p50_s double precision, OUT acknowledge_p90_s double precision,
    OUT resolve_p50_s double precision, OUT resolve_p90_s double precision)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT (SELECT count(*) FROM public.safety_incidents i WHERE i.status = 'open'),
           (SELECT count(*) FROM public.safety_incidents i WHERE i.status = 'acknowledged'),
           (SELECT count(*) FROM public.safety_incidents i WHERE i.status = 'open' AND i.acknowledge_due_at <= now()),
           count(*), count(*) FILTER (WHERE w.resolved_at IS NOT NULL),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM w.acknowledged_at - w.opened_at)),
           percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM w.acknowledged_at - w.opened_at)),
           percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM w.resolved_at - w.opened_at)),
           percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM w.resolved_at - w.opened_at))
      FROM public.safety_incidents w
     WHERE w.opened_at >= now() - make_interval(secs => p_window_s)
$$;

-- The control centre's map of one city: active rides (status, vehicle type, tier, the assigned driver's
-- position), available online drivers (position and vehicle type) and unresolved incidents, in one query.
-- Who sees what is decided here, by the role the caller switched into:
--   * every position is rounded to 3 decimal places (about 110 m): the map is an overview, and a precise
--     position is read only through an incident's time-boxed, logged access (incident_live_view);
--   * no identity of a rider or driver is returned (no rider, driver or user id, no name, no address);
--   * a VIP's ride is VIP data: vip_operator and vip_admin see it, marked as a VIP ride; every other role
--     does not see it at all (neither its position nor that it exists), so the map cannot be used to
--     follow a VIP. Its incident still reaches the queue, as every incident does;
--   * drivers count as available while online, free and with a position younger than the city's
--     driver_stale_after_s (dispatch's own test), the rows drivers_online_ping_idx covers.
-- Active rides are read through rides_active_status_idx, drivers through drivers_online_ping_idx.
CREATE OR REPLACE FUNCTION public.control_centre_map(p_city text)
    RETURNS TABLE (layer text, id uuid, status text, vehicle_type text, tier text, is_vip boolean,
                   severity integer, lat double precision, lng double precision, position_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_role    text := current_setting('role');
    v_sees_vip boolean := current_setting('role') IN ('vip_operator', 'vip_admin');
BEGIN
    IF v_role NOT IN ('emergency_responder', 'vip_operator', 'vip_admin', 'system_admin', 'support_agent') THEN
        RAISE EXCEPTION 'Only the control centre, support and system administrators read the map.'
            USING ERRCODE = 'VR403', HINT = 'forbidden';
    END IF;
    RETURN QUERY
    -- A VIP ride comes without its position: a VIP's whereabouts are read only through the VIP roles'
    -- purpose-logged reads (audit.vip_access_log), never by a map refreshed every few seconds.
    SELECT 'ride', r.id, r.status::text, r.vehicle_type::text, r.customer_tier::text, r.customer_tier = 'vip', NULL::integer,
           CASE WHEN r.customer_tier <> 'vip' THEN round(d.current_lat::numeric, 3)::double precision END,
           CASE WHEN r.customer_tier <> 'vip' THEN round(d.current_lng::numeric, 3)::double precision END,
           CASE WHEN r.customer_tier <> 'vip' THEN d.position_updated_at END
      FROM public.rides r
      LEFT JOIN public.drivers d ON d.id = r.driver_id
     WHERE r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency')
       AND r.city = p_city
       AND (v_sees_vip OR r.customer_tier <> 'vip')
    UNION ALL
    SELECT 'driver', NULL::uuid, 'available', d.dispatch_vehicle_type::text, NULL, false, NULL,
           round(d.current_lat::numeric, 3)::double precision, round(d.current_lng::numeric, 3)::double precision,
           d.position_updated_at
      FROM public.drivers d
      JOIN public.city_settings s ON s.city = d.city
     WHERE d.is_online AND d.deleted_at IS NULL AND d.city = p_city AND d.is_available
       AND d.position_updated_at > now() - make_interval(secs => s.driver_stale_after_s)
    UNION ALL
    SELECT 'incident', i.id, i.status, NULL, NULL, NULL, i.severity::integer, NULL, NULL, NULL
      FROM public.safety_incidents i
     WHERE i.status <> 'resolved'
       AND v_role IN ('emergency_responder', 'vip_operator', 'vip_admin', 'system_admin')
       AND EXISTS (SELECT FROM public.rides r
                    WHERE r.id = i.ride_id AND r.requested_at = i.ride_requested_at AND r.city = p_city);
END
$$;

COMMENT ON FUNCTION public.raise_sos(uuid, text, text) IS
    'SOS of a ride''s rider or driver: the ride enters emergency, its safety incident opens; returns the incident.';
COMMENT ON FUNCTION public.escalate_overdue_incidents() IS
    'Escalation job: open incidents past their acknowledgement time get severity + 1 and a second notification.';
COMMENT ON FUNCTION public.incident_live_view(uuid, text) IS
    'Time-boxed responder access to an incident''s ride position and the parties'' contacts; every read is logged.';

REVOKE ALL ON FUNCTION public.in_control_centre(), public.safety_incident_step(uuid, text, text, jsonb),
    public.safety_incident_broadcast(public.safety_incidents, text), public.open_safety_incident(public.rides, uuid, text),
    public.rides_open_safety_incident(), public.raise_sos(uuid, text, text), public.sos_incident_of_ride(uuid, text, text),
    public.control_centre_incident(uuid), public.acknowledge_incident(uuid), public.assign_incident(uuid, uuid),
    public.add_incident_note(uuid, text), public.resolve_incident(uuid, text, text), public.incident_live_view(uuid, text),
    public.incident_access(uuid, text, text), public.incident_emergency_contacts(uuid, text), public.emergency_contacts_at_most_five(),
    public.escalate_overdue_incidents(), public.control_centre_figures(integer), public.control_centre_map(text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.raise_sos(uuid, text, text), public.sos_incident_of_ride(uuid, text, text)
    TO customer_user, driver_user;

GRANT EXECUTE ON FUNCTION public.in_control_centre(), public.acknowledge_incident(uuid), public.assign_incident(uuid, uuid),
    public.add_incident_note(uuid, text), public.resolve_incident(uuid, text, text), public.incident_live_view(uuid, text),
    public.incident_emergency_contacts(uuid, text), public.control_centre_figures(integer)
    TO emergency_responder, vip_admin, vip_operator;

GRANT EXECUTE ON FUNCTION public.escalate_overdue_incidents(), public.control_centre_figures(integer) TO system_admin;

-- The map decides itself what each of these roles sees (above); nobody else may call it.
GRANT EXECUTE ON FUNCTION public.control_centre_map(text)
    TO emergency_responder, vip_admin, vip_operator, system_admin, support_agent;

COMMENT ON FUNCTION public.control_centre_map(text) IS
    'Control-centre map of a city: active rides, available drivers and open incidents; positions rounded to ~110 m, no identities, VIP rides only for vip_operator and vip_admin and without a position.';

SELECT audit.enable_audit('public.safety_incidents');

SELECT audit.enable_audit('public.safety_settings');

SELECT audit.enable_audit('public.emergency_contacts');

-- Riders and drivers keep their own emergency contacts; nobody else reads them but through an incident.
GRANT SELECT, DELETE, INSERT (user_id, name, phone, relationship), UPDATE (name, phone, relationship)
    ON public.emergency_contacts TO customer_user, driver_user;

CREATE POLICY emergency_contacts_all_owner ON public.emergency_contacts FOR ALL TO vipride_owner
    USING (true) WITH CHECK (true);

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['customer_user', 'driver_user']
    LOOP
        EXECUTE format('CREATE POLICY emergency_contacts_own_%s ON public.emergency_contacts FOR ALL TO %I '
                       'USING (user_id = public.current_app_user_id()) '
                       'WITH CHECK (user_id = public.current_app_user_id())', r, r);
    END LOOP;
END
$$;

GRANT SELECT ON public.safety_settings TO emergency_responder, vip_admin, vip_operator, system_admin;

GRANT UPDATE (acknowledge_within_s, access_window_s) ON public.safety_settings TO system_admin;

GRANT SELECT ON public.safety_incidents TO emergency_responder, vip_admin, vip_operator, system_admin, customer_user,
    driver_user;

GRANT SELECT ON public.safety_incident_events TO emergency_responder, vip_admin, vip_operator, system_admin;

CREATE POLICY safety_settings_update_system_admin ON public.safety_settings FOR UPDATE TO system_admin
    USING (true) WITH CHECK (true);

CREATE POLICY safety_settings_select_owner ON public.safety_settings FOR SELECT TO vipride_owner USING (true);

-- A rider or driver sees the incidents of their own rides (not the timeline).
CREATE POLICY safety_incidents_select_customer_user ON public.safety_incidents FOR SELECT TO customer_user
    USING (rider_id = public.current_app_user_id());

CREATE POLICY safety_incidents_select_driver_user ON public.safety_incidents FOR SELECT TO driver_user
    USING (driver_id = public.current_driver_id());

CREATE POLICY safety_incidents_all_owner ON public.safety_incidents FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY safety_incident_events_all_owner ON public.safety_incident_events FOR ALL TO vipride_owner
    USING (true) WITH CHECK (true);

-- The control centre and the system admin read every incident, its timeline and the settings (one policy
-- per role: a policy's role list is dumped in an order that changes when it is created again).
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['emergency_responder', 'vip_admin', 'vip_operator', 'system_admin']
    LOOP
        EXECUTE format('CREATE POLICY safety_settings_select_%s ON public.safety_settings FOR SELECT TO %I USING (true)', r, r);
        EXECUTE format('CREATE POLICY safety_incidents_select_%s ON public.safety_incidents FOR SELECT TO %I USING (true)', r, r);
        EXECUTE format('CREATE POLICY safety_incident_events_select_%s ON public.safety_incident_events FOR SELECT TO %I '
                       'USING (true)', r, r);
    END LOOP;
END
$$;
