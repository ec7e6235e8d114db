#!/usr/bin/env bash
# privacy.sh BASE_URL — a data subject's rights, through the HTTP API alone: a rider registers (with
# SUBJECT_EMAIL and SUBJECT_PHONE when set), quotes and requests a ride and cancels it, grants and then
# withdraws marketing consent, files an access request, has the export built and downloads it once (a
# second download is refused), files an erasure request, and a compliance officer erases them; the rider
# can no longer sign in, and the same email and phone register again.
# Needs curl, jq and unzip, and a system admin: ADMIN_EMAIL and ADMIN_PASSWORD (they create the compliance
# officer). Prints each step; exits 0 only when every step held, and prints the erasure request's id last.
set -euo pipefail

BASE_URL=${1:?usage: privacy.sh BASE_URL}
: "${ADMIN_EMAIL:?set ADMIN_EMAIL}" "${ADMIN_PASSWORD:?set ADMIN_PASSWORD}"
RUN=$((10#$(date +%s%N | tail -c 9)))
PASSWORD="privacy walk ${RUN}"
SUBJECT_EMAIL=${SUBJECT_EMAIL:-subject-${RUN}@example.com}
SUBJECT_PHONE=${SUBJECT_PHONE:-$(printf '+23481%08d' $(( RUN % 100000000 )))}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n== %s\n' "$*" >&2; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# call METHOD PATH TOKEN [JSON]: prints the body; fails on a status other than 2xx.
call() {
  local method=$1 path=$2 token=$3 body=${4:-}
  local args=(-s -o "$WORK/body" -w '%{http_code}' -X "$method" "$BASE_URL$path")
  [[ -n $token ]] && args+=(-H "Authorization: Bearer $token")
  [[ -n $body ]] && args+=(-H 'content-type: application/json' -d "$body")
  local status
  status=$(curl "${args[@]}")
  [[ $status == 2* ]] || fail "$method $path answered $status: $(cat "$WORK/body")"
  cat "$WORK/body"
}

# status METHOD PATH TOKEN [JSON]: prints only the HTTP status.
status() {
  local method=$1 path=$2 token=$3 body=${4:-}
  local args=(-s -o /dev/null -w '%{http_code}' -X "$method" "$BASE_URL$path")
  [[ -n $token ]] && args+=(-H "Authorization: Bearer $token")
  [[ -n $body ]] && args+=(-H 'content-type: application/json' -d "$body")
  curl "${args[@]}"
}

login() { # login EMAIL PASSWORD → access token
  call POST /api/v1/auth/login "" "$(jq -n --arg e "$1" --arg p "$2" '{email:$e, password:$p}')" | jq -er .accessToken
}

registration() {
  jq -n --arg e "$SUBJECT_EMAIL" --arg p "$SUBJECT_PHONE" --arg pw "$PASSWORD" \
    '{email:$e, phone:$p, password:$pw, firstName:"Privacy", lastName:"Subject", dataProcessingConsent:true}'
}

step "The system admin signs in and creates a compliance officer"
ADMIN=$(login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
OFFICER_EMAIL="officer-${RUN}@example.com"
call POST /api/v1/admin/staff "$ADMIN" "$(jq -n --arg e "$OFFICER_EMAIL" --arg pw "$PASSWORD" --arg p "$(printf '+23482%08d' $(( RUN % 100000000 )))" \
  '{email:$e, phone:$p, firstName:"Olu", lastName:"Officer", role:"compliance_officer", password:$pw}')" > /dev/null
OFFICER=$(login "$OFFICER_EMAIL" "$PASSWORD")

step "The rider registers as $SUBJECT_EMAIL and signs in"
SUBJECT_ID=$(call POST /api/v1/auth/register "" "$(registration)" | jq -er .id)
RIDER=$(login "$SUBJECT_EMAIL" "$PASSWORD")

step "The rider quotes and requests a ride, then cancels it"
QUOTE=$(call POST /api/v1/fare-quotes "$RIDER" \
  '{"city":"lagos","vehicleType":"sedan","pickup":{"lat":6.4281,"lng":3.4219},"dropoff":{"lat":6.4550,"lng":3.3841}}' | jq -er .id)
RIDE=$(curl -s -X POST "$BASE_URL/api/v1/rides" -H "Authorization: Bearer $RIDER" -H 'content-type: application/json' \
  -H "Idempotency-Key: privacy-${RUN}" -d "{\"quoteId\":\"$QUOTE\"}" | jq -er .id) || fail "the ride request failed"
call POST "/api/v1/rides/$RIDE/cancel" "$RIDER" '{"reason":"changed my mind"}' > /dev/null

step "The rider grants, then withdraws marketing consent; the history keeps both"
call PUT /api/v1/me/consents/marketing "$RIDER" '{"granted":true,"channel":"app"}' > /dev/null
call PUT /api/v1/me/consents/marketing "$RIDER" '{"granted":false,"channel":"app"}' \
  | jq -e '.[] | select(.purpose=="marketing") | .granted == false' > /dev/null || fail "marketing consent still on"
[[ $(call GET /api/v1/me/consents/history "$RIDER" | jq '[.[] | select(.purpose=="marketing")] | length') == 2 ]] \
  || fail "the consent history lacks the grant and the withdrawal"

step "The rider asks for their data; the export is built and downloaded once"
ACCESS=$(call POST /api/v1/me/privacy-requests "$RIDER" '{"type":"access"}' | jq -er .id)
TICKET=$(call POST "/api/v1/me/privacy-requests/$ACCESS/export" "$RIDER")
EXPORT=$(jq -er .exportId <<< "$TICKET")
DOWNLOAD=$(jq -er .downloadPath <<< "$TICKET")
for _ in $(seq 1 60); do
  [[ $(call GET "/api/v1/me/privacy-exports/$EXPORT" "$RIDER" | jq -r .status) == ready ]] && break
  sleep 1
done
code=$(curl -s -o "$WORK/export.zip" -w '%{http_code}' "$BASE_URL$DOWNLOAD" -H "Authorization: Bearer $RIDER")
[[ $code == 200 ]] || fail "the download answered $code"
unzip -l "$WORK/export.zip" > "$WORK/entries"
for entry in manifest.json consents.json tables/public.users.json tables/public.rides.json tables/compliance.consent_events.json; do
  grep -q " $entry\$" "$WORK/entries" || fail "the export lacks $entry"
done
unzip -p "$WORK/export.zip" tables/public.users.json | jq -e --arg e "$SUBJECT_EMAIL" '.[0].email == $e' > /dev/null \
  || fail "the export does not hold the rider's account"
[[ $(status GET "$DOWNLOAD" "$RIDER") == 404 ]] || fail "the download link worked twice"

step "The rider asks to be erased; the compliance officer erases them"
ERASURE=$(call POST /api/v1/me/privacy-requests "$RIDER" '{"type":"erasure"}' | jq -er .id)
call POST "/api/v1/compliance/privacy-requests/$ERASURE/erasure" "$OFFICER" \
  | jq -e '.retained | map(.table) | index("public.rides") != null' > /dev/null || fail "the ride was not kept pseudonymised"
[[ $(call GET "/api/v1/compliance/privacy-requests/$ERASURE" "$OFFICER" | jq -r .status) == completed ]] \
  || fail "the erasure request is not completed"
[[ $(status POST /api/v1/auth/login "" "$(jq -n --arg e "$SUBJECT_EMAIL" --arg p "$PASSWORD" '{email:$e, password:$p}')") == 401 ]] \
  || fail "the erased rider can still sign in"

step "The same email and phone register again"
NEW_ID=$(call POST /api/v1/auth/register "" "$(registration)" | jq -er .id)
[[ $NEW_ID != "$SUBJECT_ID" ]] || fail "re-registration returned the erased account"

printf '\nErased %s through request %s\n' "$SUBJECT_ID" "$ERASURE" >&2
echo "$ERASURE"
