-- R__03_accounts.sql — the account functions that anonymous callers (register, log in, refresh, accept
-- an invitation) may use without seeing the tables themselves, consent tracking, the first
-- administrator, staff accounts and their management, the session check every transaction makes, the
-- search over accounts, and the policies and grants of users, refresh_tokens and staff_invitations.
-- Password hashes and lock-out counters are reachable only through these functions.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'public.users',
    'public.refresh_tokens',
    'public.staff_invitations',
    'public.login_attempts');

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

-- Registers a rider. Type and tier are fixed here: a caller can never register as staff or VIP. A taken
-- email or phone answers exactly like a new account and stores nothing.
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
    BEGIN
        INSERT INTO public.users (email, phone, password_hash, first_name, last_name, preferred_language,
                                  marketing_consent, data_processing_consent, consent_updated_at)
        VALUES (p_email, p_phone, p_password_hash, p_first_name, p_last_name, p_preferred_language,
                p_marketing_consent, p_data_processing_consent, now())
        RETURNING id INTO v_id;
    EXCEPTION WHEN unique_violation THEN
        -- The email or phone already has an account. The caller gets the same answer as a new account
        -- (with an id that names nothing), so registration never tells whether an email is known.
        RETURN gen_random_uuid();
    END;
    INSERT INTO audit.auth_events (user_id, event, client_ip, user_agent)
    VALUES (v_id, 'registered', audit.request_client_ip(), audit.request_user_agent());
    RETURN v_id;
END
$$;

