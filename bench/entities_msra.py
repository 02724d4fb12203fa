"""Entity recognition against human annotation: exact-span precision, recall and F1 per type.

    python bench/entities_msra.py ../shared/data/msra-ner-dev [--errors N]

The folder holds `dev.jsonl` (sentences of the MSRA NER test set, evaluation only: never copy it into the
repository). Each sentence goes through what `jiegui entities --mentions` runs on a document (the
packaged segmenter, then `jiegui.analyses.entities.text_spans`), side by side with plain jieba.posseg (nr/nrfg →
PERSON, ns → PLACE, nt → ORG). A predicted mention counts only if its start, end and type all match.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections import Counter
from pathlib import Path

TYPES = ("PERSON", "PLACE", "ORG")
JIEBA_TYPES = {"nr": "PERSON", "nrfg": "PERSON", "ns": "PLACE", "nt": "ORG"}


def load(folder: Path) -> list[dict]:
    path = folder / "dev.jsonl"
    if not path.is_file():
        sys.exit(f"no dev.jsonl in {folder}: pass the msra-ner-dev folder")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def scores(gold: list[set], predicted: list[set]) -> dict[str, tuple[float, float, float, int]]:
    tp, fp, fn = Counter(), Counter(), Counter()
    for g, p in zip(gold, predicted):
        for span in p:
            (tp if span in g else fp)[span[2]] += 1
        for span in g - p:
            fn[span[2]] += 1
    table = {}
    for t in (*TYPES, "micro"):
        a, b, c = (sum(x.values()) for x in (tp, fp, fn)) if t == "micro" else (tp[t], fp[t], fn[t])
        precision = a / (a + b) if a + b else 0.0
        recall = a / (a + c) if a + c else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[t] = (precision, recall, f1, a + c)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--errors", type=int, default=0, help="print N missed and N spurious jiegui mentions per type")
    args = parser.parse_args()

    import jieba
    import jieba.posseg

    from jiegui.analyses.entities import text_spans
    from jiegui.analyses.regions import load_gazetteer
    from jiegui.text.segment import Segmenter

    jieba.setLogLevel(logging.WARNING)
    rows = load(args.folder)
    gold = [{(e["start"], e["end"], e["type"]) for e in row["entities"]} for row in rows]

    plain = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    started = time.perf_counter()
    baseline = []
    for row in rows:
        spans, cursor = set(), 0
        for pair in plain.cut(row["text"]):
            start = row["text"].find(pair.word, cursor)
            cursor = start + len(pair.word)
            if pair.flag in JIEBA_TYPES:
                spans.add((start, cursor, JIEBA_TYPES[pair.flag]))
        baseline.append(spans)
    baseline_seconds = time.perf_counter() - started

    segmenter, gazetteer = Segmenter(), load_gazetteer()
    segmenter.tokenize("预热")
    started = time.perf_counter()
    ours = []
    for row in rows:
        tokens = segmenter.tokenize(row["text"])
        ours.append({(s.start, s.end, s.type.value) for s in text_spans(row["text"], tokens, gazetteer=gazetteer)})
    our_seconds = time.perf_counter() - started

    ours_table, base_table = scores(gold, ours), scores(gold, baseline)
    print(f"MSRA NER sample: {len(rows)} sentences, {sum(len(g) for g in gold)} gold mentions (exact span + type)")
    print(f"{'type':8} {'gold':>5}   {'jiegui P':>8} {'R':>6} {'F1':>6}   {'jieba P':>8} {'R':>6} {'F1':>6}")
    for t in (*TYPES, "micro"):
        p, r, f, n = ours_table[t]
        bp, br, bf, _ = base_table[t]
        print(f"{t:8} {n:5d}   {p:8.3f} {r:6.3f} {f:6.3f}   {bp:8.3f} {br:6.3f} {bf:6.3f}")
    print(f"time: jiegui {our_seconds:.1f} s (segmentation included), jieba.posseg {baseline_seconds:.1f} s")

    if args.errors:
        for t in TYPES:
            missed, spurious = Counter(), Counter()
            for row, g, p in zip(rows, gold, ours):
                missed.update(row["text"][s:e] for s, e, ty in g - p if ty == t)
                spurious.update(row["text"][s:e] for s, e, ty in p - g if ty == t)
            print(f"\n{t} missed:   " + " ".join(f"{w}×{n}" for w, n in missed.most_common(args.errors)))
            print(f"{t} spurious: " + " ".join(f"{w}×{n}" for w, n in spurious.most_common(args.errors)))


if __name__ == "__main__":
    main()
