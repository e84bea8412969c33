#!/usr/bin/env bash
# Installs the build tools Ranselpost needs, idempotently and only from package registries
# (crates.io, Debian, npm). A second run skips what is already there.
set -euo pipefail

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130
WASM_OPT_VERSION=0.116.1
WASM_OPT_BINARYEN=116 # what `wasm-opt --version` prints for that crate version

log() { printf '[install-tools] %s\n' "$*"; }

have_version() { # command, expected substring of `command --version`
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! have_version cargo-leptos "$CARGO_LEPTOS_VERSION"; then
  log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 15 minutes the first time)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

if ! have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: its own lock file pins crates that no longer build on this toolchain.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if ! have_version wasm-opt "version $WASM_OPT_BINARYEN"; then
  log "installing wasm-opt $WASM_OPT_VERSION"
  cargo install wasm-opt --version "$WASM_OPT_VERSION" --locked
fi

log "build tools ready"
