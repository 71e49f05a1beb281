#!/usr/bin/env bash
# The figures of issue 4 so far: `intent serve` with the ATIS model (the built-in dataset's model when
# ATIS is absent), release build, wrk on 127.0.0.1 beside it, every load bounded to 10 s.
#   - time from start to the first 200 on /readyz
#   - POST /v1/predict (one sentence) at 64 connections: req/s and latency percentiles, with the request
#     log on (as shipped) and off
#   - the same POST on a bare Hummingbird route (Sources/BareRoute: collects the body, answers a
#     constant, no middleware), alternated with the runs above: the issue's reference
#   - RSS after the load, and the exit status after SIGTERM
# This machine's neighbours make single runs vary by 20-30%: ROUNDS (default 3) alternations are printed.
# Each run also prints the server's CPU time per request (from /proc), which varies less than req/s.
# WRK_THREADS (default 1) sets wrk's threads. wrk shares the 2 cores with the server: with 2 threads it
# spent 22-24 us of CPU per request against 11-13 us with 1 (measured against intent serve), CPU the server then
# lacks, so the default is 1. Every route is measured the same way in one run; WRK_THREADS=2 is there to
# compare.
# Usage: scripts/bench-api.sh [ATIS_DIR]   (default ../shared/data/atis)
set -euo pipefail
cd "$(dirname "$0")/.."
atis=${1:-../shared/data/atis}
command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 2; }
# SCRATCH: the build folder (default .build; a second one lets a release build sit beside the debug one).
scratch=${SCRATCH:-.build}
swift build -c release --scratch-path "$scratch" --product intent >&2
swift build -c release --scratch-path "$scratch" --product BareRoute >&2
bin=$PWD/$scratch/release/intent
work=$(mktemp -d)
server=""; others=()
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; for p in "${others[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT

if [ -f "$atis/train.tsv" ]; then
  # The n-gram model: the server's own cost is what is measured, not the ensemble's 0.1 ms a sentence.
  "$bin" train --model-kind ngram --data "$atis/train.tsv" --ood "$atis/ood.tsv" --output "$work/model" --quiet --runs-dir none
  sentence="show me flights from boston to denver tomorrow morning"
else
  echo "no ATIS at $atis: using the built-in dataset" >&2
  "$bin" train --output "$work/model" --quiet --runs-dir none
  sentence="what will the weather be like tomorrow"
fi
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
start=$(date +%s.%N)
"$bin" serve --model "$work/model" --port "$port" --request-log "$work/requests.sqlite" 2> "$work/serve.log" &
server=$!
until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
done
ready=$(date +%s.%N)
echo "== ready (first 200 on /readyz): $(python3 -c "print(f'{($ready - $start) * 1000:.0f} ms')")"

printf 'wrk.method = "POST"\nwrk.body = "{\\"text\\": \\"%s\\"}"\nwrk.headers["Content-Type"] = "application/json"\n' "$sentence" > "$work/predict.lua"

# The references, started after the ready measurement so they do not disturb it.
bare_port=$(free_port)
"$PWD/$scratch/release/BareRoute" "$bare_port" 2> "$work/bare.log" &
others+=($!)
off_port=$(free_port)
"$bin" serve --model "$work/model" --port "$off_port" --request-log none 2> "$work/serve-off.log" &
others+=($!)
for p in "$bare_port" "$off_port"; do
  until curl -fs "http://127.0.0.1:$p/healthz" >/dev/null 2>&1; do sleep 0.05; done
done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # user + system time of a process, in clock ticks
load() {  # load LABEL PORT PID: 64 connections, 10 s, one sentence per POST
  local before after
  before=$(cpu_ticks "$3")
  wrk -t"${WRK_THREADS:-1}" -c64 -d10s --latency -s "$work/predict.lua" "http://127.0.0.1:$2/v1/predict" > "$work/wrk.txt"
  after=$(cpu_ticks "$3")
  grep -q "Non-2xx" "$work/wrk.txt" && { echo "$1: non-2xx answers" >&2; cat "$work/wrk.txt" >&2; exit 1; }
  awk -v label="$1" -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" \
    '/requests in/ {n=$1} /Requests\/sec/ {rps=$2} / 50%/ {p50=$2} / 99%/ {p99=$2}
    END {printf "%-22s %9.0f req/s   p50 %-8s p99 %-8s server CPU %5.1f us/request\n", label, rps, p50, p99, ticks / hz / n * 1e6}' "$work/wrk.txt"
}
echo "== POST /v1/predict, one sentence, 64 connections, wrk -t${WRK_THREADS:-1}, 10 s per run, ${ROUNDS:-3} rounds"
for round in $(seq "${ROUNDS:-3}"); do
  load "bare Hummingbird" "$bare_port" "${others[0]}" | tee -a "$work/results"
  load "intent, log on" "$port" "$server" | tee -a "$work/results"
  load "intent, log off" "$off_port" "${others[1]}" | tee -a "$work/results"
done
python3 - "$work/results" <<'PY'
import sys, collections
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    label, rps = line[:22].strip(), float(line[22:].split()[0])
    runs[label].append(rps)
bare = runs["bare Hummingbird"]
for label in ("intent, log on", "intent, log off"):
    shares = [r / b for r, b in zip(runs[label], bare)]
    print(f"== {label}: mean {sum(runs[label]) / len(runs[label]):,.0f} req/s, "
          f"{min(shares):.0%}-{max(shares):.0%} of the bare route in the same round")
PY
sleep 1  # one flush interval and more: what the log holds now is what it will write
echo "== request log after the load: $(curl -fs "http://127.0.0.1:$port/metrics" | awk '/^intent_request_log_(written|dropped)_total|^intent_request_log_queue_length/ {sub("intent_request_log_", ""); printf "%s %s  ", $1, $2}')"
echo "== RSS after the load (log on): $(grep VmRSS /proc/$server/status | awk '{print $2/1024 " MB"}'), peak $(grep VmHWM /proc/$server/status | awk '{print $2/1024 " MB"}')"
kill -TERM "$server"
status=0
wait "$server" || status=$?
server=""
echo "== exit status after SIGTERM: $status"
