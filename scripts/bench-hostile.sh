#!/usr/bin/env bash
# `intent serve` (release build, the built-in dataset's model) against hostile clients, with figures:
#   1. 300 idle connections under `ulimit -n 256`, then 25,000 under the default limit (two client
#      processes): is the server up, how long a normal request takes meanwhile, peak RSS
#   2. 5,000 half-sent requests (heads and bodies stopped half-way): when they are closed, peak RSS
#   3. 32 bodies of 8 MiB at once, and 4 batches of 3.84 MB with explain at once: statuses, peak RSS
#   4. SIGTERM with a half-sent request: exit status and seconds to exit (default drain timeout 10 s)
#   5. ab -n 10000 -c 32 (HTTP/1.0) on GET /v1/predict?text=...: failures, req/s
#   6. GET (curl --data-urlencode) and POST give the same answer on every ATIS test sentence
# Every load is bounded; the peak RSS is the kernel's VmHWM of the server process.
# Usage: scripts/bench-hostile.sh [ATIS_DIR]   (default ../shared/data/atis; SCRATCH as in bench-api.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
atis=${1:-../shared/data/atis}
scratch=${SCRATCH:-.build}
swift build -c release --scratch-path "$scratch" --product intent >&2
bin=$PWD/$scratch/release/intent
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill -9 "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
"$bin" train --output "$work/model" --quiet --runs-dir none
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start LIMIT [FLAGS...]: a server under `ulimit -n LIMIT` (exec: its pid is the server's)
start() {
  local limit=$1; shift
  port=$(free_port)
  sh -c "ulimit -n $limit && exec \"\$0\" \"\$@\"" "$bin" serve --model "$work/model" --port "$port" --request-log none "$@" 2> "$work/serve.log" &
  server=$!
  until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    kill -0 "$server" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
    sleep 0.05
  done
}
stop() { kill -9 "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; server=""; }
peak() { awk '/VmHWM/ {printf "%.1f MB", $2 / 1024}' "/proc/$server/status"; }
alive() { kill -0 "$server" 2>/dev/null && echo up || echo DOWN; }

cat > "$work/flood.py" <<'PY'
# flood.py PORT COUNT HOLD_SECONDS: open COUNT idle connections (as fast as the server accepts them) and
# hold them HOLD_SECONDS more; from the start to the end, a normal request on a new connection every
# half second, timed (connect included).
import socket, sys, time, resource, threading
port, count, hold = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
resource.setrlimit(resource.RLIMIT_NOFILE, (count + 100, count + 100))
done, probes, errors = threading.Event(), [], []
def probe():
    while not done.is_set():
        t = time.monotonic()
        try:
            c = socket.create_connection(("127.0.0.1", port), timeout=10)
            c.sendall(b"GET /v1/predict?text=will+it+rain+tomorrow HTTP/1.1\r\nHost: x\r\n\r\n")
            head = c.recv(12); c.close()
            ok = head.startswith(b"HTTP/1.1 200")
            if not ok: errors.append(repr(head))
        except OSError as e:
            ok = False; errors.append(type(e).__name__)
        probes.append(time.monotonic() - t if ok else None)
        time.sleep(max(0, 0.5 - (time.monotonic() - t)))
prober = threading.Thread(target=probe); prober.start()
idle, failed, start = [], 0, time.monotonic()
for _ in range(count):
    try:
        s = socket.socket(); s.settimeout(10); s.connect(("127.0.0.1", port)); idle.append(s)
    except OSError:
        failed += 1
connected = time.monotonic() - start
time.sleep(hold); done.set(); prober.join()
answered = sorted(p for p in probes if p is not None)
print(f"{len(idle)} connected in {connected:.1f} s ({failed} failed); normal requests: {len(answered)} of {len(probes)} "
      f"answered, median {answered[len(answered) // 2] * 1000:.0f} ms, slowest {answered[-1] * 1000:.0f} ms, "
      f"over 1 s: {sum(p > 1 for p in answered)}" + (f"; unanswered: {', '.join(errors)}" if errors else ""))
PY

echo "== 1. idle connection floods"
start 256
python3 "$work/flood.py" "$port" 300 8 | sed 's/^/ulimit -n 256, 300 idle: /'
echo "   server $(alive), peak RSS $(peak), $(curl -fs "http://127.0.0.1:$port/metrics" | awk '/^intent_http_connections(_evicted_total)? / {printf "%s %s  ", $1, $2}')"
stop
start "$(ulimit -Hn)"
python3 "$work/flood.py" "$port" 12500 12 > "$work/flood-a.txt" &
a=$!
python3 "$work/flood.py" "$port" 12500 12 > "$work/flood-b.txt" &
b=$!
wait $a $b
echo "default limit ($(ulimit -Hn)), 2 x 12,500 idle: $(cat "$work/flood-a.txt") | $(cat "$work/flood-b.txt")"
echo "   server $(alive), peak RSS $(peak), $(curl -fs "http://127.0.0.1:$port/metrics" | awk '/^intent_http_connections(_max|_evicted_total)? / {printf "%s %s  ", $1, $2}')"
stop

echo "== 2. 5,000 half-sent requests (default timeouts: head 10 s, body 30 s)"
start "$(ulimit -Hn)"
python3 - "$port" <<'PY'
# Half-sent requests, opened as fast as the server accepts them (beyond its connection cap they wait in
# the kernel's queue until a deadline frees a slot); each one's close is timed from its own last byte.
import socket, sys, time, resource, selectors
port = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_NOFILE, (6000, 6000))
sel, start, unconnected = selectors.DefaultSelector(), time.monotonic(), 0
for i in range(5000):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
    except OSError:
        unconnected += 1
        continue
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " if i % 2 else
              b"POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{\"text\":")
    sel.register(s, selectors.EVENT_READ, (i % 2, time.monotonic()))
