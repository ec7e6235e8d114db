#!/usr/bin/env bash
# crash.sh — drill: writes acknowledged before a crash are all there afterwards, once each.
#
# Starts the service (the packaged jar, embedded PostgreSQL in a fresh folder, durable: fsync and
# synchronous_commit on), puts it under write load — riders registering, riders quoting and requesting
# rides with an Idempotency-Key — and then, under that load:
#   1. kill -9 of the service; start it again on the same folder;
#   2. kill -9 of PostgreSQL's postmaster (an immediate crash: recovery from the WAL); PostgreSQL is
#      started again by this script (as a supervisor would) and the service, NOT restarted, must serve
#      again; /actuator/health must answer within 1 s while the database is down.
# Afterwards every acknowledged (201) registration and ride is in the database exactly once, a replay of
# each acknowledged ride's Idempotency-Key returns that same ride, and an access token issued before
# the service's kill -9 still works after it (the embedded default keeps its token key).
# Prints its figures; exits 0 only when every check held. Needs curl, jq, psql; builds the jar if missing.
#   LOAD_SECONDS (default 20) per phase, WORKERS (default 4), DRILL_PORT (default: a free port).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LOAD_SECONDS=${LOAD_SECONDS:-20}
WORKERS=${WORKERS:-4}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("localhost", 0)); print(s.getsockname()[1])'; }
PORT=${DRILL_PORT:-$(free_port)}
MPORT=$(free_port)
PGPORT=$(free_port)
WORK=$(mktemp -d /tmp/vipride-crash-drill.XXXXXX)
BASE=http://localhost:$PORT
SERVICE_PID=
LOAD_PIDS=()

