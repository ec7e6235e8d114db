-- Part 20 — cluster-safe scheduled jobs, their run history, and partition upkeep.
--
-- * maintenance.scheduled_tasks is db-scheduler's table (the library's PostgreSQL layout): every service
--   instance polls it and a due execution is picked by exactly one instance (an UPDATE … WHERE version =
--   the version it read; the loser's update matches no row).
-- * maintenance.job_runs is the operators' record of what every job did: one row per run, with its
--   outcome and counts.
-- * maintenance.maintain_partitions() keeps the monthly partitions of the live partitioned tables at least
--   three months ahead; monitoring.partition_coverage shows how far ahead each is covered.

-- ---------------------------------------------------------------------------------------------
-- db-scheduler's table
-- ---------------------------------------------------------------------------------------------
CREATE TABLE maintenance.scheduled_tasks (
    task_name             text        NOT NULL,
    task_instance         text        NOT NULL,
    task_data             bytea,
    execution_time        timestamptz NOT NULL,
    picked                boolean     NOT NULL,
    picked_by             text,
    last_success          timestamptz,
    last_failure          timestamptz,
    consecutive_failures  integer,
    last_heartbeat        timestamptz,
    version               bigint      NOT NULL,
    priority              smallint,
    CONSTRAINT scheduled_tasks_pkey PRIMARY KEY (task_name, task_instance)
);
COMMENT ON TABLE maintenance.scheduled_tasks IS
    'db-scheduler''s executions: when each job is next due and which service instance has picked it. No personal data.';
CREATE INDEX scheduled_tasks_execution_time_idx ON maintenance.scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat_idx ON maintenance.scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time_idx ON maintenance.scheduled_tasks (priority DESC, execution_time);

-- db-scheduler polls, picks and reschedules on connections of its own, in its own short autocommit
-- statements — outside the service's transaction manager, so no SET LOCAL ROLE precedes them. The
-- runtime login therefore gets this one table directly: it holds only job names and due times, and a
-- direct grant keeps app_backend owning nothing and able to read nothing else on its own. The
-- alternative, a pool whose connections start with SET ROLE system_admin, would leave system-wide
-- rights on pooled connections outside any transaction. The job bodies themselves run through
-- SystemJobs.run(...), i.e. in transactions that act as system_admin.
GRANT USAGE ON SCHEMA maintenance TO app_backend;
GRANT SELECT, INSERT, UPDATE, DELETE ON maintenance.scheduled_tasks TO app_backend;

-- ---------------------------------------------------------------------------------------------
-- Job run history
-- ---------------------------------------------------------------------------------------------
CREATE TABLE maintenance.job_runs (
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    job_name     text        NOT NULL,
    instance     text        NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at  timestamptz,
    outcome      text        NOT NULL DEFAULT 'running',
    counts       jsonb       NOT NULL DEFAULT '{}',
    error        text,
    CONSTRAINT job_runs_pkey PRIMARY KEY (id),
    CONSTRAINT job_runs_outcome_chk CHECK (outcome IN ('running', 'succeeded', 'failed')),
    CONSTRAINT job_runs_finished_chk CHECK ((outcome = 'running') = (finished_at IS NULL)),
    CONSTRAINT job_runs_error_chk CHECK ((outcome = 'failed') = (error IS NOT NULL)),
    CONSTRAINT job_runs_counts_chk CHECK (jsonb_typeof(counts) = 'object')
);
COMMENT ON TABLE maintenance.job_runs IS
    'One row per run of a scheduled or operator-triggered job: who ran it, when, the outcome and what it counted.';
COMMENT ON COLUMN maintenance.job_runs.instance IS 'The service instance (db-scheduler name) that ran the job.';
CREATE INDEX job_runs_job_started_idx ON maintenance.job_runs (job_name, started_at DESC);

GRANT USAGE ON SCHEMA maintenance TO system_admin, audit_admin;
GRANT SELECT, INSERT ON maintenance.job_runs TO system_admin;
GRANT UPDATE (finished_at, outcome, counts, error) ON maintenance.job_runs TO system_admin;
GRANT SELECT ON maintenance.job_runs TO audit_admin;

-- ---------------------------------------------------------------------------------------------
-- Partition upkeep
-- ---------------------------------------------------------------------------------------------
-- Part 01's create_monthly_partition, now also giving every new partition a CHECK constraint on its own
-- bounds (<partition>_bounds_chk), added while the table is still empty and so validated for free. A
-- table carrying it can be attached under another partitioned table without a scan: that is how
-- archive.archive_old_data moves a whole month into the archive under the shortest possible lock
-- (database/21_archive_and_retention.sql). Everything else is as before: idempotent, UTC month bounds,
-- strays moved out of the default partition before the new partition is attached.
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
CREATE FUNCTION maintenance.live_partitioned_tables() RETURNS regclass[]
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog
AS $$
    SELECT ARRAY['public.rides'::regclass, 'vip_data.vip_location_history'::regclass, 'audit.audit_log'::regclass]
$$;

-- Runs ensure_partitions_ahead for every live partitioned table and reports the partitions it created
-- (rows that waited in a default partition move into their new month's partition on the way).
CREATE FUNCTION maintenance.maintain_partitions(p_months_ahead integer DEFAULT 3)
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
COMMENT ON FUNCTION maintenance.maintain_partitions(integer) IS
    'Creates missing monthly partitions of every live partitioned table from this UTC month to p_months_ahead ahead; '
    'returns how many each table got. Run by the partition-upkeep job.';
GRANT EXECUTE ON FUNCTION maintenance.maintain_partitions(integer) TO system_admin;

-- How far ahead each partitioned table (outside the archive) is covered by monthly partitions:
-- months_ahead counts the consecutive whole UTC months after the current one that have a partition.
-- Rows in the default partition are strays waiting for their month (n_live_tup, an estimate).
CREATE VIEW monitoring.partition_coverage WITH (security_invoker = true) AS
WITH parents AS (
    SELECT p.partrelid AS parent, p.partdefid
      FROM pg_catalog.pg_partitioned_table p
      JOIN pg_catalog.pg_class c ON c.oid = p.partrelid
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE p.partstrat = 'r' AND n.nspname <> 'archive' AND NOT c.relispartition
), bounds AS (
    SELECT i.inhparent AS parent,
           (regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), 'FROM \(''([^'']+)''\)'))[1]::timestamptz AS lower_bound,
           (regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz AS upper_bound
      FROM pg_catalog.pg_inherits i
      JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
      JOIN parents p ON p.parent = i.inhparent
     WHERE c.relpartbound IS NOT NULL AND pg_catalog.pg_get_expr(c.relpartbound, c.oid) <> 'DEFAULT'
), this_month AS (
    SELECT date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS start
), coverage AS (
    SELECT p.parent,
           (SELECT count(*) FROM bounds b WHERE b.parent = p.parent) AS partitions,
           (SELECT max(b.upper_bound) FROM bounds b WHERE b.parent = p.parent) AS last_partition_ends,
           EXISTS (SELECT FROM bounds b, this_month t
                    WHERE b.parent = p.parent AND b.lower_bound <= t.start AND b.upper_bound > t.start) AS current_month_covered,
           (SELECT coalesce(min(m.n) - 1, 24)
              FROM this_month t, generate_series(1, 24) AS m(n)
             WHERE NOT EXISTS (SELECT FROM bounds b
                                WHERE b.parent = p.parent
                                  AND b.lower_bound <= t.start + make_interval(months => m.n)
                                  AND b.upper_bound >= t.start + make_interval(months => m.n + 1))) AS months_ahead,
           p.partdefid
      FROM parents p
)
SELECT format('%I.%I', n.nspname, pc.relname) AS table_name,
       c.partitions,
       c.current_month_covered,
       c.months_ahead,
       c.last_partition_ends,
       c.partdefid <> 0 AS has_default_partition,
       coalesce(s.n_live_tup, 0) AS rows_in_default_estimate,
       CASE WHEN NOT c.current_month_covered OR c.months_ahead = 0 THEN 'critical'
            WHEN c.months_ahead < 3 OR coalesce(s.n_live_tup, 0) > 0 THEN 'warning'
            ELSE 'ok' END AS severity,
       now() AS checked_at
  FROM coverage c
  JOIN pg_catalog.pg_class pc ON pc.oid = c.parent
  JOIN pg_catalog.pg_namespace n ON n.oid = pc.relnamespace
  LEFT JOIN pg_catalog.pg_stat_all_tables s ON s.relid = c.partdefid;
COMMENT ON VIEW monitoring.partition_coverage IS
    'Each partitioned table and how many months past the current UTC month its partitions cover: critical without '
    'the current or next month, warning under three months ahead or with rows waiting in the default partition.';
GRANT USAGE ON SCHEMA monitoring TO system_admin, audit_admin;
GRANT SELECT ON monitoring.partition_coverage TO system_admin, audit_admin;
