#!/usr/bin/env bash
# Every check Ranselpost has, in the order CI runs them. Installs what is missing first
# (build tools from crates.io and npm; Chromium, Node.js and PostgreSQL from Debian; end2end's npm
# packages), so this one command works on a fresh machine. A second run skips installed parts.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }
started=$(date +%s)

# CI runs in a fresh clone each time; keeping cargo's target directory outside the clone makes
# later runs incremental. A developer's checkout keeps its own ./target.
if [ "${CI:-}" = "true" ] && [ -z "${CARGO_TARGET_DIR:-}" ]; then
  export CARGO_TARGET_DIR=/var/cache/ranselpost/target
  mkdir -p "$CARGO_TARGET_DIR"
  # A fresh clone rebuilds the workspace crates anyway; incremental data would only fill the disk.
  export CARGO_INCREMENTAL=0
  # Cargo never deletes superseded artefacts, and the machine's disk once filled up mid-run: with
  # less than 15 GB free the debug build (the bulk of it) starts afresh.
  free_gb=$(df --output=avail -BG "$CARGO_TARGET_DIR" | tail -n 1 | tr -dc '0-9')
  if [ "${free_gb:-0}" -lt 15 ]; then
    printf 'only %s GB free: clearing %s/debug\n' "$free_gb" "$CARGO_TARGET_DIR"
    rm -rf "$CARGO_TARGET_DIR/debug"
  fi
fi
target="${CARGO_TARGET_DIR:-target}"
export RANSELPOST_TEST_POSTGRES_URL="${RANSELPOST_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

step "tools and services"
scripts/ensure-system.sh
rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
# The build tools are first needed by the release build: on a first run they install (about 40
# minutes) while the checks and tests below compile, instead of before them.
tools_log=$(mktemp)
scripts/install-tools.sh >"$tools_log" 2>&1 &
tools=$!

step "formatting"
cargo fmt --all --check

step "clippy (ssr)"
cargo clippy -p app -p server --all-targets --features app/ssr -- -D warnings

step "clippy (hydrate, wasm32)"
cargo clippy -p app --lib --no-default-features --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "server functions stay thin, and SQL stays in backend/ (ARCHITECTURE.md)"
python3 scripts/api-metrics.py

step "the WASM bundle has no server code"
scripts/check-wasm-deps.sh

step "npm packages (Playwright, axe-core, the independent OpenID provider)"
(
  cd end2end
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund
  fi
)

step "unit, data-layer, server and OpenID Connect interop tests (SQLite and PostgreSQL)"
cargo test --workspace

step "release build"
if ! wait "$tools"; then
  cat "$tools_log"
  printf 'installing the build tools failed\n'
  exit 1
fi
cat "$tools_log"
cargo leptos build --release --precompress --split

step "bundle size"
scripts/size-report.sh

step "speed: load at 64 connections, bytes per page on a cold load, Lighthouse (mobile) beside a static page"
python3 scripts/perf-report.py

step "live updates at scale on the release build (2,000 event streams, SQLite and PostgreSQL)"
# --workspace: the same features as the test run above, so nothing is built again.
RANSELPOST_SERVER_BIN="$(cd "$target" && pwd)/release/ranselpost" cargo test --workspace --test streams

step "the sensitive-text guard built alone to WebAssembly, for the browsers to time (guard-speed.spec.ts)"
scripts/guard-wasm.sh

step "the guard's time per keystroke in Chromium and Firefox (alone on the machine)"
(cd end2end && npx playwright test tests/guard-speed.spec.ts --workers 1)

step "browser tests (Chromium and Firefox, hydrated and without JavaScript; no retries)"
(cd end2end && npx playwright test --grep-invert @speed)

step "the hydration spec 20 times in a row in both browsers (a page must never fail to hydrate)"
(cd end2end && npx playwright test tests/hydration.spec.ts --repeat-each 20 --project hydrated --project firefox)

printf '\nAll checks passed in %ss.\n' "$(( $(date +%s) - started ))"
