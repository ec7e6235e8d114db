-- R__05_fleet_search.sql — search over drivers (by name or licence number), vehicles (by plate) and
-- fleets (by name). Each function runs as its caller, so row-level security decides what a searcher
-- finds: support and system admins every driver, a fleet admin only its own fleet's. Drivers are
-- matched like accounts (see accounts' search): the start of the licence number (V7_1), of the name
-- (V12) or of the account's email or phone through btree indexes, else a fragment through the trigram
-- indexes of V6_1. Vehicles and fleets, few beside accounts, are matched as fragments only.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE).

SET check_function_bodies = off;

-- A driver's name keys follow the account's name (V12): set when the driver record is made, changed
-- with the name, cleared when the account is deleted or erased.
CREATE OR REPLACE FUNCTION public.drivers_take_name_keys() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    SELECT public.search_text(u.first_name || ' ' || u.last_name), public.search_text(u.last_name || ' ' || u.first_name)
      INTO NEW.name_key, NEW.surname_key
      FROM public.users u
     WHERE u.id = NEW.user_id AND u.deleted_at IS NULL;
    RETURN NEW;
END
$$;

CREATE OR REPLACE FUNCTION public.drivers_follow_account_name() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    UPDATE public.drivers d
       SET name_key = CASE WHEN NEW.deleted_at IS NULL THEN public.search_text(NEW.first_name || ' ' || NEW.last_name) END,
           surname_key = CASE WHEN NEW.deleted_at IS NULL THEN public.search_text(NEW.last_name || ' ' || NEW.first_name) END
     WHERE d.user_id = NEW.id;
    RETURN NULL;
END
$$;

REVOKE ALL ON FUNCTION public.drivers_take_name_keys(), public.drivers_follow_account_name() FROM PUBLIC;

CREATE OR REPLACE TRIGGER drivers_take_name_keys BEFORE INSERT ON public.drivers
    FOR EACH ROW EXECUTE FUNCTION public.drivers_take_name_keys();

CREATE OR REPLACE TRIGGER users_renamed_for_driver_search AFTER UPDATE OF first_name, last_name, deleted_at ON public.users
    FOR EACH ROW
    WHEN (OLD.first_name IS DISTINCT FROM NEW.first_name OR OLD.last_name IS DISTINCT FROM NEW.last_name
          OR (OLD.deleted_at IS NULL) <> (NEW.deleted_at IS NULL))
    EXECUTE FUNCTION public.drivers_follow_account_name();

DROP FUNCTION IF EXISTS public.searchable_drivers(text, text, text, text, uuid, uuid);

-- The drivers a searcher of p_role may see that match, created before p_before: with p_pattern NULL,
-- the start of the licence number or of the name (first name first or surname first, from the drivers'
-- own covering indexes), or of the account's email or phone (accounts' searchable_accounts, one account
-- for one driver); otherwise a fragment LIKE p_pattern of the licence number or of the account's search
-- text. One arm per kind of match on its own index, gated on the parameters like searchable_accounts'
-- arms, so that matching_driver_ids keeps one cached plan. The drivers named exactly the key are read
-- newest first from the index, only the first p_limit of them (ordered by the name too, for the reason
-- given at searchable_accounts). A driver whose licence number also
-- starts with the key comes twice (its licence and its name): matching_driver_ids removes the second.
-- The visibility mirrors the drivers and users SELECT policies.
CREATE OR REPLACE FUNCTION public.searchable_drivers(p_key text, p_phone text, p_pattern text,
                                                     p_role text, p_me uuid, p_fleet uuid, p_fleet_users uuid[],
                                                     p_before timestamptz, p_limit integer)
    RETURNS TABLE (id uuid, created_at timestamptz)
    LANGUAGE sql STABLE
