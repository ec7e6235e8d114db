-- Part 12 (grows part 03, VIP data) — geofencing alerts.
--
-- A VIP (or vip_admin for them) defines safe zones and restricted zones. Every batch of the VIP's
-- positions — reported by the VIP's app, by the driver of the VIP's active ride, or by vip_admin —
-- goes through vip_data.track_geofences() in the same transaction as the encrypted location insert.
-- It records a transition (enter / exit) only when the inside/outside state of a zone changes, and
-- raises a security alert when a VIP leaves a safe zone or enters a restricted zone.
--
-- Why this shape:
-- * No PostGIS: a polygon is PostgreSQL's built-in polygon type (x = longitude, y = latitude; edges are
--   straight lines in that plane, so a zone must not cross the antimeridian) tested with polygon @> point;
--   a circle is a centre and a radius in metres tested on the sphere earthdistance uses (radius 6378168 m).
--   The circle test is plain arithmetic, not public.earth_distance(): earthdistance's SQL functions call
--   earth() unqualified and fail under the pinned search_path a SECURITY DEFINER function needs.
-- * Events and alerts carry the geofence id, never the VIP's coordinates: positions are location data
--   and live only encrypted in vip_location_history.
-- * De-duplication: at most one open alert per VIP, geofence and kind within the window set in
--   vip_data.geofence_settings (10 minutes by default). A later trigger inside an open alert's window
--   adds to its counter and last_seen_at instead of raising another; a trigger after the window, or
--   after the alert was acknowledged, raises a new one. Windows run on the positions' recorded_at, so
--   a replayed or delayed batch de-duplicates exactly like a live one.
-- * Fast: one pass over unnest(...) WITH ORDINALITY against the VIP's few active zones, a lag() window
--   for transitions and one upsert of the per-zone state; the per-row loop is over alert triggers only
--   (transitions, which are rare), never over points. A VIP without active zones costs one index probe.
-- * monitoring.security_alerts gathers geofence alerts, open emergencies and authentication signals. It
--   is security_invoker, and each source is read by an invoker-rights function that contributes no rows
--   when the reader holds no privilege on that source (a plain UNION ALL over the tables would fail as a
--   whole for any reader lacking one table) and otherwise reads it under the reader's own row-level
--   security. vip_admin sees geofence alerts and emergencies, audit_admin geofence alerts and account
--   signals, system_admin account signals only.

-- ---------------------------------------------------------------------------------------------
-- Shape helpers (pure, used by CHECK constraints and the generated bounding box)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION vip_data.polygon_is_simple(p_boundary polygon) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog
    SET extra_float_digits = 1
