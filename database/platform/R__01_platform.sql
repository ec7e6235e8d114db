-- R__01_platform.sql — the helpers every capability uses: the caller's identity
-- (current_app_user_id, current_driver_id, current_fleet_company_id, current_hotel_id), touch_updated_at,
-- and partition upkeep (create_monthly_partition, ensure_partitions_ahead, maintain_partitions), which
-- keeps the monthly partitions of the live partitioned tables at least three months ahead.
-- Policies read the caller through these helpers wrapped in (SELECT …), so each runs once per
-- statement; no identity (NULL) matches no row.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Makes a definitions file re-runnable: drops the policies and audit triggers of the given tables,
-- which the file then creates again, so the file is their complete set (a policy deleted from the file
-- disappears from the database). Every repeatable migration starts with it.
CREATE OR REPLACE FUNCTION maintenance.drop_policies_and_audit_triggers(VARIADIC p_tables regclass[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    v_table regclass;
    v_name  name;
BEGIN
    FOREACH v_table IN ARRAY p_tables LOOP
        FOR v_name IN SELECT polname FROM pg_policy WHERE polrelid = v_table LOOP
            EXECUTE format('DROP POLICY %I ON %s', v_name, v_table);
        END LOOP;
        FOR v_name IN SELECT tgname FROM pg_trigger
                       WHERE tgrelid = v_table AND NOT tgisinternal AND tgname ~ '_audit_(insert|update|delete)$' LOOP
            EXECUTE format('DROP TRIGGER %I ON %s', v_name, v_table);
        END LOOP;
    END LOOP;
END
$$;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'maintenance.scheduled_tasks',
    'maintenance.job_runs',
    'maintenance.rate_limit_buckets');

-- ---------------------------------------------------------------------------------------------
-- Caller identity
-- ---------------------------------------------------------------------------------------------
-- The service sets app.current_user_id transaction-locally after switching into the caller's role.
-- Only the service login is trusted with that setting: any other session (a psql user, a BI tool)
-- gets NULL here and so matches no "own row" policy, whatever it sets. A setting made with
-- set_config(..., true) reads back as '' after the transaction, which also means NULL.
-- The function is deliberately a plain, inlinable SQL expression — no SET clause (that would block
-- inlining and cost a function call with a GUC switch per query), every name schema-qualified instead
-- so no search_path can redirect it. Policies compare columns with it directly; inlined, it is a
-- stable expression that an index scan on the policy column evaluates once per scan
-- (bench/README.md: rls-history measured 1.29x with a (SELECT …) InitPlan, 1.14x like this).
CREATE OR REPLACE FUNCTION public.current_app_user_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN session_user OPERATOR(pg_catalog.=) 'app_backend'::pg_catalog.name
                 AND pg_catalog.current_setting('app.current_user_id', true) OPERATOR(pg_catalog.<>) ''
                THEN pg_catalog.current_setting('app.current_user_id', true)::pg_catalog.uuid
           END
$$;

-- ---------------------------------------------------------------------------------------------
-- Shared trigger: updated_at is maintained by the database, not by each caller.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

-- Creates the default partition and the partitions of the current month and the next three.
CREATE OR REPLACE FUNCTION maintenance.ensure_partitions_ahead(p_parent regclass, p_months_ahead integer DEFAULT 3)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_schema text;
    v_table  text;
BEGIN
    SELECT n.nspname, c.relname INTO v_schema, v_table
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = p_parent;
    IF NOT EXISTS (SELECT FROM pg_partitioned_table WHERE partrelid = p_parent AND partdefid <> 0) THEN
        EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s DEFAULT', v_schema, v_table || '_default', p_parent);
    END IF;
    FOR i IN 0 .. p_months_ahead LOOP
        PERFORM maintenance.create_monthly_partition(
            p_parent, ((now() AT TIME ZONE 'UTC')::date + make_interval(months => i))::date);
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Who the caller is in the fleet world. SECURITY DEFINER so that policies can consult the mapping
-- tables without granting the caller access to them, and without policies on one table recursing
-- through policies on another. STABLE: evaluated once per statement when wrapped in (SELECT …).
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.current_driver_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT d.id FROM public.drivers d
     WHERE d.user_id = public.current_app_user_id() AND d.deleted_at IS NULL
$$;

CREATE OR REPLACE FUNCTION public.current_fleet_company_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT fa.fleet_company_id FROM public.fleet_admins fa WHERE fa.user_id = public.current_app_user_id()
$$;

CREATE OR REPLACE FUNCTION public.current_hotel_id() RETURNS uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT m.hotel_id FROM public.hotel_staff_members m WHERE m.user_id = public.current_app_user_id()
$$;

-- ---------------------------------------------------------------------------------------------
-- Partition upkeep
-- ---------------------------------------------------------------------------------------------
-- create_monthly_partition: idempotent, UTC month bounds, strays moved out of the default partition
-- before the new partition is attached. Every new partition gets a CHECK constraint on its own bounds
-- (<partition>_bounds_chk), added while the table is still empty and so validated for free. A table
-- carrying it can be attached under another partitioned table without a scan: that is how
-- archive.archive_old_data (ops) moves a whole month into the archive under the shortest possible lock.
CREATE OR REPLACE FUNCTION maintenance.create_monthly_partition(p_parent regclass, p_month date) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_schema    text;
    v_table     text;
    v_column    text;
    v_start     date := date_trunc('month', p_month)::date;
    v_from      timestamptz;
    v_to        timestamptz;
    v_name      text;
    v_default   text;
BEGIN
    IF p_month IS NULL THEN
        RAISE EXCEPTION 'month must not be null' USING ERRCODE = '22004';
    END IF;
    SELECT n.nspname, c.relname, a.attname
      INTO v_schema, v_table, v_column
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_partitioned_table p ON p.partrelid = c.oid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]
     WHERE c.oid = p_parent AND p.partstrat = 'r';
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not a range-partitioned table', p_parent USING ERRCODE = '42809';
    END IF;

    v_name := format('%s_y%sm%s', v_table, to_char(v_start, 'YYYY'), to_char(v_start, 'MM'));
    IF EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = v_schema AND c.relname = v_name) THEN
        RETURN format('%I.%I', v_schema, v_name);
    END IF;

    v_from := v_start::timestamp AT TIME ZONE 'UTC';
    v_to := (v_start + interval '1 month')::timestamp AT TIME ZONE 'UTC';

    SELECT format('%I.%I', dn.nspname, d.relname) INTO v_default
      FROM pg_partitioned_table p
      JOIN pg_class d ON d.oid = p.partdefid
      JOIN pg_namespace dn ON dn.oid = d.relnamespace
     WHERE p.partrelid = p_parent;

    EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)',
                   v_schema, v_name, p_parent);
    EXECUTE format('ALTER TABLE %I.%I ADD CONSTRAINT %I CHECK (%I >= %L AND %I < %L)',
                   v_schema, v_name, v_name || '_bounds_chk', v_column, v_from, v_column, v_to);
    IF v_default IS NOT NULL THEN
        EXECUTE format('WITH moved AS (DELETE FROM %s WHERE %I >= $1 AND %I < $2 RETURNING *) '
                       'INSERT INTO %I.%I SELECT * FROM moved',
                       v_default, v_column, v_column, v_schema, v_name)
          USING v_from, v_to;
    END IF;
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                   p_parent, v_schema, v_name, v_from, v_to);
    RETURN format('%I.%I', v_schema, v_name);
