-- R__13_notifications.sql — public.notify, the one way the capabilities' SQL writes a notification, and
-- the policies, grants and audit trigger of public.notifications: every signed-in user reads their own
-- notifications and marks them read; nobody else reads them.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'public.notifications');

-- Writes a notification to one user. SECURITY DEFINER and executable only by the roles whose work sends
-- notifications (the platform's jobs act as system_admin), so no user can notify another.
CREATE OR REPLACE FUNCTION public.notify(p_recipient uuid, p_type text, p_payload jsonb) RETURNS uuid
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    INSERT INTO public.notifications (recipient_id, type, payload)
    VALUES (p_recipient, p_type, coalesce(p_payload, '{}'::jsonb))
    RETURNING id
$$;

COMMENT ON FUNCTION public.notify(uuid, text, jsonb) IS 'Writes a notification to one user; returns its id.';

REVOKE ALL ON FUNCTION public.notify(uuid, text, jsonb) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.notify(uuid, text, jsonb) TO system_admin;

SELECT audit.enable_audit('public.notifications');

GRANT SELECT ON public.notifications TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;

GRANT UPDATE (read_at) ON public.notifications TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['system_admin', 'audit_admin', 'compliance_officer', 'vip_admin', 'vip_operator',
                             'emergency_responder', 'fleet_admin', 'driver_user', 'customer_user',
                             'support_agent', 'hotel_staff']
    LOOP
        EXECUTE format('CREATE POLICY notifications_select_%s ON public.notifications FOR SELECT TO %I '
                       'USING (recipient_id = public.current_app_user_id())', r, r);
        EXECUTE format('CREATE POLICY notifications_update_%s ON public.notifications FOR UPDATE TO %I '
                       'USING (recipient_id = public.current_app_user_id()) '
                       'WITH CHECK (recipient_id = public.current_app_user_id())', r, r);
    END LOOP;
END
$$;

CREATE POLICY notifications_select_owner ON public.notifications FOR SELECT TO vipride_owner USING (true);

CREATE POLICY notifications_insert_owner ON public.notifications FOR INSERT TO vipride_owner WITH CHECK (true);

-- Erasure (compliance.apply_erasure, as the owner) deletes an erased account's notifications.
CREATE POLICY notifications_delete_owner ON public.notifications FOR DELETE TO vipride_owner USING (true);
