-- V2__accounts_staff.sql — staff accounts and session state: public.users.security_version (bumped by
-- every change that must end the account's access tokens), staff accounts without a phone, and
-- public.staff_invitations (one-time tokens an invitee uses to set a password; hashes only).

-- Access tokens carry the security version they were issued at; the service checks it against this
-- column at the start of every transaction, so a suspension, role change, password change or logout
-- ends the account's tokens on their next request. Adding a column with a constant default rewrites
-- nothing.
ALTER TABLE public.users ADD COLUMN security_version bigint NOT NULL DEFAULT 0;

ALTER TABLE public.users ADD CONSTRAINT users_security_version_chk CHECK (security_version >= 0);

COMMENT ON COLUMN public.users.security_version IS
    'Bumped by suspension, reactivation, role change, password change, deletion and logout; access tokens of an older version are refused.';

-- Riders and drivers are reached by phone; staff accounts (the first administrator among them) need
-- not have one.
ALTER TABLE public.users ALTER COLUMN phone DROP NOT NULL;

ALTER TABLE public.users ADD CONSTRAINT users_phone_required_chk
    CHECK (phone IS NOT NULL OR user_type NOT IN ('customer', 'driver'));

-- ---------------------------------------------------------------------------------------------
-- Staff invitations: an administrator creates the account without a password and hands the invitee a
-- one-time token. Only its SHA-256 hash is stored; it expires, and it is spent when the password is set.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.staff_invitations (
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id      uuid        NOT NULL,
    token_hash   bytea       NOT NULL,
    invited_by   uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    accepted_at  timestamptz,
    CONSTRAINT staff_invitations_pkey PRIMARY KEY (id),
    CONSTRAINT staff_invitations_user_fk FOREIGN KEY (user_id) REFERENCES public.users (id),
    CONSTRAINT staff_invitations_invited_by_fk FOREIGN KEY (invited_by) REFERENCES public.users (id),
    CONSTRAINT staff_invitations_hash_key UNIQUE (token_hash),
    CONSTRAINT staff_invitations_hash_len_chk CHECK (length(token_hash) = 32),
    CONSTRAINT staff_invitations_expiry_chk CHECK (expires_at > created_at
                                                   AND expires_at <= created_at + interval '30 days'),
    CONSTRAINT staff_invitations_accepted_chk CHECK (accepted_at IS NULL OR accepted_at >= created_at)
);

COMMENT ON TABLE public.staff_invitations IS
    'One-time tokens (SHA-256 hashes only) with which an invited staff member sets their first password.';

CREATE INDEX staff_invitations_user_idx ON public.staff_invitations (user_id);

ALTER TABLE public.staff_invitations ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.staff_invitations FORCE ROW LEVEL SECURITY;
