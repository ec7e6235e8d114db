-- R__12_ops.sql — operations: archiving and retention (archive_old_data moves whole old partitions by
-- detach and attach, straddling rows in batches, dependants first, all in the caller's transaction),
-- vacuum and statistics through the service's maintenance worker (VACUUM cannot run in a function),
-- health and performance views over SECURITY DEFINER functions (a curated set of columns of the
-- statistics only pg_read_all_stats may read), security alerts and privilege drift against a recorded
-- baseline.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'archive.retention_rules',
    'archive.rides',
    'archive.payments',
    'archive.ride_earnings',
    'archive.hotel_bookings',
    'archive.audit_log',
    'maintenance.maintenance_runs',
    'archive.ride_offers',
    'archive.refunds',
    'archive.payment_disputes',
    'archive.processor_events',
    'monitoring.health_thresholds',
    'monitoring.privilege_baseline');

-- ---------------------------------------------------------------------------------------------
-- monitoring.security_alerts
-- Each source is an invoker-rights function: a reader without privilege on the source gets no rows
-- from it (instead of an error for the whole view); a reader with privilege gets the rows their own
-- row-level security allows.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION monitoring.geofence_alert_signals()
    RETURNS TABLE (alert_time timestamptz, severity text, category text, subject_user_id uuid, detail text,
                   reference text)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT (has_schema_privilege('vip_data', 'USAGE')
            AND has_table_privilege('vip_data.security_alerts', 'SELECT')) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT a.raised_at, a.severity, a.kind, a.vip_user_id,
           format('%s (geofence %s): %s time(s), last at %s',
                  CASE a.kind WHEN 'geofence_exit_safe' THEN 'Left a safe zone' ELSE 'Entered a restricted zone' END,
                  a.geofence_id, a.occurrences, a.last_seen_at),
           'security_alert:' || a.id
      FROM vip_data.security_alerts a
     WHERE a.acknowledged_at IS NULL;
END
$$;

CREATE OR REPLACE FUNCTION monitoring.emergency_alert_signals()
    RETURNS TABLE (alert_time timestamptz, severity text, category text, subject_user_id uuid, detail text,
                   reference text)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT (has_schema_privilege('vip_data', 'USAGE')
            AND has_table_privilege('vip_data.emergency_incidents', 'SELECT')) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT i.opened_at, CASE WHEN i.severity >= 4 THEN 'critical' ELSE 'high' END, 'emergency_override'::text,
           i.vip_user_id,
           format('Open %s emergency, severity %s; responders may access the VIP''s data until %s',
                  i.kind, i.severity, i.access_expires_at),
           'emergency_incident:' || i.id
      FROM vip_data.emergency_incidents i
     WHERE i.status = 'open';
END
$$;

CREATE OR REPLACE FUNCTION monitoring.auth_alert_signals()
    RETURNS TABLE (alert_time timestamptz, severity text, category text, subject_user_id uuid, detail text,
                   reference text)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT (has_schema_privilege('audit', 'USAGE')
            AND has_column_privilege('audit.auth_events', 'id', 'SELECT')
            AND has_column_privilege('audit.auth_events', 'user_id', 'SELECT')
            AND has_column_privilege('audit.auth_events', 'event', 'SELECT')
            AND has_column_privilege('audit.auth_events', 'occurred_at', 'SELECT')) THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT e.occurred_at, 'medium'::text, 'account_locked'::text, e.user_id,
           'Account locked after repeated wrong passwords'::text, 'auth_event:' || e.id
      FROM audit.auth_events e
     WHERE e.event = 'account_locked' AND e.occurred_at > now() - interval '24 hours'
    UNION ALL
    SELECT max(e.occurred_at), CASE WHEN count(*) >= 10 THEN 'high' ELSE 'low' END, 'login_failures'::text, e.user_id,
           format('%s failed logins in the last hour', count(*)), NULL::text
      FROM audit.auth_events e
     WHERE e.event = 'login_failed' AND e.occurred_at > now() - interval '1 hour' AND e.user_id IS NOT NULL
     GROUP BY e.user_id
    HAVING count(*) >= 3
    UNION ALL
    SELECT e.occurred_at, 'high'::text, 'refresh_token_reused'::text, e.user_id,
           'A used refresh token was presented again; the whole session was revoked'::text, 'auth_event:' || e.id
      FROM audit.auth_events e
     WHERE e.event = 'refresh_token_reused' AND e.occurred_at > now() - interval '24 hours';
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Helpers (owner only)
-- ---------------------------------------------------------------------------------------------
-- The live table and time column of each data class in archive.retention_rules.
CREATE OR REPLACE FUNCTION archive.data_class_table(p_data_class text, OUT live_table regclass, OUT time_column text)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
AS $$
BEGIN
    SELECT c.live_table, c.time_column INTO live_table, time_column
      FROM (VALUES ('rides', 'public.rides'::regclass, 'requested_at'),
                   ('payments', 'public.payments'::regclass, 'created_at'),
                   ('audit_log', 'audit.audit_log'::regclass, 'timestamp'),
                   ('vip_location_history', 'vip_data.vip_location_history'::regclass, 'recorded_at'),
                   ('auth_events', 'audit.auth_events'::regclass, 'occurred_at')) AS c(data_class, live_table, time_column)
     WHERE c.data_class = p_data_class;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown data class "%"', p_data_class
            USING ERRCODE = '22023',
                  HINT = 'One of: rides, payments, audit_log (archived); vip_location_history, auth_events (deleted).';
    END IF;
END
$$;