say() { printf '[crash] %s\n' "$*"; }
fail() { printf '[crash] FAILED: %s\n' "$*" >&2; exit 1; }
cleanup() {
  for pid in "${LOAD_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -n $SERVICE_PID ]] && kill "$SERVICE_PID" 2>/dev/null || true
  sleep 2
  if [[ -f $WORK/postgres/postmaster.pid ]]; then
    kill "$(head -1 "$WORK/postgres/postmaster.pid")" 2>/dev/null || true
  fi
  [[ ${KEEP_DRILL_DIR:-} == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT

JAR=$(ls "$ROOT"/target/vipride-platform-*.jar 2>/dev/null | grep -v -- '-plain' | head -1 || true)
if [[ -z $JAR ]]; then
  say "building the service jar"
  (cd "$ROOT" && ./mvnw -q -DskipTests package)
  JAR=$(ls "$ROOT"/target/vipride-platform-*.jar | grep -v -- '-plain' | head -1)
fi

start_service() {
  VIPRIDE_EMBEDDED_POSTGRES_DATA_DIR=$WORK/postgres VIPRIDE_EMBEDDED_POSTGRES_PORT=$PGPORT \
  SERVER_PORT=$PORT VIPRIDE_MANAGEMENT_PORT=$MPORT \
  VIPRIDE_RATE_LIMITS_ADDRESS_CAPACITY=100000000 VIPRIDE_RATE_LIMITS_ACCOUNT_CAPACITY=100000000 \
    java -Xmx512m -jar "$JAR" >> "$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
  local deadline=$((SECONDS + 400))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/actuator/health" || true) == 200 ]]; do
    (( SECONDS < deadline )) || fail "service did not become healthy (see $WORK/service.log)"
    kill -0 "$SERVICE_PID" 2>/dev/null || fail "service exited (see $WORK/service.log)"
    sleep 1
  done
}

sql() { psql -h localhost -p "$PGPORT" -U postgres -d vipride -Atq -v ON_ERROR_STOP=1 "$@"; }

# register_worker N: registrations; acknowledged ones go to acked-registrations.
register_worker() {
  local w=$1 i=0 status
  while :; do
    i=$((i + 1))
    status=$(curl -s -m 10 -o "$WORK/reg-$w.body" -w '%{http_code}' -X POST "$BASE/api/v1/auth/register" \
      -H 'content-type: application/json' \
      -d "{\"email\":\"drill-$w-$i-$RANDOM$RANDOM@example.com\",\"phone\":\"+23480$(printf '%08d' $(( (RANDOM * 32768 + RANDOM) % 100000000 )))\",\"password\":\"drill password $w\",\"firstName\":\"Drill\",\"lastName\":\"Worker\",\"dataProcessingConsent\":true}" || true)
    if [[ $status == 201 ]]; then jq -r .id "$WORK/reg-$w.body" >> "$WORK/acked-registrations"; fi
  done
}

# ride_worker N TOKEN: quote and request; acknowledged rides go to acked-rides as "key quote ride".
ride_worker() {
  local w=$1 token=$2 i=0 status quote key
  while :; do
    i=$((i + 1))
    status=$(curl -s -m 10 -o "$WORK/quote-$w.body" -w '%{http_code}' -X POST "$BASE/api/v1/fare-quotes" \
      -H "Authorization: Bearer $token" -H 'content-type: application/json' \
      -d '{"city":"lagos","vehicleType":"sedan","pickup":{"lat":6.4281,"lng":3.4219},"dropoff":{"lat":6.4550,"lng":3.3841}}' || true)
    [[ $status == 201 || $status == 200 ]] || { sleep 0.2; continue; }
    quote=$(jq -r .id "$WORK/quote-$w.body")
    key="drill-$w-$i-$RANDOM"
    status=$(curl -s -m 10 -o "$WORK/ride-$w.body" -w '%{http_code}' -X POST "$BASE/api/v1/rides" \
      -H "Authorization: Bearer $token" -H 'content-type: application/json' -H "Idempotency-Key: $key" \
      -d "{\"quoteId\":\"$quote\"}" || true)
    if [[ $status == 201 ]]; then echo "$key $quote $(jq -r .id "$WORK/ride-$w.body")" >> "$WORK/acked-rides"; fi
  done
}

login() {
  curl -s -X POST "$BASE/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"drill rider password 1\"}" | jq -r .accessToken
}

start_load() {
  LOAD_PIDS=()
  for w in $(seq 1 "$WORKERS"); do
    register_worker "$w" & LOAD_PIDS+=($!)
    ride_worker "$w" "${TOKENS[$w]}" & LOAD_PIDS+=($!)
  done
}
stop_load() { for pid in "${LOAD_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; LOAD_PIDS=(); }

touch "$WORK/acked-registrations" "$WORK/acked-rides"
say "service: $JAR, data in $WORK (durable default)"
start_service
[[ $(sql -c 'SHOW data_directory') == "$WORK/postgres" ]] || fail "port $PGPORT is not this drill's cluster"
say "fsync=$(sql -c 'SHOW fsync') synchronous_commit=$(sql -c 'SHOW synchronous_commit')"
declare -A TOKENS
for w in $(seq 1 "$WORKERS"); do
  email="drill-rider-$w-$RANDOM@example.com"
  curl -s -o /dev/null -X POST "$BASE/api/v1/auth/register" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"phone\":\"+23481$(printf '%08d' $(( (RANDOM * 32768 + RANDOM) % 100000000 )))\",\"password\":\"drill rider password 1\",\"firstName\":\"Drill\",\"lastName\":\"Rider\",\"dataProcessingConsent\":true}"
  TOKENS[$w]=$(login "$email")
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/me" -H "Authorization: Bearer ${TOKENS[$w]}") == 200 ]] \
    || fail "rider $w could not sign in"
done
OLD_TOKEN=${TOKENS[1]}

# ---- 1. kill -9 of the service under load
start_load
sleep "$LOAD_SECONDS"
say "kill -9 of the service (pid $SERVICE_PID) under load"
kill -9 "$SERVICE_PID"
sleep 1
stop_load
start_service
me=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/me" -H "Authorization: Bearer $OLD_TOKEN")
say "a token issued before the kill -9 answers $me after the restart"
[[ $me == 200 ]] || fail "the restart signed riders out ($me)"
after_service_kill_regs=$(wc -l < "$WORK/acked-registrations")
after_service_kill_rides=$(wc -l < "$WORK/acked-rides")

# ---- 2. crash of PostgreSQL under load; the service is not restarted
start_load
sleep "$LOAD_SECONDS"
PG_PID=$(head -1 "$WORK/postgres/postmaster.pid")
PG_CMD=()
while IFS= read -r -d '' arg; do PG_CMD+=("$arg"); done < "/proc/$PG_PID/cmdline"
say "kill -9 of PostgreSQL's postmaster (pid $PG_PID) under load"
kill -9 "$PG_PID"
for _ in $(seq 1 50); do pgrep -f -- "-D $WORK/postgres" > /dev/null || break; sleep 0.1; done
pkill -9 -f -- "$WORK/postgres" 2>/dev/null || true   # any backend still alive (only this drill's cluster)
sleep 1
worst=0; health_codes=""
for _ in 1 2 3 4 5; do
  read -r code secs < <(curl -s -o /dev/null -m 5 -w '%{http_code} %{time_total}\n' "$BASE/actuator/health" || echo "000 5")
  health_codes+="$code "
  worst=$(awk -v a="$worst" -v b="$secs" 'BEGIN{print (b>a)?b:a}')
  sleep 0.5
done
say "while PostgreSQL is down /actuator/health answered: $health_codes(slowest ${worst} s)"
health_ok=1
awk -v w="$worst" 'BEGIN{exit !(w < 1.0)}' || { health_ok=0; say "NOT MET: /actuator/health took ${worst} s (goal < 1 s)"; }
rm -f "$WORK/postgres/postmaster.pid"
# PostgreSQL refuses to run as root; as root, start it in a user namespace of its own, where it is not.
if [[ $(id -u) == 0 ]]; then PG_CMD=(unshare --user "${PG_CMD[@]}"); fi
setsid "${PG_CMD[@]}" >> "$WORK/postgres-restart.log" 2>&1 < /dev/null &
deadline=$((SECONDS + 120))
until [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/actuator/health" || true) == 200 ]]; do
  (( SECONDS < deadline )) || fail "the service did not serve again after PostgreSQL came back"
  sleep 0.5
done
say "PostgreSQL recovered; the service (pid $SERVICE_PID, not restarted) is healthy again"
sleep "$LOAD_SECONDS"
stop_load
kill -0 "$SERVICE_PID" || fail "the service died"

# ---- verification
regs=$(sort -u "$WORK/acked-registrations" | wc -l)
rides=$(sort -u "$WORK/acked-rides" | wc -l)
{ echo "CREATE TEMP TABLE acked_users (id uuid); CREATE TEMP TABLE acked_rides (key text, quote uuid, id uuid);"
  echo "COPY acked_users FROM STDIN;"; cat "$WORK/acked-registrations"; echo '\.'
  echo "COPY acked_rides FROM STDIN WITH (DELIMITER ' ');"; cat "$WORK/acked-rides"; echo '\.'
  echo "SELECT (SELECT count(*) FROM acked_users a WHERE NOT EXISTS (SELECT FROM public.users u WHERE u.id = a.id)),"
  echo "       (SELECT count(*) FROM acked_rides a WHERE NOT EXISTS (SELECT FROM public.rides r WHERE r.id = a.id)),"
  echo "       (SELECT count(*) FROM (SELECT r.quote_id FROM public.rides r JOIN acked_rides a ON a.quote = r.quote_id GROUP BY 1 HAVING count(*) > 1) d);"
} > "$WORK/verify.sql"
read -r lost_users lost_rides duplicated < <(sql -F ' ' -f "$WORK/verify.sql" | tail -1)
replayed=0; replay_mismatch=0
while read -r key quote ride; do
  got=$(curl -s -X POST "$BASE/api/v1/rides" -H "Authorization: Bearer ${TOKENS[$(cut -d- -f2 <<< "$key")]}" \
    -H 'content-type: application/json' -H "Idempotency-Key: $key" -d "{\"quoteId\":\"$quote\"}" | jq -r .id)
  replayed=$((replayed + 1))
  [[ $got == "$ride" ]] || replay_mismatch=$((replay_mismatch + 1))
done < <(sort -u "$WORK/acked-rides" | shuf -n 50 --random-source=<(yes))
say "load: $WORKERS registration + $WORKERS ride workers, ${LOAD_SECONDS}s before each fault and ${LOAD_SECONDS}s after the database crash"
say "faults survived: service kill -9 (acknowledged before it: $after_service_kill_regs registrations, $after_service_kill_rides rides), PostgreSQL kill -9"
say "acknowledged: $regs registrations, $rides rides; lost: $lost_users registrations, $lost_rides rides; duplicated rides: $duplicated"
say "idempotent replays after the crashes: $replayed, answered with a different ride: $replay_mismatch"
[[ $lost_users == 0 && $lost_rides == 0 && $duplicated == 0 && $replay_mismatch == 0 ]] || fail "acknowledged writes lost or duplicated"
[[ $health_ok == 1 ]] || fail "/actuator/health was slower than 1 s while the database was down"
say "OK"
