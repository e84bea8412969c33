#!/usr/bin/env bash
# Fails if a server-only crate would be compiled into the browser bundle: the hydrate build's
# dependency tree must contain none of them.
set -euo pipefail
cd "$(dirname "$0")/.."
forbidden='^(sqlx|sqlx-core|tokio|axum|leptos_axum|hyper|tower-http|uuid|libsqlite3-sys)$'
tree=$(cargo tree -p app --no-default-features --features hydrate --target wasm32-unknown-unknown \
  -e normal,no-proc-macro --prefix none --format '{p}' | awk '{print $1}' | sort -u)
found=$(grep -E "$forbidden" <<<"$tree" || true)
if [ -n "$found" ]; then
  echo "server-only crates in the WASM build: $found" >&2
  exit 1
fi
echo "no server-only crate in the WASM build ($(wc -l <<<"$tree") crates checked)"