-- Refuses to move rows between tables whose columns differ (a column added to a live table later must be
-- added to its archive table too), instead of failing half-way with a less helpful error.
CREATE OR REPLACE FUNCTION archive.assert_same_shape(p_live regclass, p_archive regclass) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
AS $$
BEGIN
    IF EXISTS (
        (SELECT attname, atttypid FROM pg_attribute WHERE attrelid = p_live AND attnum > 0 AND NOT attisdropped
          EXCEPT SELECT attname, atttypid FROM pg_attribute WHERE attrelid = p_archive AND attnum > 0 AND NOT attisdropped)
        UNION ALL
        (SELECT attname, atttypid FROM pg_attribute WHERE attrelid = p_archive AND attnum > 0 AND NOT attisdropped
          EXCEPT SELECT attname, atttypid FROM pg_attribute WHERE attrelid = p_live AND attnum > 0 AND NOT attisdropped)) THEN
        RAISE EXCEPTION '% and % no longer have the same columns', p_archive, p_live
            USING ERRCODE = '42P16', HINT = 'Add the live table''s new columns to the archive table in a migration.';
    END IF;
END
$$;

-- Moves (or, with no target, deletes) the rows of one plain table or leaf partition matching p_condition,
-- p_batch rows per statement; returns how many. Each batch is one DELETE … RETURNING feeding an INSERT,
-- so a row is either still in the source or already in the target.
CREATE OR REPLACE FUNCTION archive.move_rows(p_source regclass, p_target regclass, p_condition text, p_batch integer)
    RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    v_total bigint := 0;
    v_moved bigint;
    v_sql   text;
BEGIN
    v_sql := CASE WHEN p_target IS NULL THEN
                 format('DELETE FROM ONLY %s WHERE ctid = ANY (ARRAY(SELECT ctid FROM ONLY %s WHERE %s LIMIT %s))',
                        p_source, p_source, p_condition, p_batch)
             ELSE
                 format('WITH moved AS (DELETE FROM ONLY %s WHERE ctid = ANY (ARRAY(SELECT ctid FROM ONLY %s WHERE %s LIMIT %s)) '
                        'RETURNING *) INSERT INTO %s SELECT * FROM moved',
                        p_source, p_source, p_condition, p_batch, p_target)
             END;
    LOOP
        EXECUTE v_sql;
        GET DIAGNOSTICS v_moved = ROW_COUNT;
        v_total := v_total + v_moved;
        EXIT WHEN v_moved < p_batch;
    END LOOP;
    RETURN v_total;
END
$$;

