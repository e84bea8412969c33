#!/usr/bin/env bash
# Installs the build tools Ranselpost needs, idempotently and only from package registries
# (crates.io, npm). A second run skips what is already there. Prints each step with the time it
# took on this project's reference machine (2 cores), so a first run says how long is left.
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130
# wasm-opt comes from npm's `binaryen` package: a Node.js build that installs in seconds, where
# compiling the `wasm-opt` crate took about ten minutes. cargo-leptos runs the first `wasm-opt`
# on PATH, so it is linked into cargo's bin directory beside cargo-leptos.
BINARYEN_VERSION=132.0.0
TOOLS_DIR="${RANSELPOST_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ranselpost/tools}"
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"

log() { printf '[install-tools] %s\n' "$*"; }

have_version() { # command, expected substring of `command --version`
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"
}

# What is missing, with the minutes each took on a fresh 2-core machine (2026-11-29, while the
# app compiled alongside: demo.sh and test.sh overlap the two).
steps=()
rustup target list --installed | grep -qx wasm32-unknown-unknown || steps+=("wasm32:1")
have_version cargo-leptos "$CARGO_LEPTOS_VERSION" || steps+=("cargo-leptos:34")
have_version wasm-bindgen "$WASM_BINDGEN_VERSION" || steps+=("wasm-bindgen:4")
have_version wasm-opt "version ${BINARYEN_VERSION%%.*}" || steps+=("wasm-opt:1")
[ ${#steps[@]} -eq 0 ] && exit 0
# --check: only say (by the exit status) whether anything is missing.
[ "${1:-}" = "--check" ] && exit 1

remaining() { # minutes left from step index $1 on
  local total=0 i
  for ((i = $1; i < ${#steps[@]}; i++)); do total=$((total + ${steps[i]##*:})); done
  echo "$total"
}
log "${#steps[@]} build tool(s) to install; about $(remaining 0) minutes on 2 cores"

for ((n = 0; n < ${#steps[@]}; n++)); do
  name=${steps[n]%%:*}
  started=$(date +%s)
  log "step $((n + 1))/${#steps[@]}: $name (about ${steps[n]##*:} of $(remaining "$n") minutes left)"
  case "$name" in
    wasm32) rustup target add wasm32-unknown-unknown ;;
    cargo-leptos) cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked ;;
    # Not --locked: its own lock file pins crates that no longer build on this toolchain.
    wasm-bindgen) cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" ;;
    wasm-opt)
      command -v npm >/dev/null 2>&1 || { log "npm is missing: run scripts/ensure-system.sh first"; exit 1; }
      npm install --prefix "$TOOLS_DIR/binaryen" --no-audit --no-fund --loglevel=error \
        "binaryen@$BINARYEN_VERSION"
      mkdir -p "$CARGO_BIN"
      ln -sfn "$TOOLS_DIR/binaryen/node_modules/binaryen/bin/wasm-opt" "$CARGO_BIN/wasm-opt"
      have_version wasm-opt "version ${BINARYEN_VERSION%%.*}" || {
        log "wasm-opt in $CARGO_BIN is not first on PATH: $(command -v wasm-opt)"
        exit 1
      }
      ;;
  esac
  log "$name ready in $(($(date +%s) - started)) s"
done
log "build tools ready"
