#!/usr/bin/env bash
# hotel-stay.sh BASE_URL — a partner hotel's stay, through the HTTP API alone:
# a system admin onboards a hotel and its staff member; the staff add a room type, rooms and a rate plan
# with a weekend surcharge; a rider searches, books a weekend stay (the price shows the surcharge, night
# by night) with an Idempotency-Key, the hotel confirms it (the guest pays at the desk), the rider
# schedules an arrival transfer, the hotel checks the guest in and out; the month's partner statement
# shows the booking and the commission, as JSON and CSV.
# Needs curl and jq, and a system admin: ADMIN_EMAIL and ADMIN_PASSWORD.
# Prints each step; exits 0 only when every step held, and prints the booking's id last.
set -euo pipefail

BASE_URL=${1:?usage: hotel-stay.sh BASE_URL}
: "${ADMIN_EMAIL:?set ADMIN_EMAIL}" "${ADMIN_PASSWORD:?set ADMIN_PASSWORD}"
RUN=$((10#$(date +%s%N | tail -c 9)))
PASSWORD="hotel stay ${RUN}"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

step() { printf '\n== %s\n' "$*" >&2; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }

# call METHOD PATH TOKEN [JSON] [EXTRA HEADER]: prints the body; fails on a status other than 2xx.
call() {
  local method=$1 path=$2 token=$3 body=${4:-} header=${5:-}
  local args=(-s -o "$WORK/body" -w '%{http_code}' -X "$method" "$BASE_URL$path")
  [[ -n $token ]] && args+=(-H "Authorization: Bearer $token")
  [[ -n $body ]] && args+=(-H 'content-type: application/json' -d "$body")
  [[ -n $header ]] && args+=(-H "$header")
  local status
  status=$(curl "${args[@]}")
  [[ $status == 2* ]] || fail "$method $path answered $status: $(cat "$WORK/body")"
  cat "$WORK/body"
}

phone() { printf '+23481%08d' $(( (RUN + $1) % 100000000 )); }

login() { # login EMAIL PASSWORD → access token
  call POST /api/v1/auth/login "" "$(jq -n --arg e "$1" --arg p "$2" '{email:$e, password:$p}')" | jq -er .accessToken
}

# The next Friday at least a week ahead: a two-night weekend stay (Friday and Saturday nights).
friday=$(date -u -d "$(date -u -d '+7 days' +%F) +$(( (5 - $(date -u -d '+7 days' +%u) + 7) % 7 )) days" +%F)
sunday=$(date -u -d "$friday +2 days" +%F)
month=${friday:0:7}
hotel_lat=$(printf '6.%04d' $(( 4300 + RUN % 900 )))
hotel_lng=$(printf '3.%04d' $(( 3500 + RUN / 7 % 900 )))

step "The system admin signs in and onboards a hotel in Lagos"
ADMIN=$(login "$ADMIN_EMAIL" "$ADMIN_PASSWORD")
HOTEL=$(call POST /api/v1/hotels "$ADMIN" "$(jq -n --arg n "Walkthrough Suites $RUN" --argjson lat "$hotel_lat" \
  --argjson lng "$hotel_lng" --arg ph "$(phone 1)" \
  '{name:$n, city:"lagos", address:"1 Walkthrough Road", lat:$lat, lng:$lng, starRating:5,
    contactEmail:"desk@walkthrough.example", contactPhone:$ph, tier:"preferred"}')")
HOTEL_ID=$(jq -er .id <<< "$HOTEL")
[[ $(jq -r .status <<< "$HOTEL") == active ]] || fail "the hotel is not active: $HOTEL"
echo "hotel $HOTEL_ID, tier $(jq -r .tier <<< "$HOTEL"), commission $(jq -r .commissionRateBp <<< "$HOTEL") bp" >&2

step "The admin gives the hotel a staff member, who signs in"
STAFF_EMAIL="desk.$RUN@walkthrough.example"
call POST /api/v1/admin/staff "$ADMIN" "$(jq -n --arg e "$STAFF_EMAIL" --arg h "$HOTEL_ID" --arg p "$PASSWORD" \
  --arg ph "$(phone 2)" '{email:$e, phone:$ph, firstName:"Desk", lastName:"Walkthrough", role:"hotel_staff", hotelId:$h, password:$p}')" > /dev/null
STAFF=$(login "$STAFF_EMAIL" "$PASSWORD")

step "The staff add a room type, two rooms and a rate plan (₦80,000 a night, +25 % Friday and Saturday nights)"
TYPE_ID=$(call POST "/api/v1/hotels/$HOTEL_ID/room-types" "$STAFF" \
  '{"name":"Deluxe king","category":"deluxe","capacity":2,"amenities":["wifi","breakfast"]}' | jq -er .id)
for n in 201 202; do
  call POST "/api/v1/hotels/$HOTEL_ID/rooms" "$STAFF" "$(jq -n --arg n "$n" --arg t "$TYPE_ID" '{roomNumber:$n, roomTypeId:$t}')" > /dev/null
done
call POST "/api/v1/hotels/$HOTEL_ID/rate-plans" "$STAFF" "$(jq -n --arg t "$TYPE_ID" --arg from "$(date -u +%F)" \
  '{roomTypeId:$t, name:"Best available", currency:"NGN", baseNightlyMinor:8000000, weekendSurchargeBp:2500,
    freeCancellationHours:48, cancellationFeeBp:5000, validFrom:$from}')" > /dev/null

step "A rider registers and searches Lagos for $friday to $sunday, two guests"
RIDER_EMAIL="guest.$RUN@walkthrough.example"
call POST /api/v1/auth/register "" "$(jq -n --arg e "$RIDER_EMAIL" --arg p "$PASSWORD" --arg ph "$(phone 3)" \
  '{email:$e, phone:$ph, password:$p, firstName:"Guest", lastName:"Walkthrough", dataProcessingConsent:true}')" > /dev/null
RIDER=$(login "$RIDER_EMAIL" "$PASSWORD")
FOUND=$(call GET "/api/v1/hotel-availability?city=lagos&checkIn=$friday&checkOut=$sunday&guests=2" "$RIDER" \
  | jq --arg h "$HOTEL_ID" '[.[] | select(.hotelId == $h)][0]')
[[ $FOUND != null ]] || fail "the search did not find the hotel"
[[ $(jq -r .totalMinor <<< "$FOUND") == 20000000 ]] || fail "expected 2 × (8,000,000 + 25 %) = 20,000,000: $FOUND"
PRICE=$(call GET "/api/v1/hotels/$HOTEL_ID/room-types/$TYPE_ID/price?checkIn=$friday&checkOut=$sunday" "$RIDER")
jq -c '.nights[] | {night, baseMinor, weekendMinor, amountMinor}' <<< "$PRICE" >&2
[[ $(jq '[.nights[].weekendMinor] | add' <<< "$PRICE") == 4000000 ]] || fail "no weekend surcharge: $PRICE"

step "The rider books it (a retry with the same Idempotency-Key is the same booking)"
BOOKING_BODY=$(jq -n --arg h "$HOTEL_ID" --arg t "$TYPE_ID" --arg i "$friday" --arg o "$sunday" \
  '{hotelId:$h, roomTypeId:$t, checkIn:$i, checkOut:$o, guests:2}')
BOOKING=$(call POST /api/v1/hotel-bookings "$RIDER" "$BOOKING_BODY" "Idempotency-Key: stay-$RUN")
BOOKING_ID=$(jq -er .id <<< "$BOOKING")
AGAIN=$(call POST /api/v1/hotel-bookings "$RIDER" "$BOOKING_BODY" "Idempotency-Key: stay-$RUN" | jq -er .id)
[[ $AGAIN == "$BOOKING_ID" ]] || fail "the retry made another booking"
[[ $(jq -r .totalMinor <<< "$BOOKING") == 20000000 ]] || fail "booked at another price: $BOOKING"
echo "booking $(jq -r .bookingReference <<< "$BOOKING"): $(jq -r .status <<< "$BOOKING"), commission $(jq -r .commissionRateBp <<< "$BOOKING") bp" >&2

step "The guest pays at the hotel: the staff confirm the booking"
[[ $(call POST "/api/v1/hotel-bookings/$BOOKING_ID/confirm" "$STAFF" '{}' | jq -r .status) == confirmed ]] \
  || fail "the booking is not confirmed"

step "The rider schedules the arrival transfer from the airport for $friday 14:00 UTC"
TRANSFER=$(call POST "/api/v1/hotel-bookings/$BOOKING_ID/rides" "$RIDER" "$(jq -n --arg at "${friday}T14:00:00Z" \
  --argjson lat "$hotel_lat" --argjson lng "$hotel_lng" \
  '{purpose:"arrival", scheduledFor:$at, vehicleType:"sedan", pickup:{lat:6.5774, lng:3.3211},
    dropoff:{lat:$lat, lng:$lng}, pickupAddress:"Murtala Muhammed Airport"}')")
[[ $(jq -r .status <<< "$TRANSFER") == pending ]] || fail "the transfer is not waiting for dispatch: $TRANSFER"
RIDE_ID=$(jq -er .rideId <<< "$TRANSFER")
[[ $(call GET "/api/v1/hotel-rides/$RIDE_ID" "$STAFF" | jq -r .purpose) == arrival ]] || fail "the hotel does not see the transfer"

step "The hotel checks the guest in and out"
[[ $(call POST "/api/v1/hotel-bookings/$BOOKING_ID/check-in" "$STAFF" '{}' | jq -r .status) == checked_in ]] || fail "check-in"
[[ $(call POST "/api/v1/hotel-bookings/$BOOKING_ID/check-out" "$STAFF" '{}' | jq -r .status) == checked_out ]] || fail "check-out"

step "The statements of $month are issued; the hotel's shows the booking and the commission"
call POST "/api/v1/hotel-statements/$month" "$ADMIN" '{}' >&2
STATEMENT=$(call GET "/api/v1/hotels/$HOTEL_ID/statements/$month" "$STAFF" | jq '.[0]')
jq -c '{month, currency, bookings, bookingValueMinor, bookingCommissionMinor, openingBalanceMinor, closingBalanceMinor, amountPayableMinor}' <<< "$STATEMENT" >&2
[[ $(jq --arg b "$BOOKING_ID" '[.lines.bookings[] | select(.bookingId == $b)] | length' <<< "$STATEMENT") == 1 ]] \
  || fail "the statement does not list the booking: $STATEMENT"
# Preferred tier: 12 % of 20,000,000.
[[ $(jq -r .bookingCommissionMinor <<< "$STATEMENT") == 2400000 ]] || fail "commission: $STATEMENT"
CSV=$(call GET "/api/v1/hotels/$HOTEL_ID/statements/$month" "$STAFF" "" "Accept: text/csv")
grep -q "$(jq -r .bookingReference <<< "$BOOKING")" <<< "$CSV" || fail "the CSV statement does not list the booking"
echo "$CSV" >&2

echo "$BOOKING_ID"
