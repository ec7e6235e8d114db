-- V9__compliance_tables.sql — privacy operations (NDPA/NDPR, GDPR): data-subject requests and their
-- timeline, legal holds, the erasure log (replayed after a restore), the per-subject keys that seal
-- personal values in the audit trail, subject-access exports, consent purposes, notices and history,
-- breach incidents with their timeline and affected subjects, and the privacy alerts monitoring shows.
-- The data map (which column holds which personal data and how erasure treats it) is a definition:
-- it lives in R__14_compliance.sql.
-- Rules: every timestamp is timestamptz; RLS is enabled and FORCED on every table (the policies live in
-- the repeatable file).

CREATE SCHEMA IF NOT EXISTS compliance;

-- ---------------------------------------------------------------------------------------------
-- Data-subject requests (access, portability, rectification, erasure, restriction, objection).
-- Due one month after receipt; one extension of two months with a recorded reason.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE compliance.subject_requests (
    id                     uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id                uuid        NOT NULL,
    request_type           text        NOT NULL,
    status                 text        NOT NULL DEFAULT 'received',
    channel                text        NOT NULL,
    filed_by               uuid,
    details                text,
    received_at            timestamptz NOT NULL DEFAULT now(),
    due_at                 timestamptz NOT NULL,
    extended_at            timestamptz,
    extension_reason       text,
    identity_verified_at   timestamptz,
    identity_verified_by   uuid,
    identity_method        text,
    deferred_reason        text,
    completed_at           timestamptz,
    outcome                text,
    last_warned_at         timestamptz,
    CONSTRAINT subject_requests_pkey PRIMARY KEY (id),
    CONSTRAINT subject_requests_type_chk CHECK (request_type IN
        ('access', 'portability', 'rectification', 'erasure', 'restriction', 'objection')),
    CONSTRAINT subject_requests_status_chk CHECK (status IN
        ('received', 'verified', 'in_progress', 'deferred', 'completed', 'rejected')),
    CONSTRAINT subject_requests_channel_chk CHECK (channel IN ('subject', 'officer')),
    CONSTRAINT subject_requests_extension_chk CHECK ((extended_at IS NULL) = (extension_reason IS NULL)
                                                     AND (extension_reason IS NULL OR length(btrim(extension_reason)) BETWEEN 3 AND 2000)),
    CONSTRAINT subject_requests_verified_chk CHECK ((identity_verified_at IS NULL) = (identity_method IS NULL)),
    CONSTRAINT subject_requests_closed_chk CHECK ((status IN ('completed', 'rejected')) = (completed_at IS NOT NULL)),
    CONSTRAINT subject_requests_details_chk CHECK (details IS NULL OR length(details) <= 4000)
);

COMMENT ON TABLE compliance.subject_requests IS
    'Data-subject requests: who, what, the statutory due date (one month, extendable once by two), identity check and outcome.';

CREATE INDEX subject_requests_user_idx ON compliance.subject_requests (user_id, received_at DESC);

CREATE INDEX subject_requests_open_idx ON compliance.subject_requests (due_at) WHERE completed_at IS NULL;

CREATE TABLE compliance.request_events (
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    request_id  uuid        NOT NULL,
    event       text        NOT NULL,
    actor_id    uuid,
    actor_role  text        NOT NULL,
    detail      jsonb       NOT NULL DEFAULT '{}',
    at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT request_events_pkey PRIMARY KEY (id),
    CONSTRAINT request_events_request_fk FOREIGN KEY (request_id) REFERENCES compliance.subject_requests (id)
);

COMMENT ON TABLE compliance.request_events IS 'Every step of a data-subject request, append-only: its timeline and proof.';

CREATE INDEX request_events_request_idx ON compliance.request_events (request_id, id);

-- ---------------------------------------------------------------------------------------------
-- Legal holds: while one is active the subject's erasure is refused (litigation, investigation).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE compliance.legal_holds (
    id           uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id      uuid        NOT NULL,
    reason       text        NOT NULL,
    placed_by    uuid,
    placed_at    timestamptz NOT NULL DEFAULT now(),
    released_at  timestamptz,
    released_by  uuid,
    CONSTRAINT legal_holds_pkey PRIMARY KEY (id),
    CONSTRAINT legal_holds_reason_chk CHECK (length(btrim(reason)) BETWEEN 3 AND 2000)
);

