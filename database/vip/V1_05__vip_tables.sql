-- V1_05__vip_tables.sql — VIP data, isolated in the vip_data schema: profiles, location history
-- (partitioned by month on recorded_at), emergency incidents, the wrapped subject keys, geofences and
-- their states, events, settings and security alerts. Sensitive fields are stored only as ciphertext
-- (bytea, AES-256-GCM envelopes made by the service); events and alerts carry the geofence id, never
-- coordinates. The shape helpers a CHECK uses (polygon_is_simple, circle_bounds) live here, before
-- their tables.
-- Rules: money is integer minor units beside an ISO-4217 code; every timestamp is timestamptz; RLS is
-- enabled and FORCED on every table (the policies live in the repeatable file).

CREATE TABLE vip_data.vip_profiles (
    id                         uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id                    uuid        NOT NULL,
    priority_level             smallint    NOT NULL DEFAULT 1,
    clearance_level            text        NOT NULL DEFAULT 'corporate',
    threat_level               text        NOT NULL DEFAULT 'low',
    requires_security_escort   boolean     NOT NULL DEFAULT false,
    home_address_enc           bytea,
    emergency_contacts_enc     bytea,
    medical_notes_enc          bytea,
    preferences_enc            bytea,
    security_notes_enc         bytea,
    last_reviewed_at           timestamptz,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT vip_profiles_pkey PRIMARY KEY (id),
    CONSTRAINT vip_profiles_user_key UNIQUE (user_id),
    CONSTRAINT vip_profiles_user_fk FOREIGN KEY (user_id) REFERENCES public.users (id),
    CONSTRAINT vip_profiles_priority_chk CHECK (priority_level BETWEEN 1 AND 5),
    CONSTRAINT vip_profiles_clearance_chk CHECK (clearance_level IN ('government', 'corporate', 'celebrity')),
    CONSTRAINT vip_profiles_threat_chk CHECK (threat_level IN ('low', 'medium', 'high', 'critical'))
);

COMMENT ON TABLE vip_data.vip_profiles IS
    'One profile per VIP user, found by user_id through vip_profiles_user_key. *_enc columns hold ciphertext only.';

CREATE TABLE vip_data.vip_location_history (
    id                     uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id                uuid        NOT NULL,
    ride_id                uuid,
    ride_requested_at      timestamptz,
    encrypted_coordinates  bytea       NOT NULL,
    accuracy_m             real,
    speed_kmh              real,
    heading_deg            real,
    location_type          text        NOT NULL DEFAULT 'routine',
    recorded_at            timestamptz NOT NULL,
    received_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT vip_location_history_pkey PRIMARY KEY (id, recorded_at),
    CONSTRAINT vip_location_history_user_fk FOREIGN KEY (user_id) REFERENCES public.users (id),
    CONSTRAINT vip_location_history_ride_pair_chk CHECK ((ride_id IS NULL) = (ride_requested_at IS NULL)),
    CONSTRAINT vip_location_history_accuracy_chk CHECK (accuracy_m IS NULL OR accuracy_m >= 0),
    CONSTRAINT vip_location_history_speed_chk CHECK (speed_kmh IS NULL OR speed_kmh BETWEEN 0 AND 400),
    CONSTRAINT vip_location_history_heading_chk CHECK (heading_deg IS NULL OR (heading_deg >= 0 AND heading_deg < 360)),
    CONSTRAINT vip_location_history_type_chk CHECK (location_type IN ('pickup', 'dropoff', 'waypoint', 'emergency', 'routine'))
) PARTITION BY RANGE (recorded_at);

COMMENT ON TABLE vip_data.vip_location_history IS
    'VIP positions, coordinates encrypted; monthly partitions on recorded_at (UTC months).';

CREATE INDEX vip_location_history_user_time_idx ON vip_data.vip_location_history (user_id, recorded_at DESC);

