-- R__05_fleet.sql — the policies, grants and audit triggers of the fleet tables (fleet_companies,
-- fleet_admins, vehicles, drivers; vehicle_leases has its own file, R__05_fleet_leases.sql). A
-- fleet_admin sees their own fleet only; drivers' position columns are left out of the row-level
-- audit (they change on every ping).
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
        'public.fleet_companies',
        'public.fleet_admins',
        'public.vehicles',
        'public.drivers']::regclass[] LOOP
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

SELECT audit.enable_audit('public.fleet_companies');

SELECT audit.enable_audit('public.fleet_admins', 'user_id');

SELECT audit.enable_audit('public.vehicles');

SELECT audit.enable_audit('public.drivers', 'id', ARRAY[
    'is_online', 'is_available', 'current_lat', 'current_lng', 'current_position', 'position_updated_at']);

GRANT SELECT ON public.fleet_companies TO fleet_admin, driver_user, support_agent, system_admin;

GRANT INSERT ON public.fleet_companies TO system_admin;

GRANT UPDATE (contact_email, contact_phone, operating_cities) ON public.fleet_companies TO fleet_admin;

GRANT UPDATE ON public.fleet_companies TO system_admin;

CREATE POLICY fleet_companies_select_fleet_admin ON public.fleet_companies FOR SELECT TO fleet_admin
    USING (id = (SELECT public.current_fleet_company_id()));

CREATE POLICY fleet_companies_select_driver_user ON public.fleet_companies FOR SELECT TO driver_user
    USING (id = (SELECT d.fleet_company_id FROM public.drivers d WHERE d.id = (SELECT public.current_driver_id())));

CREATE POLICY fleet_companies_select_support_agent ON public.fleet_companies FOR SELECT TO support_agent USING (true);

CREATE POLICY fleet_companies_select_system_admin ON public.fleet_companies FOR SELECT TO system_admin USING (true);

CREATE POLICY fleet_companies_insert_system_admin ON public.fleet_companies FOR INSERT TO system_admin WITH CHECK (true);

CREATE POLICY fleet_companies_update_fleet_admin ON public.fleet_companies FOR UPDATE TO fleet_admin
    USING (id = (SELECT public.current_fleet_company_id())) WITH CHECK (id = (SELECT public.current_fleet_company_id()));

CREATE POLICY fleet_companies_update_system_admin ON public.fleet_companies FOR UPDATE TO system_admin
    USING (true) WITH CHECK (true);

GRANT SELECT ON public.fleet_admins TO fleet_admin, system_admin;

GRANT INSERT, DELETE ON public.fleet_admins TO system_admin;

CREATE POLICY fleet_admins_select_fleet_admin ON public.fleet_admins FOR SELECT TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()));

CREATE POLICY fleet_admins_select_system_admin ON public.fleet_admins FOR SELECT TO system_admin USING (true);

CREATE POLICY fleet_admins_insert_system_admin ON public.fleet_admins FOR INSERT TO system_admin WITH CHECK (true);

CREATE POLICY fleet_admins_delete_system_admin ON public.fleet_admins FOR DELETE TO system_admin USING (true);

CREATE POLICY fleet_admins_select_owner ON public.fleet_admins FOR SELECT TO vipride_owner USING (true);

GRANT SELECT ON public.drivers TO driver_user, fleet_admin, customer_user, support_agent, system_admin;

GRANT INSERT (user_id, fleet_company_id, license_number, license_expires_on, category, city) ON public.drivers TO driver_user;

GRANT UPDATE (is_online, is_available, current_lat, current_lng, position_updated_at, current_vehicle_id)
    ON public.drivers TO driver_user;

GRANT UPDATE (current_vehicle_id, is_available) ON public.drivers TO fleet_admin;

GRANT UPDATE (status, vip_vetted_at, fleet_company_id, category, is_available, is_online) ON public.drivers TO system_admin;

CREATE POLICY drivers_select_driver_user ON public.drivers FOR SELECT TO driver_user
    USING (user_id = public.current_app_user_id());

CREATE POLICY drivers_select_fleet_admin ON public.drivers FOR SELECT TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()));

CREATE POLICY drivers_select_customer_user ON public.drivers FOR SELECT TO customer_user
    USING (id IN (SELECT r.driver_id FROM public.rides r
                   WHERE r.customer_id = public.current_app_user_id()
                     AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency')));

CREATE POLICY drivers_select_support_agent ON public.drivers FOR SELECT TO support_agent USING (true);

CREATE POLICY drivers_select_system_admin ON public.drivers FOR SELECT TO system_admin USING (true);

-- A driver applies for themselves only, and starts unvetted (status defaults to pending_verification).
CREATE POLICY drivers_insert_driver_user ON public.drivers FOR INSERT TO driver_user
    WITH CHECK (user_id = public.current_app_user_id());

CREATE POLICY drivers_update_driver_user ON public.drivers FOR UPDATE TO driver_user
    USING (user_id = public.current_app_user_id()) WITH CHECK (user_id = public.current_app_user_id());

CREATE POLICY drivers_update_fleet_admin ON public.drivers FOR UPDATE TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()))
    WITH CHECK (fleet_company_id = (SELECT public.current_fleet_company_id()));

