-- R__06_pricing.sql — the pricing functions: fare_for (the fare arithmetic, in exactly one place, for
-- quotes and final fares alike; rounding half-up to the minor unit, once, at the end), quote_fare,
-- surge_at, commission_rate and currency conversion (a conversion without a rate is an error, never a
-- silent 1.0); and the policies and grants of the pricing tables.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'public.city_settings',
    'public.tariffs',
    'public.surge_rules',
    'public.commission_bands',
    'public.commission_band_positions',
    'public.fare_quotes',
    'public.currencies',
    'public.exchange_rates');

-- The fare of a trip under a tariff. IMMUTABLE and strict in its inputs: quotes and final fares call
-- the same function, so an estimate and a bill can never disagree about the arithmetic.
CREATE OR REPLACE FUNCTION public.fare_for(p_tariff public.tariffs, p_distance_m integer, p_duration_s integer,
                                p_surge numeric)
    RETURNS bigint
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog
AS $$
    SELECT least(round(greatest(
               CASE p_tariff.billing_model
                   WHEN 'flat_rate' THEN p_tariff.flat_fare_minor::numeric
                   WHEN 'time_based' THEN p_tariff.base_fare_minor + p_tariff.per_minute_minor * p_duration_s / 60.0
                   WHEN 'distance_based' THEN p_tariff.base_fare_minor + p_tariff.per_km_minor * p_distance_m / 1000.0
                   ELSE p_tariff.base_fare_minor + p_tariff.per_km_minor * p_distance_m / 1000.0
                        + p_tariff.per_minute_minor * p_duration_s / 60.0
               END,
               p_tariff.minimum_fare_minor)
           * CASE WHEN p_tariff.billing_model = 'surge_pricing' THEN p_surge ELSE 1 END),
           1000000000000)::bigint
$$;

-- Quotes a trip for the calling rider and stores the quote. SECURITY DEFINER: riders cannot write
-- quotes themselves (they would choose their own price), and need no access to other riders' quotes
-- or to drivers' positions to learn the surge.
CREATE OR REPLACE FUNCTION public.quote_fare(p_city text, p_vehicle_type public.vehicle_type, p_billing_model public.billing_model,
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
            -- A VIP's points are not stored: the service seals them into route_enc (seal_quote_route).
            CASE WHEN v_tier <> 'vip' THEN p_pickup_lat END, CASE WHEN v_tier <> 'vip' THEN p_pickup_lng END,
            CASE WHEN v_tier <> 'vip' THEN p_dropoff_lat END, CASE WHEN v_tier <> 'vip' THEN p_dropoff_lng END,
            v_tariff.currency, v_distance, v_duration,
            v_surge.demand, v_surge.supply,
            CASE WHEN p_billing_model = 'surge_pricing' THEN v_surge.multiplier ELSE 1.00 END,
            public.fare_for(v_tariff, v_distance, v_duration, v_surge.multiplier),
            now() + make_interval(secs => v_settings.quote_ttl_s))
    RETURNING * INTO v_quote;
    RETURN v_quote;
END
$$;

-- Stores the sealed route of the caller's own, unused VIP quote, once: the envelope the service made under
-- the VIP's key, bound to "public.fare_quotes.route_enc/<quote id>".
CREATE OR REPLACE FUNCTION public.seal_quote_route(p_quote_id uuid, p_route_enc bytea) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    UPDATE public.fare_quotes q SET route_enc = p_route_enc
     WHERE q.id = p_quote_id AND q.customer_id = public.current_app_user_id() AND q.rider_tier = 'vip'
       AND q.route_enc IS NULL AND q.used_at IS NULL AND p_route_enc IS NOT NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Quote % is not an unsealed VIP quote of yours.', p_quote_id
            USING ERRCODE = 'VR422', HINT = 'invalid-quote';
    END IF;
END
$$;

