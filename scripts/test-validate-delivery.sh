#!/usr/bin/env bash
# Proves that scripts/validate-delivery.sh can fail: on a copy of the delivery files it must pass as is,
# then fail for each deliberately broken file (a Dockerfile, a manifest, a policy breach, a workflow, the
# Cloud Build file, a YAML error, an alert rule, a dashboard naming a metric nobody exports).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fresh() {
  rm -rf "$work/root"
  mkdir -p "$work/root/Sources/App/API" "$work/root/Sources/DeployerCore/Observability"
  cp -r dockerfiles deploy cloudbuild .github .yamllint.yml "$work/root/"
  cp Sources/App/API/APIMetrics*.swift "$work/root/Sources/App/API/"
  cp Sources/DeployerCore/Observability/DeployerMetrics.swift "$work/root/Sources/DeployerCore/Observability/"
}
run() { "$repo/scripts/validate-delivery.sh" "$work/root" > "$work/out" 2>&1; }

fresh
run || { cat "$work/out"; echo "FAIL: the unmodified copy does not validate" >&2; exit 1; }
echo "ok: unmodified copy passes"

failures=0
expect_failure() {
  local what=$1
  if run; then
    echo "FAIL: $what was not caught" >&2
    failures=$((failures + 1))
  else
    echo "ok: caught $what (failed at: $(grep '^== ' "$work/out" | tail -1 | cut -c4-))"
  fi
}

fresh; printf 'RUN apt-get install curl\n' >> "$work/root/dockerfiles/api.dockerfile"
expect_failure "a Dockerfile installing unpinned packages without cleanup (hadolint)"

fresh; sed -i 's/^  replicas: 2$/  replicas: two/' "$work/root/deploy/k8s/base/api-deployment.yaml"
expect_failure "a Deployment with replicas: two (kubernetes-validate)"

fresh; sed -i 's/readOnlyRootFilesystem: true/readOnlyRootFilesystem: false/' "$work/root/deploy/k8s/base/api-deployment.yaml"
expect_failure "a writable root filesystem (policy)"

fresh; python3 - "$work/root/deploy/k8s/base/api-deployment.yaml" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path).read()
text = re.sub(r"          readinessProbe:\n(?:            .*\n)+", "", text, count=1)
open(path, "w").write(text)
PY
expect_failure "an API Deployment without a readiness probe (policy)"

fresh; sed -i 's/^    runs-on: ubuntu-24.04$/    runs-on: 42/' "$work/root/.github/workflows/ci.yml"
expect_failure "a workflow job with runs-on: 42 (vendor.github-workflows)"

fresh; sed -i '0,/^  - id: test$/s//  - id: test\n    nme: typo/' "$work/root/cloudbuild/cloudbuild.yaml"
expect_failure "a Cloud Build step with an unknown key (vendor.cloudbuild)"

fresh; printf 'metadata:\n  name: a\n  name: b\n' >> "$work/root/deploy/k8s/base/api-pdb.yaml"
expect_failure "a duplicated YAML key (yamllint)"

fresh; sed -i 's/expr: rate(intent_request_log_dropped_total\[5m\]) > 0/expr: rate(intent_request_log_dropped_total[5m) > 0/' "$work/root/deploy/k8s/monitoring/rules.yml"
expect_failure "an alert rule that is not PromQL (promtool)"

fresh; sed -i 's/intent_model_info{namespace/intent_model_version{namespace/' "$work/root/deploy/k8s/monitoring/grafana-dashboard.json"
expect_failure "a dashboard naming a metric nobody exports"

[ "$failures" -eq 0 ] || { echo "$failures breakage(s) not caught" >&2; exit 1; }
echo "test-validate-delivery: every breakage was caught"
