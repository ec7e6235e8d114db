#!/usr/bin/env bash
# two-instances.sh — drill: two service instances on one database under ride load.
#
# Instance A runs the embedded PostgreSQL (durable); instance B is a second service on that database
# (as an external one), with the same token secret, master keyset and crypto-agent token. DRIVERS
# drivers go online near the pickup; riders request rides (quote + request with an Idempotency-Key)
# alternately through A and B for LOAD_SECONDS, with drivers sending positions through both.
# Checks: no driver holds two active rides; every scheduled job's runs never overlap, across both
# instances (one run per slot); both instances ran jobs. Prints its figures; exits 0 only when every
# check held. Needs curl, jq, psql; builds the jar if missing.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LOAD_SECONDS=${LOAD_SECONDS:-60}
RIDERS=${RIDERS:-6}
DRIVERS=${DRIVERS:-12}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("localhost", 0)); print(s.getsockname()[1])'; }
PORT_A=${DRILL_PORT:-$(free_port)}
PORT_B=$(free_port)
PGPORT=$(free_port)
WORK=$(mktemp -d /tmp/vipride-two-instances.XXXXXX)
SECRET=$(head -c 32 /dev/urandom | base64)
AGENT=$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)
PIDS=()

say() { printf '[two-instances] %s\n' "$*"; }
fail() { printf '[two-instances] FAILED: %s\n' "$*" >&2; exit 1; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 3
  [[ -f $WORK/postgres/postmaster.pid ]] && kill "$(head -1 "$WORK/postgres/postmaster.pid")" 2>/dev/null || true
  [[ ${KEEP_DRILL_DIR:-} == 1 ]] || rm -rf "$WORK"
}
trap cleanup EXIT
sql() { psql -h localhost -p "$PGPORT" -U postgres -d vipride -Atq -v ON_ERROR_STOP=1 "$@"; }

JAR=$(ls "$ROOT"/target/vipride-platform-*.jar 2>/dev/null | grep -v -- '-plain' | head -1 || true)
if [[ -z $JAR ]]; then
  (cd "$ROOT" && ./mvnw -q -DskipTests package)
  JAR=$(ls "$ROOT"/target/vipride-platform-*.jar | grep -v -- '-plain' | head -1)
fi

wait_healthy() {
  local deadline=$((SECONDS + 400))
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$1/actuator/health" || true) == 200 ]]; do
    (( SECONDS < deadline )) || fail "instance on $1 did not become healthy (see $WORK)"
    sleep 1
  done
}

common=(VIPRIDE_SECURITY_JWT_SECRET="$SECRET" VIPRIDE_VIP_CRYPTO_AGENT_TOKEN="$AGENT"
        VIPRIDE_RATE_LIMITS_ADDRESS_CAPACITY=100000000 VIPRIDE_RATE_LIMITS_ACCOUNT_CAPACITY=100000000
        VIPRIDE_DISPATCH_PASS_INTERVAL=2s)
env "${common[@]}" VIPRIDE_EMBEDDED_POSTGRES_DATA_DIR="$WORK/postgres" VIPRIDE_EMBEDDED_POSTGRES_PORT=$PGPORT \
  SERVER_PORT=$PORT_A VIPRIDE_MANAGEMENT_PORT=$(free_port) java -Xmx512m -jar "$JAR" > "$WORK/a.log" 2>&1 &
PIDS+=($!)
wait_healthy $PORT_A
env "${common[@]}" SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$PGPORT/vipride" \
  SPRING_DATASOURCE_USERNAME=app_backend SPRING_FLYWAY_USER=vipride_owner \
  VIPRIDE_VIP_CRYPTO_MASTER_KEYSET_FILE="$WORK/keys/dev-master-keyset.json" \
  SERVER_PORT=$PORT_B VIPRIDE_MANAGEMENT_PORT=$(free_port) java -Xmx512m -jar "$JAR" > "$WORK/b.log" 2>&1 &
PIDS+=($!)
wait_healthy $PORT_B
say "instance A :$PORT_A (embedded PostgreSQL :$PGPORT), instance B :$PORT_B on the same database"
STARTED=$(sql -c "SELECT now()")

register() { # register PORT EMAIL → prints the access token
  curl -s -o /dev/null -X POST "http://localhost:$1/api/v1/auth/register" -H 'content-type: application/json' \
    -d "{\"email\":\"$2\",\"phone\":\"+23480$(printf '%08d' $(( (RANDOM * 32768 + RANDOM) % 100000000 )))\",\"password\":\"two instances 1\",\"firstName\":\"Two\",\"lastName\":\"Instances\",\"dataProcessingConsent\":true}"
}
login() { curl -s -X POST "http://localhost:$1/api/v1/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"$2\",\"password\":\"two instances 1\"}" | jq -r .accessToken; }

