#!/usr/bin/env bash
# two-instances.sh — drill: two service instances on one database under ride load.
#
# Instance A runs the embedded PostgreSQL (durable); instance B is a second service on that database
# (as an external one), with the same token secret, master keyset and crypto-agent token. DRIVERS
# drivers go online near the pickup; riders request rides (quote + request with an Idempotency-Key)
# alternately through A and B for LOAD_SECONDS; drivers send positions, take offers and drive and
# complete rides, each call through A or B at random.
# Checks: no driver is assigned twice (no two rides of one driver whose assignments overlap in time);
# every scheduled job's runs never overlap across both instances and none starts a second run in one
# slot (every job falls due every JOB_INTERVAL, default 10s, so the window holds many slots); both
# instances ran jobs. Prints its figures and a DRILL-SUMMARY line (also
# bench/results/drills/two-instances.json); exits 0 only when every check held.
# Needs curl, jq, psql; builds the jar if missing. Each instance gets up to START_SECONDS (600) to start.
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

LOAD_SECONDS=${LOAD_SECONDS:-60}
RIDERS=${RIDERS:-6}
DRIVERS=${DRIVERS:-12}
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

JAR=$(service_jar)
START_SECONDS=${START_SECONDS:-600}
JOB_INTERVAL=${JOB_INTERVAL:-10s}

common=(VIPRIDE_SECURITY_JWT_SECRET="$SECRET" VIPRIDE_VIP_CRYPTO_AGENT_TOKEN="$AGENT"
        VIPRIDE_RATE_LIMITS_ADDRESS_CAPACITY=100000000 VIPRIDE_RATE_LIMITS_ACCOUNT_CAPACITY=100000000
        VIPRIDE_DISPATCH_PASS_INTERVAL=2s
        # every scheduled job falls due every JOB_INTERVAL, so each runs many slots in the window
        VIPRIDE_AUDIT_SEAL_INTERVAL=$JOB_INTERVAL VIPRIDE_AUDIT_DRAIN_INTERVAL=$JOB_INTERVAL
        VIPRIDE_OPS_PARTITIONS_INTERVAL=$JOB_INTERVAL VIPRIDE_OPS_RETENTION_INTERVAL=$JOB_INTERVAL
        VIPRIDE_OPS_MAINTENANCE_INTERVAL=$JOB_INTERVAL VIPRIDE_PAYMENTS_PAYOUTS_INTERVAL=$JOB_INTERVAL
        VIPRIDE_PAYMENTS_BILLING_INTERVAL=$JOB_INTERVAL VIPRIDE_ANALYTICS_REFRESH_INTERVAL=$JOB_INTERVAL
        VIPRIDE_PAYMENTS_LEASE_BILLING_INTERVAL=$JOB_INTERVAL VIPRIDE_FLEET_REMINDERS_INTERVAL=$JOB_INTERVAL
        VIPRIDE_SAFETY_ESCALATION_INTERVAL=$JOB_INTERVAL)
env "${common[@]}" VIPRIDE_EMBEDDED_POSTGRES_DATA_DIR="$WORK/postgres" VIPRIDE_EMBEDDED_POSTGRES_PORT=$PGPORT \
  SERVER_PORT=$PORT_A VIPRIDE_MANAGEMENT_PORT=$(free_port) java -Xmx512m -jar "$JAR" > "$WORK/a.log" 2>&1 &
PIDS+=($!)
wait_healthy $PORT_A "$START_SECONDS" || fail "instance A did not become healthy (see $WORK/a.log)"
env "${common[@]}" SPRING_DATASOURCE_URL="jdbc:postgresql://localhost:$PGPORT/vipride" \
  SPRING_DATASOURCE_USERNAME=app_backend SPRING_FLYWAY_USER=vipride_owner \
  VIPRIDE_VIP_CRYPTO_MASTER_KEYSET_FILE="$WORK/keys/dev-master-keyset.json" \
  SERVER_PORT=$PORT_B VIPRIDE_MANAGEMENT_PORT=$(free_port) java -Xmx512m -jar "$JAR" > "$WORK/b.log" 2>&1 &
