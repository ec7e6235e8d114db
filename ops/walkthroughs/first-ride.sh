#!/usr/bin/env bash
# first-ride.sh BASE_URL — a city's first ride, through the HTTP API alone:
# a fleet applies and is vetted, a driver applies with documents and is approved, a vehicle is
# registered (with its documents) and assigned, the driver goes online near the pickup, a rider quotes
# and requests, the driver accepts, sees the pickup, arrives, starts and completes, and both rate.
# Needs curl and jq, and a system admin: ADMIN_EMAIL and ADMIN_PASSWORD (on a fresh installation, the
# account VIPRIDE_BOOTSTRAP_ADMIN_EMAIL / VIPRIDE_BOOTSTRAP_ADMIN_PASSWORD created).
# Prints each step; exits 0 only when every step held, and prints the completed ride's id last.
set -euo pipefail

BASE_URL=${1:?usage: first-ride.sh BASE_URL}
: "${ADMIN_EMAIL:?set ADMIN_EMAIL}" "${ADMIN_PASSWORD:?set ADMIN_PASSWORD}"
RUN=$((10#$(date +%s%N | tail -c 9)))            # keeps this run's people, plates and places apart from others'
PASSWORD="first ride ${RUN}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

FLEET_NAME="Eko Executive Cars"
PLATE_PREFIX=WT
# shellcheck source=launch-city.sh
source "$(dirname "$0")/launch-city.sh"

step "A rider quotes and requests the ride"
RIDER_EMAIL="rider-$RUN@example.com"
register Ada "$RIDER_EMAIL" 3
RIDER=$(login "$RIDER_EMAIL" "$PASSWORD")
QUOTE_ID=$(call POST /api/v1/fare-quotes "$RIDER" "{\"city\":\"lagos\",\"vehicleType\":\"sedan\",
  \"pickup\":{\"lat\":$pickup_lat,\"lng\":$pickup_lng},\"dropoff\":{\"lat\":$pickup_lat,\"lng\":$(printf '3.%04d' $(( 3500 + RUN / 7 % 900 + 450 )))}}" \
  | jq -er .id)
RIDE=$(curl -s -X POST "$BASE_URL/api/v1/rides" -H "Authorization: Bearer $RIDER" -H 'content-type: application/json' \
  -H "Idempotency-Key: first-ride-$RUN" -d "{\"quoteId\":\"$QUOTE_ID\",\"pickupAddress\":\"1 Ozumba Mbadiwe Avenue\",\"dropoffAddress\":\"Eko Hotel\"}")
RIDE_ID=$(jq -er .id <<< "$RIDE") || fail "the ride request failed: $RIDE"
[[ $(jq -r .driverId <<< "$RIDE") == "$DRIVER_ID" ]] || fail "the ride was not offered to the walkthrough's driver: $RIDE"

step "The driver accepts the offer and sees the pickup"
call GET /api/v1/drivers/me/offers "$DRIVER" | jq -e --arg r "$RIDE_ID" 'any(.[]; .rideId == $r)' > /dev/null \
  || fail "the driver has no offer of the ride"
call POST "/api/v1/rides/$RIDE_ID/accept" "$DRIVER" "" > /dev/null
TRIP=$(call GET "/api/v1/rides/$RIDE_ID/trip" "$DRIVER")
jq -e '.pickup.lat != null and .dropoff.lat != null and .rider.firstName == "Ada"' <<< "$TRIP" > /dev/null \
  || fail "the driver does not see the pickup and the rider: $TRIP"
call GET "/api/v1/rides/$RIDE_ID/trip" "$RIDER" | jq -e '.driver.firstName == "Tunde" and .vehicle.plate != null' > /dev/null \
  || fail "the rider does not see the driver and the vehicle"

step "The driver arrives, starts and completes the ride"
call POST "/api/v1/rides/$RIDE_ID/arrive" "$DRIVER" "" > /dev/null
call POST "/api/v1/rides/$RIDE_ID/start" "$DRIVER" "" > /dev/null
call POST "/api/v1/rides/$RIDE_ID/complete" "$DRIVER" '{"actualDistanceM":5200}' | jq -e '.status == "completed"' > /dev/null \
  || fail "the ride is not completed"

step "Both rate, and the ride is paid"
call POST "/api/v1/rides/$RIDE_ID/rating" "$RIDER" '{"stars":5}' > /dev/null
call POST "/api/v1/rides/$RIDE_ID/rating" "$DRIVER" '{"stars":5}' > /dev/null
call GET "/api/v1/rides/$RIDE_ID" "$RIDER" | jq -e '.status == "completed" and .finalFareMinor > 0' > /dev/null \
  || fail "the rider does not see a completed, priced ride"
for attempt in 1 2 3 4 5 6 7 8 9 10; do   # the payment is captured just after the completion commits
  PAID=$(call GET /api/v1/payments "$RIDER" | jq --arg r "$RIDE_ID" '[.items[]? // .[]? | select(.rideId == $r and .status == "completed")] | length')
  [[ $PAID -ge 1 ]] && break
  sleep 1
done
[[ $PAID -ge 1 ]] || fail "the ride's payment was not captured"

step "Done: the first ride is completed, paid and rated"
echo "$RIDE_ID"
