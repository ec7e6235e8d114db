-- What-if for the rls-history scenario (see bench/README.md): public.current_app_user_id() as an
-- inlinable SQL function. Same result as public.current_app_user_id(), but without
-- `SET search_path` (a SET clause stops PostgreSQL from inlining a SQL function, and every query then
-- pays for setting up the function call: about 40 µs); instead every name is schema-qualified, so no
-- search_path can redirect it. Measure with:
--   ./mvnw -q -Pbench test-compile exec:java -Dbench.scenario=rls-history \
--       -Dbench.extraSql=bench/what-if/current_app_user_id_inlinable.sql
SET ROLE vipride_owner;
CREATE OR REPLACE FUNCTION public.current_app_user_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN session_user OPERATOR(pg_catalog.=) 'app_backend'::pg_catalog.name
                 AND pg_catalog.current_setting('app.current_user_id', true) OPERATOR(pg_catalog.<>) ''
                THEN pg_catalog.current_setting('app.current_user_id', true)::pg_catalog.uuid
           END
$$;
RESET ROLE;