-- What login needs to verify a password. Deleted accounts are invisible, and so are invited staff
-- accounts until the invitee has set a password (their hash is empty).
CREATE OR REPLACE FUNCTION public.find_login_account(p_email text)
    RETURNS TABLE (user_id uuid, password_hash text, user_type public.user_type, is_active boolean,
                   account_locked_until timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT u.id, u.password_hash, u.user_type, u.is_active, u.account_locked_until
      FROM public.users u
     WHERE u.email = lower(p_email) AND u.deleted_at IS NULL AND u.password_hash <> ''
$$;

-- Login tries are counted per (email, client address) in public.login_attempts. A login claims a try
-- before its password is checked, in one statement under the row's lock, so at most p_max_tries
-- passwords of one email from one address are checked per lock period, however many requests run at
-- once. The claim that uses up the last try locks the pair for p_lock_for at once (a correct password
-- on it lifts the lock again). Returns NULL when the try may go ahead, otherwise when the pair's lock
-- ends. An email without an account is counted exactly like one with an account. Bounds stop a caller
-- from using the function to lock for absurd periods.
DROP FUNCTION IF EXISTS public.record_failed_login(uuid, integer, interval);

DROP FUNCTION IF EXISTS public.claim_login_try(text, integer, interval);

CREATE FUNCTION public.claim_login_try(p_email text, p_max_tries integer, p_lock_for interval)
    RETURNS TABLE (granted boolean, locked_until timestamptz)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_hash   bytea := public.login_email_hash(p_email);
    v_ip     inet  := coalesce(audit.request_client_ip(), '::'::inet);
    v_locked timestamptz;
BEGIN
    IF p_max_tries NOT BETWEEN 1 AND 100 OR p_lock_for NOT BETWEEN interval '1 minute' AND interval '1 day' THEN
        RAISE EXCEPTION 'lock-out parameters out of range' USING ERRCODE = '22023';
    END IF;
    -- A period that is over (its lock ended, or its first try is older than a lock period) starts again.
    INSERT INTO public.login_attempts AS a (email_hash, client_ip, tries, locked_until)
    VALUES (v_hash, v_ip, 1, CASE WHEN p_max_tries = 1 THEN now() + p_lock_for END)
    ON CONFLICT (email_hash, client_ip) DO UPDATE
       SET tries        = CASE WHEN a.locked_until IS NOT NULL OR a.first_try_at <= now() - p_lock_for THEN 1
                               ELSE a.tries + 1 END,
           first_try_at = CASE WHEN a.locked_until IS NOT NULL OR a.first_try_at <= now() - p_lock_for THEN now()
                               ELSE a.first_try_at END,
           locked_until = CASE WHEN a.locked_until IS NOT NULL OR a.first_try_at <= now() - p_lock_for
                                   THEN CASE WHEN p_max_tries = 1 THEN now() + p_lock_for END
                               WHEN a.tries + 1 >= p_max_tries THEN now() + p_lock_for
                               END
     WHERE a.locked_until IS NULL OR a.locked_until <= now()
    RETURNING a.locked_until INTO v_locked;
    IF FOUND THEN
        RETURN QUERY SELECT true, v_locked;
        RETURN;
    END IF;
    RETURN QUERY SELECT false, a.locked_until FROM public.login_attempts a
                  WHERE a.email_hash = v_hash AND a.client_ip = v_ip;
END
$$;

-- The key login tries are counted under: the SHA-256 of the normalised email (no email is stored).
CREATE OR REPLACE FUNCTION public.login_email_hash(p_email text) RETURNS bytea
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog
AS $$
    SELECT sha256(convert_to(lower(btrim(p_email)), 'UTF8'))
$$;

-- A wrong password for an existing account, recorded in its sign-in history (account_locked when it
-- was the last try its address had).
DROP FUNCTION IF EXISTS public.record_failed_login(uuid);

CREATE OR REPLACE FUNCTION public.record_failed_login(p_user_id uuid, p_locked boolean) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    INSERT INTO audit.auth_events (user_id, event, client_ip, user_agent)
    SELECT u.id, CASE WHEN p_locked THEN 'account_locked' ELSE 'login_failed' END,
           audit.request_client_ip(), audit.request_user_agent()
      FROM public.users u WHERE u.id = p_user_id AND u.deleted_at IS NULL;
END
$$;

-- Forgets login tries older than a day (the longest lock period). Run by the maintenance job.
CREATE OR REPLACE FUNCTION public.forget_old_login_tries() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_count integer;
BEGIN
    DELETE FROM public.login_attempts
     WHERE first_try_at < now() - interval '1 day'
       AND (locked_until IS NULL OR locked_until < now());
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;

-- A verified login: clears the tries of its email from its address and stores the first refresh token of a new family.
-- Returns the account's security version, which the access token carries.
DROP FUNCTION IF EXISTS public.record_successful_login(uuid, bytea, timestamptz);

CREATE FUNCTION public.record_successful_login(p_user_id uuid, p_token_hash bytea, p_expires_at timestamptz)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_version bigint;
BEGIN
    UPDATE public.users
       SET failed_login_attempts = 0, account_locked_until = NULL, last_login_at = now()
     WHERE id = p_user_id AND deleted_at IS NULL AND is_active
       AND (account_locked_until IS NULL OR account_locked_until <= now())
    RETURNING security_version INTO v_version;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account cannot log in' USING ERRCODE = '28000';
    END IF;
    INSERT INTO public.refresh_tokens (user_id, family_id, token_hash, expires_at)
    VALUES (p_user_id, gen_random_uuid(), p_token_hash, p_expires_at);
    -- The right password from this address: its tries start again (and its lock, if the last try was it).
    DELETE FROM public.login_attempts a
     USING public.users u
     WHERE u.id = p_user_id
       AND a.email_hash = public.login_email_hash(u.email)
       AND a.client_ip = coalesce(audit.request_client_ip(), '::'::inet);
    INSERT INTO audit.auth_events (user_id, event, client_ip, user_agent)
    VALUES (p_user_id, 'login_succeeded', audit.request_client_ip(), audit.request_user_agent());
    RETURN v_version;
END
$$;

-- Exchanges a live refresh token for a new one in the same family and returns whom it belongs to.
-- Presenting a token that was already rotated or revoked means it leaked: the whole family is revoked
-- and nothing is returned. An expired token, or a locked, disabled or deleted account, returns nothing.
-- The account's current type and security version go into the new access token.
DROP FUNCTION IF EXISTS public.rotate_refresh_token(bytea, bytea, timestamptz);

CREATE FUNCTION public.rotate_refresh_token(p_old_hash bytea, p_new_hash bytea, p_expires_at timestamptz)
    RETURNS TABLE (user_id uuid, user_type public.user_type, security_version bigint)
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
        SELECT u.id, u.user_type, u.security_version FROM public.users u
         WHERE u.id = v_token.user_id AND u.deleted_at IS NULL AND u.is_active
           AND (u.account_locked_until IS NULL OR u.account_locked_until <= now());
    IF FOUND THEN
        INSERT INTO public.refresh_tokens (user_id, family_id, token_hash, expires_at)
        VALUES (v_token.user_id, v_token.family_id, p_new_hash, p_expires_at);
    END IF;
END
$$;

-- Log-out: revokes the family of the presented refresh token, only if it belongs to the caller, and
-- bumps the caller's security version so that their access tokens stop working on the next request.
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
        UPDATE public.users SET security_version = security_version + 1 WHERE id = v_user;
        INSERT INTO audit.auth_events (user_id, event, client_ip, user_agent)
        VALUES (v_user, 'logged_out', audit.request_client_ip(), audit.request_user_agent());
    END IF;
    RETURN v_count;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Session state. Every access token carries the security version of its account when it was issued;
-- suspension, reactivation, a role change, a password change, deletion and logout bump it. The
-- service checks the version in the same round trip that switches a transaction into the caller's
-- identity, so a token stops working on its account's next request, on every service instance: the
-- check reads the row itself, there is no cache to invalidate.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.users_bump_security_version() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NEW.is_active IS DISTINCT FROM OLD.is_active
       OR NEW.user_type IS DISTINCT FROM OLD.user_type
       OR NEW.password_hash IS DISTINCT FROM OLD.password_hash
       OR NEW.deleted_at IS DISTINCT FROM OLD.deleted_at
       OR (NEW.account_locked_until IS DISTINCT FROM OLD.account_locked_until AND NEW.account_locked_until > now()) THEN
        NEW.security_version := OLD.security_version + 1;
    END IF;
    RETURN NEW;
END
$$;

-- Refuses (VR401 session-ended) unless the account is live, active, not locked and still at the token's security
-- version. A NULL version checks only that the account is live and active. Only the service login may
-- call it, before it switches into the caller's role.
CREATE OR REPLACE FUNCTION public.assert_session_current(p_user_id uuid, p_security_version bigint)
    RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    PERFORM FROM public.users u
      WHERE u.id = p_user_id AND u.deleted_at IS NULL AND u.is_active
        AND (u.account_locked_until IS NULL OR u.account_locked_until <= now())
        AND (p_security_version IS NULL OR u.security_version = p_security_version);
    IF NOT FOUND THEN
        RAISE EXCEPTION 'This session has ended (suspended account, changed role or password, or logged out): sign in again.'
            USING ERRCODE = 'VR401', HINT = 'session-ended';
    END IF;
    RETURN true;
END
$$;

COMMENT ON FUNCTION public.assert_session_current(uuid, bigint) IS
    'Raises VR401 session-ended unless the account is live, active and at the given security version (the access token''s).';

-- ---------------------------------------------------------------------------------------------
-- The first administrator. A fresh installation has no account that could create staff; the service
-- calls this at start with its bootstrap settings, and it refuses as soon as any live system admin
-- exists, so it can never create a second one. The advisory lock serialises instances starting together.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.bootstrap_system_admin(p_email text, p_password_hash text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('public.bootstrap_system_admin'));
    IF EXISTS (SELECT FROM public.users WHERE user_type = 'system_admin' AND deleted_at IS NULL) THEN
        RAISE EXCEPTION 'A system administrator already exists; the bootstrap creates only the first.'
            USING ERRCODE = 'VR409', HINT = 'system-admin-exists';
    END IF;
    IF coalesce(p_password_hash, '') = '' THEN
        RAISE EXCEPTION 'The first administrator needs a password.' USING ERRCODE = 'VR400', HINT = 'password-required';
    END IF;
    INSERT INTO public.users (email, phone, password_hash, first_name, last_name, user_type)
    VALUES (lower(btrim(p_email)), NULL, p_password_hash, 'System', 'Administrator', 'system_admin')
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

COMMENT ON FUNCTION public.bootstrap_system_admin(text, text) IS
    'Creates the first system administrator; refuses (VR409 system-admin-exists) once any live system admin exists.';

-- ---------------------------------------------------------------------------------------------
-- Staff accounts. Only a system admin creates them, with either an initial password or an invitation
-- (the hash of a one-time token). The account row needs the owner's rights (hashes are nobody's to
-- write); the link to the staff member's fleet or hotel is written as the calling system admin, under
-- the fleet's and hotels' own policies.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.is_staff_type(p_type public.user_type) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT p_type OPERATOR(pg_catalog.<>) ALL (ARRAY['customer', 'driver']::public.user_type[])
$$;

