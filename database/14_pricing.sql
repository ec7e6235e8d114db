-- Part 14 — pricing: per-city operating settings, tariffs for every billing model, surge rules, the
-- commission bands with the rule that places a ride in its band, and fare quotes.
--
-- Everything that sets a price lives in a table that system_admin can change without a release; the
-- arithmetic lives in exactly one place, public.fare_for(), used for quotes and for final fares alike.
-- Money is integer minor units; rounding is half-up to the minor unit, once, at the end.

-- ---------------------------------------------------------------------------------------------
-- city_settings: the operating parameters of one market.
-- ---------------------------------------------------------------------------------------------
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
    CONSTRAINT city_settings_pkey PRIMARY KEY (city),
    CONSTRAINT city_settings_city_chk CHECK (city ~ '^[a-z][a-z_-]{1,63}$'),
    CONSTRAINT city_settings_currency_chk CHECK (currency ~ '^[A-Z]{3}$'),
    CONSTRAINT city_settings_road_factor_chk CHECK (road_factor BETWEEN 1.00 AND 3.00),
    CONSTRAINT city_settings_speed_chk CHECK (average_speed_kmh BETWEEN 5 AND 120),
    CONSTRAINT city_settings_positive_chk CHECK (surge_radius_m > 0 AND surge_window_s > 0 AND quote_ttl_s > 0
        AND max_pickup_distance_m > 0 AND offer_timeout_s > 0 AND dispatch_retry_s > 0
        AND dispatch_deadline_s > 0 AND driver_stale_after_s > 0)
);
COMMENT ON TABLE public.city_settings IS
    'Per-market settings: currency, trip estimates (road factor, speed), surge area, quote, offer and dispatch timing.';
COMMENT ON COLUMN public.city_settings.road_factor IS 'Road distance / great-circle distance, for estimates before the trip.';
COMMENT ON COLUMN public.city_settings.driver_stale_after_s IS 'A driver whose last ping is older drops out of dispatch.';
CREATE TRIGGER city_settings_touch_updated_at BEFORE UPDATE ON public.city_settings
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

INSERT INTO public.city_settings (city, currency) VALUES ('lagos', 'NGN'), ('abuja', 'NGN');

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

-- The fare of a trip under a tariff. IMMUTABLE and strict in its inputs: quotes and final fares call
-- the same function, so an estimate and a bill can never disagree about the arithmetic.
CREATE FUNCTION public.fare_for(p_tariff public.tariffs, p_distance_m integer, p_duration_s integer,
                                p_surge numeric)
    RETURNS bigint
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog
AS $$
    SELECT round(greatest(
               CASE p_tariff.billing_model
                   WHEN 'flat_rate' THEN p_tariff.flat_fare_minor::numeric
                   WHEN 'time_based' THEN p_tariff.base_fare_minor + p_tariff.per_minute_minor * p_duration_s / 60.0
                   WHEN 'distance_based' THEN p_tariff.base_fare_minor + p_tariff.per_km_minor * p_distance_m / 1000.0
                   ELSE p_tariff.base_fare_minor + p_tariff.per_km_minor * p_distance_m / 1000.0
                        + p_tariff.per_minute_minor * p_duration_s / 60.0
               END,
               p_tariff.minimum_fare_minor)
           * CASE WHEN p_tariff.billing_model = 'surge_pricing' THEN p_surge ELSE 1 END)::bigint
$$;
COMMENT ON FUNCTION public.fare_for(public.tariffs, integer, integer, numeric) IS
    'Fare in minor units: the billing model''s formula, floored at the minimum, times surge (surge_pricing only), rounded half-up once.';

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
CREATE TRIGGER surge_rules_touch_updated_at BEFORE UPDATE ON public.surge_rules
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();
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

-- Fleets keep a contracted share of what their drivers earn after commission.
ALTER TABLE public.fleet_companies ADD COLUMN driver_revenue_share_bp integer NOT NULL DEFAULT 2000;
ALTER TABLE public.fleet_companies ADD CONSTRAINT fleet_companies_share_chk CHECK (driver_revenue_share_bp BETWEEN 0 AND 10000);
COMMENT ON COLUMN public.fleet_companies.driver_revenue_share_bp IS
    'The fleet''s share of its drivers'' earnings after platform commission (and after a lessor''s revenue share).';

