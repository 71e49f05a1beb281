#!/usr/bin/env bash
# The figures of issue 3: webhook acknowledgement latency under 200 concurrent signed deliveries while a
# release pipeline runs, and how many bad-signature requests per second the receiver refuses.
#
# Release build of `deployer`, a real git remote, recording fakes for kubectl and docker (no API server
# or registry needed), a test stage that keeps a pipeline busy for the whole load. Every load is bounded.
# Usage: scripts/bench-deployer.sh [BURSTS]   (default 10: 10 bursts of 200 deliveries = 2000)
set -euo pipefail
cd "$(dirname "$0")/.."
per_client=${1:-10}
swift build -c release --product deployer >&2
bin=$PWD/.build/release/deployer
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# A remote with one tag whose test stage runs for 60 s: the pipeline the load runs beside.
git init -q --initial-branch=main "$work/src"
printf 'sleep 60\n' > "$work/src/busy.sh"
git -C "$work/src" add . && git -C "$work/src" -c user.name=b -c user.email=b@x commit -qm busy
git -C "$work/src" tag v0.1.0
git clone -q --bare "$work/src" "$work/remote.git"
mkdir -p "$work/bin"
# kubectl kustomize DIR --output FILE writes its rendering, as the real one does.
printf '#!/bin/sh\necho "$*" >> %s/kubectl.log\n[ "$1" = kustomize ] && echo "kind: List" > "$4"\nexit 0\n' "$work" > "$work/bin/kubectl"
printf '#!/bin/sh\ncase "$1" in inspect) for r in "$@"; do :; done; echo "${r%%:*}@sha256:%064d";; esac\n' 0 > "$work/bin/docker"
chmod +x "$work/bin/kubectl" "$work/bin/docker"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/secret"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/deployer.json" <<JSON
{"repositories": ["acme/intentops"], "remote": "$work/remote.git", "secret_files": ["$work/secret"], "port": $port,
 "state_path": "$work/state/state.sqlite", "work_directory": "$work/work",
 "stages": [{"name": "busy-tests", "argv": ["sh", "busy.sh"], "timeout_seconds": 120}],
 "environments": [{"name": "staging", "overlay": "deploy", "namespace": "s", "deployments": ["api"]}]}
JSON
PATH="$work/bin:$PATH" "$bin" serve --config "$work/deployer.json" 2> "$work/deployer.log" &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

busy_commit=$(git -C "$work/src" rev-parse v0.1.0)
python3 - "$port" "$work/secret" "$per_client" "$busy_commit" <<'PY'
import asyncio, hashlib, hmac, json, sys, time
port, secret, per_client = int(sys.argv[1]), open(sys.argv[2], "rb").read().strip(), int(sys.argv[3])
busy_commit = sys.argv[4]

