"""Facts (value+unit precision, recall, F1) and owner accuracy on an annotated news sample.

    python bench/news_dev_facts.py ../shared/data/news-dev/docs [--errors]

The folder holds documents `DOC.txt` with gold `DOC.facts.jsonl` and `DOC.entities.json` beside them,
annotated by the conventions of its ANNOTATION.md (evaluation only: never copy them into the repository).
Each file goes through `jiegui facts` (load_corpus, then extract_facts) and is scored this way:
- facts are matched one-to-one in text order (the longest order-keeping alignment) on value, within 0.5 %,
  and unit: equal; or none where the text writes no counter (718.6万, gold unit 人); or the gold unit
  extends the predicted one (吨标准煤 / 吨);
- group labels (十大, 四大类) are ignored on both sides;
- owner accuracy is over matched facts: the predicted region equals the gold region or one of its
  region_also, compared without administrative suffixes (平湖市 = 平湖), after folding the document's
  gold aliases (沪 -> 上海); no region is right only where gold has none.
`--errors` prints the wrong owners grouped by (gold, predicted) with their sentences, then the unmatched facts.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

GROUP_LABEL = re.compile(r"^[\d一二三四五六七八九十两]+大")
SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "地区",
            "街道", "省", "市", "县", "区", "镇", "乡", "盟", "旗")
TOLERANCE = 0.005


def bare(name: str | None, aliases: dict[str, str]) -> str | None:
    """A place name without its administrative suffix, gold aliases folded (上海市, 沪 -> 上海)."""
    if not name:
        return None
    name = aliases.get(name, name)
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def same_quantity(gold: dict, value: float, unit: str | None) -> bool:
    if abs(value - gold["value"]) > TOLERANCE * max(abs(gold["value"]), 1e-9):
        return False
    gold_unit = gold["unit"] or ""
    unit = unit or ""
    if unit == gold_unit:
        return True
    if not unit:
        return gold_unit not in gold["text"]  # the text writes no counter: the annotator supplied one
    return gold_unit.startswith(unit)


def align(gold: list[dict], found: list) -> list[tuple[int, int]]:
    """The longest one-to-one matching of gold and found facts that keeps both in text order."""
    n, m = len(gold), len(found)
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            if same_quantity(gold[i], found[j].value, found[j].unit):
                best[i][j] = best[i + 1][j + 1] + 1
            else:
                best[i][j] = max(best[i + 1][j], best[i][j + 1])
    pairs, i, j = [], 0, 0
    while i < n and j < m:
        if same_quantity(gold[i], found[j].value, found[j].unit) and best[i][j] == best[i + 1][j + 1] + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            i += 1
        else:
            j += 1
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--errors", action="store_true", help="print wrong owners by (gold, predicted) and unmatched facts")
    args = parser.parse_args()
    if not any(args.folder.glob("*.facts.jsonl")):
        sys.exit(f"no *.facts.jsonl in {args.folder}: pass the news-dev docs folder")

    from jiegui.corpus import load_corpus
    from jiegui.analyses.facts import extract_facts

    documents = load_corpus(args.folder)
    by_file: dict[str, list] = defaultdict(list)
    for fact in extract_facts(documents):  # documents in corpus order, facts in text order
        by_file[fact.doc.split("#")[0]].append(fact)

    tp = fp = fn = owners_right = 0
    wrong: dict[tuple, list[str]] = defaultdict(list)
    unmatched: list[str] = []
    for path in sorted(args.folder.glob("*.facts.jsonl")):
        stem = path.name[: -len(".facts.jsonl")]
        gold = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        gold = [g for g in gold if not GROUP_LABEL.match(g["text"])]
        entities = path.with_name(stem + ".entities.json")
        aliases = json.loads(entities.read_text(encoding="utf-8")).get("aliases", {}) if entities.exists() else {}
        found = [f for f in by_file.get(stem, []) if not GROUP_LABEL.match(f.text)]
        pairs = align(gold, found)
        tp += len(pairs)
        fp += len(found) - len(pairs)
        fn += len(gold) - len(pairs)
        for i, j in pairs:
            g, f = gold[i], found[j]
            accepted = {bare(r, aliases) for r in (g["region"], *(g.get("region_also") or []))}
            predicted = bare(f.region, aliases)
            if predicted in accepted:
                owners_right += 1
            else:
                wrong[(bare(g["region"], aliases), predicted)].append(f"{stem}: {f.text} | {f.sentence[:70]}")
        if args.errors:
            matched_gold = {i for i, _ in pairs}
            matched_found = {j for _, j in pairs}
            unmatched += [f"  missed {stem}: {g['text']} {g['value']} {g['unit']}" for i, g in enumerate(gold) if i not in matched_gold]
            unmatched += [f"  extra  {stem}: {f.text} {f.value} {f.unit}" for j, f in enumerate(found) if j not in matched_found]

    if args.errors:
        for (gold_region, predicted), rows in sorted(wrong.items(), key=lambda kv: -len(kv[1])):
            print(f"{len(rows):3d}  gold {gold_region}  got {predicted}")
            for row in rows[:4]:
                print("       ", row)
        print("\n".join(unmatched))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"facts: {tp} matched, {fp} extra, {fn} missed; P/R/F1 {precision:.3f} / {recall:.3f} / {f1:.3f}")
    print(f"owners: {owners_right}/{tp} right, accuracy {owners_right / tp if tp else 0.0:.3f}")


if __name__ == "__main__":
    main()
