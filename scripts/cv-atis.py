#!/usr/bin/env python3
"""Stratified 5-fold cross-validation on ATIS train.tsv only (the test split is never read).

Used to choose hyperparameters honestly and to see how much headroom a setting has: each fold trains
`intent train` (release build) on the other four folds plus ood.tsv and evaluates on its own fold with
--threshold 0. Usage: scripts/cv-atis.py [--atis DIR] [--model-kind KIND] [--threads N] [--seed S] [--baseline] [CONFIG.json ...]
('-' or nothing = the kind's defaults)
"""
import argparse, collections, json, os, random, subprocess, sys, tempfile

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--atis", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data", "atis"))
parser.add_argument("--folds", type=int, default=5)
parser.add_argument("--model-kind", default="auto", help="as intent train's (auto: the ensemble on folds of ATIS's size)")
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--seed", type=int, default=1, help="training seed of every fold (the folds themselves stay fixed)")
parser.add_argument("--baseline", action="store_true",
                    help="also print TF-IDF + LinearSVC (scripts/baseline.py) on the same folds, side by side")
parser.add_argument("configs", nargs="*", default=["-"])
args = parser.parse_args()
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
scratch = os.environ.get("SCRATCH", ".build")  # the build folder, as in scripts/bench-api.sh
binary = os.path.join(root, scratch, "release", "intent")
subprocess.run(["swift", "build", "-c", "release", "--scratch-path", scratch, "--product", "intent"], cwd=root, check=True, stdout=sys.stderr)

rows = [line.rstrip("\n") for line in open(os.path.join(args.atis, "train.tsv"), encoding="utf-8") if line.strip()]
by_label = collections.defaultdict(list)
for row in rows:
    by_label[row.split("\t")[1]].append(row)
rng = random.Random(7)
folds = [[] for _ in range(args.folds)]
offset = 0
for label in sorted(by_label):
    items = by_label[label]
    rng.shuffle(items)
    for i, item in enumerate(items):
        folds[(i + offset) % args.folds].append(item)
    offset += len(items)  # rare labels start where the last one stopped, so their rows spread over folds

with tempfile.TemporaryDirectory() as work:
    for config in args.configs:
        accuracies = []
        for k in range(args.folds):
            train, valid, model = (os.path.join(work, name) for name in ("train.tsv", "valid.tsv", "model"))
            with open(train, "w", encoding="utf-8") as out:
                out.write("\n".join(r for j in range(args.folds) if j != k for r in folds[j]) + "\n")
            with open(valid, "w", encoding="utf-8") as out:
                out.write("\n".join(folds[k]) + "\n")
            command = [binary, "train", "--data", train, "--ood", os.path.join(args.atis, "ood.tsv"),
                       "--seed", str(args.seed), "--output", model, "--quiet", "--runs-dir", "none", "--model-kind", args.model_kind, "--threads", str(args.threads)]
            if config != "-":
                command += ["--config", config]
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            report = subprocess.run([binary, "evaluate", "--model", model, "--data", valid, "--threshold", "0",
                                     "--format", "json"], check=True, capture_output=True).stdout
            accuracies.append(json.loads(report)["accuracy"])
        label = "defaults" if config == "-" else open(config).read().strip()
        print(f"{label}: folds {' '.join(f'{a * 100:.2f}' for a in accuracies)}  mean {sum(accuracies) / len(accuracies) * 100:.2f}%")

if args.baseline:
    # The same folds (fold seed 7, labels as written), the same seed.
    out = subprocess.run([sys.executable, os.path.join(root, "scripts", "baseline.py"), "--train", os.path.join(args.atis, "train.tsv"),
                          "--folds", str(args.folds), "--fold-seed", "7", "--seed", str(args.seed), "--models", "linear_svc"],
                         check=True, capture_output=True, text=True).stdout
    for line in out.splitlines():
        result = json.loads(line)
        folds_text = " ".join(f"{s['accuracy'] * 100:.2f}" for s in result["splits"])
        print(f"baseline {result['model']}: folds {folds_text}  mean {result['accuracy'] * 100:.2f}%")
