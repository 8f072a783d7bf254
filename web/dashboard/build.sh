#!/usr/bin/env bash
# Builds the staff dashboard into web/dashboard/dist, which the gateway serves at / (Dashboard:Directory).
# Installs the npm packages from the lock file first when they are missing or older than it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --silent
fi
npx --no-install vite build --logLevel warn
echo "[dashboard] built in $(pwd)/dist"
