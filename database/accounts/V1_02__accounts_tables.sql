-- V1_02__accounts_tables.sql — accounts: public.users (riders, drivers and staff; tiers, consent,
-- lock-out, rider rating) and public.refresh_tokens (SHA-256 hashes only).
-- Rules: money is integer minor units beside an ISO-4217 code; every timestamp is timestamptz; RLS is
-- enabled and FORCED on every table (the policies live in the repeatable file).

CREATE TABLE public.users (
    id                       uuid        NOT NULL DEFAULT gen_random_uuid(),
    email                    text        NOT NULL,
    phone                    text        NOT NULL,
    password_hash            text        NOT NULL,
    first_name               text        NOT NULL,
    last_name                text        NOT NULL,
    user_type                public.user_type NOT NULL DEFAULT 'customer',
    tier                     public.user_tier NOT NULL DEFAULT 'normal',
    preferred_language       text        NOT NULL DEFAULT 'en',
    home_city                text        NOT NULL DEFAULT 'lagos',
    is_active                boolean     NOT NULL DEFAULT true,
    email_verified_at        timestamptz,
    phone_verified_at        timestamptz,
    -- Consent is opt-in: nothing defaults to true (NDPR/GDPR).
    marketing_consent        boolean     NOT NULL DEFAULT false,
    data_processing_consent  boolean     NOT NULL DEFAULT false,
    consent_updated_at       timestamptz,
    failed_login_attempts    integer     NOT NULL DEFAULT 0,
    account_locked_until     timestamptz,
    last_login_at            timestamptz,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    deleted_at               timestamptz,
    rider_rating             numeric(3, 2),
    rider_rating_count       integer     NOT NULL DEFAULT 0,
    CONSTRAINT users_pkey PRIMARY KEY (id),
    -- Emails are stored lower-cased and phones in E.164, so uniqueness ignores case and formatting.
    CONSTRAINT users_email_format_chk CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'
                                             AND length(email) <= 254),
    CONSTRAINT users_phone_e164_chk CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    CONSTRAINT users_first_name_chk CHECK (length(btrim(first_name)) BETWEEN 1 AND 100),
    CONSTRAINT users_last_name_chk CHECK (length(btrim(last_name)) BETWEEN 1 AND 100),
    CONSTRAINT users_language_chk CHECK (preferred_language ~ '^[a-z]{2}$'),
    CONSTRAINT users_home_city_chk CHECK (home_city ~ '^[a-z][a-z_-]{1,63}$'),
    CONSTRAINT users_failed_attempts_chk CHECK (failed_login_attempts >= 0),
    CONSTRAINT users_vip_is_customer_chk CHECK (tier = 'normal' OR user_type = 'customer'),
    CONSTRAINT users_rider_rating_chk CHECK ((rider_rating IS NULL OR rider_rating BETWEEN 1 AND 5)
                                             AND rider_rating_count >= 0)
);

COMMENT ON TABLE public.users IS 'Every account: riders, drivers and staff. Soft-deleted rows keep history; erasure anonymises.';

COMMENT ON COLUMN public.users.home_city IS 'Distribution key candidate (Citus) and default market for pricing.';

-- A soft-deleted account frees its email and phone for a new registration.
CREATE UNIQUE INDEX users_email_key ON public.users (email) WHERE deleted_at IS NULL;

CREATE UNIQUE INDEX users_phone_key ON public.users (phone) WHERE deleted_at IS NULL;

CREATE INDEX users_type_tier_idx ON public.users (user_type, tier) WHERE deleted_at IS NULL;

-- ---------------------------------------------------------------------------------------------
-- public.users
--   everyone: own row (read; edit own name, language, city and consents)
--   support_agent, system_admin, compliance_officer: read every live account
--   fleet_admin: also the accounts of their fleet's drivers
--   support_agent: may (de)activate customer and driver accounts; system_admin: type, tier, activation
--   vip_admin: reads customer accounts and may change a customer's tier (VIP upgrades)
--   password hashes and lock-out counters: no role, only the account functions
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.users FORCE ROW LEVEL SECURITY;

-- ---------------------------------------------------------------------------------------------
-- refresh tokens: only SHA-256 hashes are stored; a family is one login's chain of rotations.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.refresh_tokens (
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id      uuid        NOT NULL,
    family_id    uuid        NOT NULL,
    token_hash   bytea       NOT NULL,
    issued_at    timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT refresh_tokens_pkey PRIMARY KEY (id),
    CONSTRAINT refresh_tokens_user_fk FOREIGN KEY (user_id) REFERENCES public.users (id),
    CONSTRAINT refresh_tokens_hash_key UNIQUE (token_hash),
    CONSTRAINT refresh_tokens_hash_len_chk CHECK (length(token_hash) = 32),
    CONSTRAINT refresh_tokens_expiry_chk CHECK (expires_at > issued_at)
);

COMMENT ON TABLE public.refresh_tokens IS
    'Rotating refresh tokens (hashes only). Reusing a rotated token revokes its whole family.';

CREATE INDEX refresh_tokens_user_idx ON public.refresh_tokens (user_id);

CREATE INDEX refresh_tokens_family_idx ON public.refresh_tokens (family_id);

ALTER TABLE public.refresh_tokens ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.refresh_tokens FORCE ROW LEVEL SECURITY;

