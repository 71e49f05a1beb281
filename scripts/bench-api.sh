#!/usr/bin/env bash
# The figures of issue 4 so far: `intent serve` with the ATIS model (the built-in dataset's model when
# ATIS is absent), release build, wrk on 127.0.0.1 beside it, every load bounded to 10 s.
#   - time from start to the first 200 on /readyz
#   - POST /v1/predict (one sentence) at 64 connections: req/s and latency percentiles
#   - GET /healthz on the same server in the same run: the bare-route reference
#   - RSS after the load, and the exit status after SIGTERM
# Usage: scripts/bench-api.sh [ATIS_DIR]   (default ../shared/data/atis)
set -euo pipefail
cd "$(dirname "$0")/.."
atis=${1:-../shared/data/atis}
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 2; }
swift build -c release --product intent >&2
bin=$PWD/.build/release/intent
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

if [ -f "$atis/train.tsv" ]; then
  "$bin" train --data "$atis/train.tsv" --ood "$atis/ood.tsv" --output "$work/model" --quiet
  sentence="show me flights from boston to denver tomorrow morning"
else
  echo "no ATIS at $atis: using the built-in dataset" >&2
  "$bin" train --output "$work/model" --quiet
  sentence="what will the weather be like tomorrow"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start=$(date +%s.%N)
"$bin" serve --model "$work/model" --port "$port" --request-log "$work/requests.sqlite" 2> "$work/serve.log" &
server=$!
until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
done
ready=$(date +%s.%N)
echo "== ready (first 200 on /readyz): $(python3 -c "print(f'{($ready - $start) * 1000:.0f} ms')")"

printf 'wrk.method = "POST"\nwrk.body = "{\\"text\\": \\"%s\\"}"\nwrk.headers["Content-Type"] = "application/json"\n' "$sentence" > "$work/predict.lua"
echo "== POST /v1/predict, one sentence, 64 connections, 10 s"
wrk -t2 -c64 -d10s --latency -s "$work/predict.lua" "http://127.0.0.1:$port/v1/predict" | grep -E "Requests/sec|Non-2xx|requests in|50%|90%|99%"
echo "== GET /healthz (bare route), 64 connections, 10 s"
wrk -t2 -c64 -d10s --latency "http://127.0.0.1:$port/healthz" | grep -E "Requests/sec|requests in|99%"
echo "== RSS after the load: $(grep VmRSS /proc/$server/status | awk '{print $2/1024 " MB"}')"
kill -TERM "$server"
status=0
wait "$server" || status=$?
server=""
echo "== exit status after SIGTERM: $status"