-- The monthly partitions of a partitioned table with their bounds (the default partition has none).
CREATE OR REPLACE FUNCTION archive.partitions_of(p_parent regclass)
    RETURNS TABLE (partition regclass, lower_bound timestamptz, upper_bound timestamptz)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT c.oid::regclass,
           (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''([^'']+)''\)'))[1]::timestamptz,
           (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = p_parent
     ORDER BY 2 NULLS FIRST
$$;

-- Runs one DDL statement that needs a strong lock on a live table with a 100 ms lock_timeout, retrying
-- with a short pause for up to p_attempts tries: the request never queues readers behind it for longer
-- than that, and a busy table is retried rather than failed at once.
CREATE OR REPLACE FUNCTION archive.run_with_lock_retry(p_ddl text, p_attempts integer DEFAULT 100) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    v_previous text := current_setting('lock_timeout');
BEGIN
    FOR v_attempt IN 1 .. p_attempts LOOP
        BEGIN
            PERFORM set_config('lock_timeout', '100ms', true);
            EXECUTE p_ddl;
            PERFORM set_config('lock_timeout', v_previous, true);
            RETURN;
        EXCEPTION WHEN lock_not_available THEN
            PERFORM set_config('lock_timeout', v_previous, true);
            PERFORM pg_sleep(0.05 + random() * 0.15);
        END;
    END LOOP;
    RAISE EXCEPTION 'could not take the lock for "%" in % attempts: the table stayed busy', p_ddl, p_attempts
        USING ERRCODE = '55P03';
END
$$;

-- ---------------------------------------------------------------------------------------------
-- archive.archive_old_data
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION archive.archive_old_data(p_table text, p_months integer, p_batch_size integer DEFAULT 10000)
    RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_live        regclass;
    v_column      text;
    v_name        text;
    v_archive     regclass;
    v_cutoff      timestamptz;
    v_counts      jsonb := '{}';
    v_moved       bigint := 0;
    v_partitions  integer := 0;
    v_dependant   record;
    v_part        record;
    v_month       timestamptz;
    v_whole       regclass[] := '{}';
    v_existing    regclass;
    v_check       text;
    v_n           bigint;
BEGIN
    -- 0 months means everything before now (the archive-rides benchmark moves a whole table so).
    IF p_months IS NULL OR p_months < 0 OR p_batch_size IS NULL OR p_batch_size < 1 THEN
        RAISE EXCEPTION 'months must not be negative and the batch size must be positive' USING ERRCODE = '22023';
    END IF;
    SELECT live_table, time_column INTO v_live, v_column FROM archive.data_class_table(p_table);
    v_name := (SELECT relname FROM pg_class WHERE oid = v_live);
    v_archive := to_regclass(format('archive.%I', v_name));
    IF v_archive IS NULL THEN
        RAISE EXCEPTION '% is deleted after its retention period, not archived', p_table
            USING ERRCODE = '22023', HINT = 'archive.apply_retention() applies the delete rules.';
    END IF;
    PERFORM archive.assert_same_shape(v_live, v_archive);
    -- One archiver per table at a time (the job on another instance, an operator in psql).
    PERFORM pg_advisory_xact_lock(hashtextextended('archive.archive_old_data:' || v_live::text, 0));
    v_cutoff := now() - make_interval(months => p_months);

    -- 1. Dependants first: a row whose foreign key points at an archived row moves to its own archive
    --    table. The key includes the partition column, so "that column < cut-off" selects exactly them.
    FOR v_dependant IN
        SELECT c.conrelid::regclass AS dependant, dc.relname, a.attname AS time_key
          FROM pg_constraint c
          JOIN pg_class dc ON dc.oid = c.conrelid
          JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attname = v_column
          JOIN LATERAL unnest(c.confkey, c.conkey) AS k(referenced, referencing) ON k.referenced = ra.attnum
          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.referencing
         WHERE c.contype = 'f' AND c.confrelid = v_live AND c.conparentid = 0
         ORDER BY 2
    LOOP
        IF to_regclass(format('archive.%I', v_dependant.relname)) IS NULL THEN
            EXECUTE format('SELECT count(*) FROM %s WHERE %I < $1', v_dependant.dependant, v_dependant.time_key)
               INTO v_n USING v_cutoff;
            IF v_n > 0 THEN
                RAISE EXCEPTION '% rows of % still reference % older than the cut-off, and % has no archive table',
                                v_n, v_dependant.dependant, v_live, v_dependant.dependant
                    USING ERRCODE = '23503', HINT = 'Create archive.' || v_dependant.relname || ' (same shape) in a migration.';
            END IF;
            CONTINUE;
        END IF;
        PERFORM archive.assert_same_shape(v_dependant.dependant, format('archive.%I', v_dependant.relname)::regclass);
        v_n := archive.move_rows(v_dependant.dependant, format('archive.%I', v_dependant.relname)::regclass,
                                 format('%I < %L', v_dependant.time_key, v_cutoff), p_batch_size);
        v_counts := v_counts || jsonb_build_object(v_dependant.relname, v_n);
    END LOOP;

    IF NOT EXISTS (SELECT FROM pg_partitioned_table WHERE partrelid = v_live) THEN
        -- 2a. A plain table: rows move in batches.
        v_moved := archive.move_rows(v_live, v_archive, format('%I < %L', v_column, v_cutoff), p_batch_size);
    ELSE
        FOR v_part IN SELECT * FROM archive.partitions_of(v_live) LOOP
            IF v_part.upper_bound IS NOT NULL AND v_part.upper_bound <= v_cutoff THEN
                v_whole := v_whole || v_part.partition;
            ELSIF v_name <> 'audit_log' AND (v_part.lower_bound IS NULL OR v_part.lower_bound < v_cutoff) THEN
                -- 2b. The partition that straddles the cut-off, and the default partition: old rows move
                --     in batches into the archive's partition of their month.
                FOR v_month IN EXECUTE format('SELECT DISTINCT date_trunc(''month'', %I AT TIME ZONE ''UTC'') AT TIME ZONE ''UTC'' '
                                              'FROM ONLY %s WHERE %I < $1', v_column, v_part.partition, v_column)
                               USING v_cutoff LOOP
                    PERFORM maintenance.create_monthly_partition(v_archive, (v_month AT TIME ZONE 'UTC')::date);
                END LOOP;
                v_moved := v_moved + archive.move_rows(v_part.partition, v_archive,
                                                       format('%I < %L', v_column, v_cutoff), p_batch_size);
            END IF;
        END LOOP;

        -- 3. Whole partitions. Before any strong lock: count their rows, and make sure each has a validated
        --    CHECK constraint on its bounds, so that attaching it to the archive later is a catalogue change.
        --    Partitions made by maintenance.create_monthly_partition have it from birth; older ones get it
        --    here (ADD … NOT VALID locks that old partition until the commit; the VALIDATE scan then blocks
        --    no writer).
        FOR v_part IN SELECT p.* FROM archive.partitions_of(v_live) p WHERE p.partition = ANY (v_whole) LOOP
            EXECUTE format('SELECT count(*) FROM ONLY %s', v_part.partition) INTO v_n;
            v_moved := v_moved + v_n;
            v_check := (SELECT relname FROM pg_class WHERE oid = v_part.partition) || '_bounds_chk';
            IF NOT EXISTS (SELECT FROM pg_constraint WHERE conrelid = v_part.partition AND conname = v_check AND convalidated) THEN
                EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (%I >= %L AND %I < %L) NOT VALID',
                               v_part.partition, v_check, v_column, v_part.lower_bound, v_column, v_part.upper_bound);
                EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', v_part.partition, v_check);
            END IF;
        END LOOP;

        -- 4. Detach and re-attach, last: from the first DETACH to the commit the live table is locked.
        FOR v_part IN SELECT p.* FROM archive.partitions_of(v_live) p WHERE p.partition = ANY (v_whole) LOOP
            PERFORM archive.run_with_lock_retry(format('ALTER TABLE %s DETACH PARTITION %s', v_live, v_part.partition));
            -- Rows of this month archived earlier, while the month was still partly live, join the partition.
            v_existing := to_regclass(format('archive.%I', (SELECT relname FROM pg_class WHERE oid = v_part.partition)));
            IF v_existing IS NOT NULL THEN
                EXECUTE format('INSERT INTO %s SELECT * FROM %s', v_part.partition, v_existing);
                EXECUTE format('DROP TABLE %s', v_existing);
            END IF;
            EXECUTE format('ALTER TABLE %s SET SCHEMA archive', v_part.partition);
            EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)',
                           v_archive, v_part.partition, v_part.lower_bound, v_part.upper_bound);
            v_partitions := v_partitions + 1;
        END LOOP;
    END IF;

    RETURN jsonb_build_object(p_table, v_moved) || v_counts
           || jsonb_build_object('partitions_moved', v_partitions, 'cutoff', v_cutoff);
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Deleting data classes past retention (data minimisation): whole partitions are emptied with
-- TRUNCATE (a lock on that old partition only), the rest is deleted in batches.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION archive.purge_old_data(p_table text, p_months integer, p_batch_size integer DEFAULT 10000)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_live    regclass;
    v_column  text;
    v_cutoff  timestamptz;
    v_part    record;
    v_n       bigint;
    v_deleted bigint := 0;