CREATE OR REPLACE FUNCTION public.insert_staff_user(
    p_email text, p_phone text, p_first_name text, p_last_name text, p_user_type public.user_type,
    p_password_hash text, p_invitation_hash bytea, p_invitation_expires_at timestamptz)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_id uuid;
BEGIN
    IF current_setting('role') <> 'system_admin' THEN
        RAISE EXCEPTION 'Only a system administrator creates staff accounts.' USING ERRCODE = 'VR403', HINT = 'access-denied';
    END IF;
    IF NOT public.is_staff_type(p_user_type) THEN
        RAISE EXCEPTION 'Riders and drivers sign up or are onboarded; % is not a staff role.', p_user_type
            USING ERRCODE = 'VR400', HINT = 'not-a-staff-role';
    END IF;
    IF (coalesce(p_password_hash, '') = '') = (p_invitation_hash IS NULL) THEN
        RAISE EXCEPTION 'Give either an initial password or an invitation, not both.'
            USING ERRCODE = 'VR400', HINT = 'password-or-invitation';
    END IF;
    INSERT INTO public.users (email, phone, password_hash, first_name, last_name, user_type)
    VALUES (lower(btrim(p_email)), p_phone, coalesce(p_password_hash, ''), btrim(p_first_name), btrim(p_last_name),
            p_user_type)
    RETURNING id INTO v_id;
    IF p_invitation_hash IS NOT NULL THEN
        INSERT INTO public.staff_invitations (user_id, token_hash, invited_by, expires_at)
        VALUES (v_id, p_invitation_hash, public.current_app_user_id(), p_invitation_expires_at);
    END IF;
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION public.create_staff_account(
    p_email text, p_phone text, p_first_name text, p_last_name text, p_user_type public.user_type,
    p_fleet_company_id uuid, p_hotel_id uuid,
    p_password_hash text, p_invitation_hash bytea, p_invitation_expires_at timestamptz)
    RETURNS uuid
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM public.check_staff_scope(p_user_type, p_fleet_company_id, p_hotel_id);
    v_id := public.insert_staff_user(p_email, p_phone, p_first_name, p_last_name, p_user_type,
                                     p_password_hash, p_invitation_hash, p_invitation_expires_at);
    PERFORM public.link_staff_scope(v_id, p_user_type, p_fleet_company_id, p_hotel_id);
    RETURN v_id;
END
$$;

COMMENT ON FUNCTION public.create_staff_account(text, text, text, text, public.user_type, uuid, uuid, text, bytea, timestamptz) IS
    'A system admin creates a staff account (fleet_admin of a fleet, hotel_staff of a hotel, or a platform role) with a password hash or an invitation token hash.';

