-- R__04_vip.sql — VIP protection: envelope-encryption key handling (data keys per VIP subject, stored
-- only wrapped by a master key that never enters the database; deleting a subject's key erases that
-- subject's VIP data everywhere, backups included), emergency access, geofence tracking
-- (track_geofences: transitions and de-duplicated security alerts), and the policies and grants of the
-- vip_data tables.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'vip_data.vip_profiles',
    'vip_data.vip_location_history',
    'vip_data.emergency_incidents',
    'vip_data.subject_keys',
    'vip_data.geofences',
    'vip_data.geofence_states',
    'vip_data.geofence_events',
    'vip_data.geofence_settings',
    'vip_data.security_alerts');

CREATE OR REPLACE FUNCTION vip_data.create_monthly_location_partition(p_month date) RETURNS text
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT maintenance.create_monthly_partition('vip_data.vip_location_history'::regclass, p_month)
$$;

-- Since when a responder may see this VIP's data, or NULL when no emergency is active. SECURITY
-- DEFINER so that a policy can consult incidents without the caller reading the table itself.
CREATE OR REPLACE FUNCTION vip_data.emergency_access_since(p_vip_user_id uuid) RETURNS timestamptz
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT min(i.opened_at) - interval '15 minutes'
      FROM vip_data.emergency_incidents i
     WHERE i.vip_user_id = p_vip_user_id AND i.status = 'open' AND i.access_expires_at > now()
$$;

