-- What-if for audit-overhead (issue #4), measured with -Dbench.extraSql; NOT a migration. Puts back the
-- audit trigger as part 28 left it — the audit rows written straight into audit.audit_log by the writing
-- statement, identity and secret check per statement — so the inbox (part 34) can be compared with it
-- in the same harness (riders request rides through quotes since part 15, which the earlier results
-- in bench/results/audit-overhead.md predate).
CREATE OR REPLACE FUNCTION audit.record_changes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_key     text := coalesce(TG_ARGV[0], 'id');
    v_ignored text[] := coalesce(TG_ARGV[1], '{}')::text[] || '{updated_at}'::text[];
    v_user    uuid := public.current_app_user_id();
    v_role    text := audit.acting_role();
    v_ip      inet := audit.request_client_ip();
    v_agent   text := audit.request_user_agent();
    v_redact  boolean := EXISTS (SELECT FROM pg_attribute a
                                  WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped
                                    AND a.attname::text LIKE ANY (audit.secret_column_patterns()));
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit.audit_log (table_schema, table_name, record_id, operation, new_values,
                                     user_id, db_role, client_ip, user_agent)
        SELECT TG_TABLE_SCHEMA, TG_TABLE_NAME, r ->> v_key, 'INSERT', CASE WHEN v_redact THEN audit.redact(r) ELSE r END,
               v_user, v_role, v_ip, v_agent
          FROM (SELECT to_jsonb(n) AS r FROM new_rows n) x;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO audit.audit_log (table_schema, table_name, record_id, operation, old_values,
                                     user_id, db_role, client_ip, user_agent)
        SELECT TG_TABLE_SCHEMA, TG_TABLE_NAME, r ->> v_key, 'DELETE', CASE WHEN v_redact THEN audit.redact(r) ELSE r END,
               v_user, v_role, v_ip, v_agent
          FROM (SELECT to_jsonb(o) AS r FROM old_rows o) x;
    ELSE
        INSERT INTO audit.audit_log (table_schema, table_name, record_id, operation, old_values, new_values,
                                     changed_fields, user_id, db_role, client_ip, user_agent)
        SELECT TG_TABLE_SCHEMA, TG_TABLE_NAME, c.old_row ->> v_key, 'UPDATE',
               CASE WHEN v_redact THEN audit.redact(c.old_row) ELSE c.old_row END,
               CASE WHEN v_redact THEN audit.redact(c.new_row) ELSE c.new_row END,
               c.changed, v_user, v_role, v_ip, v_agent
          FROM (SELECT o.r AS old_row, n.r AS new_row,
                       ARRAY(SELECT k FROM jsonb_object_keys(n.r) k
                              WHERE n.r -> k IS DISTINCT FROM o.r -> k AND k <> 'updated_at') AS changed
                  FROM (SELECT to_jsonb(x) AS r FROM old_rows x OFFSET 0) o
                  JOIN (SELECT to_jsonb(y) AS r FROM new_rows y OFFSET 0) n ON n.r -> v_key = o.r -> v_key
                OFFSET 0) c
         WHERE NOT (c.changed <@ v_ignored);
    END IF;
    RETURN NULL;
END
$$;
