# lib.sh — sourced by the drills: ports, the service jar, drivers made ready to drive, and the summary
# every drill ends with (one machine-readable line, also written to bench/results/drills/<drill>.json,
# from which ops/drills/report.sh makes the table in docs/reliability.md).

DRILL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DRILL_RESULTS=${DRILL_RESULTS:-$DRILL_ROOT/bench/results/drills}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("localhost", 0)); print(s.getsockname()[1])'; }

# service_jar: the packaged service, built if missing.
service_jar() {
  local jar
  jar=$(ls "$DRILL_ROOT"/target/vipride-platform-*.jar 2>/dev/null | grep -v -- '-plain' | head -1 || true)
  if [[ -z $jar ]]; then
    (cd "$DRILL_ROOT" && ./mvnw -q -DskipTests package) >&2
    jar=$(ls "$DRILL_ROOT"/target/vipride-platform-*.jar | grep -v -- '-plain' | head -1)
  fi
  echo "$jar"
}

# wait_healthy PORT SECONDS: until /actuator/health answers 200 (fails the drill after SECONDS).
wait_healthy() {
  local deadline=$((SECONDS + $2))
  until [[ $(curl -s -m 5 -o /dev/null -w '%{http_code}' "http://localhost:$1/actuator/health" || true) == 200 ]]; do
    (( SECONDS < deadline )) || return 1
    sleep 1
  done
}

random_phone() { printf '+2348%d%08d' $((RANDOM % 10)) $(( (RANDOM * 32768 + RANDOM) % 100000000 )); }

# register BASE EMAIL PASSWORD: a rider account (answers 201).
register_rider() {
  curl -s -o /dev/null -w '%{http_code}' -X POST "$1/api/v1/auth/register" -H 'content-type: application/json' \
    -d "{\"email\":\"$2\",\"phone\":\"$(random_phone)\",\"password\":\"$3\",\"firstName\":\"Drill\",\"lastName\":\"Rider\",\"dataProcessingConsent\":true}"
}

# login BASE EMAIL PASSWORD → an access token
login() {
  curl -s -X POST "$1/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$2\",\"password\":\"$3\"}" | jq -r .accessToken
}

# make_driver BASE EMAIL PASSWORD PSQL_FUNCTION: registers the account, makes it an approved
# owner-operator with a sedan in Lagos (as the operator's vetting would, here directly in the database
# through the drill's psql function), signs in and goes online; prints the access token.
make_driver() {
  local base=$1 email=$2 password=$3 sqlf=$4 token
  register_rider "$base" "$email" "$password" > /dev/null
  "$sqlf" -c "UPDATE public.users SET user_type = 'driver' WHERE email = '$email'" > /dev/null
  "$sqlf" -c "WITH u AS (SELECT id FROM public.users WHERE email = '$email'),
               v AS (INSERT INTO public.vehicles (plate_number, make, model, model_year, color, vehicle_type, seats, owner_user_id)
                     SELECT 'DR' || upper(substr(md5(random()::text), 1, 6)), 'Toyota', 'Camry', 2023, 'black', 'sedan', 4, id FROM u RETURNING id)
          INSERT INTO public.drivers (user_id, current_vehicle_id, license_number, license_expires_on, category, status, city)
          SELECT u.id, v.id, 'L-' || md5(random()::text), DATE '2031-01-01', 'owner_operator', 'approved', 'lagos' FROM u, v" > /dev/null
  token=$(login "$base" "$email" "$password")
  curl -s -o /dev/null -X POST "$base/api/v1/drivers/me/online" -H "Authorization: Bearer $token"
  echo "$token"
}

# drill_summary NAME JSON: prints "DRILL-SUMMARY <json>" and writes bench/results/drills/NAME.json.
# JSON holds at least: load, faults, badInputs, rowsLost (strings for the table) and ok (boolean).
drill_summary() {
  local name=$1 json
  json=$(jq -c --arg drill "$name" --arg at "$(date -u +%FT%TZ)" --arg host "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)" \
    '{drill: $drill, measuredAt: $at, machine: $host} + .' <<< "$2")
  mkdir -p "$DRILL_RESULTS"
  jq . <<< "$json" > "$DRILL_RESULTS/$name.json"
  echo "DRILL-SUMMARY $json"
}
