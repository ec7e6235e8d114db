-- R__05_fleet.sql — the policies, grants and audit triggers of the fleet tables (fleet_companies,
-- fleet_admins, vehicles, drivers, fleet_documents; vehicle_leases has its own file,
-- R__05_fleet_leases.sql); onboarding (fleet applications and their vetting, driver applications and
-- their decision, VIP vetting and certification); the vehicle a driver may drive; documents and the date
-- until which they hold (a driver past it cannot go online and is never dispatched); and the reminders
-- of documents about to expire. A fleet_admin sees their own fleet only; drivers' position columns are
-- left out of the row-level audit (they change on every ping).
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'public.fleet_companies',
    'public.fleet_admins',
    'public.vehicles',
    'public.drivers',
    'public.fleet_documents');

SELECT audit.enable_audit('public.fleet_companies');

SELECT audit.enable_audit('public.fleet_admins', 'user_id');

SELECT audit.enable_audit('public.vehicles');

SELECT audit.enable_audit('public.drivers', 'id', ARRAY[
    'is_online', 'is_available', 'current_lat', 'current_lng', 'current_position', 'position_updated_at']);

GRANT SELECT ON public.fleet_companies TO fleet_admin, driver_user, customer_user, support_agent, system_admin;

GRANT INSERT ON public.fleet_companies TO system_admin;

GRANT UPDATE (contact_email, contact_phone, operating_cities) ON public.fleet_companies TO fleet_admin;

GRANT UPDATE ON public.fleet_companies TO system_admin;

CREATE POLICY fleet_companies_select_fleet_admin ON public.fleet_companies FOR SELECT TO fleet_admin
    USING (id = (SELECT public.current_fleet_company_id()));

CREATE POLICY fleet_companies_select_driver_user ON public.fleet_companies FOR SELECT TO driver_user
    USING (id = (SELECT d.fleet_company_id FROM public.drivers d WHERE d.id = (SELECT public.current_driver_id()))
           OR applicant_user_id = public.current_app_user_id());

-- A rider who applied for a fleet follows their application.
CREATE POLICY fleet_companies_select_customer_user ON public.fleet_companies FOR SELECT TO customer_user
    USING (applicant_user_id = public.current_app_user_id());

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

