#!/usr/bin/env bash
# Writes the dashboard's API types from the gateway's OpenAPI document: fetches the merged document of a running
# gateway (./run.sh starts one) into openapi.json, then generates src/generated/openapi.d.ts from it. Both are
# committed. ./build.sh checks that the types are those of openapi.json, and the integration suite checks that
# openapi.json is the document the gateway serves: change a response, run this, and the build says what broke.
#   web/dashboard/openapi.sh [gateway address, default http://127.0.0.1:8080]
#   web/dashboard/openapi.sh --types    regenerates the types from the committed openapi.json only
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [ "${1:-}" != "--types" ]; then
  gateway="${1:-${GROWTHOS_GATEWAY:-http://127.0.0.1:8080}}"
  document=$(curl -fsS "$gateway/openapi/v1.json") || { echo "[dashboard] no OpenAPI document at $gateway/openapi/v1.json: is the gateway running?" >&2; exit 1; }
  python3 -c '
import json, sys
document = json.loads(sys.stdin.read())
if "x-growthos-unavailable" in document:
    sys.exit("[dashboard] the document lacks the services that did not answer: " + str(document["x-growthos-unavailable"]))
with open("openapi.json", "w", encoding="utf-8") as out:
    json.dump(document, out, indent=2, ensure_ascii=False)
    out.write("\n")
' <<<"$document"
fi
npx --no-install openapi-typescript openapi.json --output src/generated/openapi.d.ts --silent
echo "[dashboard] API types written to $(pwd)/src/generated/openapi.d.ts"
