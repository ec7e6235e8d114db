-- Part 22 — maintenance.vacuum_analyze_all() and maintenance.update_statistics(), callable with SELECT as
-- the spec shows, and their history.
--
-- VACUUM cannot run inside a transaction block, and so never inside a function. (A loopback dblink
-- session could, but dblink needs a superuser to install and, for a non-superuser, a password stored
-- for the loopback login; ANALYZE alone could run in the function but not as system_admin, who owns
-- no table.) So the functions ask the service's maintenance worker, which holds the owner's login —
-- the owner may vacuum every table of its database — and runs VACUUM outside any transaction:
--   1. the function draws a request number (nextval is visible to every session at once) and takes a
--      transaction-scoped advisory lock on (kind, request number). Locks show in pg_locks at once,
--      while rows the function inserted would stay invisible until its transaction commits;
--   2. a worker on some service instance sees the lock, claims the request by inserting its run into
--      maintenance.maintenance_runs (request_id is unique, so exactly one instance claims it; the
--      insert commits on its own, so the waiting function sees it), runs the work and records the end;
--   3. the function polls maintenance_runs (each statement of a VOLATILE function takes a new snapshot
--      under READ COMMITTED) and returns the outcome, or fails if no worker claims the request in time.
-- The waiting caller's snapshot is still open while the worker vacuums, so dead rows younger than the
-- call cannot be removed by that run (the scheduled run removes them).

CREATE TABLE maintenance.maintenance_runs (
    id                bigint      GENERATED ALWAYS AS IDENTITY,
    kind              text        NOT NULL,
    request_id        bigint,
    requested_by      text        NOT NULL,
    instance          text        NOT NULL,
    started_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at       timestamptz,
    outcome           text        NOT NULL DEFAULT 'running',
    tables_processed  integer     NOT NULL DEFAULT 0,
    error             text,
    CONSTRAINT maintenance_runs_pkey PRIMARY KEY (id),
    CONSTRAINT maintenance_runs_request_key UNIQUE (request_id),
    CONSTRAINT maintenance_runs_kind_chk CHECK (kind IN ('vacuum_analyze', 'analyze')),
    CONSTRAINT maintenance_runs_outcome_chk CHECK (outcome IN ('running', 'succeeded', 'failed')),
    CONSTRAINT maintenance_runs_finished_chk CHECK ((outcome = 'running') = (finished_at IS NULL)),
    CONSTRAINT maintenance_runs_error_chk CHECK ((outcome = 'failed') = (error IS NOT NULL)),
    CONSTRAINT maintenance_runs_tables_chk CHECK (tables_processed >= 0)
);
COMMENT ON TABLE maintenance.maintenance_runs IS
    'Every VACUUM ANALYZE / ANALYZE run over the database: asked for in SQL (request_id) or scheduled (NULL).';
COMMENT ON COLUMN maintenance.maintenance_runs.requested_by IS 'The database user whose SQL call asked for it, or the job name.';
CREATE INDEX maintenance_runs_started_idx ON maintenance.maintenance_runs (started_at DESC);
GRANT SELECT ON maintenance.maintenance_runs TO system_admin, audit_admin;

CREATE SEQUENCE maintenance.maintenance_request_seq AS integer CYCLE;
COMMENT ON SEQUENCE maintenance.maintenance_request_seq IS
    'Request numbers of SQL maintenance calls; the second key of their advisory lock (an int4).';

-- The advisory-lock keys the worker looks for: (kind code, request number).
CREATE FUNCTION maintenance.request_lock_kind(p_kind text) RETURNS integer
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog
AS $$
    SELECT CASE p_kind WHEN 'vacuum_analyze' THEN 727001 WHEN 'analyze' THEN 727002 END
$$;
COMMENT ON FUNCTION maintenance.request_lock_kind(text) IS
    'First advisory-lock key of a maintenance request of this kind (the worker polls pg_locks for it).';

