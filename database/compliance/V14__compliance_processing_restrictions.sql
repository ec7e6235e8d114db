-- Restriction of processing (NDPA s.34(1)(c), GDPR art. 18): while a restriction is in force the
-- account's data is only stored and used for the service the subject still uses (rides, payments,
-- safety); marketing and analytics leave the subject out (compliance.may_message,
-- compliance.analytics_excluded, analytics.vip_usage). One open restriction per account; lifting it
-- keeps the row as the record of when and by whom.
CREATE TABLE compliance.processing_restrictions (
    id          uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id     uuid        NOT NULL,
    request_id  uuid        NOT NULL,
    placed_by   uuid,
    placed_at   timestamptz NOT NULL DEFAULT now(),
    lifted_at   timestamptz,
    lifted_by   uuid,
    CONSTRAINT processing_restrictions_pkey PRIMARY KEY (id),
    CONSTRAINT processing_restrictions_request_fk FOREIGN KEY (request_id) REFERENCES compliance.subject_requests (id),
    CONSTRAINT processing_restrictions_lifted_chk CHECK (lifted_at IS NULL OR lifted_at >= placed_at)
);

COMMENT ON TABLE compliance.processing_restrictions IS
    'Restrictions of processing placed on a restriction request: in force from placed_at until lifted_at.';

CREATE UNIQUE INDEX processing_restrictions_open_key ON compliance.processing_restrictions (user_id) WHERE lifted_at IS NULL;

CREATE INDEX processing_restrictions_request_idx ON compliance.processing_restrictions (request_id);

ALTER TABLE compliance.processing_restrictions ENABLE ROW LEVEL SECURITY;
ALTER TABLE compliance.processing_restrictions FORCE ROW LEVEL SECURITY;