connected = time.monotonic() - start
closed, longest = [0, 0], [0.0, 0.0]
while sum(closed) < 5000 - unconnected and time.monotonic() - start < 180:
    for key, _ in sel.select(timeout=1):
        try: key.fileobj.recv(4096)
        except OSError: pass
        kind, sent = key.data
        sel.unregister(key.fileobj); key.fileobj.close()
        closed[kind] += 1; longest[kind] = max(longest[kind], time.monotonic() - sent)
print(f"all sent in {connected:.1f} s ({unconnected} could not connect); heads: {closed[1]} closed, the longest held {longest[1]:.1f} s; "
      f"bodies: {closed[0]} closed, the longest held {longest[0]:.1f} s")
PY
echo "   server $(alive), peak RSS $(peak)"
stop

echo "== 3. large bodies at once"
start "$(ulimit -Hn)"
python3 - "$port" <<'PY'
import socket, sys, threading, collections, json
port = int(sys.argv[1])
def post(body, out):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=120)
        s.sendall(b"POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body))
        s.sendall(body)
        out.append(s.recv(20).split(b" ")[1].decode())
    except OSError as e:
        out.append(type(e).__name__)
def burst(label, body, n):
    out = []
    threads = [threading.Thread(target=post, args=(body, out)) for _ in range(n)]
    for t in threads: t.start()
    for t in threads: t.join()
    print(f"{label}: {len(body) / 1e6:.2f} MB each, statuses {dict(collections.Counter(out))}")
text = "\\u0061" * 4800 + " b" * 100
burst("32 bodies of 8 MiB", ('{"texts": [' + ",".join(['"%s"' % text] * 256) + "]}").encode(), 32)
words = "show me flights from boston to denver tomorrow morning please "
sentence = (words * 80)[:4990]
burst("4 explain batches of 256 texts of 4,990 characters", json.dumps({"texts": [sentence] * 256, "explain": True}).encode(), 4)
PY
echo "   server $(alive), peak RSS $(peak)"
stop

echo "== 4. SIGTERM with a half-sent request"
start "$(ulimit -Hn)"
exec 3<>"/dev/tcp/127.0.0.1/$port"
printf 'POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{' >&3
sleep 0.3
t0=$(date +%s.%N)
kill -TERM "$server"
status=0
wait "$server" || status=$?
t1=$(date +%s.%N)
exec 3>&-
server=""
echo "exit status $status after $(python3 -c "print(f'{$t1 - $t0:.2f}')") s"

echo "== 5. ab -n 10000 -c 32 (HTTP/1.0) on GET /v1/predict"
if command -v ab >/dev/null; then
  start "$(ulimit -Hn)"
  ab -q -n 10000 -c 32 -s 10 "http://127.0.0.1:$port/v1/predict?text=show+me+flights+from+boston" 2>&1 | grep -E "^(Complete|Failed|Non-2xx|Requests per second)" || true
  stop
else
  echo "ab not installed (apt-get install apache2-utils): skipped"
fi

echo "== 6. GET (curl --data-urlencode) against POST on the ATIS test sentences"
if [ -f "$atis/test.tsv" ]; then
  "$bin" train --data "$atis/train.tsv" --ood "$atis/ood.tsv" --output "$work/atis" --quiet --runs-dir none
  port=$(free_port)
  "$bin" serve --model "$work/atis" --port "$port" --request-log none 2> "$work/serve.log" &
  server=$!
  until curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.05; done
  total=0; different=0
  while IFS=$'\t' read -r text _; do
    total=$((total + 1))
    get=$(curl -fsG "http://127.0.0.1:$port/v1/predict" --data-urlencode "text=$text" --data-urlencode "top_k=3")
    post=$(python3 -c 'import json,sys; print(json.dumps({"text": sys.argv[1], "top_k": 3}))' "$text" |
           curl -fs "http://127.0.0.1:$port/v1/predict" -H 'Content-Type: application/json' --data-binary @-)
    [ "$get" = "$post" ] || different=$((different + 1))
  done < "$atis/test.tsv"
  echo "$total sentences, $different answered differently by GET and POST"
  stop
else
  echo "no ATIS at $atis: skipped"
fi
