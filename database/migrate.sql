-- migrate.sql — applies one versioned migration with psql, once, the way Flyway would.
-- upgrade.sql sets :version, :description and :script, then includes this file. A migration already
-- recorded in public.flyway_schema_history (by psql or by the service's Flyway) is skipped.
-- The row is recorded without a checksum: psql cannot compute Flyway's; the service fills it in at its
-- next start (Flyway repair) and then validates every later start against it.
SELECT NOT EXISTS (SELECT FROM public.flyway_schema_history WHERE version = :'version' AND success) AS pending \gset
\if :pending
BEGIN;
\ir :script
INSERT INTO public.flyway_schema_history
    (installed_rank, version, description, type, script, checksum, installed_by, execution_time, success)
SELECT coalesce(max(installed_rank), 0) + 1, :'version', :'description', 'SQL', :'script', NULL, current_user, 0, true
  FROM public.flyway_schema_history;
COMMIT;
\endif