-- A fleet admin belongs to exactly one fleet and a hotel staff member to one hotel; no other staff role
-- has either. The fleet or hotel must be one the caller can see (run as the caller).
CREATE OR REPLACE FUNCTION public.check_staff_scope(p_user_type public.user_type, p_fleet_company_id uuid, p_hotel_id uuid)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    IF (p_user_type = 'fleet_admin') <> (p_fleet_company_id IS NOT NULL)
       OR (p_user_type = 'hotel_staff') <> (p_hotel_id IS NOT NULL) THEN
        RAISE EXCEPTION 'fleetId is required for (and only for) fleet_admin, hotelId for (and only for) hotel_staff.'
            USING ERRCODE = 'VR400', HINT = 'invalid-staff-scope';
    END IF;
    IF p_fleet_company_id IS NOT NULL
       AND NOT EXISTS (SELECT FROM public.fleet_companies f WHERE f.id = p_fleet_company_id AND f.deleted_at IS NULL) THEN
        RAISE EXCEPTION 'No fleet % is visible to you.', p_fleet_company_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF p_hotel_id IS NOT NULL
       AND NOT EXISTS (SELECT FROM public.hotel_partners h WHERE h.id = p_hotel_id) THEN
        RAISE EXCEPTION 'No hotel % is visible to you.', p_hotel_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
END
$$;

-- Links a staff account to its fleet or hotel, as the caller (the fleet's and hotels' policies apply).
CREATE OR REPLACE FUNCTION public.link_staff_scope(p_user_id uuid, p_user_type public.user_type,
                                                  p_fleet_company_id uuid, p_hotel_id uuid)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    DELETE FROM public.fleet_admins WHERE user_id = p_user_id
       AND fleet_company_id IS DISTINCT FROM CASE WHEN p_user_type = 'fleet_admin' THEN p_fleet_company_id END;
    DELETE FROM public.hotel_staff_members WHERE user_id = p_user_id
       AND hotel_id IS DISTINCT FROM CASE WHEN p_user_type = 'hotel_staff' THEN p_hotel_id END;
    IF p_user_type = 'fleet_admin' THEN
        INSERT INTO public.fleet_admins (user_id, fleet_company_id) VALUES (p_user_id, p_fleet_company_id)
        ON CONFLICT (user_id) DO NOTHING;
    ELSIF p_user_type = 'hotel_staff' THEN
        INSERT INTO public.hotel_staff_members (user_id, hotel_id) VALUES (p_user_id, p_hotel_id)
        ON CONFLICT (user_id) DO NOTHING;
    END IF;
END
$$;

