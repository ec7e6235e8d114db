-- V1_10__audit_tables.sql — the audit trail: audit_log (monthly partitions), audit_inbox (what the audit
-- triggers capture inside the writing transaction), the seals and chain anchors of the hash chain,
-- vip_access_log, auth_events, data-subject requests, breach reports and privilege_changes.
-- Audit tables: nobody holds UPDATE or DELETE.
-- Rules: money is integer minor units beside an ISO-4217 code; every timestamp is timestamptz; RLS is
-- enabled and FORCED on every table (the policies live in the repeatable file).

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

-- ---------------------------------------------------------------------------------------------
-- Audit schema: append-only. audit_admin and compliance_officer read; the owner (audit triggers and
-- logging functions) appends; nobody updates or deletes. Riders see and file their own data-subject
-- requests; compliance officers manage requests and breach reports; system_admin reports breaches.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE audit.audit_log ENABLE ROW LEVEL SECURITY;

ALTER TABLE audit.audit_log FORCE ROW LEVEL SECURITY;

ALTER TABLE audit.vip_access_log ENABLE ROW LEVEL SECURITY;

ALTER TABLE audit.vip_access_log FORCE ROW LEVEL SECURITY;

ALTER TABLE audit.auth_events ENABLE ROW LEVEL SECURITY;

ALTER TABLE audit.auth_events FORCE ROW LEVEL SECURITY;

ALTER TABLE audit.data_subject_requests ENABLE ROW LEVEL SECURITY;

ALTER TABLE audit.data_subject_requests FORCE ROW LEVEL SECURITY;

ALTER TABLE audit.breach_reports ENABLE ROW LEVEL SECURITY;

ALTER TABLE audit.breach_reports FORCE ROW LEVEL SECURITY;

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

ALTER TABLE audit.audit_log_seals ENABLE ROW LEVEL SECURITY;

ALTER TABLE audit.audit_log_seals FORCE ROW LEVEL SECURITY;

ALTER TABLE audit.chain_anchors ENABLE ROW LEVEL SECURITY;

ALTER TABLE audit.chain_anchors FORCE ROW LEVEL SECURITY;

CREATE INDEX vip_access_log_accessed_idx ON audit.vip_access_log (accessed_at);

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

ALTER TABLE audit.audit_inbox ENABLE ROW LEVEL SECURITY;

ALTER TABLE audit.audit_inbox FORCE ROW LEVEL SECURITY;

-- A multi-row UPDATE's JSON is large and lives a second: lz4 compresses it for less CPU than pglz.
-- PostgreSQL built without lz4 keeps its default (pglz).
DO $$
BEGIN
    ALTER TABLE audit.audit_inbox ALTER COLUMN old_rows SET COMPRESSION lz4, ALTER COLUMN new_rows SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'lz4 is not available; the audit inbox compresses with pglz';
END
$$;
