-- R__02_audit.sql — auditing: the capture triggers (a plain insert into the inbox, so writers never queue
-- on a lock), drain_inbox (pairs old and new rows, drops updates of ignored columns, redacts secrets,
-- writes audit_log in inbox order), and the tamper evidence: every audit row is sealed with a SHA-256
-- hash of all its columns, the seals form a hash chain in id order, and verify_chain reports an
-- edited, deleted or back-dated row. Sealing is asynchronous and seals only up to a horizon every older
-- transaction has passed, so a slow commit never looks like a forgery.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'audit.auth_events',
    'audit.audit_log',
    'audit.vip_access_log',
    'audit.data_subject_requests',
    'audit.breach_reports',
    'audit.audit_log_seals',
    'audit.chain_anchors',
    'audit.privilege_changes',
    'audit.audit_inbox');

CREATE OR REPLACE FUNCTION audit.create_monthly_audit_partition(p_month date) RETURNS text
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT maintenance.create_monthly_partition('audit.audit_log'::regclass, p_month)
$$;

-- Secrets and ciphertexts never reach the audit log: only the fact that they changed does.
-- Columns are secret by name: ending in _enc, _hash, _token or _secret, or starting with encrypted_.
CREATE OR REPLACE FUNCTION audit.secret_column_patterns() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT ARRAY['%\_enc', '%\_hash', '%\_token', '%\_secret', 'encrypted\_%']
$$;

-- Overwrites only the secret keys (a non-null value becomes "[redacted]"), instead of rebuilding the row.
CREATE OR REPLACE FUNCTION audit.redact(p_row jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT p_row || coalesce((SELECT jsonb_object_agg(key, '"[redacted]"'::jsonb) FROM jsonb_each(p_row)
                               WHERE key LIKE ANY (audit.secret_column_patterns()) AND value <> 'null'::jsonb),
                             '{}'::jsonb)
$$;

-- Attaches the three statement-level audit triggers to a table.
CREATE OR REPLACE FUNCTION audit.enable_audit(p_table regclass, p_key text DEFAULT 'id', p_ignored_columns text[] DEFAULT '{}')
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    v_name text := (SELECT relname FROM pg_class WHERE oid = p_table);
BEGIN
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %s REFERENCING NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes(%L)', v_name || '_audit_insert', p_table, p_key);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %s REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes(%L, %L)',
                   v_name || '_audit_update', p_table, p_key, p_ignored_columns::text);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %s REFERENCING OLD TABLE AS old_rows '
                   'FOR EACH STATEMENT EXECUTE FUNCTION audit.record_changes(%L)', v_name || '_audit_delete', p_table, p_key);
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Hashing
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION audit.row_digest(p_row jsonb) RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT sha256(convert_to(p_row::text, 'UTF8'))
$$;

