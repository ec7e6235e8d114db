-- Part 02 — core application tables: users (accounts, tiers, consent, lock-out), fleet companies,
-- vehicles and drivers, plus refresh-token storage and the account functions that anonymous callers
-- (register, log in, refresh) may use without seeing the tables themselves.
-- Money is integer minor units plus an ISO-4217 code; every timestamp is timestamptz.

-- ---------------------------------------------------------------------------------------------
-- users
-- ---------------------------------------------------------------------------------------------
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
    CONSTRAINT users_vip_is_customer_chk CHECK (tier = 'normal' OR user_type = 'customer')
);
COMMENT ON TABLE public.users IS 'Every account: riders, drivers and staff. Soft-deleted rows keep history; erasure anonymises.';
COMMENT ON COLUMN public.users.home_city IS 'Distribution key candidate (Citus) and default market for pricing.';

-- A soft-deleted account frees its email and phone for a new registration.
CREATE UNIQUE INDEX users_email_key ON public.users (email) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX users_phone_key ON public.users (phone) WHERE deleted_at IS NULL;
CREATE INDEX users_type_tier_idx ON public.users (user_type, tier) WHERE deleted_at IS NULL;

CREATE TRIGGER users_touch_updated_at BEFORE UPDATE ON public.users
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- Consent history starts with knowing when it last changed, whoever changed it.
CREATE FUNCTION public.users_track_consent() RETURNS trigger
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
CREATE TRIGGER users_track_consent BEFORE UPDATE OF marketing_consent, data_processing_consent ON public.users
    FOR EACH ROW EXECUTE FUNCTION public.users_track_consent();

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

-- ---------------------------------------------------------------------------------------------
-- fleet companies
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.fleet_companies (
    id                    uuid        NOT NULL DEFAULT gen_random_uuid(),
    name                  text        NOT NULL,
    registration_number   text        NOT NULL,
    contact_email         text        NOT NULL,
    contact_phone         text        NOT NULL,
    operating_cities      text[]      NOT NULL DEFAULT '{}',
    status                text        NOT NULL DEFAULT 'pending',
    verified_at           timestamptz,
    insurance_expires_on  date,
    license_expires_on    date,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    deleted_at            timestamptz,
    CONSTRAINT fleet_companies_pkey PRIMARY KEY (id),
    CONSTRAINT fleet_companies_registration_key UNIQUE (registration_number),
    CONSTRAINT fleet_companies_name_chk CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    CONSTRAINT fleet_companies_status_chk CHECK (status IN ('pending', 'active', 'suspended', 'closed')),
    CONSTRAINT fleet_companies_active_verified_chk CHECK (status <> 'active' OR verified_at IS NOT NULL),
    CONSTRAINT fleet_companies_contact_phone_chk CHECK (contact_phone ~ '^\+[1-9][0-9]{7,14}$')
);
COMMENT ON TABLE public.fleet_companies IS 'Companies that operate drivers and vehicles on the platform.';
CREATE INDEX fleet_companies_active_idx ON public.fleet_companies (id) WHERE status = 'active' AND deleted_at IS NULL;

CREATE TRIGGER fleet_companies_touch_updated_at BEFORE UPDATE ON public.fleet_companies
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- Which fleet a fleet_admin account administers (one fleet per admin account).
CREATE TABLE public.fleet_admins (
    user_id           uuid        NOT NULL,
    fleet_company_id  uuid        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT fleet_admins_pkey PRIMARY KEY (user_id),
    CONSTRAINT fleet_admins_user_fk FOREIGN KEY (user_id) REFERENCES public.users (id),
    CONSTRAINT fleet_admins_fleet_fk FOREIGN KEY (fleet_company_id) REFERENCES public.fleet_companies (id)
);
COMMENT ON TABLE public.fleet_admins IS 'Links fleet_admin accounts to the fleet company they administer.';
CREATE INDEX fleet_admins_fleet_idx ON public.fleet_admins (fleet_company_id);

