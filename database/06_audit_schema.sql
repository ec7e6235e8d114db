-- Part 06 — audit schema. This part starts with authentication events (registrations, logins,
-- failures, lock-outs, refresh-token reuse, log-outs), which feed security monitoring; the general
-- change audit trail and the VIP access log are added by the VIP data protection issue.

-- Where the request came from. The service passes the end user's address in app.client_ip; any other
-- session is described by its own connection, so a psql user cannot put words in the log.
CREATE FUNCTION audit.request_client_ip() RETURNS inet
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT CASE WHEN session_user = 'app_backend'
                THEN nullif(current_setting('app.client_ip', true), '')::inet
                ELSE inet_client_addr()
           END
$$;

CREATE FUNCTION audit.request_user_agent() RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT CASE WHEN session_user = 'app_backend'
                THEN left(nullif(current_setting('app.user_agent', true), ''), 512)
                ELSE 'sql:' || session_user
           END
$$;

-- The end-user role the statement runs as. Inside a SECURITY DEFINER function current_user is the
-- function's owner, but the role setting still names the role the session switched into (and a
-- session can only switch into roles its login is a member of, so it cannot be forged).
CREATE FUNCTION audit.acting_role() RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT CASE WHEN current_setting('role') = 'none' THEN session_user::text ELSE current_setting('role') END
$$;

CREATE TABLE audit.auth_events (
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    user_id      uuid,
    event        text        NOT NULL,
    client_ip    inet,
    user_agent   text,
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT auth_events_pkey PRIMARY KEY (id),
    CONSTRAINT auth_events_event_chk CHECK (event IN (
        'registered', 'login_succeeded', 'login_failed', 'account_locked', 'refresh_token_reused', 'logged_out'))
);
-- No foreign key to users on purpose: erasing or anonymising an account must never delete its log.
COMMENT ON TABLE audit.auth_events IS
    'Append-only log of authentication events; written only by the account functions.';
CREATE INDEX auth_events_user_time_idx ON audit.auth_events (user_id, occurred_at DESC);
CREATE INDEX auth_events_event_time_idx ON audit.auth_events (event, occurred_at DESC);

-- ---------------------------------------------------------------------------------------------
-- audit.audit_log — every INSERT, UPDATE and DELETE on the audited tables: who (the end user and the
-- database role they acted as), from where, what changed (old and new values with secrets and
-- ciphertexts redacted), when. Partitioned by month on "timestamp", as the spec's queries expect.
-- Append-only: no role holds UPDATE or DELETE; old partitions leave only through
-- audit.apply_audit_retention().
-- ---------------------------------------------------------------------------------------------
CREATE TABLE audit.audit_log (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    "timestamp"     timestamptz NOT NULL DEFAULT now(),
    table_schema    text        NOT NULL,
    table_name      text        NOT NULL,
    record_id       text        NOT NULL,
    operation       text        NOT NULL,
    old_values      jsonb,
    new_values      jsonb,
    changed_fields  text[],
    user_id         uuid,
    db_role         text        NOT NULL,
    client_ip       inet,
    user_agent      text,
    transaction_id  bigint      NOT NULL DEFAULT txid_current(),
    CONSTRAINT audit_log_pkey PRIMARY KEY (id, "timestamp"),
    CONSTRAINT audit_log_operation_chk CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE')),
    CONSTRAINT audit_log_values_chk CHECK (
        (operation = 'INSERT' AND old_values IS NULL AND new_values IS NOT NULL)
        OR (operation = 'UPDATE' AND old_values IS NOT NULL AND new_values IS NOT NULL)
        OR (operation = 'DELETE' AND old_values IS NOT NULL AND new_values IS NULL))
) PARTITION BY RANGE ("timestamp");
COMMENT ON TABLE audit.audit_log IS
    'Append-only change history of the audited tables; secrets and ciphertexts are redacted. Monthly partitions.';
-- The spec's query: WHERE table_name = … AND record_id = … ORDER BY timestamp DESC.
CREATE INDEX audit_log_record_idx ON audit.audit_log (table_name, record_id, "timestamp" DESC);
CREATE INDEX audit_log_user_idx ON audit.audit_log (user_id, "timestamp" DESC) WHERE user_id IS NOT NULL;

CREATE FUNCTION audit.create_monthly_audit_partition(p_month date) RETURNS text
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT maintenance.create_monthly_partition('audit.audit_log'::regclass, p_month)
$$;
COMMENT ON FUNCTION audit.create_monthly_audit_partition(date) IS
    'Idempotently creates the audit-log partition for the month containing p_month.';

