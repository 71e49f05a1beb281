#!/usr/bin/env bash
# Tuning's figures: a 32-trial tuning study of the n-gram model on ATIS train (validation carved
# from train; the test split is not read), its wall time, the best trial against the defaults (trial 0)
# on validation, and the same study again to show that the same seed gives the same trials and results.
# Usage: scripts/bench-tune.sh [ATIS_DIR]   (default ../shared/data/atis)
set -euo pipefail
cd "$(dirname "$0")/.."
atis=${1:-../shared/data/atis}
[ -f "$atis/train.tsv" ] || { echo "missing $atis/train.tsv: pass the ATIS directory as the first argument" >&2; exit 2; }
swift build -c release --product intent >&2
bin=$PWD/.build/release/intent
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/space.json" <<'JSON'
{"learning_rate": {"log_uniform": [0.1, 1.0]}, "dimension": {"choice": [32, 64, 100]},
 "char_ngram_max": {"int_uniform": [4, 6]}, "class_weight_exponent": {"uniform": [0, 1]},
 "feature_weighting": {"uniform": [0, 16]}, "epochs": {"int_uniform": [15, 40]}}
JSON
for attempt in 1 2; do
  start=$(date +%s.%N)
  "$bin" tune --model-kind ngram --data "$atis/train.tsv" --ood "$atis/ood.tsv" --space "$work/space.json" --trials 32 --parallel 2 --seed 7 \
    --output "$work/study-$attempt" --runs-dir none --quiet > "$work/table-$attempt.txt" 2> "$work/log-$attempt.txt"
  end=$(date +%s.%N)
  echo "== study $attempt: $(python3 -c "print(f'{$end - $start:.1f} s wall')"); $(tail -1 "$work/log-$attempt.txt")"
done
cat "$work/table-1.txt"
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
studies = [json.load(open(f"{work}/study-{n}/study.json")) for n in (1, 2)]
def signature(study):
    return [(t["trial"], json.dumps(t["values"], sort_keys=True), [(r["epochs"], r["validation_accuracy"]) for r in t["rungs"]]) for t in study["trials"]]
same = signature(studies[0]) == signature(studies[1])
trials = {t["trial"]: t for t in studies[0]["trials"]}
best, defaults = trials[studies[0]["best_trial"]], trials[0]
print(f"== best trial {best['trial']}: validation accuracy {best['rungs'][-1]['validation_accuracy']:.4f}; "
      f"defaults (trial 0): {defaults['rungs'][-1]['validation_accuracy']:.4f}")
print(f"== same seed twice: {'the same trials, values and accuracies' if same else 'DIFFERENT results'}")
sys.exit(0 if same else 1)
PY
