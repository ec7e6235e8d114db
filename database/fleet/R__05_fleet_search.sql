-- R__05_fleet_search.sql — search over drivers (by name or licence number), vehicles (by plate) and
-- fleets (by name). Each function runs as its caller, so row-level security decides what a searcher
-- finds: support and system admins every driver, a fleet admin only its own fleet's. Drivers are
-- matched like accounts (see accounts' search): the start of the licence number or of the account's
-- name, email or phone through btree indexes (V7_1), else a fragment through the trigram indexes of
-- V6_1. Vehicles and fleets, few beside accounts, are matched as fragments only.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE).

SET check_function_bodies = off;

-- The drivers a searcher of p_role may see that match, by licence number or by their account's name,
-- email or phone (accounts' searchable_accounts): with p_pattern NULL, a field starting with p_key;
-- otherwise a fragment LIKE p_pattern. Two index scans joined by a union rather than one OR across
-- the join, which no index can answer; inlined into the caller's query like searchable_accounts. The
-- visibility mirrors the drivers and users SELECT policies.
CREATE OR REPLACE FUNCTION public.searchable_drivers(p_key text, p_phone text, p_pattern text,
                                                     p_role text, p_me uuid, p_fleet uuid)
    RETURNS TABLE (id uuid, created_at timestamptz)
    LANGUAGE sql STABLE
AS $$
    SELECT d.id, d.created_at
      FROM public.drivers d
     WHERE d.id IN (SELECT l.id FROM public.drivers l
                     WHERE CASE WHEN p_pattern IS NOT NULL THEN public.search_text(l.license_number) LIKE p_pattern
                                ELSE public.search_text(l.license_number) ~>=~ p_key
                                     AND public.search_text(l.license_number) ~<~ (p_key || chr(1114111))
                           END
                    UNION ALL
                    SELECT n.id FROM public.searchable_accounts(p_key, p_phone, p_pattern, p_role, p_me, p_fleet) a
                      JOIN public.drivers n ON n.user_id = a.id)
       AND d.deleted_at IS NULL
       AND (p_role <> 'fleet_admin' OR d.fleet_company_id = p_fleet)
$$;

COMMENT ON FUNCTION public.searchable_drivers(text, text, text, text, uuid, uuid) IS
    'Drivers matching a search (a field''s start, or a fragment when p_pattern is set) that a searcher of p_role may see; inlined by matching_driver_ids.';

-- Runs as the owner on the indexes for the reason given at accounts' matching_user_ids, restricted to
-- the drivers the caller's role may see; search_drivers then reads them by id as the caller. Fragments
-- only when no visible driver starts with the query.
CREATE OR REPLACE FUNCTION public.matching_driver_ids(p_query text, p_before timestamptz, p_limit integer)
    RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
    SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_key   text := public.search_key(p_query);
    v_phone text := public.search_phone_prefix(p_query);
    v_role  text := current_setting('role');
    v_me    uuid := public.current_app_user_id();
    v_limit integer := least(greatest(coalesce(p_limit, 20), 1), 100);
    v_fleet uuid;
BEGIN
    IF v_role NOT IN ('support_agent', 'system_admin', 'fleet_admin') THEN
        RAISE EXCEPTION 'You may not search drivers.' USING ERRCODE = 'VR403', HINT = 'access-denied';
    END IF;
    IF v_role = 'fleet_admin' THEN
        v_fleet := public.current_fleet_company_id();
    END IF;
    RETURN QUERY
        SELECT d.id FROM public.searchable_drivers(v_key, v_phone, NULL, v_role, v_me, v_fleet) d
         WHERE p_before IS NULL OR d.created_at < p_before
         ORDER BY d.created_at DESC, d.id DESC
         LIMIT v_limit;
    IF FOUND OR (p_before IS NOT NULL
                 AND EXISTS (SELECT FROM public.searchable_drivers(v_key, v_phone, NULL, v_role, v_me, v_fleet))) THEN
        RETURN;
    END IF;
    RETURN QUERY
        SELECT d.id FROM public.searchable_drivers(NULL, NULL, public.search_pattern(p_query), v_role, v_me, v_fleet) d
         WHERE p_before IS NULL OR d.created_at < p_before
         ORDER BY d.created_at DESC, d.id DESC
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