CREATE OR REPLACE FUNCTION vip_data.active_emergency_vip_ids() RETURNS uuid[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(array_agg(DISTINCT i.vip_user_id), '{}')
      FROM vip_data.emergency_incidents i
     WHERE i.status = 'open' AND i.access_expires_at > now()
$$;

-- Whether the caller may encrypt or decrypt this subject's data at all: VIP staff, system jobs,
-- a responder during the subject's active emergency, the VIP themselves, or the driver of their
-- active ride. Reading a wrapped key is harmless without the master key; this keeps even that tight.
CREATE OR REPLACE FUNCTION vip_data.may_handle_subject(p_subject uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT CASE audit.acting_role()
        WHEN 'vip_admin' THEN true
        WHEN 'vip_operator' THEN true
        WHEN 'system_admin' THEN true
        WHEN 'emergency_responder' THEN p_subject = ANY (vip_data.active_emergency_vip_ids())
        WHEN 'customer_user' THEN p_subject = public.current_app_user_id()
        WHEN 'driver_user' THEN EXISTS (
            SELECT FROM public.rides r
             WHERE r.customer_id = p_subject AND r.driver_id = public.current_driver_id()
               AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency'))
        ELSE false
    END
$$;

CREATE OR REPLACE FUNCTION vip_data.subject_key(p_subject uuid)
    RETURNS TABLE (keyset_enc bytea, master_key_id text, version integer)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT vip_data.may_handle_subject(p_subject) THEN
        RAISE EXCEPTION 'not allowed to use the data key of this subject' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY SELECT k.keyset_enc, k.master_key_id, k.version FROM vip_data.subject_keys k WHERE k.subject_id = p_subject;
END
$$;

-- Stores a new subject's first wrapped key, or returns the one a concurrent caller stored first.
CREATE OR REPLACE FUNCTION vip_data.create_subject_key(p_subject uuid, p_keyset_enc bytea, p_master_key_id text)
    RETURNS TABLE (keyset_enc bytea, master_key_id text, version integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT vip_data.may_handle_subject(p_subject) OR audit.acting_role() = 'vip_operator' THEN
        RAISE EXCEPTION 'not allowed to create the data key of this subject' USING ERRCODE = '42501';
    END IF;
    INSERT INTO vip_data.subject_keys (subject_id, keyset_enc, master_key_id)
    VALUES (p_subject, p_keyset_enc, p_master_key_id)
    ON CONFLICT (subject_id) DO NOTHING;
    RETURN QUERY SELECT k.keyset_enc, k.master_key_id, k.version FROM vip_data.subject_keys k WHERE k.subject_id = p_subject;
END
$$;

-- Replaces a subject's wrapped keyset after rotation or re-wrapping, optimistically: it succeeds only
-- if nobody replaced it since the caller read version p_expected_version.
CREATE OR REPLACE FUNCTION vip_data.replace_subject_key(p_subject uuid, p_keyset_enc bytea, p_master_key_id text,
                                              p_expected_version integer) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF audit.acting_role() NOT IN ('vip_admin', 'system_admin') THEN
        RAISE EXCEPTION 'only VIP administrators and system jobs rotate keys' USING ERRCODE = '42501';
    END IF;
    UPDATE vip_data.subject_keys
       SET keyset_enc = p_keyset_enc, master_key_id = p_master_key_id, version = version + 1
     WHERE subject_id = p_subject AND version = p_expected_version;
    RETURN FOUND;
END
$$;

-- Erasure by crypto-shredding: once the wrapped key is gone, every ciphertext of the subject — in the
-- live tables, the archive and every backup — is unreadable.
CREATE OR REPLACE FUNCTION vip_data.shred_subject_key(p_subject uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF audit.acting_role() NOT IN ('compliance_officer', 'system_admin', 'vip_admin') THEN
        RAISE EXCEPTION 'only compliance, VIP and system administrators erase keys' USING ERRCODE = '42501';
    END IF;
    DELETE FROM vip_data.subject_keys WHERE subject_id = p_subject;
    RETURN FOUND;
END
$$;

-- Subjects whose wrapped key was made under another master key than p_current (master-key rotation).
CREATE OR REPLACE FUNCTION vip_data.subjects_wrapped_under_other_master(p_current text, p_limit integer)
    RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF audit.acting_role() NOT IN ('vip_admin', 'system_admin') THEN
        RAISE EXCEPTION 'only VIP administrators and system jobs re-wrap keys' USING ERRCODE = '42501';
    END IF;
    RETURN QUERY SELECT k.subject_id FROM vip_data.subject_keys k WHERE k.master_key_id <> p_current
                  ORDER BY k.subject_id LIMIT p_limit;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- The spec's SQL functions. They work on exactly the envelopes the service writes (AES-256-GCM under
-- the subject's data key, bound to table, column and row) by asking the VIP crypto agent — the only
-- place where the master key is. A DBA without a VIP role cannot use them; each decryption is checked
-- against who may handle that VIP and logged in audit.vip_access_log before anything is returned.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.encrypt_vip_data(p_data text,
                                        p_subject uuid DEFAULT '00000000-0000-0000-0000-000000000000',
                                        p_context text DEFAULT 'adhoc')
    RETURNS bytea
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    IF p_data IS NULL THEN
        RETURN NULL;
    END IF;
    IF p_subject <> '00000000-0000-0000-0000-000000000000' AND NOT vip_data.may_handle_subject(p_subject) THEN
        RAISE EXCEPTION 'not allowed to encrypt for this VIP' USING ERRCODE = '42501';
    END IF;
    RETURN vip_crypto.call_agent('encrypt', convert_to(p_data, 'UTF8'), p_subject, p_context);
END
$$;

CREATE OR REPLACE FUNCTION public.decrypt_vip_data(p_ciphertext bytea, p_purpose text DEFAULT 'SQL decrypt_vip_data')
    RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    v_subject uuid;
BEGIN
    IF p_ciphertext IS NULL THEN
        RETURN NULL;
    END IF;
    IF length(p_ciphertext) < 24 OR get_byte(p_ciphertext, 0) <> 1 THEN
        RAISE EXCEPTION 'not a VIP ciphertext' USING ERRCODE = '22023';
    END IF;
    v_subject := encode(substring(p_ciphertext FROM 2 FOR 16), 'hex')::uuid;
    IF NOT vip_data.may_handle_subject(v_subject) THEN
        RAISE EXCEPTION 'not allowed to decrypt this VIP''s data' USING ERRCODE = '42501';
    END IF;
    IF v_subject <> '00000000-0000-0000-0000-000000000000' THEN
        PERFORM audit.log_vip_access(v_subject, 'sql:decrypt_vip_data', p_purpose,
            (SELECT i.id FROM vip_data.emergency_incidents i
              WHERE audit.acting_role() = 'emergency_responder' AND i.vip_user_id = v_subject AND i.status = 'open'
                AND i.access_expires_at > now() ORDER BY i.opened_at DESC LIMIT 1));
    END IF;
    RETURN convert_from(vip_crypto.call_agent('decrypt', p_ciphertext, v_subject, 'sql'), 'UTF8');
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Who is a VIP, for vip_admin's policies and the API (vip_admin cannot read other users' rows).
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION vip_data.is_vip_user(p_user_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT EXISTS (SELECT FROM public.users u
                    WHERE u.id = p_user_id AND u.tier = 'vip' AND u.deleted_at IS NULL)
$$;

-- ---------------------------------------------------------------------------------------------
-- Tracking: the ingest path's one call per batch.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION vip_data.track_geofences(p_vip_user_id uuid, p_lats double precision[], p_lngs double precision[],
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

COMMENT ON FUNCTION vip_data.create_monthly_location_partition(date) IS
    'Idempotently creates the location-history partition for the month containing p_month.';

SELECT maintenance.ensure_partitions_ahead('vip_data.vip_location_history'::regclass);

COMMENT ON FUNCTION vip_data.emergency_access_since(uuid) IS
    'Start of the location window responders may see (15 minutes before the incident), NULL without an active emergency.';

COMMENT ON FUNCTION vip_data.active_emergency_vip_ids() IS
    'VIPs with an open, unexpired emergency; policies call it once per statement.';

SELECT audit.enable_audit('vip_data.vip_profiles');

SELECT audit.enable_audit('vip_data.emergency_incidents');

GRANT USAGE ON SCHEMA vip_data TO vip_admin, vip_operator, emergency_responder, customer_user;

GRANT EXECUTE ON FUNCTION vip_data.active_emergency_vip_ids(), vip_data.emergency_access_since(uuid)
    TO emergency_responder;

GRANT EXECUTE ON FUNCTION vip_data.create_monthly_location_partition(date) TO system_admin;

GRANT SELECT, INSERT, UPDATE, DELETE ON vip_data.vip_profiles TO vip_admin;

GRANT SELECT ON vip_data.vip_profiles TO vip_operator;

GRANT SELECT (id, user_id, priority_level, requires_security_escort, emergency_contacts_enc, medical_notes_enc)
    ON vip_data.vip_profiles TO emergency_responder;

GRANT SELECT (id, user_id, priority_level, requires_security_escort, home_address_enc, emergency_contacts_enc,
              medical_notes_enc, preferences_enc, created_at, updated_at)
    ON vip_data.vip_profiles TO customer_user;

GRANT UPDATE (home_address_enc, emergency_contacts_enc, medical_notes_enc, preferences_enc)
    ON vip_data.vip_profiles TO customer_user;

CREATE POLICY vip_profiles_select_vip_admin ON vip_data.vip_profiles FOR SELECT TO vip_admin USING (true);

CREATE POLICY vip_profiles_insert_vip_admin ON vip_data.vip_profiles FOR INSERT TO vip_admin WITH CHECK (true);

CREATE POLICY vip_profiles_update_vip_admin ON vip_data.vip_profiles FOR UPDATE TO vip_admin USING (true) WITH CHECK (true);

CREATE POLICY vip_profiles_delete_vip_admin ON vip_data.vip_profiles FOR DELETE TO vip_admin USING (true);

CREATE POLICY vip_profiles_select_vip_operator ON vip_data.vip_profiles FOR SELECT TO vip_operator USING (true);

CREATE POLICY vip_profiles_select_emergency_responder ON vip_data.vip_profiles FOR SELECT TO emergency_responder
    USING (user_id = ANY ((SELECT vip_data.active_emergency_vip_ids())::uuid[]));

CREATE POLICY vip_profiles_select_customer_user ON vip_data.vip_profiles FOR SELECT TO customer_user
    USING (user_id = public.current_app_user_id());

CREATE POLICY vip_profiles_update_customer_user ON vip_data.vip_profiles FOR UPDATE TO customer_user
    USING (user_id = public.current_app_user_id()) WITH CHECK (user_id = public.current_app_user_id());

GRANT SELECT, INSERT, UPDATE, DELETE ON vip_data.vip_location_history TO vip_admin;

GRANT SELECT ON vip_data.vip_location_history TO emergency_responder;

GRANT SELECT, INSERT ON vip_data.vip_location_history TO customer_user;

CREATE POLICY vip_location_history_select_vip_admin ON vip_data.vip_location_history FOR SELECT TO vip_admin USING (true);

CREATE POLICY vip_location_history_insert_vip_admin ON vip_data.vip_location_history FOR INSERT TO vip_admin WITH CHECK (true);

CREATE POLICY vip_location_history_update_vip_admin ON vip_data.vip_location_history FOR UPDATE TO vip_admin
    USING (true) WITH CHECK (true);

CREATE POLICY vip_location_history_delete_vip_admin ON vip_data.vip_location_history FOR DELETE TO vip_admin USING (true);

CREATE POLICY vip_location_history_select_emergency_responder ON vip_data.vip_location_history FOR SELECT
    TO emergency_responder
    USING (user_id = ANY ((SELECT vip_data.active_emergency_vip_ids())::uuid[])
           AND recorded_at >= vip_data.emergency_access_since(user_id));

CREATE POLICY vip_location_history_select_customer_user ON vip_data.vip_location_history FOR SELECT TO customer_user
    USING (user_id = public.current_app_user_id());

CREATE POLICY vip_location_history_insert_customer_user ON vip_data.vip_location_history FOR INSERT TO customer_user
    WITH CHECK (user_id = public.current_app_user_id());

GRANT SELECT, INSERT, UPDATE ON vip_data.emergency_incidents TO vip_admin;

GRANT SELECT ON vip_data.emergency_incidents TO emergency_responder, customer_user;

GRANT UPDATE (acknowledged_at, acknowledged_by, status, resolved_at, resolved_by, resolution_note)
    ON vip_data.emergency_incidents TO emergency_responder;

GRANT INSERT (id, vip_user_id, ride_id, ride_requested_at, raised_by, kind, severity, opened_at, access_expires_at)
    ON vip_data.emergency_incidents TO customer_user;

CREATE POLICY emergency_incidents_select_vip_admin ON vip_data.emergency_incidents FOR SELECT TO vip_admin USING (true);

CREATE POLICY emergency_incidents_insert_vip_admin ON vip_data.emergency_incidents FOR INSERT TO vip_admin WITH CHECK (true);

CREATE POLICY emergency_incidents_update_vip_admin ON vip_data.emergency_incidents FOR UPDATE TO vip_admin
    USING (true) WITH CHECK (true);

-- Responders also see incidents resolved within the hour (metadata only: data access needs an open one),
-- which is also what lets them resolve one (PostgreSQL checks the updated row against SELECT policies).
CREATE POLICY emergency_incidents_select_emergency_responder ON vip_data.emergency_incidents FOR SELECT
    TO emergency_responder
    USING (access_expires_at > now() AND (status = 'open' OR resolved_at > now() - interval '1 hour'));

CREATE POLICY emergency_incidents_update_emergency_responder ON vip_data.emergency_incidents FOR UPDATE
    TO emergency_responder USING (status = 'open' AND access_expires_at > now()) WITH CHECK (true);

CREATE POLICY emergency_incidents_select_customer_user ON vip_data.emergency_incidents FOR SELECT TO customer_user
    USING (vip_user_id = public.current_app_user_id());

CREATE POLICY emergency_incidents_insert_customer_user ON vip_data.emergency_incidents FOR INSERT TO customer_user
    WITH CHECK (vip_user_id = public.current_app_user_id() AND raised_by = public.current_app_user_id());

CREATE POLICY emergency_incidents_select_owner ON vip_data.emergency_incidents FOR SELECT TO vipride_owner USING (true);

SELECT audit.enable_audit('vip_data.subject_keys', 'subject_id');

CREATE POLICY subject_keys_select_owner ON vip_data.subject_keys FOR SELECT TO vipride_owner USING (true);

CREATE POLICY subject_keys_insert_owner ON vip_data.subject_keys FOR INSERT TO vipride_owner WITH CHECK (true);

CREATE POLICY subject_keys_update_owner ON vip_data.subject_keys FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY subject_keys_delete_owner ON vip_data.subject_keys FOR DELETE TO vipride_owner USING (true);

GRANT USAGE ON SCHEMA vip_data TO driver_user, system_admin, compliance_officer;

GRANT EXECUTE ON FUNCTION vip_data.subject_key(uuid), vip_data.create_subject_key(uuid, bytea, text)
    TO vip_admin, vip_operator, emergency_responder, customer_user, driver_user, system_admin;

GRANT EXECUTE ON FUNCTION vip_data.replace_subject_key(uuid, bytea, text, integer),
    vip_data.subjects_wrapped_under_other_master(text, integer) TO vip_admin, system_admin;

GRANT EXECUTE ON FUNCTION vip_data.shred_subject_key(uuid) TO compliance_officer, system_admin, vip_admin;

-- ---------------------------------------------------------------------------------------------
-- Drivers on a VIP's active ride report the VIP's position and may raise an emergency for them.
-- ---------------------------------------------------------------------------------------------
GRANT INSERT ON vip_data.vip_location_history TO driver_user;

CREATE POLICY vip_location_history_insert_driver_user ON vip_data.vip_location_history FOR INSERT TO driver_user
    WITH CHECK (EXISTS (SELECT FROM public.rides r
                         WHERE r.customer_id = vip_location_history.user_id
                           AND r.driver_id = (SELECT public.current_driver_id())
                           AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency')));

GRANT INSERT (id, vip_user_id, ride_id, ride_requested_at, raised_by, kind, severity, opened_at, access_expires_at)
    ON vip_data.emergency_incidents TO driver_user;

CREATE POLICY emergency_incidents_insert_driver_user ON vip_data.emergency_incidents FOR INSERT TO driver_user
    WITH CHECK (raised_by = public.current_app_user_id()
                AND EXISTS (SELECT FROM public.rides r
                             WHERE r.customer_id = emergency_incidents.vip_user_id
                               AND r.driver_id = (SELECT public.current_driver_id())
                               AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency')));

COMMENT ON FUNCTION public.encrypt_vip_data(text, uuid, text) IS
    'AES-256-GCM envelope of p_data under the subject''s data key (the shared ad-hoc key by default), made by the VIP crypto agent.';

COMMENT ON FUNCTION public.decrypt_vip_data(bytea, text) IS
    'Decrypts a VIP envelope for a VIP role allowed to handle its subject; every call is logged in audit.vip_access_log.';

GRANT USAGE ON SCHEMA vip_crypto TO vip_admin, vip_operator, emergency_responder;

GRANT EXECUTE ON FUNCTION vip_crypto.call_agent(text, bytea, uuid, text) TO vip_admin, vip_operator, emergency_responder;

GRANT EXECUTE ON FUNCTION vip_data.may_handle_subject(uuid) TO vip_admin, vip_operator, emergency_responder;

GRANT EXECUTE ON FUNCTION public.encrypt_vip_data(text, uuid, text), public.decrypt_vip_data(bytea, text)
    TO vip_admin, vip_operator, emergency_responder;

-- Zone changes and acknowledgements are audited; a repeat joining an open alert is not a change worth a row.
SELECT audit.enable_audit('vip_data.geofences');

SELECT audit.enable_audit('vip_data.geofence_settings');

SELECT audit.enable_audit('vip_data.security_alerts', 'id', ARRAY['occurrences', 'last_seen_at']);

COMMENT ON FUNCTION vip_data.is_vip_user(uuid) IS
    'Whether the user is a live VIP-tier account; for VIP staff, who may not read other users'' rows.';

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

GRANT SELECT ON vip_data.geofence_states TO customer_user, vip_admin;

CREATE POLICY geofence_states_select_customer_user ON vip_data.geofence_states FOR SELECT TO customer_user
    USING (vip_user_id = public.current_app_user_id());

CREATE POLICY geofence_states_select_vip_admin ON vip_data.geofence_states FOR SELECT TO vip_admin USING (true);

CREATE POLICY geofence_states_select_owner ON vip_data.geofence_states FOR SELECT TO vipride_owner USING (true);

CREATE POLICY geofence_states_insert_owner ON vip_data.geofence_states FOR INSERT TO vipride_owner WITH CHECK (true);

CREATE POLICY geofence_states_update_owner ON vip_data.geofence_states FOR UPDATE TO vipride_owner
    USING (true) WITH CHECK (true);

GRANT SELECT ON vip_data.geofence_events TO customer_user, vip_admin;

CREATE POLICY geofence_events_select_customer_user ON vip_data.geofence_events FOR SELECT TO customer_user
    USING (vip_user_id = public.current_app_user_id());

CREATE POLICY geofence_events_select_vip_admin ON vip_data.geofence_events FOR SELECT TO vip_admin USING (true);

CREATE POLICY geofence_events_insert_owner ON vip_data.geofence_events FOR INSERT TO vipride_owner WITH CHECK (true);

GRANT SELECT ON vip_data.geofence_settings TO vip_admin, vip_operator;

GRANT UPDATE (alert_dedup_window) ON vip_data.geofence_settings TO vip_admin;

CREATE POLICY geofence_settings_select_vip_admin ON vip_data.geofence_settings FOR SELECT TO vip_admin USING (true);

CREATE POLICY geofence_settings_update_vip_admin ON vip_data.geofence_settings FOR UPDATE TO vip_admin
    USING (true) WITH CHECK (true);

CREATE POLICY geofence_settings_select_vip_operator ON vip_data.geofence_settings FOR SELECT TO vip_operator USING (true);

CREATE POLICY geofence_settings_select_owner ON vip_data.geofence_settings FOR SELECT TO vipride_owner USING (true);

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

-- updated_at follows every change.
CREATE OR REPLACE TRIGGER vip_profiles_touch_updated_at BEFORE UPDATE ON vip_data.vip_profiles
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE OR REPLACE TRIGGER subject_keys_touch_updated_at BEFORE UPDATE ON vip_data.subject_keys
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE OR REPLACE TRIGGER geofences_touch_updated_at BEFORE UPDATE ON vip_data.geofences
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE OR REPLACE TRIGGER geofence_settings_touch_updated_at BEFORE UPDATE ON vip_data.geofence_settings
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE OR REPLACE TRIGGER security_alerts_touch_updated_at BEFORE UPDATE ON vip_data.security_alerts
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- Erasure and subject-access exports (compliance.apply_erasure, compliance.subject_data, as the owner):
-- an erased VIP's positions and geofences are deleted; the export reads the VIP's rows (ciphertexts
-- left out).
CREATE POLICY vip_profiles_select_owner ON vip_data.vip_profiles FOR SELECT TO vipride_owner USING (true);

CREATE POLICY vip_location_history_select_owner ON vip_data.vip_location_history FOR SELECT TO vipride_owner USING (true);

CREATE POLICY vip_location_history_delete_owner ON vip_data.vip_location_history FOR DELETE TO vipride_owner USING (true);

CREATE POLICY geofence_events_select_owner ON vip_data.geofence_events FOR SELECT TO vipride_owner USING (true);

CREATE POLICY geofence_events_delete_owner ON vip_data.geofence_events FOR DELETE TO vipride_owner USING (true);

CREATE POLICY geofence_states_delete_owner ON vip_data.geofence_states FOR DELETE TO vipride_owner USING (true);

CREATE POLICY security_alerts_delete_owner ON vip_data.security_alerts FOR DELETE TO vipride_owner USING (true);

CREATE POLICY geofences_delete_owner ON vip_data.geofences FOR DELETE TO vipride_owner USING (true);
