-- Part 26 — monitoring.security_alerts gains two sources (issue #6): unusual volumes of VIP data access
-- and role/privilege changes. 12_geofencing.sql defined the view; it is replaced here, unchanged in shape.
--
-- Role and privilege changes. An event trigger cannot do this job: creating one needs a superuser, and
-- event triggers never fire for roles (CREATE/ALTER/DROP ROLE, GRANT role TO role are cluster-wide).
-- Instead the catalog is compared with a recorded baseline (monitoring.privilege_baseline): role
-- attributes, role memberships and the grants on every object of our schemas. Any difference shows in
-- security_alerts as soon as it exists, at every read, with no job needed; monitoring.record_privilege_changes()
-- (called by the operations job, and at the end of every migration that grants or revokes, with source
-- 'migration') writes the differences to audit.privilege_changes with the time they were found and
-- moves the baseline on. A change made and undone between two reads leaves no trace — the price of not
-- needing a superuser; the PostgreSQL log (log_statement = 'ddl') is the complete record.

-- ---------------------------------------------------------------------------------------------
-- Unusual VIP data access: per accessor in the last hour, how many VIPs and how many reads, against the
-- accessor's usual hourly rate over the 7 days before. Thresholds live with the health thresholds.
-- ---------------------------------------------------------------------------------------------
INSERT INTO monitoring.health_thresholds (check_name, warning_at, critical_at, higher_is_worse, unit, description) VALUES
    ('vip_access_breadth', 10, 50, true, 'VIPs', 'Distinct VIPs whose data one accessor read in the last hour.'),
    ('vip_access_rate', 5, 20, true, 'times usual', 'Reads of VIP data by one accessor in the last hour against their usual hourly rate (7 days before), once at least 20 reads.');

CREATE INDEX vip_access_log_accessed_idx ON audit.vip_access_log (accessed_at);
-- The counts below run as the owner, which row-level security (forced) would otherwise show no row.
CREATE POLICY vip_access_log_select_owner ON audit.vip_access_log FOR SELECT TO vipride_owner USING (true);

CREATE FUNCTION monitoring.vip_access_volume()
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
COMMENT ON FUNCTION monitoring.vip_access_volume() IS
    'SECURITY DEFINER: counts only (who, how many reads of how many VIPs) from audit.vip_access_log, so system_admin, who may not read the log, can act on an abusive accessor.';
REVOKE ALL ON FUNCTION monitoring.vip_access_volume() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION monitoring.vip_access_volume() TO system_admin, audit_admin;

-- The view's source: nothing for a reader without EXECUTE on the counts (instead of an error for the whole view).
CREATE FUNCTION monitoring.vip_access_signals()
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
COMMENT ON FUNCTION monitoring.vip_access_signals() IS
    'Accessors reading many VIPs, or far above their usual rate, in the last hour (subject_user_id is the accessor).';

-- ---------------------------------------------------------------------------------------------
-- Role and privilege changes
-- ---------------------------------------------------------------------------------------------
-- Every privilege fact of the cluster's roles and of this database's objects in our schemas, one row each.
CREATE FUNCTION monitoring.current_privileges()
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
COMMENT ON FUNCTION monitoring.current_privileges() IS
    'Role existence and attributes, role memberships, and grants on our schemas'' objects (columns included), as rows to compare.';
REVOKE ALL ON FUNCTION monitoring.current_privileges() FROM PUBLIC;

CREATE TABLE monitoring.privilege_baseline (
    kind       text NOT NULL,
    object     text NOT NULL,
    grantee    text NOT NULL,
    privilege  text NOT NULL,
    CONSTRAINT privilege_baseline_pkey PRIMARY KEY (kind, object, grantee, privilege)
);
COMMENT ON TABLE monitoring.privilege_baseline IS
    'The privileges as last recorded by monitoring.record_privilege_changes(); differences from the catalog are alerts.';

CREATE TABLE audit.privilege_changes (
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    detected_at  timestamptz NOT NULL DEFAULT now(),
    change       text        NOT NULL,
    kind         text        NOT NULL,
    object       text        NOT NULL,
    grantee      text        NOT NULL,
    privilege    text        NOT NULL,
    source       text        NOT NULL,
    CONSTRAINT privilege_changes_pkey PRIMARY KEY (id),
    CONSTRAINT privilege_changes_change_chk CHECK (change IN ('granted', 'revoked')),
    CONSTRAINT privilege_changes_kind_chk CHECK (kind IN ('role', 'attribute', 'membership', 'object_privilege')),
    CONSTRAINT privilege_changes_source_chk CHECK (source IN ('monitoring', 'migration'))
);
COMMENT ON TABLE audit.privilege_changes IS
    'Append-only record of role and privilege changes found by comparing the catalog with the baseline, with when they were found.';
CREATE INDEX privilege_changes_detected_idx ON audit.privilege_changes (detected_at DESC);

ALTER TABLE audit.privilege_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.privilege_changes FORCE ROW LEVEL SECURITY;
GRANT SELECT ON audit.privilege_changes TO audit_admin, compliance_officer;
CREATE POLICY privilege_changes_select_audit_admin ON audit.privilege_changes FOR SELECT TO audit_admin USING (true);
CREATE POLICY privilege_changes_select_compliance_officer ON audit.privilege_changes FOR SELECT TO compliance_officer
    USING (true);
CREATE POLICY privilege_changes_select_owner ON audit.privilege_changes FOR SELECT TO vipride_owner USING (true);
CREATE POLICY privilege_changes_insert_owner ON audit.privilege_changes FOR INSERT TO vipride_owner WITH CHECK (true);

-- How much a change matters: who can bypass every rule, or hand out privileges, is critical.
CREATE FUNCTION monitoring.privilege_change_severity(p_change text, p_kind text, p_object text, p_privilege text)
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
CREATE FUNCTION monitoring.describe_privilege_change(p_change text, p_kind text, p_object text, p_grantee text,
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

CREATE FUNCTION monitoring.privilege_drift()
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
COMMENT ON FUNCTION monitoring.privilege_drift() IS
    'SECURITY DEFINER: differences between the catalog and the recorded baseline (the baseline is the owner''s).';
REVOKE ALL ON FUNCTION monitoring.privilege_drift() FROM PUBLIC;

CREATE FUNCTION monitoring.record_privilege_changes(p_source text DEFAULT 'monitoring') RETURNS integer
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
COMMENT ON FUNCTION monitoring.record_privilege_changes(text) IS
    'Writes the differences from the baseline to audit.privilege_changes and moves the baseline on; returns how many. Called by the operations job (source monitoring) and after migrations (source migration).';
REVOKE ALL ON FUNCTION monitoring.record_privilege_changes(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION monitoring.record_privilege_changes(text) TO system_admin;

-- Unrecorded differences (found now) and changes recorded in the last 7 days outside migrations.
CREATE FUNCTION monitoring.privilege_change_rows()
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
COMMENT ON FUNCTION monitoring.privilege_change_rows() IS
    'SECURITY DEFINER: role and privilege changes for system_admin and audit_admin (system_admin may not read the audit table itself).';
REVOKE ALL ON FUNCTION monitoring.privilege_change_rows() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION monitoring.privilege_change_rows() TO system_admin, audit_admin;

CREATE FUNCTION monitoring.privilege_change_signals()
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
COMMENT ON FUNCTION monitoring.privilege_change_signals() IS
    'Role and privilege changes, for readers allowed to see them.';

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
  FROM monitoring.privilege_change_signals() p;
COMMENT ON VIEW monitoring.security_alerts IS
    'Security signals in one list: open geofence alerts, open emergencies, account lock-outs, failed-login bursts, refresh-token reuse, unusual VIP data access, role and privilege changes. Each reader sees only what their own privileges and row-level security allow.';

GRANT EXECUTE ON FUNCTION monitoring.vip_access_signals(), monitoring.privilege_change_signals()
    TO audit_admin, system_admin, vip_admin;

-- The baseline starts as the privileges every part up to here granted.
INSERT INTO monitoring.privilege_baseline SELECT DISTINCT * FROM monitoring.current_privileges();
