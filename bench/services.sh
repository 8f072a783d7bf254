#!/usr/bin/env bash
# Starts the whole system (Release) as run.sh does, connects the Sandbox's demo shop through the API, runs a benchmark of
# the running system (bench/GrowthOs.Bench.Services) against it, and stops it again.
#   bench/services.sh gateway [--seconds S] [--rounds R] [--connections N] [--path PATH]
#   bench/services.sh sync [--orders N] [--entities orders,products]   a Sandbox shop of N orders over 180 days (default
#       1,000,000) connected to a database of its own: its first sync, its history and the daily sync after them
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIGURATION=Release
cd "$ROOT"
COMMAND="${1:?usage: bench/services.sh gateway|sync [options]}"
shift
ORDERS=1000000
if [ "$COMMAND" = sync ]; then
  ARGS=()
  while [ $# -gt 0 ]; do
    if [ "$1" = --orders ]; then ORDERS="$2"; shift 2; else ARGS+=("$1"); shift; fi
  done
  set -- "${ARGS[@]}"
fi

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
if [ "$COMMAND" = sync ]; then
  # A shop never synced, in a database of its own, and the Sandbox's shop of that size beside its demo shops, with a
  # state of its own (no bulk operation of an earlier run to read back).
  export GROWTHOS_PG_DATABASE=growthos_bench_services GROWTHOS_SANDBOX_STATE="$ROOT/.local/bench/sandbox-state"
  rm -rf "$GROWTHOS_SANDBOX_STATE"
  psql -h 127.0.0.1 -p "${GROWTHOS_PG_PORT:-55432}" -U postgres -qc "DROP DATABASE IF EXISTS $GROWTHOS_PG_DATABASE WITH (FORCE)" \
    -c "CREATE DATABASE $GROWTHOS_PG_DATABASE"
  export Sandbox__Shops__2__Domain=bench-shop.myshopify.com Sandbox__Shops__2__AccessToken=shpat_sandbox_bench_token \
    Sandbox__Shops__2__Seed=42 Sandbox__Shops__2__Days=180 Sandbox__Shops__2__OrdersPerDay=$((ORDERS / 180)) Sandbox__Shops__2__CurrencyCode=USD
fi
source deploy/local/services.sh
trap 'stop_services' EXIT
for service in "${SERVICES[@]}"; do start_service "$service"; done
for service in "${SERVICES[@]}"; do wait_ready "$service" 120; done
if [ "$COMMAND" = sync ]; then
  SHOP_DOMAIN=bench-shop.myshopify.com
  env GROWTHOS_GATEWAY=http://127.0.0.1:8080 CONNECT_SHOP="$SHOP_DOMAIN" CONNECT_SHOP_TOKEN=shpat_sandbox_bench_token deploy/connect.sh >/dev/null
else
  env GROWTHOS_GATEWAY=http://127.0.0.1:8080 "${CONNECT_ENV[@]}" deploy/connect.sh >/dev/null
fi

dotnet bench/GrowthOs.Bench.Services/bin/$CONFIGURATION/net10.0/GrowthOs.Bench.Services.dll "$COMMAND" \
  --gateway http://127.0.0.1:8080 --direct "http://127.0.0.1:${SERVICE_PORT[Transform]}" --key "$GROWTHOS_API_KEY" \
  --secret "$GROWTHOS_GATEWAY_SECRET" --shop "$SHOP_DOMAIN" "$@"
