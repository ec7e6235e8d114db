#!/usr/bin/env bash
# crash.sh — drill: writes acknowledged before a crash are all there afterwards, once each.
#
# Starts the service (the packaged jar, embedded PostgreSQL in a fresh folder, durable: fsync and
# synchronous_commit on), puts it under write load — riders registering, riders quoting and requesting
# rides with an Idempotency-Key, drivers accepting, driving and completing rides (each completion charges
# the ride: a payment) — and then, under that load:
#   1. kill -9 of the service; start it again on the same folder;
#   2. kill -9 of PostgreSQL's postmaster (an immediate crash: recovery from the WAL); PostgreSQL is
#      started again by this script (as a supervisor would) and the service, NOT restarted, must serve
#      again; /actuator/health must answer within 1 s while the database is down.
# Afterwards every acknowledged registration (201), ride (201) and payment (200 on completion) is in the
# database exactly once, a replay of acknowledged rides' Idempotency-Keys returns those same rides, and
# an access token issued before the service's kill -9 still works after it.
# Prints its figures and a DRILL-SUMMARY line (also bench/results/drills/crash.json); exits 0 only when
# every check held. Needs curl, jq, psql; builds the jar if missing.
#   LOAD_SECONDS (default 20) per phase, WORKERS (default 3), DRILL_PORT (default: a free port).
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

LOAD_SECONDS=${LOAD_SECONDS:-20}
WORKERS=${WORKERS:-3}
PORT=${DRILL_PORT:-$(free_port)}
MPORT=$(free_port)
PGPORT=$(free_port)
WORK=$(mktemp -d /tmp/vipride-crash-drill.XXXXXX)
BASE=http://localhost:$PORT
SERVICE_PID=
PG_RESTART_PID=
LOAD_PIDS=()

