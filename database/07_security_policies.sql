-- Part 07 — privileges and row-level security, kept together per table family so that who may do
-- what is readable in one place. Default: nothing. Every table holding personal, VIP, financial,
-- location or audit data has RLS enabled and forced (so even the owner is filtered); a role sees a
-- row only through a policy that names it. Policies read the caller once per statement through
-- (SELECT public.current_app_user_id()).
-- This part lays the foundation for the walking skeleton; the row-level security issue completes the
-- matrix for every role.

-- ---------------------------------------------------------------------------------------------
-- Schema usage
-- ---------------------------------------------------------------------------------------------
GRANT USAGE ON SCHEMA vip_data TO vip_admin, vip_operator, emergency_responder, customer_user;
GRANT USAGE ON SCHEMA audit TO audit_admin, compliance_officer;

-- ---------------------------------------------------------------------------------------------
-- Helpers every policy uses
-- ---------------------------------------------------------------------------------------------
GRANT EXECUTE ON FUNCTION public.current_app_user_id() TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;

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

ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.users FORCE ROW LEVEL SECURITY;
-- password_hash and lock-out counters are never readable by a role, only by the account functions.
GRANT SELECT (id, email, phone, first_name, last_name, user_type, tier, preferred_language, home_city,
              is_active, email_verified_at, phone_verified_at, marketing_consent, data_processing_consent,
              consent_updated_at, last_login_at, created_at, updated_at, deleted_at)
    ON public.users TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;

-- Every signed-in role reads its own account row; one policy per role so each is named with TO.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['system_admin', 'audit_admin', 'compliance_officer', 'vip_admin', 'vip_operator',
                             'emergency_responder', 'fleet_admin', 'driver_user', 'customer_user',
                             'support_agent', 'hotel_staff']
    LOOP
        EXECUTE format('CREATE POLICY users_select_own_%s ON public.users FOR SELECT TO %I '
                       'USING (id = (SELECT public.current_app_user_id()))', r, r);
    END LOOP;
END
$$;

ALTER TABLE public.refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.refresh_tokens FORCE ROW LEVEL SECURITY;

-- The account functions run as the owner, which FORCE makes subject to RLS too. The owner could
-- switch RLS off anyway, so these policies grant it nothing new; they keep FORCE as a guard against
-- accidental reads by any other path while letting the audited functions do their one job.
DO $$
DECLARE
    t text;
    c text;
BEGIN
    FOREACH t IN ARRAY ARRAY['users', 'refresh_tokens'] LOOP
        FOREACH c IN ARRAY ARRAY['select', 'insert', 'update'] LOOP
            EXECUTE format('CREATE POLICY %s_%s_owner ON public.%I FOR %s TO vipride_owner %s',
                           t, c, t, upper(c),
                           CASE c WHEN 'insert' THEN 'WITH CHECK (true)'
                                  WHEN 'update' THEN 'USING (true) WITH CHECK (true)'
                                  ELSE 'USING (true)' END);
        END LOOP;
    END LOOP;
END
$$;
COMMENT ON TABLE public.refresh_tokens IS
    'Rotating refresh tokens (hashes only). Reusing a rotated token revokes its whole family. No role has privileges: only the account functions touch it.';

-- ---------------------------------------------------------------------------------------------
-- Fleet, vehicles, drivers: RLS on, own-row reads for drivers; fleet and staff rules follow with
-- the row-level security issue.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.fleet_companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.fleet_companies FORCE ROW LEVEL SECURITY;
ALTER TABLE public.vehicles ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.vehicles FORCE ROW LEVEL SECURITY;
ALTER TABLE public.drivers ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.drivers FORCE ROW LEVEL SECURITY;

GRANT SELECT ON public.drivers TO driver_user;
CREATE POLICY drivers_select_own_driver_user ON public.drivers FOR SELECT TO driver_user
    USING (user_id = (SELECT public.current_app_user_id()));

-- ---------------------------------------------------------------------------------------------
-- Rides and payments: a rider reads their own.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.rides ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.rides FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.rides TO customer_user;
CREATE POLICY rides_select_own_customer_user ON public.rides FOR SELECT TO customer_user
    USING (customer_id = (SELECT public.current_app_user_id()));

ALTER TABLE public.payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.payments FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.payments TO customer_user;
CREATE POLICY payments_select_own_customer_user ON public.payments FOR SELECT TO customer_user
    USING (payer_id = (SELECT public.current_app_user_id()));

-- ---------------------------------------------------------------------------------------------
-- VIP data: admins manage, operators read profiles, a VIP reads their own profile.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE vip_data.vip_profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE vip_data.vip_profiles FORCE ROW LEVEL SECURITY;
ALTER TABLE vip_data.vip_location_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE vip_data.vip_location_history FORCE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE ON vip_data.vip_profiles TO vip_admin;
GRANT SELECT ON vip_data.vip_profiles TO vip_operator, customer_user;
CREATE POLICY vip_profiles_select_vip_admin ON vip_data.vip_profiles FOR SELECT TO vip_admin USING (true);
CREATE POLICY vip_profiles_insert_vip_admin ON vip_data.vip_profiles FOR INSERT TO vip_admin WITH CHECK (true);
CREATE POLICY vip_profiles_update_vip_admin ON vip_data.vip_profiles FOR UPDATE TO vip_admin
    USING (true) WITH CHECK (true);
CREATE POLICY vip_profiles_select_vip_operator ON vip_data.vip_profiles FOR SELECT TO vip_operator USING (true);
CREATE POLICY vip_profiles_select_own_customer_user ON vip_data.vip_profiles FOR SELECT TO customer_user
    USING (user_id = (SELECT public.current_app_user_id()));

-- ---------------------------------------------------------------------------------------------
-- Audit: append-only. Nobody holds UPDATE or DELETE; audit roles read.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE audit.auth_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.auth_events FORCE ROW LEVEL SECURITY;
GRANT SELECT ON audit.auth_events TO audit_admin, compliance_officer;
CREATE POLICY auth_events_select_audit_admin ON audit.auth_events FOR SELECT TO audit_admin USING (true);
CREATE POLICY auth_events_select_compliance_officer ON audit.auth_events FOR SELECT TO compliance_officer USING (true);
-- The account functions run as the owner, which RLS also filters (FORCE): let it append, never read.
CREATE POLICY auth_events_insert_owner ON audit.auth_events FOR INSERT TO vipride_owner WITH CHECK (true);
