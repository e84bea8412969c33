#!/usr/bin/env python3
"""Trains the sensitive-text guard's learned component on the development part of its corpus.

The guard's rules (app/src/domain/guard/) know words and who does what to whom; this model learns
from the development texts how weaker signals add up where no rule fires: the words around
sensitive ones ("kom hjem og gråt", "again", "visst") and the rules' own evidence (which kinds of
word the lexicon found and which met in one sentence, "DISTRESS+SCHOOL", "NEGATIVE+PERSON").
The guard computes the features itself (app/src/domain/guard/model.rs; this script gets them
from `cargo run -p guard-wasm --bin guard-features`), so training and checking cannot disagree.
It is a logistic regression per category, trained with L2 regularisation by plain gradient
descent, then cut to its strongest features and trained again on those, so that the file stays
small.

The guard flags a category when its rules find it, or when this model's probability passes the
category's threshold. Each threshold is chosen from out-of-fold predictions on the development
part (five folds): the lowest that raises false alarms on practical texts by at most 1% in
every language. The test part of the corpus is never read.

Standard library only (no numpy on the build machines). Deterministic: the same corpus gives the
same file. Usage: python3 scripts/train-guard.py [--report]
"""

import math
import random
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "app/src/domain/guard/corpus.tsv"
MODEL = ROOT / "public/guard/model.tsv"
CATEGORIES = ["health", "bullying", "other_child"]
LANGUAGES = ["nb", "nn", "en"]
MIN_TEXTS = 2  # a feature seen in one text only is that text, not the language
KEEP = 350  # features per category in the file
EPOCHS = 60
RATE = 0.5
L2 = 1e-3
EXTRA_FALSE_ALARMS = 0.01


def load():
    """The development part's features, from the guard itself."""
    out = subprocess.run(
        ["cargo", "run", "-q", "--release", "-p", "guard-wasm", "--bin", "guard-features"],
        cwd=ROOT, check=True, capture_output=True, text=True,
    ).stdout
    rows = []
    for line in out.splitlines():
        lang, labels, *features = line.split("\t")
        rows.append((lang, set(l for l in labels.split(",") if l in CATEGORIES), set(features)))
    return rows


def train(rows, vocab, category):
    """Logistic regression by full-batch gradient descent: deterministic and small enough."""
    index = {f: i for i, f in enumerate(vocab)}
    xs = [[index[f] for f in fs if f in index] for fs, _ in rows]
    ys = [1.0 if category in labels else 0.0 for _, labels in rows]
    positives = sum(ys) or 1.0
    # Positives are rarer than the rest: weigh them up so both count alike.
    weight_pos = (len(ys) - positives) / positives
    w = [0.0] * len(vocab)
    b = 0.0
    for _ in range(EPOCHS * 4):
        grad = [0.0] * len(vocab)
        gb = 0.0
        for x, y in zip(xs, ys):
            z = b + sum(w[i] for i in x)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = (p - y) * (weight_pos if y else 1.0)
            gb += g
            for i in x:
                grad[i] += g
        n = len(xs)
        for i in range(len(w)):
            w[i] -= RATE * (grad[i] / n + L2 * w[i])
        b -= RATE * gb / n
    return dict(zip(vocab, w)), b


def probability(weights, bias, fs):
    z = bias + sum(weights.get(f, 0.0) for f in fs)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def vocabulary(rows):
    counts = Counter(f for fs, _ in rows for f in fs)
    return sorted(f for f, n in counts.items() if n >= MIN_TEXTS)


def fit(rows, category):
    """Train on all features, keep the strongest, train again on those."""
    weights, _ = train(rows, vocabulary(rows), category)
    strongest = sorted(weights, key=lambda f: (-abs(weights[f]), f))[:KEEP]
    return train(rows, sorted(strongest), category)


def main():
    dev = load()
    rows = [(features, labels) for _, labels, features in dev]
    langs = [lang for lang, _, _ in dev]
    random.seed(18)
    folds = [random.randrange(5) for _ in rows]
    out_of_fold = {c: [0.0] * len(rows) for c in CATEGORIES}
    for k in range(5):
        train_rows = [r for r, f in zip(rows, folds) if f != k]
        for c in CATEGORIES:
            weights, bias = fit(train_rows, c)
            for i, (fs, _) in enumerate(rows):
                if folds[i] == k:
                    out_of_fold[c][i] = probability(weights, bias, fs)
    practical = [i for i, (_, labels) in enumerate(rows) if not labels]
    thresholds = {}
    for c in CATEGORIES:
        # The lowest threshold at which the model alone flags at most 1% of each language's
        # practical texts out of fold (the rules' own false alarms come on top).
        best = 1.0
        for t in [x / 100 for x in range(99, 49, -1)]:
            ok = True
            for lang in LANGUAGES:
                mine = [i for i in practical if langs[i] == lang]
                flagged = sum(1 for i in mine if out_of_fold[c][i] >= t)
                if mine and flagged / len(mine) > EXTRA_FALSE_ALARMS:
                    ok = False
            if not ok:
                break
            best = t
        thresholds[c] = best
        caught = sum(
            1 for i, (_, labels) in enumerate(rows) if c in labels and out_of_fold[c][i] >= best
        )
        labelled = sum(1 for _, labels in rows if c in labels)
        print(f"{c:<12} threshold {best:.2f}: out of fold, the model alone catches {caught}/{labelled}")
    models = {c: fit(rows, c) for c in CATEGORIES}
    table = defaultdict(lambda: [0.0] * len(CATEGORIES))
    for j, c in enumerate(CATEGORIES):
        for f, w in models[c][0].items():
            table[f][j] = w
    lines = [
        "# The guard's learned component, written by scripts/train-guard.py from the development",
        "# part of corpus.tsv: do not edit. Per category: bias, threshold, and per feature its weight",
        "# (w: a word, p:/s: its first/last five letters, b: two words in a row, t: a kind of word",
        "# the lexicon found, c: two kinds in one sentence).",
        "bias\t" + "\t".join(f"{models[c][1]:.4f}" for c in CATEGORIES),
        "threshold\t" + "\t".join(f"{thresholds[c]:.2f}" for c in CATEGORIES),
    ]
    # Three development texts with the probabilities this script gives them: the guard must give
    # the same (model.rs's tests), or the weights were read wrong.
    texts = [l.split("\t", 3)[3] for l in CORPUS.read_text(encoding="utf-8").splitlines()
             if l.startswith("dev\t")]
    for k in [0, len(dev) // 2, len(dev) - 1]:
        ps = [probability(*models[c], rows[k][0]) for c in CATEGORIES]
        lines.append("check\t" + "\t".join(f"{p:.4f}" for p in ps) + "\t" + texts[k])
    for f in sorted(table):
        ws = table[f]
        lines.append(f + "\t" + "\t".join(f"{w:.3f}" if abs(w) >= 0.0005 else "0" for w in ws))
    MODEL.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {MODEL.relative_to(ROOT)}: {len(table)} features, {MODEL.stat().st_size} bytes")
    if "--report" in sys.argv:
        for j, c in enumerate(CATEGORIES):
            top = sorted(table, key=lambda f: -table[f][j])[:25]
            print(f"\n{c}: strongest for\n  " + ", ".join(f"{f} {table[f][j]:.2f}" for f in top))
            low = sorted(table, key=lambda f: table[f][j])[:12]
            print(f"{c}: strongest against\n  " + ", ".join(f"{f} {table[f][j]:.2f}" for f in low))


if __name__ == "__main__":
    main()