say() { printf '[crash] %s\n' "$*"; }
fail() { printf '[crash] FAILED: %s\n' "$*" >&2; exit 1; }
cleanup() {
  for pid in "${LOAD_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -n $SERVICE_PID ]] && kill "$SERVICE_PID" 2>/dev/null || true
  sleep 3
  if [[ -f $WORK/postgres/postmaster.pid ]]; then
    kill "$(head -1 "$WORK/postgres/postmaster.pid")" 2>/dev/null || true
  fi
  [[ -n $PG_RESTART_PID ]] && kill "$PG_RESTART_PID" 2>/dev/null || true
  [[ ${KEEP_DRILL_DIR:-} == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT

JAR=$(service_jar)

start_service() {
  VIPRIDE_EMBEDDED_POSTGRES_DATA_DIR=$WORK/postgres VIPRIDE_EMBEDDED_POSTGRES_PORT=$PGPORT \
  SERVER_PORT=$PORT VIPRIDE_MANAGEMENT_PORT=$MPORT \
  VIPRIDE_RATE_LIMITS_ADDRESS_CAPACITY=100000000 VIPRIDE_RATE_LIMITS_ACCOUNT_CAPACITY=100000000 \
    java -Xmx512m -jar "$JAR" >> "$WORK/service.log" 2>&1 &
  SERVICE_PID=$!
  wait_healthy "$PORT" 600 || fail "service did not become healthy (see $WORK/service.log)"
  kill -0 "$SERVICE_PID" 2>/dev/null || fail "service exited (see $WORK/service.log)"
}

sql() { psql -h localhost -p "$PGPORT" -U postgres -d vipride -Atq -v ON_ERROR_STOP=1 "$@"; }

# register_worker N: registrations; acknowledged ones go to acked-registrations.
register_worker() {
  local w=$1 i=0 status
  while :; do
    i=$((i + 1))
    status=$(curl -s -m 10 -o "$WORK/reg-$w.body" -w '%{http_code}' -X POST "$BASE/api/v1/auth/register" \
      -H 'content-type: application/json' \
      -d "{\"email\":\"drill-$w-$i-$RANDOM$RANDOM@example.com\",\"phone\":\"$(random_phone)\",\"password\":\"drill password $w\",\"firstName\":\"Drill\",\"lastName\":\"Worker\",\"dataProcessingConsent\":true}" || true)
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

# driver_worker N TOKEN: keeps its position near the pickup, takes an offer, accepts, arrives, starts and
# completes it; a completion answered 200 has charged the ride: its id goes to acked-payments.
driver_worker() {
  local d=$1 token=$2 ride="" status step
  local auth=(-H "Authorization: Bearer $token")
  while :; do
    curl -s -m 5 -o /dev/null -X POST "$BASE/api/v1/drivers/me/position" "${auth[@]}" \
      -H 'content-type: application/json' -d '{"lat":6.4283,"lng":3.4221}' || true
    if [[ -z $ride ]]; then
      ride=$(curl -s -m 5 "$BASE/api/v1/drivers/me/offers" "${auth[@]}" | jq -r '.[0].rideId // empty' 2>/dev/null || true)
      [[ -n $ride ]] || { sleep 0.5; continue; }
    fi
    for step in accept arrive start; do
      curl -s -m 10 -o /dev/null -X POST "$BASE/api/v1/rides/$ride/$step" "${auth[@]}" || true
    done
    status=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X POST "$BASE/api/v1/rides/$ride/complete" "${auth[@]}" \
      -H 'content-type: application/json' -d '{"actualDistanceM":5200}' || true)
    if [[ $status == 200 ]]; then
      echo "$ride" >> "$WORK/acked-payments"; ride=""
    else
      # not acknowledged: retry the ride while it is still this driver's and under way; otherwise (completed
      # without an answer, cancelled, offered to another driver) take the next offer
      case $(curl -s -m 5 "$BASE/api/v1/rides/$ride" "${auth[@]}" | jq -r '.status // empty' 2>/dev/null || true) in
        driver_assigned|driver_arrived|in_progress) ;;
        *) ride="" ;;
      esac
      sleep 0.5
    fi
  done
}

start_load() {
  LOAD_PIDS=()
  for w in $(seq 1 "$WORKERS"); do
    register_worker "$w" & LOAD_PIDS+=($!)
    ride_worker "$w" "${TOKENS[$w]}" & LOAD_PIDS+=($!)
    driver_worker "$w" "${DRIVER_TOKENS[$w]}" & LOAD_PIDS+=($!)
  done
}
stop_load() {
  for pid in "${LOAD_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${LOAD_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  LOAD_PIDS=()
}
acked() { cat "$WORK"/acked-"$1" | wc -l; }

touch "$WORK/acked-registrations" "$WORK/acked-rides" "$WORK/acked-payments"
say "service: $JAR, data in $WORK (durable default)"
start_service
[[ $(sql -c 'SHOW data_directory') == "$WORK/postgres" ]] || fail "port $PGPORT is not this drill's cluster"
FSYNC=$(sql -c 'SHOW fsync'); SYNC_COMMIT=$(sql -c 'SHOW synchronous_commit')
say "fsync=$FSYNC synchronous_commit=$SYNC_COMMIT"
declare -A TOKENS DRIVER_TOKENS
for w in $(seq 1 "$WORKERS"); do
  email="drill-rider-$w-$RANDOM@example.com"
  register_rider "$BASE" "$email" "drill rider password 1" > /dev/null
  TOKENS[$w]=$(login "$BASE" "$email" "drill rider password 1")
  [[ $(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/me" -H "Authorization: Bearer ${TOKENS[$w]}") == 200 ]] \
    || fail "rider $w could not sign in"
  DRIVER_TOKENS[$w]=$(make_driver "$BASE" "drill-driver-$w-$RANDOM@example.com" "drill driver password 1" sql)
done
OLD_TOKEN=${TOKENS[1]}

# ---- 1. kill -9 of the service under load
start_load
sleep "$LOAD_SECONDS"
say "kill -9 of the service (pid $SERVICE_PID) under load"
kill -9 "$SERVICE_PID"
wait "$SERVICE_PID" 2>/dev/null || true
sleep 1
stop_load
before_service_kill="$(acked registrations) registrations, $(acked rides) rides, $(acked payments) payments"
t0=$SECONDS
start_service
service_restart_s=$((SECONDS - t0))
me=$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/me" -H "Authorization: Bearer $OLD_TOKEN")
say "serving again ${service_restart_s} s after the restart began; a token issued before the kill -9 answers $me"
[[ $me == 200 ]] || fail "the restart signed riders out ($me)"

# ---- 2. crash of PostgreSQL under load; the service is not restarted
start_load
sleep "$LOAD_SECONDS"
PG_PID=$(head -1 "$WORK/postgres/postmaster.pid")
PG_CMD=()
while IFS= read -r -d '' arg; do PG_CMD+=("$arg"); done < "/proc/$PG_PID/cmdline"
before_db_crash="$(acked registrations) registrations, $(acked rides) rides, $(acked payments) payments"
say "kill -9 of PostgreSQL's postmaster (pid $PG_PID) under load"
kill -9 "$PG_PID"
for _ in $(seq 1 50); do pgrep -f -- "-D $WORK/postgres" > /dev/null || break; sleep 0.1; done
pkill -9 -f -- "-D $WORK/postgres" 2>/dev/null || true   # any backend still alive (only this drill's cluster)
sleep 1
worst=0; health_codes=""
for _ in 1 2 3 4 5; do
  read -r code secs < <(curl -s -o /dev/null -m 5 -w '%{http_code} %{time_total}\n' "$BASE/actuator/health" || echo "000 5")
  health_codes+="$code "
  worst=$(awk -v a="$worst" -v b="$secs" 'BEGIN{print (b>a)?b:a}')
  sleep 0.5
done
say "while PostgreSQL is down /actuator/health answered: $health_codes(slowest ${worst} s)"
health_ok=true
awk -v w="$worst" 'BEGIN{exit !(w < 1.0)}' || { health_ok=false; say "NOT MET: /actuator/health took ${worst} s (goal < 1 s)"; }
rm -f "$WORK/postgres/postmaster.pid"
# PostgreSQL refuses to run as root; as root, start it in a user namespace of its own, where it is not.
if [[ $(id -u) == 0 ]]; then PG_CMD=(unshare --user "${PG_CMD[@]}"); fi
t0=$SECONDS
setsid "${PG_CMD[@]}" >> "$WORK/postgres-restart.log" 2>&1 < /dev/null &
PG_RESTART_PID=$!
wait_healthy "$PORT" 180 || fail "the service did not serve again after PostgreSQL came back (see $WORK)"
db_recovery_s=$((SECONDS - t0))
after_recovery_start="$(acked rides)"
say "PostgreSQL recovered; the service (pid $SERVICE_PID, not restarted) healthy again ${db_recovery_s} s after PostgreSQL was started"
sleep "$LOAD_SECONDS"
stop_load
kill -0 "$SERVICE_PID" || fail "the service died"
rides_after_recovery=$(( $(acked rides) - after_recovery_start ))
say "rides acknowledged after the recovery (same service process): $rides_after_recovery"

# ---- verification
regs=$(sort -u "$WORK/acked-registrations" | wc -l)
rides=$(sort -u "$WORK/acked-rides" | wc -l)
payments=$(sort -u "$WORK/acked-payments" | wc -l)
{ echo "CREATE TEMP TABLE acked_users (id uuid); CREATE TEMP TABLE acked_rides (key text, quote uuid, id uuid); CREATE TEMP TABLE acked_payments (ride uuid);"
  echo "COPY acked_users FROM STDIN;"; sort -u "$WORK/acked-registrations"; echo '\.'
  echo "COPY acked_rides FROM STDIN WITH (DELIMITER ' ');"; sort -u "$WORK/acked-rides"; echo '\.'
  echo "COPY acked_payments FROM STDIN;"; sort -u "$WORK/acked-payments"; echo '\.'
  echo "SELECT (SELECT count(*) FROM acked_users a WHERE NOT EXISTS (SELECT FROM public.users u WHERE u.id = a.id)),"
  echo "       (SELECT count(*) FROM acked_rides a WHERE NOT EXISTS (SELECT FROM public.rides r WHERE r.id = a.id)),"
  echo "       (SELECT count(*) FROM acked_payments a WHERE NOT EXISTS (SELECT FROM public.payments p WHERE p.ride_id = a.ride)),"
  echo "       (SELECT count(*) FROM (SELECT u.email FROM public.users u JOIN acked_users a ON a.id = u.id GROUP BY 1 HAVING count(*) > 1) d)"
  echo "     + (SELECT count(*) FROM (SELECT u.email FROM public.users u WHERE u.email LIKE 'drill-%' GROUP BY 1 HAVING count(*) > 1) d),"
  echo "       (SELECT count(*) FROM (SELECT r.quote_id FROM public.rides r JOIN acked_rides a ON a.quote = r.quote_id GROUP BY 1 HAVING count(*) > 1) d),"
  echo "       (SELECT count(*) FROM (SELECT p.ride_id FROM public.payments p JOIN acked_payments a ON a.ride = p.ride_id GROUP BY 1 HAVING count(*) > 1) d);"
} > "$WORK/verify.sql"
read -r lost_users lost_rides lost_payments dup_users dup_rides dup_payments < <(sql -F ' ' -f "$WORK/verify.sql" | tail -1)
replayed=0; replay_mismatch=0
while read -r key quote ride; do
  got=$(curl -s -X POST "$BASE/api/v1/rides" -H "Authorization: Bearer ${TOKENS[$(cut -d- -f2 <<< "$key")]}" \
    -H 'content-type: application/json' -H "Idempotency-Key: $key" -d "{\"quoteId\":\"$quote\"}" | jq -r .id)
  replayed=$((replayed + 1))
  [[ $got == "$ride" ]] || replay_mismatch=$((replay_mismatch + 1))
done < <(sort -u "$WORK/acked-rides" | shuf -n 50 --random-source=<(yes))
lost=$((lost_users + lost_rides + lost_payments)); duplicated=$((dup_users + dup_rides + dup_payments))
say "load: $WORKERS registration + $WORKERS ride + $WORKERS driver workers, ${LOAD_SECONDS} s before each fault and ${LOAD_SECONDS} s after the database crash"
say "acknowledged before the service's kill -9: $before_service_kill; before PostgreSQL's kill -9: $before_db_crash"
say "acknowledged in all: $regs registrations, $rides rides, $payments payments"
say "lost: $lost_users registrations, $lost_rides rides, $lost_payments payments; duplicated: $dup_users registrations, $dup_rides rides, $dup_payments payments"
say "idempotent replays after the crashes: $replayed, answered with a different ride: $replay_mismatch"
ok=true
[[ $lost == 0 && $duplicated == 0 && $replay_mismatch == 0 && $health_ok == true && $rides_after_recovery -gt 0 ]] || ok=false
drill_summary crash "$(jq -n \
  --arg load "$WORKERS registering + $WORKERS requesting rides + $WORKERS drivers completing rides, $((LOAD_SECONDS * 3)) s: $regs registrations, $rides rides, $payments payments acknowledged" \
  --arg faults "service kill -9 (serving again after a ${service_restart_s} s restart, sessions kept); PostgreSQL kill -9 (health answered $(awk -v w="$worst" 'BEGIN{printf "%.2f", w}') s at worst while down; service serving again ${db_recovery_s} s after PostgreSQL started, not restarted)" \
  --arg bad "$replayed idempotent replays: $replay_mismatch answered differently" \
  --arg rows "$lost lost, $duplicated duplicated" \
  --argjson ok "$ok" \
  --argjson figures "$(jq -n --arg fsync "$FSYNC" --arg sc "$SYNC_COMMIT" \
      --argjson regs "$regs" --argjson rides "$rides" --argjson payments "$payments" \
      --argjson lostUsers "$lost_users" --argjson lostRides "$lost_rides" --argjson lostPayments "$lost_payments" \
      --argjson dupUsers "$dup_users" --argjson dupRides "$dup_rides" --argjson dupPayments "$dup_payments" \
      --argjson serviceRestartS "$service_restart_s" --argjson dbRecoveryS "$db_recovery_s" \
      --argjson healthWorstS "$worst" --arg healthCodes "$health_codes" --argjson ridesAfterRecovery "$rides_after_recovery" \
      --argjson replayed "$replayed" --argjson replayMismatch "$replay_mismatch" \
      '{fsync: $fsync, synchronousCommit: $sc, acknowledged: {registrations: $regs, rides: $rides, payments: $payments},
        lost: {registrations: $lostUsers, rides: $lostRides, payments: $lostPayments},
        duplicated: {registrations: $dupUsers, rides: $dupRides, payments: $dupPayments},
        serviceRestartSeconds: $serviceRestartS, servingAgainAfterDatabaseStartSeconds: $dbRecoveryS,
        healthWhileDatabaseDown: {codes: $healthCodes, slowestSeconds: $healthWorstS},
        ridesAcknowledgedAfterRecovery: $ridesAfterRecovery, replays: $replayed, replayMismatches: $replayMismatch}')" \
  '{load: $load, faults: $faults, badInputs: $bad, rowsLost: $rows, ok: $ok, figures: $figures}')"
[[ $lost == 0 && $duplicated == 0 && $replay_mismatch == 0 ]] || fail "acknowledged writes lost or duplicated"
[[ $health_ok == true ]] || fail "/actuator/health was slower than 1 s while the database was down"
(( rides_after_recovery > 0 )) || fail "no ride was acknowledged after PostgreSQL recovered"
say "OK"
