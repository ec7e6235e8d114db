#!/usr/bin/env bash
# report.sh [--collect] [--write] — the drills' table, made from their summaries.
#
# Every drill ends with a DRILL-SUMMARY line and a JSON file: the shell drills (crash.sh,
# two-instances.sh) write bench/results/drills/<drill>.json themselves; the drills that are tests
# (OpenApiFuzzIT, PgBouncerTransactionPoolingIT, VipMasterKeyRotationIT, BackupRoundTripIT) write
# target/drills/<drill>.json, which --collect copies to bench/results/drills/.
# Prints the Markdown table (drill, load held, faults survived, bad inputs tried, rows lost, held);
# --write also puts it into docs/reliability.md between the drills-table markers.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
results=$root/bench/results/drills
collect=false; write=false
for arg in "$@"; do
  case $arg in
    --collect) collect=true ;;
    --write) write=true ;;
    *) echo "usage: report.sh [--collect] [--write]" >&2; exit 2 ;;
  esac
done
mkdir -p "$results"
if $collect; then
  for f in "$root"/target/drills/*.json; do
    [[ -e $f ]] || continue
    jq . "$f" > "$results/$(basename "$f")"
  done
fi

order='{"openapi-fuzz":1,"crash":2,"two-instances":3,"pgbouncer-identity":4,"backup-restore":5,"master-key-rotation":6}'
table=$(
  echo "| Drill | Load held | Faults survived | Bad inputs tried | Rows lost | Held | Measured |"
  echo "|---|---|---|---|---|---|---|"
  for f in "$results"/*.json; do
    [[ -e $f ]] || continue
    cat "$f"
  done | jq -rs --argjson order "$order" '
    sort_by($order[.drill] // 99)[]
    | "| \(.drill) | \(.load) | \(.faults) | \(.badInputs) | \(.rowsLost) | \(if .ok then "yes" else "**NO**" end) | \(.measuredAt[0:10]), \(.machine) |"'
)
echo "$table"
if $write; then
  doc=$root/docs/reliability.md
  grep -q '<!-- drills-table:start -->' "$doc" || { echo "no drills-table markers in $doc" >&2; exit 1; }
  TABLE="$table" python3 - "$doc" <<'PY'
import os, re, sys
path = sys.argv[1]
text = open(path).read()
text = re.sub(r'(<!-- drills-table:start -->\n).*?(<!-- drills-table:end -->)',
              lambda m: m.group(1) + os.environ['TABLE'] + '\n' + m.group(2), text, flags=re.S)
open(path, 'w').write(text)
PY
fi