AS $$
    SELECT m.id, m.created_at
      FROM (SELECT l.id, l.created_at, l.deleted_at, l.fleet_company_id
              FROM public.drivers l
             WHERE p_pattern IS NULL
               AND public.search_text(l.license_number) ~>=~ p_key
               AND public.search_text(l.license_number) ~<~ (p_key || chr(1114111))
            UNION ALL
            SELECT f.id, f.created_at, f.deleted_at, f.fleet_company_id
              FROM public.drivers f
             WHERE p_pattern IS NOT NULL AND public.search_text(f.license_number) LIKE p_pattern
            UNION ALL
            (SELECT n.id, n.created_at, n.deleted_at, n.fleet_company_id
               FROM public.drivers n
              WHERE p_pattern IS NULL AND p_phone IS NULL AND strpos(p_key, '@') <= 1
                AND n.name_key = p_key
                AND n.deleted_at IS NULL AND (p_role <> 'fleet_admin' OR n.fleet_company_id = p_fleet)
                AND (p_before IS NULL OR n.created_at < p_before)
              ORDER BY n.name_key USING ~<~, n.created_at DESC, n.id DESC
              LIMIT p_limit)
            UNION ALL
            SELECT n.id, n.created_at, n.deleted_at, n.fleet_company_id
              FROM public.drivers n
             WHERE p_pattern IS NULL AND p_phone IS NULL AND strpos(p_key, '@') <= 1
               AND n.name_key ~>~ p_key AND n.name_key ~<~ (p_key || chr(1114111))
            UNION ALL
            (SELECT s.id, s.created_at, s.deleted_at, s.fleet_company_id
               FROM public.drivers s
              WHERE p_pattern IS NULL AND p_phone IS NULL AND strpos(p_key, '@') <= 1
                AND s.surname_key = p_key
                AND NOT (s.name_key ~>=~ p_key AND s.name_key ~<~ (p_key || chr(1114111)))
                AND s.deleted_at IS NULL AND (p_role <> 'fleet_admin' OR s.fleet_company_id = p_fleet)
                AND (p_before IS NULL OR s.created_at < p_before)
              ORDER BY s.surname_key USING ~<~, s.created_at DESC, s.id DESC
              LIMIT p_limit)
            UNION ALL
            SELECT s.id, s.created_at, s.deleted_at, s.fleet_company_id
              FROM public.drivers s
             WHERE p_pattern IS NULL AND p_phone IS NULL AND strpos(p_key, '@') <= 1
               AND s.surname_key ~>~ p_key AND s.surname_key ~<~ (p_key || chr(1114111))
               AND NOT (s.name_key ~>=~ p_key AND s.name_key ~<~ (p_key || chr(1114111)))
            UNION ALL
            SELECT a.id, a.created_at, a.deleted_at, a.fleet_company_id
              FROM public.searchable_accounts(CASE WHEN p_phone IS NOT NULL OR strpos(p_key, '@') > 1 THEN p_key END,
                                              p_phone, p_pattern, p_role, p_me, p_fleet_users, NULL, p_limit) u
              JOIN public.drivers a ON a.user_id = u.id) m
     WHERE m.deleted_at IS NULL
       AND (p_role <> 'fleet_admin' OR m.fleet_company_id = p_fleet)
       AND (p_before IS NULL OR m.created_at < p_before)
$$;

COMMENT ON FUNCTION public.searchable_drivers(text, text, text, text, uuid, uuid, uuid[], timestamptz, integer) IS
    'Drivers matching a search (a field''s start, or a fragment when p_pattern is set) that a searcher of p_role may see; inlined by matching_driver_ids.';

-- Runs as the owner on the indexes for the reason given at accounts' matching_user_ids, restricted to
-- the drivers the caller's role may see; search_drivers then reads them by id as the caller. Fragments
-- only when neither a visible account nor a licence number starts with the query. Each statement
-- keeps one generic plan. A driver comes at most twice from searchable_drivers (its licence number and
-- one other field), so the first twice-the-page rows hold the page's drivers once duplicates are gone.
CREATE OR REPLACE FUNCTION public.matching_driver_ids(p_query text, p_before timestamptz, p_limit integer)
    RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
    SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_key   text := public.search_key(p_query);
    v_phone text := public.search_phone_prefix(p_query);
    v_role  text := current_setting('role');
    v_me    uuid := public.current_app_user_id();
    v_limit integer := least(greatest(coalesce(p_limit, 20), 1), 100);
    v_fleet uuid;
    v_fleet_users uuid[];
