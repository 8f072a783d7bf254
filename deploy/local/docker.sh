#!/usr/bin/env bash
# A Docker engine on a machine that reaches no container registry, and the images the tests and the compose
# deployment need, built from Debian's own packages.
#   deploy/local/docker.sh up|down|status|standins|images|clean
# up:     installs Debian's docker.io and debootstrap if missing, starts dockerd (no firewall or forwarding changes,
#         published ports on loopback only), then builds what is missing: the base image (debootstrap, ~30-50 s) and
#         the RabbitMQ image the broker tests start with Testcontainers.RabbitMq (~20 s). Leftover test containers go.
# standins: besides, the stand-ins of the images docker-compose.yml and deploy/docker/Dockerfile pin (PostgreSQL,
#         RabbitMQ, an S3 server, .NET's sdk and aspnet from this machine's SDK, Node.js from this machine's), tagged
#         with the pinned names (deploy/local/compose-check.sh uses them).
# images: prints the images' names, one a line.
# clean:  removes the containers and networks the tests left (label org.testcontainers=true).
# down:   stops the dockerd this script started.
# The daemon's API is 1.41 (Debian's Docker 20.10): clients are told so by DOCKER_API_VERSION.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LOCAL="$ROOT/.local"
STATE="$LOCAL/docker"
BASE_IMAGE="growthos/debian:bookworm"
RABBIT_IMAGE="growthos/rabbitmq:3.10-management"
STANDINS="$ROOT/deploy/docker/standins"
export DOCKER_API_VERSION=1.41

