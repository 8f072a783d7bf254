#!/usr/bin/env bash
# Builds the staff dashboard into web/dashboard/dist, which the gateway serves at / (Dashboard:Directory).
# Installs the npm packages from the lock file first when they are missing or older than it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# Vite 8 runs on Node.js 20.19 or later (22.12 or later on 22): say so rather than fail inside the build.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "[dashboard] Node.js $(node -v) is too old: the build (Vite 8) needs 20.19 or later, or 22.12 or later (NodeSource's nodejs, for one)" >&2
  exit 1
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --silent
fi
# The API types are those of the committed OpenAPI document (openapi.sh writes both), and the code holds to them.
generated=$(mktemp --suffix=.d.ts)
trap 'rm -f "$generated"' EXIT
npx --no-install openapi-typescript openapi.json --output "$generated" --silent >/dev/null
if ! cmp -s "$generated" src/generated/openapi.d.ts; then
  echo "[dashboard] src/generated/openapi.d.ts is not generated from openapi.json: run web/dashboard/openapi.sh --types" >&2
  exit 1
fi
npx --no-install tsc -p . || { echo "[dashboard] the dashboard does not type-check against the API (tsc, tsconfig.json)" >&2; exit 1; }
npx --no-install vite build --logLevel warn
echo "[dashboard] built in $(pwd)/dist"
