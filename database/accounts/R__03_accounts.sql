-- R__03_accounts.sql — the account functions that anonymous callers (register, log in, refresh) may use
-- without seeing the tables themselves, consent tracking, and the policies and grants of users and
-- refresh_tokens. Password hashes and lock-out counters are reachable only through these functions.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are dropped here and
-- created again below, so this file is their complete set.
DO $$
DECLARE
    v_table regclass;
    v_name  name;
BEGIN
    FOREACH v_table IN ARRAY ARRAY[
        'public.users',
        'public.refresh_tokens']::regclass[] LOOP
        FOR v_name IN SELECT polname FROM pg_policy WHERE polrelid = v_table LOOP
            EXECUTE format('DROP POLICY %I ON %s', v_name, v_table);
        END LOOP;
        FOR v_name IN SELECT tgname FROM pg_trigger
                       WHERE tgrelid = v_table AND NOT tgisinternal AND tgname ~ '_audit_(insert|update|delete)$' LOOP
            EXECUTE format('DROP TRIGGER %I ON %s', v_name, v_table);
        END LOOP;
    END LOOP;
END
$$;

-- Consent history starts with knowing when it last changed, whoever changed it.
CREATE OR REPLACE FUNCTION public.users_track_consent() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NEW.marketing_consent IS DISTINCT FROM OLD.marketing_consent
       OR NEW.data_processing_consent IS DISTINCT FROM OLD.data_processing_consent THEN
        NEW.consent_updated_at := now();
    END IF;
    RETURN NEW;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Account functions for anonymous callers. They run as the owner (SECURITY DEFINER) so that the
-- anonymous role needs no privilege on users or refresh_tokens, and each does exactly one thing.
-- ---------------------------------------------------------------------------------------------

-- Registers a rider. Type and tier are fixed here: a caller can never register as staff or VIP.
CREATE OR REPLACE FUNCTION public.register_customer(
    p_email text, p_phone text, p_password_hash text, p_first_name text, p_last_name text,
    p_preferred_language text, p_marketing_consent boolean, p_data_processing_consent boolean)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_id uuid;
BEGIN
    INSERT INTO public.users (email, phone, password_hash, first_name, last_name, preferred_language,
                              marketing_consent, data_processing_consent, consent_updated_at)
    VALUES (p_email, p_phone, p_password_hash, p_first_name, p_last_name, p_preferred_language,
            p_marketing_consent, p_data_processing_consent, now())
    RETURNING id INTO v_id;
    INSERT INTO audit.auth_events (user_id, event, client_ip, user_agent)
    VALUES (v_id, 'registered', audit.request_client_ip(), audit.request_user_agent());
    RETURN v_id;
END
$$;

