-- R__09_hotels_partnerships.sql — hotel partnerships in the database: tier rates, vetting, room types,
-- rate plans and their night-by-night price, availability, bookings (priced here, never by the client;
-- one per Idempotency-Key; the exclusion constraint on rooms is the last word against overbooking), their
-- steps, cancellation with the plan's fee and the refund through the payments ledger, rides a hotel
-- originates (transfers, rides for guests), referral commission and monthly partner statements; and the
-- policies, grants and audit of the tables of V8.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the prologue below).

SET check_function_bodies = off;

SELECT maintenance.drop_policies_and_audit_triggers(
    'public.hotel_tier_rates',
    'public.hotel_room_types',
    'public.hotel_rate_plans',
    'public.hotel_rate_plan_seasons',
    'public.hotel_blackout_dates',
    'public.hotel_inventory_nights',
    'public.hotel_search_offers',
    'public.hotel_rides',
    'public.hotel_statements');

-- ---------------------------------------------------------------------------------------------
-- Partners: the tier decides the commission rate (hotel_tier_rates); vetting steps.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.hotel_partners_take_tier_rate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.commission_rate_bp IS NULL
       OR TG_OP = 'UPDATE' AND NEW.partnership_tier IS DISTINCT FROM OLD.partnership_tier THEN
        SELECT r.commission_rate_bp INTO NEW.commission_rate_bp FROM public.hotel_tier_rates r WHERE r.tier = NEW.partnership_tier;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER hotel_partners_take_tier_rate BEFORE INSERT OR UPDATE OF partnership_tier ON public.hotel_partners
    FOR EACH ROW EXECUTE FUNCTION public.hotel_partners_take_tier_rate();

-- A tier's new commission rate applies to its hotels from now on; bookings keep the rate they were made at.
CREATE OR REPLACE FUNCTION public.hotel_tier_rates_apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    UPDATE public.hotel_partners h SET commission_rate_bp = NEW.commission_rate_bp
     WHERE h.partnership_tier = NEW.tier AND h.commission_rate_bp <> NEW.commission_rate_bp;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER hotel_tier_rates_apply AFTER UPDATE OF commission_rate_bp ON public.hotel_tier_rates
    FOR EACH ROW WHEN (NEW.commission_rate_bp IS DISTINCT FROM OLD.commission_rate_bp) EXECUTE FUNCTION public.hotel_tier_rates_apply();

CREATE OR REPLACE TRIGGER hotel_tier_rates_touch_updated_at BEFORE UPDATE ON public.hotel_tier_rates
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- A signed-in person applies for their hotel; it waits, pending, for a system admin's vetting.
CREATE OR REPLACE FUNCTION public.apply_hotel_partner(p_name text, p_city text, p_address text, p_lat double precision,
                                                      p_lng double precision, p_star_rating integer,
                                                      p_contact_email text, p_contact_phone text,
                                                      p_tier public.hotel_partnership_tier)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_id uuid;
BEGIN
    IF public.current_app_user_id() IS NULL THEN
        RAISE EXCEPTION 'Sign in to apply.' USING ERRCODE = 'VR401', HINT = 'not-signed-in';
    END IF;
    INSERT INTO public.hotel_partners (name, city, address, lat, lng, star_rating, contact_email, contact_phone,
                                       partnership_tier, status, applied_by)
    VALUES (p_name, p_city, p_address, p_lat, p_lng, p_star_rating, p_contact_email, p_contact_phone,
            coalesce(p_tier, 'standard'), 'pending', public.current_app_user_id())
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- Vetting by a system admin: approve (pending → active), reject (pending → terminated), suspend
-- (active → suspended), reinstate (suspended → active), terminate (any but terminated → terminated).
CREATE OR REPLACE FUNCTION public.decide_hotel_partner(p_hotel_id uuid, p_action text, p_reason text)
    RETURNS public.hotel_partners
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_hotel public.hotel_partners;
    v_to    text;
BEGIN
    SELECT * INTO v_hotel FROM public.hotel_partners h WHERE h.id = p_hotel_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Hotel % not found.', p_hotel_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    v_to := CASE
        WHEN p_action = 'approve' AND v_hotel.status = 'pending' THEN 'active'
        WHEN p_action = 'reject' AND v_hotel.status = 'pending' THEN 'terminated'
        WHEN p_action = 'suspend' AND v_hotel.status = 'active' THEN 'suspended'
        WHEN p_action = 'reinstate' AND v_hotel.status = 'suspended' THEN 'active'
        WHEN p_action = 'terminate' AND v_hotel.status <> 'terminated' THEN 'terminated'
    END;
    IF v_to IS NULL THEN
        RAISE EXCEPTION 'A % hotel cannot be %d.', v_hotel.status, p_action
            USING ERRCODE = 'VR409', HINT = 'illegal-transition';
    END IF;
    IF p_action IN ('reject', 'suspend', 'terminate') AND coalesce(btrim(p_reason), '') = '' THEN
        RAISE EXCEPTION 'Say why.' USING ERRCODE = 'VR422', HINT = 'reason-required';
    END IF;
    UPDATE public.hotel_partners h
       SET status = v_to,
           status_reason = p_reason,
           vetted_at = CASE WHEN p_action IN ('approve', 'reject') THEN now() ELSE h.vetted_at END,
           vetted_by = CASE WHEN p_action IN ('approve', 'reject') THEN public.current_app_user_id() ELSE h.vetted_by END,
           suspended_at = CASE WHEN v_to = 'suspended' THEN now() WHEN v_to = 'active' THEN NULL ELSE h.suspended_at END
     WHERE h.id = p_hotel_id
    RETURNING * INTO v_hotel;
    RETURN v_hotel;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Rooms and rate plans.
-- ---------------------------------------------------------------------------------------------
-- A room of a type takes the type's category and capacity.
CREATE OR REPLACE FUNCTION public.hotel_rooms_take_type() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_type public.hotel_room_types;
BEGIN
    IF NEW.room_type_id IS NOT NULL THEN
        SELECT * INTO v_type FROM public.hotel_room_types t WHERE t.id = NEW.room_type_id AND t.hotel_id = NEW.hotel_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'Room type % is not one of this hotel''s.', NEW.room_type_id
                USING ERRCODE = 'VR422', HINT = 'room-type-not-in-hotel';
        END IF;
        NEW.room_type := v_type.category;
        NEW.max_occupancy := v_type.capacity;
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER hotel_rooms_take_type BEFORE INSERT OR UPDATE OF room_type_id, room_type, max_occupancy
    ON public.hotel_rooms FOR EACH ROW EXECUTE FUNCTION public.hotel_rooms_take_type();

-- A room type knows how many bookable rooms it has (the search and occupancy read it).
CREATE OR REPLACE FUNCTION public.hotel_rooms_count_per_type() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    UPDATE public.hotel_room_types t
       SET rooms_count = (SELECT count(*) FROM public.hotel_rooms r WHERE r.room_type_id = t.id AND r.is_available)
     WHERE t.id IN ((CASE WHEN TG_OP <> 'INSERT' THEN OLD.room_type_id END), (CASE WHEN TG_OP <> 'DELETE' THEN NEW.room_type_id END));
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER hotel_rooms_count_per_type AFTER INSERT OR DELETE OR UPDATE OF room_type_id, is_available
    ON public.hotel_rooms FOR EACH ROW EXECUTE FUNCTION public.hotel_rooms_count_per_type();

-- A rate plan may not overlap another active plan of its room type and currency, and a season may not
-- overlap another of its plan: said clearly here; the exclusion constraints stay the last word.
CREATE OR REPLACE FUNCTION public.hotel_rate_plans_refuse_overlap() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF TG_TABLE_NAME = 'hotel_rate_plans' THEN
        IF NEW.active AND EXISTS (
                SELECT FROM public.hotel_rate_plans p
                 WHERE p.room_type_id = NEW.room_type_id AND p.currency = NEW.currency AND p.active AND p.id <> NEW.id
                   AND daterange(p.valid_from, p.valid_to) && daterange(NEW.valid_from, NEW.valid_to)) THEN
            RAISE EXCEPTION 'Another active % rate plan of this room type covers some of these dates.', NEW.currency
                USING ERRCODE = 'VR409', HINT = 'rate-plan-overlap';
        END IF;
        IF NEW.occupancy_surcharge_bp > 0 AND NEW.occupancy_threshold_pct IS NULL THEN
            RAISE EXCEPTION 'An occupancy surcharge needs its occupancy threshold.'
                USING ERRCODE = 'VR422', HINT = 'occupancy-threshold-required';
        END IF;
    ELSIF EXISTS (SELECT FROM public.hotel_rate_plan_seasons s
                   WHERE s.rate_plan_id = NEW.rate_plan_id AND s.id <> NEW.id
                     AND daterange(s.starts_on, s.ends_on) && daterange(NEW.starts_on, NEW.ends_on)) THEN
        RAISE EXCEPTION 'Another peak season of this rate plan covers some of these dates.'
            USING ERRCODE = 'VR409', HINT = 'season-overlap';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER hotel_rate_plans_refuse_overlap BEFORE INSERT OR UPDATE ON public.hotel_rate_plans
    FOR EACH ROW EXECUTE FUNCTION public.hotel_rate_plans_refuse_overlap();