-- The commission rate for a rider tier and a driver's subscription, and the sentence that explains it.
CREATE OR REPLACE FUNCTION public.commission_rate(p_rider_tier public.user_tier, p_subscription_tier text,
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

-- The rate in force at p_at: the pair's latest row not after p_at, or the inverse of the opposite pair's.
CREATE OR REPLACE FUNCTION public.exchange_rate(p_from char(3), p_to char(3), p_at timestamptz DEFAULT now()) RETURNS numeric
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
AS $$
DECLARE
    v_rate numeric;
BEGIN
    IF p_from = p_to THEN
        RETURN 1;
    END IF;
    SELECT r.rate INTO v_rate FROM public.exchange_rates r
     WHERE r.base_currency = p_from AND r.quote_currency = p_to AND r.effective_from <= p_at
     ORDER BY r.effective_from DESC LIMIT 1;
    IF v_rate IS NULL THEN
        SELECT 1 / r.rate INTO v_rate FROM public.exchange_rates r
         WHERE r.base_currency = p_to AND r.quote_currency = p_from AND r.effective_from <= p_at
         ORDER BY r.effective_from DESC LIMIT 1;
    END IF;
    IF v_rate IS NULL THEN
        RAISE EXCEPTION 'No exchange rate from % to % at %.', p_from, p_to, p_at
            USING ERRCODE = 'VR422', HINT = 'no-exchange-rate';
    END IF;
    RETURN v_rate;
END
$$;

-- An amount in minor units of one currency converted to minor units of another, rounded half-up.
CREATE OR REPLACE FUNCTION public.convert_minor(p_amount bigint, p_from char(3), p_to char(3), p_at timestamptz DEFAULT now())
    RETURNS bigint
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT round(p_amount * public.exchange_rate(p_from, p_to, p_at)
                 * power(10::numeric, t.minor_units - f.minor_units))::bigint
      FROM public.currencies f, public.currencies t
     WHERE f.code = p_from AND t.code = p_to
$$;

-- The surge around a pickup: demand (riders who asked for a quote within the surge radius and window)
-- over supply (fresh available drivers of the vehicle type in the radius, counted over the online
-- drivers' index), mapped to a multiplier by surge_rules.
CREATE OR REPLACE FUNCTION public.surge_at(p_city text, p_vehicle_type public.vehicle_type, p_lat double precision,
                                           p_lng double precision, OUT demand integer, OUT supply integer,
                                           OUT multiplier numeric)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_settings public.city_settings;
BEGIN
    SELECT * INTO STRICT v_settings FROM public.city_settings WHERE city = p_city;
    SELECT count(DISTINCT q.customer_id) INTO demand
      FROM public.fare_quotes q
     WHERE q.city = p_city AND q.created_at > now() - make_interval(secs => v_settings.surge_window_s)
       AND public.great_circle_m(q.pickup_lat, q.pickup_lng, p_lat, p_lng) <= v_settings.surge_radius_m;
    SELECT count(*) INTO supply
      FROM public.drivers d
     WHERE d.is_online AND d.is_available AND d.deleted_at IS NULL
       AND d.dispatch_xy <@ public.dispatch_plane_reach(
               public.dispatch_plane_point(v_settings.reference_lat, p_lat, p_lng), v_settings.surge_radius_m)
       AND public.great_circle_m(d.current_lat, d.current_lng, p_lat, p_lng) <= v_settings.surge_radius_m
       AND d.position_updated_at > now() - make_interval(secs => v_settings.driver_stale_after_s)
       AND d.dispatch_vehicle_type = p_vehicle_type;
    SELECT coalesce(max(r.multiplier), 1.00) INTO multiplier
      FROM public.surge_rules r
     WHERE r.city = p_city AND r.demand_ratio_from <= demand::numeric / greatest(supply, 1);
END
$$;

COMMENT ON FUNCTION public.fare_for(public.tariffs, integer, integer, numeric) IS
    'Fare in minor units: the billing model''s formula, floored at the minimum, times surge (surge_pricing only), rounded half-up once, '
    'capped at 1,000,000,000,000 (the domain maximum of an amount, so every fare can be paid).';

COMMENT ON FUNCTION public.surge_at(text, public.vehicle_type, double precision, double precision) IS
    'Demand (riders quoting nearby), supply (fresh available drivers nearby) and the surge rule they select.';

COMMENT ON FUNCTION public.quote_fare(text, public.vehicle_type, public.billing_model, integer,
    double precision, double precision, double precision, double precision) IS
    'Prices a trip for the calling rider under the current tariff and live surge; the quote is stored and expires.';

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

-- The pricing reference tables carry forced RLS like every public table, but their rows are not
-- personal: each reader's and system_admin's policies admit every row, and the owner's lets the pricing
-- functions read them.
DO $$
DECLARE
    v_table text;
    v_role  text;
BEGIN
    FOREACH v_table IN ARRAY ARRAY['city_settings', 'tariffs', 'surge_rules', 'commission_bands',
                                   'commission_band_positions'] LOOP
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

GRANT EXECUTE ON FUNCTION public.fare_for(public.tariffs, integer, integer, numeric) TO customer_user, driver_user;

COMMENT ON FUNCTION public.exchange_rate(char, char, timestamptz) IS
    'Exchange rate in force at a time; raises no-exchange-rate when there is none (never assumes 1.0).';

GRANT SELECT ON public.currencies, public.exchange_rates TO customer_user, driver_user, fleet_admin, hotel_staff,
    support_agent, system_admin, audit_admin;

GRANT INSERT ON public.exchange_rates TO system_admin;

CREATE POLICY exchange_rates_insert_system_admin ON public.exchange_rates FOR INSERT TO system_admin WITH CHECK (true);

REVOKE ALL ON FUNCTION public.exchange_rate(char, char, timestamptz), public.convert_minor(bigint, char, char, timestamptz) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.exchange_rate(char, char, timestamptz), public.convert_minor(bigint, char, char, timestamptz)
    TO customer_user, driver_user, fleet_admin, hotel_staff, support_agent, system_admin, audit_admin;

SELECT audit.enable_audit('public.exchange_rates', 'base_currency');

GRANT EXECUTE ON FUNCTION public.fare_quote_rules_hold TO PUBLIC;

DO $$
DECLARE
    v_table text;
    v_role  text;
BEGIN
    FOREACH v_table IN ARRAY ARRAY['currencies', 'exchange_rates'] LOOP
        FOREACH v_role IN ARRAY ARRAY['customer_user', 'driver_user', 'fleet_admin', 'hotel_staff', 'support_agent',
                                      'system_admin', 'audit_admin', 'vipride_owner'] LOOP
            EXECUTE format('CREATE POLICY %I ON public.%I FOR SELECT TO %I USING (true)',
                           v_table || '_select_' || v_role, v_table, v_role);
        END LOOP;
    END LOOP;
END
$$;

-- updated_at follows every change.
CREATE OR REPLACE TRIGGER city_settings_touch_updated_at BEFORE UPDATE ON public.city_settings
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE OR REPLACE TRIGGER surge_rules_touch_updated_at BEFORE UPDATE ON public.surge_rules
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

REVOKE ALL ON FUNCTION public.seal_quote_route(uuid, bytea) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.seal_quote_route(uuid, bytea) TO customer_user;
