-- Part 21 — archive and retention: archive.archive_old_data(table, months) as the spec shows it, the
-- archive tables it fills, and archive.apply_retention(), which the retention job runs to apply
-- archive.retention_rules.
--
-- How rows leave a live table (rides, payments, audit log):
-- * Whole monthly partitions entirely older than the cut-off are detached and re-attached, as they
--   are, under the archive table of the same shape: no row is copied. Plain DETACH PARTITION takes an
--   ACCESS EXCLUSIVE lock on the live table (and on every table whose foreign key references it) until
--   the transaction ends, and DETACH … CONCURRENTLY cannot run inside a function's transaction. So all
--   detaches come last, each tried with a 100 ms lock_timeout and retried (a waiting ACCESS EXCLUSIVE
--   request would otherwise queue every reader behind it), and only catalogue changes follow them:
--   the partition carries a validated CHECK constraint on its bounds before it is detached (from its
--   creation, database/20_scheduled_jobs_and_partitions.sql), so attaching it to the archive needs no scan.
-- * Rows older than the cut-off in the partition that straddles it (and strays in the default
--   partition) move in batches (DELETE … RETURNING into INSERT, one statement per batch), which only
--   takes row locks on those old rows: the live table stays open for reads and writes throughout.
-- * Dependants — every table whose foreign key references the archived table (payments, ride earnings
--   and hotel bookings reference rides(id, requested_at)) — move with their rows, first, into their own
--   archive tables: an archived ride keeps its payment, its fare split and its booking. A dependant
--   with no archive table is refused with an error naming it while it still references old rows.
-- * Everything happens in the caller's one transaction: a failure anywhere leaves every row where it
--   was, and a row is never in both places (totals are conserved).
-- * Archived rows leave the live audit log's reach by design: they move unchanged, and moving a ride
--   partition writes no audit row (the counts are in maintenance.job_runs). Dependants are deleted from
--   their (audited) live tables, which records each one in audit.audit_log.
-- * audit.audit_log moves only by whole months, so its hash chain is never split inside a partition;
--   audit.verify_chain() reads archived audit partitions (archive.audit_log_yYYYYmMM) as before.