CREATE OR REPLACE TRIGGER hotel_rate_plan_seasons_refuse_overlap BEFORE INSERT OR UPDATE ON public.hotel_rate_plan_seasons
    FOR EACH ROW EXECUTE FUNCTION public.hotel_rate_plans_refuse_overlap();

CREATE OR REPLACE TRIGGER hotel_room_types_touch_updated_at BEFORE UPDATE ON public.hotel_room_types
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE OR REPLACE TRIGGER hotel_rate_plans_touch_updated_at BEFORE UPDATE ON public.hotel_rate_plans
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- ---------------------------------------------------------------------------------------------
-- The price of a stay, night by night. Each night (the date checked in on) costs the plan's base, plus
-- in basis points of the base, each rounded half-up: the weekend surcharge when the night's ISO day of
-- week is one of weekend_nights; the peak season's surcharge when a season covers it; the occupancy
-- surcharge when the hotel's rooms held that night (by other live bookings) are at or above the plan's
-- threshold, in percent of its rooms of any type.
-- ---------------------------------------------------------------------------------------------
-- One night's surcharge in basis points of the base, rounded half-up: the single formula the breakdown
-- and the search both use. Plain SQL that PostgreSQL inlines (no SET clause); its callers run with
-- search_path = pg_catalog.
CREATE OR REPLACE FUNCTION public.hotel_night_surcharge(p_base bigint, p_bp integer) RETURNS bigint
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT round(p_base * coalesce(p_bp, 0) / 10000.0)::bigint
$$;

