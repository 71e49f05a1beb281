#!/usr/bin/env bash
# The LSTM's figures on ATIS, with a release build and the lstm-attention defaults
# (KIND=ensemble measures the ensemble of the n-gram model and the LSTM the same way, KIND=auto the
# default kind, which is the ensemble on ATIS):
# test accuracy (label-set match) over 3 seeds, training wall time (--threads 2, this machine's cores),
# out-of-domain AUROC, single-sentence latency in process, and bit-for-bit determinism (seed 1, twice).
# Usage: scripts/bench-lstm.sh [ATIS_DIR]   (default ../shared/data/atis); SEEDS="1 2 3" to change seeds,
# KIND=lstm-attention|ensemble|auto for the model kind; SCRATCH: the build folder (default .build).
set -euo pipefail
cd "$(dirname "$0")/.."
atis=${1:-../shared/data/atis}
for f in train.tsv test.tsv ood.tsv ood_test.tsv; do
  [ -f "$atis/$f" ] || { echo "missing $atis/$f: pass the ATIS directory as the first argument" >&2; exit 2; }
done
scratch=${SCRATCH:-.build}
swift build -c release --scratch-path "$scratch" --product intent >&2
bin=$scratch/release/intent
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seeds=${SEEDS:-1 2 3}
kind=${KIND:-lstm-attention}
echo "== model kind: $kind"

for seed in $seeds; do
  start=$(date +%s.%N)
  "$bin" train --model-kind "$kind" --threads 2 --data "$atis/train.tsv" --ood "$atis/ood.tsv" --seed "$seed" \
    --output "$work/model-$seed" --quiet --runs-dir none
  end=$(date +%s.%N)
  echo "$start $end" > "$work/time-$seed"
  "$bin" evaluate --model "$work/model-$seed" --data "$atis/test.tsv" --ood "$atis/ood_test.tsv" --format json > "$work/eval-$seed.json"
  "$bin" evaluate --model "$work/model-$seed" --data "$atis/test.tsv" --threshold 0 --format json > "$work/eval-raw-$seed.json"
  "$bin" bench --model "$work/model-$seed" --data "$atis/test.tsv" --rounds 3 > "$work/bench-$seed.json"
done
python3 - "$work" $seeds <<'PY'
import json, sys
work, seeds = sys.argv[1], sys.argv[2:]
print(f"{'seed':>4} {'accuracy':>9} {'acc_thr0':>9} {'macro_f1':>9} {'ood_auroc':>9} {'rej@95':>7} {'train_s':>7} {'epochs':>6} {'median_us':>9}")
rows = []
for seed in seeds:
    report = json.load(open(f"{work}/eval-{seed}.json"))
    raw = json.load(open(f"{work}/eval-raw-{seed}.json"))
    bench = json.load(open(f"{work}/bench-{seed}.json"))
    manifest = json.load(open(f"{work}/model-{seed}/manifest.json"))
    start, end = map(float, open(f"{work}/time-{seed}").read().split())
    row = (report["accuracy"], raw["accuracy"], report["macro_f1"], report["ood"]["auroc"], report["ood"]["rejected_at_95_kept"],
           end - start, manifest["metrics"].get("epochs_run", 0), bench["median_us"])
    rows.append(row)
    print(f"{seed:>4} {row[0]:9.4f} {row[1]:9.4f} {row[2]:9.4f} {row[3]:9.4f} {row[4]:7.3f} {row[5]:7.1f} {row[6]:6.0f} {row[7]:9.1f}")
mean = [sum(r[i] for r in rows) / len(rows) for i in range(len(rows[0]))]
print(f"{'mean':>4} {mean[0]:9.4f} {mean[1]:9.4f} {mean[2]:9.4f} {mean[3]:9.4f} {mean[4]:7.3f} {mean[5]:7.1f} {mean[6]:6.1f} {mean[7]:9.1f}")
PY
first=$(echo $seeds | cut -d' ' -f1)
"$bin" train --model-kind "$kind" --threads 1 --data "$atis/train.tsv" --ood "$atis/ood.tsv" --seed "$first" --output "$work/again" --quiet --runs-dir none
same=yes
for file in "$work/model-$first"/*weights.bin; do
  cmp -s "$file" "$work/again/$(basename "$file")" || same=no
done
if [ "$same" = yes ]; then
  echo "== determinism: seed $first with --threads 2 and again with --threads 1: $(cd "$work/again" && echo *weights.bin) identical"
else
  echo "== determinism: seed $first: the weights DIFFER between runs"; exit 1
fi
