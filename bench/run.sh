#!/usr/bin/env bash
# Benchmarks that print their figures (not part of ./test.sh).
#   bench/run.sh [--orders N]    extraction: bulk query, download + archive to S3, parse; default 1,000,000 orders
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
deploy/local/infra.sh up
dotnet build bench/GrowthOs.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet bench/GrowthOs.Bench/bin/Release/net10.0/GrowthOs.Bench.dll "$@"
