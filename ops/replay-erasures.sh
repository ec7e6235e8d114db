#!/usr/bin/env bash
# replay-erasures.sh [erasure-log.json] — run after ANY restore, before the service serves requests again:
# applies every logged erasure again (compliance.replay_erasure_log), so that a backup taken before an
# erasure never brings the erased person back. Give the erasure log exported after the backup was taken
# (ops/export-erasure-log.sh, kept outside the database) to replay erasures newer than the backup too;
# without it, the log restored with the backup is replayed. Runs as a superuser (RESTORE_USER, default
# postgres) with the usual libpq variables (PGHOST, PGPORT, PGDATABASE). Prints how many subjects it erased.
set -euo pipefail
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
LOG_FILE=${1:-}
LOG_JSON=''
if [[ -n $LOG_FILE ]]; then
  LOG_JSON=$(cat "$LOG_FILE")
fi
"$PG_BIN/psql" -U "${RESTORE_USER:-postgres}" -X -q -At -v ON_ERROR_STOP=1 -v log="$LOG_JSON" <<'SQL'
BEGIN;
SET LOCAL ROLE system_admin;
SELECT compliance.replay_erasure_log(NULLIF(:'log', '')::jsonb);
COMMIT;
SQL
