#!/usr/bin/env bash
# support-case.sh BASE_URL — a support agent helps a rider, through the HTTP API alone: after a first ride
# is completed and paid, the rider's second ride gets stuck once the driver has accepted it; the agent
# finds the rider, cancels the stuck ride with a reason (no fee for the rider), the driver is available
# again and the rider is told; the agent then reads the rider's payments with their refunds and disputes.
# Needs curl and jq, and a system admin: ADMIN_EMAIL and ADMIN_PASSWORD.
# Prints each step; exits 0 only when every step held, and prints the cancelled ride's id last.
set -euo pipefail

BASE_URL=${1:?usage: support-case.sh BASE_URL}
: "${ADMIN_EMAIL:?set ADMIN_EMAIL}" "${ADMIN_PASSWORD:?set ADMIN_PASSWORD}"
RUN=$((10#$(date +%s%N | tail -c 9)))            # keeps this run's people, plates and places apart from others'
PASSWORD="support case ${RUN}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

FLEET_NAME="Lekki Support Cars"
PLATE_PREFIX=SC
# shellcheck source=launch-city.sh
source "$(dirname "$0")/launch-city.sh"

# ride TOKEN → the id of a ride from the pickup to 5 km east, offered to the walkthrough's driver.
ride() {
  local quote response
  quote=$(call POST /api/v1/fare-quotes "$1" "{\"city\":\"lagos\",\"vehicleType\":\"sedan\",
    \"pickup\":{\"lat\":$pickup_lat,\"lng\":$pickup_lng},\"dropoff\":{\"lat\":$pickup_lat,\"lng\":$(printf '3.%04d' $(( 3500 + RUN / 7 % 900 + 450 )))}}" \
    | jq -er .id)
  response=$(call POST /api/v1/rides "$1" "{\"quoteId\":\"$quote\",\"pickupAddress\":\"Admiralty Way\",\"dropoffAddress\":\"Lekki Phase 1\"}")
  [[ $(jq -r .driverId <<< "$response") == "$DRIVER_ID" ]] || fail "the ride was not offered to the walkthrough's driver: $response"
  jq -er .id <<< "$response"
}

step "A rider's first ride is completed and paid"
RIDER_EMAIL="rider-$RUN@example.com"
register Bisi "$RIDER_EMAIL" 5
RIDER=$(login "$RIDER_EMAIL" "$PASSWORD")
RIDER_ID=$(call GET /api/v1/me "$RIDER" | jq -er .id)
FIRST=$(ride "$RIDER")
for s in accept arrive start; do call POST "/api/v1/rides/$FIRST/$s" "$DRIVER" "" > /dev/null; done
call POST "/api/v1/rides/$FIRST/complete" "$DRIVER" '{"actualDistanceM":5100}' | jq -e '.status == "completed"' > /dev/null \
  || fail "the first ride is not completed"

step "The rider's second ride gets stuck after the driver accepted it"
STUCK=$(ride "$RIDER")
call POST "/api/v1/rides/$STUCK/accept" "$DRIVER" "" > /dev/null
call GET /api/v1/drivers/me/availability "$DRIVER" | jq -e '.available == false' > /dev/null \
  || fail "the driver should be busy with the ride"

step "A support agent joins"
AGENT_EMAIL="support-$RUN@example.com"
INVITATION=$(call POST /api/v1/admin/staff "$ADMIN" "$(jq -n --arg e "$AGENT_EMAIL" --arg p "$(phone 6)" \
  '{email:$e, phone:$p, firstName:"Femi", lastName:"Walkthrough", role:"support_agent", invite:true}')" \
  | jq -er .invitation.token)
call POST /api/v1/auth/invitations/accept "" "$(jq -n --arg t "$INVITATION" --arg p "$PASSWORD" '{token:$t, password:$p}')" > /dev/null
AGENT=$(login "$AGENT_EMAIL" "$PASSWORD")

step "The agent finds the rider and cancels the stuck ride, saying why"
call GET "/api/v1/search/users?q=$(jq -rn --arg e "$RIDER_EMAIL" '$e|@uri')" "$AGENT" \
  | jq -e --arg id "$RIDER_ID" 'any(.items[]; .id == $id)' > /dev/null || fail "the agent does not find the rider"
status=$(curl -s -o "$WORK/body" -w '%{http_code}' -X POST "$BASE_URL/api/v1/rides/$STUCK/cancel" \
  -H "Authorization: Bearer $AGENT" -H 'content-type: application/json' -d '{}')
[[ $status == 422 && $(jq -r .code "$WORK/body") == reason-required ]] \
  || fail "a cancellation without a reason was not refused: $status $(cat "$WORK/body")"
call POST "/api/v1/rides/$STUCK/cancel" "$AGENT" '{"reason":"the driver app froze after accepting; rider rebooking"}' \
  | jq -e '.status == "cancelled" and .cancelledBy == "support_agent" and .cancellationFeeMinor == 0' > /dev/null \
  || fail "the stuck ride was not cancelled by support at no fee"

step "The driver is free again and the rider is told"
call GET /api/v1/drivers/me/availability "$DRIVER" | jq -e '.available == true' > /dev/null \
  || fail "the driver was not released"
call GET "/api/v1/me/notifications?limit=20" "$RIDER" \
  | jq -e --arg r "$STUCK" 'any(.items[]; .type == "ride.cancelled" and .payload.rideId == $r)' > /dev/null \
  || fail "the rider was not told of the cancellation"
status=$(curl -s -o "$WORK/body" -w '%{http_code}' -X POST "$BASE_URL/api/v1/rides/$FIRST/cancel" \
  -H "Authorization: Bearer $AGENT" -H 'content-type: application/json' -d '{"reason":"by mistake"}')
[[ $status == 409 && $(jq -r .code "$WORK/body") == ride-finished ]] \
  || fail "a completed ride was not refused: $status $(cat "$WORK/body")"

step "The agent reads the rider's payments, with their refunds and disputes"
call GET "/api/v1/users/$RIDER_ID/payments" "$AGENT" \
  | jq -e --arg r "$FIRST" 'any(.items[]; .payment.rideId == $r and (.refunds | type) == "array" and (.disputes | type) == "array")' > /dev/null \
  || fail "the agent does not see the first ride's payment"

step "Done: the stuck ride was cancelled by support and the rider's payments were read"
echo "$STUCK"
