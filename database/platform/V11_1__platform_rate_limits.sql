-- V11_1__platform_rate_limits.sql — the token buckets of the request rate limits (login, registration,
-- token refresh, per client address and per account), shared by every service instance. Bucket4j's
-- PostgreSQL proxy manager reads and writes a row under SELECT … FOR UPDATE on connections of its own,
-- outside the service's transaction manager (like db-scheduler's table beside it). The state is the
-- library's serialised bucket; expires_at (epoch milliseconds) is when a bucket is full again and its
-- row may be deleted. Keys hold a limit name and a client address or a SHA-256 of an email, no email.
CREATE TABLE maintenance.rate_limit_buckets (
    id          text   NOT NULL,
    state       bytea,
    expires_at  bigint,
    CONSTRAINT rate_limit_buckets_pkey PRIMARY KEY (id),
    CONSTRAINT rate_limit_buckets_id_len_chk CHECK (length(id) BETWEEN 1 AND 200)
);

COMMENT ON TABLE maintenance.rate_limit_buckets IS
    'Rate-limit token buckets (Bucket4j state) keyed by limit and subject, shared by all service instances. No personal data.';

CREATE INDEX rate_limit_buckets_expires_idx ON maintenance.rate_limit_buckets (expires_at);
