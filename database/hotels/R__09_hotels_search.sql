-- R__09_hotels_search.sql — search over partner hotels by name. The function runs as its caller, so
-- row-level security decides what a searcher finds (support and system admins every hotel, hotel
-- staff their own). Queries are matched as fragments of public.search_text (lower case, accents
-- removed) through the trigram index of V6_2; public.search_pattern (accounts) refuses queries under
-- 2 characters. Flyway repeatable: must stay re-runnable (CREATE OR REPLACE).

SET check_function_bodies = off;

CREATE OR REPLACE FUNCTION public.search_hotels(p_query text, p_before timestamptz, p_limit integer)
    RETURNS TABLE (id uuid, name text, city text, partnership_tier public.hotel_partnership_tier, status text,
                   created_at timestamptz)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
    SET plan_cache_mode = force_custom_plan
AS $$
DECLARE
    v_pattern text := public.search_pattern(p_query);
BEGIN
    RETURN QUERY
        SELECT h.id, h.name, h.city, h.partnership_tier, h.status, h.created_at
          FROM public.hotel_partners h
         WHERE public.search_text(h.name) LIKE v_pattern
           AND (p_before IS NULL OR h.created_at < p_before)
         ORDER BY h.created_at DESC, h.id DESC
         LIMIT least(greatest(coalesce(p_limit, 20), 1), 100);
END
$$;

COMMENT ON FUNCTION public.search_hotels(text, timestamptz, integer) IS
    'Partner hotels whose name contains the query, newest first, as far as the caller may see them.';

GRANT EXECUTE ON FUNCTION public.search_hotels(text, timestamptz, integer) TO support_agent, system_admin, hotel_staff;