-- What login needs to verify a password. Deleted accounts are invisible.
CREATE OR REPLACE FUNCTION public.find_login_account(p_email text)
    RETURNS TABLE (user_id uuid, password_hash text, user_type public.user_type, is_active boolean,
                   account_locked_until timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT u.id, u.password_hash, u.user_type, u.is_active, u.account_locked_until
      FROM public.users u
     WHERE u.email = lower(p_email) AND u.deleted_at IS NULL
$$;

-- Counts a failed password; at p_max_attempts the account locks for p_lock_for and the counter
-- restarts. Returns the lock expiry when this failure locked the account. Bounds stop a caller from
-- using the function to lock accounts for absurd periods.
CREATE OR REPLACE FUNCTION public.record_failed_login(p_user_id uuid, p_max_attempts integer, p_lock_for interval)
    RETURNS timestamptz
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_attempts integer;
    v_locked   timestamptz;
BEGIN
    IF p_max_attempts NOT BETWEEN 1 AND 100 OR p_lock_for NOT BETWEEN interval '1 minute' AND interval '1 day' THEN
        RAISE EXCEPTION 'lock-out parameters out of range' USING ERRCODE = '22023';
    END IF;
    UPDATE public.users
       SET failed_login_attempts = failed_login_attempts + 1
     WHERE id = p_user_id AND deleted_at IS NULL
    RETURNING failed_login_attempts INTO v_attempts;
    IF v_attempts IS NULL THEN
        RETURN NULL;
    END IF;
    IF v_attempts >= p_max_attempts THEN
        v_locked := now() + p_lock_for;
        UPDATE public.users SET failed_login_attempts = 0, account_locked_until = v_locked WHERE id = p_user_id;
    END IF;
    INSERT INTO audit.auth_events (user_id, event, client_ip, user_agent)
    VALUES (p_user_id, CASE WHEN v_locked IS NULL THEN 'login_failed' ELSE 'account_locked' END,
            audit.request_client_ip(), audit.request_user_agent());
    RETURN v_locked;
END
$$;

-- A verified login: clears the failure counter and stores the first refresh token of a new family.
CREATE OR REPLACE FUNCTION public.record_successful_login(p_user_id uuid, p_token_hash bytea, p_expires_at timestamptz)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    UPDATE public.users
       SET failed_login_attempts = 0, account_locked_until = NULL, last_login_at = now()
     WHERE id = p_user_id AND deleted_at IS NULL AND is_active
       AND (account_locked_until IS NULL OR account_locked_until <= now());
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account cannot log in' USING ERRCODE = '28000';
    END IF;
    INSERT INTO public.refresh_tokens (user_id, family_id, token_hash, expires_at)
    VALUES (p_user_id, gen_random_uuid(), p_token_hash, p_expires_at);
    INSERT INTO audit.auth_events (user_id, event, client_ip, user_agent)
    VALUES (p_user_id, 'login_succeeded', audit.request_client_ip(), audit.request_user_agent());
END
$$;

-- Exchanges a live refresh token for a new one in the same family and returns whom it belongs to.
-- Presenting a token that was already rotated or revoked means it leaked: the whole family is revoked
-- and nothing is returned. An expired token, or a locked, disabled or deleted account, returns nothing.
CREATE OR REPLACE FUNCTION public.rotate_refresh_token(p_old_hash bytea, p_new_hash bytea, p_expires_at timestamptz)
    RETURNS TABLE (user_id uuid, user_type public.user_type)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_token public.refresh_tokens%ROWTYPE;
BEGIN
    SELECT * INTO v_token FROM public.refresh_tokens WHERE token_hash = p_old_hash FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF v_token.used_at IS NOT NULL OR v_token.revoked_at IS NOT NULL THEN
        UPDATE public.refresh_tokens SET revoked_at = now()
         WHERE family_id = v_token.family_id AND revoked_at IS NULL;
        INSERT INTO audit.auth_events (user_id, event, client_ip, user_agent)
        VALUES (v_token.user_id, 'refresh_token_reused', audit.request_client_ip(), audit.request_user_agent());
        RETURN;
    END IF;
    IF v_token.expires_at <= now() THEN
        RETURN;
    END IF;
    UPDATE public.refresh_tokens SET used_at = now() WHERE id = v_token.id;
    RETURN QUERY
        SELECT u.id, u.user_type FROM public.users u
         WHERE u.id = v_token.user_id AND u.deleted_at IS NULL AND u.is_active
           AND (u.account_locked_until IS NULL OR u.account_locked_until <= now());
    IF FOUND THEN
        INSERT INTO public.refresh_tokens (user_id, family_id, token_hash, expires_at)
        VALUES (v_token.user_id, v_token.family_id, p_new_hash, p_expires_at);
    END IF;
END
$$;

-- Log-out: revokes the family of the presented refresh token, only if it belongs to the caller.
CREATE OR REPLACE FUNCTION public.revoke_refresh_token_family(p_token_hash bytea) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_count integer;
    v_user  uuid := public.current_app_user_id();
BEGIN
    UPDATE public.refresh_tokens SET revoked_at = now()
     WHERE revoked_at IS NULL
       AND family_id = (SELECT t.family_id FROM public.refresh_tokens t
                         WHERE t.token_hash = p_token_hash AND t.user_id = v_user);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF v_count > 0 THEN
        INSERT INTO audit.auth_events (user_id, event, client_ip, user_agent)
        VALUES (v_user, 'logged_out', audit.request_client_ip(), audit.request_user_agent());
    END IF;
    RETURN v_count;
END
$$;

CREATE OR REPLACE TRIGGER users_track_consent BEFORE UPDATE OF marketing_consent, data_processing_consent ON public.users
    FOR EACH ROW EXECUTE FUNCTION public.users_track_consent();

-- ---------------------------------------------------------------------------------------------
-- Audited tables. Driver position pings are not business changes: a drivers update that only moves
-- the driver or flips availability leaves no audit row.
-- ---------------------------------------------------------------------------------------------
SELECT audit.enable_audit('public.users');

-- ---------------------------------------------------------------------------------------------
-- Accounts: anonymous callers register, log in and refresh only through the account functions.
-- ---------------------------------------------------------------------------------------------
GRANT EXECUTE ON FUNCTION
    public.register_customer(text, text, text, text, text, text, boolean, boolean),
    public.find_login_account(text),
    public.record_failed_login(uuid, integer, interval),
    public.record_successful_login(uuid, bytea, timestamptz),
    public.rotate_refresh_token(bytea, bytea, timestamptz)
    TO anonymous_user;

GRANT EXECUTE ON FUNCTION public.revoke_refresh_token_family(bytea) TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;

GRANT SELECT (id, email, phone, first_name, last_name, user_type, tier, preferred_language, home_city,
              is_active, email_verified_at, phone_verified_at, marketing_consent, data_processing_consent,
              consent_updated_at, last_login_at, created_at, updated_at, deleted_at)
    ON public.users TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;

GRANT UPDATE (first_name, last_name, preferred_language, home_city, marketing_consent, data_processing_consent)
    ON public.users TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;

GRANT UPDATE (is_active) ON public.users TO support_agent, system_admin;

GRANT UPDATE (user_type) ON public.users TO system_admin;

GRANT UPDATE (tier) ON public.users TO vip_admin, system_admin;

-- The account functions (SECURITY DEFINER, run as the owner) are the only path to hashes and tokens.
CREATE POLICY users_select_owner ON public.users FOR SELECT TO vipride_owner USING (true);

CREATE POLICY users_insert_owner ON public.users FOR INSERT TO vipride_owner WITH CHECK (true);

CREATE POLICY users_update_owner ON public.users FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY refresh_tokens_select_owner ON public.refresh_tokens FOR SELECT TO vipride_owner USING (true);

CREATE POLICY refresh_tokens_insert_owner ON public.refresh_tokens FOR INSERT TO vipride_owner WITH CHECK (true);

CREATE POLICY refresh_tokens_update_owner ON public.refresh_tokens FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['system_admin', 'audit_admin', 'compliance_officer', 'vip_admin', 'vip_operator',
                             'emergency_responder', 'fleet_admin', 'driver_user', 'customer_user',
                             'support_agent', 'hotel_staff']
    LOOP
        EXECUTE format('CREATE POLICY users_select_%s ON public.users FOR SELECT TO %I USING (%s)', r, r,
            CASE r
                WHEN 'support_agent' THEN 'deleted_at IS NULL OR id = public.current_app_user_id()'
                WHEN 'system_admin' THEN 'true'
                WHEN 'compliance_officer' THEN 'true'
                WHEN 'fleet_admin' THEN 'id = public.current_app_user_id() OR id IN (SELECT d.user_id FROM public.drivers d WHERE d.fleet_company_id = (SELECT public.current_fleet_company_id()))'
                WHEN 'vip_admin' THEN 'id = public.current_app_user_id() OR (user_type = ''customer'' AND deleted_at IS NULL)'
                ELSE 'id = public.current_app_user_id()'
            END);
        EXECUTE format('CREATE POLICY users_update_%s ON public.users FOR UPDATE TO %I USING (%s) WITH CHECK (%s)', r, r,
            CASE r
                WHEN 'support_agent' THEN 'id = public.current_app_user_id() OR (user_type IN (''customer'', ''driver'') AND deleted_at IS NULL)'
                WHEN 'system_admin' THEN 'true'
                WHEN 'vip_admin' THEN 'id = public.current_app_user_id() OR (user_type = ''customer'' AND deleted_at IS NULL)'
                ELSE 'id = public.current_app_user_id()'
            END,
            CASE r
                WHEN 'support_agent' THEN 'id = public.current_app_user_id() OR user_type IN (''customer'', ''driver'')'
                WHEN 'system_admin' THEN 'true'
                WHEN 'vip_admin' THEN 'id = public.current_app_user_id() OR user_type = ''customer'''
                ELSE 'id = public.current_app_user_id()'
            END);
    END LOOP;
END
$$;

-- updated_at follows every change.
CREATE OR REPLACE TRIGGER users_touch_updated_at BEFORE UPDATE ON public.users
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();