SELECT maintenance.ensure_partitions_ahead('audit.audit_log'::regclass);

-- Secrets and ciphertexts never reach the audit log: only the fact that they changed does.
-- Columns are secret by name: ending in _enc, _hash, _token or _secret, or starting with encrypted_.
CREATE FUNCTION audit.secret_column_patterns() RETURNS text[]
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT ARRAY['%\_enc', '%\_hash', '%\_token', '%\_secret', 'encrypted\_%']
$$;
COMMENT ON FUNCTION audit.secret_column_patterns() IS
    'LIKE patterns of the column names whose values the audit log redacts.';

-- Overwrites only the secret keys (a non-null value becomes "[redacted]"), instead of rebuilding the row.
CREATE FUNCTION audit.redact(p_row jsonb) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT p_row || coalesce((SELECT jsonb_object_agg(key, '"[redacted]"'::jsonb) FROM jsonb_each(p_row)
                               WHERE key LIKE ANY (audit.secret_column_patterns()) AND value <> 'null'::jsonb),
                             '{}'::jsonb)
$$;

-- One statement-level trigger per audited table: a whole multi-row statement is logged with one
-- INSERT … SELECT over its transition tables, which keeps the overhead low. TG_ARGV[0] names the
-- key column that identifies a row (default id); TG_ARGV[1] lists columns whose changes alone are not
-- worth a log row (a driver's live position, for instance). updated_at alone never is.
-- The caller's identity, and whether the table has secret columns at all, are worked out once per
-- statement rather than once per row (the audit-overhead benchmark measured the difference).
CREATE FUNCTION audit.record_changes() RETURNS trigger
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
                  FROM (SELECT to_jsonb(x) AS r FROM old_rows x) o
                  JOIN (SELECT to_jsonb(y) AS r FROM new_rows y) n ON n.r -> v_key = o.r -> v_key) c
         WHERE NOT (c.changed <@ v_ignored);
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit.record_changes() IS
    'Statement-level audit trigger: logs every changed row with the caller''s identity, redacted.';

-- Attaches the three statement-level audit triggers to a table.
CREATE FUNCTION audit.enable_audit(p_table regclass, p_key text DEFAULT 'id', p_ignored_columns text[] DEFAULT '{}')
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
-- audit.vip_access_log — every read of VIP data, through the service or SQL (the read paths write it).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE audit.vip_access_log (
    id                 bigint      GENERATED ALWAYS AS IDENTITY,
    vip_user_id        uuid        NOT NULL,
    accessor_user_id   uuid,
    accessor_role      text        NOT NULL,
    data_accessed      text        NOT NULL,
    purpose            text        NOT NULL,
    incident_id        uuid,
    client_ip          inet,
    user_agent         text,
    accessed_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT vip_access_log_pkey PRIMARY KEY (id),
    CONSTRAINT vip_access_log_purpose_chk CHECK (length(btrim(purpose)) BETWEEN 1 AND 500)
);
-- No foreign keys to users or incidents on purpose: erasing data must never delete its access history.
COMMENT ON TABLE audit.vip_access_log IS 'Append-only log of every read of VIP data: who, which VIP, what, why, from where.';
CREATE INDEX vip_access_log_vip_idx ON audit.vip_access_log (vip_user_id, accessed_at DESC);
CREATE INDEX vip_access_log_accessor_idx ON audit.vip_access_log (accessor_user_id, accessed_at DESC);

-- ---------------------------------------------------------------------------------------------
-- Compliance records: data-subject requests (NDPR/GDPR: access, portability, erasure, …) and
-- personal-data breach reports with their 72-hour regulator deadline.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE audit.data_subject_requests (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id        uuid        NOT NULL,
    request_type   text        NOT NULL,
    status         text        NOT NULL DEFAULT 'received',
    received_at    timestamptz NOT NULL DEFAULT now(),
    due_at         timestamptz NOT NULL DEFAULT now() + interval '30 days',
    completed_at   timestamptz,
    handled_by     uuid,
    notes          text,
    CONSTRAINT data_subject_requests_pkey PRIMARY KEY (id),
    CONSTRAINT data_subject_requests_type_chk CHECK (request_type IN
        ('access', 'portability', 'rectification', 'erasure', 'restriction', 'objection')),
    CONSTRAINT data_subject_requests_status_chk CHECK (status IN ('received', 'in_progress', 'completed', 'rejected')),
    CONSTRAINT data_subject_requests_completed_chk CHECK ((status IN ('completed', 'rejected')) = (completed_at IS NOT NULL))
);
COMMENT ON TABLE audit.data_subject_requests IS 'Data-subject requests and their statutory deadline (30 days).';
CREATE INDEX data_subject_requests_user_idx ON audit.data_subject_requests (user_id);
CREATE INDEX data_subject_requests_open_idx ON audit.data_subject_requests (due_at) WHERE completed_at IS NULL;

