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