declare -a DRIVER_TOKENS
for d in $(seq 1 "$DRIVERS"); do
  email="two-driver-$d-$RANDOM@example.com"
  register $PORT_A "$email"
  sql -c "UPDATE public.users SET user_type = 'driver' WHERE email = '$email'"
  sql -c "WITH u AS (SELECT id FROM public.users WHERE email = '$email'),
               v AS (INSERT INTO public.vehicles (plate_number, make, model, model_year, color, vehicle_type, seats, owner_user_id)
                     SELECT 'TWO$d$RANDOM', 'Toyota', 'Camry', 2023, 'black', 'sedan', 4, id FROM u RETURNING id)
          INSERT INTO public.drivers (user_id, current_vehicle_id, license_number, license_expires_on, category, status, city)
          SELECT u.id, v.id, 'L-two-$d-$RANDOM', DATE '2031-01-01', 'owner_operator', 'approved', 'lagos' FROM u, v" > /dev/null
  port=$([[ $((d % 2)) == 0 ]] && echo $PORT_A || echo $PORT_B)
  DRIVER_TOKENS[$d]=$(login $port "$email")
  curl -s -o /dev/null -X POST "http://localhost:$port/api/v1/drivers/me/online" -H "Authorization: Bearer ${DRIVER_TOKENS[$d]}"
done

position_loop() { # drivers keep sending positions near the pickup through both instances
  while :; do
    for d in $(seq 1 "$DRIVERS"); do
      port=$([[ $((RANDOM % 2)) == 0 ]] && echo $PORT_A || echo $PORT_B)
      curl -s -o /dev/null -m 5 -X POST "http://localhost:$port/api/v1/drivers/me/position" \
        -H "Authorization: Bearer ${DRIVER_TOKENS[$d]}" -H 'content-type: application/json' \
        -d "{\"lat\":6.428$((RANDOM % 10)),\"lng\":3.421$((RANDOM % 10))}" || true
    done
    sleep 2
  done
}
rider_loop() { # rider_loop N: quotes and requests alternately through A and B
  local r=$1 email="two-rider-$1-$RANDOM@example.com" token i=0 port status quote
  register $PORT_A "$email"; token=$(login $PORT_B "$email")
  while :; do
    i=$((i + 1)); port=$([[ $((i % 2)) == 0 ]] && echo $PORT_A || echo $PORT_B)
    quote=$(curl -s -m 10 -X POST "http://localhost:$port/api/v1/fare-quotes" -H "Authorization: Bearer $token" \
      -H 'content-type: application/json' \
      -d '{"city":"lagos","vehicleType":"sedan","pickup":{"lat":6.4281,"lng":3.4219},"dropoff":{"lat":6.4550,"lng":3.3841}}' | jq -r .id)
    [[ $quote =~ ^[0-9a-f-]{36}$ ]] || { sleep 0.5; continue; }
    status=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -X POST "http://localhost:$port/api/v1/rides" \
      -H "Authorization: Bearer $token" -H 'content-type: application/json' -H "Idempotency-Key: two-$r-$i" \
      -d "{\"quoteId\":\"$quote\"}" || true)
    echo "$status" >> "$WORK/ride-statuses"
  done
}
LOAD=()
position_loop & LOAD+=($!)
for r in $(seq 1 "$RIDERS"); do rider_loop "$r" & LOAD+=($!); done
sleep "$LOAD_SECONDS"
for pid in "${LOAD[@]}"; do kill "$pid" 2>/dev/null || true; done
wait "${LOAD[@]}" 2>/dev/null || true

requests=$(wc -l < "$WORK/ride-statuses"); created=$(grep -c '^201$' "$WORK/ride-statuses" || true)
read -r assigned drivers_used double <<< "$(sql -F ' ' -c "
  SELECT count(*) FILTER (WHERE driver_id IS NOT NULL), count(DISTINCT driver_id),
         (SELECT count(*) FROM (SELECT driver_id FROM public.rides
                                  WHERE status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency')
                                  GROUP BY driver_id HAVING count(*) > 1) d)
    FROM public.rides WHERE requested_at >= '$STARTED'")"
read -r jobs runs_a runs_b overlaps <<< "$(sql -F ' ' -c "
  WITH r AS (SELECT * FROM maintenance.job_runs WHERE started_at >= '$STARTED')
  SELECT count(DISTINCT job_name),
         count(*) FILTER (WHERE instance = (SELECT min(instance) FROM r)),
         count(*) FILTER (WHERE instance <> (SELECT min(instance) FROM r)),
         (SELECT count(*) FROM r x JOIN r y ON x.job_name = y.job_name AND x.id < y.id
            AND x.started_at < coalesce(y.finished_at, now()) AND y.started_at < coalesce(x.finished_at, now()))
    FROM r")"
say "load: $RIDERS riders, $DRIVERS drivers, ${LOAD_SECONDS}s through both instances: $requests ride requests, $created created"
say "rides assigned: $assigned to $drivers_used drivers; drivers holding two active rides: $double"
say "scheduled jobs: $jobs jobs ran $runs_a + $runs_b times (per instance); overlapping runs of one job: $overlaps"
[[ $double == 0 && $overlaps == 0 ]] || fail "a driver was assigned twice or a job ran twice in one slot"
(( runs_a > 0 && runs_b > 0 )) || say "note: only one instance ran jobs in this window"
say "OK"
