#!/usr/bin/env bash
# End to end with a real Docker engine: local bases (scripts/make-local-bases.sh), then the base,
# predict and api images built from dockerfiles/ exactly as shipped (only the bases swapped by build
# argument); the predict container run on a mounted directory with the ATIS test sentences and its
# output compared row for row with `intent predict` run directly on the model baked into the image;
# the api container started and queried; image sizes reported.
# Usage: scripts/docker-e2e.sh [ATIS_DIR]   (default ../shared/data/atis; the built-in dataset's
# sentences when absent). Needs root (debootstrap), a Docker engine (DOCKER, default /usr/bin/docker,
# the docker.io package's client) and BuildKit.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
atis=${1:-../shared/data/atis}
export DOCKER=${DOCKER:-/usr/bin/docker}
export DOCKER_BUILDKIT=1
"$DOCKER" info >/dev/null 2>&1 || { echo "no Docker engine answers $DOCKER (start dockerd; .ci/run does)" >&2; exit 2; }
work=$(mktemp -d)
api=""
cleanup() {
  local status=$?
  [ -n "$api" ] && "$DOCKER" rm -f "$api" >/dev/null 2>&1
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT
tag=e2e-$(git rev-parse --short HEAD 2>/dev/null || echo dev)
started=$(date +%s)

scripts/make-local-bases.sh

echo "== build base, predict, api ($tag)"
common=(--build-arg "VERSION=$tag" --build-arg "REVISION=$(git rev-parse HEAD 2>/dev/null || echo unknown)")
time "$DOCKER" build --network none -f dockerfiles/base.dockerfile -t "intentops/base:$tag" "${common[@]}" \
  --build-arg BUILDER_IMAGE=intentops-local/swift:bookworm --build-arg RUNTIME_IMAGE=intentops-local/cc:bookworm .
for image in predict api; do
  "$DOCKER" build --network none -f "dockerfiles/$image.dockerfile" -t "intentops/$image:$tag" "${common[@]}" \
    --build-arg "BASE_IMAGE=intentops/base:$tag" .
done

echo "== predict container on a mounted directory"
mkdir -p "$work/data" "$work/out" "$work/model"
if [ -f "$atis/test.tsv" ]; then
  cut -f1 "$atis/test.tsv" > "$work/data/sentences.txt"
else
  printf '%s\n' "book a table for two" "заказать столик" "明天天气怎么样" "hello there" > "$work/data/sentences.txt"
fi
chmod -R a+rX "$work/data"
chmod a+rwx "$work/out"
"$DOCKER" run --rm --network none --read-only -v "$work/data:/data:ro" -v "$work/out:/out" "intentops/predict:$tag" \
  --input /data/sentences.txt --output /out/sentences.jsonl --format jsonl
# The same model, run directly by this checkout's intent.
container=$("$DOCKER" create "intentops/predict:$tag")
"$DOCKER" cp "$container:/opt/intentops/models/default/." "$work/model/"
"$DOCKER" rm "$container" >/dev/null
# Any build of this checkout will do (debug and release answer bit for bit the same; .ci/run has just
# built debug for the tests); build one only when there is none.
direct=""
for candidate in .build/release/intent .build/debug/intent; do
  [ -x "$candidate" ] && { direct=$candidate; break; }
done
[ -n "$direct" ] || { swift build --product intent >/dev/null; direct=.build/debug/intent; }
"$direct" predict --model "$work/model" --input "$work/data/sentences.txt" --output "$work/direct.jsonl" --format jsonl
rows=$(wc -l < "$work/data/sentences.txt")
[ "$(wc -l < "$work/out/sentences.jsonl")" -eq "$rows" ] || { echo "FAIL: $(wc -l < "$work/out/sentences.jsonl") rows for $rows sentences" >&2; exit 1; }
if cmp -s "$work/out/sentences.jsonl" "$work/direct.jsonl"; then
  echo "ok: $rows rows from the container, identical to intent predict run directly"
else
  diff <(head -5 "$work/out/sentences.jsonl") <(head -5 "$work/direct.jsonl") >&2 || true
  echo "FAIL: the container's output differs from the direct run" >&2
  exit 1
fi

echo "== api container"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
api=$("$DOCKER" run -d --network host --read-only --tmpfs /var/lib/intentops:uid=10001 -e HOST=127.0.0.1 -e "PORT=$port" "intentops/api:$tag")
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "http://127.0.0.1:$port/readyz" | tee "$work/ready.json"; echo
answer=$(curl -fsS -X POST "http://127.0.0.1:$port/v1/predict" -H 'Content-Type: application/json' -d '{"text": "book a table for two tonight", "top_k": 2}')
echo "$answer"
python3 -c 'import json,sys; a=json.loads(sys.argv[1]); assert a["intent"] and len(a["top_k"]) == 2 and a["model"]["version"], a' "$answer"
"$DOCKER" stop -t 10 "$api" >/dev/null
status=$("$DOCKER" inspect --format '{{.State.ExitCode}}' "$api")
[ "$status" = 0 ] || { "$DOCKER" logs "$api" >&2; echo "FAIL: the api container exited $status after SIGTERM" >&2; exit 1; }
echo "ok: /readyz and /v1/predict answered; exit 0 after SIGTERM"

echo "== image sizes"
for image in base predict api; do
  printf '%-8s %s\n' "$image" "$("$DOCKER" image inspect --format '{{.Size}}' "intentops/$image:$tag" | awk '{printf "%.1f MB", $1/1e6}')"
done
echo "docker-e2e: passed in $(( $(date +%s) - started )) s"
