#!/usr/bin/env bash
# scripts/release-to-cluster.sh against a recording fake kubectl (no API server can run here): the
# overlay is rendered for real with the pushed digest pinned, a tag is refused, and a failed rollout
# is undone and fails the step.
set -euo pipefail
cd "$(dirname "$0")/.."
real=$(command -v kubectl) || { echo "kubectl (with kustomize) is needed" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
cat > "$work/bin/kubectl" <<FAKE
#!/usr/bin/env bash
echo "\$*" >> "$work/calls"
case "\$1 \$2" in
  "apply -k") "$real" kustomize "\$3" > "$work/rendered.yaml" ;;
  "rollout status") [ ! -f "$work/fail-rollout" ] ;;
esac
FAKE
chmod +x "$work/bin/kubectl"
digest=sha256:$(printf '%064d' 7)
image=registry.test/intentops/api@$digest

PATH="$work/bin:$PATH" scripts/release-to-cluster.sh staging intentops-staging "$image" > "$work/out"
grep -q "image: $image" "$work/rendered.yaml" || { echo "FAIL: the digest is not pinned in the applied manifests" >&2; exit 1; }
grep -q "namespace: intentops-staging" "$work/rendered.yaml" || { echo "FAIL: not the staging overlay" >&2; exit 1; }
grep -q "rollout status deployment/intent-api --namespace intentops-staging" "$work/calls" || { echo "FAIL: no rollout wait" >&2; exit 1; }
echo "ok: staging applied with $image pinned, rollout awaited"

if PATH="$work/bin:$PATH" scripts/release-to-cluster.sh production intentops registry.test/intentops/api:v1 2> "$work/err"; then
  echo "FAIL: a tag was released" >&2; exit 1
fi
echo "ok: a tag instead of a digest is refused ($(head -1 "$work/err"))"

: > "$work/calls"
touch "$work/fail-rollout"
if PATH="$work/bin:$PATH" scripts/release-to-cluster.sh production intentops "$image" > "$work/out" 2>&1; then
  echo "FAIL: a failed rollout succeeded" >&2; exit 1
fi
grep -q "rollout undo deployment/intent-api --namespace intentops" "$work/calls" || { echo "FAIL: no rollback after a failed rollout" >&2; exit 1; }
echo "ok: a failed production rollout is undone and fails the release"
