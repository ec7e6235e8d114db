-- Part 10 — a tamper-evident audit trail.
--
-- Privileges alone keep audit.audit_log append-only for every role, but not for a superuser or for
-- whoever holds the owner's login: they can disable RLS or triggers and rewrite history. This part makes
-- any such change detectable. Every audit row is sealed with a SHA-256 hash of all its columns, and the
-- seals form a hash chain in id order (chain_hash = sha256(previous chain_hash || row_hash)), so that
-- an edited, deleted or back-dated row breaks a hash or leaves a hole that audit.verify_chain() reports.
-- Each sealing run records the chain head in audit.chain_anchors; the verification command logs it too,
-- and a head copied outside the database (logs, a ticket, a notary) is what finally proves that the
-- chain itself was not rebuilt from scratch.
--
-- Design choices:
-- * Sealing is asynchronous (audit.seal_pending, run by the service's job every few seconds): the audit
--   trigger stays a plain INSERT, so writers never queue on a chain lock.
-- * Seals follow the identity order of audit_log.id, but ids are taken before commit, so a slow
--   transaction can commit a low id after higher ids are visible. Sealing past it would later make a
--   legitimate row look forged. Instead of an age guess (rows older than N seconds), each run records a
--   horizon candidate — the identity sequence's value, then the snapshot's xmax — and a later run seals
--   up to that id only once every transaction older than that xmax has ended (pg_snapshot_xmin). The
--   audit trigger runs after its statement has written the audited table, so its transaction already
--   has an xid when it draws audit ids: no transaction still running can hold an id at or below a
--   usable horizon, however long it runs. Hence every unsealed row at or below the sealed horizon is
--   one that appeared afterwards: a forgery.
-- * Hashes use PostgreSQL's built-in sha256() (core since 11) rather than pgcrypto's digest(): same
--   algorithm, no dependency on an extension's schema or its grants.
-- * The canonical text of a row is to_jsonb(row)::text (jsonb orders keys and normalises spacing), made
--   with TimeZone pinned to UTC so that timestamps render the same in every session. It covers every
--   column: a column added to audit_log later changes the text of old rows, so such a change must come
--   with a versioned digest, not a silent re-seal.
-- * Rows of partitions that audit.apply_audit_retention() moved into the archive schema are verified
--   there; a seal whose row is in neither place is a deletion.

-- ---------------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------------
CREATE TABLE audit.audit_log_seals (
    audit_id         bigint      NOT NULL,
    audit_timestamp  timestamptz NOT NULL,
    row_hash         bytea       NOT NULL,
    chain_hash       bytea       NOT NULL,
    sealed_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT audit_log_seals_pkey PRIMARY KEY (audit_id),
    CONSTRAINT audit_log_seals_row_hash_chk CHECK (length(row_hash) = 32),
    CONSTRAINT audit_log_seals_chain_hash_chk CHECK (length(chain_hash) = 32)
);
COMMENT ON TABLE audit.audit_log_seals IS
    'One seal per audit.audit_log row, in id order: SHA-256 of the row''s canonical text and the hash chain through it. Append-only.';
COMMENT ON COLUMN audit.audit_log_seals.row_hash IS 'sha256 of to_jsonb(audit row)::text, rendered with TimeZone UTC.';
COMMENT ON COLUMN audit.audit_log_seals.chain_hash IS 'sha256(chain_hash of the previous seal || row_hash); 32 zero bytes precede the first seal.';

CREATE TABLE audit.chain_anchors (
    id                 bigint      GENERATED ALWAYS AS IDENTITY,
    sealed_through_id  bigint      NOT NULL,
    head_audit_id      bigint,
    chain_hash         bytea,
    sealed_rows        integer     NOT NULL,
    next_horizon_id    bigint      NOT NULL,
    next_horizon_xid   xid8        NOT NULL,
    anchored_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT chain_anchors_pkey PRIMARY KEY (id),
    CONSTRAINT chain_anchors_head_chk CHECK ((head_audit_id IS NULL) = (chain_hash IS NULL)),
    CONSTRAINT chain_anchors_chain_hash_chk CHECK (length(chain_hash) = 32),
    CONSTRAINT chain_anchors_sealed_rows_chk CHECK (sealed_rows >= 0),
    CONSTRAINT chain_anchors_through_chk CHECK (sealed_through_id >= coalesce(head_audit_id, 0))
);
COMMENT ON TABLE audit.chain_anchors IS
    'One row per sealing run that advanced anything: the chain head after it and how far every id is sealed. Append-only.';
COMMENT ON COLUMN audit.chain_anchors.sealed_through_id IS
    'Every audit id at or below this is sealed or was never committed; an unsealed row at or below it is a forgery.';
COMMENT ON COLUMN audit.chain_anchors.next_horizon_id IS
    'Horizon candidate: the audit identity sequence''s value when the run began.';
COMMENT ON COLUMN audit.chain_anchors.next_horizon_xid IS
    'The run''s snapshot xmax; a later run may seal up to next_horizon_id once every transaction below it has ended.';

-- ---------------------------------------------------------------------------------------------
-- Hashing
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION audit.row_digest(p_row jsonb) RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT sha256(convert_to(p_row::text, 'UTF8'))
$$;
COMMENT ON FUNCTION audit.row_digest(jsonb) IS
    'SHA-256 of an audit row''s canonical text; pass to_jsonb(row) made with TimeZone UTC (the sealing and verifying functions pin it).';

CREATE FUNCTION audit.chain_link(p_previous bytea, p_row_hash bytea) RETURNS bytea
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog
AS $$
    SELECT sha256(coalesce(p_previous, '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea)
                  || p_row_hash)
$$;
COMMENT ON FUNCTION audit.chain_link(bytea, bytea) IS
    'Next chain hash: sha256(previous chain hash || row hash); NULL previous means the start of the chain (32 zero bytes).';

-- ---------------------------------------------------------------------------------------------
-- Sealing
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION audit.seal_pending(p_max_rows integer DEFAULT 10000, p_min_age interval DEFAULT '1 second')
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
COMMENT ON FUNCTION audit.seal_pending(integer, interval) IS
    'Seals up to p_max_rows audit rows in id order, up to the newest horizon that no running transaction can fall below '
    '(and recorded at least p_min_age ago); returns how many it sealed, or NULL when another sealer is running.';

-- ---------------------------------------------------------------------------------------------
-- Verification
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION audit.verify_chain(p_unsealed_lag interval DEFAULT '1 day')
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
COMMENT ON FUNCTION audit.verify_chain(interval) IS
    'Checks every audit row against its seal and the seal chain; reports edited, deleted and inserted rows and breaks '
    'in the chain (no rows: intact). Unsealed rows older than p_unsealed_lag are reported as inserted.';

CREATE FUNCTION audit.chain_head() RETURNS TABLE (sealed_through_id bigint, head_audit_id bigint, chain_hash text,
                                                  anchored_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT a.sealed_through_id, a.head_audit_id, encode(a.chain_hash, 'hex'), a.anchored_at
      FROM audit.chain_anchors a ORDER BY a.id DESC LIMIT 1
$$;
COMMENT ON FUNCTION audit.chain_head() IS
    'The latest anchor: how far the audit log is sealed and the chain hash at its head, to be copied outside the database.';

-- ---------------------------------------------------------------------------------------------
-- Privileges: readers as for the audit log; only the owner's sealing function writes; nobody
-- updates or deletes. The owner reads audit_log only inside these SECURITY DEFINER functions.
-- ---------------------------------------------------------------------------------------------
CREATE POLICY audit_log_select_owner ON audit.audit_log FOR SELECT TO vipride_owner USING (true);

ALTER TABLE audit.audit_log_seals ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.audit_log_seals FORCE ROW LEVEL SECURITY;
GRANT SELECT ON audit.audit_log_seals TO audit_admin, compliance_officer;
CREATE POLICY audit_log_seals_select_audit_admin ON audit.audit_log_seals FOR SELECT TO audit_admin USING (true);
CREATE POLICY audit_log_seals_select_compliance_officer ON audit.audit_log_seals FOR SELECT TO compliance_officer
    USING (true);
CREATE POLICY audit_log_seals_select_owner ON audit.audit_log_seals FOR SELECT TO vipride_owner USING (true);
CREATE POLICY audit_log_seals_insert_owner ON audit.audit_log_seals FOR INSERT TO vipride_owner WITH CHECK (true);

ALTER TABLE audit.chain_anchors ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.chain_anchors FORCE ROW LEVEL SECURITY;
GRANT SELECT ON audit.chain_anchors TO audit_admin, compliance_officer;
CREATE POLICY chain_anchors_select_audit_admin ON audit.chain_anchors FOR SELECT TO audit_admin USING (true);
CREATE POLICY chain_anchors_select_compliance_officer ON audit.chain_anchors FOR SELECT TO compliance_officer
    USING (true);
CREATE POLICY chain_anchors_select_owner ON audit.chain_anchors FOR SELECT TO vipride_owner USING (true);
CREATE POLICY chain_anchors_insert_owner ON audit.chain_anchors FOR INSERT TO vipride_owner WITH CHECK (true);

GRANT EXECUTE ON FUNCTION audit.seal_pending(integer, interval) TO system_admin, audit_admin;
GRANT EXECUTE ON FUNCTION audit.verify_chain(interval), audit.chain_head() TO system_admin, audit_admin, compliance_officer;
