#!/usr/bin/env bash
# Validates every delivery file with the tool made for it, offline:
#   hadolint            dockerfiles/*.dockerfile
#   kubectl kustomize   every kustomization under deploy/k8s, piped into kubernetes-validate --strict,
#                       then checked for what the API and jobs must have (probes, non-root, read-only root
#                       filesystem, no privilege escalation, resources)
#   check-jsonschema    .github/workflows/*.yml (vendor.github-workflows), cloudbuild/cloudbuild.yaml (vendor.cloudbuild)
#   yamllint            all of the YAML above (.yamllint.yml)
#   promtool            check rules and check config of deploy/k8s/monitoring
#   the dashboard       parsed, and every metric it or the alert rules name is one the services export
#                       (the `# TYPE` lines written by Sources/App/API/APIMetrics.swift and
#                       Sources/DeployerCore/Observability/DeployerMetrics.swift)
# Usage: scripts/validate-delivery.sh [ROOT]   (default: this repository). Exit 1 on the first failure.
set -euo pipefail
root=$(cd "${1:-$(dirname "$0")/..}" && pwd)
cd "$root"
for tool in hadolint kubectl kubernetes-validate check-jsonschema yamllint promtool python3; do
  command -v "$tool" >/dev/null || { echo "validate-delivery: $tool is not installed (see .ci/run)" >&2; exit 2; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
step() { echo "== $*"; }

step "hadolint"
shopt -s nullglob
dockerfiles=(dockerfiles/*.dockerfile)
[ ${#dockerfiles[@]} -ge 5 ] || { echo "expected base, train, predict, api and deployer dockerfiles" >&2; exit 1; }
hadolint "${dockerfiles[@]}"

step "kustomize + kubernetes-validate"
kustomizations=$(find deploy/k8s -name kustomization.yaml -exec dirname {} \; | sort)
[ -n "$kustomizations" ] || { echo "no kustomizations under deploy/k8s" >&2; exit 1; }
for dir in $kustomizations; do
  out="$work/$(echo "$dir" | tr / _).yaml"
  kubectl kustomize "$dir" > "$out"
  kubernetes-validate --strict --quiet "$out"
  echo "$dir: $(grep -c '^kind:' "$out") objects valid"
done
python3 - "$work" <<'PY'
import glob, sys, yaml
problems = []
for path in sorted(glob.glob(sys.argv[1] + "/*.yaml")):
    for doc in yaml.safe_load_all(open(path)):
        if not doc or doc.get("kind") not in ("Deployment", "Job"):
            continue
        name = f"{doc['kind']}/{doc['metadata']['name']}"
        pod = doc["spec"]["template"]["spec"]
        if not pod.get("securityContext", {}).get("runAsNonRoot"):
            problems.append(f"{name}: pod securityContext.runAsNonRoot is not true")
        for container in pod["containers"]:
            where = f"{name} container {container['name']}"
            security = container.get("securityContext", {})
            if security.get("allowPrivilegeEscalation") is not False:
                problems.append(f"{where}: allowPrivilegeEscalation must be false")
            if security.get("readOnlyRootFilesystem") is not True:
                problems.append(f"{where}: readOnlyRootFilesystem must be true")
            resources = container.get("resources", {})
            if not resources.get("requests") or not resources.get("limits"):
                problems.append(f"{where}: resource requests and limits are required")
            if doc["kind"] == "Deployment":
                for probe in ("readinessProbe", "livenessProbe"):
                    if probe not in container:
                        problems.append(f"{where}: {probe} is missing")
for problem in problems:
    print("policy:", problem, file=sys.stderr)
sys.exit(1 if problems else 0)
PY
echo "policy: probes, non-root, read-only root, no privilege escalation, resources: ok"

step "check-jsonschema"
workflows=(.github/workflows/*.yml)
[ ${#workflows[@]} -ge 2 ] || { echo "expected ci.yml and release.yml" >&2; exit 1; }
check-jsonschema --builtin-schema vendor.github-workflows "${workflows[@]}"
check-jsonschema --builtin-schema vendor.cloudbuild cloudbuild/cloudbuild.yaml

step "yamllint"
yamllint --strict -c .yamllint.yml .github/workflows deploy cloudbuild

step "promtool"
promtool check rules deploy/k8s/monitoring/rules.yml
promtool check config deploy/k8s/monitoring/prometheus.yml

step "dashboard and rules name only exported metrics"
python3 - <<'PY'
import glob, json, re, sys, yaml
exported = {}
# Every metric family is declared with PrometheusText.family("name", help: ..., kind: .type[, value: ...]).
for source in glob.glob("Sources/App/API/APIMetrics*.swift") + ["Sources/DeployerCore/Observability/DeployerMetrics.swift"]:
    for name, kind in re.findall(r'family\(\s*"([a-z_:]+)",\s*help:.*?kind:\s*\.(counter|gauge|histogram)\b', open(source).read(), re.S):
        exported[name] = kind
if not exported:
    sys.exit("no exported metrics found in the sources")
def known(name):
    if name in exported:
        return True
    base = re.sub(r"_(bucket|sum|count)$", "", name)
    return exported.get(base) == "histogram"
dashboard = json.load(open("deploy/k8s/monitoring/grafana-dashboard.json"))
expressions = [("dashboard: " + panel["title"], target["expr"]) for panel in dashboard["panels"] for target in panel["targets"]]
for group in yaml.safe_load(open("deploy/k8s/monitoring/rules.yml"))["groups"]:
    expressions += [("rule " + rule["alert"], rule["expr"]) for rule in group["rules"]]
unknown = []
for where, expr in expressions:
    for name in re.findall(r"\b((?:intent|deployer)_[a-z_]+)\b", expr):
        if not known(name):
            unknown.append(f"{where}: {name} is not exported")
for line in unknown:
    print(line, file=sys.stderr)
if unknown:
    sys.exit(1)
print(f"{len(expressions)} expressions name only exported metrics ({len(exported)} exported)")
PY
echo "validate-delivery: all passed"
