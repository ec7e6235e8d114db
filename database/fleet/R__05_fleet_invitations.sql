-- R__05_fleet_invitations.sql — a fleet's invitations to drive for it: the fleet's admin (or a system
-- admin) invites an e-mail address, renews or revokes the invitation; the account with that address
-- sees it and accepts by applying to drive for the fleet (the fleet's admin then decides the
-- application). All writes go through the functions below; the table grants reading only.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers('public.fleet_driver_invitations');

SELECT audit.enable_audit('public.fleet_driver_invitations');

-- The e-mail of the signed-in account: whom an invitation addressed to it belongs to.
CREATE OR REPLACE FUNCTION public.current_app_user_email() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT u.email FROM public.users u WHERE u.id = public.current_app_user_id() AND u.deleted_at IS NULL
$$;

COMMENT ON FUNCTION public.current_app_user_email() IS 'The e-mail address of the signed-in account, or NULL.';

GRANT SELECT ON public.fleet_driver_invitations TO fleet_admin, customer_user, system_admin;

CREATE POLICY fleet_driver_invitations_select_fleet_admin ON public.fleet_driver_invitations FOR SELECT TO fleet_admin
    USING (fleet_company_id = public.current_fleet_company_id());

CREATE POLICY fleet_driver_invitations_select_customer_user ON public.fleet_driver_invitations FOR SELECT TO customer_user
    USING (email = public.current_app_user_email());

CREATE POLICY fleet_driver_invitations_select_system_admin ON public.fleet_driver_invitations FOR SELECT TO system_admin
    USING (true);

-- The functions below run as the owner, which row-level security binds too (FORCE).
CREATE POLICY fleet_driver_invitations_select_owner ON public.fleet_driver_invitations FOR SELECT TO vipride_owner
    USING (true);

CREATE POLICY fleet_driver_invitations_insert_owner ON public.fleet_driver_invitations FOR INSERT TO vipride_owner
    WITH CHECK (true);

CREATE POLICY fleet_driver_invitations_update_owner ON public.fleet_driver_invitations FOR UPDATE TO vipride_owner
    USING (true) WITH CHECK (true);

-- Invites an address to drive for an active fleet, for 14 days: the fleet's own admin or a system admin
-- (another fleet is not found). Inviting an address with an open invitation renews it. An account that
-- already has the address is told in its notifications.
CREATE OR REPLACE FUNCTION public.invite_driver(p_fleet_id uuid, p_email text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_email   text := lower(btrim(p_email));
    v_fleet   public.fleet_companies;
    v_id      uuid;
    v_invitee uuid;
BEGIN
    SELECT * INTO v_fleet FROM public.fleet_companies f
     WHERE f.id = p_fleet_id AND f.deleted_at IS NULL
       AND (current_setting('role') = 'system_admin'
            OR (current_setting('role') = 'fleet_admin' AND f.id = public.current_fleet_company_id()));
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No fleet company % is visible to you.', p_fleet_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF v_fleet.status <> 'active' THEN
        RAISE EXCEPTION 'The fleet is %; only an active fleet invites drivers.', v_fleet.status
            USING ERRCODE = 'VR409', HINT = 'fleet-not-active';
    END IF;
    UPDATE public.fleet_driver_invitations i SET expires_at = now() + interval '14 days'
     WHERE i.fleet_company_id = p_fleet_id AND i.email = v_email AND i.accepted_at IS NULL AND i.revoked_at IS NULL
    RETURNING i.id INTO v_id;
    IF v_id IS NULL THEN
        INSERT INTO public.fleet_driver_invitations (fleet_company_id, email, invited_by, expires_at)
        VALUES (p_fleet_id, v_email, public.current_app_user_id(), now() + interval '14 days')
        RETURNING id INTO v_id;
    END IF;
    SELECT u.id INTO v_invitee FROM public.users u WHERE u.email = v_email AND u.deleted_at IS NULL;
    IF v_invitee IS NOT NULL THEN
        PERFORM public.notify(v_invitee, 'driver-invitation', jsonb_build_object(
            'invitationId', v_id, 'fleetId', p_fleet_id, 'fleetName', v_fleet.name));
    END IF;
    RETURN v_id;
END
$$;

-- Revokes an open invitation of the caller's fleet (a system admin: of any fleet).
CREATE OR REPLACE FUNCTION public.revoke_driver_invitation(p_invitation_id uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_invitation public.fleet_driver_invitations;
BEGIN
    SELECT * INTO v_invitation FROM public.fleet_driver_invitations i
     WHERE i.id = p_invitation_id
       AND (current_setting('role') = 'system_admin'
            OR (current_setting('role') = 'fleet_admin' AND i.fleet_company_id = public.current_fleet_company_id()))
       FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No invitation % is visible to you.', p_invitation_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF v_invitation.accepted_at IS NOT NULL OR v_invitation.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'The invitation was % already.', CASE WHEN v_invitation.accepted_at IS NOT NULL
                                                             THEN 'accepted' ELSE 'revoked' END
            USING ERRCODE = 'VR409', HINT = 'invitation-closed';
    END IF;
    UPDATE public.fleet_driver_invitations i SET revoked_at = now() WHERE i.id = p_invitation_id;
END
$$;

-- The invitee accepts by applying to drive for the fleet (apply_to_drive's rules all hold); returns the
-- new driver. An invitation addressed to someone else is not found.
CREATE OR REPLACE FUNCTION public.accept_driver_invitation(p_invitation_id uuid, p_license_number text,
                                                           p_license_expires_on date, p_city text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_invitation public.fleet_driver_invitations;
    v_driver     uuid;
BEGIN
    SELECT * INTO v_invitation FROM public.fleet_driver_invitations i
     WHERE i.id = p_invitation_id AND i.email = public.current_app_user_email()
       FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No invitation % is addressed to you.', p_invitation_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF v_invitation.accepted_at IS NOT NULL OR v_invitation.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'The invitation was % already.', CASE WHEN v_invitation.accepted_at IS NOT NULL
                                                             THEN 'accepted' ELSE 'revoked' END
            USING ERRCODE = 'VR409', HINT = 'invitation-closed';
    END IF;
    IF v_invitation.expires_at <= now() THEN
        RAISE EXCEPTION 'The invitation expired at %.', v_invitation.expires_at
            USING ERRCODE = 'VR409', HINT = 'invitation-expired';
    END IF;
    v_driver := public.apply_to_drive('fleet_driver', v_invitation.fleet_company_id, p_license_number,
                                      p_license_expires_on, p_city);
    UPDATE public.fleet_driver_invitations i SET accepted_at = now(), driver_id = v_driver WHERE i.id = p_invitation_id;
    RETURN v_driver;
END
$$;

REVOKE ALL ON FUNCTION
    public.current_app_user_email(), public.invite_driver(uuid, text), public.revoke_driver_invitation(uuid),
    public.accept_driver_invitation(uuid, text, date, text)
    FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.current_app_user_email() TO customer_user;

GRANT EXECUTE ON FUNCTION public.invite_driver(uuid, text), public.revoke_driver_invitation(uuid)
    TO fleet_admin, system_admin;

GRANT EXECUTE ON FUNCTION public.accept_driver_invitation(uuid, text, date, text) TO customer_user;
