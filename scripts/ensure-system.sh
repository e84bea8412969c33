#!/usr/bin/env bash
# Makes sure the system services and programs the tests need are here, installing only from
# Debian's packages: Chromium and Firefox ESR (browser tests), Node.js with npm (Playwright), PostgreSQL
# (the production engine; the data-layer tests run against it), OpenSSL headers (WebAuthn), wrk
# (the load measurement).
# With --build, only what building the app needs (Node.js for wasm-opt, OpenSSL headers): the demo.
# A second run changes nothing.
set -euo pipefail

log() { printf '[ensure-system] %s\n' "$*"; }
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

build_only=false
[ "${1:-}" = "--build" ] && build_only=true

missing=()
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
if ! $build_only; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  command -v pg_isready >/dev/null 2>&1 || missing+=(postgresql-client)
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
fi
# webauthn-rs verifies attestations with OpenSSL: the openssl-sys crate links the system's.
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
[ -f /usr/include/openssl/ssl.h ] || missing+=(libssl-dev)

PG_URL="${RANSELPOST_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
pg_up() { pg_isready -q -d "$PG_URL" 2>/dev/null; }

if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]} from Debian"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
if $build_only; then
  log "build prerequisites ready"
  exit 0
fi

if ! pg_up; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    log "no PostgreSQL reachable at 127.0.0.1:5432: installing it from Debian"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  # The tests connect as postgres over TCP from this machine only, without a password.
  if ! grep -qE '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    log "allowing local test connections (trust on 127.0.0.1 only) in $hba"
    $SUDO sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  fi
  log "starting PostgreSQL $version"
  $SUDO pg_ctlcluster --skip-systemctl-redirect "$version" main start || $SUDO pg_ctlcluster "$version" main reload
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { log "PostgreSQL did not come up at $PG_URL"; exit 1; }
fi
log "system ready (PostgreSQL at ${PG_URL%%/postgres})"
