"""Number reading on news-dev: facts precision/recall/F1 against the gold DOC.facts.jsonl files.

    python bench/news_dev_numbers_check.py [DOCS_DIR] [-v]

DOCS_DIR defaults to ../shared/data/news-dev/docs (kept outside the repository). A found fact matches a
gold one when the values agree within 0.5 % and the units are equal, or the text writes no counter (the
tool's unit is "" where the annotator supplied one), or the gold unit contains the found one (公里/小时
and 个月 for 公里 and 月). Facts are matched one to one in text order (the longest order-preserving matching). Group labels
such as 十大, 四大类 are ignored on both sides, as ANNOTATION.md says. This checks the numbers only (value
and unit), not metric, year or region; the official scorer is bench/news_dev_facts.py.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import regex

DEFAULT = Path(__file__).resolve().parents[3] / "shared" / "data" / "news-dev" / "docs"
_GROUP_LABEL = regex.compile(r"^[一二三四五六七八九十两\d]+大")


def _compatible(found, gold: dict) -> bool:
    value = gold["value"]
    if abs(found.value - value) > 0.005 * abs(value) + 1e-9:
        return False
    if found.unit == gold["unit"]:
        return True
    if found.unit == "":
        return not gold["text"].endswith(gold["unit"])
    return found.unit in gold["unit"]


def _aligned(found: list, gold: list[dict]) -> int:
    """The size of the largest one-to-one matching that keeps both lists in text order."""
    rows = [[0] * (len(gold) + 1) for _ in range(len(found) + 1)]
    for i in range(1, len(found) + 1):
        for j in range(1, len(gold) + 1):
            best = max(rows[i - 1][j], rows[i][j - 1])
            if _compatible(found[i - 1], gold[j - 1]):
                best = max(best, rows[i - 1][j - 1] + 1)
            rows[i][j] = best
    return rows[-1][-1]


def evaluate(docs: Path, verbose: bool = False) -> tuple[int, int, int]:
    from jiegui.corpus import load_corpus
    from jiegui.analyses.facts import extract_facts

    tp = n_found = n_gold = 0
    for path in sorted(docs.glob("*.txt")):
        gold_path = path.with_suffix(".facts.jsonl")
        if not gold_path.exists():
            continue
        gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
        gold = [g for g in gold if not _GROUP_LABEL.match(g["text"]) and isinstance(g.get("value"), (int, float))]
        documents = load_corpus(str(path), use_cache=True)
        found = [f for f in extract_facts(documents) if not _GROUP_LABEL.match(f.text)]
        matched = _aligned(found, gold)
        tp += matched
        n_found += len(found)
        n_gold += len(gold)
        if verbose:
            gold_keys = [(g["text"], g["value"], g["unit"]) for g in gold]
            found_keys = [(f.text, f.value, f.unit) for f in found]
            print(f"{path.stem}: {matched}/{len(gold)} gold, {len(found)} found")
            for key in found_keys:
                if key not in gold_keys:
                    print("   found only:", key)
            for key in gold_keys:
                if key not in found_keys:
                    print("   gold only: ", key)
    return tp, n_found, n_gold


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "-v"]
    docs = Path(args[0]) if args else DEFAULT
    started = time.perf_counter()
    tp, n_found, n_gold = evaluate(docs, verbose="-v" in sys.argv)
    p = tp / n_found if n_found else 1.0
    r = tp / n_gold if n_gold else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"news-dev numbers: {tp} matched, {n_found} found, {n_gold} gold; precision {p:.3f}, recall {r:.3f}, "
          f"F1 {f1:.3f} ({time.perf_counter() - started:.1f} s)")
