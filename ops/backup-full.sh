#!/usr/bin/env bash
# Full logical backup of the database, taken with the backup login vipride_backup (BYPASSRLS,
# pg_read_all_data, writes nothing). VIP fields are AES-256-GCM envelopes in the database and stay so in
# the dump; their data keys are in it only wrapped by the master key, which never enters the database.
#
#   ops/backup-full.sh [output-dir]            (default: ./backups)
#
# Connection: the usual libpq variables (PGHOST, PGPORT, PGDATABASE — default vipride); the password of
# vipride_backup from PGPASSWORD or ~/.pgpass. PG_BIN points at the PostgreSQL 15 client tools.
# Writes <db>-full-<UTC time>.dump (pg_dump custom format), .manifest (exact row counts of every table
# and digests of VIP ciphertexts, taken in the very snapshot the dump was taken in — restore-verify.sh
# checks a restore against it) and .roles.sql (the cluster's roles, without passwords, for restoring
# into a new cluster). Prints the dump's path.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
out=${1:-backups}
db=${PGDATABASE:-vipride}
mkdir -p "$out"
base="$out/$db-full-$(date -u +%Y%m%dT%H%M%SZ)"

# One REPEATABLE READ transaction exports its snapshot; pg_dump dumps exactly that snapshot while the
# same transaction counts the rows, so the manifest describes the dump, however busy the database is.
"$bin/psql" -X -q -v ON_ERROR_STOP=1 -U vipride_backup -d "$db" -v manifest="$base.manifest" <<SQL
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SELECT pg_export_snapshot() AS snapshot \gset
\setenv VIPRIDE_SNAPSHOT :snapshot
\! "$bin/pg_dump" -U vipride_backup -d "$db" --snapshot="\$VIPRIDE_SNAPSHOT" -Fc -f "$base.dump"
\i $here/manifest.sql
COMMIT;
SQL
test -s "$base.dump"
"$bin/pg_dumpall" -U vipride_backup -l "$db" --roles-only --no-role-passwords -f "$base.roles.sql"
echo "$base.dump"
