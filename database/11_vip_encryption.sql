-- Part 11 (grows part 03, VIP data) — envelope encryption keys, VIP access logging, and the write
-- paths VIP protection needs.
--
-- Every sensitive VIP field is an AES-256-GCM envelope made by the service (Google Tink): a data key
-- per VIP subject encrypts the field, with associated data naming the table, column and row. The data
-- keys are stored here only wrapped (encrypted) by a master key that never enters the database — it
-- lives in a keyset file, an environment secret or a cloud KMS next to the service. A copy of the
-- database (or a backup) therefore holds nothing that decrypts VIP data, and deleting a subject's
-- wrapped key erases that subject's VIP data everywhere, backups included (crypto-shredding).

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
CREATE TRIGGER subject_keys_touch_updated_at BEFORE UPDATE ON vip_data.subject_keys
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();
SELECT audit.enable_audit('vip_data.subject_keys', 'subject_id');

ALTER TABLE vip_data.subject_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE vip_data.subject_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY subject_keys_select_owner ON vip_data.subject_keys FOR SELECT TO vipride_owner USING (true);
CREATE POLICY subject_keys_insert_owner ON vip_data.subject_keys FOR INSERT TO vipride_owner WITH CHECK (true);
CREATE POLICY subject_keys_update_owner ON vip_data.subject_keys FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);
CREATE POLICY subject_keys_delete_owner ON vip_data.subject_keys FOR DELETE TO vipride_owner USING (true);

-- Whether the caller may encrypt or decrypt this subject's data at all: VIP staff, system jobs,
-- a responder during the subject's active emergency, the VIP themselves, or the driver of their
-- active ride. Reading a wrapped key is harmless without the master key; this keeps even that tight.
CREATE FUNCTION vip_data.may_handle_subject(p_subject uuid) RETURNS boolean
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

CREATE FUNCTION vip_data.subject_key(p_subject uuid)
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
CREATE FUNCTION vip_data.create_subject_key(p_subject uuid, p_keyset_enc bytea, p_master_key_id text)
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
CREATE FUNCTION vip_data.replace_subject_key(p_subject uuid, p_keyset_enc bytea, p_master_key_id text,
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
CREATE FUNCTION vip_data.shred_subject_key(p_subject uuid) RETURNS boolean
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
CREATE FUNCTION vip_data.subjects_wrapped_under_other_master(p_current text, p_limit integer)
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

GRANT USAGE ON SCHEMA vip_data TO driver_user, system_admin, compliance_officer;
GRANT EXECUTE ON FUNCTION vip_data.subject_key(uuid), vip_data.create_subject_key(uuid, bytea, text)
    TO vip_admin, vip_operator, emergency_responder, customer_user, driver_user, system_admin;
GRANT EXECUTE ON FUNCTION vip_data.replace_subject_key(uuid, bytea, text, integer),
    vip_data.subjects_wrapped_under_other_master(text, integer) TO vip_admin, system_admin;
GRANT EXECUTE ON FUNCTION vip_data.shred_subject_key(uuid) TO compliance_officer, system_admin, vip_admin;

-- ---------------------------------------------------------------------------------------------
-- Every read of VIP data is logged here by the read path (triggers cannot fire on SELECT).
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION audit.log_vip_access(p_vip_user_id uuid, p_data_accessed text, p_purpose text, p_incident_id uuid)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_id bigint;
BEGIN
    IF p_purpose IS NULL OR length(btrim(p_purpose)) = 0 THEN
        RAISE EXCEPTION 'a purpose is required to read VIP data' USING ERRCODE = '22023';
    END IF;
    -- The owner may append but not read the log (RLS), so the id is drawn first instead of RETURNING it.
    v_id := nextval(pg_get_serial_sequence('audit.vip_access_log', 'id'));
    INSERT INTO audit.vip_access_log (id, vip_user_id, accessor_user_id, accessor_role, data_accessed, purpose,
                                      incident_id, client_ip, user_agent)
    OVERRIDING SYSTEM VALUE
    VALUES (v_id, p_vip_user_id, public.current_app_user_id(), audit.acting_role(), left(p_data_accessed, 200),
            left(p_purpose, 500), p_incident_id, audit.request_client_ip(), audit.request_user_agent());
    RETURN v_id;
END
$$;
COMMENT ON FUNCTION audit.log_vip_access(uuid, text, text, uuid) IS
    'Records one read of VIP data: who (user and role), which VIP, what, why, the emergency that allowed it, from where.';
GRANT USAGE ON SCHEMA audit TO vip_admin, vip_operator, emergency_responder, driver_user;
GRANT EXECUTE ON FUNCTION audit.log_vip_access(uuid, text, text, uuid)
    TO vip_admin, vip_operator, emergency_responder, customer_user, driver_user, system_admin;

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

-- ---------------------------------------------------------------------------------------------
-- The spec's SQL functions. They work on exactly the envelopes the service writes (AES-256-GCM under
-- the subject's data key, bound to table, column and row) by asking the VIP crypto agent — the only
-- place where the master key is. A DBA without a VIP role cannot use them; each decryption is checked
-- against who may handle that VIP and logged in audit.vip_access_log before anything is returned.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.encrypt_vip_data(p_data text,
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
COMMENT ON FUNCTION public.encrypt_vip_data(text, uuid, text) IS
    'AES-256-GCM envelope of p_data under the subject''s data key (the shared ad-hoc key by default), made by the VIP crypto agent.';

CREATE FUNCTION public.decrypt_vip_data(p_ciphertext bytea, p_purpose text DEFAULT 'SQL decrypt_vip_data')
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
COMMENT ON FUNCTION public.decrypt_vip_data(bytea, text) IS
    'Decrypts a VIP envelope for a VIP role allowed to handle its subject; every call is logged in audit.vip_access_log.';

GRANT USAGE ON SCHEMA vip_crypto TO vip_admin, vip_operator, emergency_responder;
GRANT EXECUTE ON FUNCTION vip_crypto.call_agent(text, bytea, uuid, text) TO vip_admin, vip_operator, emergency_responder;
GRANT EXECUTE ON FUNCTION vip_data.may_handle_subject(uuid), audit.acting_role() TO vip_admin, vip_operator, emergency_responder;
GRANT EXECUTE ON FUNCTION public.encrypt_vip_data(text, uuid, text), public.decrypt_vip_data(bytea, text)
    TO vip_admin, vip_operator, emergency_responder;