-- ---------------------------------------------------------------------------------------------
-- vehicles
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.vehicles (
    id                       uuid        NOT NULL DEFAULT gen_random_uuid(),
    plate_number             text        NOT NULL,
    vin                      text,
    make                     text        NOT NULL,
    model                    text        NOT NULL,
    model_year               smallint    NOT NULL,
    color                    text        NOT NULL,
    vehicle_type             public.vehicle_type NOT NULL,
    seats                    smallint    NOT NULL,
    fleet_company_id         uuid,
    owner_user_id            uuid,
    vip_certified            boolean     NOT NULL DEFAULT false,
    status                   text        NOT NULL DEFAULT 'active',
    insurance_expires_on     date,
    registration_expires_on  date,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    deleted_at               timestamptz,
    CONSTRAINT vehicles_pkey PRIMARY KEY (id),
    CONSTRAINT vehicles_fleet_fk FOREIGN KEY (fleet_company_id) REFERENCES public.fleet_companies (id),
    CONSTRAINT vehicles_owner_fk FOREIGN KEY (owner_user_id) REFERENCES public.users (id),
    CONSTRAINT vehicles_plate_chk CHECK (plate_number = upper(plate_number) AND plate_number ~ '^[A-Z0-9-]{4,12}$'),
    CONSTRAINT vehicles_vin_chk CHECK (vin IS NULL OR vin ~ '^[A-HJ-NPR-Z0-9]{17}$'),
    CONSTRAINT vehicles_year_chk CHECK (model_year BETWEEN 1990 AND 2100),
    CONSTRAINT vehicles_seats_chk CHECK (seats BETWEEN 1 AND 15),
    CONSTRAINT vehicles_status_chk CHECK (status IN ('active', 'maintenance', 'retired')),
    CONSTRAINT vehicles_has_keeper_chk CHECK (fleet_company_id IS NOT NULL OR owner_user_id IS NOT NULL)
);
COMMENT ON TABLE public.vehicles IS 'Vehicles, owned by a fleet company or by an individual (owner-operators, lessors).';
CREATE UNIQUE INDEX vehicles_plate_key ON public.vehicles (plate_number) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX vehicles_vin_key ON public.vehicles (vin) WHERE vin IS NOT NULL AND deleted_at IS NULL;
CREATE INDEX vehicles_fleet_idx ON public.vehicles (fleet_company_id);
CREATE INDEX vehicles_owner_idx ON public.vehicles (owner_user_id);