CREATE TABLE audit.breach_reports (
    id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
    detected_at             timestamptz NOT NULL,
    reported_by             uuid,
    severity                smallint    NOT NULL,
    description             text        NOT NULL,
    affected_users_count    integer     NOT NULL DEFAULT 0,
    status                  text        NOT NULL DEFAULT 'open',
    regulator_notified_at   timestamptz,
    created_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT breach_reports_pkey PRIMARY KEY (id),
    CONSTRAINT breach_reports_severity_chk CHECK (severity BETWEEN 1 AND 5),
    CONSTRAINT breach_reports_affected_chk CHECK (affected_users_count >= 0),
    CONSTRAINT breach_reports_status_chk CHECK (status IN ('open', 'investigating', 'contained', 'notified', 'closed'))
);
COMMENT ON TABLE audit.breach_reports IS 'Personal-data breaches; the regulator must be told within 72 hours of detection.';

-- The deadline is derived, never typed in: detection time plus 72 hours.
CREATE VIEW audit.breach_notification_deadlines WITH (security_invoker = true) AS
SELECT id, detected_at, detected_at + interval '72 hours' AS notify_regulator_by, regulator_notified_at,
       regulator_notified_at IS NULL AND now() > detected_at + interval '72 hours' AS overdue
  FROM audit.breach_reports;
COMMENT ON VIEW audit.breach_notification_deadlines IS 'NDPR/GDPR 72-hour notification deadline of each breach.';

-- The one way rows leave the live audit log: whole monthly partitions older than the audit retention
-- period (archive.retention_rules) are detached and moved, intact, into the archive schema.
CREATE FUNCTION audit.apply_audit_retention() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_months  integer;
    v_cutoff  timestamptz;
    v_moved   integer := 0;
    v_part    record;
BEGIN
    SELECT live_months INTO STRICT v_months FROM archive.retention_rules WHERE data_class = 'audit_log';
    v_cutoff := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - make_interval(months => v_months);
    FOR v_part IN
        SELECT c.oid::regclass AS part, c.relname
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'audit.audit_log'::regclass
           AND pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
           AND (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz <= v_cutoff
    LOOP
        EXECUTE format('ALTER TABLE audit.audit_log DETACH PARTITION %s', v_part.part);
        EXECUTE format('ALTER TABLE %s SET SCHEMA archive', v_part.part);
        v_moved := v_moved + 1;
    END LOOP;
    RETURN v_moved;
END
$$;
COMMENT ON FUNCTION audit.apply_audit_retention() IS
    'Moves audit-log partitions past the retention period into the archive schema; the only way rows leave audit_log.';

-- ---------------------------------------------------------------------------------------------
-- Audited tables. Driver position pings are not business changes: a drivers update that only moves
-- the driver or flips availability leaves no audit row.
-- ---------------------------------------------------------------------------------------------
SELECT audit.enable_audit('public.users');
SELECT audit.enable_audit('public.fleet_companies');
SELECT audit.enable_audit('public.fleet_admins', 'user_id');
SELECT audit.enable_audit('public.vehicles');
SELECT audit.enable_audit('public.drivers', 'id', ARRAY[
    'is_online', 'is_available', 'current_lat', 'current_lng', 'current_position', 'position_updated_at']);
SELECT audit.enable_audit('public.vehicle_leases');
SELECT audit.enable_audit('public.rides');
SELECT audit.enable_audit('public.hotel_partners');
SELECT audit.enable_audit('public.hotel_staff_members', 'user_id');
SELECT audit.enable_audit('public.hotel_rooms');
SELECT audit.enable_audit('public.hotel_bookings');
SELECT audit.enable_audit('public.payments');
SELECT audit.enable_audit('public.payment_methods');
SELECT audit.enable_audit('public.ride_earnings', 'ride_id');
SELECT audit.enable_audit('vip_data.vip_profiles');
SELECT audit.enable_audit('vip_data.emergency_incidents');
SELECT audit.enable_audit('audit.data_subject_requests');
SELECT audit.enable_audit('audit.breach_reports');
