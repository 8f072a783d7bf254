#!/usr/bin/env bash
# Starts the whole system (Release) as run.sh does, connects the Sandbox's demo shop through the API, runs a benchmark of
# the running system (bench/GrowthOs.Bench.Services) against it, and stops it again.
#   bench/services.sh gateway [--seconds S] [--rounds R] [--connections N] [--path PATH]
#   bench/services.sh sync [--orders N] [--entities orders,products]   a Sandbox shop of N orders over 180 days (default
#       1,000,000) connected to a database of its own: its first sync, its history and the daily sync after them
#   bench/services.sh reads [--database DB --shop SHOP] [--repeat N] [--order-pages N]   the dashboards' reads of a shop
#       through the gateway: the demo shop, connected and synced first; or a shop already synced into database DB (the
#       1M-order shop of bench/run.sh sync: --database growthos_bench_services --shop bench-shop.myshopify.com)
#   bench/services.sh fleet [--shops N] [--days D] [--orders-per-day K]   N Sandbox shops (default 1,000) of the demo shop's
#       size (400 days of 30 orders) in a database of their own, each connected with its three ad sources: their first
#       syncs, then one day of their daily schedules; then the database's and the archive's size per shop
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CONFIGURATION=Release
cd "$ROOT"
COMMAND="${1:?usage: bench/services.sh gateway|sync [options]}"
shift
ORDERS=1000000 SHOPS=1000 FLEET_DAYS=400 FLEET_ORDERS_PER_DAY=30 READ_DATABASE=""
if [ "$COMMAND" = sync ] || [ "$COMMAND" = fleet ] || [ "$COMMAND" = reads ]; then
  ARGS=()
  while [ $# -gt 0 ]; do
    case "$1" in
      --orders) ORDERS="$2"; shift 2 ;;
      --shops) SHOPS="$2"; ARGS+=("$1" "$2"); shift 2 ;;
      --days) FLEET_DAYS="$2"; shift 2 ;;
      --orders-per-day) FLEET_ORDERS_PER_DAY="$2"; shift 2 ;;
      --database) READ_DATABASE="$2"; shift 2 ;;
      *) ARGS+=("$1"); shift ;;
    esac
  done
  set -- ${ARGS[@]+"${ARGS[@]}"}
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
  # Its raw answers of earlier runs go with their database: each run archives about 2 GB.
  rm -rf "$GROWTHOS_SANDBOX_STATE" "$ROOT"/.local/s3/data/growthos-archive/raw/*/bench-shop.myshopify.com
  psql -h 127.0.0.1 -p "${GROWTHOS_PG_PORT:-55432}" -U postgres -qc "DROP DATABASE IF EXISTS $GROWTHOS_PG_DATABASE WITH (FORCE)" \
    -c "CREATE DATABASE $GROWTHOS_PG_DATABASE"
  export Sandbox__Shops__2__Domain=bench-shop.myshopify.com Sandbox__Shops__2__AccessToken=shpat_sandbox_bench_token \
    Sandbox__Shops__2__Seed=42 Sandbox__Shops__2__Days=180 Sandbox__Shops__2__OrdersPerDay=$((ORDERS / 180)) Sandbox__Shops__2__CurrencyCode=USD
fi
if [ "$COMMAND" = reads ] && [ -n "$READ_DATABASE" ]; then
  export GROWTHOS_PG_DATABASE="$READ_DATABASE"
fi
if [ "$COMMAND" = fleet ]; then
  # The fleet's shops in a database and a Sandbox state of their own; one key connects and syncs them all, as an agency's
  # does, so its per-key limit of actions is lifted (the per-shop limit of runs stays).
  export GROWTHOS_PG_DATABASE=growthos_bench_fleet GROWTHOS_SANDBOX_STATE="$ROOT/.local/bench/fleet-sandbox-state"
  rm -rf "$GROWTHOS_SANDBOX_STATE" "$ROOT"/.local/s3/data/growthos-archive/raw/*/fleet-*.myshopify.com
  psql -h 127.0.0.1 -p "${GROWTHOS_PG_PORT:-55432}" -U postgres -qc "DROP DATABASE IF EXISTS $GROWTHOS_PG_DATABASE WITH (FORCE)" \
    -c "CREATE DATABASE $GROWTHOS_PG_DATABASE"
  export Sandbox__Fleet__Shops="$SHOPS" Sandbox__Fleet__Days="$FLEET_DAYS" Sandbox__Fleet__OrdersPerDay="$FLEET_ORDERS_PER_DAY" \
    Limits__WritesPerMinute=1000000
fi
source deploy/local/services.sh
trap 'stop_services' EXIT
for service in "${SERVICES[@]}"; do start_service "$service"; done
for service in "${SERVICES[@]}"; do wait_ready "$service" 120; done
if [ "$COMMAND" = fleet ]; then
  SHOP_DOMAIN=fleet-0001.myshopify.com
  empty_database=$(psql -h 127.0.0.1 -p "${GROWTHOS_PG_PORT:-55432}" -U postgres -Atc "SELECT pg_database_size('$GROWTHOS_PG_DATABASE')")
elif [ "$COMMAND" = reads ] && [ -n "$READ_DATABASE" ]; then
  : # a shop synced before, named by --shop
elif [ "$COMMAND" = sync ]; then
  SHOP_DOMAIN=bench-shop.myshopify.com
  env GROWTHOS_GATEWAY=http://127.0.0.1:8080 CONNECT_SHOP="$SHOP_DOMAIN" CONNECT_SHOP_TOKEN=shpat_sandbox_bench_token deploy/connect.sh >/dev/null
else
  env GROWTHOS_GATEWAY=http://127.0.0.1:8080 "${CONNECT_ENV[@]}" deploy/connect.sh >/dev/null
fi

dotnet bench/GrowthOs.Bench.Services/bin/$CONFIGURATION/net10.0/GrowthOs.Bench.Services.dll "$COMMAND" \
  --gateway http://127.0.0.1:8080 --direct "http://127.0.0.1:${SERVICE_PORT[Transform]}" --key "$GROWTHOS_API_KEY" \
  --secret "$GROWTHOS_GATEWAY_SECRET" --shop "$SHOP_DOMAIN" --sync "$([ -z "$READ_DATABASE" ] && echo true || echo false)" "$@"
if [ "$COMMAND" = fleet ]; then
  # What each shop keeps: its rows in PostgreSQL and its raw answers in the archive.
  database=$(psql -h 127.0.0.1 -p "${GROWTHOS_PG_PORT:-55432}" -U postgres -Atc "SELECT pg_database_size('$GROWTHOS_PG_DATABASE')")
  archive=$(du -scb "$ROOT"/.local/s3/data/growthos-archive/raw/*/fleet-*.myshopify.com 2>/dev/null | tail -n1 | cut -f1)
  echo "Database $((database / 1048576)) MB, $(((database - empty_database) / SHOPS / 1024)) KB per shop; archive $((archive / 1048576)) MB, $((archive / SHOPS / 1024)) KB per shop"
fi