-- The rooms of a hotel held each night of a stay by its live bookings, against its bookable rooms.
CREATE OR REPLACE FUNCTION public.hotel_stay_nights(p_rate_plan_id uuid, p_check_in date, p_check_out date)
    RETURNS TABLE (night date, base_minor bigint, weekend_minor bigint, peak_minor bigint, occupancy_minor bigint,
                   amount_minor bigint, occupancy_pct numeric, season text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    RETURN QUERY
    WITH plan AS (
        SELECT p.*, (SELECT sum(t.rooms_count) FROM public.hotel_room_types t WHERE t.hotel_id = p.hotel_id) AS rooms
          FROM public.hotel_rate_plans p WHERE p.id = p_rate_plan_id),
    nights AS (
        SELECT plan.*, d::date AS n,
               coalesce((SELECT sum(i.booked) FROM public.hotel_inventory_nights i
                          WHERE i.hotel_id = plan.hotel_id AND i.night = d::date), 0) AS held,
               s.surcharge_bp AS season_bp, s.name AS season_name
          FROM plan
         CROSS JOIN generate_series(p_check_in::timestamp, p_check_out::timestamp - interval '1 day', interval '1 day') d
          LEFT JOIN public.hotel_rate_plan_seasons s
            ON s.rate_plan_id = plan.id AND s.starts_on <= d::date AND s.ends_on > d::date),
    c AS (
        SELECT n, base_nightly_minor AS base,
               CASE WHEN extract(isodow FROM n)::smallint = ANY (weekend_nights)
                    THEN public.hotel_night_surcharge(base_nightly_minor, weekend_surcharge_bp) ELSE 0 END AS weekend,
               public.hotel_night_surcharge(base_nightly_minor, season_bp) AS peak,
               CASE WHEN occupancy_threshold_pct IS NOT NULL AND rooms > 0 AND held * 100.0 / rooms >= occupancy_threshold_pct
                    THEN public.hotel_night_surcharge(base_nightly_minor, occupancy_surcharge_bp) ELSE 0 END AS occupancy,
               CASE WHEN rooms > 0 THEN round(held * 100.0 / rooms, 1) ELSE 0 END AS pct,
               season_name
          FROM nights)
    SELECT c.n, c.base, c.weekend, c.peak, c.occupancy, c.base + c.weekend + c.peak + c.occupancy, c.pct, c.season_name
      FROM c
     ORDER BY c.n;
END
$$;

-- The stay's total and its breakdown as the booking keeps it.
CREATE OR REPLACE FUNCTION public.hotel_stay_price(p_rate_plan_id uuid, p_check_in date, p_check_out date,
                                                   OUT total_minor bigint, OUT currency char(3), OUT breakdown jsonb)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT sum(n.amount_minor)::bigint,
           (SELECT p.currency FROM public.hotel_rate_plans p WHERE p.id = p_rate_plan_id),
           jsonb_agg(jsonb_build_object('night', n.night, 'baseMinor', n.base_minor, 'weekendMinor', n.weekend_minor,
                                        'peakMinor', n.peak_minor, 'season', n.season,
                                        'occupancyMinor', n.occupancy_minor, 'occupancyPct', n.occupancy_pct,
                                        'amountMinor', n.amount_minor)
                     ORDER BY n.night)
      FROM public.hotel_stay_nights(p_rate_plan_id, p_check_in, p_check_out) n
$$;

CREATE OR REPLACE FUNCTION public.check_hotel_stay(p_check_in date, p_check_out date, p_guests integer) RETURNS void
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog
AS $$
BEGIN
    IF p_check_in IS NULL OR p_check_out IS NULL OR p_check_out <= p_check_in THEN
        RAISE EXCEPTION 'Check-out must be after check-in.' USING ERRCODE = 'VR422', HINT = 'invalid-stay-dates';
    END IF;
    IF p_check_out - p_check_in > 30 THEN
        RAISE EXCEPTION 'A stay is at most 30 nights.' USING ERRCODE = 'VR422', HINT = 'stay-too-long';
    END IF;
    IF p_guests IS NULL OR p_guests < 1 OR p_guests > 12 THEN
        RAISE EXCEPTION 'A stay is for 1 to 12 guests.' USING ERRCODE = 'VR422', HINT = 'invalid-guests';
    END IF;
END
$$;

-- The plan that prices a stay in a room type: active, in the currency asked (or the type's only one),
-- valid for every night.
CREATE OR REPLACE FUNCTION public.hotel_plan_for_stay(p_room_type_id uuid, p_currency char(3), p_check_in date, p_check_out date)
    RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT p.id FROM public.hotel_rate_plans p
     WHERE p.room_type_id = p_room_type_id AND p.active AND (p_currency IS NULL OR p.currency = p_currency)
       AND p.valid_from <= p_check_in AND (p.valid_to IS NULL OR p.valid_to >= p_check_out)
     ORDER BY p.currency
     LIMIT 1
$$;

-- ---------------------------------------------------------------------------------------------
-- The search's offers (hotel_search_offers): per active rate plan of a bookable room type of an active
-- hotel, what the search answers and prices with. A hotel's rows are rebuilt whenever the hotel, one of
-- its room types, rate plans or seasons changes; a hotel's city travels to its inventory nights.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.refresh_hotel_search_offers(p_hotel_id uuid) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    WITH offer AS (
        SELECT p.id AS rate_plan_id, t.id AS room_type_id, h.id AS hotel_id, h.city, h.name AS hotel_name, h.star_rating,
               h.partnership_tier, t.name AS room_type_name, t.category, t.capacity, t.amenities, t.rooms_count,
               (SELECT sum(x.rooms_count) FROM public.hotel_room_types x WHERE x.hotel_id = h.id)::integer AS hotel_rooms,
               p.currency, p.base_nightly_minor, p.weekend_nights, p.weekend_surcharge_bp, p.occupancy_threshold_pct,
               p.occupancy_surcharge_bp, p.valid_from, p.valid_to,
               EXISTS (SELECT FROM public.hotel_rate_plan_seasons s WHERE s.rate_plan_id = p.id) AS seasonal
          FROM public.hotel_partners h
          JOIN public.hotel_room_types t ON t.hotel_id = h.id AND t.rooms_count > 0
          JOIN public.hotel_rate_plans p ON p.room_type_id = t.id AND p.active
         WHERE h.id = p_hotel_id AND h.status = 'active'),
    gone AS (
        DELETE FROM public.hotel_search_offers o
         WHERE o.hotel_id = p_hotel_id AND o.rate_plan_id NOT IN (SELECT offer.rate_plan_id FROM offer))
    INSERT INTO public.hotel_search_offers AS o
    SELECT * FROM offer
    ON CONFLICT (rate_plan_id) DO UPDATE
       SET room_type_id = EXCLUDED.room_type_id, hotel_id = EXCLUDED.hotel_id, city = EXCLUDED.city,
           hotel_name = EXCLUDED.hotel_name, star_rating = EXCLUDED.star_rating, partnership_tier = EXCLUDED.partnership_tier,
           room_type_name = EXCLUDED.room_type_name, category = EXCLUDED.category, capacity = EXCLUDED.capacity,
           amenities = EXCLUDED.amenities, rooms_count = EXCLUDED.rooms_count, hotel_rooms = EXCLUDED.hotel_rooms,
           currency = EXCLUDED.currency, base_nightly_minor = EXCLUDED.base_nightly_minor,
           weekend_nights = EXCLUDED.weekend_nights, weekend_surcharge_bp = EXCLUDED.weekend_surcharge_bp,
           occupancy_threshold_pct = EXCLUDED.occupancy_threshold_pct,
           occupancy_surcharge_bp = EXCLUDED.occupancy_surcharge_bp, valid_from = EXCLUDED.valid_from,
           valid_to = EXCLUDED.valid_to, seasonal = EXCLUDED.seasonal
$$;

CREATE OR REPLACE FUNCTION public.hotel_search_offers_follow() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF TG_TABLE_NAME = 'hotel_partners' THEN
        IF TG_OP = 'DELETE' THEN
            PERFORM public.refresh_hotel_search_offers(OLD.id);
            RETURN NULL;
        END IF;
        PERFORM public.refresh_hotel_search_offers(NEW.id);
        IF TG_OP = 'UPDATE' AND NEW.city IS DISTINCT FROM OLD.city THEN
            UPDATE public.hotel_inventory_nights i SET city = NEW.city WHERE i.hotel_id = NEW.id;
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM public.refresh_hotel_search_offers(OLD.hotel_id);
    END IF;
    IF TG_OP = 'INSERT' OR TG_OP = 'UPDATE' AND NEW.hotel_id IS DISTINCT FROM OLD.hotel_id THEN
        PERFORM public.refresh_hotel_search_offers(NEW.hotel_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER hotel_partners_search_offers
    AFTER INSERT OR DELETE OR UPDATE OF name, city, star_rating, partnership_tier, status ON public.hotel_partners
    FOR EACH ROW EXECUTE FUNCTION public.hotel_search_offers_follow();

CREATE OR REPLACE TRIGGER hotel_room_types_search_offers AFTER INSERT OR UPDATE OR DELETE ON public.hotel_room_types
    FOR EACH ROW EXECUTE FUNCTION public.hotel_search_offers_follow();

CREATE OR REPLACE TRIGGER hotel_rate_plans_search_offers AFTER INSERT OR UPDATE OR DELETE ON public.hotel_rate_plans
    FOR EACH ROW EXECUTE FUNCTION public.hotel_search_offers_follow();

CREATE OR REPLACE TRIGGER hotel_rate_plan_seasons_search_offers AFTER INSERT OR UPDATE OR DELETE ON public.hotel_rate_plan_seasons
    FOR EACH ROW EXECUTE FUNCTION public.hotel_search_offers_follow();

-- Availability: per room type of active hotels (of a city, or one hotel) with room for the guests, free
-- rooms for every night (its bookable rooms less the most held on any night), no blackout, a plan for
-- the stay (the currency asked, else the first); with the stay's total priced as hotel_stay_nights prices
-- it (same surcharge function, same held rooms per hotel and night). One statement, one cached plan, and
-- little read: the city's offers and the city's held nights in one index range scan each, the blackouts
-- and seasons of the stay's dates; everything joined by hash, priced set-based. Cheapest first.
CREATE OR REPLACE FUNCTION public.hotel_availability(p_city text, p_hotel_id uuid, p_check_in date, p_check_out date,
                                                     p_guests integer, p_currency char(3) DEFAULT NULL)
    RETURNS TABLE (hotel_id uuid, hotel_name text, city text, star_rating smallint,
                   partnership_tier public.hotel_partnership_tier, room_type_id uuid, room_type_name text,
                   category text, capacity smallint, amenities text[], rooms_free integer, rate_plan_id uuid,
                   currency char(3), nights integer, total_minor bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
    SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_city text := p_city;
BEGIN
    PERFORM public.check_hotel_stay(p_check_in, p_check_out, p_guests);
    IF p_check_in < current_date THEN
        RAISE EXCEPTION 'The stay starts in the past.' USING ERRCODE = 'VR422', HINT = 'stay-in-the-past';
    END IF;
    IF p_city IS NULL AND p_hotel_id IS NULL THEN
        RAISE EXCEPTION 'Search a city or a hotel.' USING ERRCODE = 'VR400', HINT = 'city-or-hotel-required';
    END IF;
    IF p_hotel_id IS NOT NULL THEN
        SELECT o.city INTO v_city FROM public.hotel_search_offers o
         WHERE o.hotel_id = p_hotel_id AND (p_city IS NULL OR o.city = p_city)
         LIMIT 1;
        IF NOT FOUND THEN
            RETURN;
        END IF;
    END IF;
    RETURN QUERY
    WITH offer AS (
        SELECT DISTINCT ON (o.room_type_id) o.*
          FROM public.hotel_search_offers o
         WHERE o.city = v_city AND o.capacity >= p_guests AND (p_hotel_id IS NULL OR o.hotel_id = p_hotel_id)
           AND (p_currency IS NULL OR o.currency = p_currency)
           AND o.valid_from <= p_check_in AND (o.valid_to IS NULL OR o.valid_to >= p_check_out)
         ORDER BY o.room_type_id, o.currency),
    held AS MATERIALIZED (
        SELECT i.room_type_id, i.hotel_id, i.night, i.booked
          FROM public.hotel_inventory_nights i
         WHERE i.city = v_city AND i.night >= p_check_in AND i.night < p_check_out),
    type_held AS (
        SELECT h.room_type_id, max(h.booked) AS most FROM held h GROUP BY h.room_type_id),
    hotel_held AS (
        SELECT h.hotel_id, h.night, sum(h.booked) AS n FROM held h GROUP BY h.hotel_id, h.night),
    blackout AS MATERIALIZED (
        SELECT b.hotel_id, b.room_type_id FROM public.hotel_blackout_dates b
         WHERE daterange(b.starts_on, b.ends_on) && daterange(p_check_in, p_check_out)),
    open AS MATERIALIZED (
        SELECT o.*, o.rooms_count - coalesce(th.most, 0) AS free
          FROM offer o
          LEFT JOIN type_held th ON th.room_type_id = o.room_type_id
         WHERE o.rooms_count > coalesce(th.most, 0)
           AND NOT EXISTS (SELECT FROM blackout b
                            WHERE b.hotel_id = o.hotel_id AND (b.room_type_id IS NULL OR b.room_type_id = o.room_type_id))),
    season AS (
        SELECT s.rate_plan_id, s.starts_on, s.ends_on, s.surcharge_bp FROM public.hotel_rate_plan_seasons s
         WHERE s.rate_plan_id IN (SELECT o.rate_plan_id FROM open o WHERE o.seasonal)
           AND s.starts_on < p_check_out AND s.ends_on > p_check_in),
    night AS (
        SELECT d::date AS night, extract(isodow FROM d)::smallint AS dow
          FROM generate_series(p_check_in::timestamp, p_check_out::timestamp - interval '1 day', interval '1 day') d)
    SELECT o.hotel_id, o.hotel_name, o.city, o.star_rating, o.partnership_tier, o.room_type_id, o.room_type_name,
           o.category, o.capacity, o.amenities, o.free::integer, o.rate_plan_id, o.currency,
           (p_check_out - p_check_in)::integer,
           sum(o.base_nightly_minor
               + CASE WHEN n.dow = ANY (o.weekend_nights)
                      THEN public.hotel_night_surcharge(o.base_nightly_minor, o.weekend_surcharge_bp) ELSE 0 END
               + public.hotel_night_surcharge(o.base_nightly_minor, s.surcharge_bp)
               + CASE WHEN o.occupancy_threshold_pct IS NOT NULL AND o.hotel_rooms > 0
                           AND coalesce(hh.n, 0) * 100.0 / o.hotel_rooms >= o.occupancy_threshold_pct
                      THEN public.hotel_night_surcharge(o.base_nightly_minor, o.occupancy_surcharge_bp) ELSE 0 END
              )::bigint AS total
      FROM open o
     CROSS JOIN night n
      LEFT JOIN hotel_held hh ON hh.hotel_id = o.hotel_id AND hh.night = n.night
      LEFT JOIN season s ON s.rate_plan_id = o.rate_plan_id AND s.starts_on <= n.night AND s.ends_on > n.night
     GROUP BY o.room_type_id, o.hotel_id, o.hotel_name, o.city, o.star_rating, o.partnership_tier, o.room_type_name,
              o.category, o.capacity, o.amenities, o.free, o.rate_plan_id, o.currency
     ORDER BY total, o.hotel_id, o.room_type_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Bookings.
-- ---------------------------------------------------------------------------------------------
-- Live bookings hold their room type's nights in hotel_inventory_nights.
CREATE OR REPLACE FUNCTION public.hotel_bookings_hold_nights() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_live_statuses text[] := ARRAY['pending', 'confirmed', 'checked_in'];
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.room_type_id IS NOT NULL AND OLD.status = ANY (v_live_statuses) THEN
        UPDATE public.hotel_inventory_nights i SET booked = i.booked - 1
         WHERE i.room_type_id = OLD.room_type_id AND i.night >= OLD.check_in AND i.night < OLD.check_out;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.room_type_id IS NOT NULL AND NEW.status = ANY (v_live_statuses) THEN
        INSERT INTO public.hotel_inventory_nights AS i (room_type_id, night, hotel_id, city, booked)
        SELECT NEW.room_type_id, d::date, NEW.hotel_id, h.city, 1
          FROM public.hotel_partners h
         CROSS JOIN generate_series(NEW.check_in::timestamp, NEW.check_out::timestamp - interval '1 day', interval '1 day') d
         WHERE h.id = NEW.hotel_id
         ORDER BY 2
        ON CONFLICT (room_type_id, night) DO UPDATE SET booked = i.booked + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER hotel_bookings_hold_nights AFTER INSERT OR DELETE OR UPDATE OF status, check_in, check_out, room_type_id
    ON public.hotel_bookings FOR EACH ROW EXECUTE FUNCTION public.hotel_bookings_hold_nights();

-- A booking's status moves only through the booking functions (and the payment that confirms it), which
-- run as the owner; a direct change of status by a rider or hotel staff is refused.
CREATE OR REPLACE FUNCTION public.hotel_bookings_guard_status() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NEW.status IS DISTINCT FROM OLD.status AND current_user IN ('customer_user', 'hotel_staff') THEN
        RAISE EXCEPTION 'A booking changes status through its steps (confirm, check-in, check-out, no-show, cancel).'
            USING ERRCODE = 'VR409', HINT = 'use-booking-steps';
    END IF;
    RETURN NEW;
END
$$;

CREATE OR REPLACE TRIGGER hotel_bookings_guard_status BEFORE UPDATE OF status ON public.hotel_bookings
    FOR EACH ROW EXECUTE FUNCTION public.hotel_bookings_guard_status();

-- Books a room of a type (or a given room) for a stay, priced here. A rider books for themselves (the
-- guest's name and phone are their account's); hotel staff book at their own hotel for a named guest
-- (who pays at the desk once staff confirm). With an Idempotency-Key a retry returns the first booking;
-- the same key with another request is refused. Two bookings racing for the last room: one waits for
-- the other's room lock, finds no room left, and is refused; the exclusion constraint stays the last word.
CREATE OR REPLACE FUNCTION public.book_hotel_room(p_hotel_id uuid, p_room_type_id uuid, p_room_id uuid,
                                                  p_check_in date, p_check_out date, p_guests integer,
                                                  p_guest_name text, p_guest_phone text, p_currency char(3),
                                                  p_idempotency_key text, p_fingerprint text)
    RETURNS public.hotel_bookings
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_caller  uuid := public.current_app_user_id();
    v_staff   boolean;
    v_hotel   public.hotel_partners;
    v_type    public.hotel_room_types;
    v_room    uuid;
    v_plan    uuid;
    v_price   record;
    v_booking public.hotel_bookings;
    v_name    text := p_guest_name;
    v_phone   text := p_guest_phone;
    v_attempt integer;
    v_constraint text;
BEGIN
    IF v_caller IS NULL THEN
        RAISE EXCEPTION 'Sign in to book.' USING ERRCODE = 'VR401', HINT = 'not-signed-in';
    END IF;
    v_staff := EXISTS (SELECT FROM public.hotel_staff_members m WHERE m.user_id = v_caller);
    IF p_idempotency_key IS NOT NULL THEN
        SELECT * INTO v_booking FROM public.hotel_bookings b
         WHERE coalesce(b.booked_by, b.customer_id) = v_caller AND b.idempotency_key = p_idempotency_key;
        IF FOUND THEN
            IF v_booking.request_fingerprint IS DISTINCT FROM p_fingerprint THEN
                RAISE EXCEPTION 'This Idempotency-Key was used for a different booking.'
                    USING ERRCODE = 'VR422', HINT = 'idempotency-key-reused';
            END IF;
            RETURN v_booking;
        END IF;
    END IF;
    SELECT * INTO v_hotel FROM public.hotel_partners h WHERE h.id = p_hotel_id;
    IF NOT FOUND OR v_staff AND p_hotel_id IS DISTINCT FROM public.current_hotel_id() THEN
        RAISE EXCEPTION 'Hotel % not found.', p_hotel_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF v_hotel.status <> 'active' THEN
        RAISE EXCEPTION 'This hotel does not take bookings now.' USING ERRCODE = 'VR409', HINT = 'hotel-not-active';
    END IF;
    PERFORM public.check_hotel_stay(p_check_in, p_check_out, p_guests);
    IF p_check_in < current_date THEN
        RAISE EXCEPTION 'The stay starts in the past.' USING ERRCODE = 'VR422', HINT = 'stay-in-the-past';
    END IF;
    IF p_room_id IS NOT NULL THEN
        SELECT r.room_type_id INTO p_room_type_id FROM public.hotel_rooms r WHERE r.id = p_room_id AND r.hotel_id = p_hotel_id;
        IF NOT FOUND OR p_room_type_id IS NULL THEN
            RAISE EXCEPTION 'Room % is not a room of this hotel.', p_room_id USING ERRCODE = 'VR422', HINT = 'room-not-in-hotel';
        END IF;
    END IF;
    SELECT * INTO v_type FROM public.hotel_room_types t WHERE t.id = p_room_type_id AND t.hotel_id = p_hotel_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Room type % is not one of this hotel''s.', p_room_type_id
            USING ERRCODE = 'VR422', HINT = 'room-type-not-in-hotel';
    END IF;
    IF p_guests > v_type.capacity THEN
        RAISE EXCEPTION 'A % takes at most % guests.', v_type.name, v_type.capacity
            USING ERRCODE = 'VR422', HINT = 'too-many-guests';
    END IF;
    IF EXISTS (SELECT FROM public.hotel_blackout_dates b
                WHERE b.hotel_id = p_hotel_id AND (b.room_type_id IS NULL OR b.room_type_id = p_room_type_id)
                  AND daterange(b.starts_on, b.ends_on) && daterange(p_check_in, p_check_out)) THEN
        RAISE EXCEPTION 'The hotel takes no bookings for some of these nights.' USING ERRCODE = 'VR409', HINT = 'blackout-dates';
    END IF;
    v_plan := public.hotel_plan_for_stay(p_room_type_id, p_currency, p_check_in, p_check_out);
    IF v_plan IS NULL THEN
        RAISE EXCEPTION 'No rate plan prices this stay%.', coalesce(' in ' || p_currency, '')
            USING ERRCODE = 'VR422', HINT = 'no-rate-plan';
    END IF;
    IF v_staff THEN
        IF coalesce(btrim(v_name), '') = '' OR v_phone IS NULL OR v_phone !~ '^\+[1-9][0-9]{7,14}$' THEN
            RAISE EXCEPTION 'Name the guest and give their phone (E.164).' USING ERRCODE = 'VR422', HINT = 'guest-required';
        END IF;
    ELSE
        SELECT u.first_name || ' ' || u.last_name, u.phone INTO v_name, v_phone FROM public.users u WHERE u.id = v_caller;
    END IF;
    -- The price is taken before this booking holds its nights.
    SELECT * INTO v_price FROM public.hotel_stay_price(v_plan, p_check_in, p_check_out);
    SELECT r.id INTO v_room FROM public.hotel_rooms r
     WHERE r.room_type_id = p_room_type_id AND r.is_available AND (p_room_id IS NULL OR r.id = p_room_id)
       AND NOT EXISTS (SELECT FROM public.hotel_bookings b
                        WHERE b.room_id = r.id AND b.status IN ('pending', 'confirmed', 'checked_in')
                          AND daterange(b.check_in, b.check_out) && daterange(p_check_in, p_check_out))
     ORDER BY r.room_number
     LIMIT 1
       FOR UPDATE SKIP LOCKED;
    IF v_room IS NULL THEN
        RAISE EXCEPTION 'No room of this type is free for these nights.' USING ERRCODE = 'VR409', HINT = 'room-not-available';
    END IF;
    -- A booking reference is random: the rare reference taken already is drawn again.
    FOR v_attempt IN 1..3 LOOP
        BEGIN
            INSERT INTO public.hotel_bookings (hotel_id, room_id, room_type_id, rate_plan_id, customer_id, booked_by,
                                               guest_name, guest_phone, guests, check_in, check_out, status, total_minor,
                                               currency, commission_rate_bp, price_breakdown, idempotency_key,
                                               request_fingerprint, pay_at_hotel)
            VALUES (p_hotel_id, v_room, p_room_type_id, v_plan, CASE WHEN NOT v_staff THEN v_caller END,
                    CASE WHEN v_staff THEN v_caller END, v_name, v_phone, p_guests, p_check_in, p_check_out, 'pending',
                    v_price.total_minor, v_price.currency,
                    (SELECT r.commission_rate_bp FROM public.hotel_tier_rates r WHERE r.tier = v_hotel.partnership_tier),
                    v_price.breakdown, p_idempotency_key, p_fingerprint, v_staff)
            RETURNING * INTO v_booking;
            RETURN v_booking;
        EXCEPTION
            WHEN exclusion_violation THEN
                RAISE EXCEPTION 'No room of this type is free for these nights.'
                    USING ERRCODE = 'VR409', HINT = 'room-not-available';
            WHEN unique_violation THEN
                GET STACKED DIAGNOSTICS v_constraint = CONSTRAINT_NAME;
                CONTINUE WHEN v_constraint = 'hotel_bookings_reference_key';
                -- The same key raced in another transaction, which committed first: answer with its booking.
                SELECT * INTO v_booking FROM public.hotel_bookings b
                 WHERE coalesce(b.booked_by, b.customer_id) = v_caller AND b.idempotency_key = p_idempotency_key;
                IF NOT FOUND OR v_booking.request_fingerprint IS DISTINCT FROM p_fingerprint THEN
                    RAISE EXCEPTION 'This Idempotency-Key was used for a different booking.'
                        USING ERRCODE = 'VR422', HINT = 'idempotency-key-reused';
                END IF;
                RETURN v_booking;
        END;
    END LOOP;
    RAISE EXCEPTION 'Could not draw a free booking reference; try again.' USING ERRCODE = 'VR503', HINT = 'try-again';
END
$$;

-- The booking as the caller may act on it: their own (a rider), their hotel's (staff) or any (system
-- admin); locked. Anything else is not found.
CREATE OR REPLACE FUNCTION public.hotel_booking_for_step(p_booking_id uuid) RETURNS public.hotel_bookings
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_caller  uuid := public.current_app_user_id();
    v_booking public.hotel_bookings;
BEGIN
    SELECT * INTO v_booking FROM public.hotel_bookings b WHERE b.id = p_booking_id FOR UPDATE;
    IF NOT FOUND
       OR NOT (v_booking.customer_id = v_caller
               OR v_booking.hotel_id = public.current_hotel_id()
               OR EXISTS (SELECT FROM public.users u WHERE u.id = v_caller AND u.user_type = 'system_admin')
               OR v_caller IS NULL AND current_setting('role', true) = 'system_admin') THEN
        RAISE EXCEPTION 'Booking % not found.', p_booking_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    RETURN v_booking;
END
$$;

-- Hotel steps: confirm (pending → confirmed, the guest pays at the desk: the hotel owes the platform the
-- commission, posted now), check_in (confirmed → checked_in), check_out (checked_in → checked_out),
-- no_show (confirmed → no_show, from the check-in day).
CREATE OR REPLACE FUNCTION public.hotel_booking_step(p_booking_id uuid, p_step text) RETURNS public.hotel_bookings
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_booking    public.hotel_bookings := public.hotel_booking_for_step(p_booking_id);
    v_to         text;
    v_commission bigint;
    v_entry      uuid;
BEGIN
    IF v_booking.hotel_id IS DISTINCT FROM public.current_hotel_id()
       AND NOT EXISTS (SELECT FROM public.users u WHERE u.id = public.current_app_user_id() AND u.user_type = 'system_admin') THEN
        RAISE EXCEPTION 'Only the hotel takes this step.' USING ERRCODE = 'VR403', HINT = 'hotel-step';
    END IF;
    v_to := CASE
        WHEN p_step = 'confirm' AND v_booking.status = 'pending' THEN 'confirmed'
        WHEN p_step = 'check_in' AND v_booking.status = 'confirmed' THEN 'checked_in'
        WHEN p_step = 'check_out' AND v_booking.status = 'checked_in' THEN 'checked_out'
        WHEN p_step = 'no_show' AND v_booking.status = 'confirmed' THEN 'no_show'
    END;
    IF v_to IS NULL THEN
        RAISE EXCEPTION 'A % booking cannot take the step %.', v_booking.status, p_step
            USING ERRCODE = 'VR409', HINT = 'illegal-transition';
    END IF;
    IF p_step = 'no_show' AND current_date < v_booking.check_in THEN
        RAISE EXCEPTION 'A guest is a no-show only from the check-in day.' USING ERRCODE = 'VR409', HINT = 'too-early';
    END IF;
    IF p_step = 'confirm' THEN
        IF EXISTS (SELECT FROM public.payments p WHERE p.hotel_booking_id = p_booking_id AND p.status <> 'failed') THEN
            RAISE EXCEPTION 'A paid booking is confirmed by its payment.' USING ERRCODE = 'VR409', HINT = 'already-paid';
        END IF;
        v_commission := round(v_booking.total_minor * coalesce(v_booking.commission_rate_bp, 0) / 10000.0);
        v_entry := public.post_entry('hotel_commission', v_booking.currency,
            'Commission on booking ' || v_booking.booking_reference || ' paid at the hotel', NULL, NULL, NULL,
            ARRAY[public.ledger_account('hotel', v_booking.hotel_id, 'payable', v_booking.currency),
                  public.ledger_account('platform', NULL, 'commission_revenue', v_booking.currency)],
            ARRAY[v_commission, -v_commission]);
        UPDATE public.hotel_bookings b SET pay_at_hotel = true, commission_entry_id = v_entry WHERE b.id = p_booking_id;
    END IF;
    UPDATE public.hotel_bookings b
       SET status = v_to,
           confirmed_at = CASE WHEN v_to = 'confirmed' THEN now() ELSE b.confirmed_at END,
           checked_in_at = CASE WHEN v_to = 'checked_in' THEN now() ELSE b.checked_in_at END,
           checked_out_at = CASE WHEN v_to = 'checked_out' THEN now() ELSE b.checked_out_at END
     WHERE b.id = p_booking_id
    RETURNING * INTO v_booking;
    RETURN v_booking;
END
$$;

-- Cancels a pending or confirmed booking (the rider, their hotel or a system admin). Before the plan's
-- free-cancellation window (free_cancellation_hours before check-in day starts, UTC) there is no fee;
-- later the fee is cancellation_fee_bp of the total, rounded half-up. A paid booking is refunded what
-- was paid less the fee through public.refund_payment (the hotel's share and the commission are
-- reversed in proportion; the fee stays split as the sale was). A booking paid at the hotel keeps the
-- commission on the fee only: the rest of its commission is reversed.
CREATE OR REPLACE FUNCTION public.cancel_hotel_booking(p_booking_id uuid, p_reason text) RETURNS public.hotel_bookings
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_booking public.hotel_bookings := public.hotel_booking_for_step(p_booking_id);
    v_plan    public.hotel_rate_plans;
    v_payment public.payments;
    v_fee     bigint := 0;
    v_refund  bigint := 0;
    v_back    bigint;
BEGIN
    IF v_booking.status NOT IN ('pending', 'confirmed') THEN
        RAISE EXCEPTION 'A % booking cannot be cancelled.', v_booking.status USING ERRCODE = 'VR409', HINT = 'illegal-transition';
    END IF;
    SELECT * INTO v_plan FROM public.hotel_rate_plans p WHERE p.id = v_booking.rate_plan_id;
    IF v_booking.status = 'confirmed' AND FOUND
       AND now() > (v_booking.check_in::timestamp AT TIME ZONE 'UTC') - make_interval(hours => v_plan.free_cancellation_hours) THEN
        v_fee := round(v_booking.total_minor * v_plan.cancellation_fee_bp / 10000.0);
    END IF;
    SELECT * INTO v_payment FROM public.payments p
     WHERE p.hotel_booking_id = p_booking_id AND p.status IN ('completed', 'refunded', 'disputed');
    IF FOUND THEN
        v_refund := greatest(v_payment.amount_minor - v_payment.refunded_minor - v_fee, 0);
        IF v_refund > 0 THEN
            PERFORM public.refund_payment(v_payment.id, v_refund, 'Booking ' || v_booking.booking_reference || ' cancelled',
                                          'cancel:' || p_booking_id);
        END IF;
    ELSIF v_booking.pay_at_hotel AND v_booking.commission_entry_id IS NOT NULL THEN
        v_back := round(v_booking.total_minor * coalesce(v_booking.commission_rate_bp, 0) / 10000.0)
                  - round(v_fee * coalesce(v_booking.commission_rate_bp, 0) / 10000.0);
        PERFORM public.post_entry('hotel_commission', v_booking.currency,
            'Commission reversed on cancelled booking ' || v_booking.booking_reference, NULL, NULL, NULL,
            ARRAY[public.ledger_account('hotel', v_booking.hotel_id, 'payable', v_booking.currency),
                  public.ledger_account('platform', NULL, 'commission_revenue', v_booking.currency)],
            ARRAY[-v_back, v_back]);
    END IF;
    UPDATE public.hotel_bookings b
       SET status = 'cancelled', cancelled_at = now(), cancellation_fee_minor = v_fee, refund_minor = v_refund
     WHERE b.id = p_booking_id
    RETURNING * INTO v_booking;
    RETURN v_booking;
END
$$;

-- Bookings left pending (neither paid nor confirmed by the hotel) for longer than the hold are expired:
-- cancelled, which releases their nights, and their guest (or the staff member who booked) notified.
-- Run by the pending-bookings job; bookings locked by a payment or step in flight are left to the next run.
CREATE OR REPLACE FUNCTION public.expire_pending_hotel_bookings(p_hold interval) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_booking public.hotel_bookings;
    v_count   integer := 0;
BEGIN
    IF p_hold IS NULL OR p_hold < interval '1 minute' THEN
        RAISE EXCEPTION 'A pending booking is held at least a minute.' USING ERRCODE = 'VR422', HINT = 'invalid-hold';
    END IF;
    FOR v_booking IN
        SELECT * FROM public.hotel_bookings b
         WHERE b.status = 'pending' AND b.created_at <= now() - p_hold
         ORDER BY b.created_at
           FOR UPDATE SKIP LOCKED
    LOOP
        UPDATE public.hotel_bookings b SET status = 'cancelled', cancelled_at = now(), cancellation_fee_minor = 0,
                                           refund_minor = 0
         WHERE b.id = v_booking.id;
        PERFORM public.notify(coalesce(v_booking.customer_id, v_booking.booked_by), 'hotel.booking-expired',
                              jsonb_build_object('bookingId', v_booking.id, 'reference', v_booking.booking_reference,
                                                 'hotelId', v_booking.hotel_id, 'checkIn', v_booking.check_in,
                                                 'checkOut', v_booking.check_out));
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Rides a hotel originates. A stay's arrival or departure transfer (the rider for their own booking, or
-- the hotel's staff) or a ride staff request for a guest of a booking, now or scheduled; billed to the
-- guest or to the hotel. The guest must be a rider (a booking made by the rider). The guests of a
-- preferred or exclusive hotel get the tier's dispatch priority on top of their own.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.request_hotel_ride(p_booking_id uuid, p_purpose text, p_scheduled_for timestamptz,
                                                     p_vehicle_type public.vehicle_type, p_passengers integer,
                                                     p_pickup_lat double precision, p_pickup_lng double precision,
                                                     p_dropoff_lat double precision, p_dropoff_lng double precision,
                                                     p_pickup_address text, p_dropoff_address text, p_billed_to text)
    RETURNS public.hotel_rides
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_booking public.hotel_bookings := public.hotel_booking_for_step(p_booking_id);
    v_hotel   public.hotel_partners;
    v_rates   public.hotel_tier_rates;
    v_staff   boolean := v_booking.hotel_id IS NOT DISTINCT FROM public.current_hotel_id();
    v_ride    public.rides;
    v_link    public.hotel_rides;
BEGIN
    IF p_purpose NOT IN ('arrival', 'departure', 'guest_ride') THEN
        RAISE EXCEPTION 'A hotel ride is an arrival, a departure or a guest ride.' USING ERRCODE = 'VR422', HINT = 'invalid-purpose';
    END IF;
    IF coalesce(p_billed_to, 'guest') NOT IN ('guest', 'hotel') OR p_billed_to = 'hotel' AND NOT v_staff THEN
        RAISE EXCEPTION 'Only the hotel bills a ride to itself.' USING ERRCODE = 'VR422', HINT = 'invalid-billing';
    END IF;
    IF p_purpose = 'guest_ride' AND NOT v_staff THEN
        RAISE EXCEPTION 'Hotel staff request rides for guests.' USING ERRCODE = 'VR403', HINT = 'hotel-step';
    END IF;
    IF p_purpose <> 'guest_ride' AND p_scheduled_for IS NULL THEN
        RAISE EXCEPTION 'A transfer is scheduled: give its pickup time.' USING ERRCODE = 'VR422', HINT = 'scheduled-time-required';
    END IF;
    IF v_booking.status NOT IN ('pending', 'confirmed', 'checked_in') THEN
        RAISE EXCEPTION 'A % booking takes no rides.', v_booking.status USING ERRCODE = 'VR409', HINT = 'booking-not-live';
    END IF;
    IF v_booking.customer_id IS NULL THEN
        RAISE EXCEPTION 'The guest of this booking is not a rider of ours.' USING ERRCODE = 'VR422', HINT = 'guest-not-a-rider';
    END IF;
    SELECT * INTO STRICT v_hotel FROM public.hotel_partners h WHERE h.id = v_booking.hotel_id;
    IF v_hotel.status <> 'active' THEN
        RAISE EXCEPTION 'This hotel is not active.' USING ERRCODE = 'VR409', HINT = 'hotel-not-active';
    END IF;
    SELECT * INTO STRICT v_rates FROM public.hotel_tier_rates r WHERE r.tier = v_hotel.partnership_tier;
    v_ride := public.create_ride_for(v_booking.customer_id, v_hotel.city, coalesce(p_vehicle_type, 'sedan'),
        coalesce(p_passengers, v_booking.guests), p_pickup_lat, p_pickup_lng, p_dropoff_lat, p_dropoff_lng,
        p_pickup_address, p_dropoff_address, p_scheduled_for, v_rates.dispatch_priority);
    INSERT INTO public.hotel_rides (ride_id, ride_requested_at, hotel_id, booking_id, purpose, billed_to, requested_by,
                                    referral_rate_bp)
    VALUES (v_ride.id, v_ride.requested_at, v_booking.hotel_id, p_booking_id, p_purpose, coalesce(p_billed_to, 'guest'),
            public.current_app_user_id(), v_rates.referral_commission_bp)
    RETURNING * INTO v_link;
    RETURN v_link;
END
$$;

-- The hotel a ride is billed to (NULL: the guest pays): payments charges such a ride to the hotel's
-- partner balance, never to the guest's instrument.
CREATE OR REPLACE FUNCTION public.hotel_billed_ride(p_ride_id uuid, p_requested_at timestamptz) RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT l.hotel_id FROM public.hotel_rides l
     WHERE l.ride_id = p_ride_id AND l.ride_requested_at = p_requested_at AND l.billed_to = 'hotel'
$$;

-- The hotel's rides with their status, as the caller may see them (rides are the rides capability's:
-- staff read them only through this).
CREATE OR REPLACE FUNCTION public.hotel_ride_statuses(p_ride_id uuid DEFAULT NULL, p_booking_id uuid DEFAULT NULL)
    RETURNS TABLE (ride_id uuid, booking_id uuid, purpose text, billed_to text, status public.ride_status,
                   scheduled_for timestamptz, requested_at timestamptz, estimated_fare_minor bigint,
                   final_fare_minor bigint, currency char(3), driver_assigned boolean)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT l.ride_id, l.booking_id, l.purpose, l.billed_to, r.status, r.scheduled_for, r.requested_at,
           r.estimated_fare_minor, r.final_fare_minor, r.currency, r.driver_id IS NOT NULL
      FROM public.hotel_rides l
      JOIN public.rides r ON r.id = l.ride_id AND r.requested_at = l.ride_requested_at
      LEFT JOIN public.hotel_bookings b ON b.id = l.booking_id
     WHERE (p_ride_id IS NULL OR l.ride_id = p_ride_id)
       AND (p_booking_id IS NULL OR l.booking_id = p_booking_id)
       AND (l.hotel_id = public.current_hotel_id()
            OR b.customer_id = public.current_app_user_id()
            OR EXISTS (SELECT FROM public.users u WHERE u.id = public.current_app_user_id()
                                                    AND u.user_type IN ('system_admin', 'support_agent'))
            OR public.current_app_user_id() IS NULL AND current_setting('role', true) = 'system_admin')
     ORDER BY r.requested_at DESC
     LIMIT 200
