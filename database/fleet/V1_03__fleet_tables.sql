-- V1_03__fleet_tables.sql — fleets: fleet_companies, fleet_admins, vehicles, drivers and vehicle_leases.
-- A function that a table's CHECK uses (driver_rules_hold) lives here, before its table. drivers keeps
-- 20 % of each page free (fillfactor 80) so that an availability flip is a heap-only (HOT) update.
-- Rules: money is integer minor units beside an ISO-4217 code; every timestamp is timestamptz; RLS is
-- enabled and FORCED on every table (the policies live in the repeatable file).

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
    -- Fleets keep a contracted share of what their drivers earn after commission.
    driver_revenue_share_bp integer   NOT NULL DEFAULT 2000,
    CONSTRAINT fleet_companies_pkey PRIMARY KEY (id),
    CONSTRAINT fleet_companies_registration_key UNIQUE (registration_number),
    CONSTRAINT fleet_companies_name_chk CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    CONSTRAINT fleet_companies_status_chk CHECK (status IN ('pending', 'active', 'suspended', 'closed')),
    CONSTRAINT fleet_companies_active_verified_chk CHECK (status <> 'active' OR verified_at IS NOT NULL),
    CONSTRAINT fleet_companies_contact_phone_chk CHECK (contact_phone ~ '^\+[1-9][0-9]{7,14}$'),
    CONSTRAINT fleet_companies_share_chk CHECK (driver_revenue_share_bp BETWEEN 0 AND 10000)
);

COMMENT ON TABLE public.fleet_companies IS 'Companies that operate drivers and vehicles on the platform.';

COMMENT ON COLUMN public.fleet_companies.driver_revenue_share_bp IS
    'The fleet''s share of its drivers'' earnings after platform commission (and after a lessor''s revenue share).';

CREATE INDEX fleet_companies_active_idx ON public.fleet_companies (id) WHERE status = 'active' AND deleted_at IS NULL;

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

-- ---------------------------------------------------------------------------------------------
-- drivers
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.driver_rules_hold(
    p_status text, p_category public.driver_category, p_fleet_company_id uuid, p_city text,
    p_is_online boolean, p_is_available boolean, p_position_updated_at timestamptz,
    p_current_lat double precision, p_current_lng double precision,
    p_rating numeric, p_rating_count integer, p_total_rides integer)
    RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
DECLARE
    v_broken text;
BEGIN
    -- Each rule reports its own constraint name, NULL-tolerant as a CHECK is (only false breaks it).
    v_broken := CASE
        WHEN NOT (p_status IN ('pending_verification', 'approved', 'suspended', 'rejected')) THEN 'drivers_status_chk'
        WHEN NOT (p_city ~ '^[a-z][a-z_-]{1,63}$') THEN 'drivers_city_chk'
        WHEN NOT (p_current_lat BETWEEN -90 AND 90) THEN 'drivers_lat_chk'
        WHEN NOT (p_current_lng BETWEEN -180 AND 180) THEN 'drivers_lng_chk'
        WHEN NOT ((p_current_lat IS NULL) = (p_current_lng IS NULL)) THEN 'drivers_position_pair_chk'
        WHEN NOT (p_rating IS NULL OR p_rating BETWEEN 1 AND 5) THEN 'drivers_rating_chk'
        WHEN NOT (p_rating_count >= 0 AND p_total_rides >= 0) THEN 'drivers_counts_chk'
        WHEN NOT (p_category <> 'fleet_driver' OR p_fleet_company_id IS NOT NULL) THEN 'drivers_fleet_driver_has_fleet_chk'
        WHEN NOT (NOT p_is_available OR (p_is_online AND p_status = 'approved')) THEN 'drivers_available_online_chk'
        WHEN NOT (NOT p_is_available OR p_position_updated_at IS NOT NULL) THEN 'drivers_available_has_position_chk'
    END;
    IF v_broken IS NOT NULL THEN
        RAISE EXCEPTION 'new row for relation "drivers" violates check constraint "%"', v_broken
            USING ERRCODE = 'check_violation', CONSTRAINT = v_broken, TABLE = 'drivers';
    END IF;
    RETURN true;
END
$$;

