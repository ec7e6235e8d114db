-- install.sql — installs the whole schema with psql alone, as a superuser:
--   createdb vipride
--   psql -v ON_ERROR_STOP=1 -d vipride -f database/install.sql
-- cluster.sql lays down what only a superuser may (roles, superuser-only extensions, the VIP crypto
-- agent bridge); upgrade.sql then creates everything else as vipride_owner, exactly as the service's
-- Flyway would, and records each migration where Flyway reads it. The service serves the result with
-- no extra settings (SchemaInstallIT proves both paths give the same schema).
\set ON_ERROR_STOP on
\ir cluster.sql
\ir upgrade.sql
