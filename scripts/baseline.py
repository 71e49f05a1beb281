#!/usr/bin/env python3
"""Same-run baselines for `intent`: TF-IDF (word 1-2 + char 2-5) + LinearSVC, and fastText, on the same data.

Prints one JSON object per model with the keys `intent evaluate --format json` uses (n, accuracy,
accuracy_exact_string, micro_f1, macro_f1, weighted_f1), label sets compared as sets (`a+b` = `b+a`), so the
figures sit beside intent's. Rows labelled <unknown> (and --unknown-label) are left out of both training and
scoring: these baselines have no rejection, so they are compared on the closed-set task.

  scripts/baseline.py --train TRAIN.tsv --test TEST.tsv           # train on one file, score another
  scripts/baseline.py --train TRAIN.tsv --folds 5 [--fold-seed 7]  # cross-validation, the folds of cv-atis.py

scikit-learn and fasttext-wheel come from PyPI into a virtual environment the script makes under
~/.cache/intentops-baseline on its first run (no network: pass --no-install and have them installed).
"""
import argparse, collections, json, os, subprocess, sys, venv

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(os.path.expanduser("~"), ".cache", "intentops-baseline")
# fasttext-wheel 0.9.2 predicts with NumPy 1 semantics (copy=False).
PACKAGES = ["scikit-learn==1.9.1", "fasttext-wheel==0.9.2", "numpy<2"]


def ensure_environment(install):
    """Re-runs this script inside the virtual environment that has the packages."""
    if os.environ.get("INTENTOPS_BASELINE_VENV") == "1":
        return
    python = os.path.join(VENV, "bin", "python")
    if install and not os.path.exists(os.path.join(VENV, ".ready")):
        print(f"baseline: installing {' '.join(PACKAGES)} into {VENV}", file=sys.stderr)
        venv.create(VENV, with_pip=True)
        subprocess.run([python, "-m", "pip", "install", "-q", *PACKAGES], check=True, stdout=sys.stderr)
        open(os.path.join(VENV, ".ready"), "w").close()
    if os.path.exists(python):
        os.execve(python, [python, *sys.argv], {**os.environ, "INTENTOPS_BASELINE_VENV": "1"})


def read(path, separator, unknown_label):
    rows = []
    for line in open(path, encoding="utf-8-sig"):
        line = line.rstrip("\n").rstrip("\r")
        if not line.strip():
            continue
        text, label = line.split("\t", 1)
        if label in ("<unknown>", unknown_label):
            continue
        # (text, label set as compared, label as written: the folds group by it, as cv-atis.py does)
        rows.append((text, "+".join(sorted(label.split(separator))), label))
    return rows


def folds_of(rows, count, seed):
    """The stratified folds of scripts/cv-atis.py: per label, shuffled with `seed`, dealt round-robin."""
    import random
    by_label = collections.defaultdict(list)
    for row in rows:
        by_label[row[2]].append(row)
    rng = random.Random(seed)
    folds = [[] for _ in range(count)]
    offset = 0
    for label in sorted(by_label):
        items = by_label[label]
        rng.shuffle(items)
        for i, item in enumerate(items):
            folds[(i + offset) % count].append(item)
        offset += len(items)
    return folds


def scores(gold, predicted):
    from sklearn.metrics import f1_score
    n = len(gold)
    right = sum(g == p for g, p in zip(gold, predicted))
    return {"n": n, "accuracy": right / n if n else 0, "accuracy_exact_string": right / n if n else 0,
            "micro_f1": right / n if n else 0,
            "macro_f1": f1_score(gold, predicted, average="macro", labels=sorted(set(gold)), zero_division=0),
            "weighted_f1": f1_score(gold, predicted, average="weighted", zero_division=0)}


def linear_svc(train, test, seed):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC
    features = make_union(TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True),
                          TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True))
    model = make_pipeline(features, LinearSVC(C=1.0, random_state=seed))
    model.fit([row[0] for row in train], [row[1] for row in train])
    return list(model.predict([row[0] for row in test]))


def fasttext_model(train, test, seed, work):
    import fasttext
    path = os.path.join(work, "fasttext-train.txt")
    with open(path, "w", encoding="utf-8") as out:
        for text, label, _ in train:
            out.write(f"__label__{label.replace(' ', '_')} {text.lower()}\n")
    model = fasttext.train_supervised(path, epoch=25, lr=0.5, wordNgrams=2, minn=3, maxn=5, dim=64, seed=seed, thread=1, verbose=0)
    return [model.predict(row[0].lower().replace("\n", " "))[0][0][len("__label__"):] for row in test]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", required=True)
    parser.add_argument("--test")
    parser.add_argument("--folds", type=int, default=0)
    parser.add_argument("--fold-seed", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--label-separator", default="+")
    parser.add_argument("--unknown-label")
    parser.add_argument("--models", default="linear_svc,fasttext")
    parser.add_argument("--no-install", action="store_true")
    args = parser.parse_args()
    ensure_environment(not args.no_install)
    import tempfile
    train = read(args.train, args.label_separator, args.unknown_label)
    splits = []
    if args.test:
        splits.append((train, read(args.test, args.label_separator, args.unknown_label)))
    elif args.folds > 1:
        folds = folds_of(train, args.folds, args.fold_seed)
        splits = [([r for j, f in enumerate(folds) if j != k for r in f], folds[k]) for k in range(args.folds)]
    else:
        parser.error("give --test FILE or --folds K")
    with tempfile.TemporaryDirectory() as work:
        for name in args.models.split(","):
            per_split = []
            for fit, test in splits:
                predicted = linear_svc(fit, test, args.seed) if name == "linear_svc" else fasttext_model(fit, test, args.seed, work)
                per_split.append(scores([row[1] for row in test], predicted))
            result = {"model": name, "splits": per_split,
                      "accuracy": sum(s["accuracy"] for s in per_split) / len(per_split),
                      "macro_f1": sum(s["macro_f1"] for s in per_split) / len(per_split)}
            print(json.dumps(result))


if __name__ == "__main__":
    main()
