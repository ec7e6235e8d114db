-- Part 03 — VIP data, isolated in its own schema. Sensitive fields are stored only as ciphertext
-- (bytea, AES-256-GCM envelopes produced by the service's key management; see the VIP data issue).
-- Location history is partitioned by month on recorded_at.

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

CREATE TRIGGER vip_profiles_touch_updated_at BEFORE UPDATE ON vip_data.vip_profiles
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

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

CREATE FUNCTION vip_data.create_monthly_location_partition(p_month date) RETURNS text
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT maintenance.create_monthly_partition('vip_data.vip_location_history'::regclass, p_month)
$$;
COMMENT ON FUNCTION vip_data.create_monthly_location_partition(date) IS
    'Idempotently creates the location-history partition for the month containing p_month.';

SELECT maintenance.ensure_partitions_ahead('vip_data.vip_location_history'::regclass);

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

-- Since when a responder may see this VIP's data, or NULL when no emergency is active. SECURITY
-- DEFINER so that a policy can consult incidents without the caller reading the table itself.
CREATE FUNCTION vip_data.emergency_access_since(p_vip_user_id uuid) RETURNS timestamptz
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT min(i.opened_at) - interval '15 minutes'
      FROM vip_data.emergency_incidents i
     WHERE i.vip_user_id = p_vip_user_id AND i.status = 'open' AND i.access_expires_at > now()
$$;
COMMENT ON FUNCTION vip_data.emergency_access_since(uuid) IS
    'Start of the location window responders may see (15 minutes before the incident), NULL without an active emergency.';

CREATE FUNCTION vip_data.active_emergency_vip_ids() RETURNS uuid[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(array_agg(DISTINCT i.vip_user_id), '{}')
      FROM vip_data.emergency_incidents i
     WHERE i.status = 'open' AND i.access_expires_at > now()
$$;
COMMENT ON FUNCTION vip_data.active_emergency_vip_ids() IS
    'VIPs with an open, unexpired emergency; policies call it once per statement.';