AS $$
    WITH vertex AS (
        SELECT m.i, point(m.xy[1]::float8, m.xy[2]::float8) AS pt, count(*) OVER () AS n
          FROM regexp_matches(p_boundary::text, '\(([^(),]+),([^(),]+)\)', 'g') WITH ORDINALITY AS m(xy, i)
    ), edge AS (
        SELECT a.i, a.n, lseg(a.pt, b.pt) AS seg
          FROM vertex a JOIN vertex b ON b.i = a.i % a.n + 1
    )
    SELECT NOT EXISTS (
        SELECT FROM edge e1 JOIN edge e2 ON e2.i > e1.i + 1 AND NOT (e1.i = 1 AND e2.i = e1.n)
         WHERE e1.seg ?# e2.seg)
$$;
COMMENT ON FUNCTION vip_data.polygon_is_simple(polygon) IS
    'True when no two non-adjacent edges of the polygon touch or cross (no self-intersection, no repeated vertex).';

CREATE FUNCTION vip_data.circle_bounds(p_lat double precision, p_lng double precision, p_radius_m double precision)
    RETURNS box
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT CASE
               WHEN abs(p_lat) + c.dlat >= 90 OR sin(c.r) >= cos(radians(p_lat))
                   THEN box(point(-180, greatest(p_lat - c.dlat, -90)), point(180, least(p_lat + c.dlat, 90)))
               WHEN p_lng - c.dlng <= -180 OR p_lng + c.dlng >= 180
                   THEN box(point(-180, p_lat - c.dlat), point(180, p_lat + c.dlat))
               ELSE box(point(p_lng - c.dlng, p_lat - c.dlat), point(p_lng + c.dlng, p_lat + c.dlat))
           END
      FROM (SELECT p_radius_m / 6378168.0 AS r, degrees(p_radius_m / 6378168.0) * 1.0001 AS dlat,
                   CASE WHEN sin(p_radius_m / 6378168.0) < cos(radians(p_lat))
                        THEN degrees(asin(sin(p_radius_m / 6378168.0) / cos(radians(p_lat)))) * 1.0001
                        ELSE 180 END AS dlng) c
$$;
COMMENT ON FUNCTION vip_data.circle_bounds(double precision, double precision, double precision) IS
    'Longitude/latitude box (x = lng, y = lat) that contains the spherical circle; full longitude range near a pole or the antimeridian.';

-- ---------------------------------------------------------------------------------------------
-- Zones
-- ---------------------------------------------------------------------------------------------
CREATE TABLE vip_data.geofences (
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    vip_user_id      uuid        NOT NULL,
    kind             text        NOT NULL,
    name             text        NOT NULL,
    shape            text        NOT NULL,
    boundary         polygon,
    center_lat       double precision,
    center_lng       double precision,
    radius_m         integer,
    -- Prefilter for the containment test; box @> point is cheap, polygon @> point is O(vertices).
    bounds           box         GENERATED ALWAYS AS (
                         CASE WHEN boundary IS NOT NULL THEN box(boundary)
                              ELSE vip_data.circle_bounds(center_lat, center_lng, radius_m) END) STORED,
    active           boolean     NOT NULL DEFAULT true,
    created_by       uuid        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    deactivated_at   timestamptz,
    deactivated_by   uuid,
    CONSTRAINT geofences_pkey PRIMARY KEY (id),
    CONSTRAINT geofences_vip_fk FOREIGN KEY (vip_user_id) REFERENCES public.users (id),
    CONSTRAINT geofences_created_by_fk FOREIGN KEY (created_by) REFERENCES public.users (id),
    CONSTRAINT geofences_deactivated_by_fk FOREIGN KEY (deactivated_by) REFERENCES public.users (id),
    CONSTRAINT geofences_kind_chk CHECK (kind IN ('safe', 'restricted')),
    CONSTRAINT geofences_name_chk CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    CONSTRAINT geofences_shape_chk CHECK (
        (shape = 'polygon' AND boundary IS NOT NULL AND center_lat IS NULL AND center_lng IS NULL AND radius_m IS NULL)
        OR (shape = 'circle' AND boundary IS NULL AND center_lat IS NOT NULL AND center_lng IS NOT NULL
            AND radius_m IS NOT NULL)),
    CONSTRAINT geofences_polygon_vertices_chk CHECK (boundary IS NULL OR npoints(boundary) BETWEEN 3 AND 200),
    CONSTRAINT geofences_polygon_range_chk CHECK (boundary IS NULL OR box(boundary) <@ box(point(-180, -90), point(180, 90))),
    -- Zero-area (collinear or repeated) outlines are refused: 1e-9 square degrees is about 12 m² at the equator.
    CONSTRAINT geofences_polygon_area_chk CHECK (boundary IS NULL OR area(path(boundary)) > 1e-9),
    CONSTRAINT geofences_polygon_simple_chk CHECK (boundary IS NULL OR vip_data.polygon_is_simple(boundary)),
    CONSTRAINT geofences_center_chk CHECK (center_lat BETWEEN -90 AND 90 AND center_lng BETWEEN -180 AND 180),
    CONSTRAINT geofences_radius_chk CHECK (radius_m BETWEEN 10 AND 50000),
    CONSTRAINT geofences_active_chk CHECK (active = (deactivated_at IS NULL)),
    CONSTRAINT geofences_deactivated_by_chk CHECK (deactivated_by IS NULL OR deactivated_at IS NOT NULL)
);
COMMENT ON TABLE vip_data.geofences IS
    'Safe and restricted zones of a VIP: a polygon (x = lng, y = lat, 3–200 vertices) or a circle (centre, 10–50,000 m). Never deleted: deactivated, so events and alerts keep their zone.';
CREATE INDEX geofences_vip_active_idx ON vip_data.geofences (vip_user_id) WHERE active;
CREATE INDEX geofences_vip_created_idx ON vip_data.geofences (vip_user_id, created_at DESC);
CREATE TRIGGER geofences_touch_updated_at BEFORE UPDATE ON vip_data.geofences
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- Where the VIP is with respect to each zone, as of the latest position processed, so that the next
-- batch can tell a transition from a repeat. Points not newer than last_recorded_at are stale and
-- change nothing. A zone without a state row counts as "outside".
CREATE TABLE vip_data.geofence_states (
    geofence_id        uuid        NOT NULL,
    vip_user_id        uuid        NOT NULL,
    inside             boolean     NOT NULL,
    since              timestamptz NOT NULL,
    last_recorded_at   timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT geofence_states_pkey PRIMARY KEY (geofence_id),
    CONSTRAINT geofence_states_geofence_fk FOREIGN KEY (geofence_id) REFERENCES vip_data.geofences (id),
    CONSTRAINT geofence_states_vip_fk FOREIGN KEY (vip_user_id) REFERENCES public.users (id),
    CONSTRAINT geofence_states_order_chk CHECK (last_recorded_at >= since)
);
COMMENT ON TABLE vip_data.geofence_states IS
    'Current inside/outside state of each zone (since when, and the latest position time processed); written only by track_geofences.';
CREATE INDEX geofence_states_vip_idx ON vip_data.geofence_states (vip_user_id);

-- Append-only: nobody holds UPDATE or DELETE.
CREATE TABLE vip_data.geofence_events (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    geofence_id     uuid        NOT NULL,
    vip_user_id     uuid        NOT NULL,
    event           text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    reported_by     uuid,
    reporter_role   text        NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT geofence_events_pkey PRIMARY KEY (id),
    CONSTRAINT geofence_events_geofence_fk FOREIGN KEY (geofence_id) REFERENCES vip_data.geofences (id),
    CONSTRAINT geofence_events_vip_fk FOREIGN KEY (vip_user_id) REFERENCES public.users (id),
    CONSTRAINT geofence_events_reported_by_fk FOREIGN KEY (reported_by) REFERENCES public.users (id),
    CONSTRAINT geofence_events_event_chk CHECK (event IN ('enter', 'exit')),
    CONSTRAINT geofence_events_reporter_role_chk CHECK (reporter_role IN ('customer_user', 'driver_user', 'vip_admin'))
);
COMMENT ON TABLE vip_data.geofence_events IS
    'Append-only log of zone transitions (enter/exit) at the position''s time, and who reported it. No coordinates.';
CREATE INDEX geofence_events_vip_time_idx ON vip_data.geofence_events (vip_user_id, occurred_at DESC);
CREATE INDEX geofence_events_geofence_time_idx ON vip_data.geofence_events (geofence_id, occurred_at DESC);

-- ---------------------------------------------------------------------------------------------
-- Alerts and their de-duplication window
-- ---------------------------------------------------------------------------------------------
CREATE TABLE vip_data.geofence_settings (
    id                   smallint    NOT NULL DEFAULT 1,
    alert_dedup_window   interval    NOT NULL DEFAULT interval '10 minutes',
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT geofence_settings_pkey PRIMARY KEY (id),
    CONSTRAINT geofence_settings_single_row_chk CHECK (id = 1),
    CONSTRAINT geofence_settings_window_chk CHECK (alert_dedup_window BETWEEN interval '1 second' AND interval '1 day')
);
COMMENT ON TABLE vip_data.geofence_settings IS
    'The one row of geofencing settings: alert_dedup_window, within which repeated triggers join the open alert.';
INSERT INTO vip_data.geofence_settings DEFAULT VALUES;
CREATE TRIGGER geofence_settings_touch_updated_at BEFORE UPDATE ON vip_data.geofence_settings
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE TABLE vip_data.security_alerts (
    id                uuid        NOT NULL DEFAULT gen_random_uuid(),
    kind              text        NOT NULL,
    severity          text        NOT NULL,
    vip_user_id       uuid        NOT NULL,
    geofence_id       uuid        NOT NULL,
    raised_at         timestamptz NOT NULL,
    last_seen_at      timestamptz NOT NULL,
    occurrences       integer     NOT NULL DEFAULT 1,
    window_ends_at    timestamptz NOT NULL,
    acknowledged_at   timestamptz,
    acknowledged_by   uuid,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT security_alerts_pkey PRIMARY KEY (id),
    CONSTRAINT security_alerts_vip_fk FOREIGN KEY (vip_user_id) REFERENCES public.users (id),
    CONSTRAINT security_alerts_geofence_fk FOREIGN KEY (geofence_id) REFERENCES vip_data.geofences (id),
    CONSTRAINT security_alerts_ack_by_fk FOREIGN KEY (acknowledged_by) REFERENCES public.users (id),
    CONSTRAINT security_alerts_kind_chk CHECK (kind IN ('geofence_exit_safe', 'geofence_enter_restricted')),
    CONSTRAINT security_alerts_severity_chk CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    CONSTRAINT security_alerts_occurrences_chk CHECK (occurrences >= 1),
    CONSTRAINT security_alerts_window_chk CHECK (raised_at <= last_seen_at AND last_seen_at < window_ends_at),
    CONSTRAINT security_alerts_ack_chk CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL)),
    -- De-duplication, enforced: two open alerts of one zone and kind never share any part of their windows.
    CONSTRAINT security_alerts_one_open_per_window EXCLUDE USING gist (
        geofence_id WITH =, kind WITH =, tstzrange(raised_at, window_ends_at) WITH &&)
        WHERE (acknowledged_at IS NULL)
);
COMMENT ON TABLE vip_data.security_alerts IS
    'Geofence security alerts: one per VIP, zone and kind per de-duplication window [raised_at, window_ends_at); repeats count in occurrences/last_seen_at. No coordinates.';
