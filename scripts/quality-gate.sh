#!/usr/bin/env bash
# The model-quality gate of a release: train with the default hyperparameters and refuse the release
# when held-out accuracy is below the bar (exit 3, from `intent evaluate --min-accuracy`).
#   scripts/quality-gate.sh TRAIN TEST MIN_ACCURACY   your data: train on TRAIN, evaluate on TEST
#   scripts/quality-gate.sh                           ATIS from ../shared/data/atis when present (bar 0.94),
#                                                     else the built-in dataset's held-out validation (bar 0.85)
# Prints the evaluation JSON; the release workflow and Cloud Build keep it as an artifact.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product intent >&2
bin=.build/release/intent
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ $# -ge 2 ]; then
  train=$1 test=$2 bar=${3:-0.95}
elif [ -f ../shared/data/atis/train.tsv ]; then
  train=../shared/data/atis/train.tsv test=../shared/data/atis/test.tsv bar=0.94
else
  train="" test="" bar=0.85
fi
if [ -n "$train" ]; then
  "$bin" train --data "$train" --seed 1 --output "$work/model" --quiet --runs-dir none
  "$bin" evaluate --model "$work/model" --data "$test" --min-accuracy "$bar" --format json
else
  # The built-in dataset: `intent train` holds out a stratified validation split and records its accuracy.
  "$bin" train --seed 1 --output "$work/model" --quiet --runs-dir none
  python3 - "$work/model/manifest.json" "$bar" <<'PY'
import json, sys
accuracy = json.load(open(sys.argv[1]))["metrics"]["validation_accuracy"]
print(json.dumps({"validation_accuracy": accuracy, "min_accuracy": float(sys.argv[2])}))
sys.exit(0 if accuracy >= float(sys.argv[2]) else 3)
PY
fi
