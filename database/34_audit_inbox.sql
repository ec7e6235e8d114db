-- Part 34 — the audit triggers capture changes into an inbox; a drain job expands them into
-- audit.audit_log.
--
-- The audit-overhead benchmark put the audited single-row INSERT at 1.68× the unaudited one and a
-- 1,000-row INSERT at 2.33× (target ≤ 1.3×). Measured per statement: the secret-column check ~20 µs,
-- the identity functions (SQL functions with SET, never inlined) ~12 µs, and the INSERT of the audit
-- rows ~45 µs plus ~40 µs a row — routing into the month's partition, three indexes, the redacted JSON.
-- Now the trigger does only what must happen inside the writing transaction: capture the rows and who,
-- from where and when, in an unpartitioned table with just its primary key — a row per inserted or
-- deleted row, and for an UPDATE one row holding the statement's old and new rows (pairing them by key
-- is the drain's work). One row per statement for INSERTs too measured worse (1.47× for 1,000-row
-- statements): a large JSON array goes to TOAST chunk by chunk.
-- audit.drain_inbox(), run by the service every second (and callable by anyone who needs the log
-- current now), pairs old and new rows, works out the changed fields, drops updates of ignored columns,
-- redacts secrets and inserts the audit rows, in inbox order, in a batch.
--
-- What does not change: the inbox row commits or rolls back with the change it records, so no change is
-- ever missing from the log; the log row keeps the writing transaction's timestamp and id; sealing and
-- verification work on audit.audit_log as before. What does: a change reaches audit.audit_log about a
-- second after its commit (the trail API drains before it reads). Secrets sit unredacted in the inbox
-- for that second, in a table only the owner can read, like the tables they come from.

CREATE TABLE audit.audit_inbox (
    id               bigint      GENERATED ALWAYS AS IDENTITY,
    captured_at      timestamptz NOT NULL DEFAULT now(),
    table_schema     text        NOT NULL,
    table_name       text        NOT NULL,
    key_column       text        NOT NULL,
    ignored_columns  text[],
    operation        text        NOT NULL,
    old_rows         jsonb,
    new_rows         jsonb,
    user_id          uuid,
    db_role          text        NOT NULL,
    client_ip        inet,
    user_agent       text,
    transaction_id   bigint      NOT NULL DEFAULT txid_current(),
    CONSTRAINT audit_inbox_pkey PRIMARY KEY (id),
    CONSTRAINT audit_inbox_operation_chk CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE'))
);
COMMENT ON TABLE audit.audit_inbox IS
    'Changes captured by the audit triggers (a row per inserted or deleted row, one per UPDATE statement) until audit.drain_inbox() moves them into audit.audit_log.';
-- A multi-row UPDATE's JSON is large and lives a second: lz4 compresses it for less CPU than pglz.
-- PostgreSQL built without lz4 keeps its default (pglz).
DO $$
BEGIN
    ALTER TABLE audit.audit_inbox ALTER COLUMN old_rows SET COMPRESSION lz4, ALTER COLUMN new_rows SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available; the audit inbox compresses with pglz';
END
$$;
ALTER TABLE audit.audit_inbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.audit_inbox FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_inbox_insert_owner ON audit.audit_inbox FOR INSERT TO vipride_owner WITH CHECK (true);
CREATE POLICY audit_inbox_select_owner ON audit.audit_inbox FOR SELECT TO vipride_owner USING (true);
CREATE POLICY audit_inbox_delete_owner ON audit.audit_inbox FOR DELETE TO vipride_owner USING (true);

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

-- Replaces part 28's version: capture only. TG_ARGV as before (key column, ignored columns). Rows are
-- named alias.* so that an audited column called like the alias cannot shadow the row.
CREATE OR REPLACE FUNCTION audit.record_changes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO audit.audit_inbox (table_schema, table_name, key_column, operation, new_rows,
                                       user_id, db_role, client_ip, user_agent)
        SELECT TG_TABLE_SCHEMA, TG_TABLE_NAME, coalesce(TG_ARGV[0], 'id'), TG_OP, jsonb_build_array(to_jsonb(n.*)),
               public.current_app_user_id(), audit.acting_role(), audit.request_client_ip(), audit.request_user_agent()
          FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO audit.audit_inbox (table_schema, table_name, key_column, operation, old_rows,
                                       user_id, db_role, client_ip, user_agent)
        SELECT TG_TABLE_SCHEMA, TG_TABLE_NAME, coalesce(TG_ARGV[0], 'id'), TG_OP, jsonb_build_array(to_jsonb(o.*)),
               public.current_app_user_id(), audit.acting_role(), audit.request_client_ip(), audit.request_user_agent()
          FROM old_rows o;
    ELSE
        INSERT INTO audit.audit_inbox (table_schema, table_name, key_column, ignored_columns, operation, old_rows, new_rows,
                                       user_id, db_role, client_ip, user_agent)
        SELECT TG_TABLE_SCHEMA, TG_TABLE_NAME, coalesce(TG_ARGV[0], 'id'), coalesce(TG_ARGV[1], '{}')::text[], TG_OP,
               (SELECT jsonb_agg(to_jsonb(o.*)) FROM old_rows o), n.rows,
               public.current_app_user_id(), audit.acting_role(), audit.request_client_ip(), audit.request_user_agent()
          FROM (SELECT jsonb_agg(to_jsonb(x.*)) AS rows FROM new_rows x) n
         WHERE n.rows IS NOT NULL;
    END IF;
    RETURN NULL;
