#!/usr/bin/env bash
# Makes this machine ready for `grade --driver docker`, from Debian's packages
# alone (no image registry needed), and says how long each step took:
#   1. a Docker engine: installs docker.io when no daemon answers;
#   2. a running daemon: starts dockerd in the background if none runs, and
#      waits until `docker info` answers;
#   3. the lab image: builds it (offline path: debootstrap + this machine's
#      node) unless the current recipe's image is already there.
# Safe to run again: each step is skipped when already done. Needs root.
# Exit 0 when Docker labs can run; non-zero (with the reason) otherwise.
#
# Environment: NETPROG_IMAGE_PATH=registry|offline forces the image path
# (default here: offline, as CI has no registry); DOCKERD_LOG (default
# /var/log/netprog-dockerd.log).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '[docker-setup] %s\n' "$*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

if [ "$(id -u)" != 0 ]; then
  step "needs root (apt-get, dockerd, debootstrap): run it with sudo"
  exit 2
fi

daemon_answers() { timeout 10 docker info >/dev/null 2>&1; }

t=$(now)
if ! command -v dockerd >/dev/null 2>&1 || ! command -v docker >/dev/null 2>&1; then
  step "installing docker.io from Debian…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq docker.io debootstrap >/dev/null
  step "installed docker.io in $(since "$t")"
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  step "installing debootstrap…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq debootstrap >/dev/null
fi

t=$(now)
if daemon_answers; then
  step "a Docker daemon answers"
else
  log=${DOCKERD_LOG:-/var/log/netprog-dockerd.log}
  step "starting dockerd in the background (log: $log)…"
  mkdir -p "$(dirname "$log")"
  # setsid: the daemon outlives this script and is not in its process group.
  setsid dockerd >"$log" 2>&1 </dev/null &
  for _ in $(seq 1 120); do
    daemon_answers && break
    sleep 0.5
  done
  if ! daemon_answers; then
    step "dockerd did not answer within 60 s; the end of its log:"
    tail -n 30 "$log" >&2 || true
    exit 1
  fi
  step "dockerd answers after $(since "$t")"
fi

t=$(now)
if [ ! -d node_modules/dockerode ] || [ ! -d node_modules/testcontainers ]; then
  step "node_modules is incomplete: run npm ci first"
  exit 1
fi
NETPROG_IMAGE_PATH=${NETPROG_IMAGE_PATH:-offline} node docker/build-image.mjs
step "lab image ready after $(since "$t")"
