#!/usr/bin/env bash
# Renders `intent serve`'s /docs offline in headless Chromium (Debian's `chromium` package) and saves a
# screenshot: Swagger UI from scripts/install-swagger-ui.sh, served by the server itself. Fails unless
# the rendered page has Swagger UI's operation blocks (so a blank or fallback page does not pass).
# Usage: scripts/docs-screenshot.sh [OUT.png]   (default docs/images/docs-page.png; SCRATCH as in bench-api.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-docs/images/docs-page.png}")
scratch=${SCRATCH:-.build}
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "docs-screenshot: no chromium (apt-get install chromium)" >&2; exit 1; }
[ -f .build/swagger-ui/swagger-ui-bundle.js ] || scripts/install-swagger-ui.sh .build/swagger-ui
swift build -c release --scratch-path "$scratch" --product intent >&2
bin=$PWD/$scratch/release/intent
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$bin" train --output "$work/model" --quiet --runs-dir none
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --model "$work/model" --port "$port" --request-log none --docs-assets .build/swagger-ui 2> "$work/serve.log" &
server=$!
until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.05
done
# No network: every other origin is unreachable, so only the server's own files can render the page.
flags=(--headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking
       --proxy-server=127.0.0.1:9 --proxy-bypass-list="127.0.0.1" --user-data-dir="$work/profile"
       --virtual-time-budget=10000 --window-size=1280,1400)
"$browser" "${flags[@]}" --dump-dom "http://127.0.0.1:$port/docs" 2>/dev/null > "$work/dom.html"
operations=$(grep -o 'class="opblock opblock-[a-z]*' "$work/dom.html" | wc -l)
title=$(grep -o 'class="title"[^<]*<[^>]*>[^<]*' "$work/dom.html" | head -1 || true)
mkdir -p "$(dirname "$out")"
"$browser" "${flags[@]}" --screenshot="$out.tmp.png" "http://127.0.0.1:$port/docs" 2>/dev/null >/dev/null
mv "$out.tmp.png" "$out"
echo "rendered /docs offline: $operations operations shown by Swagger UI; screenshot $out ($(du -k "$out" | cut -f1) KB)"
[ "$operations" -gt 0 ] || { echo "docs-screenshot: Swagger UI did not render any operation" >&2; exit 1; }
