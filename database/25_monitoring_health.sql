-- Part 25 — monitoring.database_health and monitoring.performance_metrics (spec: "Health Monitoring").
--
-- Both are views over SECURITY DEFINER functions, for one reason: the statistics that matter here
-- (other sessions' queries and lock waits in pg_stat_activity, every user's statements in
-- pg_stat_statements) are shown only to members of pg_read_all_stats. The group roles are NOINHERIT,
-- so a membership would give system_admin or audit_admin nothing; instead the owner holds
-- pg_read_all_stats and the functions hand out a fixed, curated set of columns (no client addresses,
-- query texts cut to 200 characters). Only system_admin and audit_admin may call them.
--
-- Severities: ok / warning / critical, from thresholds in monitoring.health_thresholds that
-- system_admin may tune. The service's /actuator/health reports DOWN only for critical rows of
-- monitoring.database_health.

-- pg_read_all_stats for the owner of the monitoring functions. On PostgreSQL 15 a CREATEROLE role may
-- grant it; from 16 on only a holder of its ADMIN OPTION may, so there a superuser runs
-- GRANT pg_read_all_stats TO vipride_owner once (README, "Monitoring"). Until then the views still work
-- but see other sessions' queries only as "<insufficient privilege>" (reported by a warning row).
DO $$
BEGIN
    IF NOT pg_catalog.pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') THEN
        BEGIN
            EXECUTE format('GRANT pg_read_all_stats TO %I', current_user);
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE WARNING 'monitoring: % cannot grant itself pg_read_all_stats; a superuser should run GRANT pg_read_all_stats TO %',
                current_user, current_user;
        END;
    END IF;
END
$$;

CREATE TABLE monitoring.health_thresholds (
    check_name       text    NOT NULL,
    warning_at       numeric,
    critical_at      numeric,
    higher_is_worse  boolean NOT NULL DEFAULT true,
    unit             text    NOT NULL,
    description      text    NOT NULL,
    CONSTRAINT health_thresholds_pkey PRIMARY KEY (check_name),
    CONSTRAINT health_thresholds_order_chk CHECK (warning_at IS NULL OR critical_at IS NULL
        OR (higher_is_worse AND critical_at >= warning_at) OR (NOT higher_is_worse AND critical_at <= warning_at))
);
COMMENT ON TABLE monitoring.health_thresholds IS
    'Where a monitored value turns warning or critical. NULL: never. Tuned by system_admin; critical rows of database_health make the service''s health DOWN.';

INSERT INTO monitoring.health_thresholds (check_name, warning_at, critical_at, higher_is_worse, unit, description) VALUES
    ('database_size', NULL, NULL, true, 'bytes', 'Size of this database; set thresholds to match the disk.'),
    ('connections', 80, 95, true, 'percent', 'Connections of the whole server against max_connections (reserved superuser slots excluded).'),
    ('cache_hit_ratio', 95, NULL, false, 'percent', 'Share of block reads served from shared buffers; judged once 10,000 blocks were read.'),
    ('xid_wraparound', 40, 75, true, 'percent', 'Age of the oldest unfrozen transaction id against the 2^31 wraparound limit.'),
    ('replication_lag', 30, 300, true, 'seconds', 'Replay lag of each streaming replica (or of this server, when it is a standby).'),
    ('dead_tuples', 20, NULL, true, 'percent', 'Dead rows of a table (with over 10,000 rows) against all its rows; autovacuum is behind.'),
    ('long_running_query', 60, 900, true, 'seconds', 'A statement of this database running for this long.'),
    ('idle_in_transaction', 60, 600, true, 'seconds', 'A transaction left open without work: it holds locks and stops vacuum.'),
    ('blocked_query', 10, 120, true, 'seconds', 'A statement waiting this long for a lock another session holds.'),
    ('slow_statement', 500, NULL, true, 'ms', 'Mean execution time of a statement in pg_stat_statements.'),
    ('unused_index', 10485760, NULL, true, 'bytes', 'Size of a never-used, non-unique index since statistics were reset.'),
    ('sequential_scans', 10000, NULL, true, 'rows', 'Live rows of a table that is read mostly by sequential scans.');

GRANT SELECT ON monitoring.health_thresholds TO system_admin, audit_admin;
GRANT UPDATE (warning_at, critical_at) ON monitoring.health_thresholds TO system_admin;

