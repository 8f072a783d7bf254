#!/usr/bin/env bash
# Benchmarks that print their figures (not part of ./test.sh).
#   bench/run.sh [--orders N]              extraction: bulk query, download + archive to S3, parse; default 1,000,000 orders
#   bench/run.sh transform [--orders N] [--rounds R] [--setup-sql SQL]   transform: parse + upsert against raw COPY (medians of R rounds,
#                                          default 3; each path's processor time, this process's and PostgreSQL's) and EF Core, then every
#                                          mart timed; SQL runs on its database first (what a part of the schema costs: drop it)
#   bench/run.sh gateway [--seconds S] [--rounds R] [--connections N] [--path PATH]   the whole system started (bench/services.sh):
#                                          a dashboard read through the gateway against the same read made straight to the service, signed
#   bench/run.sh sync [--orders N]          the whole system started: a shop of N orders (default 1,000,000) synced first, then daily, by step
#   bench/run.sh reads [--database DB --shop SHOP]   the whole system started: the dashboards' reads of a shop, each range
#                                          timed, and its orders list page by page (the demo shop; or one synced into DB before)
#   bench/run.sh fleet [--shops N]          the whole system started: N shops of the demo's size (default 1,000) with their ad sources
#                                          connected, synced first, then daily; runs per hour, durations, memory, sizes
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [[ "${1:-}" == gateway || "${1:-}" == sync || "${1:-}" == fleet || "${1:-}" == reads ]]; then exec bench/services.sh "$@"; fi
deploy/local/infra.sh up
if [[ "${1:-}" == transform ]]; then
  shift
  dotnet build bench/GrowthOs.Bench.Transform -c Release -nologo -v quiet -clp:ErrorsOnly
  dotnet bench/GrowthOs.Bench.Transform/bin/Release/net10.0/GrowthOs.Bench.Transform.dll "$@"
else
  dotnet build bench/GrowthOs.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
  dotnet bench/GrowthOs.Bench/bin/Release/net10.0/GrowthOs.Bench.dll "$@"
fi
