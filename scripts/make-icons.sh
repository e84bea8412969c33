#!/usr/bin/env bash
# Renders the app's PNG icons from the SVG sources with Debian's Chromium (headless). The PNGs
# are committed; run this after changing an SVG.
set -euo pipefail
cd "$(dirname "$0")/../public/icons"
render() { # svg, size, png
  local page
  page=$(mktemp --suffix=.html)
  printf '<html><body style="margin:0;background:transparent"><img src="file://%s" width="%s" height="%s"></body></html>' \
    "$PWD/$1" "$2" "$2" > "$page"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --default-background-color=00000000 \
    --window-size="$2,$2" --screenshot="$PWD/$3" "file://$page" >/dev/null 2>&1
  rm -f "$page"
}
render icon.svg 192 icon-192.png
render icon.svg 512 icon-512.png
render icon-maskable.svg 192 icon-maskable-192.png
render icon-maskable.svg 512 icon-maskable-512.png
render icon.svg 180 apple-touch-icon.png
ls -l ./*.png
