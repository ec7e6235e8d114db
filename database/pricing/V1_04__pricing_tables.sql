-- V1_04__pricing_tables.sql — pricing: city_settings (the operating parameters of one market), tariffs,
-- surge_rules, the commission bands, fare_quotes, currencies and exchange_rates, with their reference
-- rows. Everything that sets a price is a row system_admin can change without a release. A function that
-- a table's CHECK uses (fare_quote_rules_hold) lives here, before its table.
-- Rules: money is integer minor units beside an ISO-4217 code; every timestamp is timestamptz; RLS is
-- enabled and FORCED on every table (the policies live in the repeatable file).

CREATE TABLE public.city_settings (
    city                    text          NOT NULL,
    currency                char(3)       NOT NULL,
    road_factor             numeric(3, 2) NOT NULL DEFAULT 1.30,
    average_speed_kmh       numeric(5, 1) NOT NULL DEFAULT 24.0,
    surge_radius_m          integer       NOT NULL DEFAULT 3000,
    surge_window_s          integer       NOT NULL DEFAULT 600,
    quote_ttl_s             integer       NOT NULL DEFAULT 300,
    max_pickup_distance_m   integer       NOT NULL DEFAULT 8000,
    offer_timeout_s         integer       NOT NULL DEFAULT 20,
    dispatch_retry_s        integer       NOT NULL DEFAULT 10,
    dispatch_deadline_s     integer       NOT NULL DEFAULT 300,
    driver_stale_after_s    integer       NOT NULL DEFAULT 60,
    updated_at              timestamptz   NOT NULL DEFAULT now(),
    reference_lat           double precision NOT NULL,
    CONSTRAINT city_settings_pkey PRIMARY KEY (city),
    CONSTRAINT city_settings_city_chk CHECK (city ~ '^[a-z][a-z_-]{1,63}$'),
    CONSTRAINT city_settings_currency_chk CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT city_settings_road_factor_chk CHECK (road_factor BETWEEN 1.00 AND 3.00),
    CONSTRAINT city_settings_speed_chk CHECK (average_speed_kmh BETWEEN 5 AND 120),
    CONSTRAINT city_settings_positive_chk CHECK (surge_radius_m > 0 AND surge_window_s > 0 AND quote_ttl_s > 0
        AND max_pickup_distance_m > 0 AND offer_timeout_s > 0 AND dispatch_retry_s > 0
        AND dispatch_deadline_s > 0 AND driver_stale_after_s > 0),
    CONSTRAINT city_settings_reference_lat_chk CHECK (reference_lat BETWEEN -85 AND 85)
);

COMMENT ON TABLE public.city_settings IS
    'Per-market settings: currency, trip estimates (road factor, speed), surge area, quote, offer and dispatch timing.';

COMMENT ON COLUMN public.city_settings.road_factor IS 'Road distance / great-circle distance, for estimates before the trip.';

COMMENT ON COLUMN public.city_settings.driver_stale_after_s IS 'A driver whose last ping is older drops out of dispatch.';

COMMENT ON COLUMN public.city_settings.reference_lat IS
    'Latitude of the city''s centre: the scale of its dispatch plane (drivers.dispatch_xy).';

INSERT INTO public.city_settings (city, currency, reference_lat) VALUES ('lagos', 'NGN', 6.52), ('abuja', 'NGN', 9.06);

