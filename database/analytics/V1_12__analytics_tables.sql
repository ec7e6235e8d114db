-- V1_12__analytics_tables.sql — analytics.refresh_log: one row per refresh of a materialized view.
-- Rules: every timestamp is timestamptz. The log carries no row-level security; the grants in the
-- repeatable file decide who reads it.

-- ---------------------------------------------------------------------------------------------
-- Refreshing
-- ---------------------------------------------------------------------------------------------
CREATE TABLE analytics.refresh_log (
    id            bigint      GENERATED ALWAYS AS IDENTITY,
    view_name     text        NOT NULL,
    started_at    timestamptz NOT NULL,
    duration_ms   numeric(12, 3) NOT NULL,
    row_count     bigint      NOT NULL,
    was_concurrent boolean    NOT NULL,
    CONSTRAINT refresh_log_pkey PRIMARY KEY (id),
    CONSTRAINT refresh_log_measures_chk CHECK (duration_ms >= 0 AND row_count >= 0)
);

COMMENT ON TABLE analytics.refresh_log IS 'One row per refresh of an analytics materialized view: which, when, how long, how many rows.';

CREATE INDEX refresh_log_view_idx ON analytics.refresh_log (view_name, started_at DESC);
