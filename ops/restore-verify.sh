#!/usr/bin/env bash
# Restores a full backup into a new database and verifies it against the backup's manifest: the exact
# row count of every table, and digests of a sample of VIP ciphertexts and of the wrapped data keys
# (so the restored ciphertexts decrypt with the keys: the same envelopes, the same wrapped keys, the
# master key from the key source). Exits 0 when everything matches, 1 otherwise.
#
#   ops/restore-verify.sh <dump> [target-database]   (default target: <db>_restore_<UTC time>)
#
# Runs as a superuser (RESTORE_USER, default postgres): it creates the database and restores ownership
# and privileges as dumped. The roles must exist in the cluster: on a new cluster run the backup's
# .roles.sql first (psql -f <base>.roles.sql), then set the logins' passwords. The target database is
# left in place for inspection; drop it when done.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
dump=${1:?usage: restore-verify.sh <dump> [target-database]}
base=${dump%.dump}
test -s "$base.manifest" || { echo "no manifest $base.manifest beside the dump" >&2; exit 2; }
target=${2:-${PGDATABASE:-vipride}_restore_$(date -u +%Y%m%dT%H%M%SZ | tr 'A-Z' 'a-z')}
user=${RESTORE_USER:-postgres}

"$bin/createdb" -U "$user" "$target"
# Row security on: the dump's REFRESH MATERIALIZED VIEW statements run as the views' owner, who (like
# everyone) is held to the forced policies; with pg_restore's default (off) they would be refused. The
# superuser restoring the table data is not subject to row security either way.
"$bin/pg_restore" -U "$user" -d "$target" --exit-on-error --enable-row-security "$dump"
restored=$(mktemp)
trap 'rm -f "$restored"' EXIT
"$bin/psql" -X -q -v ON_ERROR_STOP=1 -U "$user" -d "$target" -v manifest="$restored" -f "$here/manifest.sql"

if diff -u "$base.manifest" "$restored"; then
    echo "restore of $dump into $target verified: $(grep -vc '^digest:' "$restored") tables, row counts and VIP digests equal"
else
    echo "restore of $dump into $target differs from its manifest (above: - backup, + restored)" >&2
    exit 1
fi