$$;

-- ---------------------------------------------------------------------------------------------
-- Commission and statements.
-- ---------------------------------------------------------------------------------------------
-- The referral commission the platform owes a hotel for each completed ride it originated, once:
-- referral_rate_bp of the final fare, rounded half-up, from the platform's commission revenue to the
-- hotel's payable.
CREATE OR REPLACE FUNCTION public.post_hotel_referral_commissions(p_until timestamptz DEFAULT now()) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_ride   record;
    v_amount bigint;
    v_entry  uuid;
    v_posted integer := 0;
BEGIN
    FOR v_ride IN
        SELECT l.ride_id, l.hotel_id, l.referral_rate_bp, r.final_fare_minor, r.currency, r.requested_at
          FROM public.hotel_rides l
          JOIN public.rides r ON r.id = l.ride_id AND r.requested_at = l.ride_requested_at
         WHERE l.referral_entry_id IS NULL AND r.status = 'completed' AND r.completed_at < p_until
         ORDER BY l.ride_id
           FOR UPDATE OF l SKIP LOCKED
    LOOP
        v_amount := round(v_ride.final_fare_minor * v_ride.referral_rate_bp / 10000.0);
        v_entry := public.post_entry('hotel_referral', v_ride.currency, 'Referral commission on ride ' || v_ride.ride_id,
            NULL, v_ride.ride_id, v_ride.requested_at,
            ARRAY[public.ledger_account('platform', NULL, 'commission_revenue', v_ride.currency),
                  public.ledger_account('hotel', v_ride.hotel_id, 'payable', v_ride.currency)],
            ARRAY[v_amount, -v_amount]);
        UPDATE public.hotel_rides l SET referral_entry_id = v_entry WHERE l.ride_id = v_ride.ride_id;
        v_posted := v_posted + 1;
    END LOOP;
    RETURN v_posted;