-- The severity of a value against its check's thresholds.
CREATE FUNCTION monitoring.severity(p_check text, p_value numeric) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT CASE
               WHEN p_value IS NULL THEN 'ok'
               WHEN t.critical_at IS NOT NULL
                    AND (CASE WHEN t.higher_is_worse THEN p_value >= t.critical_at ELSE p_value <= t.critical_at END)
                   THEN 'critical'
               WHEN t.warning_at IS NOT NULL
                    AND (CASE WHEN t.higher_is_worse THEN p_value >= t.warning_at ELSE p_value <= t.warning_at END)
                   THEN 'warning'
               ELSE 'ok'
           END
      FROM monitoring.health_thresholds t
     WHERE t.check_name = p_check
$$;

-- ---------------------------------------------------------------------------------------------
-- monitoring.database_health
-- One row per check of the server or this database; one row per offending session or table for the
-- per-object checks (long-running, idle-in-transaction and blocked sessions; tables with many dead rows),
-- so an empty list of offenders still shows a single "ok" row for the check.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION monitoring.database_health_rows()
    RETURNS TABLE (check_name text, object text, value numeric, unit text, warning_at numeric, critical_at numeric,
                   severity text, since timestamptz, observed_at timestamptz, detail text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
WITH settings AS (
    SELECT clock_timestamp() AS now,
           current_setting('max_connections')::numeric - current_setting('superuser_reserved_connections')::numeric
               AS max_conn
), checks (check_name, object, value, since, detail) AS (
    SELECT 'database_size', current_database()::text, pg_database_size(current_database())::numeric, NULL::timestamptz,
           pg_size_pretty(pg_database_size(current_database()))
    UNION ALL
    SELECT 'connections', 'server', round(100 * count(*) / max(st.max_conn), 1), NULL,
           format('%s of %s connections in use (%s in this database, %s active)', count(*), max(st.max_conn),
                  count(*) FILTER (WHERE a.datname = current_database()), count(*) FILTER (WHERE a.state = 'active'))
      FROM pg_stat_activity a, settings st
     WHERE a.backend_type = 'client backend'
    UNION ALL
    SELECT 'cache_hit_ratio', d.datname::text,
           CASE WHEN d.blks_hit + d.blks_read >= 10000 THEN round(100.0 * d.blks_hit / (d.blks_hit + d.blks_read), 2) END,
           d.stats_reset,
           format('%s blocks from cache, %s read from disk since statistics were reset', d.blks_hit, d.blks_read)
      FROM pg_stat_database d
     WHERE d.datname = current_database()
    UNION ALL
    SELECT 'xid_wraparound', d.datname::text, round(100.0 * age(d.datfrozenxid) / 2147483648, 2), NULL,
           format('oldest unfrozen transaction id is %s transactions old (autovacuum_freeze_max_age %s)',
                  age(d.datfrozenxid), current_setting('autovacuum_freeze_max_age'))
      FROM pg_database d
     WHERE d.datname = current_database()
    UNION ALL
    SELECT 'replication_lag', 'this standby',
           round(extract(epoch FROM st.now - pg_last_xact_replay_timestamp())::numeric, 1),
           pg_last_xact_replay_timestamp(), 'time since the last transaction replayed from the primary'
      FROM settings st
     WHERE pg_is_in_recovery()
    UNION ALL
    SELECT 'replication_lag', coalesce(r.application_name, '') || ' ' || coalesce(host(r.client_addr), 'local'),
           round(extract(epoch FROM coalesce(r.replay_lag, interval '0'))::numeric, 1), r.backend_start,
           format('replica %s, state %s, sync %s', r.application_name, r.state, r.sync_state)
      FROM pg_stat_replication r
    UNION ALL
    SELECT 'dead_tuples', s.schemaname || '.' || s.relname, round(100.0 * s.n_dead_tup / (s.n_live_tup + s.n_dead_tup), 1),
           greatest(s.last_autovacuum, s.last_vacuum),
           format('%s dead of %s rows; last vacuum %s', s.n_dead_tup, s.n_live_tup + s.n_dead_tup,
                  coalesce(greatest(s.last_autovacuum, s.last_vacuum)::text, 'never'))
      FROM pg_stat_user_tables s
     WHERE s.n_live_tup + s.n_dead_tup > 10000
       AND monitoring.severity('dead_tuples', round(100.0 * s.n_dead_tup / (s.n_live_tup + s.n_dead_tup), 1)) <> 'ok'
    UNION ALL
    SELECT x.check_name, 'pid ' || x.pid, round(extract(epoch FROM st.now - x.since)::numeric, 1), x.since,
           format('%s as %s (%s): %s', x.state, x.usename, x.client, x.query)
      FROM (SELECT CASE WHEN a.state = 'active' THEN 'long_running_query' ELSE 'idle_in_transaction' END AS check_name,
                   a.pid, a.state, a.usename, coalesce(nullif(a.application_name, ''), a.backend_type) AS client,
                   CASE WHEN a.state = 'active' THEN a.query_start ELSE a.state_change END AS since,
                   left(regexp_replace(a.query, '\s+', ' ', 'g'), 200) AS query
              FROM pg_stat_activity a
             WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.backend_type = 'client backend'
               AND (a.state = 'active' OR a.state LIKE 'idle in transaction%')) x, settings st
     WHERE monitoring.severity(x.check_name, extract(epoch FROM st.now - x.since)::numeric) <> 'ok'
    UNION ALL
    SELECT 'blocked_query', 'pid ' || a.pid, round(extract(epoch FROM st.now - w.waitstart)::numeric, 1), w.waitstart,
           format('waits for a %s lock held by pid %s, as %s: %s', w.mode, array_to_string(pg_blocking_pids(a.pid), ', '),
                  a.usename, left(regexp_replace(a.query, '\s+', ' ', 'g'), 200))
      FROM pg_stat_activity a
      CROSS JOIN settings st
      JOIN LATERAL (SELECT min(l.waitstart) AS waitstart, min(l.mode) AS mode
                      FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted) w ON w.waitstart IS NOT NULL
     WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND cardinality(pg_blocking_pids(a.pid)) > 0
)
SELECT c.check_name, c.object, c.value, t.unit, t.warning_at, t.critical_at, monitoring.severity(c.check_name, c.value),
       c.since, st.now, c.detail
  FROM checks c
  JOIN monitoring.health_thresholds t ON t.check_name = c.check_name
 CROSS JOIN settings st
UNION ALL
-- A per-object check with no offender is one "ok" row, so every check is always listed.
SELECT t.check_name, NULL, NULL, t.unit, t.warning_at, t.critical_at, 'ok', NULL, st.now, 'no offender'
  FROM monitoring.health_thresholds t
 CROSS JOIN settings st
 WHERE t.check_name IN ('replication_lag', 'dead_tuples', 'long_running_query', 'idle_in_transaction', 'blocked_query')
   AND NOT EXISTS (SELECT FROM checks c WHERE c.check_name = t.check_name)
UNION ALL
SELECT 'statistics_access', current_user::text, NULL, NULL, NULL, NULL, 'warning', NULL, st.now,
       format('%s lacks pg_read_all_stats: other sessions'' queries and lock waits are hidden', current_user)
  FROM settings st
 WHERE NOT pg_has_role(current_user, 'pg_read_all_stats', 'USAGE')
$$;
COMMENT ON FUNCTION monitoring.database_health_rows() IS
    'SECURITY DEFINER: reads other sessions'' activity and lock waits with the owner''s pg_read_all_stats; returns only curated columns.';
REVOKE ALL ON FUNCTION monitoring.database_health_rows() FROM PUBLIC;
REVOKE ALL ON FUNCTION monitoring.severity(text, numeric) FROM PUBLIC;

CREATE VIEW monitoring.database_health WITH (security_invoker = true) AS
SELECT h.check_name, h.object, h.value, h.unit, h.warning_at, h.critical_at, h.severity, h.since, h.observed_at, h.detail
  FROM monitoring.database_health_rows() h;
COMMENT ON VIEW monitoring.database_health IS
    'Spec: SELECT * FROM monitoring.database_health. Size, connections, cache hit ratio, wraparound, replication lag, dead rows, long-running, idle-in-transaction and blocked sessions, each with a severity.';

-- ---------------------------------------------------------------------------------------------
-- monitoring.performance_metrics
-- pg_stat_statements may be missing (an external server that does not preload it): the statements are
-- then read through dynamic SQL only when the extension exists and answers, and a warning row says so.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION monitoring.performance_metrics_rows()
    RETURNS TABLE (metric text, object text, calls bigint, total_ms numeric, mean_ms numeric, row_count bigint,
                   value numeric, unit text, severity text, observed_at timestamptz, detail text)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_now     timestamptz := clock_timestamp();
    v_schema  name := (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
                        WHERE e.extname = 'pg_stat_statements');
    v_unit    text := (SELECT t.unit FROM monitoring.health_thresholds t WHERE t.check_name = 'slow_statement');
BEGIN
    IF v_schema IS NULL THEN
        RETURN QUERY SELECT 'statements_unavailable'::text, NULL::text, NULL::bigint, NULL::numeric, NULL::numeric,
                            NULL::bigint, NULL::numeric, NULL::text, 'warning'::text, v_now,
                            'pg_stat_statements is not installed: add it to shared_preload_libraries and create the extension'::text;
    ELSE
        BEGIN
            RETURN QUERY EXECUTE format($q$
                WITH s AS (
                    SELECT s.queryid, s.calls, s.total_exec_time, s.mean_exec_time, s.rows, r.rolname,
                           left(regexp_replace(s.query, '\s+', ' ', 'g'), 200) AS query
                      FROM %I.pg_stat_statements s
                      LEFT JOIN pg_roles r ON r.oid = s.userid
                     WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()))
                SELECT 'slowest_statement'::text, 'queryid ' || x.queryid, x.calls, round(x.total_exec_time::numeric, 2),
                       round(x.mean_exec_time::numeric, 3), x.rows, round(x.mean_exec_time::numeric, 3), $2,
                       monitoring.severity('slow_statement', x.mean_exec_time::numeric), $1,
                       format('as %%s: %%s', x.rolname, x.query)
                  FROM (SELECT * FROM s ORDER BY s.mean_exec_time DESC LIMIT 10) x
                UNION ALL
                SELECT 'most_frequent_statement', 'queryid ' || x.queryid, x.calls, round(x.total_exec_time::numeric, 2),
                       round(x.mean_exec_time::numeric, 3), x.rows, x.calls, 'calls', 'ok', $1,
                       format('as %%s: %%s', x.rolname, x.query)
                  FROM (SELECT * FROM s ORDER BY s.calls DESC LIMIT 10) x$q$, v_schema)
                USING v_now, v_unit;
        EXCEPTION WHEN object_not_in_prerequisite_state OR insufficient_privilege OR undefined_table THEN
            RETURN QUERY SELECT 'statements_unavailable'::text, NULL::text, NULL::bigint, NULL::numeric, NULL::numeric,
                                NULL::bigint, NULL::numeric, NULL::text, 'warning'::text, v_now,
                                ('pg_stat_statements cannot be read: ' || SQLERRM)::text;
        END;
    END IF;

    RETURN QUERY
    SELECT 'unused_index'::text, s.schemaname || '.' || s.indexrelname, s.idx_scan, NULL::numeric, NULL::numeric,
           NULL::bigint, pg_relation_size(s.indexrelid)::numeric, 'bytes'::text,
           monitoring.severity('unused_index', pg_relation_size(s.indexrelid)::numeric), v_now,
           format('never scanned since statistics were reset; %s on %s.%s', pg_size_pretty(pg_relation_size(s.indexrelid)),
                  s.schemaname, s.relname)
      FROM pg_stat_user_indexes s
      JOIN pg_index i ON i.indexrelid = s.indexrelid
     WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary
       AND s.schemaname NOT IN ('pg_catalog', 'information_schema')
    UNION ALL
    SELECT 'index_usage', s.schemaname || '.' || s.relname, s.idx_scan + s.seq_scan, NULL, NULL, s.n_live_tup,
           round(100.0 * s.idx_scan / (s.idx_scan + s.seq_scan), 1), 'percent of scans by index', 'ok', v_now,
           format('%s index scans, %s sequential scans', s.idx_scan, s.seq_scan)
      FROM pg_stat_user_tables s
     WHERE s.idx_scan + s.seq_scan > 0 AND s.idx_scan IS NOT NULL
    UNION ALL
    SELECT 'sequential_scans', s.schemaname || '.' || s.relname, s.seq_scan, NULL, NULL, s.n_live_tup,
           s.n_live_tup::numeric, 'rows', monitoring.severity('sequential_scans', s.n_live_tup::numeric), v_now,
           format('%s sequential scans read %s rows, against %s index scans', s.seq_scan, s.seq_tup_read,
                  coalesce(s.idx_scan, 0))
      FROM pg_stat_user_tables s
     WHERE s.seq_scan > coalesce(s.idx_scan, 0) AND s.seq_scan > 0;
END
$$;
COMMENT ON FUNCTION monitoring.performance_metrics_rows() IS
    'SECURITY DEFINER: reads every user''s statements in pg_stat_statements (when loaded) with the owner''s pg_read_all_stats.';
REVOKE ALL ON FUNCTION monitoring.performance_metrics_rows() FROM PUBLIC;

CREATE VIEW monitoring.performance_metrics WITH (security_invoker = true) AS
SELECT p.metric, p.object, p.calls, p.total_ms, p.mean_ms, p.row_count, p.value, p.unit, p.severity, p.observed_at, p.detail
  FROM monitoring.performance_metrics_rows() p;
COMMENT ON VIEW monitoring.performance_metrics IS
    'Spec: SELECT * FROM monitoring.performance_metrics. Slowest and most frequent statements (pg_stat_statements, when loaded), index usage, unused indexes, tables read mostly by sequential scans.';

GRANT EXECUTE ON FUNCTION monitoring.database_health_rows(), monitoring.performance_metrics_rows()
    TO system_admin, audit_admin;
GRANT SELECT ON monitoring.database_health, monitoring.performance_metrics TO system_admin, audit_admin;
