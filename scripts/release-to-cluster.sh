#!/usr/bin/env bash
# Hands a pushed API image to one environment, as the deployer does: the overlay pinned to the image's
# digest (never a moving tag), `kubectl apply -k`, wait for the rollout, and `rollout undo` when it fails.
#   scripts/release-to-cluster.sh ENVIRONMENT NAMESPACE IMAGE@sha256:...
# KUBECONFIG_DATA (the kubeconfig's content, from a CI secret) is used when KUBECONFIG is not set.
set -euo pipefail
cd "$(dirname "$0")/.."
environment=${1:?environment (staging or production)} namespace=${2:?namespace} image=${3:?image@digest}
case "$image" in
  *@sha256:*) ;;
  *) echo "refusing $image: release by digest (IMAGE@sha256:...), not by tag" >&2; exit 2 ;;
esac
overlay=deploy/k8s/overlays/$environment
[ -f "$overlay/kustomization.yaml" ] || { echo "no overlay $overlay" >&2; exit 2; }
# Inside the repository: kustomize refuses absolute paths to resources.
work=$(mktemp -d "$PWD/.release.XXXXXX")
trap 'rm -rf "$work"' EXIT
if [ -z "${KUBECONFIG:-}" ] && [ -n "${KUBECONFIG_DATA:-}" ]; then
  printf '%s\n' "$KUBECONFIG_DATA" > "$work/kubeconfig"
  chmod 600 "$work/kubeconfig"
  export KUBECONFIG=$work/kubeconfig
fi
mkdir -p "$work/release"
cat > "$work/release/kustomization.yaml" <<YAML
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../$overlay
images:
  - name: registry.example.com/intentops/api
    newName: ${image%@*}
    digest: ${image#*@}
YAML
kubectl apply -k "$work/release"
if ! kubectl rollout status deployment/intent-api --namespace "$namespace" --timeout=300s; then
  echo "rollout of $image to $environment failed: rolling back" >&2
  kubectl rollout undo deployment/intent-api --namespace "$namespace"
  kubectl rollout status deployment/intent-api --namespace "$namespace" --timeout=300s || true
  exit 1
fi
echo "released $image to $environment ($namespace)"
