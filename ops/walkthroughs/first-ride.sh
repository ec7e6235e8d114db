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

# upload TOKEN PATH KIND NUMBER ISSUER EXPIRES: a document with a small PDF file.
upload() {
  printf '%%PDF-1.4\n%% %s\n%%%%EOF\n' "$4" > "$WORK/document.pdf"
  local status
  status=$(curl -s -o "$WORK/body" -w '%{http_code}' -X POST "$BASE_URL$2" -H "Authorization: Bearer $1" \
    -F "kind=$3" -F "number=$4" -F "issuer=$5" -F "expiresOn=$6" -F "file=@$WORK/document.pdf;type=application/pdf")
  [[ $status == 2* ]] || fail "POST $2 ($3) answered $status: $(cat "$WORK/body")"
}

phone() { printf '+23480%08d' $(( (RUN + $1) % 100000000 )); }

register() { # register FIRST_NAME EMAIL PHONE_OFFSET
  call POST /api/v1/auth/register "" "$(jq -n --arg e "$2" --arg p "$(phone "$3")" --arg f "$1" --arg pw "$PASSWORD" \
    '{email:$e, phone:$p, password:$pw, firstName:$f, lastName:"Walkthrough", dataProcessingConsent:true}')" > /dev/null
}

login() { # login EMAIL PASSWORD → access token
  call POST /api/v1/auth/login "" "$(jq -n --arg e "$1" --arg p "$2" '{email:$e, password:$p}')" | jq -er .accessToken
}

in_a_year=$(date -u -d '+1 year' +%F)
# A pickup of this run's own in Lagos, and the drop-off 5 km away.
pickup_lat=$(printf '6.%04d' $(( 4300 + RUN % 900 )))
pickup_lng=$(printf '3.%04d' $(( 3500 + RUN / 7 % 900 )))

step "The system admin signs in"
ADMIN=$(login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")

step "A fleet applies and is vetted"
OWNER_EMAIL="fleet-owner-$RUN@example.com"
register Funmi "$OWNER_EMAIL" 1
OWNER=$(login "$OWNER_EMAIL" "$PASSWORD")
FLEET_ID=$(call POST /api/v1/fleets "$OWNER" "$(jq -n --arg n "Eko Executive Cars $RUN" --arg r "RC-$RUN" \
  --arg e "$OWNER_EMAIL" --arg p "$(phone 1)" \
  '{name:$n, registrationNumber:$r, contactEmail:$e, contactPhone:$p, operatingCities:["lagos"]}')" | jq -er .id)
call POST "/api/v1/fleets/$FLEET_ID/verification" "$ADMIN" '{"approve":true,"reason":"CAC registration checked"}' \
  | jq -e '.status == "active"' > /dev/null || fail "the fleet is not active after approval"
FLEET_ADMIN=$(login "$OWNER_EMAIL" "$PASSWORD")   # the applicant now administers the fleet

step "A driver applies to the fleet with documents and is approved"
DRIVER_EMAIL="driver-$RUN@example.com"
register Tunde "$DRIVER_EMAIL" 2
APPLICANT=$(login "$DRIVER_EMAIL" "$PASSWORD")
DRIVER_ID=$(call POST /api/v1/drivers "$APPLICANT" "$(jq -n --arg f "$FLEET_ID" --arg l "LAG-$RUN" --arg x "$in_a_year" \
  '{category:"fleet_driver", fleetId:$f, licenceNumber:$l, licenceExpiresOn:$x, city:"lagos"}')" | jq -er .id)
upload "$APPLICANT" "/api/v1/drivers/$DRIVER_ID/documents" driver_licence "LAG-$RUN" FRSC "$in_a_year"
upload "$APPLICANT" "/api/v1/drivers/$DRIVER_ID/documents" background_check "BG-$RUN" "Lagos State Police" "$in_a_year"
call POST "/api/v1/drivers/$DRIVER_ID/decision" "$FLEET_ADMIN" '{"approve":true,"reason":"Licence verified with FRSC"}' > /dev/null
DRIVER=$(login "$DRIVER_EMAIL" "$PASSWORD")       # now a driver account

step "The fleet registers a vehicle with its documents and assigns it"
PLATE="WT${RUN: -6}"
VEHICLE_ID=$(call POST /api/v1/vehicles "$FLEET_ADMIN" "$(jq -n --arg p "$PLATE" \
  '{plateNumber:$p, make:"Toyota", model:"Camry", modelYear:2023, color:"black", vehicleType:"sedan", seats:4}')" \
  | jq -er .id)
upload "$FLEET_ADMIN" "/api/v1/vehicles/$VEHICLE_ID/documents" insurance "INS-$RUN" "Leadway Assurance" "$in_a_year"
upload "$FLEET_ADMIN" "/api/v1/vehicles/$VEHICLE_ID/documents" vehicle_registration "REG-$RUN" "Lagos MVAA" "$in_a_year"
call PUT "/api/v1/drivers/$DRIVER_ID/vehicle" "$FLEET_ADMIN" "$(jq -n --arg v "$VEHICLE_ID" '{vehicleId:$v}')" > /dev/null

step "The driver goes online at the pickup"
call POST /api/v1/drivers/me/position "$DRIVER" "{\"lat\":$pickup_lat,\"lng\":$pickup_lng}" > /dev/null
call POST /api/v1/drivers/me/online "$DRIVER" "" | jq -e '.online == true' > /dev/null || fail "the driver is not online"

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
