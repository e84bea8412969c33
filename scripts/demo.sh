#!/usr/bin/env bash
# Runs the Ranselpost demo on http://127.0.0.1:3000 with synthetic data in data/ranselpost.db.
# Installs the build tools on first use (crates.io only), builds the release, then serves.
# Set LEPTOS_SITE_ADDR or pass --addr to listen elsewhere; DATABASE_URL for PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-tools.sh
cargo leptos build --release --precompress
target="${CARGO_TARGET_DIR:-target}"
export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
exec "$target/release/ranselpost" serve --demo "$@"
