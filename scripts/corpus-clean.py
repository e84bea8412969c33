#!/usr/bin/env python3
"""Keeps the guard's corpus honest after new development texts are added: drops development
texts that repeat one already in the corpus, or that are near copies of a test text (most of
their words the same), so that the test part keeps measuring text the guard was not tuned on.
The test part is not printed. Usage: python3 scripts/corpus-clean.py"""

import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parent.parent / "app/src/domain/guard/corpus.tsv"


def words(text):
    return set(re.findall(r"\w+", text.lower()))


lines = CORPUS.read_text(encoding="utf-8").split("\n")
head = [l for l in lines if l.startswith("#")]
rows = [l.split("\t") for l in lines if l and not l.startswith("#")]
test = [words(r[3]) for r in rows if r[0] == "test"]
seen, out, dropped = set(), [], 0
for r in rows:
    key = (r[0], r[3].strip().lower())
    near = r[0] == "dev" and any(
        len(words(r[3]) & t) / max(1, len(words(r[3]) | t)) >= 0.6 for t in test
    )
    if key in seen or near:
        dropped += 1
        continue
    seen.add(key)
    out.append("\t".join(r))
CORPUS.write_text("\n".join(head + out) + "\n", encoding="utf-8")
print(f"dropped {dropped}, kept {len(out)}")