-- ---------------------------------------------------------------------------------------------
-- fare_quotes: a price promise to one rider, honoured if the ride is requested before expires_at.
-- Written only by public.quote_fare(), which does the arithmetic; riders read their own.
-- ---------------------------------------------------------------------------------------------
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
    CONSTRAINT fare_quotes_passengers_chk CHECK (passengers BETWEEN 1 AND 14),
    CONSTRAINT fare_quotes_ends_chk CHECK (pickup_lat BETWEEN -90 AND 90 AND pickup_lng BETWEEN -180 AND 180
        AND dropoff_lat BETWEEN -90 AND 90 AND dropoff_lng BETWEEN -180 AND 180
        AND (pickup_lat <> dropoff_lat OR pickup_lng <> dropoff_lng)),
    CONSTRAINT fare_quotes_fare_chk CHECK (estimated_fare_minor >= 0 AND surge_multiplier BETWEEN 1.00 AND 10.00),
    CONSTRAINT fare_quotes_expiry_chk CHECK (expires_at > created_at)
);
COMMENT ON TABLE public.fare_quotes IS 'Fare quotes; a ride requested before expires_at is priced as quoted.';
CREATE INDEX fare_quotes_customer_idx ON public.fare_quotes (customer_id, created_at DESC);
-- Surge demand: recent quotes of a city.
CREATE INDEX fare_quotes_city_created_idx ON public.fare_quotes (city, created_at);

-- The live surge multiplier around a point, with the demand and supply it came from.
CREATE FUNCTION public.surge_at(p_city text, p_vehicle_type public.vehicle_type, p_lat double precision,
                                p_lng double precision, OUT demand integer, OUT supply integer, OUT multiplier numeric)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public
AS $$
DECLARE
    v_settings public.city_settings;
    v_point    public.earth := public.ll_to_earth(p_lat, p_lng);
BEGIN
    SELECT * INTO STRICT v_settings FROM public.city_settings WHERE city = p_city;
    SELECT count(DISTINCT q.customer_id) INTO demand
      FROM public.fare_quotes q
     WHERE q.city = p_city AND q.created_at > now() - make_interval(secs => v_settings.surge_window_s)
       AND public.earth_distance(public.ll_to_earth(q.pickup_lat, q.pickup_lng), v_point) <= v_settings.surge_radius_m;
    SELECT count(*) INTO supply
      FROM public.drivers d
     WHERE d.is_available AND d.deleted_at IS NULL
       AND d.current_position OPERATOR(public.<@) public.earth_box(v_point, v_settings.surge_radius_m)
       AND public.earth_distance(d.current_position::public.earth, v_point) <= v_settings.surge_radius_m
       AND d.position_updated_at > now() - make_interval(secs => v_settings.driver_stale_after_s)
       AND d.dispatch_vehicle_type = p_vehicle_type;
    SELECT coalesce(max(r.multiplier), 1.00) INTO multiplier
      FROM public.surge_rules r
     WHERE r.city = p_city AND r.demand_ratio_from <= demand::numeric / greatest(supply, 1);
END
$$;
COMMENT ON FUNCTION public.surge_at(text, public.vehicle_type, double precision, double precision) IS
    'Demand (riders quoting nearby), supply (fresh available drivers nearby) and the surge rule they select.';

-- Quotes a trip for the calling rider and stores the quote. SECURITY DEFINER: riders cannot write
-- quotes themselves (they would choose their own price), and need no access to other riders' quotes
-- or to drivers' positions to learn the surge.
CREATE FUNCTION public.quote_fare(p_city text, p_vehicle_type public.vehicle_type, p_billing_model public.billing_model,
                                  p_passengers integer, p_pickup_lat double precision, p_pickup_lng double precision,
                                  p_dropoff_lat double precision, p_dropoff_lng double precision)
    RETURNS public.fare_quotes
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, public
AS $$
DECLARE
    v_user     uuid := public.current_app_user_id();
    v_tier     public.user_tier;
    v_settings public.city_settings;
    v_tariff   public.tariffs;
    v_surge    record;
    v_distance integer;
    v_duration integer;
    v_quote    public.fare_quotes;