CREATE INDEX security_alerts_vip_raised_idx ON vip_data.security_alerts (vip_user_id, raised_at DESC);
CREATE INDEX security_alerts_open_raised_idx ON vip_data.security_alerts (raised_at DESC) WHERE acknowledged_at IS NULL;
CREATE INDEX security_alerts_raised_idx ON vip_data.security_alerts (raised_at DESC);
CREATE TRIGGER security_alerts_touch_updated_at BEFORE UPDATE ON vip_data.security_alerts
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- Zone changes and acknowledgements are audited; a repeat joining an open alert is not a change worth a row.
SELECT audit.enable_audit('vip_data.geofences');
SELECT audit.enable_audit('vip_data.geofence_settings');
SELECT audit.enable_audit('vip_data.security_alerts', 'id', ARRAY['occurrences', 'last_seen_at']);

-- ---------------------------------------------------------------------------------------------
-- Who is a VIP, for vip_admin's policies and the API (vip_admin cannot read other users' rows).
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION vip_data.is_vip_user(p_user_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT EXISTS (SELECT FROM public.users u
                    WHERE u.id = p_user_id AND u.tier = 'vip' AND u.deleted_at IS NULL)
$$;
COMMENT ON FUNCTION vip_data.is_vip_user(uuid) IS
    'Whether the user is a live VIP-tier account; for VIP staff, who may not read other users'' rows.';

-- ---------------------------------------------------------------------------------------------
-- Tracking: the ingest path's one call per batch.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION vip_data.track_geofences(p_vip_user_id uuid, p_lats double precision[], p_lngs double precision[],
                                         p_recorded_at timestamptz[])
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_role     text := audit.acting_role();
    v_caller   uuid := public.current_app_user_id();
    v_count    integer := cardinality(p_lats);
    v_window   interval;
    v_fences   uuid[];
    v_kinds    text[];
    v_times    timestamptz[];
    v_kind     text;
    v_raised   integer := 0;
