#!/usr/bin/env bash
# Starts the whole system (Release) as run.sh does, connects the Sandbox's demo shop through the API, runs a benchmark of
# the running system (bench/GrowthOs.Bench.Services) against it, and stops it again.
#   bench/services.sh gateway [--seconds S] [--rounds R] [--connections N] [--path PATH]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIGURATION=Release
cd "$ROOT"
COMMAND="${1:?usage: bench/services.sh gateway [options]}"
shift

deploy/local/infra.sh up
web/dashboard/build.sh >/dev/null
dotnet build GrowthOs.Services.sln -c "$CONFIGURATION" -nologo -v quiet -clp:ErrorsOnly

GROWTHOS_API_KEY="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
GROWTHOS_GATEWAY_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export GROWTHOS_API_KEY GROWTHOS_GATEWAY_SECRET
export GROWTHOS_POLL_INTERVAL_SECONDS=2
# The benchmark reads as fast as the system answers: the per-key read limit would refuse it within a second.
export Limits__ReadsPerMinute=1000000
# The gateway logs each request; what a deployment logs is what is measured.
source deploy/local/services.sh
trap 'stop_services' EXIT
for service in "${SERVICES[@]}"; do start_service "$service"; done
for service in "${SERVICES[@]}"; do wait_ready "$service" 120; done
env GROWTHOS_GATEWAY=http://127.0.0.1:8080 "${CONNECT_ENV[@]}" deploy/connect.sh >/dev/null

dotnet bench/GrowthOs.Bench.Services/bin/$CONFIGURATION/net10.0/GrowthOs.Bench.Services.dll "$COMMAND" \
  --gateway http://127.0.0.1:8080 --direct "http://127.0.0.1:${SERVICE_PORT[Transform]}" --key "$GROWTHOS_API_KEY" \
  --secret "$GROWTHOS_GATEWAY_SECRET" --shop "$SHOP_DOMAIN" "$@"