BEGIN
    SELECT u.tier INTO v_tier FROM public.users u WHERE u.id = v_user AND u.deleted_at IS NULL AND u.user_type = 'customer';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Only riders can ask for a quote.' USING ERRCODE = 'VR403', HINT = 'not-a-rider';
    END IF;
    SELECT * INTO v_settings FROM public.city_settings WHERE city = p_city;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'We do not operate in "%".', p_city USING ERRCODE = 'VR422', HINT = 'unknown-city';
    END IF;
    SELECT * INTO v_tariff FROM public.tariffs t
     WHERE t.city = p_city AND t.vehicle_type = p_vehicle_type AND t.rider_tier = v_tier
       AND t.billing_model = p_billing_model AND t.retired_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No % tariff for a % in %.', p_billing_model, p_vehicle_type, p_city
            USING ERRCODE = 'VR422', HINT = 'no-tariff';
    END IF;
    v_distance := round(public.earth_distance(public.ll_to_earth(p_pickup_lat, p_pickup_lng),
                                              public.ll_to_earth(p_dropoff_lat, p_dropoff_lng)) * v_settings.road_factor);
    v_duration := round(v_distance / (v_settings.average_speed_kmh / 3.6));
    SELECT * INTO v_surge FROM public.surge_at(p_city, p_vehicle_type, p_pickup_lat, p_pickup_lng);
    -- The asking rider is demand too, once.
    IF NOT EXISTS (SELECT FROM public.fare_quotes q WHERE q.customer_id = v_user AND q.city = p_city
                      AND q.created_at > now() - make_interval(secs => v_settings.surge_window_s)) THEN
        v_surge.demand := v_surge.demand + 1;
        SELECT coalesce(max(r.multiplier), 1.00) INTO v_surge.multiplier FROM public.surge_rules r
         WHERE r.city = p_city AND r.demand_ratio_from <= v_surge.demand::numeric / greatest(v_surge.supply, 1);
    END IF;
    INSERT INTO public.fare_quotes (customer_id, city, tariff_id, vehicle_type, billing_model, rider_tier, passengers,
                                    pickup_lat, pickup_lng, dropoff_lat, dropoff_lng, currency, estimated_distance_m,
                                    estimated_duration_s, demand, supply, surge_multiplier, estimated_fare_minor, expires_at)
    VALUES (v_user, p_city, v_tariff.id, p_vehicle_type, p_billing_model, v_tier, p_passengers,
            p_pickup_lat, p_pickup_lng, p_dropoff_lat, p_dropoff_lng, v_tariff.currency, v_distance, v_duration,
            v_surge.demand, v_surge.supply,
            CASE WHEN p_billing_model = 'surge_pricing' THEN v_surge.multiplier ELSE 1.00 END,
            public.fare_for(v_tariff, v_distance, v_duration, v_surge.multiplier),
            now() + make_interval(secs => v_settings.quote_ttl_s))
    RETURNING * INTO v_quote;
    RETURN v_quote;
END
$$;
COMMENT ON FUNCTION public.quote_fare(text, public.vehicle_type, public.billing_model, integer,
    double precision, double precision, double precision, double precision) IS
    'Prices a trip for the calling rider under the current tariff and live surge; the quote is stored and expires.';

-- The commission rate for a rider tier and a driver's subscription, and the sentence that explains it.
CREATE FUNCTION public.commission_rate(p_rider_tier public.user_tier, p_subscription_tier text,
                                       OUT rate_bp integer, OUT rule text)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT (b.min_rate_bp + round((b.max_rate_bp - b.min_rate_bp) * p.band_position_pct / 100.0))::integer,
           format('%s band %s-%s bp, driver subscription %s at %s%% of the band',
                  p_rider_tier, b.min_rate_bp, b.max_rate_bp, p.subscription_tier, p.band_position_pct)
      FROM public.commission_bands b, public.commission_band_positions p
     WHERE b.rider_tier = p_rider_tier AND p.subscription_tier = coalesce(p_subscription_tier, 'none')