BEGIN
    IF p_vip_user_id IS NULL THEN
        RAISE EXCEPTION 'the VIP must be named' USING ERRCODE = '22004';
    END IF;
    IF v_count IS NULL OR p_lngs IS NULL OR p_recorded_at IS NULL
       OR cardinality(p_lngs) <> v_count OR cardinality(p_recorded_at) <> v_count
       OR coalesce(array_ndims(p_lats), 1) <> 1 THEN
        RAISE EXCEPTION 'latitudes, longitudes and times must be one-dimensional arrays of the same length'
            USING ERRCODE = '22023';
    END IF;
    IF v_count > 10000 THEN
        RAISE EXCEPTION 'at most 10000 positions per call' USING ERRCODE = '22023';
    END IF;
    IF EXISTS (SELECT FROM unnest(p_lats, p_lngs, p_recorded_at) AS u(lat, lng, at)
                WHERE u.lat IS NULL OR u.lng IS NULL OR u.at IS NULL OR NOT isfinite(u.at)
                   OR NOT (u.lat BETWEEN -90 AND 90) OR NOT (u.lng BETWEEN -180 AND 180)) THEN
        RAISE EXCEPTION 'every position needs a latitude in [-90, 90], a longitude in [-180, 180] and a finite time'
            USING ERRCODE = '22023';
    END IF;

    -- Who may report for this VIP: the VIP, the driver of their active ride, or vip_admin.
    IF NOT coalesce(CASE v_role
                        WHEN 'vip_admin' THEN true
                        WHEN 'customer_user' THEN v_caller = p_vip_user_id
                        WHEN 'driver_user' THEN EXISTS (
                            SELECT FROM public.rides r
                             WHERE r.customer_id = p_vip_user_id
                               AND r.driver_id = public.current_driver_id()
                               AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency'))
                    END, false) THEN
        RAISE EXCEPTION 'you may not report positions of this VIP' USING ERRCODE = '42501';
    END IF;

    IF v_count = 0 OR NOT EXISTS (SELECT FROM vip_data.geofences g WHERE g.vip_user_id = p_vip_user_id AND g.active) THEN
        RETURN 0;
    END IF;

    -- One tracker per VIP at a time (the VIP's phone and the driver's may report at once), so that
    -- both see each other's state; the lock ends with the transaction.
    PERFORM pg_advisory_xact_lock(hashtext('vip_data.track_geofences'), hashtext(p_vip_user_id::text));
    SELECT s.alert_dedup_window INTO STRICT v_window FROM vip_data.geofence_settings s WHERE s.id = 1;

    WITH fence AS (
        SELECT g.id, g.kind, g.shape, g.boundary, g.bounds, g.center_lng,
               sin(radians(g.center_lat)) AS sin_lat, cos(radians(g.center_lat)) AS cos_lat,
               cos(g.radius_m / 6378168.0) AS min_cos,
               coalesce(s.inside, false) AS was_inside, s.since, s.last_recorded_at
          FROM vip_data.geofences g
          LEFT JOIN vip_data.geofence_states s ON s.geofence_id = g.id
         WHERE g.vip_user_id = p_vip_user_id AND g.active
    ), ping AS (
        SELECT u.ord, u.at, u.lat, u.lng, point(u.lng, u.lat) AS pt
          FROM unnest(p_lats, p_lngs, p_recorded_at) WITH ORDINALITY AS u(lat, lng, at, ord)
    ), observation AS MATERIALIZED (  -- containment computed once, so the sort below carries narrow rows
        SELECT f.id AS geofence_id, f.kind, f.was_inside, f.since, p.at, p.ord,
               f.bounds @> p.pt
               AND CASE WHEN f.shape = 'polygon' THEN f.boundary @> p.pt
                        ELSE sin(radians(p.lat)) * f.sin_lat
                             + cos(radians(p.lat)) * f.cos_lat * cos(radians(p.lng - f.center_lng)) >= f.min_cos
                   END AS inside
          FROM fence f CROSS JOIN ping p
         WHERE f.last_recorded_at IS NULL OR p.at > f.last_recorded_at
    ), sequenced AS (
        SELECT o.*, lag(o.inside, 1, o.was_inside) OVER (PARTITION BY o.geofence_id ORDER BY o.at, o.ord) AS was
          FROM observation o
    ), transition AS (
        SELECT s.geofence_id, s.kind, s.inside, s.at, s.ord FROM sequenced s WHERE s.inside <> s.was
    ), logged AS (
        INSERT INTO vip_data.geofence_events (geofence_id, vip_user_id, event, occurred_at, reported_by, reporter_role)
        SELECT t.geofence_id, p_vip_user_id, CASE WHEN t.inside THEN 'enter' ELSE 'exit' END, t.at, v_caller, v_role
          FROM transition t
         ORDER BY t.at, t.ord
    ), state AS (
        INSERT INTO vip_data.geofence_states AS st (geofence_id, vip_user_id, inside, since, last_recorded_at)
        SELECT s.geofence_id, p_vip_user_id,
               (array_agg(s.inside ORDER BY s.at DESC, s.ord DESC))[1],
               coalesce(max(s.at) FILTER (WHERE s.inside <> s.was), min(s.since), min(s.at)),
               max(s.at)
          FROM sequenced s
         GROUP BY s.geofence_id
        ON CONFLICT (geofence_id) DO UPDATE
           SET inside = excluded.inside, since = excluded.since, last_recorded_at = excluded.last_recorded_at,
               updated_at = now()
    )
    SELECT array_agg(t.geofence_id ORDER BY t.geofence_id, t.at, t.ord),
           array_agg(t.kind ORDER BY t.geofence_id, t.at, t.ord),
           array_agg(t.at ORDER BY t.geofence_id, t.at, t.ord)
      INTO v_fences, v_kinds, v_times
      FROM transition t
     WHERE (t.kind = 'restricted' AND t.inside) OR (t.kind = 'safe' AND NOT t.inside);

    -- Alert triggers in time order per zone: join the open alert whose window holds the trigger, or raise one.
    FOR i IN 1 .. coalesce(cardinality(v_fences), 0) LOOP
        v_kind := CASE v_kinds[i] WHEN 'restricted' THEN 'geofence_enter_restricted' ELSE 'geofence_exit_safe' END;
        UPDATE vip_data.security_alerts a
           SET occurrences = a.occurrences + 1, last_seen_at = greatest(a.last_seen_at, v_times[i])
         WHERE a.geofence_id = v_fences[i] AND a.kind = v_kind AND a.acknowledged_at IS NULL
           AND tstzrange(a.raised_at, a.window_ends_at) @> v_times[i];
        IF NOT FOUND THEN
            INSERT INTO vip_data.security_alerts (kind, severity, vip_user_id, geofence_id, raised_at, last_seen_at,
                                                  window_ends_at)
            VALUES (v_kind, CASE v_kind WHEN 'geofence_enter_restricted' THEN 'high' ELSE 'medium' END, p_vip_user_id,
                    v_fences[i], v_times[i], v_times[i], v_times[i] + v_window);
            v_raised := v_raised + 1;
        END IF;
    END LOOP;
    RETURN v_raised;
END
$$;
COMMENT ON FUNCTION vip_data.track_geofences(uuid, double precision[], double precision[], timestamptz[]) IS
    'Processes a batch of one VIP''s positions in time order: records enter/exit transitions, raises de-duplicated alerts, returns how many alerts it raised. Caller: the VIP, the driver of their active ride, or vip_admin (else SQLSTATE 42501); bad input is SQLSTATE 22023.';

-- ---------------------------------------------------------------------------------------------
-- Privileges and row-level security
--   customer_user (the VIP): own zones (create, rename, deactivate), own states, events and alerts
--   vip_admin: every zone (create for VIP-tier users, rename, deactivate), states, events and alerts;
--              acknowledges open alerts; sets the de-duplication window
--   vip_operator: reads zones, alerts and settings
--   emergency_responder: alerts of VIPs with an open, unexpired emergency
--   audit_admin: reads every alert (they hold no coordinates), for security monitoring
--   driver_user: no table at all; reports positions of their active ride's VIP through track_geofences
--   nobody: updates or deletes events; deletes zones or alerts
-- ---------------------------------------------------------------------------------------------
GRANT USAGE ON SCHEMA vip_data TO driver_user, audit_admin;
GRANT EXECUTE ON FUNCTION vip_data.track_geofences(uuid, double precision[], double precision[], timestamptz[])
    TO customer_user, driver_user, vip_admin;
GRANT EXECUTE ON FUNCTION vip_data.is_vip_user(uuid) TO vip_admin, vip_operator;
-- The shape helpers run in the CHECK constraints and the generated column of whoever writes a zone.
GRANT EXECUTE ON FUNCTION vip_data.polygon_is_simple(polygon),
    vip_data.circle_bounds(double precision, double precision, double precision) TO customer_user, vip_admin;

ALTER TABLE vip_data.geofences ENABLE ROW LEVEL SECURITY;
ALTER TABLE vip_data.geofences FORCE ROW LEVEL SECURITY;
GRANT SELECT ON vip_data.geofences TO customer_user, vip_admin, vip_operator;
GRANT INSERT (vip_user_id, kind, name, shape, boundary, center_lat, center_lng, radius_m, created_by)
    ON vip_data.geofences TO customer_user, vip_admin;
GRANT UPDATE (name, active, deactivated_at, deactivated_by) ON vip_data.geofences TO customer_user, vip_admin;
CREATE POLICY geofences_select_customer_user ON vip_data.geofences FOR SELECT TO customer_user
    USING (vip_user_id = public.current_app_user_id());
-- A rider defines zones for themselves only, and only while VIP tier.
CREATE POLICY geofences_insert_customer_user ON vip_data.geofences FOR INSERT TO customer_user
    WITH CHECK (vip_user_id = public.current_app_user_id()
                AND created_by = public.current_app_user_id()
                AND (SELECT u.tier FROM public.users u WHERE u.id = public.current_app_user_id()) = 'vip');
CREATE POLICY geofences_update_customer_user ON vip_data.geofences FOR UPDATE TO customer_user
    USING (vip_user_id = public.current_app_user_id())
    WITH CHECK (vip_user_id = public.current_app_user_id()
                AND (deactivated_by IS NULL OR deactivated_by = public.current_app_user_id()));
CREATE POLICY geofences_select_vip_admin ON vip_data.geofences FOR SELECT TO vip_admin USING (true);
CREATE POLICY geofences_insert_vip_admin ON vip_data.geofences FOR INSERT TO vip_admin
    WITH CHECK (vip_data.is_vip_user(vip_user_id) AND created_by = public.current_app_user_id());
CREATE POLICY geofences_update_vip_admin ON vip_data.geofences FOR UPDATE TO vip_admin
    USING (true) WITH CHECK (deactivated_by IS NULL OR deactivated_by = public.current_app_user_id());
CREATE POLICY geofences_select_vip_operator ON vip_data.geofences FOR SELECT TO vip_operator USING (true);
-- track_geofences (SECURITY DEFINER, run as the owner) reads the VIP's zones.
CREATE POLICY geofences_select_owner ON vip_data.geofences FOR SELECT TO vipride_owner USING (true);

ALTER TABLE vip_data.geofence_states ENABLE ROW LEVEL SECURITY;
ALTER TABLE vip_data.geofence_states FORCE ROW LEVEL SECURITY;
GRANT SELECT ON vip_data.geofence_states TO customer_user, vip_admin;
CREATE POLICY geofence_states_select_customer_user ON vip_data.geofence_states FOR SELECT TO customer_user
    USING (vip_user_id = public.current_app_user_id());
CREATE POLICY geofence_states_select_vip_admin ON vip_data.geofence_states FOR SELECT TO vip_admin USING (true);
CREATE POLICY geofence_states_select_owner ON vip_data.geofence_states FOR SELECT TO vipride_owner USING (true);
CREATE POLICY geofence_states_insert_owner ON vip_data.geofence_states FOR INSERT TO vipride_owner WITH CHECK (true);
CREATE POLICY geofence_states_update_owner ON vip_data.geofence_states FOR UPDATE TO vipride_owner
    USING (true) WITH CHECK (true);

ALTER TABLE vip_data.geofence_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE vip_data.geofence_events FORCE ROW LEVEL SECURITY;
GRANT SELECT ON vip_data.geofence_events TO customer_user, vip_admin;
CREATE POLICY geofence_events_select_customer_user ON vip_data.geofence_events FOR SELECT TO customer_user
    USING (vip_user_id = public.current_app_user_id());
CREATE POLICY geofence_events_select_vip_admin ON vip_data.geofence_events FOR SELECT TO vip_admin USING (true);
CREATE POLICY geofence_events_insert_owner ON vip_data.geofence_events FOR INSERT TO vipride_owner WITH CHECK (true);

-- One row that VIP staff read and vip_admin tunes (every table in vip_data has row-level security).
ALTER TABLE vip_data.geofence_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE vip_data.geofence_settings FORCE ROW LEVEL SECURITY;
GRANT SELECT ON vip_data.geofence_settings TO vip_admin, vip_operator;
GRANT UPDATE (alert_dedup_window) ON vip_data.geofence_settings TO vip_admin;
CREATE POLICY geofence_settings_select_vip_admin ON vip_data.geofence_settings FOR SELECT TO vip_admin USING (true);
CREATE POLICY geofence_settings_update_vip_admin ON vip_data.geofence_settings FOR UPDATE TO vip_admin
    USING (true) WITH CHECK (true);
CREATE POLICY geofence_settings_select_vip_operator ON vip_data.geofence_settings FOR SELECT TO vip_operator USING (true);
CREATE POLICY geofence_settings_select_owner ON vip_data.geofence_settings FOR SELECT TO vipride_owner USING (true);

ALTER TABLE vip_data.security_alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE vip_data.security_alerts FORCE ROW LEVEL SECURITY;
GRANT SELECT ON vip_data.security_alerts TO customer_user, vip_admin, vip_operator, emergency_responder, audit_admin;
GRANT UPDATE (acknowledged_at, acknowledged_by) ON vip_data.security_alerts TO vip_admin;
CREATE POLICY security_alerts_select_customer_user ON vip_data.security_alerts FOR SELECT TO customer_user
    USING (vip_user_id = public.current_app_user_id());
CREATE POLICY security_alerts_select_vip_admin ON vip_data.security_alerts FOR SELECT TO vip_admin USING (true);
-- Acknowledging: once, in one's own name.
CREATE POLICY security_alerts_update_vip_admin ON vip_data.security_alerts FOR UPDATE TO vip_admin
    USING (acknowledged_at IS NULL)
    WITH CHECK (acknowledged_at IS NOT NULL AND acknowledged_by = public.current_app_user_id());
CREATE POLICY security_alerts_select_vip_operator ON vip_data.security_alerts FOR SELECT TO vip_operator USING (true);
CREATE POLICY security_alerts_select_emergency_responder ON vip_data.security_alerts FOR SELECT TO emergency_responder
    USING (vip_user_id = ANY ((SELECT vip_data.active_emergency_vip_ids())::uuid[]));
CREATE POLICY security_alerts_select_audit_admin ON vip_data.security_alerts FOR SELECT TO audit_admin USING (true);
CREATE POLICY security_alerts_select_owner ON vip_data.security_alerts FOR SELECT TO vipride_owner USING (true);
CREATE POLICY security_alerts_insert_owner ON vip_data.security_alerts FOR INSERT TO vipride_owner WITH CHECK (true);
CREATE POLICY security_alerts_update_owner ON vip_data.security_alerts FOR UPDATE TO vipride_owner
    USING (true) WITH CHECK (true);

-- system_admin acts on account attacks (it (de)activates accounts), so it reads the security-relevant
-- authentication events: who and when, never the client address or user agent.
GRANT SELECT (id, user_id, event, occurred_at) ON audit.auth_events TO system_admin;
CREATE POLICY auth_events_select_system_admin ON audit.auth_events FOR SELECT TO system_admin
    USING (event IN ('login_failed', 'account_locked', 'refresh_token_reused'));

-- ---------------------------------------------------------------------------------------------
-- monitoring.security_alerts
-- Each source is an invoker-rights function: a reader without privilege on the source gets no rows
-- from it (instead of an error for the whole view); a reader with privilege gets the rows their own
-- row-level security allows.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION monitoring.geofence_alert_signals()
    RETURNS TABLE (alert_time timestamptz, severity text, category text, subject_user_id uuid, detail text,
                   reference text)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT (has_schema_privilege('vip_data', 'USAGE')
            AND has_table_privilege('vip_data.security_alerts', 'SELECT')) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT a.raised_at, a.severity, a.kind, a.vip_user_id,
           format('%s (geofence %s): %s time(s), last at %s',
                  CASE a.kind WHEN 'geofence_exit_safe' THEN 'Left a safe zone' ELSE 'Entered a restricted zone' END,
                  a.geofence_id, a.occurrences, a.last_seen_at),
           'security_alert:' || a.id
      FROM vip_data.security_alerts a
     WHERE a.acknowledged_at IS NULL;
END
$$;
COMMENT ON FUNCTION monitoring.geofence_alert_signals() IS
    'Open geofence alerts the caller may read (none without privilege on vip_data.security_alerts).';

CREATE FUNCTION monitoring.emergency_alert_signals()
    RETURNS TABLE (alert_time timestamptz, severity text, category text, subject_user_id uuid, detail text,
                   reference text)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT (has_schema_privilege('vip_data', 'USAGE')
            AND has_table_privilege('vip_data.emergency_incidents', 'SELECT')) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT i.opened_at, CASE WHEN i.severity >= 4 THEN 'critical' ELSE 'high' END, 'emergency_override'::text,
           i.vip_user_id,
           format('Open %s emergency, severity %s; responders may access the VIP''s data until %s',
                  i.kind, i.severity, i.access_expires_at),
           'emergency_incident:' || i.id
      FROM vip_data.emergency_incidents i
     WHERE i.status = 'open';
END
$$;
COMMENT ON FUNCTION monitoring.emergency_alert_signals() IS
    'Open emergency incidents (emergency override in force) the caller may read.';

CREATE FUNCTION monitoring.auth_alert_signals()
    RETURNS TABLE (alert_time timestamptz, severity text, category text, subject_user_id uuid, detail text,
                   reference text)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT (has_schema_privilege('audit', 'USAGE')
            AND has_column_privilege('audit.auth_events', 'id', 'SELECT')
            AND has_column_privilege('audit.auth_events', 'user_id', 'SELECT')
            AND has_column_privilege('audit.auth_events', 'event', 'SELECT')
            AND has_column_privilege('audit.auth_events', 'occurred_at', 'SELECT')) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT e.occurred_at, 'medium'::text, 'account_locked'::text, e.user_id,
           'Account locked after repeated wrong passwords'::text, 'auth_event:' || e.id
      FROM audit.auth_events e
     WHERE e.event = 'account_locked' AND e.occurred_at > now() - interval '24 hours'
    UNION ALL
    SELECT max(e.occurred_at), CASE WHEN count(*) >= 10 THEN 'high' ELSE 'low' END, 'login_failures'::text, e.user_id,
           format('%s failed logins in the last hour', count(*)), NULL::text
      FROM audit.auth_events e
     WHERE e.event = 'login_failed' AND e.occurred_at > now() - interval '1 hour' AND e.user_id IS NOT NULL
     GROUP BY e.user_id
    HAVING count(*) >= 3
    UNION ALL
    SELECT e.occurred_at, 'high'::text, 'refresh_token_reused'::text, e.user_id,
           'A used refresh token was presented again; the whole session was revoked'::text, 'auth_event:' || e.id
      FROM audit.auth_events e
     WHERE e.event = 'refresh_token_reused' AND e.occurred_at > now() - interval '24 hours';
END
$$;
COMMENT ON FUNCTION monitoring.auth_alert_signals() IS
    'Account lock-outs and refresh-token reuse (last 24 h) and failed-login bursts (>= 3 in the last hour) the caller may read.';

CREATE VIEW monitoring.security_alerts WITH (security_invoker = true) AS
SELECT g.alert_time, g.severity, g.category, g.subject_user_id, g.detail, g.reference
  FROM monitoring.geofence_alert_signals() g
UNION ALL
SELECT e.alert_time, e.severity, e.category, e.subject_user_id, e.detail, e.reference
  FROM monitoring.emergency_alert_signals() e
UNION ALL
SELECT a.alert_time, a.severity, a.category, a.subject_user_id, a.detail, a.reference
  FROM monitoring.auth_alert_signals() a;
COMMENT ON VIEW monitoring.security_alerts IS
    'Security signals in one list: open geofence alerts, open emergencies, account lock-outs, failed-login bursts, refresh-token reuse. Each reader sees only what their own privileges and row-level security allow.';

GRANT USAGE ON SCHEMA monitoring TO audit_admin, system_admin, vip_admin;
GRANT EXECUTE ON FUNCTION monitoring.geofence_alert_signals(), monitoring.emergency_alert_signals(),
    monitoring.auth_alert_signals() TO audit_admin, system_admin, vip_admin;
GRANT SELECT ON monitoring.security_alerts TO audit_admin, system_admin, vip_admin;
