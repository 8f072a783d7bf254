#!/usr/bin/env bash
# Holds the C# sources to the line length the .editorconfig states for them ([*.cs] max_line_length), which
# dotnet format does not check. Prints every longer line as file:line: length, and exits non-zero if there is one.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
limit=$(awk '/^\[/ { cs = ($0 == "[*.cs]") } cs && /^max_line_length *=/ { sub(/.*= */, ""); print; exit }' .editorconfig)
if [ -z "$limit" ]; then
  echo ".editorconfig states no max_line_length for [*.cs]" >&2
  exit 1
fi
# Columns are characters, not bytes (a comment's "→" is one).
long=$(find services shared tests bench -name '*.cs' -not -path '*/bin/*' -not -path '*/obj/*' -print0 | LIMIT="$limit" python3 -c '
import os, sys
limit = int(os.environ["LIMIT"])
for path in sorted(filter(None, sys.stdin.buffer.read().decode().split("\0"))):
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source, 1):
            if len(line.rstrip("\n")) > limit:
                print(f"{path}:{number}: {len(line.rstrip(chr(10)))} columns")
')
if [ -n "$long" ]; then
  echo "$long" >&2
  echo "$(wc -l <<<"$long") lines of C# are longer than the $limit columns .editorconfig states; wrap them." >&2
  exit 1
fi
