#!/usr/bin/env bash
# Backup of the vip_data schema alone (VIP profiles, locations, incidents, geofences and the wrapped
# data keys), taken with the backup login vipride_backup. Every VIP field is in it as AES-256-GCM
# ciphertext and every data key only wrapped: the dump is useless without the master key. Deleting a
# subject's key (crypto-shredding) makes that subject's rows in this dump unreadable too.
#
#   ops/backup-vip.sh [output-dir]             (default: ./backups; connection as for backup-full.sh)
#
# It restores into a database that already has the rest of the schema (its rows reference public.users):
#   pg_restore -d vipride --data-only --schema=vip_data <dump>   (or --clean for the schema's objects)
set -euo pipefail
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
out=${1:-backups}
db=${PGDATABASE:-vipride}
mkdir -p "$out"
dump="$out/$db-vip-$(date -u +%Y%m%dT%H%M%SZ).dump"
"$bin/pg_dump" -U vipride_backup -d "$db" --schema=vip_data -Fc -f "$dump"
test -s "$dump"
echo "$dump"
