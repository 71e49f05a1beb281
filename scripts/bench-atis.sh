#!/usr/bin/env bash
# The n-gram model's figures on ATIS (--model-kind ngram; `--model-kind auto`, the default, trains the
# ensemble on data this size: KIND=auto scripts/bench-lstm.sh), with a release build and its default hyperparameters:
# test accuracy (label-set match) over 3 seeds, out-of-domain AUROC and rejection, training wall time,
# in-process single-sentence latency, `intent predict` throughput, and bit-for-bit determinism.
# Usage: scripts/bench-atis.sh [ATIS_DIR]   (default ../shared/data/atis; SCRATCH: the build folder, default .build)
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
now() { date +%s.%N; }

echo "== accuracy and out-of-domain detection (train + ood.tsv -> test + ood_test.tsv)"
for seed in 1 2 3; do
  start=$(now)
  "$bin" train --model-kind ngram --data "$atis/train.tsv" --ood "$atis/ood.tsv" --seed "$seed" --output "$work/model-$seed" --quiet --runs-dir none
  end=$(now)
  echo "$start $end" > "$work/time-$seed"
  "$bin" evaluate --model "$work/model-$seed" --data "$atis/test.tsv" --ood "$atis/ood_test.tsv" --format json > "$work/eval-$seed.json"
  # The same model without its <unknown> threshold: what the threshold costs on in-domain test data.
  "$bin" evaluate --model "$work/model-$seed" --data "$atis/test.tsv" --threshold 0 --format json > "$work/eval-raw-$seed.json"
done
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
rows = []
for seed in (1, 2, 3):
    report = json.load(open(f"{work}/eval-{seed}.json"))
    start, end = map(float, open(f"{work}/time-{seed}").read().split())
    raw = json.load(open(f"{work}/eval-raw-{seed}.json"))
    rows.append((seed, report["accuracy"], report["accuracy_exact_string"], report["macro_f1"],
                 report["ood"]["auroc"], report["ood"]["rejected_at_95_kept"], end - start,
                 report["predicted_unknown"], raw["accuracy"]))
print(f"{'seed':>4} {'accuracy':>9} {'exact_str':>9} {'macro_f1':>9} {'ood_auroc':>9} {'rej@95':>7} {'train_s':>7} {'unknown':>7} {'acc_thr0':>9}")
for r in rows:
    print(f"{r[0]:>4} {r[1]*100:>8.2f}% {r[2]*100:>8.2f}% {r[3]:>9.4f} {r[4]:>9.4f} {r[5]*100:>6.1f}% {r[6]:>7.2f} {r[7]:>7} {r[8]*100:>8.2f}%")
mean = lambda i: sum(r[i] for r in rows) / len(rows)
print(f"mean {mean(1)*100:>8.2f}% {mean(2)*100:>8.2f}% {mean(3):>9.4f} {mean(4):>9.4f} {mean(5)*100:>6.1f}% {mean(6):>7.2f} {mean(7):>7.1f} {mean(8)*100:>8.2f}%")
print("accuracy: label-set match with the calibrated <unknown> threshold; acc_thr0: the same model with --threshold 0;")
print("unknown: in-domain test sentences answered <unknown>; rej@95: share of ood_test rejected when 95% of test is kept")
PY

echo "== training without --ood (train.tsv only), seed 1"
start=$(now)
"$bin" train --model-kind ngram --data "$atis/train.tsv" --seed 1 --output "$work/model-plain" --quiet --runs-dir none
end=$(now)
"$bin" evaluate --model "$work/model-plain" --data "$atis/test.tsv" --ood "$atis/ood_test.tsv" --format json > "$work/eval-plain.json"
python3 -c "import json,sys; r=json.load(open(sys.argv[1])); print(f\"accuracy {r['accuracy']*100:.2f}%  ood_auroc {r['ood']['auroc']:.4f}  rejected@95 {r['ood']['rejected_at_95_kept']*100:.1f}%  train {float(sys.argv[3])-float(sys.argv[2]):.2f} s\")" "$work/eval-plain.json" "$start" "$end"

echo "== determinism: seed 1, one thread, twice"
"$bin" train --model-kind ngram --data "$atis/train.tsv" --ood "$atis/ood.tsv" --seed 1 --output "$work/model-1-again" --quiet --runs-dir none
if cmp -s "$work/model-1/weights.bin" "$work/model-1-again/weights.bin" && cmp -s "$work/model-1/vocabulary.txt" "$work/model-1-again/vocabulary.txt"; then
  echo "weights.bin and vocabulary.txt identical ($(sha256sum < "$work/model-1/weights.bin" | cut -c1-16))"
else
  echo "DIFFERENT weights for the same seed" >&2; exit 1
fi
diff <(grep -v created_at "$work/model-1/manifest.json") <(grep -v created_at "$work/model-1-again/manifest.json") >/dev/null \
  && echo "manifest.json identical but for created_at"

echo "== single-sentence latency in process (ATIS test sentences)"
"$bin" bench --model "$work/model-1" --data "$atis/test.tsv" --rounds 50

echo "== intent predict throughput (ATIS test sentences repeated to 1,000,000 lines)"
cut -f1 "$atis/test.tsv" > "$work/one.txt"
: > "$work/big.txt"
for _ in $(seq 1 1177); do cat "$work/one.txt"; done | head -n 1000000 > "$work/big.txt"
lines=$(wc -l < "$work/big.txt")
start=$(now)
"$bin" predict --model "$work/model-1" --input "$work/big.txt" --output "$work/big.jsonl"
end=$(now)
out=$(wc -l < "$work/big.jsonl")
python3 -c "import sys; n=int(sys.argv[1]); s=float(sys.argv[3])-float(sys.argv[2]); print(f'{n} sentences in {s:.2f} s: {n/s:,.0f} sentences/s (output rows: {sys.argv[4]})')" "$lines" "$start" "$end" "$out"