END
$$;

-- The live monthly-partitioned tables whose partitions are kept ahead (the archive's are not written
-- ahead of time). A table added later joins by appearing in this list.
CREATE OR REPLACE FUNCTION maintenance.live_partitioned_tables() RETURNS regclass[]
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog
AS $$
    SELECT ARRAY['public.rides'::regclass, 'vip_data.vip_location_history'::regclass, 'audit.audit_log'::regclass]
$$;

-- Runs ensure_partitions_ahead for every live partitioned table and reports the partitions it created
-- (rows that waited in a default partition move into their new month's partition on the way).
CREATE OR REPLACE FUNCTION maintenance.maintain_partitions(p_months_ahead integer DEFAULT 3)
    RETURNS TABLE (parent text, partitions_created integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_parent regclass;
    v_before integer;
BEGIN
    IF p_months_ahead IS NULL OR p_months_ahead NOT BETWEEN 1 AND 24 THEN
        RAISE EXCEPTION 'months ahead must be between 1 and 24' USING ERRCODE = '22023';
    END IF;
    -- A run triggered by hand may meet a scheduled one: the second waits instead of racing to create the same table.
    PERFORM pg_advisory_xact_lock(hashtextextended('maintenance.maintain_partitions', 0));
    FOREACH v_parent IN ARRAY maintenance.live_partitioned_tables() LOOP
        SELECT count(*) INTO v_before FROM pg_inherits WHERE inhparent = v_parent;
        PERFORM maintenance.ensure_partitions_ahead(v_parent, p_months_ahead);
        parent := v_parent::text;
        SELECT count(*) - v_before INTO partitions_created FROM pg_inherits WHERE inhparent = v_parent;
        RETURN NEXT;
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Role tree (spec, "User Roles Hierarchy")
--
-- An edge parent -> child is expressed as GRANT child TO parent: the parent may act as the child
-- (SET ROLE), never the other way round. Every group role is NOINHERIT, so a membership confers the
-- right to switch, not privileges: a vip_admin can switch into vip_operator, a vip_operator can never
-- gain vip_admin's writes, and authenticated_user holds nothing by itself. Roles belong to the cluster,
-- so they are created only when missing and every grant is repeatable.
-- anonymous_user is not in the tree: it is what unauthenticated requests run as (register, log in).
-- ---------------------------------------------------------------------------------------------
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY[
        'system_admin', 'audit_admin', 'compliance_officer', 'authenticated_user',
        'vip_admin', 'vip_operator', 'emergency_responder', 'fleet_admin', 'driver_user',
        'customer_user', 'support_agent', 'hotel_staff', 'anonymous_user']
    LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', r);
        END IF;
        EXECUTE format('ALTER ROLE %I NOLOGIN NOINHERIT', r);
    END LOOP;
END
$$;

GRANT audit_admin, compliance_officer, authenticated_user TO system_admin;

GRANT vip_admin, fleet_admin, driver_user, customer_user, support_agent, hotel_staff TO authenticated_user;

GRANT vip_operator, emergency_responder TO vip_admin;

COMMENT ON FUNCTION public.current_app_user_id() IS
    'The end user the current transaction acts for; NULL unless set by the trusted service login.';

COMMENT ON FUNCTION maintenance.create_monthly_partition(regclass, date) IS
    'Idempotently creates the UTC-month partition containing p_month, moving strays out of the default partition.';

COMMENT ON FUNCTION maintenance.ensure_partitions_ahead(regclass, integer) IS
    'Ensures a default partition and monthly partitions from the current UTC month to p_months_ahead months ahead.';

COMMENT ON FUNCTION public.current_driver_id() IS 'The calling driver''s drivers.id, or NULL.';

COMMENT ON FUNCTION public.current_fleet_company_id() IS 'The fleet company the calling fleet admin administers, or NULL.';

COMMENT ON FUNCTION public.current_hotel_id() IS 'The hotel the calling hotel staff member works for, or NULL.';

GRANT EXECUTE ON FUNCTION public.current_app_user_id(), public.current_driver_id(),
    public.current_fleet_company_id(), public.current_hotel_id() TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'app_backend') THEN
        CREATE ROLE app_backend LOGIN NOINHERIT;
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO app_backend', current_database());
END
$$;

GRANT authenticated_user, system_admin, anonymous_user TO app_backend;

ALTER ROLE app_backend NOINHERIT;

-- Runaway or forgotten transactions must not hold locks or connections for long.
ALTER ROLE app_backend SET idle_in_transaction_session_timeout = '60s';

-- db-scheduler polls, picks and reschedules on connections of its own, in its own short autocommit
-- statements — outside the service's transaction manager, so no SET LOCAL ROLE precedes them. The
-- runtime login therefore gets this one table directly: it holds only job names and due times, and a
-- direct grant keeps app_backend owning nothing and able to read nothing else on its own. The
-- alternative, a pool whose connections start with SET ROLE system_admin, would leave system-wide
-- rights on pooled connections outside any transaction. The job bodies themselves run through
-- SystemJobs.run(...), i.e. in transactions that act as system_admin.
GRANT USAGE ON SCHEMA maintenance TO app_backend;

GRANT SELECT, INSERT, UPDATE, DELETE ON maintenance.scheduled_tasks TO app_backend;

-- The rate limits' buckets are read and written the same way (Bucket4j's own short transactions,
-- before the request's first transaction begins), so the runtime login holds this table directly too.
GRANT SELECT, INSERT, UPDATE, DELETE ON maintenance.rate_limit_buckets TO app_backend;

GRANT USAGE ON SCHEMA maintenance TO system_admin, audit_admin;

GRANT SELECT, INSERT ON maintenance.job_runs TO system_admin;

GRANT UPDATE (finished_at, outcome, counts, error) ON maintenance.job_runs TO system_admin;

GRANT SELECT ON maintenance.job_runs TO audit_admin;

-- The scheduled jobs as operators read them: for each of db-scheduler's executions, when it is next due
-- and whether an instance holds it now, with the job's last recorded run and its runs and failures of the
-- last 24 hours. It runs with its reader's rights: they hold scheduled_tasks' names and times (granted
-- column by column below; task_data stays out), and each job's runs are read through
-- job_runs_job_started_idx, so the view costs one index probe per job however long the history grows.
CREATE OR REPLACE VIEW maintenance.job_overview WITH (security_invoker = true) AS
SELECT t.task_name AS job_name,
       t.task_instance,
       t.execution_time AS next_due_at,
       t.picked AS running,
       t.picked_by,
       t.last_success,
       t.last_failure,
       coalesce(t.consecutive_failures, 0) AS consecutive_failures,
       l.started_at AS last_started_at,
       l.finished_at AS last_finished_at,
       l.outcome AS last_outcome,
       l.error AS last_error,
       d.runs AS runs_24h,
       d.failures AS failures_24h
  FROM maintenance.scheduled_tasks t
  LEFT JOIN LATERAL (SELECT r.started_at, r.finished_at, r.outcome, r.error
                       FROM maintenance.job_runs r
                      WHERE r.job_name = t.task_name
                      ORDER BY r.started_at DESC
                      LIMIT 1) l ON true
  CROSS JOIN LATERAL (SELECT count(*) AS runs, count(*) FILTER (WHERE r.outcome = 'failed') AS failures
                        FROM maintenance.job_runs r
                       WHERE r.job_name = t.task_name AND r.started_at > now() - interval '24 hours') d;

COMMENT ON VIEW maintenance.job_overview IS
    'Each scheduled job: next due, running or not, last run and its outcome, runs and failures of the last 24 hours.';

-- Job names and due times only: no personal data, and nothing a job carries in task_data.
GRANT SELECT (task_name, task_instance, execution_time, picked, picked_by, last_success, last_failure,
              consecutive_failures, last_heartbeat)
    ON maintenance.scheduled_tasks TO system_admin, audit_admin;

GRANT SELECT ON maintenance.job_overview TO system_admin, audit_admin;

COMMENT ON FUNCTION maintenance.maintain_partitions(integer) IS
    'Creates missing monthly partitions of every live partitioned table from this UTC month to p_months_ahead ahead; '
    'returns how many each table got. Run by the partition-upkeep job.';

GRANT EXECUTE ON FUNCTION maintenance.maintain_partitions(integer) TO system_admin;

