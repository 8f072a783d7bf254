#!/usr/bin/env bash
# Brings the local infrastructure up and runs every test of the solution on it.
# Ends with "N passed, N failed" counted from the test results; exits non-zero on any failure.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
RESULTS="$ROOT/.local/test-results"

deploy/local/infra.sh up
# Docker, and the broker image of the tests that stop a broker (Testcontainers.RabbitMq): built here, no registry needed.
deploy/local/docker.sh up
rm -rf "$RESULTS"
# The staff dashboard the gateway serves (its browser tests read it).
web/dashboard/build.sh
dotnet build GrowthOs.Services.sln -c Debug -nologo -v quiet -clp:ErrorsOnly
status=0
# Formatting is checked, not argued: .editorconfig says how the code is laid out. The check reads the sources only, so
# it runs beside the tests (the integration tests mostly wait on the services) and its verdict is read after them.
FORMAT_LOG="$ROOT/.local/format-check.log"
mkdir -p "$ROOT/.local"
dotnet format GrowthOs.Services.sln --verify-no-changes --no-restore -v quiet >"$FORMAT_LOG" 2>&1 &
format_pid=$!
# ... and the line length it states, which dotnet format does not check.
tools/line-length.sh || status=1
dotnet test GrowthOs.Services.sln -c Debug --no-build --nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory "$RESULTS" || status=$?
if ! wait "$format_pid"; then
  cat "$FORMAT_LOG" >&2
  echo "dotnet format found code not laid out as .editorconfig says; run: dotnet format GrowthOs.Services.sln" >&2
  status=1
fi

python3 - "$RESULTS" <<'PY' || status=1
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = glob.glob(f"{sys.argv[1]}/*.trx")
for path in files:
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or not files or passed == 0 else 0)
PY
exit $status
