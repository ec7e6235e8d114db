#!/usr/bin/env bash
# export-erasure-log.sh > erasure-log.json — the erasure log (subject ids and times only) as JSON, to keep
# outside the database beside the backups; ops/replay-erasures.sh takes it after a restore. Runs as a
# superuser (RESTORE_USER, default postgres) with the usual libpq variables.
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
"$PG_BIN/psql" -U "${RESTORE_USER:-postgres}" -X -q -At -v ON_ERROR_STOP=1 <<'SQL'
BEGIN;
SET LOCAL ROLE system_admin;
SELECT compliance.erasure_log_export();
COMMIT;
SQL
