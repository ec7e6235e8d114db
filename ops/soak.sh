#!/usr/bin/env bash
# soak.sh BASE_URL MINUTES [simulate.sh options] — a soak run: the city simulator drives traffic for
# MINUTES while, every minute, this samples the service: the JVM's heap used right after a full GC, the
# process's resident memory, the audit trail's unprocessed inbox (audit.audit_inbox), the notification
# outbox's pending rows, and the machine's load average. Prints one line a sample, then a line starting
# SOAK-SUMMARY (duration, rides completed, errors, heap first/last/max, inbox max, outbox max).
# Needs ADMIN_EMAIL and ADMIN_PASSWORD (as simulate.sh), jcmd and psql. The service is found by the port
# of BASE_URL (or set SERVICE_PID); its database by PGHOST/PGPORT (default localhost:15432), user
# postgres, database vipride (the embedded cluster trusts local logins). Exits 0 only when the simulation
# had no error.
set -euo pipefail

BASE_URL=${1:?usage: soak.sh BASE_URL MINUTES [simulate.sh options]}
MINUTES=${2:?usage: soak.sh BASE_URL MINUTES [simulate.sh options]}
shift 2
: "${ADMIN_EMAIL:?set ADMIN_EMAIL}" "${ADMIN_PASSWORD:?set ADMIN_PASSWORD}"
PORT=$(sed -E 's#^[a-z]+://[^:/]+:?([0-9]*).*#\1#' <<< "$BASE_URL")
PORT=${PORT:-80}
PID=${SERVICE_PID:-$(ss -ltnpH "sport = :$PORT" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)}
[[ -n $PID ]] || { echo "no process listens on port $PORT; set SERVICE_PID" >&2; exit 2; }
export PGHOST=${PGHOST:-localhost} PGPORT=${PGPORT:-15432}
PSQL=(psql -X -q -A -t -U postgres -d "${PGDATABASE:-vipride}")
LOG=$(mktemp -t soak-simulation.XXXXXX.log)
SAMPLES=$(mktemp -t soak-samples.XXXXXX)

"$(dirname "$0")/simulate.sh" "$BASE_URL" --minutes "$MINUTES" "$@" > "$LOG" 2>&1 &
SIMULATOR=$!
trap 'kill "$SIMULATOR" 2> /dev/null || true' EXIT

sample() { # minute → one sample line, also kept in $SAMPLES
  jcmd "$PID" GC.run > /dev/null
  local heap rss inbox outbox completed load
  heap=$(jcmd "$PID" GC.heap_info | grep -o 'used [0-9]*K' | head -n 1 | tr -dc 0-9 || true)
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$PID/status" || true)
  inbox=$("${PSQL[@]}" -c 'SELECT count(*) FROM audit.audit_inbox' || echo -1)
  outbox=$("${PSQL[@]}" -c "SELECT count(*) FROM public.notification_outbox WHERE status = 'pending'" || echo -1)
  completed=$(grep -o 'completed=[0-9]*' "$LOG" | tail -n 1 | cut -d= -f2 || true)
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  printf '%s %d %d %d %d %s %s\n' "$1" "$((${heap:-0} / 1024))" "$((${rss:-0} / 1024))" "$inbox" "$outbox" "${completed:-0}" "$load" >> "$SAMPLES"
  printf 'sample %s t=%smin heap-after-gc=%dMB rss=%dMB audit-inbox=%d outbox-pending=%d rides-completed=%s load=%s\n' \
    "$(date -u +%H:%M:%S)" "$1" "$((${heap:-0} / 1024))" "$((${rss:-0} / 1024))" "$inbox" "$outbox" "${completed:-0}" "$load"
}

began=$(date +%s)
minute=0
sample "$minute"
while kill -0 "$SIMULATOR" 2> /dev/null; do
  for _ in $(seq 1 60); do kill -0 "$SIMULATOR" 2> /dev/null || break; sleep 1; done
  minute=$((minute + 1))
  sample "$minute"
  grep -E '^(progress|ERROR|STREAM|seeded)' "$LOG" | tail -n 3 | sed 's/^/  /' || true
done
status=0
wait "$SIMULATOR" || status=$?
grep -E '^(ERROR|STREAM|  |SIMULATION-SUMMARY)' "$LOG" || true
SUMMARY=$(grep '^SIMULATION-SUMMARY' "$LOG" || echo 'SIMULATION-SUMMARY missing')
completed=$(grep -o 'completed=[0-9]*' <<< "$SUMMARY" | cut -d= -f2 || true)
errors=$(grep -o ' errors=[0-9]*' <<< "$SUMMARY" | cut -d= -f2 || true)
awk -v duration="$(( ($(date +%s) - began) / 60 ))" -v completed="${completed:-?}" -v errors="${errors:-?}" '
  { heap[NR] = $2; if ($2 > hmax) hmax = $2; if ($4 > imax) imax = $4; if ($5 > omax) omax = $5; if ($7 + 0 > lmax) lmax = $7 + 0 }
  END {
    half = int(NR / 2); a = 0; b = 0
    for (i = 2; i <= half; i++) a += heap[i]
    for (i = half + 1; i <= NR; i++) b += heap[i]
    printf "SOAK-SUMMARY duration=%dmin samples=%d rides-completed=%s errors=%s heap-after-gc-mb first=%d last=%d max=%d first-half-mean=%.0f second-half-mean=%.0f audit-inbox-max=%d outbox-pending-max=%d load1-max=%.2f\n",
      duration, NR, completed, errors, heap[1], heap[NR], hmax, (half > 1 ? a / (half - 1) : 0), (NR > half ? b / (NR - half) : 0), imax, omax, lmax
  }' "$SAMPLES"
echo "simulation log: $LOG" >&2
exit "$status"
