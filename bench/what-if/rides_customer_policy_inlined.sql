-- What-if for the rls-history scenario (see bench/README.md): the inlinable
-- public.current_app_user_id() (as in current_app_user_id_inlinable.sql) and the customer's rides
-- policy comparing against it directly instead of through a (SELECT …) sub-select. Once the function
-- is inlined, the sub-select only costs planning (an InitPlan planned on every execution); without
-- it the comparison is a plain stable expression that the index scan evaluates once. Measure with:
--   ./mvnw -q -Pbench test-compile exec:java -Dbench.scenario=rls-history \
--       -Dbench.extraSql=bench/what-if/rides_customer_policy_inlined.sql
SET ROLE vipride_owner;
CREATE OR REPLACE FUNCTION public.current_app_user_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN session_user OPERATOR(pg_catalog.=) 'app_backend'::pg_catalog.name
                 AND pg_catalog.current_setting('app.current_user_id', true) OPERATOR(pg_catalog.<>) ''
                THEN pg_catalog.current_setting('app.current_user_id', true)::pg_catalog.uuid
           END
$$;
ALTER POLICY rides_select_customer_user ON public.rides USING (customer_id = public.current_app_user_id());
RESET ROLE;