-- ---------------------------------------------------------------------------------------------
-- tariffs: one price list per city, vehicle type, rider tier and billing model. A change is a new row
-- that retires the old one, so a ride keeps the tariff it was quoted under.
--   per_ride        base + per km + per minute (the meter)
--   distance_based  base + per km
--   time_based      base + per minute (chauffeur hire by the hour)
--   flat_rate       the flat fare, whatever the trip
--   surge_pricing   the meter, times the live surge multiplier around the pickup
-- Every model is floored at the minimum fare (before surge).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.tariffs (
    id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
    city                    text        NOT NULL,
    vehicle_type            public.vehicle_type  NOT NULL,
    rider_tier              public.user_tier     NOT NULL,
    billing_model           public.billing_model NOT NULL,
    currency                char(3)     NOT NULL,
    base_fare_minor         bigint      NOT NULL DEFAULT 0,
    per_km_minor            bigint      NOT NULL DEFAULT 0,
    per_minute_minor        bigint      NOT NULL DEFAULT 0,
    flat_fare_minor         bigint      NOT NULL DEFAULT 0,
    minimum_fare_minor      bigint      NOT NULL DEFAULT 0,
    cancellation_fee_minor  bigint      NOT NULL DEFAULT 0,
    free_cancellation_s     integer     NOT NULL DEFAULT 120,
    created_at              timestamptz NOT NULL DEFAULT now(),
    retired_at              timestamptz,
    CONSTRAINT tariffs_pkey PRIMARY KEY (id),
    CONSTRAINT tariffs_city_fk FOREIGN KEY (city) REFERENCES public.city_settings (city),
    CONSTRAINT tariffs_currency_chk CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT tariffs_amounts_chk CHECK (base_fare_minor >= 0 AND per_km_minor >= 0 AND per_minute_minor >= 0
        AND flat_fare_minor >= 0 AND minimum_fare_minor >= 0 AND cancellation_fee_minor >= 0 AND free_cancellation_s >= 0),
    CONSTRAINT tariffs_model_chk CHECK (CASE billing_model
        WHEN 'flat_rate' THEN flat_fare_minor > 0
        WHEN 'time_based' THEN per_minute_minor > 0
        WHEN 'distance_based' THEN per_km_minor > 0
        ELSE per_km_minor > 0 OR per_minute_minor > 0 END)
);

COMMENT ON TABLE public.tariffs IS 'Price lists per city, vehicle type, rider tier and billing model; changes retire the old row.';

CREATE UNIQUE INDEX tariffs_current_key ON public.tariffs (city, vehicle_type, rider_tier, billing_model)
    WHERE retired_at IS NULL;

-- Lagos and Abuja price lists in kobo: a sedan for a normal rider is ₦500 + ₦150/km + ₦30/min
-- (minimum ₦1,500; flat ₦10,000); vehicle classes and rider tiers scale every amount.
INSERT INTO public.tariffs (city, vehicle_type, rider_tier, billing_model, currency, base_fare_minor, per_km_minor,
                            per_minute_minor, flat_fare_minor, minimum_fare_minor, cancellation_fee_minor)
SELECT c.city, v.vehicle_type, t.tier, m.model, c.currency,
       CASE WHEN m.model IN ('per_ride', 'surge_pricing', 'distance_based', 'time_based') THEN round(50000 * v.f * t.f) ELSE 0 END,
       CASE WHEN m.model IN ('per_ride', 'surge_pricing', 'distance_based') THEN round(15000 * v.f * t.f) ELSE 0 END,
       CASE WHEN m.model IN ('per_ride', 'surge_pricing', 'time_based') THEN round(3000 * v.f * t.f) ELSE 0 END,
       CASE WHEN m.model = 'flat_rate' THEN round(1000000 * v.f * t.f) ELSE 0 END,
       round(150000 * v.f * t.f), round(100000 * v.f * t.f)
  FROM public.city_settings c
 CROSS JOIN (VALUES ('sedan'::public.vehicle_type, 1.0), ('suv', 1.4), ('van', 1.6), ('premium', 1.8), ('luxury', 2.5)) v (vehicle_type, f)
 CROSS JOIN (VALUES ('normal'::public.user_tier, 1.0), ('premium', 1.25), ('vip', 1.6)) t (tier, f)
 CROSS JOIN unnest(enum_range(NULL::public.billing_model)) m (model);

-- ---------------------------------------------------------------------------------------------
-- surge_rules: demand/supply ratio around the pickup → multiplier. Demand is the number of riders who
-- asked for a quote within the city's surge radius and window; supply the fresh available drivers in
-- the same radius. The highest rule whose threshold the ratio reaches applies; none means 1.00.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.surge_rules (
    city                    text          NOT NULL,
    demand_ratio_from       numeric(6, 2) NOT NULL,
    multiplier              numeric(4, 2) NOT NULL,
    updated_at              timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT surge_rules_pkey PRIMARY KEY (city, demand_ratio_from),
    CONSTRAINT surge_rules_city_fk FOREIGN KEY (city) REFERENCES public.city_settings (city),
    CONSTRAINT surge_rules_ratio_chk CHECK (demand_ratio_from >= 0),
    CONSTRAINT surge_rules_multiplier_chk CHECK (multiplier BETWEEN 1.00 AND 10.00)
);

COMMENT ON TABLE public.surge_rules IS 'Surge multiplier by demand/supply ratio around the pickup, per city.';

INSERT INTO public.surge_rules (city, demand_ratio_from, multiplier)
SELECT c.city, r.ratio, r.multiplier
  FROM public.city_settings c
 CROSS JOIN (VALUES (1.50, 1.25), (2.00, 1.50), (3.00, 2.00), (5.00, 2.50)) r (ratio, multiplier);