CREATE INDEX legal_holds_active_idx ON compliance.legal_holds (user_id) WHERE released_at IS NULL;

-- ---------------------------------------------------------------------------------------------
-- Erasure log: one row per erased subject (ids only, no personal data). Replayed after a restore so
-- an old backup never brings an erased person back.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE compliance.erasure_log (
    id          bigint      GENERATED ALWAYS AS IDENTITY,
    user_id     uuid        NOT NULL,
    request_id  uuid,
    erased_at   timestamptz NOT NULL DEFAULT now(),
    erased_by   uuid,
    retained    jsonb       NOT NULL DEFAULT '[]',
    summary     jsonb       NOT NULL DEFAULT '{}',
    CONSTRAINT erasure_log_pkey PRIMARY KEY (id)
);

COMMENT ON TABLE compliance.erasure_log IS
    'Erased subjects (ids only), what was kept pseudonymised with its legal basis and erasable date; replayed after restores.';

CREATE INDEX erasure_log_user_idx ON compliance.erasure_log (user_id);

-- ---------------------------------------------------------------------------------------------
-- Subject audit keys: personal values written to the audit trail are sealed (AES) under their subject's
-- key; erasure destroys the key, so the chain's hashes still verify while the values are gone.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE compliance.subject_audit_keys (
    user_id      uuid        NOT NULL,
    audit_key    bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    shredded_at  timestamptz,
    CONSTRAINT subject_audit_keys_pkey PRIMARY KEY (user_id),
    CONSTRAINT subject_audit_keys_state_chk CHECK ((audit_key IS NULL) = (shredded_at IS NOT NULL)
                                                   AND (audit_key IS NULL OR length(audit_key) = 32))
);

COMMENT ON TABLE compliance.subject_audit_keys IS
    'Per-subject AES-256 keys sealing personal values in audit rows; NULL with shredded_at once the subject is erased.';

-- ---------------------------------------------------------------------------------------------
-- Exports for access and portability: a zip built by a job, downloadable once before it expires.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE compliance.exports (
    id             uuid        NOT NULL DEFAULT gen_random_uuid(),
    request_id     uuid        NOT NULL,
    user_id        uuid        NOT NULL,
    status         text        NOT NULL DEFAULT 'pending',
    archive        bytea,
    size_bytes     integer,
    token_hash     bytea,
    created_at     timestamptz NOT NULL DEFAULT now(),
    ready_at       timestamptz,
    expires_at     timestamptz,
    downloaded_at  timestamptz,
    error          text,
    CONSTRAINT exports_pkey PRIMARY KEY (id),
    CONSTRAINT exports_request_fk FOREIGN KEY (request_id) REFERENCES compliance.subject_requests (id),
    CONSTRAINT exports_status_chk CHECK (status IN ('pending', 'ready', 'downloaded', 'expired', 'failed')),
    CONSTRAINT exports_ready_chk CHECK (status IN ('pending', 'failed') OR (ready_at IS NOT NULL AND expires_at IS NOT NULL))
);

COMMENT ON TABLE compliance.exports IS
    'Subject-access archives: built by the export job, downloaded once with a token before expires_at, then emptied.';

CREATE INDEX exports_pending_idx ON compliance.exports (created_at) WHERE status = 'pending';

CREATE INDEX exports_user_idx ON compliance.exports (user_id);

-- ---------------------------------------------------------------------------------------------
-- Consent: purposes, versioned notices, and an append-only history of grants and withdrawals.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE compliance.consent_purposes (
    purpose      text    NOT NULL,
    title        text    NOT NULL,
    essential    boolean NOT NULL,
    description  text    NOT NULL,
    CONSTRAINT consent_purposes_pkey PRIMARY KEY (purpose),
    CONSTRAINT consent_purposes_code_chk CHECK (purpose ~ '^[a-z][a-z_]{2,40}$')
);

