#!/usr/bin/env bash
# Runs the Ranselpost demo on http://127.0.0.1:3000 with synthetic data in data/ranselpost.db.
# Installs the build tools on first use (package registries only), builds the release, then serves.
# Set LEPTOS_SITE_ADDR or pass --addr to listen elsewhere; DATABASE_URL for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"

scripts/ensure-system.sh --build
if ! scripts/install-tools.sh --check; then
  # A first run: the server's dependencies compile while the tools install, so the two overlap
  # instead of following each other. cargo-leptos reuses what this build leaves.
  mkdir -p "$target"
  printf '[demo] compiling the server meanwhile (log: %s/first-build.log)\n' "$target"
  cargo build --release --package server --bin ranselpost --no-default-features --features ssr \
    >"$target/first-build.log" 2>&1 &
  server_build=$!
  scripts/install-tools.sh
  wait "$server_build" || printf '[demo] the early build failed; cargo-leptos builds it again\n'
fi
cargo leptos build --release --precompress --split
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
exec "$target/release/ranselpost" serve --demo "$@"