BEGIN
    -- 0 months means everything before now (the archive-rides benchmark moves a whole table so).
    IF p_months IS NULL OR p_months < 0 OR p_batch_size IS NULL OR p_batch_size < 1 THEN
        RAISE EXCEPTION 'months must not be negative and the batch size must be positive' USING ERRCODE = '22023';
    END IF;
    SELECT live_table, time_column INTO v_live, v_column FROM archive.data_class_table(p_table);
    IF to_regclass(format('archive.%I', (SELECT relname FROM pg_class WHERE oid = v_live))) IS NOT NULL THEN
        RAISE EXCEPTION '% is archived after its retention period, not deleted', p_table
            USING ERRCODE = '22023', HINT = 'Use archive.archive_old_data.';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('archive.purge_old_data:' || v_live::text, 0));
    v_cutoff := now() - make_interval(months => p_months);
    IF NOT EXISTS (SELECT FROM pg_partitioned_table WHERE partrelid = v_live) THEN
        RETURN archive.move_rows(v_live, NULL, format('%I < %L', v_column, v_cutoff), p_batch_size);
    END IF;
    FOR v_part IN SELECT * FROM archive.partitions_of(v_live) LOOP
        IF v_part.upper_bound IS NOT NULL AND v_part.upper_bound <= v_cutoff THEN
            EXECUTE format('SELECT count(*) FROM ONLY %s', v_part.partition) INTO v_n;
            IF v_n > 0 THEN
                PERFORM archive.run_with_lock_retry(format('TRUNCATE %s', v_part.partition));
                v_deleted := v_deleted + v_n;
            END IF;
        ELSIF v_part.lower_bound IS NULL OR v_part.lower_bound < v_cutoff THEN
            v_deleted := v_deleted + archive.move_rows(v_part.partition, NULL, format('%I < %L', v_column, v_cutoff),
                                                       p_batch_size);
        END IF;
    END LOOP;
    RETURN v_deleted;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- The retention job's step: every rule of archive.retention_rules, applied.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION archive.apply_retention()
    RETURNS TABLE (data_class text, action text, live_months integer, rows_affected bigint, details jsonb)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_rule record;
BEGIN
    -- Rides before payments: a ride's payment moves with it whatever the payment's own age.
    FOR v_rule IN SELECT r.data_class, r.action, r.live_months FROM archive.retention_rules r
                   ORDER BY r.data_class = 'rides' DESC, r.data_class LOOP
        data_class := v_rule.data_class;
        action := v_rule.action;
        live_months := v_rule.live_months;
        IF v_rule.action = 'archive' THEN
            details := archive.archive_old_data(v_rule.data_class, v_rule.live_months);
            rows_affected := (details ->> v_rule.data_class)::bigint;
        ELSIF v_rule.action = 'delete' THEN
            rows_affected := archive.purge_old_data(v_rule.data_class, v_rule.live_months);
            details := jsonb_build_object(v_rule.data_class, rows_affected);
        ELSIF v_rule.action = 'anonymize' THEN
            -- Personal data of the class is anonymised in place (compliance owns how, per data class).
            rows_affected := compliance.anonymize_old_data(v_rule.data_class, v_rule.live_months);
            details := jsonb_build_object(v_rule.data_class, rows_affected, 'anonymized', true);
        ELSE
            RAISE EXCEPTION 'retention action "%" of % is not supported', v_rule.action, v_rule.data_class
                USING ERRCODE = '0A000', HINT = 'Use archive, anonymize or delete.';
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;

-- The advisory-lock keys the worker looks for: (kind code, request number).
CREATE OR REPLACE FUNCTION maintenance.request_lock_kind(p_kind text) RETURNS integer
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog
AS $$
    SELECT CASE p_kind WHEN 'vacuum_analyze' THEN 727001 WHEN 'analyze' THEN 727002 END
$$;

CREATE OR REPLACE FUNCTION maintenance.request_maintenance(p_kind text, p_pickup_timeout interval, p_timeout interval)
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

CREATE OR REPLACE FUNCTION maintenance.vacuum_analyze_all() RETURNS text
    LANGUAGE sql
    SET search_path = pg_catalog
AS $$
    SELECT maintenance.request_maintenance('vacuum_analyze', interval '30 seconds', interval '2 hours')
$$;

CREATE OR REPLACE FUNCTION maintenance.update_statistics() RETURNS text
    LANGUAGE sql
    SET search_path = pg_catalog
AS $$
    SELECT maintenance.request_maintenance('analyze', interval '30 seconds', interval '1 hour')
$$;

-- The severity of a value against its check's thresholds.
CREATE OR REPLACE FUNCTION monitoring.severity(p_check text, p_value numeric) RETURNS text
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
CREATE OR REPLACE FUNCTION monitoring.database_health_rows()
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

-- ---------------------------------------------------------------------------------------------
-- monitoring.performance_metrics
-- pg_stat_statements may be missing (an external server that does not preload it): the statements are
-- then read through dynamic SQL only when the extension exists and answers, and a warning row says so.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION monitoring.performance_metrics_rows()
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