def delivery(tag, delivery_id):
    after = busy_commit if tag == "v0.1.0" else "a" * 40
    body = json.dumps({"ref": f"refs/tags/{tag}", "before": "0" * 40, "after": after, "created": True,
                       "deleted": False, "repository": {"full_name": "acme/intentops"}}).encode()
    sig = hmac.new(secret, body, hashlib.sha256).hexdigest()
    head = (f"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"X-GitHub-Event: push\r\nX-GitHub-Delivery: {delivery_id}\r\nX-Hub-Signature-256: sha256={sig}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    return head + body

async def exchange(reader, writer, request):
    writer.write(request)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return status, await reader.readexactly(length)

async def main():
    # The pipeline that runs during the load: v0.1.0 exists and its test stage sleeps 60 s.
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    status, body = await exchange(reader, writer, delivery("v0.1.0", "busy-release"))
    assert status == 202, body
    writer.close()
    await asyncio.sleep(1)
    latencies, statuses = [], {}
    # 200 connections, opened first; then rounds of 200 simultaneous deliveries (a burst each), with every
    # request built before the clock starts so the client measures the server, not itself.
    connections = [await asyncio.open_connection("127.0.0.1", port) for _ in range(200)]
    async def one(connection, request):
        reader, writer = connection
        start = time.perf_counter()
        status, _ = await exchange(reader, writer, request)
        latencies.append(time.perf_counter() - start)
        statuses[status] = statuses.get(status, 0) + 1
    start = time.perf_counter()
    for n in range(per_client):
        # Each delivery is new and valid: half queue a new tag, half are redeliveries of the running one.
        requests = [delivery(f"v9.{i}.{n}" if n % 2 == 0 else "v0.1.0", f"load-{i}-{n}") for i in range(200)]
        await asyncio.gather(*(one(connections[i], requests[i]) for i in range(200)))
    wall = time.perf_counter() - start
    for _, writer in connections:
        writer.close()
    latencies.sort()
    q = lambda p: latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000
    print("== webhook acknowledgement: bursts of 200 simultaneous signed deliveries (a pipeline running)")
    print(f"deliveries {len(latencies)} in {per_client} bursts  statuses {statuses}")
    print(f"latency ms: p50 {q(0.50):.1f}  p95 {q(0.95):.1f}  p99 {q(0.99):.1f}  max {latencies[-1] * 1000:.1f}   (goal: p99 <= 50)")
asyncio.run(main())
PY

state=$(curl -fs "http://127.0.0.1:$port/api/deployments/1" | python3 -c 'import json,sys; d=json.load(sys.stdin)["deployment"]; print(d["tag"], d["status"], d["stage"])')
echo "the release that ran during the load (tag, status, stage): $state"

echo "== sustained: 200 connections sending signed redeliveries as fast as they are answered (wrk, 10 s)"
if command -v wrk >/dev/null; then
  python3 - "$work/secret" "$busy_commit" > "$work/signed.lua" <<'PY'
import hashlib, hmac, json, sys
secret, commit = open(sys.argv[1], "rb").read().strip(), sys.argv[2]
body = json.dumps({"ref": "refs/tags/v0.1.0", "before": "0" * 40, "after": commit, "created": True,
                   "deleted": False, "repository": {"full_name": "acme/intentops"}})
sig = hmac.new(secret, body.encode(), hashlib.sha256).hexdigest()
# The signature covers the body only, so each request can carry a new delivery id.
print(f"""wrk.method = "POST"
wrk.body = {json.dumps(body)}
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-GitHub-Event"] = "push"
wrk.headers["X-Hub-Signature-256"] = "sha256={sig}"
local thread_id = 0
local counter = 0
setup = function(thread) thread_id = thread_id + 1; thread:set("prefix", "t" .. thread_id) end
request = function()
  counter = counter + 1
  wrk.headers["X-GitHub-Delivery"] = prefix .. "-" .. counter
  return wrk.format()
end""")
PY
  wrk -t2 -c200 -d10s --latency -s "$work/signed.lua" "http://127.0.0.1:$port/webhook" | grep -E "Requests/sec|Non-2xx|requests in|99%|90%|50%"
fi

echo "== bad-signature requests refused per second (wrk, 2 threads, 64 connections, 10 s)"
if command -v wrk >/dev/null; then
  cat > "$work/bad.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"ref":"refs/tags/v1.0.0","created":true,"after":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","repository":{"full_name":"acme/intentops"}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-GitHub-Event"] = "push"
wrk.headers["X-GitHub-Delivery"] = "bad-signature"
wrk.headers["X-Hub-Signature-256"] = "sha256=0000000000000000000000000000000000000000000000000000000000000000"
LUA
  wrk -t2 -c64 -d10s --latency -s "$work/bad.lua" "http://127.0.0.1:$port/webhook" | grep -E "Requests/sec|Non-2xx|requests in|99%|50%"
  curl -fs "http://127.0.0.1:$port/metrics" | grep 'result="bad_signature"'
else
  echo "wrk is not installed (apt-get install wrk): skipped"
fi