END
$$;

-- Replaces part 33's version: the drivers' row-level UPDATE audit captures into the inbox too.
CREATE OR REPLACE FUNCTION audit.record_row_update() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    INSERT INTO audit.audit_inbox (table_schema, table_name, key_column, ignored_columns, operation, old_rows, new_rows,
                                   user_id, db_role, client_ip, user_agent)
    VALUES (TG_TABLE_SCHEMA, TG_TABLE_NAME, coalesce(TG_ARGV[0], 'id'), '{}', TG_OP,
            jsonb_build_array(to_jsonb(OLD)), jsonb_build_array(to_jsonb(NEW)),
            public.current_app_user_id(), audit.acting_role(), audit.request_client_ip(), audit.request_user_agent());
    RETURN NULL;
END
$$;

-- Moves up to p_max_rows captured inbox rows into audit.audit_log, oldest first; returns how
-- many it took from the inbox, or NULL when another drain is running (one at a time,
-- whoever calls).
-- Audit ids follow inbox order within a drain. An UPDATE row whose changed fields are all ignored (or
-- only updated_at) leaves no audit row, as before.
CREATE FUNCTION audit.drain_inbox(p_max_rows integer DEFAULT 5000) RETURNS integer
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
    ), secretive AS (
        SELECT t.table_schema, t.table_name,
               EXISTS (SELECT FROM pg_attribute a
                        WHERE a.attrelid = to_regclass(quote_ident(t.table_schema) || '.' || quote_ident(t.table_name))
                          AND a.attnum > 0 AND NOT a.attisdropped
                          AND a.attname::text LIKE ANY (audit.secret_column_patterns())) AS redact
          FROM (SELECT DISTINCT table_schema, table_name FROM batch) t
    ), changes AS (
        SELECT b.*, s.redact, e.ord, e.old_row, e.new_row,
               CASE WHEN b.operation = 'UPDATE'
                    THEN ARRAY(SELECT k FROM jsonb_object_keys(e.new_row) k
                                WHERE e.new_row -> k IS DISTINCT FROM e.old_row -> k AND k <> 'updated_at') END AS changed
          FROM batch b
          JOIN secretive s USING (table_schema, table_name)
          CROSS JOIN LATERAL (
                SELECT n.ord, NULL::jsonb AS old_row, n.value AS new_row
                  FROM jsonb_array_elements(b.new_rows) WITH ORDINALITY n(value, ord) WHERE b.operation = 'INSERT'
                UNION ALL
                SELECT o.ord, o.value, NULL FROM jsonb_array_elements(b.old_rows) WITH ORDINALITY o(value, ord)
                 WHERE b.operation = 'DELETE'
                UNION ALL
                SELECT n.ord, o.value, n.value
                  FROM jsonb_array_elements(b.new_rows) WITH ORDINALITY n(value, ord)
                  JOIN jsonb_array_elements(b.old_rows) o(value) ON o.value -> b.key_column = n.value -> b.key_column
                 WHERE b.operation = 'UPDATE') e
        OFFSET 0
    ), written AS (
    INSERT INTO audit.audit_log ("timestamp", table_schema, table_name, record_id, operation, old_values, new_values,
                                 changed_fields, user_id, db_role, client_ip, user_agent, transaction_id)
    SELECT c.captured_at, c.table_schema, c.table_name, coalesce(c.old_row, c.new_row) ->> c.key_column, c.operation,
           CASE WHEN c.redact THEN audit.redact(c.old_row) ELSE c.old_row END,
           CASE WHEN c.redact THEN audit.redact(c.new_row) ELSE c.new_row END,
           c.changed, c.user_id, c.db_role, c.client_ip, c.user_agent, c.transaction_id
      FROM changes c
     WHERE c.operation <> 'UPDATE' OR NOT (c.changed <@ (c.ignored_columns || '{updated_at}'::text[]))
     ORDER BY c.id, c.ord
    )
    SELECT count(*) INTO v_taken FROM batch;
    RETURN v_taken;
END
$$;
COMMENT ON FUNCTION audit.drain_inbox(integer) IS
    'Moves captured rows from audit.audit_inbox into audit.audit_log (expanded, filtered, redacted); returns how many it took, NULL if another drain runs.';
REVOKE ALL ON FUNCTION audit.drain_inbox(integer), audit.record_row_update() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit.drain_inbox(integer) TO system_admin, audit_admin, compliance_officer;
