-- V1_11__ops_tables.sql — operations: the retention rules and the archive tables (the live tables'
-- shape; rides and the audit log partitioned like their live tables so that whole partitions can be
-- attached without a copy), maintenance runs, health thresholds and the privilege baseline.
-- Rules: every timestamp is timestamptz. The archive tables get forced RLS and their policies in the
-- repeatable file, like the live tables they mirror; the operational tables carry none.

CREATE TABLE archive.retention_rules (
    data_class        text        NOT NULL,
    live_months       integer     NOT NULL,
    action            text        NOT NULL,
    legal_basis       text        NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT retention_rules_pkey PRIMARY KEY (data_class),
    CONSTRAINT retention_rules_months_chk CHECK (live_months BETWEEN 1 AND 1200),
    CONSTRAINT retention_rules_action_chk CHECK (action IN ('archive', 'anonymize', 'delete'))
);

COMMENT ON TABLE archive.retention_rules IS
    'How long each data class stays live before it is archived, anonymised or deleted (NDPR/GDPR).';

INSERT INTO archive.retention_rules (data_class, live_months, action, legal_basis) VALUES
    ('rides', 84, 'archive', 'Spec: automated archival after 7 years; tax and transport records.'),
    ('payments', 84, 'archive', 'Financial records kept 7 years.'),
    ('vip_location_history', 24, 'delete', 'Data minimisation: precise VIP positions are not kept longer than needed.'),
    ('audit_log', 84, 'archive', 'Accountability records kept 7 years.'),
    ('auth_events', 24, 'delete', 'Security monitoring window.');

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

CREATE SEQUENCE maintenance.maintenance_request_seq AS integer CYCLE;

COMMENT ON SEQUENCE maintenance.maintenance_request_seq IS
    'Request numbers of SQL maintenance calls; the second key of their advisory lock (an int4).';

CREATE TABLE archive.ride_offers (LIKE public.ride_offers INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES
                                  INCLUDING STORAGE INCLUDING COMMENTS);

COMMENT ON TABLE archive.ride_offers IS 'Offers of archived rides.';

CREATE TABLE archive.refunds (LIKE public.refunds INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES
                              INCLUDING STORAGE INCLUDING COMMENTS);

COMMENT ON TABLE archive.refunds IS 'Refunds of archived payments.';

CREATE TABLE archive.payment_disputes (LIKE public.payment_disputes INCLUDING DEFAULTS INCLUDING CONSTRAINTS
                                       INCLUDING INDEXES INCLUDING STORAGE INCLUDING COMMENTS);

COMMENT ON TABLE archive.payment_disputes IS 'Disputes of archived payments.';

CREATE TABLE archive.processor_events (LIKE public.processor_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS
                                       INCLUDING INDEXES INCLUDING STORAGE INCLUDING COMMENTS);

COMMENT ON TABLE archive.processor_events IS 'Processor webhook events of archived payments.';

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

INSERT INTO monitoring.health_thresholds (check_name, warning_at, critical_at, higher_is_worse, unit, description) VALUES
    ('vip_access_breadth', 10, 50, true, 'VIPs', 'Distinct VIPs whose data one accessor read in the last hour.'),
    ('vip_access_rate', 5, 20, true, 'times usual', 'Reads of VIP data by one accessor in the last hour against their usual hourly rate (7 days before), once at least 20 reads.');

CREATE TABLE monitoring.privilege_baseline (
    kind       text NOT NULL,
    object     text NOT NULL,
    grantee    text NOT NULL,
    privilege  text NOT NULL,
    CONSTRAINT privilege_baseline_pkey PRIMARY KEY (kind, object, grantee, privilege)
);

COMMENT ON TABLE monitoring.privilege_baseline IS
    'The privileges as last recorded by monitoring.record_privilege_changes(); differences from the catalog are alerts.';