CREATE OR REPLACE FUNCTION audit.chain_link(p_previous bytea, p_row_hash bytea) RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT sha256(coalesce(p_previous, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
                  || p_row_hash)
$$;

-- ---------------------------------------------------------------------------------------------
-- Sealing
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION audit.seal_pending(p_max_rows integer DEFAULT 10000, p_min_age interval DEFAULT '1 second')
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
    SET "TimeZone" = 'UTC'
AS $$
DECLARE
    v_sequence_value bigint;
    v_xmax           xid8;
    v_xmin           xid8;
    v_through        bigint := 0;
    v_candidate      bigint := 0;
    v_horizon        bigint;
    v_head_id        bigint;
    v_chain          bytea;
    v_ids            bigint[] := '{}';
    v_times          timestamptz[] := '{}';
    v_row_hashes     bytea[] := '{}';
    v_chain_hashes   bytea[] := '{}';
    v_row            record;
    v_count          integer := 0;
    v_new_through    bigint;
BEGIN
    IF p_max_rows IS NULL OR p_max_rows < 1 OR p_min_age IS NULL OR p_min_age < interval '0' THEN
        RAISE EXCEPTION 'p_max_rows must be positive and p_min_age must not be negative' USING ERRCODE = '22023';
    END IF;
    -- One sealer at a time, whoever calls (service instances, psql); the others return NULL at once.
    IF NOT pg_try_advisory_xact_lock(hashtextextended('audit.seal_pending', 0)) THEN
        RETURN NULL;
    END IF;

    -- The horizon candidate for a later run. Order matters: the sequence first, then the snapshot.
    -- Both are read before this transaction writes, so it holds no xid of its own yet.
    v_sequence_value := coalesce(pg_sequence_last_value(pg_get_serial_sequence('audit.audit_log', 'id')::regclass), 0);
    SELECT pg_snapshot_xmax(s), pg_snapshot_xmin(s) INTO v_xmax, v_xmin FROM pg_current_snapshot() s;

    SELECT a.sealed_through_id, a.next_horizon_id INTO v_through, v_candidate
      FROM audit.chain_anchors a ORDER BY a.id DESC LIMIT 1;
    v_through := coalesce(v_through, 0);
    v_candidate := coalesce(v_candidate, 0);

    -- The newest candidate that is safe now: every transaction that might hold an id at or below it has ended.
    SELECT a.next_horizon_id INTO v_horizon
      FROM audit.chain_anchors a
     WHERE a.next_horizon_xid <= v_xmin AND a.anchored_at <= now() - p_min_age
     ORDER BY a.id DESC LIMIT 1;
    v_horizon := greatest(coalesce(v_horizon, 0), v_through);

    SELECT s.audit_id, s.chain_hash INTO v_head_id, v_chain
      FROM audit.audit_log_seals s ORDER BY s.audit_id DESC LIMIT 1;

    FOR v_row IN
        SELECT a.id, a."timestamp", audit.row_digest(to_jsonb(a)) AS row_hash
          FROM audit.audit_log a
         WHERE a.id > v_through AND a.id <= v_horizon
         ORDER BY a.id
         LIMIT p_max_rows
    LOOP
        v_chain := audit.chain_link(v_chain, v_row.row_hash);
        v_ids := v_ids || v_row.id;
        v_times := v_times || v_row."timestamp";
        v_row_hashes := v_row_hashes || v_row.row_hash;
        v_chain_hashes := v_chain_hashes || v_chain;
        v_head_id := v_row.id;
        v_count := v_count + 1;
    END LOOP;

    INSERT INTO audit.audit_log_seals (audit_id, audit_timestamp, row_hash, chain_hash)
    SELECT * FROM unnest(v_ids, v_times, v_row_hashes, v_chain_hashes);

    -- A full batch may have stopped short of the horizon: then only its last id is known to be complete.
    v_new_through := CASE WHEN v_count = p_max_rows THEN v_head_id ELSE v_horizon END;
    IF v_count > 0 OR v_new_through > v_through OR v_sequence_value > v_candidate
       OR NOT EXISTS (SELECT FROM audit.chain_anchors) THEN
        INSERT INTO audit.chain_anchors (sealed_through_id, head_audit_id, chain_hash, sealed_rows,
                                         next_horizon_id, next_horizon_xid)
        VALUES (v_new_through, v_head_id, v_chain, v_count, v_sequence_value, v_xmax);
    END IF;
    RETURN v_count;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Verification
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION audit.verify_chain(p_unsealed_lag interval DEFAULT '1 day')
    RETURNS TABLE (problem text, audit_id bigint, detail text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
    SET "TimeZone" = 'UTC'
AS $$
DECLARE
    v_rows           text := 'SELECT t.id, t."timestamp", audit.row_digest(to_jsonb(t)) AS row_hash FROM audit.audit_log t';
    v_archived       regclass;
    v_through        bigint;
    v_sequence_value bigint;
BEGIN
    -- Partitions moved out by audit.apply_audit_retention() keep their rows, and their seals still count.
    FOR v_archived IN
        SELECT c.oid::regclass FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'archive' AND c.relkind = 'r' AND c.relname ~ '^audit_log_y[0-9]{4}m[0-9]{2}$'
         ORDER BY c.relname
    LOOP
        v_rows := v_rows || format(' UNION ALL SELECT t.id, t."timestamp", audit.row_digest(to_jsonb(t)) FROM %s t', v_archived);
    END LOOP;
    SELECT coalesce(max(a.sealed_through_id), 0) INTO v_through FROM audit.chain_anchors a;
    v_sequence_value := coalesce(pg_sequence_last_value(pg_get_serial_sequence('audit.audit_log', 'id')::regclass), 0);

    RETURN QUERY EXECUTE format($q$
        WITH r AS (%s),
        s AS (SELECT s.audit_id, s.audit_timestamp, s.row_hash, s.chain_hash,
                     lag(s.chain_hash) OVER (ORDER BY s.audit_id) AS previous_chain
                FROM audit.audit_log_seals s),
        j AS (SELECT s.audit_id AS sealed_id, s.audit_timestamp, s.row_hash AS sealed_hash, s.chain_hash, s.previous_chain,
                     r.id AS row_id, r."timestamp", r.row_hash,
                     row_number() OVER (PARTITION BY coalesce(s.audit_id, r.id)
                                        ORDER BY r.row_hash = s.row_hash DESC NULLS LAST, r."timestamp") AS nth
                FROM s FULL JOIN r ON r.id = s.audit_id)
        SELECT p.problem, coalesce(j.sealed_id, j.row_id), p.detail
          FROM j CROSS JOIN LATERAL (VALUES
               ('deleted', j.sealed_id IS NOT NULL AND j.row_id IS NULL,
                'sealed row of ' || j.audit_timestamp || ' is missing'),
               ('edited', j.sealed_id IS NOT NULL AND j.nth = 1 AND j.row_id IS NOT NULL
                          AND (j.row_hash <> j.sealed_hash OR j."timestamp" <> j.audit_timestamp),
                'row no longer matches its seal'),
               ('inserted', j.sealed_id IS NOT NULL AND j.nth > 1,
                'a second row carries this sealed id'),
               ('chain_broken', j.sealed_id IS NOT NULL AND j.nth = 1
                                AND j.chain_hash <> audit.chain_link(j.previous_chain, j.sealed_hash),
                'chain hash does not follow from the previous seal'),
               ('inserted', j.sealed_id IS NULL AND j.row_id <= $1,
                'unsealed row at or below the sealed horizon ' || $1),
               ('inserted', j.sealed_id IS NULL AND j.row_id > $1 AND j.row_id > $2,
                'id ' || j.row_id || ' was never issued by the audit id sequence (last ' || $2 || ')'),
               ('inserted', j.sealed_id IS NULL AND j.row_id > $1 AND j.row_id <= $2 AND j."timestamp" < now() - $3,
                'unsealed for longer than ' || $3 || ': forged, or sealing has stopped')
          ) AS p(problem, hit, detail)
         WHERE p.hit
        UNION ALL
        SELECT CASE WHEN s.audit_id IS NULL THEN 'deleted' ELSE 'chain_broken' END, a.head_audit_id,
               CASE WHEN s.audit_id IS NULL THEN 'seal of the chain head recorded by anchor ' || a.id || ' is missing'
                    ELSE 'chain hash differs from the head recorded by anchor ' || a.id END
          FROM audit.chain_anchors a
          LEFT JOIN audit.audit_log_seals s ON s.audit_id = a.head_audit_id
         WHERE a.head_audit_id IS NOT NULL AND (s.audit_id IS NULL OR s.chain_hash <> a.chain_hash)
         ORDER BY 2, 1
        $q$, v_rows) USING v_through, v_sequence_value, p_unsealed_lag;
END
$$;

CREATE OR REPLACE FUNCTION audit.chain_head() RETURNS TABLE (sealed_through_id bigint, head_audit_id bigint, chain_hash text,
                                                  anchored_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT a.sealed_through_id, a.head_audit_id, encode(a.chain_hash, 'hex'), a.anchored_at
      FROM audit.chain_anchors a ORDER BY a.id DESC LIMIT 1
$$;

-- ---------------------------------------------------------------------------------------------
-- Every read of VIP data is logged here by the read path (triggers cannot fire on SELECT).
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION audit.log_vip_access(p_vip_user_id uuid, p_data_accessed text, p_purpose text, p_incident_id uuid)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_id bigint;
BEGIN
    IF p_purpose IS NULL OR length(btrim(p_purpose)) = 0 THEN
        RAISE EXCEPTION 'a purpose is required to read VIP data' USING ERRCODE = '22023';
    END IF;
    -- The owner may append but not read the log (RLS), so the id is drawn first instead of RETURNING it.
    v_id := nextval(pg_get_serial_sequence('audit.vip_access_log', 'id'));
    INSERT INTO audit.vip_access_log (id, vip_user_id, accessor_user_id, accessor_role, data_accessed, purpose,
                                      incident_id, client_ip, user_agent)
    OVERRIDING SYSTEM VALUE
    VALUES (v_id, p_vip_user_id, public.current_app_user_id(), audit.acting_role(), left(p_data_accessed, 200),
            left(p_purpose, 500), p_incident_id, audit.request_client_ip(), audit.request_user_agent());
    RETURN v_id;
END
$$;

-- The audit log's own retention entry point archives through the same path as the live tables (whole
-- months attached under archive.audit_log, readable by the audit roles); it returns the number of months
-- moved.
CREATE OR REPLACE FUNCTION audit.apply_audit_retention() RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT (archive.archive_old_data('audit_log', r.live_months) ->> 'partitions_moved')::integer
      FROM archive.retention_rules r WHERE r.data_class = 'audit_log'
$$;

-- The identity functions become inlinable (no SET; every name schema-qualified), like
-- public.current_app_user_id(): a trigger evaluating them pays no function call.
CREATE OR REPLACE FUNCTION audit.request_client_ip() RETURNS inet
    LANGUAGE sql STABLE
AS $$
    SELECT CASE WHEN session_user OPERATOR(pg_catalog.=) 'app_backend'::pg_catalog.name
                 AND pg_catalog.current_setting('app.client_ip', true) OPERATOR(pg_catalog.<>) ''
                THEN pg_catalog.current_setting('app.client_ip', true)::pg_catalog.inet
                WHEN session_user OPERATOR(pg_catalog.=) 'app_backend'::pg_catalog.name THEN NULL
                ELSE pg_catalog.inet_client_addr()
           END
$$;

CREATE OR REPLACE FUNCTION audit.request_user_agent() RETURNS text
    LANGUAGE sql STABLE
AS $$
    SELECT CASE WHEN session_user OPERATOR(pg_catalog.=) 'app_backend'::pg_catalog.name
                 AND pg_catalog.current_setting('app.user_agent', true) OPERATOR(pg_catalog.<>) ''
                THEN pg_catalog.left(pg_catalog.current_setting('app.user_agent', true), 512)
                WHEN session_user OPERATOR(pg_catalog.=) 'app_backend'::pg_catalog.name THEN NULL
                ELSE 'sql:' OPERATOR(pg_catalog.||) session_user::pg_catalog.text
           END
$$;

CREATE OR REPLACE FUNCTION audit.acting_role() RETURNS text
    LANGUAGE sql STABLE
AS $$
    SELECT CASE WHEN pg_catalog.current_setting('role') OPERATOR(pg_catalog.=) 'none'
                THEN session_user::pg_catalog.text ELSE pg_catalog.current_setting('role') END
$$;

-- Statement-level audit capture: writes the changed rows to audit.audit_inbox and nothing else (the
-- drain below moves them into the log). TG_ARGV: the key column (default id), then the columns whose
-- changes alone are not audited. Rows are named alias.* so that an audited column called like the
-- alias cannot shadow the row. An UPDATE's rows go in as one json array each (json, not jsonb: the
-- cheapest form to build on the writer's path; the drain makes jsonb of them).
CREATE OR REPLACE FUNCTION audit.record_changes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit.audit_inbox (table_schema, table_name, key_column, operation, new_rows,
                                       user_id, db_role, client_ip, user_agent)
        SELECT TG_TABLE_SCHEMA, TG_TABLE_NAME, coalesce(TG_ARGV[0], 'id'), TG_OP, json_build_array(row_to_json(n.*)),
               public.current_app_user_id(), audit.acting_role(), audit.request_client_ip(), audit.request_user_agent()
          FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO audit.audit_inbox (table_schema, table_name, key_column, operation, old_rows,
                                       user_id, db_role, client_ip, user_agent)
        SELECT TG_TABLE_SCHEMA, TG_TABLE_NAME, coalesce(TG_ARGV[0], 'id'), TG_OP, json_build_array(row_to_json(o.*)),
               public.current_app_user_id(), audit.acting_role(), audit.request_client_ip(), audit.request_user_agent()
          FROM old_rows o;
    ELSE
        INSERT INTO audit.audit_inbox (table_schema, table_name, key_column, ignored_columns, operation, old_rows, new_rows,
                                       user_id, db_role, client_ip, user_agent)
        SELECT TG_TABLE_SCHEMA, TG_TABLE_NAME, coalesce(TG_ARGV[0], 'id'), coalesce(TG_ARGV[1], '{}')::text[], TG_OP,
               (SELECT json_agg(o.*) FROM old_rows o), n.rows,
               public.current_app_user_id(), audit.acting_role(), audit.request_client_ip(), audit.request_user_agent()
          -- OFFSET 0: the rows are turned into JSON once (else the test below is pushed into the
          -- aggregate and computes it a second time: a third of the capture of a large UPDATE).
          FROM (SELECT json_agg(x.*) AS rows FROM new_rows x OFFSET 0) n
         WHERE n.rows IS NOT NULL;
    END IF;
    RETURN NULL;
END
$$;

-- Moves up to p_max_rows captured inbox rows into audit.audit_log, oldest first; returns how
-- many it took from the inbox, or NULL when another drain is running (one at a time,
-- whoever calls).
-- Audit ids follow inbox order within a drain. An UPDATE row whose changed fields are all ignored (or
-- only updated_at) leaves no audit row.
CREATE OR REPLACE FUNCTION audit.drain_inbox(p_max_rows integer DEFAULT 5000) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_taken integer;
BEGIN
    IF p_max_rows IS NULL OR p_max_rows < 1 THEN
        RAISE EXCEPTION 'p_max_rows must be positive' USING ERRCODE = '22023';
    END IF;
    IF NOT pg_try_advisory_xact_lock(hashtextextended('audit.drain_inbox', 0)) THEN
        RETURN NULL;
    END IF;
    WITH batch AS (
        DELETE FROM audit.audit_inbox i
         WHERE i.id IN (SELECT b.id FROM audit.audit_inbox b ORDER BY b.id LIMIT p_max_rows)
        RETURNING i.*
    ), secretive AS MATERIALIZED (
        SELECT t.table_schema, t.table_name,
               EXISTS (SELECT FROM pg_attribute a
                        WHERE a.attrelid = to_regclass(quote_ident(t.table_schema) || '.' || quote_ident(t.table_name))
                          AND a.attnum > 0 AND NOT a.attisdropped
                          AND a.attname::text LIKE ANY (audit.secret_column_patterns())) AS redact,
               -- Personal values are sealed under their subject's key (the compliance data map says which).
               compliance.audit_seal_spec(t.table_schema, t.table_name) AS seal
          FROM (SELECT DISTINCT table_schema, table_name FROM batch) t
    ), changes AS (
        SELECT b.*, s.redact, s.seal, e.ord, e.old_row, e.new_row,
               CASE WHEN b.operation = 'UPDATE'
                    THEN ARRAY(SELECT k FROM jsonb_object_keys(e.new_row) k
                                WHERE e.new_row -> k IS DISTINCT FROM e.old_row -> k AND k <> 'updated_at') END AS changed
          FROM batch b
          JOIN secretive s USING (table_schema, table_name)
          CROSS JOIN LATERAL (
                SELECT n.ord, NULL::jsonb AS old_row, n.value::jsonb AS new_row
                  FROM json_array_elements(b.new_rows) WITH ORDINALITY n(value, ord) WHERE b.operation = 'INSERT'
                UNION ALL
                SELECT o.ord, o.value::jsonb, NULL FROM json_array_elements(b.old_rows) WITH ORDINALITY o(value, ord)
                 WHERE b.operation = 'DELETE'
                UNION ALL
                SELECT n.ord, o.value, n.value
                  FROM (SELECT x.ord, x.value::jsonb AS value
                          FROM json_array_elements(b.new_rows) WITH ORDINALITY x(value, ord)) n
                  JOIN (SELECT y.value::jsonb AS value FROM json_array_elements(b.old_rows) y(value)) o
                    ON o.value -> b.key_column = n.value -> b.key_column
                 WHERE b.operation = 'UPDATE') e
        OFFSET 0
    ), written AS (
    INSERT INTO audit.audit_log ("timestamp", table_schema, table_name, record_id, operation, old_values, new_values,
                                 changed_fields, user_id, db_role, client_ip, user_agent, transaction_id)
    SELECT c.captured_at, c.table_schema, c.table_name, coalesce(c.old_row, c.new_row) ->> c.key_column, c.operation,
           CASE WHEN c.seal IS NOT NULL THEN compliance.seal_audit_values(c.seal, CASE WHEN c.redact THEN audit.redact(c.old_row) ELSE c.old_row END)
                WHEN c.redact THEN audit.redact(c.old_row) ELSE c.old_row END,
           CASE WHEN c.seal IS NOT NULL THEN compliance.seal_audit_values(c.seal, CASE WHEN c.redact THEN audit.redact(c.new_row) ELSE c.new_row END)
                WHEN c.redact THEN audit.redact(c.new_row) ELSE c.new_row END,
           c.changed, c.user_id, c.db_role, c.client_ip, c.user_agent, c.transaction_id
      FROM changes c
     WHERE c.operation <> 'UPDATE' OR NOT (c.changed <@ (c.ignored_columns || '{updated_at}'::text[]))
     ORDER BY c.id, c.ord
    )
    SELECT count(*) INTO v_taken FROM batch;
    RETURN v_taken;
END
$$;

-- Row-level audit capture, for tables audited per row: one inbox row per UPDATE, with the same TG_ARGV
-- as record_changes (key column, then the columns whose changes alone are not audited).
CREATE OR REPLACE FUNCTION audit.record_row_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    INSERT INTO audit.audit_inbox (table_schema, table_name, key_column, ignored_columns, operation, old_rows, new_rows,
                                   user_id, db_role, client_ip, user_agent)
    VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, coalesce(TG_ARGV[0], 'id'), coalesce(TG_ARGV[1], '{}')::text[], TG_OP,
            json_build_array(row_to_json(OLD)), json_build_array(row_to_json(NEW)),
            public.current_app_user_id(), audit.acting_role(), audit.request_client_ip(), audit.request_user_agent());
    RETURN NULL;
END
$$;

-- The deadline is derived, never typed in: detection time plus 72 hours.
CREATE OR REPLACE VIEW audit.breach_notification_deadlines WITH (security_invoker = true) AS
SELECT id, detected_at, detected_at + interval '72 hours' AS notify_regulator_by, regulator_notified_at,
       regulator_notified_at IS NULL AND now() > detected_at + interval '72 hours' AS overdue
  FROM audit.breach_reports;

COMMENT ON FUNCTION audit.create_monthly_audit_partition(date) IS
    'Idempotently creates the audit-log partition for the month containing p_month.';

SELECT maintenance.ensure_partitions_ahead('audit.audit_log'::regclass);

COMMENT ON FUNCTION audit.secret_column_patterns() IS
    'LIKE patterns of the column names whose values the audit log redacts.';

COMMENT ON FUNCTION audit.record_changes() IS
    'Statement-level audit trigger: logs every changed row with the caller''s identity, redacted.';

COMMENT ON VIEW audit.breach_notification_deadlines IS 'NDPR/GDPR 72-hour notification deadline of each breach.';

COMMENT ON FUNCTION audit.apply_audit_retention() IS
    'Moves audit-log partitions past the retention period into the archive schema; the only way rows leave audit_log.';

SELECT audit.enable_audit('audit.data_subject_requests');

SELECT audit.enable_audit('audit.breach_reports');

GRANT USAGE ON SCHEMA audit TO audit_admin, compliance_officer, system_admin, customer_user;

GRANT EXECUTE ON FUNCTION audit.create_monthly_audit_partition(date), audit.apply_audit_retention() TO system_admin;

GRANT SELECT ON audit.audit_log TO audit_admin, compliance_officer;

CREATE POLICY audit_log_select_audit_admin ON audit.audit_log FOR SELECT TO audit_admin USING (true);

CREATE POLICY audit_log_select_compliance_officer ON audit.audit_log FOR SELECT TO compliance_officer USING (true);

CREATE POLICY audit_log_insert_owner ON audit.audit_log FOR INSERT TO vipride_owner WITH CHECK (true);

GRANT SELECT ON audit.vip_access_log TO audit_admin, compliance_officer;

CREATE POLICY vip_access_log_select_audit_admin ON audit.vip_access_log FOR SELECT TO audit_admin USING (true);

CREATE POLICY vip_access_log_select_compliance_officer ON audit.vip_access_log FOR SELECT TO compliance_officer USING (true);

CREATE POLICY vip_access_log_insert_owner ON audit.vip_access_log FOR INSERT TO vipride_owner WITH CHECK (true);

GRANT SELECT ON audit.auth_events TO audit_admin, compliance_officer;

CREATE POLICY auth_events_select_audit_admin ON audit.auth_events FOR SELECT TO audit_admin USING (true);

CREATE POLICY auth_events_select_compliance_officer ON audit.auth_events FOR SELECT TO compliance_officer USING (true);

CREATE POLICY auth_events_insert_owner ON audit.auth_events FOR INSERT TO vipride_owner WITH CHECK (true);

GRANT SELECT ON audit.data_subject_requests TO compliance_officer, audit_admin, customer_user;

GRANT INSERT (user_id, request_type, notes) ON audit.data_subject_requests TO customer_user;

GRANT INSERT ON audit.data_subject_requests TO compliance_officer;

GRANT UPDATE (status, completed_at, handled_by, notes) ON audit.data_subject_requests TO compliance_officer;

CREATE POLICY data_subject_requests_select_compliance_officer ON audit.data_subject_requests FOR SELECT
    TO compliance_officer USING (true);

CREATE POLICY data_subject_requests_select_audit_admin ON audit.data_subject_requests FOR SELECT TO audit_admin USING (true);

CREATE POLICY data_subject_requests_select_customer_user ON audit.data_subject_requests FOR SELECT TO customer_user
    USING (user_id = public.current_app_user_id());

CREATE POLICY data_subject_requests_insert_customer_user ON audit.data_subject_requests FOR INSERT TO customer_user
    WITH CHECK (user_id = public.current_app_user_id());

CREATE POLICY data_subject_requests_insert_compliance_officer ON audit.data_subject_requests FOR INSERT
    TO compliance_officer WITH CHECK (true);

CREATE POLICY data_subject_requests_update_compliance_officer ON audit.data_subject_requests FOR UPDATE
    TO compliance_officer USING (true) WITH CHECK (true);

GRANT SELECT, INSERT ON audit.breach_reports TO compliance_officer, system_admin;

GRANT SELECT ON audit.breach_reports TO audit_admin;

GRANT UPDATE (status, regulator_notified_at, affected_users_count, description) ON audit.breach_reports TO compliance_officer;

GRANT SELECT ON audit.breach_notification_deadlines TO compliance_officer, audit_admin, system_admin;

CREATE POLICY breach_reports_select_compliance_officer ON audit.breach_reports FOR SELECT TO compliance_officer USING (true);

CREATE POLICY breach_reports_select_system_admin ON audit.breach_reports FOR SELECT TO system_admin USING (true);

CREATE POLICY breach_reports_select_audit_admin ON audit.breach_reports FOR SELECT TO audit_admin USING (true);

CREATE POLICY breach_reports_insert_compliance_officer ON audit.breach_reports FOR INSERT TO compliance_officer WITH CHECK (true);

CREATE POLICY breach_reports_insert_system_admin ON audit.breach_reports FOR INSERT TO system_admin WITH CHECK (true);

CREATE POLICY breach_reports_update_compliance_officer ON audit.breach_reports FOR UPDATE TO compliance_officer
    USING (true) WITH CHECK (true);

COMMENT ON FUNCTION audit.row_digest(jsonb) IS
    'SHA-256 of an audit row''s canonical text; pass to_jsonb(row) made with TimeZone UTC (the sealing and verifying functions pin it).';

COMMENT ON FUNCTION audit.chain_link(bytea, bytea) IS
    'Next chain hash: sha256(previous chain hash || row hash); NULL previous means the start of the chain (32 zero bytes).';

COMMENT ON FUNCTION audit.seal_pending(integer, interval) IS
    'Seals up to p_max_rows audit rows in id order, up to the newest horizon that no running transaction can fall below '
    '(and recorded at least p_min_age ago); returns how many it sealed, or NULL when another sealer is running.';

COMMENT ON FUNCTION audit.verify_chain(interval) IS
    'Checks every audit row against its seal and the seal chain; reports edited, deleted and inserted rows and breaks '
    'in the chain (no rows: intact). Unsealed rows older than p_unsealed_lag are reported as inserted.';

COMMENT ON FUNCTION audit.chain_head() IS
    'The latest anchor: how far the audit log is sealed and the chain hash at its head, to be copied outside the database.';

-- ---------------------------------------------------------------------------------------------
-- Privileges: readers as for the audit log; only the owner's sealing function writes; nobody
-- updates or deletes. The owner reads audit_log only inside these SECURITY DEFINER functions.
-- ---------------------------------------------------------------------------------------------
CREATE POLICY audit_log_select_owner ON audit.audit_log FOR SELECT TO vipride_owner USING (true);

GRANT SELECT ON audit.audit_log_seals TO audit_admin, compliance_officer;

CREATE POLICY audit_log_seals_select_audit_admin ON audit.audit_log_seals FOR SELECT TO audit_admin USING (true);

CREATE POLICY audit_log_seals_select_compliance_officer ON audit.audit_log_seals FOR SELECT TO compliance_officer
    USING (true);

CREATE POLICY audit_log_seals_select_owner ON audit.audit_log_seals FOR SELECT TO vipride_owner USING (true);

CREATE POLICY audit_log_seals_insert_owner ON audit.audit_log_seals FOR INSERT TO vipride_owner WITH CHECK (true);

GRANT SELECT ON audit.chain_anchors TO audit_admin, compliance_officer;

CREATE POLICY chain_anchors_select_audit_admin ON audit.chain_anchors FOR SELECT TO audit_admin USING (true);

CREATE POLICY chain_anchors_select_compliance_officer ON audit.chain_anchors FOR SELECT TO compliance_officer
    USING (true);

CREATE POLICY chain_anchors_select_owner ON audit.chain_anchors FOR SELECT TO vipride_owner USING (true);

CREATE POLICY chain_anchors_insert_owner ON audit.chain_anchors FOR INSERT TO vipride_owner WITH CHECK (true);

GRANT EXECUTE ON FUNCTION audit.seal_pending(integer, interval) TO system_admin, audit_admin;

GRANT EXECUTE ON FUNCTION audit.verify_chain(interval), audit.chain_head() TO system_admin, audit_admin, compliance_officer;

COMMENT ON FUNCTION audit.log_vip_access(uuid, text, text, uuid) IS
    'Records one read of VIP data: who (user and role), which VIP, what, why, the emergency that allowed it, from where.';

GRANT USAGE ON SCHEMA audit TO vip_admin, vip_operator, emergency_responder, driver_user;

GRANT EXECUTE ON FUNCTION audit.log_vip_access(uuid, text, text, uuid)
    TO vip_admin, vip_operator, emergency_responder, customer_user, driver_user, system_admin;

GRANT EXECUTE ON FUNCTION audit.acting_role() TO vip_admin, vip_operator, emergency_responder;

-- system_admin acts on account attacks (it (de)activates accounts), so it reads the security-relevant
-- authentication events: who and when, never the client address or user agent.
GRANT SELECT (id, user_id, event, occurred_at) ON audit.auth_events TO system_admin;

CREATE POLICY auth_events_select_system_admin ON audit.auth_events FOR SELECT TO system_admin
    USING (event IN ('login_failed', 'account_locked', 'refresh_token_reused'));

CREATE POLICY auth_events_select_owner ON audit.auth_events FOR SELECT TO vipride_owner USING (true);

CREATE POLICY auth_events_delete_owner ON audit.auth_events FOR DELETE TO vipride_owner USING (true);

-- The counts below run as the owner, which row-level security (forced) would otherwise show no row.
CREATE POLICY vip_access_log_select_owner ON audit.vip_access_log FOR SELECT TO vipride_owner USING (true);

GRANT SELECT ON audit.privilege_changes TO audit_admin, compliance_officer;

CREATE POLICY privilege_changes_select_audit_admin ON audit.privilege_changes FOR SELECT TO audit_admin USING (true);

CREATE POLICY privilege_changes_select_compliance_officer ON audit.privilege_changes FOR SELECT TO compliance_officer
    USING (true);

CREATE POLICY privilege_changes_select_owner ON audit.privilege_changes FOR SELECT TO vipride_owner USING (true);

CREATE POLICY privilege_changes_insert_owner ON audit.privilege_changes FOR INSERT TO vipride_owner WITH CHECK (true);

CREATE POLICY data_subject_requests_select_owner ON audit.data_subject_requests FOR SELECT TO vipride_owner USING (true);

CREATE POLICY breach_reports_select_owner ON audit.breach_reports FOR SELECT TO vipride_owner USING (true);

COMMENT ON FUNCTION audit.record_row_update() IS
    'Row-level audit of an UPDATE, for tables whose trigger WHEN clause already skips unaudited changes.';

REVOKE ALL ON FUNCTION audit.record_row_update() FROM PUBLIC;

CREATE POLICY audit_inbox_insert_owner ON audit.audit_inbox FOR INSERT TO vipride_owner WITH CHECK (true);

CREATE POLICY audit_inbox_select_owner ON audit.audit_inbox FOR SELECT TO vipride_owner USING (true);

CREATE POLICY audit_inbox_delete_owner ON audit.audit_inbox FOR DELETE TO vipride_owner USING (true);

COMMENT ON FUNCTION audit.drain_inbox(integer) IS
    'Moves captured rows from audit.audit_inbox into audit.audit_log (expanded, filtered, redacted); returns how many it took, NULL if another drain runs.';

REVOKE ALL ON FUNCTION audit.drain_inbox(integer), audit.record_row_update() FROM PUBLIC;

GRANT EXECUTE ON FUNCTION audit.drain_inbox(integer) TO system_admin, audit_admin, compliance_officer;