BEGIN
    IF v_role NOT IN ('support_agent', 'system_admin', 'fleet_admin') THEN
        RAISE EXCEPTION 'You may not search drivers.' USING ERRCODE = 'VR403', HINT = 'access-denied';
    END IF;
    IF v_role = 'fleet_admin' THEN
        v_fleet := public.current_fleet_company_id();
        v_fleet_users := public.fleet_driver_accounts(v_fleet);
    END IF;
    RETURN QUERY
        SELECT t.id
          FROM (SELECT DISTINCT d.id, d.created_at
                  FROM (SELECT d.id, d.created_at
                          FROM public.searchable_drivers(v_key, v_phone, NULL, v_role, v_me, v_fleet, v_fleet_users, p_before, v_limit) d
                         ORDER BY d.created_at DESC, d.id DESC
                         LIMIT 2 * v_limit) d) t
         ORDER BY t.created_at DESC, t.id DESC
         LIMIT v_limit;
    -- A query that is the start of a visible account's name, email or phone, or of a licence number,
    -- is matched by starts alone, even when none of those accounts drives: the fragments would find
    -- the same people again, through a far costlier index.
    IF FOUND
       OR EXISTS (SELECT FROM public.searchable_accounts(v_key, v_phone, NULL, v_role, v_me, v_fleet_users, NULL, 1))
       OR EXISTS (SELECT FROM public.drivers l
                   WHERE public.search_text(l.license_number) ~>=~ v_key
                     AND public.search_text(l.license_number) ~<~ (v_key || chr(1114111))
                     AND l.deleted_at IS NULL
                     AND (v_role <> 'fleet_admin' OR l.fleet_company_id = v_fleet)) THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT t.id
          FROM (SELECT DISTINCT d.id, d.created_at
                  FROM (SELECT d.id, d.created_at
                          FROM public.searchable_drivers(NULL, NULL, public.search_pattern(p_query), v_role, v_me, v_fleet,
                                                         v_fleet_users, p_before, v_limit) d
                         ORDER BY d.created_at DESC, d.id DESC
                         LIMIT 2 * v_limit) d) t
         ORDER BY t.created_at DESC, t.id DESC
         LIMIT v_limit;
END
$$;

COMMENT ON FUNCTION public.matching_driver_ids(text, timestamptz, integer) IS
    'The index side of search_drivers: ids of the drivers matching the query among those the caller''s role may see (the drivers and users SELECT policies, mirrored).';

CREATE OR REPLACE FUNCTION public.search_drivers(p_query text, p_before timestamptz, p_limit integer)
    RETURNS TABLE (id uuid, user_id uuid, first_name text, last_name text, license_number text,
                   fleet_company_id uuid, status text, city text, created_at timestamptz)
    LANGUAGE sql STABLE
AS $$
    SELECT d.id, d.user_id, u.first_name, u.last_name, d.license_number, d.fleet_company_id, d.status, d.city,
           d.created_at
      FROM public.drivers d
      LEFT JOIN public.users u ON u.id OPERATOR(pg_catalog.=) d.user_id
     WHERE d.id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT public.matching_driver_ids(p_query, p_before, p_limit)))
     ORDER BY d.created_at DESC, d.id DESC
$$;

COMMENT ON FUNCTION public.search_drivers(text, timestamptz, integer) IS
    'Drivers whose licence number, name, email or phone starts with the query (else contains it), newest first, as far as the caller may see them.';

CREATE OR REPLACE FUNCTION public.search_vehicles(p_query text, p_before timestamptz, p_limit integer)
    RETURNS TABLE (id uuid, plate_number text, make text, model text, color text, vehicle_type public.vehicle_type,
                   fleet_company_id uuid, status text, created_at timestamptz)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
    SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_pattern text := public.search_pattern(p_query);
BEGIN
    RETURN QUERY
        SELECT v.id, v.plate_number, v.make, v.model, v.color, v.vehicle_type, v.fleet_company_id, v.status, v.created_at
          FROM public.vehicles v
         WHERE public.search_text(v.plate_number) LIKE v_pattern
           AND v.deleted_at IS NULL
           AND (p_before IS NULL OR v.created_at < p_before)
         ORDER BY v.created_at DESC, v.id DESC
         LIMIT least(greatest(coalesce(p_limit, 20), 1), 100);
END
$$;

COMMENT ON FUNCTION public.search_vehicles(text, timestamptz, integer) IS
    'Vehicles whose plate contains the query, newest first, as far as the caller may see them.';

CREATE OR REPLACE FUNCTION public.search_fleets(p_query text, p_before timestamptz, p_limit integer)
    RETURNS TABLE (id uuid, name text, status text, operating_cities text[], created_at timestamptz)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
    SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_pattern text := public.search_pattern(p_query);
BEGIN
    RETURN QUERY
        SELECT f.id, f.name, f.status, f.operating_cities, f.created_at
          FROM public.fleet_companies f
         WHERE public.search_text(f.name) LIKE v_pattern
           AND f.deleted_at IS NULL
           AND (p_before IS NULL OR f.created_at < p_before)
         ORDER BY f.created_at DESC, f.id DESC
         LIMIT least(greatest(coalesce(p_limit, 20), 1), 100);
END
$$;

COMMENT ON FUNCTION public.search_fleets(text, timestamptz, integer) IS
    'Fleet companies whose name contains the query, newest first, as far as the caller may see them.';

GRANT EXECUTE ON FUNCTION
    public.search_drivers(text, timestamptz, integer),
    public.matching_driver_ids(text, timestamptz, integer),
    public.search_vehicles(text, timestamptz, integer),
    public.search_fleets(text, timestamptz, integer)
    TO support_agent, system_admin, fleet_admin;
