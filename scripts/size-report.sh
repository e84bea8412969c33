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

# Every page loads the main files; the lazy islands' split files (`--split`) only where shown, so
# they are summed on one line (end2end/perf.mjs measures what each page really loads).
printf '%-28s %12s %12s\n' "asset" "raw bytes" "brotli bytes"
total_raw=0; total_br=0; split_raw=0; split_br=0; split_n=0
for f in "$pkg"/*.wasm "$pkg"/*.js "$pkg"/*.css; do
  [ -f "$f" ] || continue
  raw=$(stat -c %s "$f"); br=$(brotli_size "$f")
  case "$(basename "$f")" in
    chunk_*|split_*) split_raw=$((split_raw + raw)); split_br=$((split_br + ${br%% *})); split_n=$((split_n + 1)); continue ;;
  esac
  printf '%-28s %12s %12s\n' "$(basename "$f")" "$raw" "$br"
  total_raw=$((total_raw + raw)); total_br=$((total_br + ${br%% *}))
done
printf '%-28s %12s %12s\n' "main total" "$total_raw" "$total_br"
[ "$split_n" -eq 0 ] || printf '%-28s %12s %12s\n' "lazy islands ($split_n files)" "$split_raw" "$split_br"

# The translation catalogues stay on the server: an island gets the few texts it shows as props
# (ARCHITECTURE.md). A catalogue sentence inside the WASM means one was compiled in after all.
python3 - "$pkg" <<'PY'
import json, pathlib, sys
pkg = pathlib.Path(sys.argv[1])
wasm = b"".join(p.read_bytes() for p in pkg.glob("*.wasm"))
texts = {v for code in ("nb", "nn", "en")
         for v in json.loads(pathlib.Path(f"app/locales/{code}.json").read_text()).values()
         if len(v) >= 30}
found = sorted(t for t in texts if t.encode() in wasm)
if found:
    sys.exit(f"the WASM contains {len(found)} catalogue texts, e.g. {found[0]!r}")
print(f"no translation catalogue in the WASM ({len(texts)} catalogue texts looked for)")
PY
