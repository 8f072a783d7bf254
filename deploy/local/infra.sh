#!/usr/bin/env bash
# Local infrastructure without containers: private PostgreSQL, RabbitMQ and S3-compatible store on loopback.
#   deploy/local/infra.sh up|down|status|restart-system-postgres SECONDS|data-dir
# Two PostgreSQL clusters: the shared one every test project uses, and the system cluster that only the integration
# suite's running system uses, so that its outage tests can stop and start a real server without failing the other
# projects' tests that run beside them.
# Everything lives under .local/ (git-ignored). `up` is idempotent; `down` stops only what `up` started.
# PostgreSQL and RabbitMQ run as their own users, who must be able to enter every folder above their data: a checkout
# under a folder they cannot enter (a `mktemp -d` folder, a 0700 home) keeps their data under /var/tmp instead.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL="$ROOT/.local"
PG_PORT="${GROWTHOS_PG_PORT:-55432}"
SYSTEM_PG_PORT="${GROWTHOS_SYSTEM_PG_PORT:-55433}"
AMQP_PORT="${GROWTHOS_AMQP_PORT:-55672}"
RABBIT_MGMT_PORT="${GROWTHOS_RABBIT_MGMT_PORT:-55673}"
RABBIT_DIST_PORT="${GROWTHOS_RABBIT_DIST_PORT:-55674}"
EPMD_PORT="${GROWTHOS_EPMD_PORT:-55675}"
S3_PORT="${GROWTHOS_S3_PORT:-55690}"
S3_BUCKET="${GROWTHOS_S3_BUCKET:-growthos-archive}"
RABBIT_NODE="growthos@localhost"
S3RVER_VERSION="3.7.1"

PG_BIN="/usr/lib/postgresql/15/bin"

# Whether both server users can reach a folder (as root; a non-root user runs the servers as itself).
servers_can_enter() {
  [ "$(id -u)" -ne 0 ] && return 0
  local user
  for user in postgres rabbitmq; do
    id -u "$user" >/dev/null 2>&1 || continue
    runuser -u "$user" -- test -x "$1" || return 1
  done
}

# The servers' data: under .local/ when the server users can reach it, else a folder of this checkout's own under
# /var/tmp (named by a hash of the checkout's path, so two checkouts never share one). GROWTHOS_SERVER_DATA overrides.
server_data_dir() {
  if [ -n "${GROWTHOS_SERVER_DATA:-}" ]; then echo "$GROWTHOS_SERVER_DATA"; return; fi
  if servers_can_enter "$LOCAL"; then echo "$LOCAL"; return; fi
  echo "/var/tmp/growthos-$(printf '%s' "$ROOT" | sha256sum | cut -c1-16)"
}