CREATE TABLE compliance.consent_notices (
    purpose       text        NOT NULL,
    version       integer     NOT NULL,
    text          text        NOT NULL,
    published_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT consent_notices_pkey PRIMARY KEY (purpose, version),
    CONSTRAINT consent_notices_purpose_fk FOREIGN KEY (purpose) REFERENCES compliance.consent_purposes (purpose),
    CONSTRAINT consent_notices_version_chk CHECK (version >= 1)
);

CREATE TABLE compliance.consent_events (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    user_id         uuid        NOT NULL,
    purpose         text        NOT NULL,
    granted         boolean     NOT NULL,
    notice_version  integer     NOT NULL,
    channel         text        NOT NULL,
    recorded_by     uuid,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT consent_events_pkey PRIMARY KEY (id),
    CONSTRAINT consent_events_notice_fk FOREIGN KEY (purpose, notice_version)
        REFERENCES compliance.consent_notices (purpose, version),
    CONSTRAINT consent_events_channel_chk CHECK (channel IN ('registration', 'app', 'web', 'api', 'officer', 'profile'))
);

COMMENT ON TABLE compliance.consent_events IS
    'Append-only consent history: each grant or withdrawal with its time, notice version and channel.';

CREATE INDEX consent_events_user_purpose_idx ON compliance.consent_events (user_id, purpose, id DESC);

INSERT INTO compliance.consent_purposes (purpose, title, essential, description) VALUES
    ('service', 'Providing the service', true,
     'Processing account, ride and payment data to provide rides (contract). Required to use the service.'),
    ('safety_location', 'Location sharing for safety', false,
     'Sharing live location with emergency responders and trusted contacts during rides.'),
    ('marketing', 'Marketing messages', false, 'Offers and news by notification, e-mail or SMS.'),
    ('analytics', 'Analytics', false, 'Including your rides in aggregated usage analytics.');

INSERT INTO compliance.consent_notices (purpose, version, text) VALUES
    ('service', 1, 'We process your account, ride and payment data to provide rides, as our terms describe.'),
    ('safety_location', 1, 'We share your live location with emergency responders during an emergency on a ride.'),
    ('marketing', 1, 'We may send you offers and news. You can withdraw at any time.'),
    ('analytics', 1, 'We include your rides in aggregated analytics. You can withdraw at any time.');

-- ---------------------------------------------------------------------------------------------
-- Breach incidents (NDPA s.40, GDPR art. 33/34): the record, its timeline, the affected subjects.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE compliance.breach_incidents (
    id                      uuid        NOT NULL DEFAULT gen_random_uuid(),
    detected_at             timestamptz NOT NULL,
    nature                  text        NOT NULL,
    data_categories         text[]      NOT NULL,
    approx_subjects         integer     NOT NULL,
    approx_records          integer     NOT NULL,
    likely_consequences     text        NOT NULL,
    measures                text        NOT NULL,
    status                  text        NOT NULL DEFAULT 'open',
    regulator_notified_at   timestamptz,
    alerted_48h_at          timestamptz,
    alerted_72h_at          timestamptz,
    recorded_by             uuid,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT breach_incidents_pkey PRIMARY KEY (id),
    CONSTRAINT breach_incidents_status_chk CHECK (status IN ('open', 'contained', 'notified', 'closed')),
    CONSTRAINT breach_incidents_counts_chk CHECK (approx_subjects >= 0 AND approx_records >= 0),
    CONSTRAINT breach_incidents_categories_chk CHECK (cardinality(data_categories) >= 1),
    CONSTRAINT breach_incidents_text_chk CHECK (length(btrim(nature)) >= 3 AND length(btrim(likely_consequences)) >= 3
                                                AND length(btrim(measures)) >= 3)
);

COMMENT ON TABLE compliance.breach_incidents IS
    'Personal-data breaches; the regulator deadline is detected_at + 72 hours (compliance.breach_clock).';

