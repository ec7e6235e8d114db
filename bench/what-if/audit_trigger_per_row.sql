-- What-if (really a what-was): the audit trigger as first committed in the audit schema,
-- before the audit-overhead benchmark led to computing the caller's identity and the "has secret
-- columns" test once per statement and to redacting by overwriting only the secret keys.
-- ./mvnw -q -Pbench test-compile exec:java -Dbench.scenario=audit-overhead \
--     -Dbench.extraSql=bench/what-if/audit_trigger_per_row.sql -Dbench.resultsDir=bench/results/what-if
CREATE OR REPLACE FUNCTION audit.redact(p_row jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(jsonb_object_agg(key,
               CASE WHEN key ~ '(_enc|_hash|_token|_secret)$' OR key LIKE 'encrypted\_%'
                    THEN CASE WHEN value = 'null'::jsonb THEN value ELSE '"[redacted]"'::jsonb END
                    ELSE value END), '{}'::jsonb)
      FROM jsonb_each(p_row)
$$;

CREATE OR REPLACE FUNCTION audit.record_changes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_key     text := coalesce(TG_ARGV[0], 'id');
    v_ignored text[] := coalesce(TG_ARGV[1], '{}')::text[] || '{updated_at}'::text[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit.audit_log (table_schema, table_name, record_id, operation, new_values,
                                     user_id, db_role, client_ip, user_agent)
        SELECT TG_TABLE_SCHEMA, TG_TABLE_NAME, r ->> v_key, 'INSERT', audit.redact(r),
               public.current_app_user_id(), audit.acting_role(), audit.request_client_ip(), audit.request_user_agent()
          FROM (SELECT to_jsonb(n) AS r FROM new_rows n) x;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO audit.audit_log (table_schema, table_name, record_id, operation, old_values,
                                     user_id, db_role, client_ip, user_agent)
        SELECT TG_TABLE_SCHEMA, TG_TABLE_NAME, r ->> v_key, 'DELETE', audit.redact(r),
               public.current_app_user_id(), audit.acting_role(), audit.request_client_ip(), audit.request_user_agent()
          FROM (SELECT to_jsonb(o) AS r FROM old_rows o) x;
    ELSE
        INSERT INTO audit.audit_log (table_schema, table_name, record_id, operation, old_values, new_values,
                                     changed_fields, user_id, db_role, client_ip, user_agent)
        SELECT TG_TABLE_SCHEMA, TG_TABLE_NAME, c.old_row ->> v_key, 'UPDATE', audit.redact(c.old_row),
               audit.redact(c.new_row), c.changed, public.current_app_user_id(), audit.acting_role(),
               audit.request_client_ip(), audit.request_user_agent()
          FROM (SELECT o.r AS old_row, n.r AS new_row,
                       ARRAY(SELECT k FROM jsonb_object_keys(n.r) k
                              WHERE n.r -> k IS DISTINCT FROM o.r -> k AND k <> 'updated_at') AS changed
                  FROM (SELECT to_jsonb(x) AS r FROM old_rows x) o
                  JOIN (SELECT to_jsonb(y) AS r FROM new_rows y) n ON n.r -> v_key = o.r -> v_key) c
         WHERE NOT (c.changed <@ v_ignored);
    END IF;
    RETURN NULL;
END
$$;
