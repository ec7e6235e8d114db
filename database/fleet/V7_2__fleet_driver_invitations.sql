-- V7_2__fleet_driver_invitations.sql — a fleet invites a driver by e-mail. The invitation waits for the
-- account with that e-mail (registered already or later), which accepts it by applying to drive for the
-- fleet; the fleet's admin then decides the application like any other.

CREATE TABLE public.fleet_driver_invitations (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    fleet_company_id uuid        NOT NULL REFERENCES public.fleet_companies (id),
    email            text        NOT NULL,
    invited_by       uuid        NOT NULL REFERENCES public.users (id),
    created_at       timestamptz NOT NULL DEFAULT now(),
    expires_at       timestamptz NOT NULL,
    -- Set together when the invitee applies through the invitation.
    accepted_at      timestamptz,
    driver_id        uuid        REFERENCES public.drivers (id),
    revoked_at       timestamptz,
    CONSTRAINT fleet_driver_invitations_email_chk CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'
                                                         AND length(email) <= 254),
    CONSTRAINT fleet_driver_invitations_expiry_chk CHECK (expires_at > created_at),
    CONSTRAINT fleet_driver_invitations_accepted_chk CHECK ((accepted_at IS NULL) = (driver_id IS NULL)),
    CONSTRAINT fleet_driver_invitations_closed_once_chk CHECK (accepted_at IS NULL OR revoked_at IS NULL)
);

COMMENT ON TABLE public.fleet_driver_invitations IS
    'A fleet''s invitation to drive for it, addressed to an e-mail; accepted by that account''s application, or revoked.';

-- One open invitation per fleet and address: inviting again renews it.
CREATE UNIQUE INDEX fleet_driver_invitations_open_key ON public.fleet_driver_invitations (fleet_company_id, email)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- An invitee's open invitations, found by their e-mail.
CREATE INDEX fleet_driver_invitations_email_idx ON public.fleet_driver_invitations (email)
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

CREATE INDEX fleet_driver_invitations_fleet_idx ON public.fleet_driver_invitations (fleet_company_id, created_at DESC);

ALTER TABLE public.fleet_driver_invitations ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.fleet_driver_invitations FORCE ROW LEVEL SECURITY;
