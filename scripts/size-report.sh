#!/usr/bin/env bash
# Prints the size of the release bundle a phone downloads: WASM, JS and CSS, raw and
# brotli-compressed (what leptos_axum serves with --precompress), so a budget can be tracked.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg="${LEPTOS_SITE_ROOT:-target/site}/pkg"
[ -d "$pkg" ] || { echo "size-report: no $pkg; run 'cargo leptos build --release' first" >&2; exit 1; }

brotli_size() {
  if [ -f "$1.br" ]; then stat -c %s "$1.br"
  else python3 -c 'import sys,zlib;print(len(zlib.compress(open(sys.argv[1],"rb").read(),9)),"(zlib: no .br file)")' "$1"
  fi
}

printf '%-28s %12s %12s\n' "asset" "raw bytes" "brotli bytes"
total_raw=0; total_br=0
for f in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); br=$(brotli_size "$f")
  printf '%-28s %12s %12s\n' "$(basename "$f")" "$raw" "$br"
  total_raw=$((total_raw + raw)); total_br=$((total_br + ${br%% *}))
done
printf '%-28s %12s %12s\n' "total" "$total_raw" "$total_br"