COMMENT ON FUNCTION public.driver_rules_hold IS
    'The rules of a driver row (drivers_rules_chk): true, or a check_violation naming the broken rule.';

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
    position_updated_at       timestamptz,
    city                      text        NOT NULL DEFAULT 'lagos',
    rating                    numeric(3, 2),
    rating_count              integer     NOT NULL DEFAULT 0,
    total_rides               integer     NOT NULL DEFAULT 0,
    created_at                timestamptz NOT NULL DEFAULT now(),
    updated_at                timestamptz NOT NULL DEFAULT now(),
    deleted_at                timestamptz,
    dispatch_vehicle_type     public.vehicle_type,
    dispatch_seats            smallint,
    vip_eligible              boolean     NOT NULL DEFAULT false,
    dispatch_xy               point,
    CONSTRAINT drivers_pkey PRIMARY KEY (id),
    CONSTRAINT drivers_user_key UNIQUE (user_id),
    CONSTRAINT drivers_user_fk FOREIGN KEY (user_id) REFERENCES public.users (id),
    CONSTRAINT drivers_fleet_fk FOREIGN KEY (fleet_company_id) REFERENCES public.fleet_companies (id),
    CONSTRAINT drivers_vehicle_fk FOREIGN KEY (current_vehicle_id) REFERENCES public.vehicles (id),
    CONSTRAINT drivers_license_key UNIQUE (license_number),
    -- Every rule of a driver row in one CHECK (a driver row is updated on every position ping, and
    -- PostgreSQL 15 compiles each CHECK's expression for every statement, a PL/pgSQL function once per
    -- session). A broken rule is still a check_violation named after the rule; among them, available
    -- means dispatchable: a driver without a position could never be found by the search.
    CONSTRAINT drivers_rules_chk CHECK (public.driver_rules_hold(
        status, category, fleet_company_id, city, is_online, is_available, position_updated_at,
        current_lat, current_lng, rating, rating_count, total_rides))
) WITH (fillfactor = 80);

COMMENT ON TABLE public.drivers IS 'Driver records: category, subscription, vetting, availability and live position.';

COMMENT ON COLUMN public.drivers.dispatch_vehicle_type IS 'Type of the current vehicle (kept by trigger, for dispatch).';

COMMENT ON COLUMN public.drivers.vip_eligible IS 'VIP-vetted driver in a VIP-certified active vehicle (kept by trigger).';

COMMENT ON COLUMN public.drivers.dispatch_xy IS
    'Position in metres on the city''s dispatch plane (kept by trigger; NULL without a position or city settings).';

CREATE INDEX drivers_fleet_idx ON public.drivers (fleet_company_id);

CREATE INDEX drivers_vehicle_idx ON public.drivers (current_vehicle_id);

CREATE INDEX drivers_online_xy_idx ON public.drivers USING gist (dispatch_xy) WHERE is_online AND deleted_at IS NULL;

CREATE INDEX drivers_online_ping_idx ON public.drivers (city, position_updated_at) WHERE is_online AND deleted_at IS NULL;

COMMENT ON INDEX public.drivers_online_xy_idx IS 'Nearest-driver search (KNN on the dispatch plane) over online drivers.';

COMMENT ON INDEX public.drivers_online_ping_idx IS 'The stale-driver sweep: online drivers whose last ping is oldest.';

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

-- ---------------------------------------------------------------------------------------------
-- Fleets: fleet_companies, fleet_admins, vehicles, drivers, vehicle_leases
--   fleet_admin: their own fleet company, its drivers, vehicles and leases; no other fleet's
--   driver_user: own driver record, own fleet, the vehicle they drive or own
--   customer_user: the driver and vehicle of their active ride
--   support_agent: read fleets, drivers and vehicles; system_admin: onboarding and vetting
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.fleet_companies ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.fleet_companies FORCE ROW LEVEL SECURITY;

ALTER TABLE public.fleet_admins ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.fleet_admins FORCE ROW LEVEL SECURITY;

ALTER TABLE public.drivers ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.drivers FORCE ROW LEVEL SECURITY;

ALTER TABLE public.vehicles ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.vehicles FORCE ROW LEVEL SECURITY;

ALTER TABLE public.vehicle_leases ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.vehicle_leases FORCE ROW LEVEL SECURITY;