CREATE TABLE compliance.breach_events (
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    incident_id  uuid        NOT NULL,
    event        text        NOT NULL,
    actor_id     uuid,
    detail       jsonb       NOT NULL DEFAULT '{}',
    at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT breach_events_pkey PRIMARY KEY (id),
    CONSTRAINT breach_events_incident_fk FOREIGN KEY (incident_id) REFERENCES compliance.breach_incidents (id)
);

CREATE INDEX breach_events_incident_idx ON compliance.breach_events (incident_id, id);

CREATE TABLE compliance.breach_subjects (
    incident_id      uuid        NOT NULL,
    user_id          uuid        NOT NULL,
    added_at         timestamptz NOT NULL DEFAULT now(),
    notified_at      timestamptz,
    notification_id  uuid,
    CONSTRAINT breach_subjects_pkey PRIMARY KEY (incident_id, user_id),
    CONSTRAINT breach_subjects_incident_fk FOREIGN KEY (incident_id) REFERENCES compliance.breach_incidents (id)
);

CREATE INDEX breach_subjects_user_idx ON compliance.breach_subjects (user_id);

-- ---------------------------------------------------------------------------------------------
-- Privacy alerts: the breach clock (48 h, 72 h) and data-subject request deadlines, shown in
-- monitoring.security_alerts.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE compliance.privacy_alerts (
    id               bigint      GENERATED ALWAYS AS IDENTITY,
    kind             text        NOT NULL,
    severity         text        NOT NULL,
    reference        uuid        NOT NULL,
    subject_user_id  uuid,
    detail           text        NOT NULL,
    raised_at        timestamptz NOT NULL DEFAULT now(),
    resolved_at      timestamptz,
    CONSTRAINT privacy_alerts_pkey PRIMARY KEY (id),
    CONSTRAINT privacy_alerts_kind_chk CHECK (kind IN ('breach_48h', 'breach_72h', 'dsr_due_soon', 'dsr_overdue')),
    CONSTRAINT privacy_alerts_severity_chk CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    CONSTRAINT privacy_alerts_once_key UNIQUE (kind, reference)
);

CREATE INDEX privacy_alerts_open_idx ON compliance.privacy_alerts (raised_at) WHERE resolved_at IS NULL;

ALTER TABLE compliance.subject_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE compliance.subject_requests FORCE ROW LEVEL SECURITY;
ALTER TABLE compliance.request_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE compliance.request_events FORCE ROW LEVEL SECURITY;
ALTER TABLE compliance.legal_holds ENABLE ROW LEVEL SECURITY;
ALTER TABLE compliance.legal_holds FORCE ROW LEVEL SECURITY;
ALTER TABLE compliance.erasure_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE compliance.erasure_log FORCE ROW LEVEL SECURITY;
ALTER TABLE compliance.subject_audit_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE compliance.subject_audit_keys FORCE ROW LEVEL SECURITY;
ALTER TABLE compliance.exports ENABLE ROW LEVEL SECURITY;
ALTER TABLE compliance.exports FORCE ROW LEVEL SECURITY;
ALTER TABLE compliance.consent_purposes ENABLE ROW LEVEL SECURITY;
ALTER TABLE compliance.consent_purposes FORCE ROW LEVEL SECURITY;
ALTER TABLE compliance.consent_notices ENABLE ROW LEVEL SECURITY;
ALTER TABLE compliance.consent_notices FORCE ROW LEVEL SECURITY;
ALTER TABLE compliance.consent_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE compliance.consent_events FORCE ROW LEVEL SECURITY;
ALTER TABLE compliance.breach_incidents ENABLE ROW LEVEL SECURITY;
ALTER TABLE compliance.breach_incidents FORCE ROW LEVEL SECURITY;
ALTER TABLE compliance.breach_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE compliance.breach_events FORCE ROW LEVEL SECURITY;
ALTER TABLE compliance.breach_subjects ENABLE ROW LEVEL SECURITY;
ALTER TABLE compliance.breach_subjects FORCE ROW LEVEL SECURITY;
ALTER TABLE compliance.privacy_alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE compliance.privacy_alerts FORCE ROW LEVEL SECURITY;