-- ---------------------------------------------------------------------------------------------
-- Archive tables: the live tables' shape. Rides and the audit log are partitioned like their live
-- tables so that whole partitions can be attached; the dependants are plain tables.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE archive.rides (LIKE public.rides INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES
                            INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE (requested_at);
COMMENT ON TABLE archive.rides IS 'Rides past their live retention period (archive.retention_rules), same shape as public.rides.';

CREATE TABLE archive.payments (LIKE public.payments INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES
                               INCLUDING STORAGE INCLUDING COMMENTS);
COMMENT ON TABLE archive.payments IS 'Payments past their live retention period, and the payments of archived rides.';

CREATE TABLE archive.ride_earnings (LIKE public.ride_earnings INCLUDING DEFAULTS INCLUDING CONSTRAINTS
                                    INCLUDING INDEXES INCLUDING STORAGE INCLUDING COMMENTS);
COMMENT ON TABLE archive.ride_earnings IS 'Fare splits of archived rides.';

CREATE TABLE archive.hotel_bookings (LIKE public.hotel_bookings INCLUDING DEFAULTS INCLUDING CONSTRAINTS
                                     INCLUDING INDEXES INCLUDING STORAGE INCLUDING COMMENTS);
COMMENT ON TABLE archive.hotel_bookings IS 'Hotel bookings that referenced archived rides.';

-- No identity here: archived audit rows keep the ids the live log gave them.
CREATE TABLE archive.audit_log (LIKE audit.audit_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES
                                INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY RANGE ("timestamp");
COMMENT ON TABLE archive.audit_log IS
    'Whole months of audit.audit_log past retention, rows unchanged: audit.verify_chain() still checks their seals.';

-- Audit months moved by the earlier audit.apply_audit_retention() stood alone in the archive schema;
-- they join archive.audit_log, so that the audit roles read them like every later month.
DO $$
DECLARE
    v_month record;
BEGIN
    FOR v_month IN
        SELECT c.oid::regclass AS part, to_date(substring(c.relname FROM 'y([0-9]{4}m[0-9]{2})$'), 'YYYY"m"MM') AS first_day
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'archive' AND c.relkind = 'r' AND NOT c.relispartition
           AND c.relname ~ '^audit_log_y[0-9]{4}m[0-9]{2}$'
    LOOP
        EXECUTE format('ALTER TABLE archive.audit_log ATTACH PARTITION %s FOR VALUES FROM (%L) TO (%L)', v_month.part,
                       v_month.first_day::timestamp AT TIME ZONE 'UTC',
                       (v_month.first_day + interval '1 month')::timestamp AT TIME ZONE 'UTC');
    END LOOP;
END
$$;

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

-- The owner's archive functions read and delete the rows they move out of these FORCE RLS tables.
CREATE POLICY payments_select_owner ON public.payments FOR SELECT TO vipride_owner USING (true);
CREATE POLICY payments_delete_owner ON public.payments FOR DELETE TO vipride_owner USING (true);
CREATE POLICY ride_earnings_select_owner ON public.ride_earnings FOR SELECT TO vipride_owner USING (true);
CREATE POLICY ride_earnings_delete_owner ON public.ride_earnings FOR DELETE TO vipride_owner USING (true);
CREATE POLICY hotel_bookings_select_owner ON public.hotel_bookings FOR SELECT TO vipride_owner USING (true);
CREATE POLICY hotel_bookings_delete_owner ON public.hotel_bookings FOR DELETE TO vipride_owner USING (true);
CREATE POLICY auth_events_select_owner ON audit.auth_events FOR SELECT TO vipride_owner USING (true);
CREATE POLICY auth_events_delete_owner ON audit.auth_events FOR DELETE TO vipride_owner USING (true);

-- ---------------------------------------------------------------------------------------------
-- Helpers (owner only)
-- ---------------------------------------------------------------------------------------------
-- The live table and time column of each data class in archive.retention_rules.
CREATE FUNCTION archive.data_class_table(p_data_class text, OUT live_table regclass, OUT time_column text)
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
CREATE FUNCTION archive.assert_same_shape(p_live regclass, p_archive regclass) RETURNS void
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
CREATE FUNCTION archive.move_rows(p_source regclass, p_target regclass, p_condition text, p_batch integer)
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
CREATE FUNCTION archive.partitions_of(p_parent regclass)
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
CREATE FUNCTION archive.run_with_lock_retry(p_ddl text, p_attempts integer DEFAULT 100) RETURNS void
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
CREATE FUNCTION archive.archive_old_data(p_table text, p_months integer, p_batch_size integer DEFAULT 10000)
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
COMMENT ON FUNCTION archive.archive_old_data(text, integer, integer) IS
    'Moves the rows of a data class (rides, payments, audit_log) older than p_months into the archive schema, with '
    'their dependants; whole partitions are detached and attached to the archive, the rest moves in batches. '
    'Returns the counts per table, the partitions moved and the cut-off.';

-- ---------------------------------------------------------------------------------------------
-- Deleting data classes past retention (data minimisation): whole partitions are emptied with
-- TRUNCATE (a lock on that old partition only), the rest is deleted in batches.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION archive.purge_old_data(p_table text, p_months integer, p_batch_size integer DEFAULT 10000)
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
COMMENT ON FUNCTION archive.purge_old_data(text, integer, integer) IS
    'Deletes the rows of a data class (vip_location_history, auth_events) older than p_months; returns how many.';

-- ---------------------------------------------------------------------------------------------
-- The retention job's step: every rule of archive.retention_rules, applied.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION archive.apply_retention()
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
        ELSE
            RAISE EXCEPTION 'retention action "%" of % is not supported', v_rule.action, v_rule.data_class
                USING ERRCODE = '0A000', HINT = 'Use archive or delete.';
        END IF;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION archive.apply_retention() IS
    'Applies every rule of archive.retention_rules (archive or delete); one row per data class with what it did.';

-- The audit log's own retention entry point now archives through the same path (attached under
-- archive.audit_log, readable by the audit roles); it returns the number of months moved, as before.
CREATE OR REPLACE FUNCTION audit.apply_audit_retention() RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT (archive.archive_old_data('audit_log', r.live_months) ->> 'partitions_moved')::integer
      FROM archive.retention_rules r WHERE r.data_class = 'audit_log'
$$;

GRANT EXECUTE ON FUNCTION archive.archive_old_data(text, integer, integer), archive.purge_old_data(text, integer, integer),
    archive.apply_retention() TO system_admin;