END
$$;

-- What the platform owes the hotel in a currency at a moment: its payable account's credit balance.
CREATE OR REPLACE FUNCTION public.hotel_payable_at(p_hotel_id uuid, p_currency char(3), p_at timestamptz) RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(-sum(l.amount_minor), 0)::bigint
      FROM public.ledger_accounts a
      JOIN public.journal_lines l ON l.account_id = a.id AND l.posted_at < p_at
     WHERE a.holder_kind = 'hotel' AND a.holder_id = p_hotel_id AND a.purpose = 'payable' AND a.currency = p_currency
$$;

-- Issues (or re-issues) the statement of every hotel with activity or a balance, for the month of
-- p_month, per currency: bookings checked in that month (cancelled ones with their fee), rides it
-- originated that completed that month, commissions, the payable balance at the month's start and end,
-- and the amount payable (the closing balance, which already carries the rides billed to the hotel:
-- their fares are charged to its partner balance when they complete). Posts due referral
-- commissions first. Returns how many statements were written.
CREATE OR REPLACE FUNCTION public.issue_hotel_statements(p_month date) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_start  date := date_trunc('month', p_month)::date;
    v_end    date := (date_trunc('month', p_month) + interval '1 month')::date;
    v_from   timestamptz := v_start::timestamp AT TIME ZONE 'UTC';
    v_to     timestamptz := v_end::timestamp AT TIME ZONE 'UTC';
    v_row    record;
    v_count  integer := 0;