log() { printf '[infra] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

pid_alive() { [ -f "$1" ] && kill -0 "$(head -n1 "$1")" 2>/dev/null; }

wait_for_port() { # host port seconds name
  local i
  for ((i = 0; i < $3 * 5; i++)); do
    if (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; then return 0; fi
    sleep 0.2
  done
  log "$4 did not open port $2 within $3 s"; return 1
}

apt_updated=0
apt_install() {
  if [ $apt_updated -eq 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

install_missing() {
  if [ ! -x "$PG_BIN/pg_ctl" ]; then log "installing postgresql"; apt_install postgresql; fi
  if ! command -v rabbitmq-server >/dev/null 2>&1; then log "installing rabbitmq-server"; apt_install rabbitmq-server; fi
  # The browser the dashboard's tests drive (Microsoft.Playwright with Debian's Chromium: no browser download).
  if [ ! -x /usr/bin/chromium ]; then log "installing chromium"; apt_install chromium; fi
  # Node.js with npm (the S3 server, the dashboard's build) and Python 3 (run.sh's report), from Debian's packages when
  # missing. The dashboard's build asks for a newer Node.js than Debian 12's when it needs one (web/dashboard/build.sh).
  if ! command -v npm >/dev/null 2>&1; then log "installing nodejs and npm"; apt_install nodejs npm; fi
  if ! command -v python3 >/dev/null 2>&1; then log "installing python3"; apt_install python3; fi
  if [ ! -x "$S3_DIR/node_modules/.bin/s3rver" ]; then
    log "installing s3rver@$S3RVER_VERSION"
    mkdir -p "$S3_DIR"
    (cd "$S3_DIR" && npm install --silent --no-audit --no-fund --prefix "$S3_DIR" "s3rver@$S3RVER_VERSION" >/dev/null)
  fi
}

set_server_dirs() {
  SERVER_DATA="$(server_data_dir)"
  PG_DIR="$SERVER_DATA/postgres"
  SYSTEM_PG_DIR="$SERVER_DATA/postgres-system"
  RABBIT_DIR="$SERVER_DATA/rabbitmq"
  if [ "$SERVER_DATA" != "$LOCAL" ]; then
    mkdir -p "$SERVER_DATA"
    chmod 0755 "$SERVER_DATA"
    echo "$SERVER_DATA" >"$LOCAL/server-data"
  fi
}
S3_DIR="$LOCAL/s3"

pg_up() { # folder port name
  local dir="$1" port="$2" name="$3"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    mkdir -p "$dir"
    chown -R postgres:postgres "$dir" 2>/dev/null || true
    run_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if run_pg "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then log "$name already running on $port"; return 0; fi
  pg_start "$dir" "$port"
  log "$name up on 127.0.0.1:$port"
}
pg_start() { # folder port
  run_pg "$PG_BIN/pg_ctl" -D "$1/data" -o "-p $2 -k $1 -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c wal_buffers=64MB" -l "$1/log" -w start >/dev/null
}
# From / : the postgres user may not be able to enter the folder the script was started in.
run_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
pg_down() { # folder name
  if [ -f "$1/data/postmaster.pid" ]; then run_pg "$PG_BIN/pg_ctl" -D "$1/data" -m fast stop >/dev/null || true; log "$2 stopped"; fi
}
# A real restart of the system cluster: a fast shutdown (every session ended with 57P01, as a server going down ends
# it), the server down for the seconds given (connections refused), then started again.
system_pg_restart() {
  run_pg "$PG_BIN/pg_ctl" -D "$SYSTEM_PG_DIR/data" -m fast -w stop >/dev/null
  log "system postgres stopped"
  sleep "${1:-0}"
  pg_start "$SYSTEM_PG_DIR" "$SYSTEM_PG_PORT"
  log "system postgres started again on 127.0.0.1:$SYSTEM_PG_PORT"
}

rabbit_env() {
  export RABBITMQ_NODENAME="$RABBIT_NODE" RABBITMQ_NODE_PORT="$AMQP_PORT" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_DIST_PORT="$RABBIT_DIST_PORT" ERL_EPMD_PORT="$EPMD_PORT" ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_MNESIA_BASE="$RABBIT_DIR/mnesia" RABBITMQ_LOG_BASE="$RABBIT_DIR/log" RABBITMQ_PID_FILE="$RABBIT_DIR/pid" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_DIR/enabled_plugins" RABBITMQ_CONFIG_FILE="$RABBIT_DIR/rabbitmq" \
    RABBITMQ_ADVANCED_CONFIG_FILE="$RABBIT_DIR/advanced.config" HOME="$RABBIT_DIR"
  # the cookie lives in HOME; the wrapper drops to the rabbitmq user, so it owns the folder
}
rabbit_up() {
  mkdir -p "$RABBIT_DIR/log" "$RABBIT_DIR/mnesia"
  echo '[rabbitmq_management].' >"$RABBIT_DIR/enabled_plugins"
  cat >"$RABBIT_DIR/rabbitmq.conf" <<CONF
management.tcp.port = $RABBIT_MGMT_PORT
management.tcp.ip = 127.0.0.1
loopback_users = none
CONF
  echo '[].' >"$RABBIT_DIR/advanced.config"
  chown -R rabbitmq:rabbitmq "$RABBIT_DIR" 2>/dev/null || true
  rabbit_env
  if rabbitmqctl -q -n "$RABBIT_NODE" status >/dev/null 2>&1; then log "rabbitmq already running on $AMQP_PORT"; return 0; fi
  setsid rabbitmq-server >"$RABBIT_DIR/log/console.log" 2>&1 </dev/null &
  rabbitmqctl -q -n "$RABBIT_NODE" wait --timeout 90 "$RABBIT_DIR/pid" >/dev/null
  wait_for_port 127.0.0.1 "$AMQP_PORT" 30 rabbitmq
  wait_for_port 127.0.0.1 "$RABBIT_MGMT_PORT" 30 "rabbitmq management"
  log "rabbitmq up on 127.0.0.1:$AMQP_PORT (management $RABBIT_MGMT_PORT)"
}
rabbit_down() {
  rabbit_env
  if [ -f "$RABBIT_DIR/pid" ]; then
    rabbitmqctl -q -n "$RABBIT_NODE" stop "$RABBIT_DIR/pid" >/dev/null 2>&1 || kill "$(cat "$RABBIT_DIR/pid")" 2>/dev/null || true
    rm -f "$RABBIT_DIR/pid"
    log "rabbitmq stopped"
  fi
  # the private epmd the node started on EPMD_PORT
  local epmd
  epmd="$(ls /usr/lib/erlang/erts-*/bin/epmd 2>/dev/null | head -n1)"
  if [ -n "$epmd" ]; then ERL_EPMD_PORT="$EPMD_PORT" "$epmd" -kill >/dev/null 2>&1 || true; fi
}

s3_up() {
  if pid_alive "$S3_DIR/pid"; then log "s3 already running on $S3_PORT"; return 0; fi
  mkdir -p "$S3_DIR/data"
  setsid "$S3_DIR/node_modules/.bin/s3rver" -d "$S3_DIR/data" -p "$S3_PORT" -a 127.0.0.1 --silent \
    --configure-bucket "$S3_BUCKET" >"$S3_DIR/log" 2>&1 </dev/null &
  echo $! >"$S3_DIR/pid"
  wait_for_port 127.0.0.1 "$S3_PORT" 30 s3rver
  log "s3 up on 127.0.0.1:$S3_PORT (bucket $S3_BUCKET)"
}
s3_down() {
  if pid_alive "$S3_DIR/pid"; then kill "$(cat "$S3_DIR/pid")" 2>/dev/null || true; log "s3 stopped"; fi
  rm -f "$S3_DIR/pid"
}

status() {
  local rc=0
  if run_pg "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then log "postgres: up (127.0.0.1:$PG_PORT)"; else log "postgres: down"; rc=1; fi
  if run_pg "$PG_BIN/pg_ctl" -D "$SYSTEM_PG_DIR/data" status >/dev/null 2>&1; then log "system postgres: up (127.0.0.1:$SYSTEM_PG_PORT)"; else log "system postgres: down"; rc=1; fi
  rabbit_env
  if rabbitmqctl -q -n "$RABBIT_NODE" status >/dev/null 2>&1; then log "rabbitmq: up (127.0.0.1:$AMQP_PORT, management $RABBIT_MGMT_PORT)"; else log "rabbitmq: down"; rc=1; fi
  if pid_alive "$S3_DIR/pid"; then log "s3: up (127.0.0.1:$S3_PORT)"; else log "s3: down"; rc=1; fi
  return $rc
}

case "${1:-}" in
  up) mkdir -p "$LOCAL"; install_missing; set_server_dirs; log "server data in $SERVER_DATA"; pg_up "$PG_DIR" "$PG_PORT" postgres; pg_up "$SYSTEM_PG_DIR" "$SYSTEM_PG_PORT" "system postgres"; rabbit_up; s3_up ;;
  down) mkdir -p "$LOCAL"; set_server_dirs; s3_down; rabbit_down; pg_down "$SYSTEM_PG_DIR" "system postgres"; pg_down "$PG_DIR" postgres ;;
  status) mkdir -p "$LOCAL"; set_server_dirs; status ;;
  restart-system-postgres) mkdir -p "$LOCAL"; set_server_dirs; system_pg_restart "${2:-0}" ;;
  data-dir) mkdir -p "$LOCAL"; set_server_dirs; echo "$SERVER_DATA" ;;
  *) echo "usage: $0 up|down|status|restart-system-postgres SECONDS|data-dir" >&2; exit 2 ;;
esac