-- A rider sees their own application to drive, and the driver of their active ride.
CREATE POLICY drivers_select_customer_user ON public.drivers FOR SELECT TO customer_user
    USING (user_id = public.current_app_user_id()
           OR id IN (SELECT r.driver_id FROM public.rides r
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
    WITH CHECK (owner_user_id = public.current_app_user_id() AND fleet_company_id IS NULL AND NOT vip_certified
                AND EXISTS (SELECT FROM public.drivers d
                             WHERE d.id = (SELECT public.current_driver_id()) AND d.category = 'owner_operator'));

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

CREATE POLICY vehicles_update_owner ON public.vehicles FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY fleet_companies_insert_owner ON public.fleet_companies FOR INSERT TO vipride_owner WITH CHECK (true);

CREATE POLICY fleet_companies_update_owner ON public.fleet_companies FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY fleet_admins_insert_owner ON public.fleet_admins FOR INSERT TO vipride_owner WITH CHECK (true);

CREATE POLICY drivers_insert_owner ON public.drivers FOR INSERT TO vipride_owner WITH CHECK (true);

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

-- ---------------------------------------------------------------------------------------------
-- Documents of drivers and vehicles
--   the driver (also while their application is pending, as a rider), the owner-operator of a vehicle
--   and the fleet_admin of the driver's or vehicle's fleet record and read them; support_agent and
--   system_admin read every one. Nobody changes or deletes one: a renewal is a new document.
-- ---------------------------------------------------------------------------------------------

-- Whether the caller keeps the documents of this driver or vehicle: their own driver record, a
-- vehicle they own, or a driver or vehicle of the fleet they administer. SECURITY DEFINER, so the
-- answer does not depend on what the caller may read of drivers and vehicles.
CREATE OR REPLACE FUNCTION public.keeps_documents_of(p_driver_id uuid, p_vehicle_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT EXISTS (SELECT FROM public.drivers d
                    WHERE d.id = p_driver_id AND d.deleted_at IS NULL
                      AND (d.user_id = public.current_app_user_id()
                           OR d.fleet_company_id = public.current_fleet_company_id()))
        OR EXISTS (SELECT FROM public.vehicles v
                    WHERE v.id = p_vehicle_id AND v.deleted_at IS NULL
                      AND ((v.owner_user_id = public.current_app_user_id() AND v.fleet_company_id IS NULL)
                           OR v.fleet_company_id = public.current_fleet_company_id()))
$$;

-- What a reader may see: what they keep, and a vehicle they own even while a fleet runs it.
CREATE OR REPLACE FUNCTION public.sees_documents_of(p_driver_id uuid, p_vehicle_id uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT public.keeps_documents_of(p_driver_id, p_vehicle_id)
        OR EXISTS (SELECT FROM public.vehicles v
                    WHERE v.id = p_vehicle_id AND v.owner_user_id = public.current_app_user_id())
$$;

GRANT SELECT ON public.fleet_documents TO fleet_admin, driver_user, customer_user, support_agent, system_admin;

GRANT INSERT (driver_id, vehicle_id, kind, document_number, issuer, expires_on, storage_key, content_type,
              size_bytes, sha256, uploaded_by)
    ON public.fleet_documents TO fleet_admin, driver_user, customer_user;

CREATE POLICY fleet_documents_select_fleet_admin ON public.fleet_documents FOR SELECT TO fleet_admin
    USING (public.sees_documents_of(driver_id, vehicle_id));

CREATE POLICY fleet_documents_select_driver_user ON public.fleet_documents FOR SELECT TO driver_user
    USING (public.sees_documents_of(driver_id, vehicle_id));

CREATE POLICY fleet_documents_select_customer_user ON public.fleet_documents FOR SELECT TO customer_user
    USING (public.sees_documents_of(driver_id, vehicle_id));

CREATE POLICY fleet_documents_select_support_agent ON public.fleet_documents FOR SELECT TO support_agent USING (true);

CREATE POLICY fleet_documents_select_system_admin ON public.fleet_documents FOR SELECT TO system_admin USING (true);

CREATE POLICY fleet_documents_insert_fleet_admin ON public.fleet_documents FOR INSERT TO fleet_admin
    WITH CHECK (uploaded_by = public.current_app_user_id() AND public.keeps_documents_of(driver_id, vehicle_id));

CREATE POLICY fleet_documents_insert_driver_user ON public.fleet_documents FOR INSERT TO driver_user
    WITH CHECK (uploaded_by = public.current_app_user_id() AND public.keeps_documents_of(driver_id, vehicle_id));

CREATE POLICY fleet_documents_insert_customer_user ON public.fleet_documents FOR INSERT TO customer_user
    WITH CHECK (uploaded_by = public.current_app_user_id() AND public.keeps_documents_of(driver_id, vehicle_id));

CREATE POLICY fleet_documents_select_owner ON public.fleet_documents FOR SELECT TO vipride_owner USING (true);

CREATE POLICY fleet_documents_update_owner ON public.fleet_documents FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

SELECT audit.enable_audit('public.fleet_documents');

-- The last day on which a vehicle's documents all hold: its insurance and registration dates and each
-- current document.
CREATE OR REPLACE FUNCTION public.vehicle_documents_valid_until(p_vehicle_id uuid, p_insurance date, p_registration date)
    RETURNS date
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(least(p_insurance, p_registration,
                          (SELECT min(f.expires_on) FROM public.fleet_documents f
                            WHERE f.vehicle_id = p_vehicle_id AND f.superseded_at IS NULL)),
                    'infinity'::date)
$$;

-- The last day on which a driver may drive: their licence, each current document of theirs, and the
-- documents of the vehicle they drive.
CREATE OR REPLACE FUNCTION public.driver_documents_valid_until(p_driver_id uuid, p_licence date, p_vehicle_id uuid)
    RETURNS date
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(least(p_licence,
                          (SELECT min(f.expires_on) FROM public.fleet_documents f
                            WHERE f.driver_id = p_driver_id AND f.superseded_at IS NULL),
                          (SELECT v.documents_valid_until FROM public.vehicles v WHERE v.id = p_vehicle_id)),
                    'infinity'::date)
$$;

-- The rules of a driver row that need other rows, at the moments they can break (never on a position
-- ping): a driver may drive only their fleet's vehicle, their own (owner-operator) or one leased to
-- their fleet; the documents' date follows the licence and the
-- vehicle; a driver whose documents have expired cannot go online.
CREATE OR REPLACE FUNCTION public.drivers_fleet_rules() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_vehicle public.vehicles;
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.current_vehicle_id IS DISTINCT FROM OLD.current_vehicle_id THEN
        IF NEW.current_vehicle_id IS NOT NULL THEN
            SELECT * INTO v_vehicle FROM public.vehicles v WHERE v.id = NEW.current_vehicle_id AND v.deleted_at IS NULL;
            IF NOT FOUND
               OR NOT ((v_vehicle.fleet_company_id IS NOT NULL AND v_vehicle.fleet_company_id = NEW.fleet_company_id)
                       OR (v_vehicle.fleet_company_id IS NULL AND v_vehicle.owner_user_id = NEW.user_id)
                       OR EXISTS (SELECT FROM public.vehicle_leases l
                                   WHERE l.vehicle_id = v_vehicle.id AND l.status = 'active'
                                     AND l.fleet_company_id = NEW.fleet_company_id)) THEN
                RAISE EXCEPTION 'No vehicle % can be given to this driver.', NEW.current_vehicle_id
                    USING ERRCODE = 'VR404', HINT = 'not-found';
            END IF;
            IF v_vehicle.status <> 'active' THEN
                RAISE EXCEPTION 'Vehicle % is %, not active.', v_vehicle.id, v_vehicle.status
                    USING ERRCODE = 'VR409', HINT = 'vehicle-not-active';
            END IF;
        END IF;
    END IF;
    IF TG_OP = 'INSERT' THEN
        -- A new driver has no documents yet (they refer to the row): the licence and the vehicle decide.
        NEW.documents_valid_until := coalesce(least(NEW.license_expires_on,
            (SELECT v.documents_valid_until FROM public.vehicles v WHERE v.id = NEW.current_vehicle_id)), 'infinity');
    ELSIF NEW.license_expires_on IS DISTINCT FROM OLD.license_expires_on
       OR NEW.current_vehicle_id IS DISTINCT FROM OLD.current_vehicle_id
       OR NEW.documents_valid_until IS DISTINCT FROM OLD.documents_valid_until THEN
        NEW.documents_valid_until := public.driver_documents_valid_until(NEW.id, NEW.license_expires_on, NEW.current_vehicle_id);
    END IF;
    IF NEW.is_online AND (TG_OP = 'INSERT' OR NOT OLD.is_online) AND NEW.documents_valid_until < current_date THEN
        RAISE EXCEPTION 'A required document expired on %; renew it before going online.', NEW.documents_valid_until
            USING ERRCODE = 'VR409', HINT = 'document-expired';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER drivers_fleet_rules
    BEFORE INSERT OR UPDATE OF current_vehicle_id, license_expires_on, documents_valid_until, is_online ON public.drivers
    FOR EACH ROW EXECUTE FUNCTION public.drivers_fleet_rules();

CREATE OR REPLACE FUNCTION public.vehicles_documents_valid_until() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- A new vehicle has no documents yet (they refer to the row).
        NEW.documents_valid_until := coalesce(least(NEW.insurance_expires_on, NEW.registration_expires_on), 'infinity');
    ELSE
        NEW.documents_valid_until := public.vehicle_documents_valid_until(NEW.id, NEW.insurance_expires_on,
                                                                          NEW.registration_expires_on);
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER vehicles_documents_valid_until
    BEFORE INSERT OR UPDATE OF insurance_expires_on, registration_expires_on, documents_valid_until ON public.vehicles
    FOR EACH ROW EXECUTE FUNCTION public.vehicles_documents_valid_until();

-- The drivers of a vehicle whose documents' date moved are held to the new date.
CREATE OR REPLACE FUNCTION public.vehicles_pass_documents_to_drivers() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    UPDATE public.drivers d SET documents_valid_until = NEW.documents_valid_until WHERE d.current_vehicle_id = NEW.id;
    RETURN NULL;
END
$$;

-- Not UPDATE OF: the date also moves when the trigger above derives it from a changed insurance date.
CREATE OR REPLACE TRIGGER vehicles_pass_documents_to_drivers AFTER UPDATE ON public.vehicles
    FOR EACH ROW WHEN (NEW.documents_valid_until IS DISTINCT FROM OLD.documents_valid_until)
    EXECUTE FUNCTION public.vehicles_pass_documents_to_drivers();

-- A new document replaces the current one of its kind.
CREATE OR REPLACE FUNCTION public.fleet_documents_supersede() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    UPDATE public.fleet_documents f SET superseded_at = now()
     WHERE f.superseded_at IS NULL AND f.kind = NEW.kind
       AND (f.driver_id = NEW.driver_id OR f.vehicle_id = NEW.vehicle_id);
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER fleet_documents_supersede BEFORE INSERT ON public.fleet_documents
    FOR EACH ROW EXECUTE FUNCTION public.fleet_documents_supersede();

-- A document's date reaches its driver or vehicle: a licence is the driver's licence date, insurance and
-- registration the vehicle's dates, and every date moves documents_valid_until (through the triggers above).
CREATE OR REPLACE FUNCTION public.fleet_documents_apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NEW.superseded_at IS NOT NULL THEN
        IF NEW.driver_id IS NOT NULL THEN
            UPDATE public.drivers d SET documents_valid_until = NULL WHERE d.id = NEW.driver_id;
        ELSE
            UPDATE public.vehicles v SET documents_valid_until = NULL WHERE v.id = NEW.vehicle_id;
        END IF;
        RETURN NULL;
    END IF;
    IF NEW.driver_id IS NOT NULL THEN
        UPDATE public.drivers d
           SET license_expires_on = CASE WHEN NEW.kind = 'driver_licence' THEN NEW.expires_on ELSE d.license_expires_on END,
               documents_valid_until = NULL
         WHERE d.id = NEW.driver_id;
    ELSE
        UPDATE public.vehicles v
           SET insurance_expires_on = CASE WHEN NEW.kind = 'insurance' THEN NEW.expires_on ELSE v.insurance_expires_on END,
               registration_expires_on = CASE WHEN NEW.kind = 'vehicle_registration' THEN NEW.expires_on
                                              ELSE v.registration_expires_on END,
               documents_valid_until = NULL
         WHERE v.id = NEW.vehicle_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER fleet_documents_apply AFTER INSERT OR UPDATE OF expires_on, superseded_at ON public.fleet_documents
    FOR EACH ROW EXECUTE FUNCTION public.fleet_documents_apply();

-- Reminders of current documents about to expire, 30, 7 and 1 days before: one notification per
-- document and threshold, to the driver, or to the vehicle's owner-operator or its fleet's admins. A
-- document first seen inside a threshold gets that threshold's reminder only. Returns how many
-- notifications it wrote. Run by the document-expiry-reminders job.
CREATE OR REPLACE FUNCTION public.send_document_expiry_reminders() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_doc       record;
    v_threshold smallint;
    v_sent      integer := 0;
    v_recipient uuid;
BEGIN
    FOR v_doc IN SELECT f.*, f.expires_on - current_date AS days_left
                   FROM public.fleet_documents f
                  WHERE f.superseded_at IS NULL AND f.expires_on BETWEEN current_date AND current_date + 30
                  ORDER BY f.expires_on
                    FOR UPDATE SKIP LOCKED LOOP
        v_threshold := CASE WHEN v_doc.days_left <= 1 THEN 1 WHEN v_doc.days_left <= 7 THEN 7 ELSE 30 END;
        CONTINUE WHEN v_doc.reminded_days IS NOT NULL AND v_doc.reminded_days <= v_threshold;
        FOR v_recipient IN
            SELECT d.user_id FROM public.drivers d WHERE d.id = v_doc.driver_id
            UNION
            SELECT v.owner_user_id FROM public.vehicles v
             WHERE v.id = v_doc.vehicle_id AND v.fleet_company_id IS NULL AND v.owner_user_id IS NOT NULL
            UNION
            SELECT a.user_id FROM public.vehicles v JOIN public.fleet_admins a ON a.fleet_company_id = v.fleet_company_id
             WHERE v.id = v_doc.vehicle_id LOOP
            PERFORM public.notify(v_recipient, 'document-expiring', jsonb_build_object(
                'documentId', v_doc.id, 'kind', v_doc.kind, 'documentNumber', v_doc.document_number,
                'driverId', v_doc.driver_id, 'vehicleId', v_doc.vehicle_id, 'expiresOn', v_doc.expires_on,
                'daysLeft', v_doc.days_left, 'threshold', v_threshold));
            v_sent := v_sent + 1;
        END LOOP;
        UPDATE public.fleet_documents f SET reminded_days = v_threshold WHERE f.id = v_doc.id;
    END LOOP;
    RETURN v_sent;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Onboarding. Each step is one function: it decides who may take it (EXECUTE is granted to those
-- roles; a fleet_admin acts on their own fleet only) and refuses with a VR problem code.
-- ---------------------------------------------------------------------------------------------

-- A rider applies for a fleet company; it is pending until a system admin vets it. On approval the
-- applicant becomes the fleet's first fleet_admin (a rider account turns into a fleet_admin account).
CREATE OR REPLACE FUNCTION public.apply_for_fleet(p_name text, p_registration_number text, p_contact_email text,
                                                  p_contact_phone text, p_operating_cities text[]) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_user uuid := public.current_app_user_id();
    v_id   uuid;
BEGIN
    IF v_user IS NULL THEN
        RAISE EXCEPTION 'Sign in to apply for a fleet.' USING ERRCODE = 'VR403', HINT = 'access-denied';
    END IF;
    IF EXISTS (SELECT FROM public.users u WHERE u.id = v_user AND (u.user_type <> 'customer' OR u.tier <> 'normal')) THEN
        RAISE EXCEPTION 'Only normal-tier rider accounts can apply; premium and VIP riders keep their rider account.'
            USING ERRCODE = 'VR409', HINT = 'account-not-eligible';
    END IF;
    IF EXISTS (SELECT FROM unnest(coalesce(p_operating_cities, '{}')) c WHERE c !~ '^[a-z][a-z_-]{1,63}$')
       OR cardinality(coalesce(p_operating_cities, '{}')) = 0 THEN
        RAISE EXCEPTION 'Operating cities must be one or more city codes such as lagos.'
            USING ERRCODE = 'VR400', HINT = 'invalid-city';
    END IF;
    IF EXISTS (SELECT FROM public.fleet_companies f WHERE f.applicant_user_id = v_user AND f.status = 'pending') THEN
        RAISE EXCEPTION 'You already have a fleet application waiting to be vetted.'
            USING ERRCODE = 'VR409', HINT = 'application-pending';
    END IF;
    BEGIN
        INSERT INTO public.fleet_companies (name, registration_number, contact_email, contact_phone, operating_cities,
                                            status, applicant_user_id)
        VALUES (btrim(p_name), btrim(p_registration_number), lower(btrim(p_contact_email)), p_contact_phone,
                p_operating_cities, 'pending', v_user)
        RETURNING id INTO v_id;
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION 'A fleet with registration number % is already registered.', p_registration_number
            USING ERRCODE = 'VR409', HINT = 'duplicate-registration-number';
    END;
    RETURN v_id;
END
$$;

-- A system admin vets a pending fleet (approve or reject, with a reason), suspends an active one or
-- reinstates a suspended one. Suspension takes the fleet's drivers offline.
CREATE OR REPLACE FUNCTION public.change_fleet_status(p_fleet_id uuid, p_action text, p_reason text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_fleet public.fleet_companies;
    v_to    text;
BEGIN
    SELECT * INTO v_fleet FROM public.fleet_companies f WHERE f.id = p_fleet_id AND f.deleted_at IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No fleet company % is visible to you.', p_fleet_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    v_to := CASE
        WHEN p_action = 'approve' AND v_fleet.status = 'pending' THEN 'active'
        WHEN p_action = 'reject' AND v_fleet.status = 'pending' THEN 'rejected'
        WHEN p_action = 'suspend' AND v_fleet.status = 'active' THEN 'suspended'
        WHEN p_action = 'reinstate' AND v_fleet.status = 'suspended' THEN 'active'
    END;
    IF v_to IS NULL THEN
        RAISE EXCEPTION 'The fleet is %; "%" does not apply.', v_fleet.status, p_action
            USING ERRCODE = 'VR409', HINT = 'illegal-transition';
    END IF;
    UPDATE public.fleet_companies f
       SET status = v_to, status_reason = btrim(p_reason), status_changed_at = now(),
           status_changed_by = public.current_app_user_id(),
           verified_at = CASE WHEN p_action = 'approve' THEN now() ELSE f.verified_at END
     WHERE f.id = p_fleet_id;
    IF p_action = 'approve' AND v_fleet.applicant_user_id IS NOT NULL THEN
        INSERT INTO public.fleet_admins (user_id, fleet_company_id) VALUES (v_fleet.applicant_user_id, p_fleet_id)
            ON CONFLICT (user_id) DO NOTHING;
        PERFORM public.make_account_type(v_fleet.applicant_user_id, 'fleet_admin');
    ELSIF p_action = 'suspend' THEN
        UPDATE public.drivers d SET is_online = false, is_available = false
         WHERE d.fleet_company_id = p_fleet_id AND d.is_online;
    END IF;
    RETURN v_to;
END
$$;

-- Turns a rider account into a driver or fleet_admin account when its application is approved (only
-- normal-tier rider accounts apply). The only write of public.users in fleet.
CREATE OR REPLACE FUNCTION public.make_account_type(p_user_id uuid, p_type public.user_type) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    UPDATE public.users u SET user_type = p_type WHERE u.id = p_user_id AND u.user_type = 'customer' AND u.tier = 'normal'
$$;

-- A registered user applies to drive: privately, as an owner-operator, or for an active fleet. The
-- application is pending until the fleet's admin (fleet drivers) or a system admin decides.
CREATE OR REPLACE FUNCTION public.apply_to_drive(p_category public.driver_category, p_fleet_id uuid,
                                                 p_license_number text, p_license_expires_on date, p_city text)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_user uuid := public.current_app_user_id();
    v_id   uuid;
BEGIN
    IF v_user IS NULL THEN
        RAISE EXCEPTION 'Sign in to apply to drive.' USING ERRCODE = 'VR403', HINT = 'access-denied';
    END IF;
    IF EXISTS (SELECT FROM public.users u WHERE u.id = v_user AND (u.user_type <> 'customer' OR u.tier <> 'normal')) THEN
        RAISE EXCEPTION 'Only normal-tier rider accounts can apply; premium and VIP riders keep their rider account.'
            USING ERRCODE = 'VR409', HINT = 'account-not-eligible';
    END IF;
    IF EXISTS (SELECT FROM public.drivers d WHERE d.user_id = v_user) THEN
        RAISE EXCEPTION 'You have already applied to drive.' USING ERRCODE = 'VR409', HINT = 'already-applied';
    END IF;
    IF (p_category = 'fleet_driver') <> (p_fleet_id IS NOT NULL) THEN
        RAISE EXCEPTION 'A fleet driver names the fleet; private drivers and owner-operators name none.'
            USING ERRCODE = 'VR400', HINT = 'fleet-mismatch';
    END IF;
    IF p_fleet_id IS NOT NULL
       AND NOT EXISTS (SELECT FROM public.fleet_companies f
                        WHERE f.id = p_fleet_id AND f.status = 'active' AND f.deleted_at IS NULL) THEN
        RAISE EXCEPTION 'No active fleet company %.', p_fleet_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF p_license_expires_on < current_date THEN
        RAISE EXCEPTION 'The driving licence expired on %.', p_license_expires_on
            USING ERRCODE = 'VR422', HINT = 'document-expired';
    END IF;
    BEGIN
        INSERT INTO public.drivers (user_id, fleet_company_id, license_number, license_expires_on, category, city)
        VALUES (v_user, p_fleet_id, upper(btrim(p_license_number)), p_license_expires_on, p_category, p_city)
        RETURNING id INTO v_id;
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION 'Licence % is already registered to another driver.', p_license_number
            USING ERRCODE = 'VR409', HINT = 'duplicate-licence';
    END;
    RETURN v_id;
END
$$;

-- Approves or rejects a pending driver, with a reason: a fleet driver by their fleet's admin (another
-- fleet's driver is not found), any driver by a system admin. Approval needs valid documents and makes
-- the account a driver account.
CREATE OR REPLACE FUNCTION public.decide_driver_application(p_driver_id uuid, p_approve boolean, p_reason text)
    RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_driver public.drivers;
    v_to     text := CASE WHEN p_approve THEN 'approved' ELSE 'rejected' END;
BEGIN
    SELECT * INTO v_driver FROM public.drivers d
     WHERE d.id = p_driver_id AND d.deleted_at IS NULL
       AND (current_setting('role') = 'system_admin'
            OR (current_setting('role') = 'fleet_admin' AND d.fleet_company_id = public.current_fleet_company_id()))
       FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No driver % is visible to you.', p_driver_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF v_driver.status <> 'pending_verification' THEN
        RAISE EXCEPTION 'The driver is % already.', v_driver.status USING ERRCODE = 'VR409', HINT = 'illegal-transition';
    END IF;
    IF p_approve AND v_driver.documents_valid_until < current_date THEN
        RAISE EXCEPTION 'A required document expired on %.', v_driver.documents_valid_until
            USING ERRCODE = 'VR409', HINT = 'document-expired';
    END IF;
    UPDATE public.drivers d SET status = v_to, status_reason = btrim(p_reason), status_changed_at = now(),
                                status_changed_by = public.current_app_user_id()
     WHERE d.id = p_driver_id;
    IF p_approve THEN
        PERFORM public.make_account_type(v_driver.user_id, 'driver');
    END IF;
    RETURN v_to;
END
$$;

-- A VIP admin vets an approved driver for VIP rides.
CREATE OR REPLACE FUNCTION public.vet_driver_for_vip(p_driver_id uuid) RETURNS timestamptz
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_status text;
    v_at     timestamptz;
BEGIN
    SELECT d.status INTO v_status FROM public.drivers d WHERE d.id = p_driver_id AND d.deleted_at IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No driver % is visible to you.', p_driver_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF v_status <> 'approved' THEN
        RAISE EXCEPTION 'Only approved drivers can be vetted for VIP rides; this one is %.', v_status
            USING ERRCODE = 'VR409', HINT = 'driver-not-approved';
    END IF;
    UPDATE public.drivers d SET vip_vetted_at = coalesce(d.vip_vetted_at, now()) WHERE d.id = p_driver_id
    RETURNING d.vip_vetted_at INTO v_at;
    RETURN v_at;
END
$$;

-- A VIP admin certifies an active vehicle for VIP rides.
CREATE OR REPLACE FUNCTION public.certify_vehicle_for_vip(p_vehicle_id uuid) RETURNS timestamptz
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_status text;
    v_at     timestamptz;
BEGIN
    SELECT v.status INTO v_status FROM public.vehicles v WHERE v.id = p_vehicle_id AND v.deleted_at IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No vehicle % is visible to you.', p_vehicle_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF v_status <> 'active' THEN
        RAISE EXCEPTION 'Vehicle % is %, not active.', p_vehicle_id, v_status
            USING ERRCODE = 'VR409', HINT = 'vehicle-not-active';
    END IF;
    UPDATE public.vehicles v SET vip_certified = true, vip_certified_at = coalesce(v.vip_certified_at, now())
     WHERE v.id = p_vehicle_id
    RETURNING v.vip_certified_at INTO v_at;
    RETURN v_at;
END
$$;

REVOKE ALL ON FUNCTION
    public.keeps_documents_of(uuid, uuid), public.sees_documents_of(uuid, uuid),
    public.vehicle_documents_valid_until(uuid, date, date), public.driver_documents_valid_until(uuid, date, uuid),
    public.drivers_fleet_rules(), public.vehicles_documents_valid_until(), public.vehicles_pass_documents_to_drivers(),
    public.fleet_documents_supersede(), public.fleet_documents_apply(), public.send_document_expiry_reminders(),
    public.apply_for_fleet(text, text, text, text, text[]), public.change_fleet_status(uuid, text, text),
    public.make_account_type(uuid, public.user_type),
    public.apply_to_drive(public.driver_category, uuid, text, date, text),
    public.decide_driver_application(uuid, boolean, text), public.vet_driver_for_vip(uuid),
    public.certify_vehicle_for_vip(uuid)
    FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.keeps_documents_of(uuid, uuid), public.sees_documents_of(uuid, uuid)
    TO fleet_admin, driver_user, customer_user;

GRANT EXECUTE ON FUNCTION public.apply_for_fleet(text, text, text, text, text[]) TO customer_user;

GRANT EXECUTE ON FUNCTION public.change_fleet_status(uuid, text, text) TO system_admin;

GRANT EXECUTE ON FUNCTION public.apply_to_drive(public.driver_category, uuid, text, date, text) TO customer_user;

GRANT EXECUTE ON FUNCTION public.decide_driver_application(uuid, boolean, text) TO fleet_admin, system_admin;

GRANT EXECUTE ON FUNCTION public.vet_driver_for_vip(uuid), public.certify_vehicle_for_vip(uuid) TO vip_admin;

GRANT EXECUTE ON FUNCTION public.send_document_expiry_reminders() TO system_admin;