log() { printf '[docker] %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_missing() {
  local wanted=()
  command -v dockerd >/dev/null 2>&1 || wanted+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || wanted+=(debootstrap)
  [ ${#wanted[@]} -eq 0 ] && return 0
  log "installing ${wanted[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${wanted[@]}" >/dev/null
}

engine_up() {
  if docker info >/dev/null 2>&1; then log "dockerd already running"; return 0; fi
  mkdir -p "$STATE"
  # No iptables rules, no forwarding, no masquerading: the bridge reaches nothing outside, and a published port is
  # published on 127.0.0.1 only. A build reaches Debian's archive on the host's network (docker build --network=host).
  as_root setsid dockerd --iptables=false --ip-forward=false --ip-masq=false --ip=127.0.0.1 \
    --pidfile "$STATE/dockerd.pid" >"$STATE/dockerd.log" 2>&1 </dev/null &
  local i
  for ((i = 0; i < 150; i++)); do
    if docker info >/dev/null 2>&1; then log "dockerd up"; return 0; fi
    sleep 0.2
  done
  log "dockerd did not start within 30 s:"; tail -n 20 "$STATE/dockerd.log" >&2; return 1
}

engine_down() {
  if [ -f "$STATE/dockerd.pid" ] && kill -0 "$(cat "$STATE/dockerd.pid")" 2>/dev/null; then
    as_root kill "$(cat "$STATE/dockerd.pid")"
    log "dockerd stopped"
  fi
}

has_image() { docker image inspect "$1" >/dev/null 2>&1; }

# The hash of a stand-in's folder: an image is rebuilt when its Dockerfile or files change.
content_hash() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }

base_image() {
  if has_image "$BASE_IMAGE"; then return 0; fi
  local rootfs="/var/tmp/growthos-rootfs-$$"
  log "building $BASE_IMAGE with debootstrap (minbase bookworm)"
  as_root debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$STATE/debootstrap.log" 2>&1 \
    || { tail -n 20 "$STATE/debootstrap.log" >&2; return 1; }
  as_root tar -C "$rootfs" -c . | docker import - "$BASE_IMAGE" >/dev/null
  as_root rm -rf "$rootfs"
  log "$BASE_IMAGE built"
}

# Whether TAG is there, made from the content named ID.
has_content() { [ "$(docker image inspect -f '{{ index .Config.Labels "growthos.content" }}' "$1" 2>/dev/null || true)" = "$2" ]; }

# This machine's trusted roots: an image that fetches over HTTPS at build time (npm, NuGet) trusts what this machine
# trusts (its network may reach the registries through a TLS proxy of its own).
HOST_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt

# Builds a stand-in from deploy/docker/standins/NAME as TAG, unless an image of the same content is there already.
# Its build context is the folder plus host-ca-bundle.crt (this machine's roots).
standin_image() { # name tag
  local dir="$STANDINS/$1" hash context
  hash="$(content_hash "$dir")-$(sha256sum "$HOST_CA_BUNDLE" | cut -c1-8)"
  if has_content "$2" "$hash"; then return 0; fi
  log "building $2"
  context="$(mktemp -d)"
  cp -r "$dir/." "$context/"
  cp "$HOST_CA_BUNDLE" "$context/host-ca-bundle.crt"
  docker build --network=host --label "growthos.content=$hash" --build-arg "BASE=$BASE_IMAGE" -t "$2" "$context" >"$STATE/build-$1.log" 2>&1 \
    || { rm -rf "$context"; tail -n 30 "$STATE/build-$1.log" >&2; return 1; }
  rm -rf "$context"
  log "$2 built"
}

# The pinned images of docker-compose.yml and deploy/docker/Dockerfile, stood in for by local ones: tagged with the
# pinned names, so `docker-compose up --build` finds them and pulls nothing.
pinned() { # compose service -> its image
  sed -n "/^  $1:/,/^  [a-z]/p" "$ROOT/docker-compose.yml" | sed -n 's/^ *image: *//p' | head -n1
}
dotnet_tag() { # sdk|aspnet
  local version
  version="$(sed -n 's/^ARG DOTNET_VERSION=//p' "$ROOT/deploy/docker/Dockerfile")"
  echo "mcr.microsoft.com/dotnet/$1:$version"
}
node_tag() { sed -n 's/^FROM \(node:[^ ]*\).*/\1/p' "$ROOT/deploy/docker/Dockerfile" | head -n1; }

# An image of FROM plus files of this machine (a tar stream on standard input, unpacked at /), labelled with its content.
image_with_files() { # from tag content-id [change]
  log "building $2"
  local container changes=(--change "LABEL growthos.content=$3")
  [ -n "${4:-}" ] && changes+=(--change "$4")
  container="$(docker create "$1" true)"
  docker cp - "$container:/"
  docker commit "${changes[@]}" "$container" "$2" >/dev/null
  docker rm "$container" >/dev/null
  log "$2 built"
}

standins() {
  local dotnet_root dotnet_dir deps sdk aspnet node
  standin_image postgres growthos/postgres:standin
  standin_image minio growthos/minio:standin
  standin_image dotnet growthos/dotnet-deps:standin
  docker tag growthos/postgres:standin "$(pinned postgres)"
  docker tag "$RABBIT_IMAGE" "$(pinned rabbitmq)"
  docker tag growthos/minio:standin "$(pinned minio)"
  # .NET: this machine's SDK, whole for the build stage, its runtimes only for the final one.
  dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
  dotnet_dir="$(basename "$dotnet_root")"
  deps="$(content_hash "$STANDINS/dotnet")-$(dotnet --version)"
  sdk="$(dotnet_tag sdk)" aspnet="$(dotnet_tag aspnet)" node="$(node_tag)"
  has_content "$sdk" "sdk-$deps" || tar -C "$dotnet_root/.." -c "$dotnet_dir" --transform "s|^$dotnet_dir|usr/share/dotnet|" \
    | image_with_files growthos/dotnet-deps:standin "$sdk" "sdk-$deps"
  has_content "$aspnet" "runtime-$deps" || tar -C "$dotnet_root/.." -c "$dotnet_dir/dotnet" "$dotnet_dir/host" "$dotnet_dir/shared" \
    --transform "s|^$dotnet_dir|usr/share/dotnet|" | image_with_files growthos/dotnet-deps:standin "$aspnet" "runtime-$deps"
  # Node.js: this machine's, with npm and npx.
  has_content "$node" "node-$(node --version)" || tar -C / -c usr/bin/node usr/bin/npm usr/bin/npx usr/lib/node_modules/npm "${HOST_CA_BUNDLE#/}" \
    | image_with_files "$BASE_IMAGE" "$node" "node-$(node --version)" "ENV NODE_EXTRA_CA_CERTS=$HOST_CA_BUNDLE"
}

clean() {
  local leftovers
  leftovers="$(docker ps -aq --filter label=org.testcontainers=true)"
  if [ -n "$leftovers" ]; then docker rm -f $leftovers >/dev/null; log "removed $(echo "$leftovers" | wc -l) leftover test containers"; fi
  leftovers="$(docker network ls -q --filter label=org.testcontainers=true)"
  if [ -n "$leftovers" ]; then docker network rm $leftovers >/dev/null; log "removed $(echo "$leftovers" | wc -l) leftover test networks"; fi
}

case "${1:-}" in
  up) mkdir -p "$STATE"; install_missing; engine_up; base_image; standin_image rabbitmq "$RABBIT_IMAGE"; clean ;;
  down) engine_down ;;
  status) if docker info >/dev/null 2>&1; then log "dockerd: up"; else log "dockerd: down"; exit 1; fi ;;
  standins) mkdir -p "$STATE"; install_missing; engine_up; base_image; standin_image rabbitmq "$RABBIT_IMAGE"; standins ;;
  images) echo "$BASE_IMAGE"; echo "$RABBIT_IMAGE" ;;
  clean) clean ;;
  *) echo "usage: $0 up|down|status|standins|images|clean" >&2; exit 2 ;;
esac