PIDS+=($!)
wait_healthy $PORT_B "$START_SECONDS" || fail "instance B did not become healthy (see $WORK/b.log)"
say "instance A :$PORT_A (embedded PostgreSQL :$PGPORT), instance B :$PORT_B on the same database"
STARTED=$(sql -c "SELECT now()")

PASSWORD="two instances 1"
declare -a DRIVER_TOKENS
for d in $(seq 1 "$DRIVERS"); do
  port=$([[ $((d % 2)) == 0 ]] && echo $PORT_A || echo $PORT_B)
  DRIVER_TOKENS[$d]=$(make_driver "http://localhost:$port" "two-driver-$d-$RANDOM@example.com" "$PASSWORD" sql)
done

driver_loop() { # driver_loop N: position near the pickup, take an offer, accept, arrive, start, complete — each call through A or B
  local d=$1 auth=(-H "Authorization: Bearer ${DRIVER_TOKENS[$1]}") ride="" step port
  pick() { [[ $((RANDOM % 2)) == 0 ]] && echo "http://localhost:$PORT_A" || echo "http://localhost:$PORT_B"; }
  while :; do
    curl -s -m 5 -o /dev/null -X POST "$(pick)/api/v1/drivers/me/position" "${auth[@]}" -H 'content-type: application/json' \
      -d "{\"lat\":6.428$((RANDOM % 10)),\"lng\":3.421$((RANDOM % 10))}" || true
    ride=$(curl -s -m 5 "$(pick)/api/v1/drivers/me/offers" "${auth[@]}" | jq -r '.[0].rideId // empty' 2>/dev/null || true)
    [[ -n $ride ]] || { sleep 1; continue; }
    for step in accept arrive start; do curl -s -m 10 -o /dev/null -X POST "$(pick)/api/v1/rides/$ride/$step" "${auth[@]}" || true; done
    curl -s -m 10 -o /dev/null -X POST "$(pick)/api/v1/rides/$ride/complete" "${auth[@]}" \
      -H 'content-type: application/json' -d '{"actualDistanceM":5200}' || true
  done
}
rider_loop() { # rider_loop N: quotes and requests alternately through A and B
  local r=$1 email="two-rider-$1-$RANDOM@example.com" token i=0 port status quote
  register_rider "http://localhost:$PORT_A" "$email" "$PASSWORD" > /dev/null
  token=$(login "http://localhost:$PORT_B" "$email" "$PASSWORD")
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
for d in $(seq 1 "$DRIVERS"); do driver_loop "$d" & LOAD+=($!); done
for r in $(seq 1 "$RIDERS"); do rider_loop "$r" & LOAD+=($!); done
sleep "$LOAD_SECONDS"
for pid in "${LOAD[@]}"; do kill "$pid" 2>/dev/null || true; done
for pid in "${LOAD[@]}"; do wait "$pid" 2>/dev/null || true; done

requests=$(wc -l < "$WORK/ride-statuses"); created=$(grep -c '^201$' "$WORK/ride-statuses" || true)
# a driver assigned twice: two rides of one driver whose assignments overlap in time (assigned → completed
# or cancelled, or still open)
read -r assigned completed drivers_used double <<< "$(sql -F ' ' -c "
  WITH r AS (SELECT id, driver_id, assigned_at, coalesce(completed_at, cancelled_at, expired_at, 'infinity') AS ended_at, status
               FROM public.rides WHERE requested_at >= '$STARTED' AND driver_id IS NOT NULL)
  SELECT count(*), count(*) FILTER (WHERE status = 'completed'), count(DISTINCT driver_id),
         (SELECT count(*) FROM r x JOIN r y ON x.driver_id = y.driver_id AND x.id < y.id
            AND x.assigned_at < y.ended_at AND y.assigned_at < x.ended_at)
    FROM r")"
read -r jobs runs_a runs_b overlaps early <<< "$(sql -F ' ' -c "
  WITH r AS (SELECT * FROM maintenance.job_runs WHERE started_at >= '$STARTED'),
       seq AS (SELECT job_name, started_at, lag(finished_at) OVER (PARTITION BY job_name ORDER BY started_at) AS prev_end FROM r)
  SELECT count(DISTINCT job_name),
         count(*) FILTER (WHERE instance = (SELECT min(instance) FROM r)),
         count(*) FILTER (WHERE instance <> (SELECT min(instance) FROM r)),
         (SELECT count(*) FROM r x JOIN r y ON x.job_name = y.job_name AND x.id < y.id
            AND x.started_at < coalesce(y.finished_at, now()) AND y.started_at < coalesce(x.finished_at, now())),
         (SELECT count(*) FROM seq WHERE started_at < prev_end + interval '1 second')
    FROM r")"
per_job=$(sql -F ' ' -c "SELECT string_agg(job_name || ' ' || n, ', ' ORDER BY job_name) FROM (
  SELECT job_name, count(*) AS n FROM maintenance.job_runs WHERE started_at >= '$STARTED' GROUP BY 1) j")
say "load: $RIDERS riders, $DRIVERS drivers, ${LOAD_SECONDS}s through both instances: $requests ride requests, $created created"
say "rides assigned: $assigned to $drivers_used drivers, $completed completed; rides of one driver whose assignments overlap: $double"
say "scheduled jobs: $jobs jobs ran $runs_a + $runs_b times (per instance); overlapping runs of one job: $overlaps; runs started within 1 s of the previous run's end (a second run in one slot; every interval here is >= $JOB_INTERVAL): $early"
say "runs per job: $per_job"
ok=true
[[ $double == 0 && $overlaps == 0 && $early == 0 && $runs_a -gt 0 && $runs_b -gt 0 && $assigned -gt 0 ]] || ok=false
drill_summary two-instances "$(jq -n \
  --arg load "2 instances, $RIDERS riders + $DRIVERS drivers, ${LOAD_SECONDS} s: $requests ride requests, $created created, $assigned assigned to $drivers_used drivers, $completed completed" \
  --arg faults "$jobs scheduled jobs on both instances ($runs_a + $runs_b runs): $overlaps overlapping, $early twice in one slot; drivers assigned twice: $double" \
  --arg bad "-" --arg rows "not counted here (see crash); $double drivers double-assigned" --argjson ok "$ok" \
  --argjson figures "$(jq -n --argjson requests "$requests" --argjson created "$created" --argjson assigned "$assigned" --argjson completed "$completed" \
      --argjson drivers "$drivers_used" --argjson double "$double" --argjson jobs "$jobs" --argjson runsA "$runs_a" \
      --argjson runsB "$runs_b" --argjson overlaps "$overlaps" --argjson early "$early" --arg perJob "$per_job" \
      '{rideRequests: $requests, ridesCreated: $created, ridesAssigned: $assigned, ridesCompleted: $completed, driversUsed: $drivers,
        overlappingAssignmentsOfOneDriver: $double, jobs: $jobs, runsPerInstance: [$runsA, $runsB],
        overlappingRuns: $overlaps, secondRunsInOneSlot: $early, runsPerJob: $perJob}')" \
  '{load: $load, faults: $faults, badInputs: $bad, rowsLost: $rows, ok: $ok, figures: $figures}')"
[[ $double == 0 && $overlaps == 0 && $early == 0 ]] || fail "a driver was assigned twice or a job ran twice in one slot"
(( runs_a > 0 && runs_b > 0 )) || fail "only one instance ran jobs in this window"
(( assigned > 0 )) || fail "no ride was assigned: the drill proved nothing about double assignment"
say "OK"