-- ---------------------------------------------------------------------------------------------
-- Commission. The spec's bands: normal riders 15–20 %, premium 20–25 %, VIP 25–30 %. Where a ride
-- falls in its band is decided by the driver's subscription tier (what a subscription buys): the
-- position is a percentage of the band's width above its floor. A ride's rate and a sentence naming
-- the rule are stored with its earnings.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.commission_bands (
    rider_tier              public.user_tier NOT NULL,
    min_rate_bp             integer     NOT NULL,
    max_rate_bp             integer     NOT NULL,
    CONSTRAINT commission_bands_pkey PRIMARY KEY (rider_tier),
    CONSTRAINT commission_bands_range_chk CHECK (min_rate_bp BETWEEN 0 AND max_rate_bp AND max_rate_bp <= 10000)
);

COMMENT ON TABLE public.commission_bands IS 'Platform commission band per rider tier, in basis points.';

INSERT INTO public.commission_bands VALUES ('normal', 1500, 2000), ('premium', 2000, 2500), ('vip', 2500, 3000);

CREATE TABLE public.commission_band_positions (
    subscription_tier       text        NOT NULL,
    band_position_pct       integer     NOT NULL,
    CONSTRAINT commission_band_positions_pkey PRIMARY KEY (subscription_tier),
    CONSTRAINT commission_band_positions_tier_chk CHECK (subscription_tier IN ('none', 'basic', 'premium', 'elite')),
    CONSTRAINT commission_band_positions_pct_chk CHECK (band_position_pct BETWEEN 0 AND 100)
);

COMMENT ON TABLE public.commission_band_positions IS
    'Where in the band a ride falls, by the driver''s subscription tier: 100 = band ceiling, 0 = floor.';

INSERT INTO public.commission_band_positions VALUES ('none', 100), ('basic', 80), ('premium', 50), ('elite', 0);