CREATE TRIGGER vehicles_touch_updated_at BEFORE UPDATE ON public.vehicles
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- ---------------------------------------------------------------------------------------------
-- drivers
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.drivers (
    id                        uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id                   uuid        NOT NULL,
    fleet_company_id          uuid,
    current_vehicle_id        uuid,
    license_number            text        NOT NULL,
    license_expires_on        date        NOT NULL,
    category                  public.driver_category NOT NULL,
    subscription_tier         public.driver_subscription_tier,
    subscription_expires_at   timestamptz,
    status                    text        NOT NULL DEFAULT 'pending_verification',
    vip_vetted_at             timestamptz,
    is_online                 boolean     NOT NULL DEFAULT false,
    is_available              boolean     NOT NULL DEFAULT false,
    current_lat               double precision,
    current_lng               double precision,
    -- ll_to_earth(current_lat, current_lng) kept as a plain cube by a trigger, so that the GiST index
    -- is on a column (not an expression that a restore with an empty search_path cannot evaluate).
    current_position          cube,
    position_updated_at       timestamptz,
    city                      text        NOT NULL DEFAULT 'lagos',
    rating                    numeric(3, 2),
    rating_count              integer     NOT NULL DEFAULT 0,
    total_rides               integer     NOT NULL DEFAULT 0,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    deleted_at                timestamptz,
    CONSTRAINT drivers_pkey PRIMARY KEY (id),
    CONSTRAINT drivers_user_key UNIQUE (user_id),
    CONSTRAINT drivers_user_fk FOREIGN KEY (user_id) REFERENCES public.users (id),
    CONSTRAINT drivers_fleet_fk FOREIGN KEY (fleet_company_id) REFERENCES public.fleet_companies (id),
    CONSTRAINT drivers_vehicle_fk FOREIGN KEY (current_vehicle_id) REFERENCES public.vehicles (id),
    CONSTRAINT drivers_license_key UNIQUE (license_number),
    CONSTRAINT drivers_status_chk CHECK (status IN ('pending_verification', 'approved', 'suspended', 'rejected')),
    CONSTRAINT drivers_fleet_driver_has_fleet_chk CHECK (category <> 'fleet_driver' OR fleet_company_id IS NOT NULL),
    CONSTRAINT drivers_lat_chk CHECK (current_lat BETWEEN -90 AND 90),
    CONSTRAINT drivers_lng_chk CHECK (current_lng BETWEEN -180 AND 180),
    CONSTRAINT drivers_position_pair_chk CHECK ((current_lat IS NULL) = (current_lng IS NULL)),
    CONSTRAINT drivers_available_online_chk CHECK (NOT is_available OR (is_online AND status = 'approved')),
    CONSTRAINT drivers_rating_chk CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
    CONSTRAINT drivers_counts_chk CHECK (rating_count >= 0 AND total_rides >= 0),
    CONSTRAINT drivers_city_chk CHECK (city ~ '^[a-z][a-z_-]{1,63}$')
);
COMMENT ON TABLE public.drivers IS 'Driver records: category, subscription, vetting, availability and live position.';
CREATE INDEX drivers_fleet_idx ON public.drivers (fleet_company_id);
CREATE INDEX drivers_vehicle_idx ON public.drivers (current_vehicle_id);
-- Nearest-available-driver search: KNN (<->) over the GiST index, only on drivers who can take a ride.
CREATE INDEX drivers_available_position_idx ON public.drivers USING gist (current_position)
    WHERE is_available AND deleted_at IS NULL;

CREATE FUNCTION public.drivers_set_position() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = public, pg_catalog
AS $$
BEGIN
    IF NEW.current_lat IS NULL THEN
        NEW.current_position := NULL;
    ELSE
        NEW.current_position := ll_to_earth(NEW.current_lat, NEW.current_lng)::cube;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER drivers_set_position BEFORE INSERT OR UPDATE OF current_lat, current_lng ON public.drivers
    FOR EACH ROW EXECUTE FUNCTION public.drivers_set_position();
CREATE TRIGGER drivers_touch_updated_at BEFORE UPDATE ON public.drivers
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Who the caller is in the fleet world. SECURITY DEFINER so that policies can consult the mapping
-- tables without granting the caller access to them, and without policies on one table recursing
-- through policies on another. STABLE: evaluated once per statement when wrapped in (SELECT …).
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.current_driver_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT d.id FROM public.drivers d
     WHERE d.user_id = public.current_app_user_id() AND d.deleted_at IS NULL
$$;
COMMENT ON FUNCTION public.current_driver_id() IS 'The calling driver''s drivers.id, or NULL.';

CREATE FUNCTION public.current_fleet_company_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT fa.fleet_company_id FROM public.fleet_admins fa WHERE fa.user_id = public.current_app_user_id()
$$;
COMMENT ON FUNCTION public.current_fleet_company_id() IS 'The fleet company the calling fleet admin administers, or NULL.';