-- The invitee sets their first password with the token they were given. The token works once, before
-- it expires, for a live and active account.
CREATE OR REPLACE FUNCTION public.accept_staff_invitation(p_token_hash bytea, p_password_hash text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_invitation public.staff_invitations%ROWTYPE;
BEGIN
    SELECT * INTO v_invitation FROM public.staff_invitations WHERE token_hash = p_token_hash FOR UPDATE;
    IF NOT FOUND OR v_invitation.accepted_at IS NOT NULL OR v_invitation.expires_at <= now()
       OR coalesce(p_password_hash, '') = '' THEN
        RAISE EXCEPTION 'The invitation is invalid, expired or already used; ask for a new one.'
            USING ERRCODE = 'VR400', HINT = 'invalid-invitation';
    END IF;
    UPDATE public.users SET password_hash = p_password_hash
     WHERE id = v_invitation.user_id AND deleted_at IS NULL AND is_active;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'The invitation is invalid, expired or already used; ask for a new one.'
            USING ERRCODE = 'VR400', HINT = 'invalid-invitation';
    END IF;
    UPDATE public.staff_invitations SET accepted_at = now() WHERE id = v_invitation.id;
    RETURN v_invitation.user_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Managing accounts: suspend, reactivate, unlock. A system admin manages every account; a fleet admin
-- only the people of its own fleet (its drivers and fellow fleet admins). Any other account is "not
-- found", exactly like one that does not exist. Nobody suspends themselves.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.can_manage_account(p_user_id uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_fleet uuid;
BEGIN
    IF current_setting('role') = 'system_admin' THEN
        RETURN EXISTS (SELECT FROM public.users u WHERE u.id = p_user_id AND u.deleted_at IS NULL);
    END IF;
    IF current_setting('role') = 'fleet_admin' THEN
        v_fleet := public.current_fleet_company_id();
        RETURN v_fleet IS NOT NULL
           AND EXISTS (SELECT FROM public.users u WHERE u.id = p_user_id AND u.deleted_at IS NULL)
           AND (EXISTS (SELECT FROM public.drivers d
                         WHERE d.user_id = p_user_id AND d.fleet_company_id = v_fleet AND d.deleted_at IS NULL)
                OR EXISTS (SELECT FROM public.fleet_admins fa
                            WHERE fa.user_id = p_user_id AND fa.fleet_company_id = v_fleet));
    END IF;
    RETURN false;
END
$$;

CREATE OR REPLACE FUNCTION public.set_account_suspended(p_user_id uuid, p_suspended boolean) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT public.can_manage_account(p_user_id) THEN
        RAISE EXCEPTION 'No user % is visible to you.', p_user_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF p_user_id = public.current_app_user_id() THEN
        RAISE EXCEPTION 'You cannot suspend or reactivate your own account.' USING ERRCODE = 'VR409', HINT = 'own-account';
    END IF;
    UPDATE public.users SET is_active = NOT p_suspended WHERE id = p_user_id AND is_active = p_suspended;
END
$$;

COMMENT ON FUNCTION public.set_account_suspended(uuid, boolean) IS
    'Suspends (true) or reactivates (false) an account the caller manages; suspension ends its access tokens on their next request.';

CREATE OR REPLACE FUNCTION public.unlock_account(p_user_id uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT public.can_manage_account(p_user_id) THEN
        RAISE EXCEPTION 'No user % is visible to you.', p_user_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    UPDATE public.users SET failed_login_attempts = 0, account_locked_until = NULL
     WHERE id = p_user_id AND (failed_login_attempts <> 0 OR account_locked_until IS NOT NULL);
    DELETE FROM public.login_attempts a
     USING public.users u
     WHERE u.id = p_user_id AND a.email_hash = public.login_email_hash(u.email);
END
$$;

COMMENT ON FUNCTION public.unlock_account(uuid) IS
    'Clears the lock of an account the caller manages, and the failed login tries of its email from every address.';

-- A system admin moves a staff account to another staff role (and fleet or hotel), as itself: the
-- users, fleet_admins and hotel_staff_members policies apply. The type change bumps the security
-- version, so the account's tokens carrying the old role stop working on their next request.
CREATE OR REPLACE FUNCTION public.change_account_role(p_user_id uuid, p_user_type public.user_type,
                                                     p_fleet_company_id uuid, p_hotel_id uuid)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    v_current public.user_type;
BEGIN
    IF current_setting('role') <> 'system_admin' THEN
        RAISE EXCEPTION 'Only a system administrator changes roles.' USING ERRCODE = 'VR403', HINT = 'access-denied';
    END IF;
    SELECT u.user_type INTO v_current FROM public.users u WHERE u.id = p_user_id AND u.deleted_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No user % is visible to you.', p_user_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF p_user_id = public.current_app_user_id() THEN
        RAISE EXCEPTION 'You cannot change your own role.' USING ERRCODE = 'VR409', HINT = 'own-account';
    END IF;
    IF NOT public.is_staff_type(v_current) OR NOT public.is_staff_type(p_user_type) THEN
        RAISE EXCEPTION 'Only staff accounts change roles, and only to staff roles.'
            USING ERRCODE = 'VR409', HINT = 'not-a-staff-role';
    END IF;
    PERFORM public.check_staff_scope(p_user_type, p_fleet_company_id, p_hotel_id);
    UPDATE public.users SET user_type = p_user_type WHERE id = p_user_id AND user_type <> p_user_type;
    PERFORM public.link_staff_scope(p_user_id, p_user_type, p_fleet_company_id, p_hotel_id);
END
$$;

-- Rectification of an account's identity and contact data (NDPA s.34(1)(b), GDPR art. 16): the
-- corrected first name, last name, e-mail and phone (NULL keeps a value). The account's own checks
-- apply (formats; an e-mail or phone held by another live account is refused). Returns the names of
-- the fields that changed. Called by compliance.apply_rectification only, which decides who may rectify
-- (the subject or a compliance officer, on a verified request); no role executes it directly.
CREATE OR REPLACE FUNCTION public.rectify_account(p_user_id uuid, p_first_name text, p_last_name text,
                                                 p_email text, p_phone text)
    RETURNS text[]
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_old     public.users;
    v_changed text[] := '{}';
BEGIN
    SELECT * INTO v_old FROM public.users u WHERE u.id = p_user_id AND u.deleted_at IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No account %.', p_user_id USING ERRCODE = 'VR404', HINT = 'user-not-found';
    END IF;
    IF p_first_name IS NOT NULL AND btrim(p_first_name) IS DISTINCT FROM v_old.first_name THEN
        v_changed := v_changed || 'first_name'::text;
    END IF;
    IF p_last_name IS NOT NULL AND btrim(p_last_name) IS DISTINCT FROM v_old.last_name THEN
        v_changed := v_changed || 'last_name'::text;
    END IF;
    IF p_email IS NOT NULL AND lower(btrim(p_email)) IS DISTINCT FROM v_old.email THEN
        v_changed := v_changed || 'email'::text;
    END IF;
    IF p_phone IS NOT NULL AND btrim(p_phone) IS DISTINCT FROM v_old.phone THEN
        v_changed := v_changed || 'phone'::text;
    END IF;
    IF cardinality(v_changed) > 0 THEN
        UPDATE public.users u
           SET first_name = coalesce(btrim(p_first_name), u.first_name),
               last_name = coalesce(btrim(p_last_name), u.last_name),
               email = coalesce(lower(btrim(p_email)), u.email),
               phone = coalesce(btrim(p_phone), u.phone)
         WHERE u.id = p_user_id;
    END IF;
    RETURN v_changed;
END
$$;

REVOKE ALL ON FUNCTION public.rectify_account(uuid, text, text, text, text) FROM PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- Search. A query is trimmed, lower-cased and stripped of accents like the indexed text. It is first
-- matched as the start of a field — a name (first name first or surname first), an email, or a phone
-- number (0803 000 … finds +234803000…) — through the btree indexes of V7; only when no account
-- starts with it is it matched as a fragment from inside a field, through the trigram index of V6.
-- The search functions run as the caller, so row-level security decides which matches each searcher
-- sees.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.search_key(p_query text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog
AS $$
DECLARE
    v_query text := btrim(coalesce(p_query, ''));
BEGIN
    IF length(v_query) < 2 OR length(v_query) > 100 THEN
        RAISE EXCEPTION 'A search needs 2 to 100 characters.' USING ERRCODE = 'VR400', HINT = 'query-too-short';
    END IF;
    RETURN public.search_text(v_query);
END
$$;

COMMENT ON FUNCTION public.search_key(text) IS
    'A search query in the form of public.search_text (trimmed, lower case, accents removed): VR400 query-too-short outside 2 to 100 characters.';

-- The start of an E.164 number a query of at least 7 digits stands for: 00… is international, 0… is
-- a Nigerian national number (+234 without the 0), anything else already has its country code.
CREATE OR REPLACE FUNCTION public.search_phone_prefix(p_query text) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog
AS $$
    SELECT CASE WHEN d LIKE '00%' THEN '+' || substr(d, 3)
                WHEN d LIKE '0%' THEN '+234' || substr(d, 2)
                ELSE '+' || d END
      FROM (SELECT regexp_replace(p_query, '[^0-9]', '', 'g') AS d) digits
     WHERE btrim(p_query) ~ '^[+0-9 ().-]+$' AND length(d) >= 7
$$;

COMMENT ON FUNCTION public.search_phone_prefix(text) IS
    'The E.164 prefix a phone-number query (7 digits or more) stands for, or NULL when the query is not one.';

CREATE OR REPLACE FUNCTION public.search_pattern(p_query text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog
AS $$
DECLARE
    v_query  text := btrim(coalesce(p_query, ''));
    v_digits text;
BEGIN
    PERFORM public.search_key(v_query);
    IF v_query ~ '^[+0-9 ().-]+$' THEN
        v_digits := ltrim(regexp_replace(v_query, '[^0-9]', '', 'g'), '0');
        IF length(v_digits) >= 2 THEN
            v_query := v_digits;
        END IF;
    END IF;
    RETURN '%' || replace(replace(replace(public.search_text(v_query), '\', '\\'), '%', '\%'), '_', '\_') || '%';
END
$$;

COMMENT ON FUNCTION public.search_pattern(text) IS
    'The LIKE pattern a search query matches as a fragment against public.search_text(...): VR400 query-too-short under 2 characters.';

DROP FUNCTION IF EXISTS public.searchable_accounts(text, text, text, text, uuid, uuid);

-- Whether an account is one a searcher of p_role may see: the users SELECT policies, mirrored for the
-- search functions that match as the owner. A fleet admin's people come as an array (p_fleet_users,
-- its drivers' accounts) so that this stays one expression the planner inlines into every arm.
CREATE OR REPLACE FUNCTION public.account_visible_in_search(p_role text, p_me uuid, p_fleet_users uuid[], p_id uuid,
                                                            p_deleted_at timestamptz, p_user_type public.user_type)
    RETURNS boolean
    LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE p_role
               WHEN 'support_agent' THEN p_deleted_at IS NULL OR p_id = p_me
               WHEN 'vip_admin' THEN p_id = p_me OR (p_user_type = 'customer' AND p_deleted_at IS NULL)
               WHEN 'fleet_admin' THEN p_id = p_me OR p_id = ANY (p_fleet_users)
               ELSE true
           END
$$;

COMMENT ON FUNCTION public.account_visible_in_search(text, uuid, uuid[], uuid, timestamptz, public.user_type) IS
    'Whether a searcher of p_role may see an account (the users SELECT policies, mirrored); inlined by searchable_accounts.';

-- The accounts a searcher of p_role may see that match, created before p_before: with p_pattern NULL,
-- those with a field starting with p_key (p_phone for a phone number); otherwise those whose search
-- text is LIKE p_pattern. One arm per kind of match, each on its own index and gated by a condition on
-- the parameters alone: the matching functions keep one cached plan, in which the arms that do not
-- apply are skipped by a one-time filter at no cost. A field starts with the key when it lies between
-- the key and the key followed by the highest code point. A name is looked up first name first and
-- surname first, each read from its covering index alone (an OR would visit the table for every match);
-- the surname arms leave out what the first name finds, so no match comes twice. The accounts named
-- exactly the key are read newest first from the index and only the first p_limit of them (a common
-- name has thousands); names that merely start with the key are read in full. Those arms order by the
-- name too (one value there): under the owner's row-level security the name's equality, not being
-- leakproof, cannot tell the planner that the index is already in creation order.
CREATE OR REPLACE FUNCTION public.searchable_accounts(p_key text, p_phone text, p_pattern text,
                                                      p_role text, p_me uuid, p_fleet_users uuid[],
                                                      p_before timestamptz, p_limit integer)
    RETURNS TABLE (id uuid, created_at timestamptz)
    LANGUAGE sql STABLE
AS $$
    SELECT m.id, m.created_at
      FROM (SELECT u.id, u.created_at, u.deleted_at, u.user_type
              FROM public.users u
             WHERE p_pattern IS NOT NULL
               AND public.search_text(u.first_name || ' ' || u.last_name || ' ' || u.email || ' '
                                      || coalesce(u.phone, '')) LIKE p_pattern
            UNION ALL
            SELECT u.id, u.created_at, u.deleted_at, u.user_type
              FROM public.users u
             WHERE p_pattern IS NULL AND p_phone IS NOT NULL
               AND u.phone ~>=~ p_phone AND u.phone ~<~ (p_phone || chr(1114111))
            UNION ALL
            SELECT u.id, u.created_at, u.deleted_at, u.user_type
              FROM public.users u
             WHERE p_pattern IS NULL AND p_phone IS NULL AND strpos(p_key, '@') > 1
               AND u.email ~>=~ p_key AND u.email ~<~ (p_key || chr(1114111))
            UNION ALL
            (SELECT u.id, u.created_at, u.deleted_at, u.user_type
               FROM public.users u
              WHERE p_pattern IS NULL AND p_phone IS NULL AND strpos(p_key, '@') <= 1
                AND public.search_text(u.first_name || ' ' || u.last_name) = p_key
                AND (p_before IS NULL OR u.created_at < p_before)
                AND public.account_visible_in_search(p_role, p_me, p_fleet_users, u.id, u.deleted_at, u.user_type)
              ORDER BY public.search_text(u.first_name || ' ' || u.last_name) USING ~<~, u.created_at DESC, u.id DESC
              LIMIT p_limit)
            UNION ALL
            SELECT u.id, u.created_at, u.deleted_at, u.user_type
              FROM public.users u
             WHERE p_pattern IS NULL AND p_phone IS NULL AND strpos(p_key, '@') <= 1
               AND public.search_text(u.first_name || ' ' || u.last_name) ~>~ p_key
               AND public.search_text(u.first_name || ' ' || u.last_name) ~<~ (p_key || chr(1114111))
            UNION ALL
            (SELECT u.id, u.created_at, u.deleted_at, u.user_type
               FROM public.users u
              WHERE p_pattern IS NULL AND p_phone IS NULL AND strpos(p_key, '@') <= 1
                AND public.search_text(u.last_name || ' ' || u.first_name) = p_key
                AND NOT (public.search_text(u.first_name || ' ' || u.last_name) ~>=~ p_key
                         AND public.search_text(u.first_name || ' ' || u.last_name) ~<~ (p_key || chr(1114111)))
                AND (p_before IS NULL OR u.created_at < p_before)
                AND public.account_visible_in_search(p_role, p_me, p_fleet_users, u.id, u.deleted_at, u.user_type)
              ORDER BY public.search_text(u.last_name || ' ' || u.first_name) USING ~<~, u.created_at DESC, u.id DESC
              LIMIT p_limit)
            UNION ALL
            SELECT u.id, u.created_at, u.deleted_at, u.user_type
              FROM public.users u
             WHERE p_pattern IS NULL AND p_phone IS NULL AND strpos(p_key, '@') <= 1
               AND public.search_text(u.last_name || ' ' || u.first_name) ~>~ p_key
               AND public.search_text(u.last_name || ' ' || u.first_name) ~<~ (p_key || chr(1114111))
               AND NOT (public.search_text(u.first_name || ' ' || u.last_name) ~>=~ p_key
                        AND public.search_text(u.first_name || ' ' || u.last_name) ~<~ (p_key || chr(1114111)))) m
     WHERE (p_before IS NULL OR m.created_at < p_before)
       AND public.account_visible_in_search(p_role, p_me, p_fleet_users, m.id, m.deleted_at, m.user_type)
$$;

COMMENT ON FUNCTION public.searchable_accounts(text, text, text, text, uuid, uuid[], timestamptz, integer) IS
    'Accounts matching a search (a field''s start, or a fragment when p_pattern is set) that a searcher of p_role may see; inlined by the matching functions.';

-- A fleet admin's people for account_visible_in_search: the accounts of the fleet's drivers.
CREATE OR REPLACE FUNCTION public.fleet_driver_accounts(p_fleet uuid) RETURNS uuid[]
    LANGUAGE sql STABLE
AS $$
    SELECT ARRAY(SELECT d.user_id FROM public.drivers d WHERE d.fleet_company_id = p_fleet)
$$;

-- Row-level security keeps the search indexes out of reach: a policy's filter must run before any
-- condition that is not leakproof, and LIKE and the pattern operators are not, so under a filtering
-- policy (support agents, fleet admins) the search would read every account. The matching therefore
-- runs here, as the owner, on the indexes, restricted to exactly the rows the caller's role may see;
-- search_users then reads the returned accounts by id as the caller, so row-level security still
-- decides what is shown. Paging keeps to one matching: fragments only when no visible account starts
-- with the query at all. Each statement keeps one generic plan (searchable_accounts gates its arms on
-- the parameters), so a search is not planned again at every call.
CREATE OR REPLACE FUNCTION public.matching_user_ids(p_query text, p_before timestamptz, p_limit integer)
    RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
    SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_key   text := public.search_key(p_query);
    v_phone text := public.search_phone_prefix(p_query);
    v_role  text := current_setting('role');
    v_me    uuid := public.current_app_user_id();
    v_limit integer := least(greatest(coalesce(p_limit, 20), 1), 100);
    v_fleet_users uuid[];
BEGIN
    IF v_role NOT IN ('support_agent', 'system_admin', 'compliance_officer', 'vip_admin', 'fleet_admin') THEN
        RAISE EXCEPTION 'You may not search accounts.' USING ERRCODE = 'VR403', HINT = 'access-denied';
    END IF;
    IF v_role = 'fleet_admin' THEN
        v_fleet_users := public.fleet_driver_accounts(public.current_fleet_company_id());
    END IF;
    RETURN QUERY
        SELECT a.id FROM public.searchable_accounts(v_key, v_phone, NULL, v_role, v_me, v_fleet_users, p_before, v_limit) a
         ORDER BY a.created_at DESC, a.id DESC
         LIMIT v_limit;
    IF FOUND OR (p_before IS NOT NULL
                 AND EXISTS (SELECT FROM public.searchable_accounts(v_key, v_phone, NULL, v_role, v_me, v_fleet_users, NULL, 1))) THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT a.id FROM public.searchable_accounts(NULL, NULL, public.search_pattern(p_query), v_role, v_me, v_fleet_users,
                                                    p_before, v_limit) a
         ORDER BY a.created_at DESC, a.id DESC
         LIMIT v_limit;
END
$$;

COMMENT ON FUNCTION public.matching_user_ids(text, timestamptz, integer) IS
    'The index side of search_users: ids of the accounts matching the query among those the caller''s role may see (the users SELECT policies, mirrored).';

CREATE OR REPLACE FUNCTION public.search_users(p_query text, p_before timestamptz, p_limit integer)
    RETURNS TABLE (id uuid, email text, phone text, first_name text, last_name text, user_type public.user_type,
                   is_active boolean, created_at timestamptz)
    LANGUAGE sql STABLE
AS $$
    SELECT u.id, u.email, u.phone, u.first_name, u.last_name, u.user_type, u.is_active, u.created_at
      FROM public.users u
     WHERE u.id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT public.matching_user_ids(p_query, p_before, p_limit)))
     ORDER BY u.created_at DESC, u.id DESC
$$;

COMMENT ON FUNCTION public.search_users(text, timestamptz, integer) IS
    'Accounts whose name, email or phone starts with the query (else contains it; case- and accent-insensitive), newest first, as far as the caller may see them.';

CREATE OR REPLACE TRIGGER users_track_consent BEFORE UPDATE OF marketing_consent, data_processing_consent ON public.users
    FOR EACH ROW EXECUTE FUNCTION public.users_track_consent();

CREATE OR REPLACE TRIGGER users_bump_security_version BEFORE UPDATE OF is_active, user_type, password_hash, deleted_at, account_locked_until
    ON public.users
    FOR EACH ROW EXECUTE FUNCTION public.users_bump_security_version();

-- ---------------------------------------------------------------------------------------------
-- Audited tables. Driver position pings are not business changes: a drivers update that only moves
-- the driver or flips availability leaves no audit row.
-- ---------------------------------------------------------------------------------------------
SELECT audit.enable_audit('public.users');

SELECT audit.enable_audit('public.staff_invitations');

-- ---------------------------------------------------------------------------------------------
-- Accounts: anonymous callers register, log in and refresh only through the account functions.
-- ---------------------------------------------------------------------------------------------
GRANT EXECUTE ON FUNCTION
    public.register_customer(text, text, text, text, text, text, boolean, boolean),
    public.find_login_account(text),
    public.claim_login_try(text, integer, interval),
    public.record_failed_login(uuid, boolean),
    public.record_successful_login(uuid, bytea, timestamptz),
    public.rotate_refresh_token(bytea, bytea, timestamptz)
    TO anonymous_user;

GRANT EXECUTE ON FUNCTION public.accept_staff_invitation(bytea, text) TO anonymous_user;

-- The login-tries-upkeep job acts as the platform.
GRANT EXECUTE ON FUNCTION public.forget_old_login_tries() TO system_admin;

-- The session check runs as the service login itself, before it switches into the caller's role.
GRANT EXECUTE ON FUNCTION public.assert_session_current(uuid, bigint) TO app_backend;

-- The first administrator is created by the service acting as the platform (a system job).
GRANT EXECUTE ON FUNCTION public.bootstrap_system_admin(text, text) TO system_admin;

GRANT EXECUTE ON FUNCTION
    public.create_staff_account(text, text, text, text, public.user_type, uuid, uuid, text, bytea, timestamptz),
    public.insert_staff_user(text, text, text, text, public.user_type, text, bytea, timestamptz),
    public.check_staff_scope(public.user_type, uuid, uuid),
    public.link_staff_scope(uuid, public.user_type, uuid, uuid),
    public.change_account_role(uuid, public.user_type, uuid, uuid)
    TO system_admin;

GRANT EXECUTE ON FUNCTION
    public.can_manage_account(uuid),
    public.set_account_suspended(uuid, boolean),
    public.unlock_account(uuid)
    TO system_admin, fleet_admin;

GRANT EXECUTE ON FUNCTION public.is_staff_type(public.user_type), public.search_text(text), public.search_key(text),
    public.search_pattern(text) TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;

-- Who may search accounts; what each finds is what the users policies let it see.
GRANT EXECUTE ON FUNCTION public.search_users(text, timestamptz, integer), public.matching_user_ids(text, timestamptz, integer) TO
    support_agent, system_admin, compliance_officer, vip_admin, fleet_admin;

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

-- Login tries are reached only through the login functions, which run as the owner.
CREATE POLICY login_attempts_select_owner ON public.login_attempts FOR SELECT TO vipride_owner USING (true);

CREATE POLICY login_attempts_insert_owner ON public.login_attempts FOR INSERT TO vipride_owner WITH CHECK (true);

CREATE POLICY login_attempts_update_owner ON public.login_attempts FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY login_attempts_delete_owner ON public.login_attempts FOR DELETE TO vipride_owner USING (true);

-- Invitations are reached only through the staff functions, which run as the owner.
CREATE POLICY staff_invitations_select_owner ON public.staff_invitations FOR SELECT TO vipride_owner USING (true);

CREATE POLICY staff_invitations_insert_owner ON public.staff_invitations FOR INSERT TO vipride_owner WITH CHECK (true);

CREATE POLICY staff_invitations_update_owner ON public.staff_invitations FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

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

-- Erasure (compliance.apply_erasure, as the owner) deletes an erased account's refresh tokens.
CREATE POLICY refresh_tokens_delete_owner ON public.refresh_tokens FOR DELETE TO vipride_owner USING (true);