-- The tables maintenance covers: every table the owner owns in the application's schemas; a
-- partitioned table stands for its partitions (VACUUM and ANALYZE recurse, and ANALYZE of the parent
-- gathers the whole-table statistics that autovacuum never collects for partitioned tables).
CREATE VIEW maintenance.maintained_tables WITH (security_invoker = true) AS
SELECT format('%I.%I', n.nspname, c.relname) AS table_name
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('public', 'vip_data', 'audit', 'analytics', 'archive', 'maintenance')
   AND c.relkind IN ('r', 'm', 'p') AND NOT c.relispartition
   AND c.relowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = 'vipride_owner');
COMMENT ON VIEW maintenance.maintained_tables IS 'What vacuum_analyze_all() and update_statistics() process.';

CREATE FUNCTION maintenance.request_maintenance(p_kind text, p_pickup_timeout interval, p_timeout interval)
    RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_request integer;
    v_run     maintenance.maintenance_runs%ROWTYPE;
    v_asked   timestamptz := clock_timestamp();
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RAISE EXCEPTION 'maintenance must be asked for in a READ COMMITTED transaction'
            USING ERRCODE = '25000', DETAIL = 'A snapshot that never changes would never see the worker''s answer.';
    END IF;
    IF maintenance.request_lock_kind(p_kind) IS NULL OR p_pickup_timeout IS NULL OR p_timeout IS NULL THEN
        RAISE EXCEPTION 'unknown maintenance kind "%" or no timeout', p_kind USING ERRCODE = '22023';
    END IF;
    v_request := nextval('maintenance.maintenance_request_seq');
    PERFORM pg_advisory_xact_lock(maintenance.request_lock_kind(p_kind), v_request);
    LOOP
        SELECT * INTO v_run FROM maintenance.maintenance_runs WHERE request_id = v_request;
        IF FOUND AND v_run.outcome = 'succeeded' THEN
            RETURN format('%s of %s tables by %s in %s s', replace(p_kind, '_', ' + '), v_run.tables_processed,
                          v_run.instance, round(extract(epoch FROM v_run.finished_at - v_run.started_at)::numeric, 1));
        ELSIF FOUND AND v_run.outcome = 'failed' THEN
            RAISE EXCEPTION 'maintenance run % failed: %', v_run.id, v_run.error USING ERRCODE = '58000';
        ELSIF NOT FOUND AND clock_timestamp() > v_asked + p_pickup_timeout THEN
            RAISE EXCEPTION 'no maintenance worker took request % within %', v_request, p_pickup_timeout
                USING ERRCODE = '57P03',
                      HINT = 'The service runs the worker (vipride.ops.maintenance.worker-enabled); without it, run vacuumdb --analyze.';
        ELSIF clock_timestamp() > v_asked + p_timeout THEN
            RAISE EXCEPTION 'maintenance request % is still running after %; see maintenance.maintenance_runs', v_request, p_timeout
                USING ERRCODE = '57014';
        END IF;
        PERFORM pg_sleep(0.1);
    END LOOP;
END
$$;
COMMENT ON FUNCTION maintenance.request_maintenance(text, interval, interval) IS
    'Asks the service''s maintenance worker to run VACUUM ANALYZE or ANALYZE over maintenance.maintained_tables and '
    'waits for the outcome.';

CREATE FUNCTION maintenance.vacuum_analyze_all() RETURNS text
    LANGUAGE sql
    SET search_path = pg_catalog
AS $$
    SELECT maintenance.request_maintenance('vacuum_analyze', interval '30 seconds', interval '2 hours')
$$;
COMMENT ON FUNCTION maintenance.vacuum_analyze_all() IS
    'VACUUM (ANALYZE) of every application table, run by the service''s maintenance worker outside any transaction; '
    'returns when it is done (spec: SELECT maintenance.vacuum_analyze_all()).';

CREATE FUNCTION maintenance.update_statistics() RETURNS text
    LANGUAGE sql
    SET search_path = pg_catalog
AS $$
    SELECT maintenance.request_maintenance('analyze', interval '30 seconds', interval '1 hour')
$$;
COMMENT ON FUNCTION maintenance.update_statistics() IS
    'ANALYZE of every application table, partitioned parents included, by the service''s maintenance worker '
    '(spec: SELECT maintenance.update_statistics()).';

GRANT EXECUTE ON FUNCTION maintenance.request_maintenance(text, interval, interval), maintenance.vacuum_analyze_all(),
    maintenance.update_statistics() TO system_admin;