-- ---------------------------------------------------------------------------------------------
-- vehicle leases: an owner (lessor) leases a vehicle to a fleet (lessee) for a fixed rate, a share of
-- the vehicle's ride revenue, or both (hybrid) with a minimum monthly guarantee.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.vehicle_leases (
    id                          uuid        NOT NULL DEFAULT gen_random_uuid(),
    vehicle_id                  uuid        NOT NULL,
    owner_user_id               uuid        NOT NULL,
    fleet_company_id            uuid        NOT NULL,
    lease_type                  text        NOT NULL,
    currency                    char(3)     NOT NULL,
    fixed_monthly_minor         bigint      NOT NULL DEFAULT 0,
    revenue_share_bp            integer     NOT NULL DEFAULT 0,
    minimum_monthly_minor       bigint      NOT NULL DEFAULT 0,
    mileage_limit_km            integer,
    excess_km_rate_minor        bigint      NOT NULL DEFAULT 0,
    late_fee_minor              bigint      NOT NULL DEFAULT 0,
    starts_on                   date        NOT NULL,
    ends_on                     date,
    status                      text        NOT NULL DEFAULT 'active',
    created_at                  timestamptz NOT NULL DEFAULT now(),
    updated_at                  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT vehicle_leases_pkey PRIMARY KEY (id),
    CONSTRAINT vehicle_leases_vehicle_fk FOREIGN KEY (vehicle_id) REFERENCES public.vehicles (id),
    CONSTRAINT vehicle_leases_owner_fk FOREIGN KEY (owner_user_id) REFERENCES public.users (id),
    CONSTRAINT vehicle_leases_fleet_fk FOREIGN KEY (fleet_company_id) REFERENCES public.fleet_companies (id),
    CONSTRAINT vehicle_leases_type_chk CHECK (lease_type IN ('fixed_rate', 'revenue_share', 'hybrid')),
    CONSTRAINT vehicle_leases_currency_chk CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT vehicle_leases_amounts_chk CHECK (fixed_monthly_minor >= 0 AND minimum_monthly_minor >= 0
                                                 AND excess_km_rate_minor >= 0 AND late_fee_minor >= 0),
    CONSTRAINT vehicle_leases_share_chk CHECK (revenue_share_bp BETWEEN 0 AND 10000),
    CONSTRAINT vehicle_leases_terms_chk CHECK (
        (lease_type = 'fixed_rate' AND fixed_monthly_minor > 0 AND revenue_share_bp = 0)
        OR (lease_type = 'revenue_share' AND revenue_share_bp > 0 AND fixed_monthly_minor = 0)
        OR (lease_type = 'hybrid' AND fixed_monthly_minor > 0 AND revenue_share_bp > 0)),
    CONSTRAINT vehicle_leases_mileage_chk CHECK (mileage_limit_km IS NULL OR mileage_limit_km > 0),
    CONSTRAINT vehicle_leases_dates_chk CHECK (ends_on IS NULL OR ends_on > starts_on),
    CONSTRAINT vehicle_leases_status_chk CHECK (status IN ('active', 'completed', 'terminated', 'suspended'))
);
COMMENT ON TABLE public.vehicle_leases IS 'Revenue-sharing and fixed-rate vehicle leases between owners and fleets.';
-- One active lease per vehicle; any number of past ones.
CREATE UNIQUE INDEX vehicle_leases_one_active_key ON public.vehicle_leases (vehicle_id) WHERE status = 'active';
CREATE INDEX vehicle_leases_owner_idx ON public.vehicle_leases (owner_user_id);
CREATE INDEX vehicle_leases_fleet_idx ON public.vehicle_leases (fleet_company_id);
CREATE TRIGGER vehicle_leases_touch_updated_at BEFORE UPDATE ON public.vehicle_leases
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Account functions for anonymous callers. They run as the owner (SECURITY DEFINER) so that the
-- anonymous role needs no privilege on users or refresh_tokens, and each does exactly one thing.
-- ---------------------------------------------------------------------------------------------

-- Registers a rider. Type and tier are fixed here: a caller can never register as staff or VIP.
CREATE FUNCTION public.register_customer(
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
CREATE FUNCTION public.find_login_account(p_email text)
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
CREATE FUNCTION public.record_failed_login(p_user_id uuid, p_max_attempts integer, p_lock_for interval)
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
CREATE FUNCTION public.record_successful_login(p_user_id uuid, p_token_hash bytea, p_expires_at timestamptz)
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
CREATE FUNCTION public.rotate_refresh_token(p_old_hash bytea, p_new_hash bytea, p_expires_at timestamptz)
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
CREATE FUNCTION public.revoke_refresh_token_family(p_token_hash bytea) RETURNS integer
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