CREATE POLICY drivers_update_system_admin ON public.drivers FOR UPDATE TO system_admin USING (true) WITH CHECK (true);

CREATE POLICY drivers_select_owner ON public.drivers FOR SELECT TO vipride_owner USING (true);

GRANT SELECT ON public.vehicles TO driver_user, fleet_admin, customer_user, support_agent, system_admin;

GRANT INSERT, UPDATE ON public.vehicles TO fleet_admin, driver_user, system_admin;

CREATE POLICY vehicles_select_driver_user ON public.vehicles FOR SELECT TO driver_user
    USING (owner_user_id = public.current_app_user_id()
           OR id = (SELECT d.current_vehicle_id FROM public.drivers d WHERE d.id = (SELECT public.current_driver_id())));

CREATE POLICY vehicles_select_fleet_admin ON public.vehicles FOR SELECT TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()));

CREATE POLICY vehicles_select_customer_user ON public.vehicles FOR SELECT TO customer_user
    USING (id IN (SELECT r.vehicle_id FROM public.rides r
                   WHERE r.customer_id = public.current_app_user_id()
                     AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency')));

CREATE POLICY vehicles_select_support_agent ON public.vehicles FOR SELECT TO support_agent USING (true);

CREATE POLICY vehicles_select_system_admin ON public.vehicles FOR SELECT TO system_admin USING (true);

-- Owner-operators register their own vehicles; fleets register vehicles for their fleet.
CREATE POLICY vehicles_insert_driver_user ON public.vehicles FOR INSERT TO driver_user
    WITH CHECK (owner_user_id = public.current_app_user_id() AND fleet_company_id IS NULL AND NOT vip_certified);

CREATE POLICY vehicles_insert_fleet_admin ON public.vehicles FOR INSERT TO fleet_admin
    WITH CHECK (fleet_company_id = (SELECT public.current_fleet_company_id()) AND NOT vip_certified);

CREATE POLICY vehicles_insert_system_admin ON public.vehicles FOR INSERT TO system_admin WITH CHECK (true);

CREATE POLICY vehicles_update_driver_user ON public.vehicles FOR UPDATE TO driver_user
    USING (owner_user_id = public.current_app_user_id() AND fleet_company_id IS NULL)
    WITH CHECK (owner_user_id = public.current_app_user_id() AND fleet_company_id IS NULL);

CREATE POLICY vehicles_update_fleet_admin ON public.vehicles FOR UPDATE TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()))
    WITH CHECK (fleet_company_id = (SELECT public.current_fleet_company_id()));

CREATE POLICY vehicles_update_system_admin ON public.vehicles FOR UPDATE TO system_admin USING (true) WITH CHECK (true);

CREATE POLICY drivers_update_owner ON public.drivers FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY vehicles_select_owner ON public.vehicles FOR SELECT TO vipride_owner USING (true);

CREATE POLICY fleet_companies_select_owner ON public.fleet_companies FOR SELECT TO vipride_owner USING (true);

-- Pure tests of their arguments that read nothing: every role that writes these rows evaluates them.
GRANT EXECUTE ON FUNCTION public.driver_rules_hold TO PUBLIC;

-- Drivers' positions change several times a minute: their update trigger is a row trigger on the
-- audited columns only, instead of enable_audit's statement trigger.
DROP TRIGGER drivers_audit_update ON public.drivers;
DO $$
DECLARE
    v_ignored text[] := ARRAY['is_online', 'is_available', 'current_lat', 'current_lng', 'dispatch_xy',
                              'position_updated_at', 'updated_at'];
    v_audited text[] := ARRAY(SELECT quote_ident(a.attname) FROM pg_attribute a
                               WHERE a.attrelid = 'public.drivers'::regclass AND a.attnum > 0 AND NOT a.attisdropped
                                 AND a.attname <> ALL (v_ignored)
                               ORDER BY a.attnum);
BEGIN
    EXECUTE format('CREATE TRIGGER drivers_audit_update AFTER UPDATE OF %s ON public.drivers FOR EACH ROW '
                   'EXECUTE FUNCTION audit.record_row_update(%L, %L)',
                   array_to_string(v_audited, ', '), 'id', v_ignored::text);
END
$$;

-- updated_at follows every change.
CREATE OR REPLACE TRIGGER fleet_companies_touch_updated_at BEFORE UPDATE ON public.fleet_companies
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE OR REPLACE TRIGGER vehicles_touch_updated_at BEFORE UPDATE ON public.vehicles
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE OR REPLACE TRIGGER drivers_touch_updated_at BEFORE UPDATE ON public.drivers
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();