CREATE OR REPLACE FUNCTION monitoring.vip_access_volume()
    RETURNS TABLE (accessor_user_id uuid, accessor_role text, reads bigint, vips bigint, first_at timestamptz,
                   last_at timestamptz, usual_hourly numeric, breadth_severity text, rate_severity text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    WITH recent AS (
        SELECT l.accessor_user_id, l.accessor_role, count(*) AS reads, count(DISTINCT l.vip_user_id) AS vips,
               min(l.accessed_at) AS first_at, max(l.accessed_at) AS last_at
          FROM audit.vip_access_log l
         WHERE l.accessed_at > now() - interval '1 hour'
         GROUP BY l.accessor_user_id, l.accessor_role
    ), scored AS (
        SELECT r.*, round(coalesce((SELECT count(*) FROM audit.vip_access_log h
                                     WHERE h.accessor_user_id IS NOT DISTINCT FROM r.accessor_user_id
                                       AND h.accessor_role = r.accessor_role
                                       AND h.accessed_at > now() - interval '7 days 1 hour'
                                       AND h.accessed_at <= now() - interval '1 hour'), 0) / 168.0, 2) AS usual_hourly
          FROM recent r
    )
    SELECT s.accessor_user_id, s.accessor_role, s.reads, s.vips, s.first_at, s.last_at, s.usual_hourly,
           monitoring.severity('vip_access_breadth', s.vips),
           CASE WHEN s.reads >= 20 THEN monitoring.severity('vip_access_rate', s.reads / greatest(s.usual_hourly, 1)) ELSE 'ok' END
      FROM scored s
$$;

-- The view's source: nothing for a reader without EXECUTE on the counts (instead of an error for the whole view).
CREATE OR REPLACE FUNCTION monitoring.vip_access_signals()
    RETURNS TABLE (alert_time timestamptz, severity text, category text, subject_user_id uuid, detail text,
                   reference text)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT has_function_privilege('monitoring.vip_access_volume()', 'EXECUTE') THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT v.last_at,
           CASE WHEN 'critical' IN (v.breadth_severity, v.rate_severity) THEN 'high' ELSE 'medium' END,
           'vip_access_volume'::text, v.accessor_user_id,
           format('%s (%s) read VIP data %s times for %s VIPs in the last hour (usually %s reads an hour)',
                  coalesce(v.accessor_user_id::text, 'an SQL session'), v.accessor_role, v.reads, v.vips, v.usual_hourly),
           'vip_access:' || coalesce(v.accessor_user_id::text, v.accessor_role)
      FROM monitoring.vip_access_volume() v
     WHERE v.breadth_severity <> 'ok' OR v.rate_severity <> 'ok';
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Role and privilege changes
-- ---------------------------------------------------------------------------------------------
-- Every privilege fact of the cluster's roles and of this database's objects in our schemas, one row each.
CREATE OR REPLACE FUNCTION monitoring.current_privileges()
    RETURNS TABLE (kind text, object text, grantee text, privilege text)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT 'role', r.rolname::text, '', 'exists' FROM pg_roles r WHERE r.rolname !~ '^pg_'
    UNION ALL
    SELECT 'attribute', r.rolname::text, '', a.attr
      FROM pg_roles r
     CROSS JOIN LATERAL (VALUES ('superuser', r.rolsuper), ('createrole', r.rolcreaterole), ('createdb', r.rolcreatedb),
                                ('login', r.rolcanlogin), ('replication', r.rolreplication),
                                ('bypassrls', r.rolbypassrls), ('inherit', r.rolinherit)) a (attr, held)
     WHERE a.held AND r.rolname !~ '^pg_'
    UNION ALL
    SELECT 'membership', g.rolname::text, m.rolname::text, CASE WHEN am.admin_option THEN 'member with admin' ELSE 'member' END
      FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles m ON m.oid = am.member
    UNION ALL
    SELECT 'object_privilege', o.object, coalesce(gr.rolname::text, 'PUBLIC'),
           x.privilege_type || CASE WHEN x.is_grantable THEN ' with grant option' ELSE '' END
      FROM (SELECT format('%s %s', CASE c.relkind WHEN 'S' THEN 'sequence' ELSE 'table' END, c.oid::regclass) AS object,
                   c.relacl AS acl
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND NOT c.relispartition AND c.relacl IS NOT NULL
               AND n.nspname IN ('public', 'vip_data', 'vip_crypto', 'audit', 'analytics', 'archive', 'monitoring', 'maintenance')
            UNION ALL
            SELECT format('column %s.%I', c.oid::regclass, a.attname), a.attacl
              FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE a.attacl IS NOT NULL AND NOT c.relispartition
               AND n.nspname IN ('public', 'vip_data', 'vip_crypto', 'audit', 'analytics', 'archive', 'monitoring', 'maintenance')
            UNION ALL
            SELECT format('schema %I', n.nspname), n.nspacl
              FROM pg_namespace n
             WHERE n.nspacl IS NOT NULL
               AND n.nspname IN ('public', 'vip_data', 'vip_crypto', 'audit', 'analytics', 'archive', 'monitoring', 'maintenance')
            UNION ALL
            SELECT format('function %s', p.oid::regprocedure), p.proacl
              FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE p.proacl IS NOT NULL
               AND n.nspname IN ('public', 'vip_data', 'vip_crypto', 'audit', 'analytics', 'archive', 'monitoring', 'maintenance')
           ) o
     CROSS JOIN LATERAL aclexplode(o.acl) x
      LEFT JOIN pg_roles gr ON gr.oid = x.grantee
$$;

-- How much a change matters: who can bypass every rule, or hand out privileges, is critical.
CREATE OR REPLACE FUNCTION monitoring.privilege_change_severity(p_change text, p_kind text, p_object text, p_privilege text)
    RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog
AS $$
    SELECT CASE
               WHEN p_change = 'granted' AND p_kind = 'attribute' AND p_privilege IN ('superuser', 'bypassrls', 'replication', 'createrole')
                   THEN 'critical'
               WHEN p_change = 'granted' AND p_kind = 'membership'
                    AND (p_object ~ '^pg_' OR p_object IN ('system_admin', 'audit_admin', 'vip_admin', 'compliance_officer',
                                                           'vipride_owner', 'vipride_backup'))
                   THEN 'critical'
               WHEN p_kind IN ('role', 'attribute', 'membership') THEN 'high'
               ELSE 'medium'
           END
$$;

-- One sentence per change, for people.
CREATE OR REPLACE FUNCTION monitoring.describe_privilege_change(p_change text, p_kind text, p_object text, p_grantee text,
                                                     p_privilege text)
    RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path = pg_catalog
AS $$
    SELECT CASE p_kind
               WHEN 'role' THEN format('Role %s was %s', p_object, CASE p_change WHEN 'granted' THEN 'created' ELSE 'dropped' END)
               WHEN 'attribute' THEN format('Role %s %s the %s attribute', p_object,
                                            CASE p_change WHEN 'granted' THEN 'gained' ELSE 'lost' END, upper(p_privilege))
               WHEN 'membership' THEN format('%s %s %s of %s', p_grantee,
                                             CASE p_change WHEN 'granted' THEN 'was made a' ELSE 'is no longer a' END,
                                             p_privilege, p_object)
               ELSE format('%s on %s %s %s', p_privilege, p_object,
                           CASE p_change WHEN 'granted' THEN 'granted to' ELSE 'revoked from' END, p_grantee)
           END
$$;

CREATE OR REPLACE FUNCTION monitoring.privilege_drift()
    RETURNS TABLE (change text, kind text, object text, grantee text, privilege text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT 'granted', c.kind, c.object, c.grantee, c.privilege
      FROM (SELECT * FROM monitoring.current_privileges()
            EXCEPT SELECT b.kind, b.object, b.grantee, b.privilege FROM monitoring.privilege_baseline b) c
    UNION ALL
    SELECT 'revoked', b.kind, b.object, b.grantee, b.privilege
      FROM (SELECT b.kind, b.object, b.grantee, b.privilege FROM monitoring.privilege_baseline b
            EXCEPT SELECT * FROM monitoring.current_privileges()) b
$$;

CREATE OR REPLACE FUNCTION monitoring.record_privilege_changes(p_source text DEFAULT 'monitoring') RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_count integer;
BEGIN
    -- One recorder at a time, so two callers never record the same change twice.
    PERFORM pg_advisory_xact_lock(hashtext('monitoring.record_privilege_changes'));
    INSERT INTO audit.privilege_changes (change, kind, object, grantee, privilege, source)
    SELECT d.change, d.kind, d.object, d.grantee, d.privilege, p_source FROM monitoring.privilege_drift() d;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    DELETE FROM monitoring.privilege_baseline;
    INSERT INTO monitoring.privilege_baseline SELECT DISTINCT * FROM monitoring.current_privileges();
    RETURN v_count;
END
$$;

-- Unrecorded differences (found now) and changes recorded in the last 7 days outside migrations.
CREATE OR REPLACE FUNCTION monitoring.privilege_change_rows()
    RETURNS TABLE (alert_time timestamptz, severity text, detail text, reference text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT now(), monitoring.privilege_change_severity(d.change, d.kind, d.object, d.privilege),
           monitoring.describe_privilege_change(d.change, d.kind, d.object, d.grantee, d.privilege)
               || ' (found now, not yet recorded)',
           NULL::text
      FROM monitoring.privilege_drift() d
    UNION ALL
    SELECT c.detected_at, monitoring.privilege_change_severity(c.change, c.kind, c.object, c.privilege),
           monitoring.describe_privilege_change(c.change, c.kind, c.object, c.grantee, c.privilege),
           'privilege_change:' || c.id
      FROM audit.privilege_changes c
     WHERE c.source = 'monitoring' AND c.detected_at > now() - interval '7 days'
$$;

CREATE OR REPLACE FUNCTION monitoring.privilege_change_signals()
    RETURNS TABLE (alert_time timestamptz, severity text, category text, subject_user_id uuid, detail text,
                   reference text)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT has_function_privilege('monitoring.privilege_change_rows()', 'EXECUTE') THEN
        RETURN;
    END IF;
    RETURN QUERY
    SELECT p.alert_time, p.severity, 'privilege_change'::text, NULL::uuid, p.detail, p.reference
      FROM monitoring.privilege_change_rows() p;
END
$$;

-- How far ahead each partitioned table (outside the archive) is covered by monthly partitions:
-- months_ahead counts the consecutive whole UTC months after the current one that have a partition.
-- Rows in the default partition are strays waiting for their month (n_live_tup, an estimate).
CREATE OR REPLACE VIEW monitoring.partition_coverage WITH (security_invoker = true) AS
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

-- Every monthly partition of every partitioned table, live and archived: its bounds, an estimate of its
-- rows and its size. A partition is archived when archive.archive_old_data has attached it under the
-- archive schema's table of the same name. The row estimate is the statistics collector's live rows
-- (pg_stat_all_tables.n_live_tup), or the planner's reltuples where the collector has none: counting would
-- read every partition. Catalog reads only, so it is cheap at any size.
CREATE OR REPLACE VIEW monitoring.partitions WITH (security_invoker = true) AS
SELECT format('%I.%I', pn.nspname, p.relname) AS table_name,
       format('%I.%I', cn.nspname, c.relname) AS partition_name,
       (regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), 'FROM \(''([^'']+)''\)'))[1]::timestamptz AS lower_bound,
       (regexp_match(pg_catalog.pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1]::timestamptz AS upper_bound,
       pg_catalog.pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT' AS is_default,
       coalesce(s.n_live_tup, greatest(c.reltuples, 0))::bigint AS rows_estimate,
       pg_catalog.pg_total_relation_size(c.oid) AS size_bytes,
       pn.nspname = 'archive' AS archived
  FROM pg_catalog.pg_partitioned_table pt
  JOIN pg_catalog.pg_class p ON p.oid = pt.partrelid
  JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
  JOIN pg_catalog.pg_inherits i ON i.inhparent = p.oid
  JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
  JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_stat_all_tables s ON s.relid = c.oid
 WHERE pt.partstrat = 'r' AND NOT p.relispartition
   AND pn.nspname IN ('public', 'vip_data', 'audit', 'archive');

-- The tables maintenance covers: every table the owner owns in the application's schemas; a
-- partitioned table stands for its partitions (VACUUM and ANALYZE recurse, and ANALYZE of the parent
-- gathers the whole-table statistics that autovacuum never collects for partitioned tables).
CREATE OR REPLACE VIEW maintenance.maintained_tables WITH (security_invoker = true) AS
SELECT format('%I.%I', n.nspname, c.relname) AS table_name
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('public', 'vip_data', 'audit', 'analytics', 'archive', 'maintenance')
   AND c.relkind IN ('r', 'm', 'p') AND NOT c.relispartition
   AND c.relowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = 'vipride_owner');

CREATE OR REPLACE VIEW monitoring.database_health WITH (security_invoker = true) AS
SELECT h.check_name, h.object, h.value, h.unit, h.warning_at, h.critical_at, h.severity, h.since, h.observed_at, h.detail
  FROM monitoring.database_health_rows() h;

CREATE OR REPLACE VIEW monitoring.performance_metrics WITH (security_invoker = true) AS
SELECT p.metric, p.object, p.calls, p.total_ms, p.mean_ms, p.row_count, p.value, p.unit, p.severity, p.observed_at, p.detail
  FROM monitoring.performance_metrics_rows() p;

CREATE OR REPLACE VIEW monitoring.security_alerts WITH (security_invoker = true) AS
SELECT g.alert_time, g.severity, g.category, g.subject_user_id, g.detail, g.reference
  FROM monitoring.geofence_alert_signals() g
UNION ALL
SELECT e.alert_time, e.severity, e.category, e.subject_user_id, e.detail, e.reference
  FROM monitoring.emergency_alert_signals() e
UNION ALL
SELECT a.alert_time, a.severity, a.category, a.subject_user_id, a.detail, a.reference
  FROM monitoring.auth_alert_signals() a
UNION ALL
SELECT v.alert_time, v.severity, v.category, v.subject_user_id, v.detail, v.reference
  FROM monitoring.vip_access_signals() v
UNION ALL
SELECT p.alert_time, p.severity, p.category, p.subject_user_id, p.detail, p.reference
  FROM monitoring.privilege_change_signals() p
UNION ALL
SELECT c.raised_at, c.severity, 'privacy_' || c.kind, c.subject_user_id, c.detail, c.reference::text
  FROM compliance.privacy_alerts c
 WHERE c.resolved_at IS NULL;

GRANT USAGE ON SCHEMA archive TO audit_admin, compliance_officer, system_admin;

GRANT USAGE ON SCHEMA archive TO system_admin, audit_admin, compliance_officer;

GRANT SELECT ON archive.retention_rules TO system_admin, audit_admin, compliance_officer;

GRANT UPDATE (live_months, action, legal_basis) ON archive.retention_rules TO compliance_officer;

SELECT audit.enable_audit('archive.retention_rules', 'data_class');

COMMENT ON FUNCTION monitoring.geofence_alert_signals() IS
    'Open geofence alerts the caller may read (none without privilege on vip_data.security_alerts).';

COMMENT ON FUNCTION monitoring.emergency_alert_signals() IS
    'Open emergency incidents (emergency override in force) the caller may read.';

COMMENT ON FUNCTION monitoring.auth_alert_signals() IS
    'Account lock-outs and refresh-token reuse (last 24 h) and failed-login bursts (>= 3 in the last hour) the caller may read.';

COMMENT ON VIEW monitoring.security_alerts IS
    'Security signals in one list: open geofence alerts, open emergencies, account lock-outs, failed-login bursts, refresh-token reuse. Each reader sees only what their own privileges and row-level security allow.';

GRANT USAGE ON SCHEMA monitoring TO audit_admin, system_admin, vip_admin;

GRANT EXECUTE ON FUNCTION monitoring.geofence_alert_signals(), monitoring.emergency_alert_signals(),
    monitoring.auth_alert_signals() TO audit_admin, system_admin, vip_admin;

GRANT SELECT ON monitoring.security_alerts TO audit_admin, system_admin, vip_admin;

COMMENT ON VIEW monitoring.partition_coverage IS
    'Each partitioned table and how many months past the current UTC month its partitions cover: critical without '
    'the current or next month, warning under three months ahead or with rows waiting in the default partition.';

GRANT USAGE ON SCHEMA monitoring TO system_admin, audit_admin;

GRANT SELECT ON monitoring.partition_coverage TO system_admin, audit_admin;

COMMENT ON VIEW monitoring.partitions IS
    'Each monthly partition of the live and archived partitioned tables: bounds, estimated rows, size, archived or not.';

GRANT SELECT ON monitoring.partitions TO system_admin, audit_admin;

-- The same readers as the live audit data (audit_admin, compliance_officer), all rows; nobody writes
-- but the owner's functions below. FORCE, so the owner too is held to the policies.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['rides', 'payments', 'ride_earnings', 'hotel_bookings', 'audit_log'] LOOP
        EXECUTE format('ALTER TABLE archive.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE archive.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('GRANT SELECT ON archive.%I TO audit_admin, compliance_officer', t);
        EXECUTE format('CREATE POLICY %I ON archive.%I FOR SELECT TO audit_admin USING (true)', t || '_select_audit_admin', t);
        EXECUTE format('CREATE POLICY %I ON archive.%I FOR SELECT TO compliance_officer USING (true)',
                       t || '_select_compliance_officer', t);
        EXECUTE format('CREATE POLICY %I ON archive.%I FOR SELECT TO vipride_owner USING (true)', t || '_select_owner', t);
        EXECUTE format('CREATE POLICY %I ON archive.%I FOR INSERT TO vipride_owner WITH CHECK (true)', t || '_insert_owner', t);
    END LOOP;
END
$$;

COMMENT ON FUNCTION archive.archive_old_data(text, integer, integer) IS
    'Moves the rows of a data class (rides, payments, audit_log) older than p_months into the archive schema, with '
    'their dependants; whole partitions are detached and attached to the archive, the rest moves in batches. '
    'Returns the counts per table, the partitions moved and the cut-off.';

COMMENT ON FUNCTION archive.purge_old_data(text, integer, integer) IS
    'Deletes the rows of a data class (vip_location_history, auth_events) older than p_months; returns how many.';

COMMENT ON FUNCTION archive.apply_retention() IS
    'Applies every rule of archive.retention_rules (archive or delete); one row per data class with what it did.';

GRANT EXECUTE ON FUNCTION archive.archive_old_data(text, integer, integer), archive.purge_old_data(text, integer, integer),
    archive.apply_retention() TO system_admin;

GRANT SELECT ON maintenance.maintenance_runs TO system_admin, audit_admin;

COMMENT ON FUNCTION maintenance.request_lock_kind(text) IS
    'First advisory-lock key of a maintenance request of this kind (the worker polls pg_locks for it).';

COMMENT ON VIEW maintenance.maintained_tables IS 'What vacuum_analyze_all() and update_statistics() process.';

COMMENT ON FUNCTION maintenance.request_maintenance(text, interval, interval) IS
    'Asks the service''s maintenance worker to run VACUUM ANALYZE or ANALYZE over maintenance.maintained_tables and '
    'waits for the outcome.';

COMMENT ON FUNCTION maintenance.vacuum_analyze_all() IS
    'VACUUM (ANALYZE) of every application table, run by the service''s maintenance worker outside any transaction; '
    'returns when it is done (spec: SELECT maintenance.vacuum_analyze_all()).';

COMMENT ON FUNCTION maintenance.update_statistics() IS
    'ANALYZE of every application table, partitioned parents included, by the service''s maintenance worker '
    '(spec: SELECT maintenance.update_statistics()).';

GRANT EXECUTE ON FUNCTION maintenance.request_maintenance(text, interval, interval), maintenance.vacuum_analyze_all(),
    maintenance.update_statistics() TO system_admin;

-- The readers of the other archive tables (audit_admin, compliance_officer); the owner's functions write.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['ride_offers', 'refunds', 'payment_disputes', 'processor_events'] LOOP
        EXECUTE format('ALTER TABLE archive.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE archive.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('GRANT SELECT ON archive.%I TO audit_admin, compliance_officer', t);
        EXECUTE format('CREATE POLICY %I ON archive.%I FOR SELECT TO audit_admin USING (true)', t || '_select_audit_admin', t);
        EXECUTE format('CREATE POLICY %I ON archive.%I FOR SELECT TO compliance_officer USING (true)',
                       t || '_select_compliance_officer', t);
        EXECUTE format('CREATE POLICY %I ON archive.%I FOR SELECT TO vipride_owner USING (true)', t || '_select_owner', t);
        EXECUTE format('CREATE POLICY %I ON archive.%I FOR INSERT TO vipride_owner WITH CHECK (true)', t || '_insert_owner', t);
    END LOOP;
END
$$;

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

GRANT SELECT ON monitoring.health_thresholds TO system_admin, audit_admin;

GRANT UPDATE (warning_at, critical_at) ON monitoring.health_thresholds TO system_admin;

COMMENT ON FUNCTION monitoring.database_health_rows() IS
    'SECURITY DEFINER: reads other sessions'' activity and lock waits with the owner''s pg_read_all_stats; returns only curated columns.';

REVOKE ALL ON FUNCTION monitoring.database_health_rows() FROM PUBLIC;

REVOKE ALL ON FUNCTION monitoring.severity(text, numeric) FROM PUBLIC;

COMMENT ON VIEW monitoring.database_health IS
    'Spec: SELECT * FROM monitoring.database_health. Size, connections, cache hit ratio, wraparound, replication lag, dead rows, long-running, idle-in-transaction and blocked sessions, each with a severity.';

COMMENT ON FUNCTION monitoring.performance_metrics_rows() IS
    'SECURITY DEFINER: reads every user''s statements in pg_stat_statements (when loaded) with the owner''s pg_read_all_stats.';

REVOKE ALL ON FUNCTION monitoring.performance_metrics_rows() FROM PUBLIC;

COMMENT ON VIEW monitoring.performance_metrics IS
    'Spec: SELECT * FROM monitoring.performance_metrics. Slowest and most frequent statements (pg_stat_statements, when loaded), index usage, unused indexes, tables read mostly by sequential scans.';

GRANT EXECUTE ON FUNCTION monitoring.database_health_rows(), monitoring.performance_metrics_rows()
    TO system_admin, audit_admin;

GRANT SELECT ON monitoring.database_health, monitoring.performance_metrics TO system_admin, audit_admin;

COMMENT ON FUNCTION monitoring.vip_access_volume() IS
    'SECURITY DEFINER: counts only (who, how many reads of how many VIPs) from audit.vip_access_log, so system_admin, who may not read the log, can act on an abusive accessor.';

REVOKE ALL ON FUNCTION monitoring.vip_access_volume() FROM PUBLIC;

GRANT EXECUTE ON FUNCTION monitoring.vip_access_volume() TO system_admin, audit_admin;

COMMENT ON FUNCTION monitoring.vip_access_signals() IS
    'Accessors reading many VIPs, or far above their usual rate, in the last hour (subject_user_id is the accessor).';

COMMENT ON FUNCTION monitoring.current_privileges() IS
    'Role existence and attributes, role memberships, and grants on our schemas'' objects (columns included), as rows to compare.';

REVOKE ALL ON FUNCTION monitoring.current_privileges() FROM PUBLIC;

COMMENT ON FUNCTION monitoring.privilege_drift() IS
    'SECURITY DEFINER: differences between the catalog and the recorded baseline (the baseline is the owner''s).';

REVOKE ALL ON FUNCTION monitoring.privilege_drift() FROM PUBLIC;

COMMENT ON FUNCTION monitoring.record_privilege_changes(text) IS
    'Writes the differences from the baseline to audit.privilege_changes and moves the baseline on; returns how many. Called by the operations job (source monitoring) and after migrations (source migration).';

REVOKE ALL ON FUNCTION monitoring.record_privilege_changes(text) FROM PUBLIC;

GRANT EXECUTE ON FUNCTION monitoring.record_privilege_changes(text) TO system_admin;

COMMENT ON FUNCTION monitoring.privilege_change_rows() IS
    'SECURITY DEFINER: role and privilege changes for system_admin and audit_admin (system_admin may not read the audit table itself).';

REVOKE ALL ON FUNCTION monitoring.privilege_change_rows() FROM PUBLIC;

GRANT EXECUTE ON FUNCTION monitoring.privilege_change_rows() TO system_admin, audit_admin;

COMMENT ON FUNCTION monitoring.privilege_change_signals() IS
    'Role and privilege changes, for readers allowed to see them.';

COMMENT ON VIEW monitoring.security_alerts IS
    'Security signals in one list: open geofence alerts, open emergencies, account lock-outs, failed-login bursts, refresh-token reuse, unusual VIP data access, role and privilege changes. Each reader sees only what their own privileges and row-level security allow.';

GRANT EXECUTE ON FUNCTION monitoring.vip_access_signals(), monitoring.privilege_change_signals()
    TO audit_admin, system_admin, vip_admin;

-- updated_at follows every change.
CREATE OR REPLACE TRIGGER retention_rules_touch_updated_at BEFORE UPDATE ON archive.retention_rules
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

-- Erasure and retention's anonymise action (compliance, as the owner) overwrite personal data of
-- archived rides and hotel bookings in place.
CREATE POLICY rides_update_owner ON archive.rides FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY hotel_bookings_update_owner ON archive.hotel_bookings FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);