-- Row-level security on the pricing reference tables, forced only once their rows are in: the tariff and
-- surge INSERTs above read city_settings, and the policies (the owner's too) come with the repeatable file.
ALTER TABLE public.city_settings ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.city_settings FORCE ROW LEVEL SECURITY;

ALTER TABLE public.tariffs ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.tariffs FORCE ROW LEVEL SECURITY;

ALTER TABLE public.surge_rules ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.surge_rules FORCE ROW LEVEL SECURITY;

ALTER TABLE public.commission_bands ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.commission_bands FORCE ROW LEVEL SECURITY;

ALTER TABLE public.commission_band_positions ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.commission_band_positions FORCE ROW LEVEL SECURITY;

-- ---------------------------------------------------------------------------------------------
-- fare_quotes: a price promise to one rider, honoured if the ride is requested before expires_at.
-- Written only by public.quote_fare(), which does the arithmetic; riders read their own.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.fare_quote_rules_hold(
    p_pickup_lat double precision, p_pickup_lng double precision,
    p_dropoff_lat double precision, p_dropoff_lng double precision,
    p_passengers smallint, p_estimated_fare_minor bigint, p_surge_multiplier numeric,
    p_created_at timestamptz, p_expires_at timestamptz)
    RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
DECLARE
    v_broken text;
BEGIN
    v_broken := CASE
        WHEN NOT (p_pickup_lat BETWEEN -90 AND 90 AND p_pickup_lng BETWEEN -180 AND 180
                  AND p_dropoff_lat BETWEEN -90 AND 90 AND p_dropoff_lng BETWEEN -180 AND 180
                  AND (p_pickup_lat <> p_dropoff_lat OR p_pickup_lng <> p_dropoff_lng)) THEN 'fare_quotes_ends_chk'
        WHEN NOT (p_passengers BETWEEN 1 AND 14) THEN 'fare_quotes_passengers_chk'
        WHEN NOT (p_estimated_fare_minor >= 0 AND p_surge_multiplier BETWEEN 1.00 AND 10.00) THEN 'fare_quotes_fare_chk'
        WHEN NOT (p_expires_at > p_created_at) THEN 'fare_quotes_expiry_chk'
    END;
    IF v_broken IS NOT NULL THEN
        RAISE EXCEPTION 'new row for relation "fare_quotes" violates check constraint "%"', v_broken
            USING ERRCODE = 'check_violation', CONSTRAINT = v_broken, TABLE = 'fare_quotes';
    END IF;
    RETURN true;
END
$$;

COMMENT ON FUNCTION public.fare_quote_rules_hold IS
    'The rules of a fare quote row (fare_quotes_rules_chk): true, or a check_violation naming the broken rule.';

CREATE TABLE public.fare_quotes (
    id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
    customer_id             uuid        NOT NULL,
    city                    text        NOT NULL,
    tariff_id               uuid        NOT NULL,
    vehicle_type            public.vehicle_type  NOT NULL,
    billing_model           public.billing_model NOT NULL,
    rider_tier              public.user_tier     NOT NULL,
    passengers              smallint    NOT NULL,
    pickup_lat              double precision NOT NULL,
    pickup_lng              double precision NOT NULL,
    dropoff_lat             double precision NOT NULL,
    dropoff_lng             double precision NOT NULL,
    currency                char(3)     NOT NULL,
    estimated_distance_m    integer     NOT NULL,
    estimated_duration_s    integer     NOT NULL,
    demand                  integer     NOT NULL,
    supply                  integer     NOT NULL,
    surge_multiplier        numeric(4, 2) NOT NULL,
    estimated_fare_minor    bigint      NOT NULL,
    created_at              timestamptz NOT NULL DEFAULT now(),
    expires_at              timestamptz NOT NULL,
    used_at                 timestamptz,
    CONSTRAINT fare_quotes_pkey PRIMARY KEY (id),
    CONSTRAINT fare_quotes_customer_fk FOREIGN KEY (customer_id) REFERENCES public.users (id),
    CONSTRAINT fare_quotes_tariff_fk FOREIGN KEY (tariff_id) REFERENCES public.tariffs (id),
    -- Every rule of a quote row in one CHECK, as for rides: a PL/pgSQL function is compiled once per
    -- session, a CHECK expression for every statement. A broken rule is a check_violation named after it.
    CONSTRAINT fare_quotes_rules_chk CHECK (public.fare_quote_rules_hold(
        pickup_lat, pickup_lng, dropoff_lat, dropoff_lng, passengers, estimated_fare_minor, surge_multiplier,
        created_at, expires_at))
);

COMMENT ON TABLE public.fare_quotes IS 'Fare quotes; a ride requested before expires_at is priced as quoted.';

CREATE INDEX fare_quotes_customer_idx ON public.fare_quotes (customer_id, created_at DESC);

-- Surge demand: recent quotes of a city.
CREATE INDEX fare_quotes_city_created_idx ON public.fare_quotes (city, created_at);

ALTER TABLE public.fare_quotes ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.fare_quotes FORCE ROW LEVEL SECURITY;

CREATE TABLE public.currencies (
    code                    char(3)     NOT NULL,
    name                    text        NOT NULL,
    minor_units             smallint    NOT NULL,
    CONSTRAINT currencies_pkey PRIMARY KEY (code),
    CONSTRAINT currencies_code_chk CHECK (code ~ '^[A-Z]{3}$'),
    CONSTRAINT currencies_minor_units_chk CHECK (minor_units BETWEEN 0 AND 4)
);

COMMENT ON TABLE public.currencies IS 'ISO-4217 currencies the platform settles in, with their minor units.';

INSERT INTO public.currencies VALUES ('NGN', 'Nigerian naira', 2), ('USD', 'US dollar', 2);

CREATE TABLE public.exchange_rates (
    base_currency           char(3)        NOT NULL,
    quote_currency          char(3)        NOT NULL,
    rate                    numeric(20, 10) NOT NULL,
    effective_from          timestamptz    NOT NULL,
    source                  text           NOT NULL,
    created_at              timestamptz    NOT NULL DEFAULT now(),
    CONSTRAINT exchange_rates_pkey PRIMARY KEY (base_currency, quote_currency, effective_from),
    CONSTRAINT exchange_rates_base_fk FOREIGN KEY (base_currency) REFERENCES public.currencies (code),
    CONSTRAINT exchange_rates_quote_fk FOREIGN KEY (quote_currency) REFERENCES public.currencies (code),
    CONSTRAINT exchange_rates_pair_chk CHECK (base_currency <> quote_currency),
    CONSTRAINT exchange_rates_rate_chk CHECK (rate > 0)
);

COMMENT ON TABLE public.exchange_rates IS
    'Units of quote_currency per unit of base_currency from effective_from on; history is kept, never overwritten.';

ALTER TABLE public.currencies ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.currencies FORCE ROW LEVEL SECURITY;

ALTER TABLE public.exchange_rates ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.exchange_rates FORCE ROW LEVEL SECURITY;