CREATE INDEX vip_location_history_ride_idx ON vip_data.vip_location_history (ride_id) WHERE ride_id IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- Emergency incidents: while one is open, emergency responders may see that VIP's emergency-relevant
-- profile fields and their recent locations — and only until access_expires_at, a hard bound even
-- if nobody resolves the incident.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE vip_data.emergency_incidents (
    id                   uuid        NOT NULL DEFAULT gen_random_uuid(),
    vip_user_id          uuid        NOT NULL,
    ride_id              uuid,
    ride_requested_at    timestamptz,
    raised_by            uuid        NOT NULL,
    kind                 text        NOT NULL,
    severity             smallint    NOT NULL DEFAULT 3,
    status               text        NOT NULL DEFAULT 'open',
    opened_at            timestamptz NOT NULL DEFAULT now(),
    access_expires_at    timestamptz NOT NULL DEFAULT now() + interval '4 hours',
    acknowledged_at      timestamptz,
    acknowledged_by      uuid,
    resolved_at          timestamptz,
    resolved_by          uuid,
    resolution_note      text,
    CONSTRAINT emergency_incidents_pkey PRIMARY KEY (id),
    CONSTRAINT emergency_incidents_vip_fk FOREIGN KEY (vip_user_id) REFERENCES public.users (id),
    CONSTRAINT emergency_incidents_raised_by_fk FOREIGN KEY (raised_by) REFERENCES public.users (id),
    CONSTRAINT emergency_incidents_ack_by_fk FOREIGN KEY (acknowledged_by) REFERENCES public.users (id),
    CONSTRAINT emergency_incidents_resolved_by_fk FOREIGN KEY (resolved_by) REFERENCES public.users (id),
    CONSTRAINT emergency_incidents_ride_pair_chk CHECK ((ride_id IS NULL) = (ride_requested_at IS NULL)),
    CONSTRAINT emergency_incidents_kind_chk CHECK (kind IN ('panic_button', 'medical', 'security', 'vehicle_breakdown', 'geofence')),
    CONSTRAINT emergency_incidents_severity_chk CHECK (severity BETWEEN 1 AND 5),
    CONSTRAINT emergency_incidents_status_chk CHECK (status IN ('open', 'resolved', 'false_alarm')),
    CONSTRAINT emergency_incidents_window_chk CHECK (access_expires_at > opened_at
                                                     AND access_expires_at <= opened_at + interval '24 hours'),
    CONSTRAINT emergency_incidents_resolved_chk CHECK ((status = 'open') = (resolved_at IS NULL))
);

COMMENT ON TABLE vip_data.emergency_incidents IS
    'VIP emergencies. An open, unexpired incident is what grants emergency responders access to that VIP.';

CREATE INDEX emergency_incidents_active_idx ON vip_data.emergency_incidents (vip_user_id, access_expires_at)
    WHERE status = 'open';

-- ---------------------------------------------------------------------------------------------
-- VIP data
--   vip_admin: full access; vip_operator: read profiles, nothing else, no writes;
--   emergency_responder: only VIPs with an open, unexpired emergency, only the emergency-relevant
--   profile columns and only locations since the incident (less 15 minutes);
--   customer_user: own profile's self-service columns, own locations, own incidents (and raise one).
--   Nobody else: no USAGE on the schema at all.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE vip_data.vip_profiles ENABLE ROW LEVEL SECURITY;

ALTER TABLE vip_data.vip_profiles FORCE ROW LEVEL SECURITY;

ALTER TABLE vip_data.vip_location_history ENABLE ROW LEVEL SECURITY;

ALTER TABLE vip_data.vip_location_history FORCE ROW LEVEL SECURITY;

ALTER TABLE vip_data.emergency_incidents ENABLE ROW LEVEL SECURITY;

ALTER TABLE vip_data.emergency_incidents FORCE ROW LEVEL SECURITY;

CREATE TABLE vip_data.subject_keys (
    subject_id      uuid        NOT NULL,
    keyset_enc      bytea       NOT NULL,
    master_key_id   text        NOT NULL,
    version         integer     NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT subject_keys_pkey PRIMARY KEY (subject_id),
    CONSTRAINT subject_keys_version_chk CHECK (version >= 1),
    CONSTRAINT subject_keys_keyset_chk CHECK (length(keyset_enc) BETWEEN 32 AND 65536)
);

-- No foreign key to users: the nil subject holds the key for ad-hoc SQL encryption, and a subject's
-- key must be deletable independently of the account (erasure by crypto-shredding).
COMMENT ON TABLE vip_data.subject_keys IS
    'Per-subject data keys (Tink keysets), stored only wrapped by the master key that lives outside the database.';

ALTER TABLE vip_data.subject_keys ENABLE ROW LEVEL SECURITY;

ALTER TABLE vip_data.subject_keys FORCE ROW LEVEL SECURITY;

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

ALTER TABLE vip_data.geofences ENABLE ROW LEVEL SECURITY;

ALTER TABLE vip_data.geofences FORCE ROW LEVEL SECURITY;

ALTER TABLE vip_data.geofence_states ENABLE ROW LEVEL SECURITY;

ALTER TABLE vip_data.geofence_states FORCE ROW LEVEL SECURITY;

ALTER TABLE vip_data.geofence_events ENABLE ROW LEVEL SECURITY;

ALTER TABLE vip_data.geofence_events FORCE ROW LEVEL SECURITY;

-- One row that VIP staff read and vip_admin tunes (every table in vip_data has row-level security).
ALTER TABLE vip_data.geofence_settings ENABLE ROW LEVEL SECURITY;

ALTER TABLE vip_data.geofence_settings FORCE ROW LEVEL SECURITY;

ALTER TABLE vip_data.security_alerts ENABLE ROW LEVEL SECURITY;

ALTER TABLE vip_data.security_alerts FORCE ROW LEVEL SECURITY;

