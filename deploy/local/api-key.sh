#!/usr/bin/env bash
# API keys for the gateway, which holds only their salted hashes (ApiKeys:Keys:n: Id, Role, Salt, Sha256, Shops).
#
#   deploy/local/api-key.sh new <id> <viewer|operator|admin> [shop ...]
#       makes a key, prints it once, and prints the settings that let the gateway accept it
#   deploy/local/api-key.sh hash <key>
#       prints a new salt and the key's SHA-256 under it: "<salt> <sha256>"
#
# Sha256 is the lower-case hex SHA-256 of the UTF-8 bytes of the salt followed by the key.
set -euo pipefail

hash_key() { # key -> "salt sha256"
  local salt
  salt="$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  printf '%s %s\n' "$salt" "$(printf '%s%s' "$salt" "$1" | sha256sum | cut -d' ' -f1)"
}

case "${1:-}" in
  hash)
    [ $# -eq 2 ] || { echo "usage: $0 hash <key>" >&2; exit 2; }
    hash_key "$2"
    ;;
  new)
    [ $# -ge 3 ] || { echo "usage: $0 new <id> <viewer|operator|admin> [shop ...]" >&2; exit 2; }
    id=$2 role=$3; shift 3
    case "$role" in viewer|operator|admin) ;; *) echo "role must be viewer, operator or admin" >&2; exit 2 ;; esac
    key="gos_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    read -r salt sha <<<"$(hash_key "$key")"
    echo "key (shown once; give it to its holder): $key"
    echo "settings, for key number n of the gateway:"
    echo "  ApiKeys__Keys__n__Id=$id"
    echo "  ApiKeys__Keys__n__Role=$role"
    echo "  ApiKeys__Keys__n__Salt=$salt"
    echo "  ApiKeys__Keys__n__Sha256=$sha"
    i=0
    for shop in "$@"; do echo "  ApiKeys__Keys__n__Shops__$i=$shop"; i=$((i + 1)); done
    ;;
  *)
    echo "usage: $0 new <id> <role> [shop ...] | hash <key>" >&2
    exit 2
    ;;
esac
