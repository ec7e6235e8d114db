# launch-city.sh — sourced by the walk-throughs that need a city ready to ride: the calls they share
# (call, step, fail, register, login, upload), then a fleet applies and is vetted, a driver applies with
# documents and is approved, a vehicle is registered with its documents and assigned, and the driver goes
# online at this run's pickup. Expects BASE_URL, ADMIN_EMAIL, ADMIN_PASSWORD, RUN, PASSWORD and WORK,
# and FLEET_NAME and PLATE_PREFIX to tell this walk-through's fleet and plates from the others'.

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
FLEET_ID=$(call POST /api/v1/fleets "$OWNER" "$(jq -n --arg n "$FLEET_NAME $RUN" --arg r "RC-$RUN" \
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
PLATE="$PLATE_PREFIX${RUN: -6}"
VEHICLE_ID=$(call POST /api/v1/vehicles "$FLEET_ADMIN" "$(jq -n --arg p "$PLATE" \
  '{plateNumber:$p, make:"Toyota", model:"Camry", modelYear:2023, color:"black", vehicleType:"sedan", seats:4}')" \
  | jq -er .id)
upload "$FLEET_ADMIN" "/api/v1/vehicles/$VEHICLE_ID/documents" insurance "INS-$RUN" "Leadway Assurance" "$in_a_year"
upload "$FLEET_ADMIN" "/api/v1/vehicles/$VEHICLE_ID/documents" vehicle_registration "REG-$RUN" "Lagos MVAA" "$in_a_year"
call PUT "/api/v1/drivers/$DRIVER_ID/vehicle" "$FLEET_ADMIN" "$(jq -n --arg v "$VEHICLE_ID" '{vehicleId:$v}')" > /dev/null

step "The driver goes online at the pickup"
call POST /api/v1/drivers/me/position "$DRIVER" "{\"lat\":$pickup_lat,\"lng\":$pickup_lng}" > /dev/null
call POST /api/v1/drivers/me/online "$DRIVER" "" | jq -e '.online == true' > /dev/null || fail "the driver is not online"