BEGIN
    PERFORM public.post_hotel_referral_commissions(least(v_to, now()));
    FOR v_row IN
        WITH bookings AS (
            SELECT b.hotel_id, b.currency,
                   jsonb_agg(jsonb_build_object('bookingId', b.id, 'reference', b.booking_reference, 'checkIn', b.check_in,
                                                'checkOut', b.check_out, 'status', b.status, 'totalMinor', b.total_minor,
                                                'commissionRateBp', b.commission_rate_bp,
                                                'commissionMinor', round(CASE WHEN b.status = 'cancelled' THEN coalesce(b.cancellation_fee_minor, 0)
                                                                              ELSE b.total_minor END
                                                                         * coalesce(b.commission_rate_bp, 0) / 10000.0)::bigint,
                                                'payAtHotel', b.pay_at_hotel) ORDER BY b.check_in, b.id) AS lines,
                   count(*) AS n,
                   sum(CASE WHEN b.status = 'cancelled' THEN coalesce(b.cancellation_fee_minor, 0) ELSE b.total_minor END) AS value,
                   sum(round(CASE WHEN b.status = 'cancelled' THEN coalesce(b.cancellation_fee_minor, 0) ELSE b.total_minor END
                             * coalesce(b.commission_rate_bp, 0) / 10000.0))::bigint AS commission
              FROM public.hotel_bookings b
             WHERE b.check_in >= v_start AND b.check_in < v_end AND b.status <> 'pending'
             GROUP BY b.hotel_id, b.currency),
        rides AS (
            SELECT l.hotel_id, r.currency,
                   jsonb_agg(jsonb_build_object('rideId', l.ride_id, 'bookingId', l.booking_id, 'purpose', l.purpose,
                                                'billedTo', l.billed_to, 'completedAt', r.completed_at,
                                                'fareMinor', r.final_fare_minor, 'referralRateBp', l.referral_rate_bp,
                                                'referralMinor', round(r.final_fare_minor * l.referral_rate_bp / 10000.0)::bigint)
                             ORDER BY r.completed_at, l.ride_id) AS lines,
                   count(*) AS n, sum(r.final_fare_minor) AS fares,
                   sum(round(r.final_fare_minor * l.referral_rate_bp / 10000.0))::bigint AS referral,
                   sum(CASE WHEN l.billed_to = 'hotel' THEN r.final_fare_minor ELSE 0 END) AS hotel_billed
              FROM public.hotel_rides l
              JOIN public.rides r ON r.id = l.ride_id AND r.requested_at = l.ride_requested_at
             WHERE r.status = 'completed' AND r.completed_at >= v_from AND r.completed_at < v_to
             GROUP BY l.hotel_id, r.currency),
        balances AS (
            SELECT a.holder_id AS hotel_id, a.currency FROM public.ledger_accounts a
             WHERE a.holder_kind = 'hotel' AND a.purpose = 'payable'),
        keys AS (
            SELECT hotel_id, currency FROM bookings UNION SELECT hotel_id, currency FROM rides
            UNION SELECT hotel_id, currency FROM balances)
        SELECT k.hotel_id, k.currency, h.name, coalesce(b.n, 0) AS bookings, coalesce(b.value, 0) AS value,
               coalesce(b.commission, 0) AS commission, coalesce(b.lines, '[]') AS booking_lines,
               coalesce(r.n, 0) AS rides, coalesce(r.fares, 0) AS fares, coalesce(r.referral, 0) AS referral,
               coalesce(r.hotel_billed, 0) AS hotel_billed, coalesce(r.lines, '[]') AS ride_lines,
               public.hotel_payable_at(k.hotel_id, k.currency, v_from) AS opening,
               public.hotel_payable_at(k.hotel_id, k.currency, CASE WHEN v_to <= now() THEN v_to ELSE 'infinity' END) AS closing
          FROM keys k
          JOIN public.hotel_partners h ON h.id = k.hotel_id
          LEFT JOIN bookings b ON b.hotel_id = k.hotel_id AND b.currency = k.currency
          LEFT JOIN rides r ON r.hotel_id = k.hotel_id AND r.currency = k.currency
    LOOP
        CONTINUE WHEN v_row.bookings = 0 AND v_row.rides = 0 AND v_row.opening = 0 AND v_row.closing = 0;
        INSERT INTO public.hotel_statements AS s (hotel_id, period_start, currency, bookings, booking_value_minor,
                                                  booking_commission_minor, rides, ride_fares_minor,
                                                  referral_commission_minor, hotel_billed_rides_minor,
                                                  opening_balance_minor, closing_balance_minor, amount_payable_minor,
                                                  body, issued_at)
        VALUES (v_row.hotel_id, v_start, v_row.currency, v_row.bookings, v_row.value, v_row.commission, v_row.rides,
                v_row.fares, v_row.referral, v_row.hotel_billed, v_row.opening, v_row.closing,
                v_row.closing,
                jsonb_build_object('hotelId', v_row.hotel_id, 'hotelName', v_row.name, 'month', to_char(v_start, 'YYYY-MM'),
                                   'currency', v_row.currency, 'bookings', v_row.booking_lines, 'rides', v_row.ride_lines),
                now())
        ON CONFLICT (hotel_id, period_start, currency) DO UPDATE
           SET bookings = EXCLUDED.bookings, booking_value_minor = EXCLUDED.booking_value_minor,
               booking_commission_minor = EXCLUDED.booking_commission_minor, rides = EXCLUDED.rides,
               ride_fares_minor = EXCLUDED.ride_fares_minor, referral_commission_minor = EXCLUDED.referral_commission_minor,
               hotel_billed_rides_minor = EXCLUDED.hotel_billed_rides_minor,
               opening_balance_minor = EXCLUDED.opening_balance_minor, closing_balance_minor = EXCLUDED.closing_balance_minor,
               amount_payable_minor = EXCLUDED.amount_payable_minor, body = EXCLUDED.body, issued_at = EXCLUDED.issued_at;
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Privileges.
-- ---------------------------------------------------------------------------------------------
REVOKE ALL ON FUNCTION public.check_hotel_stay(date, date, integer) FROM PUBLIC;