$$;
COMMENT ON FUNCTION public.commission_rate(public.user_tier, text) IS
    'Platform commission in basis points for a ride: the rider tier''s band, positioned by the driver''s subscription.';

-- ---------------------------------------------------------------------------------------------
-- Privileges. Price lists and rules are public knowledge to signed-in users; only system_admin
-- changes them (tariffs by retiring and adding rows). Quotes are personal: RLS, own rows only.
-- ---------------------------------------------------------------------------------------------
GRANT SELECT ON public.city_settings, public.tariffs, public.surge_rules, public.commission_bands,
    public.commission_band_positions
    TO customer_user, driver_user, fleet_admin, support_agent, system_admin;
GRANT INSERT, UPDATE ON public.city_settings, public.surge_rules, public.commission_bands,
    public.commission_band_positions TO system_admin;
GRANT DELETE ON public.surge_rules TO system_admin;
GRANT INSERT ON public.tariffs TO system_admin;
GRANT UPDATE (retired_at) ON public.tariffs TO system_admin;

-- Every public table carries forced RLS, these too: the rows are not personal, so each reader's and
-- system_admin's policies admit every row, and the owner's lets the pricing functions read them.
DO $$
DECLARE
    v_table text;
    v_role  text;
BEGIN
    FOREACH v_table IN ARRAY ARRAY['city_settings', 'tariffs', 'surge_rules', 'commission_bands',
                                   'commission_band_positions'] LOOP
        EXECUTE format('ALTER TABLE public.%I ENABLE ROW LEVEL SECURITY', v_table);
        EXECUTE format('ALTER TABLE public.%I FORCE ROW LEVEL SECURITY', v_table);
        FOREACH v_role IN ARRAY ARRAY['customer_user', 'driver_user', 'fleet_admin', 'support_agent', 'system_admin',
                                      'vipride_owner'] LOOP
            EXECUTE format('CREATE POLICY %I ON public.%I FOR SELECT TO %I USING (true)',
                           v_table || '_select_' || v_role, v_table, v_role);
        END LOOP;
        EXECUTE format('CREATE POLICY %I ON public.%I FOR INSERT TO system_admin WITH CHECK (true)',
                       v_table || '_insert_system_admin', v_table);
        EXECUTE format('CREATE POLICY %I ON public.%I FOR UPDATE TO system_admin USING (true) WITH CHECK (true)',
                       v_table || '_update_system_admin', v_table);
    END LOOP;
END
$$;
CREATE POLICY surge_rules_delete_system_admin ON public.surge_rules FOR DELETE TO system_admin USING (true);

ALTER TABLE public.fare_quotes ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.fare_quotes FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.fare_quotes TO customer_user, support_agent, system_admin;
CREATE POLICY fare_quotes_select_customer_user ON public.fare_quotes FOR SELECT TO customer_user
    USING (customer_id = public.current_app_user_id());
CREATE POLICY fare_quotes_select_support_agent ON public.fare_quotes FOR SELECT TO support_agent USING (true);
CREATE POLICY fare_quotes_select_system_admin ON public.fare_quotes FOR SELECT TO system_admin USING (true);
-- quote_fare and the ride-request trigger run as the owner.
CREATE POLICY fare_quotes_all_owner ON public.fare_quotes FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

REVOKE ALL ON FUNCTION public.surge_at(text, public.vehicle_type, double precision, double precision),
    public.quote_fare(text, public.vehicle_type, public.billing_model, integer,
                      double precision, double precision, double precision, double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.quote_fare(text, public.vehicle_type, public.billing_model, integer,
                                            double precision, double precision, double precision, double precision)
    TO customer_user;
GRANT EXECUTE ON FUNCTION public.surge_at(text, public.vehicle_type, double precision, double precision)
    TO customer_user, support_agent, system_admin;

SELECT audit.enable_audit('public.city_settings', 'city');
SELECT audit.enable_audit('public.tariffs');
SELECT audit.enable_audit('public.surge_rules', 'city');
SELECT audit.enable_audit('public.commission_bands', 'rider_tier');
SELECT audit.enable_audit('public.commission_band_positions', 'subscription_tier');
