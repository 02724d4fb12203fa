"""Entities against the annotated news sample: precision, recall and F1 by type, distinct names per document.

    python bench/news_dev_entities.py ../shared/data/news-dev/docs [--errors]

The folder holds DOC.txt with DOC.entities.json beside it (annotated by ../shared/data/news-dev/ANNOTATION.md;
evaluation only: never copy it into the repository). Each file is loaded as `jiegui entities` loads it
(cleaning, articles, the packaged segmenter) and its rows are compared with the gold lists, as sets of
distinct names per document and type. A row matches a gold entity of its type when its name or one of its
surfaces (aliases) is that entity's name or one of the document's gold aliases for it: 四川省 shown as 四川,
沪 for 上海. Rows that match no gold entity count once each under their name.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

TYPES = ("PERSON", "PLACE", "ORG")


def gold_sets(path: Path) -> tuple[dict[str, set[str]], dict[str, str]]:
    gold = json.loads(path.read_text(encoding="utf-8"))
    return {t: set(gold.get(t, [])) for t in TYPES}, gold.get("aliases", {})


def predicted_sets(rows, gold: dict[str, set[str]], aliases: dict[str, str]) -> dict[str, set[str]]:
    """Each row folded to the gold entity one of its names stands for, else kept under its own name."""
    found: dict[str, set[str]] = {t: set() for t in TYPES}
    for row in rows:
        names = (row.name, *row.aliases)
        folded = [aliases.get(n, n) for n in names]
        hit = next((n for n in folded if n in gold[row.type]), None)
        found[row.type].add(hit if hit is not None else folded[0])
    return found


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--errors", action="store_true", help="print the false positives and misses by type")
    args = parser.parse_args()

    from jiegui.corpus import load_corpus
    from jiegui.analyses.entities import extract_entities

    texts = sorted(p for p in args.folder.glob("*.txt") if p.with_suffix(".entities.json").is_file())
    if not texts:
        sys.exit(f"no DOC.txt with DOC.entities.json in {args.folder}")
    tp, fp, fn = Counter(), Counter(), Counter()
    spurious: dict[str, Counter] = {t: Counter() for t in TYPES}
    missed: dict[str, Counter] = {t: Counter() for t in TYPES}
    seconds = 0.0
    for path in texts:
        gold, aliases = gold_sets(path.with_suffix(".entities.json"))
        documents = load_corpus(path)
        started = time.perf_counter()
        rows = extract_entities(documents)
        seconds += time.perf_counter() - started
        found = predicted_sets(rows, gold, aliases)
        for t in TYPES:
            tp[t] += len(found[t] & gold[t])
            fp[t] += len(found[t] - gold[t])
            fn[t] += len(gold[t] - found[t])
            spurious[t].update(f"{n} ({path.stem})" for n in found[t] - gold[t])
            missed[t].update(f"{n} ({path.stem})" for n in gold[t] - found[t])
    print(f"news-dev entities: {len(texts)} documents, {sum(tp.values()) + sum(fn.values())} gold entities "
          f"(distinct names per document and type)")
    print(f"{'type':8} {'gold':>5} {'found':>6}   {'P':>6} {'R':>6} {'F1':>6}")
    for t in (*TYPES, "micro"):
        a, b, c = (sum(x.values()) for x in (tp, fp, fn)) if t == "micro" else (tp[t], fp[t], fn[t])
        p, r, f = prf(a, b, c)
        print(f"{t:8} {a + c:5d} {a + b:6d}   {p:6.3f} {r:6.3f} {f:6.3f}")
    print(f"time: {seconds:.2f} s in extract_entities (segmentation not included)")
    if args.errors:
        for t in TYPES:
            print(f"\n{t} false positives ({sum(spurious[t].values())}): " + "  ".join(sorted(spurious[t])))
            print(f"\n{t} missed ({sum(missed[t].values())}): " + "  ".join(sorted(missed[t])))


if __name__ == "__main__":
    main()
