-- 00_cluster_setup.sql — prerequisites only a superuser can lay down, run once per cluster/database
-- before the numbered parts. The embedded default runs it at every start (it is idempotent); a DBA runs
-- it through install.sql, or alone before letting the service migrate an external database.
--
-- * vipride_owner owns every schema object. It logs in only to migrate (Flyway) and is the
--   database owner, so both install paths create objects under the same owner.
-- * vipride_backup is the pg_dump login: it must read every row, so it bypasses RLS and reads all data,
--   but owns nothing and cannot write. VIP fields stay ciphertext in its dumps.
-- * earthdistance (great-circle search over cube) and pg_stat_statements are not trusted extensions,
--   so they are created here; pg_stat_statements only when the server preloads it.
-- Passwords are never set in SQL: the DBA sets them (ALTER ROLE … PASSWORD) on a real server.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'vipride_owner') THEN
        CREATE ROLE vipride_owner LOGIN CREATEROLE;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'vipride_backup') THEN
        CREATE ROLE vipride_backup LOGIN BYPASSRLS NOINHERIT;
    END IF;
END
$$;

-- NOINHERIT on the backup login would hide pg_read_all_data's privileges, so it inherits exactly that.
ALTER ROLE vipride_backup INHERIT;
GRANT pg_read_all_data TO vipride_backup;

DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I OWNER TO vipride_owner', current_database());
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO vipride_backup', current_database());
    CREATE EXTENSION IF NOT EXISTS cube;
    CREATE EXTENSION IF NOT EXISTS earthdistance;
    IF current_setting('shared_preload_libraries') ~ 'pg_stat_statements' THEN
        CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- The VIP crypto agent, for the spec's SQL functions encrypt_vip_data / decrypt_vip_data.
--
-- VIP fields are AES-256-GCM envelopes made with keys that never enter the database; pgcrypto has no
-- GCM mode. So SQL-side encryption is delegated to the agent — the service's internal endpoint that
-- holds the master key — over HTTP, through COPY FROM PROGRAM, which only a superuser may run. Hence
-- this superuser-owned function: it accepts only the VIP roles (the role a session switched into),
-- strictly validated arguments (no shell injection is possible: hex, a UUID, a safe context, a
-- registered URL and token) and returns the agent's answer. Who may decrypt what, and the access log,
-- are enforced by public.decrypt_vip_data before it calls here.
-- ---------------------------------------------------------------------------------------------
CREATE SCHEMA IF NOT EXISTS vip_crypto;
REVOKE ALL ON SCHEMA vip_crypto FROM PUBLIC;
COMMENT ON SCHEMA vip_crypto IS 'Superuser-owned bridge from SQL to the VIP crypto agent; no keys are stored here.';

CREATE TABLE IF NOT EXISTS vip_crypto.agent (
    id     boolean NOT NULL DEFAULT true,
    url    text    NOT NULL,
    token  text    NOT NULL,
    CONSTRAINT agent_pkey PRIMARY KEY (id),
    CONSTRAINT agent_single_row_chk CHECK (id),
    CONSTRAINT agent_url_chk CHECK (url ~ '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$'),
    CONSTRAINT agent_token_chk CHECK (token ~ '^[A-Za-z0-9_-]{32,128}$')
);
COMMENT ON TABLE vip_crypto.agent IS
    'Where the VIP crypto agent listens and the token it expects. Written by a superuser (the embedded default registers itself).';
REVOKE ALL ON vip_crypto.agent FROM PUBLIC;

CREATE OR REPLACE FUNCTION vip_crypto.call_agent(p_operation text, p_payload bytea, p_subject uuid, p_context text)
    RETURNS bytea
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_agent  vip_crypto.agent%ROWTYPE;
    v_reply  text;
BEGIN
    IF current_setting('role') NOT IN ('vip_admin', 'vip_operator', 'emergency_responder') THEN
        RAISE EXCEPTION 'only the VIP roles may use the VIP crypto agent' USING ERRCODE = '42501';
    END IF;
    IF p_operation NOT IN ('encrypt', 'decrypt') OR p_context !~ '^[A-Za-z0-9_.:/-]{1,200}$'
       OR p_payload IS NULL OR length(p_payload) > 65536 THEN
        RAISE EXCEPTION 'invalid request to the VIP crypto agent' USING ERRCODE = '22023';
    END IF;
    SELECT * INTO v_agent FROM vip_crypto.agent;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no VIP crypto agent is registered in vip_crypto.agent' USING ERRCODE = '55000';
    END IF;
    CREATE TEMP TABLE IF NOT EXISTS vip_crypto_reply (line text);
    TRUNCATE pg_temp.vip_crypto_reply;
    BEGIN
        EXECUTE format('COPY pg_temp.vip_crypto_reply FROM PROGRAM %L',
            format('curl -sS --fail --max-time 10 -H ''X-Agent-Token: %s'' --data ''subject=%s&context=%s&payload=%s'' %s/internal/vip-crypto/%s',
                   v_agent.token, p_subject, p_context, encode(p_payload, 'hex'), v_agent.url, p_operation));
    EXCEPTION WHEN OTHERS THEN
        -- The failed command line carries the agent token: never let it reach the client.
        RAISE EXCEPTION 'the VIP crypto agent refused or could not be reached' USING ERRCODE = '39000';
    END;
    SELECT line INTO v_reply FROM pg_temp.vip_crypto_reply;
    IF v_reply IS NULL OR v_reply !~ '^[0-9a-f]*$' THEN
        RAISE EXCEPTION 'the VIP crypto agent gave no usable answer' USING ERRCODE = '39000';
    END IF;
    RETURN decode(v_reply, 'hex');
END
$$;
REVOKE ALL ON FUNCTION vip_crypto.call_agent(text, bytea, uuid, text) FROM PUBLIC;
-- The owner passes EXECUTE on to the VIP roles (the roles are created by the numbered parts); the
-- function itself refuses every session that has not switched into a VIP role, the owner included.
GRANT USAGE ON SCHEMA vip_crypto TO vipride_owner WITH GRANT OPTION;
GRANT EXECUTE ON FUNCTION vip_crypto.call_agent(text, bytea, uuid, text) TO vipride_owner WITH GRANT OPTION;
