#!/usr/bin/env bash
# simulate.sh BASE_URL [--minutes N] [--rides-per-minute R] [--drivers D] [--riders K] [--vip-ride-every M]
# Seeds a simulated Lagos through the HTTP API (fleets, drivers with vehicles, riders, two VIPs and their
# VIP chauffeur, a hotel, a support agent and an emergency responder, whose credentials it prints), then
# drives traffic through the API for N minutes (default 10): drivers move along Lagos roads and take their
# offers from their live streams, riders ride, a VIP rides every M minutes (default 3; 0 for none), now
# and then a cancellation, an SOS, a refund, a hotel stay. Prints a progress line every 30 s and a final line
# starting SIMULATION-SUMMARY. Needs a system admin: ADMIN_EMAIL and ADMIN_PASSWORD. Exits 0 only when
# the city was seeded and no request met an unexpected answer. docs/simulation.md has the details.
set -euo pipefail

BASE_URL=${1:?usage: simulate.sh BASE_URL [--minutes N] [--rides-per-minute R] [--drivers D] [--riders K] [--vip-ride-every M]}
: "${ADMIN_EMAIL:?set ADMIN_EMAIL}" "${ADMIN_PASSWORD:?set ADMIN_PASSWORD}"
for arg in "$@"; do
  [[ $arg =~ ^[A-Za-z0-9:/._-]+$ ]] || { echo "unexpected argument: $arg" >&2; exit 2; }
done
cd "$(dirname "$0")/.."
exec ./mvnw -q -Psimulate test-compile exec:java -Dexec.args="$*"