REVOKE ALL ON FUNCTION public.apply_hotel_partner(text, text, text, double precision, double precision, integer, text, text,
                                                  public.hotel_partnership_tier),
    public.decide_hotel_partner(uuid, text, text),
    public.hotel_stay_nights(uuid, date, date),
    public.hotel_stay_price(uuid, date, date),
    public.hotel_plan_for_stay(uuid, char, date, date),
    public.hotel_availability(text, uuid, date, date, integer, char),
    public.book_hotel_room(uuid, uuid, uuid, date, date, integer, text, text, char, text, text),
    public.hotel_booking_for_step(uuid),
    public.hotel_booking_step(uuid, text),
    public.cancel_hotel_booking(uuid, text),
    public.request_hotel_ride(uuid, text, timestamptz, public.vehicle_type, integer, double precision, double precision,
                              double precision, double precision, text, text, text),
    public.hotel_ride_statuses(uuid, uuid),
    public.post_hotel_referral_commissions(timestamptz),
    public.hotel_payable_at(uuid, char, timestamptz),
    public.issue_hotel_statements(date),
    public.hotel_partners_take_tier_rate(),
    public.hotel_tier_rates_apply(),
    public.hotel_rooms_take_type(),
    public.hotel_rooms_count_per_type(),
    public.hotel_rate_plans_refuse_overlap(),
    public.hotel_bookings_hold_nights(),
    public.refresh_hotel_search_offers(uuid),
    public.hotel_billed_ride(uuid, timestamptz),
    public.expire_pending_hotel_bookings(interval),
    public.hotel_search_offers_follow() FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.apply_hotel_partner(text, text, text, double precision, double precision, integer, text, text,
                                                     public.hotel_partnership_tier) TO customer_user, system_admin;

GRANT EXECUTE ON FUNCTION public.decide_hotel_partner(uuid, text, text) TO system_admin;

GRANT EXECUTE ON FUNCTION public.hotel_stay_nights(uuid, date, date), public.hotel_stay_price(uuid, date, date),
    public.hotel_availability(text, uuid, date, date, integer, char), public.check_hotel_stay(date, date, integer),
    public.hotel_plan_for_stay(uuid, char, date, date)
    TO customer_user, hotel_staff, support_agent, system_admin;

GRANT EXECUTE ON FUNCTION public.book_hotel_room(uuid, uuid, uuid, date, date, integer, text, text, char, text, text),
    public.cancel_hotel_booking(uuid, text),
    public.request_hotel_ride(uuid, text, timestamptz, public.vehicle_type, integer, double precision, double precision,
                              double precision, double precision, text, text, text)
    TO customer_user, hotel_staff;

GRANT EXECUTE ON FUNCTION public.cancel_hotel_booking(uuid, text) TO system_admin;

GRANT EXECUTE ON FUNCTION public.hotel_booking_step(uuid, text) TO hotel_staff, system_admin;

GRANT EXECUTE ON FUNCTION public.expire_pending_hotel_bookings(interval) TO system_admin;

GRANT EXECUTE ON FUNCTION public.hotel_ride_statuses(uuid, uuid) TO customer_user, hotel_staff, support_agent, system_admin;

