#!/usr/bin/env bash
# Builds the sensitive-text guard alone to WebAssembly (end2end/guard-wasm: the app's guard
# source, the app's wasm-release profile, wasm-bindgen and wasm-opt as cargo-leptos runs them),
# for end2end/tests/guard-speed.spec.ts to time in Chromium and Firefox, and prints what the
# guard weighs in the WASM: raw, and brotli-compressed as the server sends it.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
out="$target/guard-wasm"
cargo build -q -p guard-wasm --lib --profile wasm-release --target wasm32-unknown-unknown
rm -rf "$out"
wasm-bindgen --target web --no-typescript --out-dir "$out" \
  "$target/wasm32-unknown-unknown/wasm-release/guard_wasm.wasm"
if command -v wasm-opt >/dev/null; then
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$out/guard_wasm_bg.wasm" -o "$out/guard_wasm_bg.wasm"
fi
# The same guard on the server: one check of a 1,000-character message in the release binary.
bin="$target/release/ranselpost"
if [ -x "$bin" ]; then
  head -c 8000 app/src/domain/guard/corpus.tsv | grep -v '^#' | cut -f4 | tr '\n' ' ' \
    | python3 -c 'import sys; sys.stdout.write(sys.stdin.read()[:1000])' \
    | "$bin" check-text --repeat 1000 2>&1 >/dev/null | sed 's/^/the guard on the server (release build): /'
fi
# Brotli at the level cargo-leptos's --precompress uses, from Node's zlib (no Python module needed).
node -e '
const fs = require("fs"), zlib = require("zlib");
const data = fs.readFileSync(process.argv[1]);
const packed = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
console.log(`the guard in WebAssembly (rules, lexicon and learned weights): ${(data.length / 1024).toFixed(1)} KB, ${(packed.length / 1024).toFixed(1)} KB brotli`);
' "$out/guard_wasm_bg.wasm"
