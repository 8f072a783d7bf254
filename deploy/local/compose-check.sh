#!/usr/bin/env bash
# Checks the compose deployment end to end on this machine (not part of ./test.sh): builds the service images with
# `docker-compose up --build` on locally built stand-ins of the pinned images (deploy/local/docker.sh standins), brings
# the deployment up with two replicas of the Connector and the Transform, connects the Sandbox's demo shop and its ad
# accounts with the `connect` service (Shopify's install flow, Google's consent), syncs the shop through the gateway,
# prints what it measured, and tears everything down (volumes included).
#   deploy/local/compose-check.sh [--keep]      --keep leaves the deployment up (docker-compose -p growthos-check down -v)
# The observability services (collector, Jaeger, Prometheus) are left out: no stand-in of theirs is built here. The
# services export to a collector that is not there, which costs them nothing but a log line.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
KEEP=0
[ "${1:-}" = "--keep" ] && KEEP=1
PROJECT=growthos-check
GATEWAY=http://127.0.0.1:8080
SHOP="$(sed -n 's/^SHOPIFY_SHOP=//p' .env)"
log() { printf '[compose-check] %s\n' "$*"; }
elapsed() { echo $(( $(date +%s) - $1 )); }

deploy/local/docker.sh standins
command -v docker-compose >/dev/null 2>&1 || {
  log "installing docker-compose"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
}

# Every password and key is new for the check.
export POSTGRES_PASSWORD RABBITMQ_PASSWORD MINIO_ROOT_PASSWORD GATEWAY_SECRET CONNECTIONS_KEY GROWTHOS_API_KEY GROWTHOS_API_KEY_SALT GROWTHOS_API_KEY_SHA256
POSTGRES_PASSWORD="$(openssl rand -hex 24)" RABBITMQ_PASSWORD="$(openssl rand -hex 24)"
MINIO_ROOT_PASSWORD="$(openssl rand -hex 24)" GATEWAY_SECRET="$(openssl rand -hex 32)" CONNECTIONS_KEY="$(openssl rand -base64 32)"
KEY="gos_$(openssl rand -hex 24)" GROWTHOS_API_KEY="$KEY"
read -r GROWTHOS_API_KEY_SALT GROWTHOS_API_KEY_SHA256 <<<"$(deploy/local/api-key.sh hash "$KEY")"
export DOCKER_API_VERSION=1.41 COMPOSE_API_VERSION=1.41
compose() { docker-compose -p "$PROJECT" -f docker-compose.yml -f deploy/docker/compose.standins.yml --profile connect "$@"; }
SERVICES=(postgres rabbitmq minio sandbox ingest-saga connector transform kpi-alert api-gateway)

teardown() {
  local status=$?
  if [ $status -ne 0 ]; then
    log "failed; the last lines of each service:"
    compose logs --no-color --tail=8 2>&1 | cut -c1-300 | tail -n 120 || true
  fi
  if [ $KEEP -eq 0 ]; then compose down -v --remove-orphans >/dev/null 2>&1 || true; log "torn down"; fi
  exit $status
}
trap teardown EXIT

started=$(date +%s)
log "building the service images"
compose build --quiet
log "images built in $(elapsed "$started") s"

up=$(date +%s)
compose up -d --scale connector=2 --scale transform=2 "${SERVICES[@]}" >/dev/null
for ((i = 0; i < 300; i++)); do
  curl -fsS "$GATEWAY/health/ready" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "$GATEWAY/health/ready" >/dev/null || { log "the gateway is not ready after 300 s"; exit 1; }
log "up and ready in $(elapsed "$up") s: $(compose ps --services --filter status=running | wc -l) services running, $(compose ps -q connector | wc -l) connectors, $(compose ps -q transform | wc -l) transforms"

# A call to the gateway with the check's key: prints the body; fails, naming the status and the body, unless 2xx.
api() {
  local body code
  body="$(curl -sS -H "X-Api-Key: $KEY" -H 'Content-Type: application/json' -w '\n%{http_code}' "$@")"
  code="${body##*$'\n'}" body="${body%$'\n'*}"
  if [ "${code:0:1}" != 2 ]; then log "$* answered $code: $body" >&2; return 1; fi
  printf '%s' "$body"
}
connecting=$(date +%s)
log "connecting $SHOP and its ad accounts (the connect service)"
compose run --rm connect 2>&1 | sed 's/^/  /'
[ "${PIPESTATUS[0]}" -eq 0 ] || { log "the connect service failed"; exit 1; }
connections="$(api "$GATEWAY/api/connections?shop=$SHOP")"
log "connected in $(elapsed "$connecting") s: $(python3 -c 'import json,sys; print(", ".join(c["provider"] + " " + c["status"] for c in json.load(sys.stdin)["connections"]))' <<<"$connections")"
active="$(python3 -c 'import json,sys; print(sum(c["status"] == "active" for c in json.load(sys.stdin)["connections"]))' <<<"$connections")"
[ "$active" = 4 ] || { log "4 active connections expected: $connections"; exit 1; }
compose run --rm connect >/dev/null 2>&1 || { log "connecting again what is connected failed"; exit 1; }
log "connecting again changed nothing: $(api "$GATEWAY/api/connections?shop=$SHOP" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["connections"]))') connections"

sync=$(date +%s)
run_id="$(api -X POST "$GATEWAY/api/performance-metrics/sync" -d "{\"initiator\":\"user\",\"shop\":\"$SHOP\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["run_id"])')"
log "sync of $SHOP started: run $run_id"
status=""
for ((i = 0; i < 600; i++)); do
  sleep 1
  # Accepted is not yet saved: the run's view may answer 404 for its first moments.
  run="$(api "$GATEWAY/api/ingest/runs/$run_id" 2>/dev/null)" || continue
  status="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])' <<<"$run")"
  case "$status" in completed|partial|failed) break ;; esac
done
log "run $status in $(elapsed "$sync") s: $(python3 -c 'import json,sys; r=json.load(sys.stdin); print(", ".join(f"{k} {v}" for k, v in r["counts"].items()))' <<<"$run")"
[ "$status" = completed ] || { log "the run did not complete: $run"; exit 1; }

orders="$(api "$GATEWAY/orders?shop=$SHOP&pageSize=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')"
log "the gateway reads the shop's orders: total $orders"
# Which replica did what: each Connector and Transform replica's log lines naming the run.
for service in connector transform; do
  for container in $(compose ps -q "$service"); do
    log "$(docker inspect -f '{{ .Name }}' "$container" | tr -d /): $(docker logs "$container" 2>&1 | grep -c "$run_id" || true) log lines of the run"
  done
done
log "done in $(elapsed "$started") s"