GRANT EXECUTE ON FUNCTION public.post_hotel_referral_commissions(timestamptz), public.issue_hotel_statements(date)
    TO system_admin;

-- Tier rates: everyone signed in reads them; system admins change them.
GRANT SELECT ON public.hotel_tier_rates TO customer_user, hotel_staff, support_agent, system_admin;

GRANT UPDATE (commission_rate_bp, referral_commission_bp, dispatch_priority) ON public.hotel_tier_rates TO system_admin;

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['customer_user', 'hotel_staff', 'support_agent', 'system_admin', 'vipride_owner'] LOOP
        EXECUTE format('CREATE POLICY %I ON public.hotel_tier_rates FOR SELECT TO %I USING (true)', 'hotel_tier_rates_select_' || r, r);
    END LOOP;
END
$$;

CREATE POLICY hotel_tier_rates_update_system_admin ON public.hotel_tier_rates FOR UPDATE TO system_admin
    USING (true) WITH CHECK (true);

-- Room types, rate plans, seasons, blackouts: riders see the room types of active hotels; hotel staff
-- manage their own hotel's; support reads; system admins manage all.
GRANT SELECT ON public.hotel_room_types TO customer_user, hotel_staff, support_agent, system_admin;

GRANT INSERT, UPDATE ON public.hotel_room_types TO hotel_staff, system_admin;

CREATE POLICY hotel_room_types_select_customer_user ON public.hotel_room_types FOR SELECT TO customer_user
    USING (hotel_id IN (SELECT h.id FROM public.hotel_partners h WHERE h.status = 'active'));

GRANT SELECT ON public.hotel_rate_plans, public.hotel_rate_plan_seasons, public.hotel_blackout_dates
    TO hotel_staff, support_agent, system_admin;

GRANT INSERT, UPDATE ON public.hotel_rate_plans TO hotel_staff, system_admin;

GRANT INSERT, DELETE ON public.hotel_rate_plan_seasons, public.hotel_blackout_dates TO hotel_staff, system_admin;

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['hotel_room_types', 'hotel_rate_plans', 'hotel_rate_plan_seasons', 'hotel_blackout_dates'] LOOP
        EXECUTE format('CREATE POLICY %I ON public.%I FOR SELECT TO hotel_staff USING (hotel_id = (SELECT public.current_hotel_id()))',
                       t || '_select_hotel_staff', t);
        EXECUTE format('CREATE POLICY %I ON public.%I FOR INSERT TO hotel_staff WITH CHECK (hotel_id = (SELECT public.current_hotel_id()))',
                       t || '_insert_hotel_staff', t);
        EXECUTE format('CREATE POLICY %I ON public.%I FOR SELECT TO support_agent USING (true)', t || '_select_support_agent', t);
        EXECUTE format('CREATE POLICY %I ON public.%I FOR SELECT TO system_admin USING (true)', t || '_select_system_admin', t);
        EXECUTE format('CREATE POLICY %I ON public.%I FOR SELECT TO vipride_owner USING (true)', t || '_select_owner', t);
        EXECUTE format('CREATE POLICY %I ON public.%I FOR INSERT TO system_admin WITH CHECK (true)',
                       t || '_insert_system_admin', t);
        IF t IN ('hotel_room_types', 'hotel_rate_plans') THEN
            EXECUTE format('CREATE POLICY %I ON public.%I FOR UPDATE TO hotel_staff USING (hotel_id = (SELECT public.current_hotel_id())) '
                           'WITH CHECK (hotel_id = (SELECT public.current_hotel_id()))', t || '_update_hotel_staff', t);
            EXECUTE format('CREATE POLICY %I ON public.%I FOR UPDATE TO system_admin USING (true) WITH CHECK (true)',
                           t || '_update_system_admin', t);
        ELSE
            EXECUTE format('CREATE POLICY %I ON public.%I FOR DELETE TO hotel_staff USING (hotel_id = (SELECT public.current_hotel_id()))',
                           t || '_delete_hotel_staff', t);
            EXECUTE format('CREATE POLICY %I ON public.%I FOR DELETE TO system_admin USING (true)', t || '_delete_system_admin', t);
        END IF;
    END LOOP;
END
$$;

-- Inventory nights: written by the bookings' trigger only; system admins and support read them.
GRANT SELECT ON public.hotel_inventory_nights TO support_agent, system_admin;

CREATE POLICY hotel_inventory_nights_select_support_agent ON public.hotel_inventory_nights FOR SELECT TO support_agent USING (true);

CREATE POLICY hotel_inventory_nights_select_system_admin ON public.hotel_inventory_nights FOR SELECT TO system_admin USING (true);

CREATE POLICY hotel_inventory_nights_all_owner ON public.hotel_inventory_nights FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

-- Search offers: kept by the triggers of hotels, room types, rate plans and seasons; read by the search
-- (as the owner); system admins and support read them.
GRANT SELECT ON public.hotel_search_offers TO support_agent, system_admin;

CREATE POLICY hotel_search_offers_select_support_agent ON public.hotel_search_offers FOR SELECT TO support_agent USING (true);

CREATE POLICY hotel_search_offers_select_system_admin ON public.hotel_search_offers FOR SELECT TO system_admin USING (true);

CREATE POLICY hotel_search_offers_all_owner ON public.hotel_search_offers FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

-- Every hotel's offers, rebuilt (the same rows again on a re-run).
SELECT count(public.refresh_hotel_search_offers(h.id)) FROM public.hotel_partners h;

-- Hotel rides: the hotel's staff see their hotel's, riders those of their bookings; made by request_hotel_ride.
GRANT SELECT ON public.hotel_rides TO customer_user, hotel_staff, support_agent, system_admin;

CREATE POLICY hotel_rides_select_hotel_staff ON public.hotel_rides FOR SELECT TO hotel_staff
    USING (hotel_id = (SELECT public.current_hotel_id()));

CREATE POLICY hotel_rides_select_customer_user ON public.hotel_rides FOR SELECT TO customer_user
    USING (booking_id IN (SELECT b.id FROM public.hotel_bookings b WHERE b.customer_id = public.current_app_user_id()));

CREATE POLICY hotel_rides_select_support_agent ON public.hotel_rides FOR SELECT TO support_agent USING (true);

CREATE POLICY hotel_rides_select_system_admin ON public.hotel_rides FOR SELECT TO system_admin USING (true);

CREATE POLICY hotel_rides_all_owner ON public.hotel_rides FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

-- Statements: the hotel's staff read their own; support and system admins all; issued by the job.
GRANT SELECT ON public.hotel_statements TO hotel_staff, support_agent, system_admin;

CREATE POLICY hotel_statements_select_hotel_staff ON public.hotel_statements FOR SELECT TO hotel_staff
    USING (hotel_id = (SELECT public.current_hotel_id()));

CREATE POLICY hotel_statements_select_support_agent ON public.hotel_statements FOR SELECT TO support_agent USING (true);

CREATE POLICY hotel_statements_select_system_admin ON public.hotel_statements FOR SELECT TO system_admin USING (true);

CREATE POLICY hotel_statements_all_owner ON public.hotel_statements FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

-- The booking functions read and lock rows as the owner; the rooms' trigger counts a type's rooms.
CREATE POLICY hotel_room_types_update_owner ON public.hotel_room_types FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY hotel_rooms_select_owner ON public.hotel_rooms FOR SELECT TO vipride_owner USING (true);

CREATE POLICY hotel_rooms_update_owner ON public.hotel_rooms FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY hotel_bookings_insert_owner ON public.hotel_bookings FOR INSERT TO vipride_owner WITH CHECK (true);

CREATE POLICY hotel_partners_insert_owner ON public.hotel_partners FOR INSERT TO vipride_owner WITH CHECK (true);

CREATE POLICY hotel_partners_update_owner ON public.hotel_partners FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

SELECT audit.enable_audit('public.hotel_tier_rates', 'tier');

SELECT audit.enable_audit('public.hotel_room_types');

SELECT audit.enable_audit('public.hotel_rate_plans');

SELECT audit.enable_audit('public.hotel_rate_plan_seasons');

SELECT audit.enable_audit('public.hotel_blackout_dates');

SELECT audit.enable_audit('public.hotel_rides', 'ride_id');

SELECT audit.enable_audit('public.hotel_statements');

COMMENT ON FUNCTION public.hotel_availability(text, uuid, date, date, integer, char) IS
    'Room types of active hotels (a city or one hotel) free for a stay, with room for the guests, and the stay''s computed total.';

COMMENT ON FUNCTION public.hotel_stay_nights(uuid, date, date) IS
    'The price of each night of a stay under a rate plan: base, weekend, peak and occupancy surcharges.';

COMMENT ON FUNCTION public.book_hotel_room(uuid, uuid, uuid, date, date, integer, text, text, char, text, text) IS
    'Books a free room of a type for a stay, priced by the database; idempotent per Idempotency-Key.';

COMMENT ON FUNCTION public.cancel_hotel_booking(uuid, text) IS
    'Cancels a booking under its rate plan''s policy: the fee, and the refund through the payments ledger.';

COMMENT ON FUNCTION public.issue_hotel_statements(date) IS
    'Posts due referral commissions and (re)issues every hotel''s partner statement of a month.';
