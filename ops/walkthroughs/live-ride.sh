#!/usr/bin/env bash
# live-ride.sh BASE_URL — a ride followed live, through the HTTP API alone: the driver's stream receives
# the offer without polling and the driver accepts it from the pushed event; the rider's stream shows the
# ride assigned, the driver arriving and the trip in progress; the rider raises an SOS and a responder's
# stream receives it; the responder acknowledges and resolves it; the driver completes the ride and the
# rider's receipt is in the in-app inbox. Streams are Server-Sent Events read with curl -N and jq.
# Needs curl and jq, and a system admin: ADMIN_EMAIL and ADMIN_PASSWORD.
# Prints each step; exits 0 only when every step held, and prints the ride's id last.
set -euo pipefail

BASE_URL=${1:?usage: live-ride.sh BASE_URL}
: "${ADMIN_EMAIL:?set ADMIN_EMAIL}" "${ADMIN_PASSWORD:?set ADMIN_PASSWORD}"
RUN=$((10#$(date +%s%N | tail -c 9)))            # keeps this run's people, plates and places apart from others'
PASSWORD="live ride ${RUN}"
WORK=$(mktemp -d)
STREAMS=()
cleanup() { for pid in "${STREAMS[@]}"; do kill "$pid" 2> /dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

FLEET_NAME="Island Night Cars"
PLATE_PREFIX=LR
# shellcheck source=launch-city.sh
source "$(dirname "$0")/launch-city.sh"

# stream NAME TOKEN PATH: follows a live stream into $WORK/NAME.sse in the background.
stream() {
  curl -s -N -H "Authorization: Bearer $2" -H 'Accept: text/event-stream' "$BASE_URL$3" > "$WORK/$1.sse" &
  STREAMS+=("$!")
  for _ in $(seq 1 100); do grep -q '^event: *ready' "$WORK/$1.sse" 2> /dev/null && return 0; sleep 0.1; done
  fail "the $1 stream did not open"
}

# events NAME: the stream's events so far, one JSON object a line: {id, event, data}.
events() {
  awk '/^id:/ {sub(/^id: */, ""); id = $0}
       /^event:/ {sub(/^event: */, ""); ev = $0}
       /^data:/ {sub(/^data: */, ""); data = data $0}
       /^$/ {if (data != "") printf "{\"id\":\"%s\",\"event\":\"%s\",\"data\":%s}\n", id, ev, data; id = ""; ev = ""; data = ""}' \
    "$WORK/$1.sse"
}

# await NAME JQ_FILTER WHAT: waits up to 15 s for an event the filter selects; prints its data.
await() {
  local found
  for _ in $(seq 1 150); do
    found=$(events "$1" | jq -c "select($2) | .data" | head -n 1)
    [[ -n $found ]] && { printf '%s\n' "$found"; return 0; }
    sleep 0.1
  done
  fail "$3 (the $1 stream received: $(events "$1" | jq -c '[.event, .data.status // .data.type // .data.step]' | tr '\n' ' '))"
}

step "An emergency responder joins the control centre"
RESPONDER_EMAIL="responder-$RUN@example.com"
INVITATION=$(call POST /api/v1/admin/staff "$ADMIN" "$(jq -n --arg e "$RESPONDER_EMAIL" --arg p "$(phone 4)" \
  '{email:$e, phone:$p, firstName:"Kemi", lastName:"Walkthrough", role:"emergency_responder", invite:true}')" \
  | jq -er .invitation.token)
call POST /api/v1/auth/invitations/accept "" "$(jq -n --arg t "$INVITATION" --arg p "$PASSWORD" '{token:$t, password:$p}')" > /dev/null
RESPONDER=$(login "$RESPONDER_EMAIL" "$PASSWORD")

step "The driver and the control centre open their live streams"
stream driver "$DRIVER" /api/v1/drivers/me/stream
stream control "$RESPONDER" /api/v1/control-centre/stream

step "A rider opens a live stream, quotes and requests a ride"
RIDER_EMAIL="rider-$RUN@example.com"
register Ada "$RIDER_EMAIL" 3
RIDER=$(login "$RIDER_EMAIL" "$PASSWORD")
stream rider "$RIDER" /api/v1/me/stream
QUOTE_ID=$(call POST /api/v1/fare-quotes "$RIDER" "{\"city\":\"lagos\",\"vehicleType\":\"sedan\",
  \"pickup\":{\"lat\":$pickup_lat,\"lng\":$pickup_lng},\"dropoff\":{\"lat\":$pickup_lat,\"lng\":$(printf '3.%04d' $(( 3500 + RUN / 7 % 900 + 450 )))}}" \
  | jq -er .id)
RIDE=$(curl -s -X POST "$BASE_URL/api/v1/rides" -H "Authorization: Bearer $RIDER" -H 'content-type: application/json' \
  -H "Idempotency-Key: live-ride-$RUN" -d "{\"quoteId\":\"$QUOTE_ID\"}")
RIDE_ID=$(jq -er .id <<< "$RIDE") || fail "the ride request failed: $RIDE"

step "The driver's stream receives the offer, and the driver accepts it from there"
OFFER=$(await driver ".event == \"offer\" and .data.rideId == \"$RIDE_ID\" and .data.status == \"offered\"" \
  "the driver's stream received no offer of the ride")
call POST "$(jq -er .accept <<< "$OFFER")" "$DRIVER" "" | jq -e '.offer == "accepted"' > /dev/null || fail "the offer was not accepted"

step "The rider's stream shows the ride assigned, the driver arriving and the trip in progress"
await rider ".event == \"ride\" and .data.rideId == \"$RIDE_ID\" and .data.status == \"driver_assigned\" and .data.accepted" \
  "the rider's stream does not show the ride assigned" > /dev/null
call POST /api/v1/drivers/me/position "$DRIVER" "{\"lat\":${pickup_lat}5,\"lng\":$pickup_lng}" > /dev/null   # 5 m on
await rider ".event == \"position\" and .data.rideId == \"$RIDE_ID\" and .data.etaS != null" \
  "the rider's stream does not show the driver's position" > /dev/null
call POST "/api/v1/rides/$RIDE_ID/arrive" "$DRIVER" "" > /dev/null
await rider ".event == \"ride\" and .data.rideId == \"$RIDE_ID\" and .data.status == \"driver_arrived\"" \
  "the rider's stream does not show the driver arriving" > /dev/null
call POST "/api/v1/rides/$RIDE_ID/start" "$DRIVER" "" > /dev/null
await rider ".event == \"ride\" and .data.rideId == \"$RIDE_ID\" and .data.status == \"in_progress\"" \
  "the rider's stream does not show the trip in progress" > /dev/null

step "The rider raises an SOS; the responder's stream receives it"
INCIDENT_ID=$(call POST "/api/v1/rides/$RIDE_ID/sos" "$RIDER" '{"kind":"security","note":"walk-through SOS"}' | jq -er .id)
await control ".event == \"incident\" and .data.incidentId == \"$INCIDENT_ID\" and .data.step == \"opened\"" \
  "the responder's stream did not receive the SOS" > /dev/null

step "The responder acknowledges and resolves the incident"
call POST "/api/v1/control-centre/incidents/$INCIDENT_ID/acknowledge" "$RESPONDER" "" | jq -e '.status == "acknowledged"' > /dev/null \
  || fail "the incident was not acknowledged"
call POST "/api/v1/control-centre/incidents/$INCIDENT_ID/resolve" "$RESPONDER" '{"outcome":"false_alarm","note":"walk-through"}' \
  | jq -e '.status == "resolved"' > /dev/null || fail "the incident was not resolved"
await control ".event == \"incident\" and .data.incidentId == \"$INCIDENT_ID\" and .data.step == \"resolved\"" \
  "the responder's stream did not show the resolution" > /dev/null

step "The driver completes the ride; the rider's receipt is in the in-app inbox"
call POST "/api/v1/rides/$RIDE_ID/complete" "$DRIVER" '{"actualDistanceM":5200}' | jq -e '.status == "completed"' > /dev/null \
  || fail "the ride is not completed"
await rider ".event == \"notification\" and .data.type == \"ride.receipt\" and .data.payload.rideId == \"$RIDE_ID\"" \
  "the rider's stream did not carry the receipt" > /dev/null
call GET "/api/v1/me/notifications?limit=20" "$RIDER" \
  | jq -e --arg r "$RIDE_ID" 'any(.items[]; .type == "ride.receipt" and .payload.rideId == $r and .payload.fareMinor > 0)' > /dev/null \
  || fail "the receipt is not in the rider's inbox"

step "Done: the ride was followed live, its SOS reached a responder and was resolved"
echo "$RIDE_ID"
