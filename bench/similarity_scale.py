"""Similarity at scale: time and peak memory of `jiegui similar` on 10k and 100k generated documents.

Usage: python bench/similarity_scale.py [--sizes 10000 100000] [--jobs 2] [--seed 7]

Documents are generated from the bundled corpus's real sentences, segmented once: each document takes a
window of 10–20 consecutive sentences at a random place in the corpus (so overlapping windows make true
neighbours), with a quarter of its sentences swapped for random ones, and 1 % of documents are lightly
edited copies of an earlier one (a sentence dropped, one replaced) — the near-duplicates to find.
Segmentation is not measured here (see bench_foundation.py): the timed steps start from term lists.

Each size runs in a fresh child process, so "peak RSS" is that process's maximum resident set size;
"base RSS" is the same process after the term lists were generated, before any similarity work.
From similarity.LSH_MIN_DOCS documents the library takes the MinHash LSH path; up to --exact-up-to
documents the exact blocked path is run afterwards on the same index (peak RSS is taken before it) and
the fast path's recall against it is printed: top 10 pairs found with the same printed score, and
document pairs put in one duplicate group.
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def corpus_sentences() -> list[list[str]]:
    """The bundled corpus's sentences as content-term lists, in corpus order."""
    from jiegui.text.segment import Segmenter
    from jiegui.analyses.similarity import content_terms

    segmenter = Segmenter()
    text = "".join(p.read_text(encoding="utf-8") for p in sorted((REPO / "corpus").glob("*.txt")))
    text = re.sub(r"\s*\n\s*", "", text)  # PDF hard wraps
    sentences = [s for s in re.split(r"(?<=[。！？!?])", text) if len(s) > 8]
    lists = [content_terms(segmenter.tokenize(s), segmenter.stopwords) for s in sentences]
    return [terms for terms in lists if terms]


def generate(n: int, seed: int) -> tuple[list[str], list[list[str]], int]:
    sentences = corpus_sentences()
    rng = random.Random(seed)
    docs: list[list[list[str]]] = []
    copies = 0
    for _ in range(n):
        if docs and rng.random() < 0.01:
            source = list(rng.choice(docs))
            if len(source) > 2:
                source.pop(rng.randrange(len(source)))
            source[rng.randrange(len(source))] = rng.choice(sentences)
            docs.append(source)
            copies += 1
            continue
        length = rng.randint(10, 20)
        start = rng.randrange(len(sentences) - length)
        window = sentences[start : start + length]
        docs.append([rng.choice(sentences) if rng.random() < 0.25 else s for s in window])
    ids = [f"gen{i:06d}" for i in range(n)]
    return ids, [[term for sentence in doc for term in sentence] for doc in docs], copies


def run_one(n: int, seed: int, jobs: int, exact: bool) -> dict:
    from jiegui.analyses import similarity

    ids, term_lists, copies = generate(n, seed)
    tokens = sum(map(len, term_lists))
    base = rss_mb()
    figures: dict = {"jobs": jobs, "documents": n, "terms": tokens, "copies": copies, "base_rss_mb": round(base)}

    start = time.perf_counter()
    index = similarity.index_terms(ids, term_lists)
    figures["index_s"] = round(time.perf_counter() - start, 2)
    figures["vocabulary"] = len(index.terms)
    del term_lists

    start = time.perf_counter()
    pairs = similarity.most_similar_pairs(index, top=10, jobs=jobs)
    figures["top10_pairs_s"] = round(time.perf_counter() - start, 2)
    figures["best_pair"] = pairs[0].score if pairs else None

    start = time.perf_counter()
    groups = similarity.duplicate_groups(index, threshold=0.9, jobs=jobs)
    figures["duplicates_s"] = round(time.perf_counter() - start, 2)
    figures["duplicate_groups"] = len(groups)

    start = time.perf_counter()
    similarity.nearest(index, ids[n // 2], top=10)
    figures["nearest_ms"] = round((time.perf_counter() - start) * 1000, 1)
    figures["peak_rss_mb"] = round(rss_mb())
    if exact and n >= similarity.LSH_MIN_DOCS:
        figures.update(against_exact(similarity, index, pairs, groups, jobs))
    return figures


def grouped_pairs(groups) -> set[tuple[str, str]]:
    return {(a, b) for g in groups for k, a in enumerate(g.documents) for b in g.documents[k + 1 :]}


def against_exact(similarity, index, pairs, groups, jobs: int) -> dict:
    """Recall of the fast (MinHash LSH) answers against the exact blocked products on the same index:
    top pairs found with the same printed score, and document pairs put in one duplicate group."""
    similarity.LSH_MIN_DOCS = len(index.ids) + 1  # the exact path from here on
    start = time.perf_counter()
    exact_pairs = similarity.most_similar_pairs(index, top=10, jobs=jobs)
    exact_top_s = time.perf_counter() - start
    start = time.perf_counter()
    exact_groups = similarity.duplicate_groups(index, threshold=0.9, jobs=jobs)
    exact_dup_s = time.perf_counter() - start
    together, exact_together = grouped_pairs(groups), grouped_pairs(exact_groups)
    return {
        "exact_top10_s": round(exact_top_s, 2),
        "exact_duplicates_s": round(exact_dup_s, 2),
        "top10_recall": len(set(pairs) & set(exact_pairs)) / len(exact_pairs),
        "duplicate_pair_recall": round(len(together & exact_together) / max(len(exact_together), 1), 4),
        "same_groups": groups == exact_groups,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=2, help="threads for the all-pairs products")
    parser.add_argument("--exact-up-to", type=int, default=10_000,
                        help="also run the exact path (and report the fast path's recall) up to this many documents")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.seed, args.jobs, args.one <= args.exact_up_to)))
        return
    print(f"# python {platform.python_version()}, {platform.machine()}, seed {args.seed}")
    columns = ["jobs", "documents", "terms", "vocabulary", "copies", "index_s", "top10_pairs_s", "duplicates_s",
               "duplicate_groups", "nearest_ms", "base_rss_mb", "peak_rss_mb"]
    print(" | ".join(columns))
    for n in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--seed", str(args.seed), "--jobs", str(args.jobs),
                              "--exact-up-to", str(args.exact_up_to)], check=True, capture_output=True, text=True).stdout
        figures = json.loads(out)
        print(" | ".join(str(figures[c]) for c in columns), flush=True)
        recall = {k: v for k, v in figures.items() if k.startswith("exact_") or "recall" in k or k == "same_groups"}
        if recall:
            print(f"#   against the exact path at {n}: {recall}", flush=True)


if __name__ == "__main__":
    main()
