-- R__05_fleet_search.sql — search over drivers (by name or licence number), vehicles (by plate) and
-- fleets (by name). Each function runs as its caller, so row-level security decides what a searcher
-- finds: support and system admins every driver, a fleet admin only its own fleet's. Queries are
-- matched as fragments of public.search_text (lower case, accents removed) through the trigram
-- indexes of V6_1; public.search_pattern (accounts) refuses queries under 2 characters.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE).

SET check_function_bodies = off;

-- Row-level security keeps a trigram index out of reach under a filtering policy (LIKE is not
-- leakproof, so it must run after the policy's filter, row by row). The matching therefore runs here,
-- as the owner, on the indexes, restricted to exactly the drivers (and, for a match on the name, the
-- accounts) the caller's role may see — the drivers and users SELECT policies, mirrored per role;
-- search_drivers then reads the returned drivers by id as the caller, so row-level security still
-- decides what is shown. Two index scans (licence, then the account's name, email or phone) rather
-- than one OR across the join, which no index can answer.
CREATE OR REPLACE FUNCTION public.matching_driver_ids(p_query text, p_before timestamptz, p_limit integer)
    RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
    SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_pattern text := public.search_pattern(p_query);
    v_role    text := current_setting('role');
    v_me      uuid := public.current_app_user_id();
    v_fleet   uuid;
BEGIN
    IF v_role NOT IN ('support_agent', 'system_admin', 'fleet_admin') THEN
        RAISE EXCEPTION 'You may not search drivers.' USING ERRCODE = 'VR403', HINT = 'access-denied';
    END IF;
    IF v_role = 'fleet_admin' THEN
        v_fleet := public.current_fleet_company_id();
    END IF;
    RETURN QUERY
        WITH hits AS (
            SELECT d.id FROM public.drivers d
             WHERE public.search_text(d.license_number) LIKE v_pattern
            UNION
            SELECT d.id FROM public.users u JOIN public.drivers d ON d.user_id = u.id
             WHERE public.search_text(u.first_name || ' ' || u.last_name || ' ' || u.email || ' ' || coalesce(u.phone, ''))
               LIKE v_pattern
               AND (v_role <> 'support_agent' OR u.deleted_at IS NULL OR u.id = v_me)
        )
        SELECT d.id
          FROM hits h JOIN public.drivers d ON d.id = h.id
         WHERE d.deleted_at IS NULL
           AND (v_role <> 'fleet_admin' OR d.fleet_company_id = v_fleet)
           AND (p_before IS NULL OR d.created_at < p_before)
         ORDER BY d.created_at DESC, d.id DESC
         LIMIT least(greatest(coalesce(p_limit, 20), 1), 100);
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
    'Drivers whose name, email, phone or licence number contains the query, newest first, as far as the caller may see them.';

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
