"""Precision and recall of quantity extraction on hand-checked corpus sentences, and the speed of facts.

    python bench/facts_eval.py

bench/facts_sample.jsonl: 98 sentences drawn at random from the bundled corpus (44 with seed 3, then 30 and
26 more, the last 26 among sentences with a digit or a numeral before a measure word), none of them used in
the unit tests, each with the facts a reader finds in it (surface, value in the base unit, unit, and
value_max for a range), checked by hand: 74 facts. A found fact is correct when surface, value, value_max
and unit all match an annotated one (counted as a multiset: a sentence may state `3家` twice).
"""
from __future__ import annotations

import json
import platform
import time
from collections import Counter
from pathlib import Path

from jiegui.analyses.numbers import find_quantities

SAMPLE = Path(__file__).with_name("facts_sample.jsonl")


def evaluate() -> tuple[int, int, int]:
    tp = fp = fn = 0
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        gold = Counter((f["text"], f["value"], f.get("value_max"), f["unit"]) for f in row["facts"])
        found = Counter((m.text, m.quantity.value, m.quantity.value_max, m.quantity.unit)
                        for m in find_quantities(row["sentence"]))
        tp += sum((gold & found).values())
        fp += sum((found - gold).values())
        fn += sum((gold - found).values())
        for miss in sorted(gold - found, key=str):
            print("  missed:", miss, "|", row["sentence"][:60])
        for extra in sorted(found - gold, key=str):
            print("  wrong: ", extra, "|", row["sentence"][:60])
    return tp, fp, fn


def evaluate_regions(sample: Path, documents, facts) -> tuple[int, int]:
    """(correct, total) owners on a region sample: facts drawn at random from the corpus's own output,
    each with the regions a reader accepts as its owner (two where the text allows both); a fact's region
    counts as printed or by its full name."""
    def key(doc: str, sentence: str, text: str) -> tuple[str, str, str]:
        # without spaces: cleaning that closes a PDF's `2 .2 %` must not lose the fact's label
        return doc, sentence.replace(" ", ""), text.replace(" ", "")

    by_key: dict[tuple, list] = {}
    for fact in facts:
        by_key.setdefault(key(fact.doc, fact.sentence, fact.text), []).append(fact)
    correct = total = 0
    for line in sample.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        total += 1
        found = by_key.get(key(row["doc"], row["sentence"], row["text"]), [])
        fact = found[row["occurrence"]] if row["occurrence"] < len(found) else None
        # The place printed (长三角) or its full name (长江三角洲, the last of region_path): the same place.
        if fact is not None and (fact.region in row["region"] or fact.region_path[-1:] and fact.region_path[-1] in row["region"]):
            correct += 1
        else:
            got = "not found" if fact is None else fact.region
            print(f"  region: {row['text']} -> {got}, expected {'/'.join(row['region'])} | {row['sentence'][:50]}")
    return correct, total


def speed() -> None:
    try:
        from jiegui.corpus import load_corpus
        from jiegui.analyses.facts import extract_facts
        from jiegui.analyses.regions import load_gazetteer

        documents = load_corpus()  # warms the cache
        load_gazetteer()
    except Exception as exc:  # noqa: BLE001 - the benchmark reports what it could not measure
        print(f"speed: not measured ({type(exc).__name__}: {exc})")
        return
    started = time.perf_counter()
    documents = load_corpus()
    loaded = time.perf_counter()
    facts = extract_facts(documents)
    done = time.perf_counter()
    print(f"speed: load (warm cache) {loaded - started:.3f} s, extract {len(facts)} facts {done - loaded:.3f} s")
    import subprocess
    import sys

    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "jiegui", "facts", "--json"], check=True, stdout=subprocess.DEVNULL)
        runs.append(time.perf_counter() - started)
    print(f"speed: `jiegui facts --json` whole process, warm cache, best of 3: {min(runs):.2f} s "
          f"({platform.processor() or platform.machine()}, Python {platform.python_version()})")


if __name__ == "__main__":
    tp, fp, fn = evaluate()
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"facts sample: {tp} correct, {fp} wrong, {fn} missed; precision {precision:.3f}, recall {recall:.3f}")
    from jiegui.corpus import load_corpus
    from jiegui.analyses.facts import extract_facts

    documents = load_corpus()
    facts = extract_facts(documents)
    for name, label in (("facts_regions_dev.jsonl", "seen while writing the owner rules"),
                        ("facts_regions_test.jsonl", "held out")):
        sample = Path(__file__).with_name(name)
        if sample.exists():
            correct, total = evaluate_regions(sample, documents, facts)
            print(f"owners ({name}, {label}): {correct}/{total} correct, accuracy {correct / total:.3f}")
    speed()
