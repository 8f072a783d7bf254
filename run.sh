#!/usr/bin/env bash
# Runs the whole system locally against the Sandbox's demo shop, syncs it once through the gateway, prints a
# summary, and keeps running until Ctrl-C.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CONFIGURATION=Release
cd "$ROOT"

deploy/local/infra.sh up
echo "Building..."
web/dashboard/build.sh
dotnet build GrowthOs.Services.sln -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly

if [ -z "${GROWTHOS_API_KEY:-}" ]; then
  GROWTHOS_API_KEY="demo-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  echo "No GROWTHOS_API_KEY set: generated a demo key for this run."
fi
export GROWTHOS_API_KEY
# The Sandbox finishes a bulk query in 3 s; poll it every 2 s instead of Shopify's 16 s.
export GROWTHOS_POLL_INTERVAL_SECONDS="${GROWTHOS_POLL_INTERVAL_SECONDS:-2}"

source deploy/local/services.sh
trap 'echo; echo "Stopping services..."; stop_services; echo "Stopped."; exit 0' INT TERM
for service in "${SERVICES[@]}"; do start_service "$service"; done
for service in "${SERVICES[@]}"; do wait_ready "$service" 90 || { stop_services; exit 1; }; done
echo "All services ready (logs in .local/logs/)."

GATEWAY=http://127.0.0.1:8080
# Connect the shop and its ad accounts as a user does, through the API (deploy/connect.sh): Shopify's install flow (the
# Sandbox's consent page approves at once; a real shop's merchant approves in the browser) or the custom app's token,
# then the Meta ad account with its token and the Google Ads customer and GA4 property through Google's consent page.
connected=$(env GROWTHOS_GATEWAY="$GATEWAY" "${CONNECT_ENV[@]}" deploy/connect.sh) || { echo "$connected"; stop_services; exit 1; }
echo "$connected"
if grep -q "waits for a person's consent" <<<"$connected"; then
  echo "Open the addresses above to approve, then press Enter."
  read -r _
fi
# Sync the shop once, its history and its marketing sources, and print what came of it. With the Sandbox, a Meta outage
# is played after the first syncs (GROWTHOS_DEMO_OUTAGE=0 leaves it out) to show how the alerts move with it.
OUTAGE=()
if [ -z "${GROWTHOS_SHOPIFY_BASE_URL:-}" ] && [ "${GROWTHOS_DEMO_OUTAGE:-1}" != 0 ]; then OUTAGE=(--sandbox "http://127.0.0.1:${SERVICE_PORT[Sandbox]}"); fi
python3 deploy/local/demo.py --gateway "$GATEWAY" --key "$GROWTHOS_API_KEY" --shop "$SHOP_DOMAIN" "${OUTAGE[@]}" || true
echo "Running. Press Ctrl-C to stop."
wait
