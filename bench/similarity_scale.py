"""Similarity at scale: time and peak memory of `jiegui similar` on 10k and 100k generated documents.

Usage: python bench/similarity_scale.py [--sizes 10000 100000] [--jobs 2] [--seed 7]

Documents are generated from the bundled corpus's real sentences, segmented once: each document takes a
window of 10–20 consecutive sentences at a random place in the corpus (so overlapping windows make true
neighbours), with a quarter of its sentences swapped for random ones, and 1 % of documents are lightly
edited copies of an earlier one (a sentence dropped, one replaced) — the near-duplicates to find.
Segmentation is not measured here (see bench_foundation.py): the timed steps start from term lists.

Each step is timed in wall seconds (`_s`) and CPU seconds of the process, all threads (`_cpu`); on a
shared machine the CPU figure is the one to compare. Each size runs in a fresh child process, so "peak RSS" is that process's maximum resident set size;
"base RSS" is the same process after the term lists were generated, before any similarity work.
From similarity.LSH_MIN_DOCS documents the library takes its fast paths: MinHash LSH for pairs ≥ 0.9
(`top10_pairs_s`, `duplicates_s` at 0.9) and a top-n sparse product for pairs below it. The generated
corpus always has pairs ≥ 0.9 (its copies), so the related-pairs path is timed with LSH switched off, as
in a corpus without near-copies: `related_top10_s`, `related_top100_s` (the 10 and 100 best pairs), and
`duplicates_07_s` (groups at --threshold 0.7). Up to --exact-up-to documents the exact blocked path is
run afterwards on the same index (peak RSS is taken before it) and each fast answer's recall against it
is printed: pairs found with the same printed score, and document pairs put in one duplicate group.
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


class Timer:
    """Wall and CPU seconds (user+sys of every thread of this process) of one step: the machine is shared,
    so CPU time is the figure to compare; wall time shows what the threads bought."""

    def __init__(self, figures: dict, name: str) -> None:
        self.figures, self.name = figures, name

    def __enter__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *exc: object) -> None:
        self.figures[self.name] = round(time.perf_counter() - self.wall, 2)
        self.figures[self.name.replace("_s", "_cpu")] = round(time.process_time() - self.cpu, 2)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def corpus_sentences() -> list[list[str]]:
    """The bundled corpus's sentences as content-term lists, in corpus order."""
    from jiegui.analyses.similarity import content_terms
    from jiegui.text.segment import Segmenter

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

    with Timer(figures, "index_s"):
        index = similarity.index_terms(ids, term_lists)
    figures["vocabulary"] = len(index.terms)
    del term_lists

    with Timer(figures, "top10_pairs_s"):
        pairs = similarity.most_similar_pairs(index, top=10, jobs=jobs)
    figures["best_pair"] = pairs[0].score if pairs else None

    with Timer(figures, "duplicates_s"):
        groups = similarity.duplicate_groups(index, threshold=0.9, jobs=jobs)
    figures["duplicate_groups"] = len(groups)

    with Timer(figures, "duplicates_07_s"):
        groups07 = similarity.duplicate_groups(index, threshold=0.7, jobs=jobs)

    lsh_links = similarity._lsh_links
    similarity._lsh_links = no_lsh_links  # as in a corpus where no pair reaches 0.9
    with Timer(figures, "related_top10_s"):
        related10 = similarity.most_similar_pairs(index, top=10, jobs=jobs)
    with Timer(figures, "related_top100_s"):
        related100 = similarity.most_similar_pairs(index, top=100, jobs=jobs)
    similarity._lsh_links = lsh_links

    start = time.perf_counter()
    similarity.nearest(index, ids[n // 2], top=10)
    figures["nearest_ms"] = round((time.perf_counter() - start) * 1000, 1)
    figures["peak_rss_mb"] = round(rss_mb())
    usage = resource.getrusage(resource.RUSAGE_SELF)
    figures["cpu_s"] = round(usage.ru_utime + usage.ru_stime, 1)  # the whole child process, generation included
    if exact and n >= similarity.LSH_MIN_DOCS:
        figures.update(against_exact(similarity, index, pairs, groups, related10, related100, groups07, jobs))
    return figures


def no_lsh_links(matrix, floor):
    import numpy as np

    empty = np.zeros(0, dtype=np.int64)
    return empty, empty, np.zeros(0, dtype=np.float32)


def grouped_pairs(groups) -> set[tuple[str, str]]:
    return {(a, b) for g in groups for k, a in enumerate(g.documents) for b in g.documents[k + 1 :]}


def against_exact(similarity, index, pairs, groups, related10, related100, groups07, jobs: int) -> dict:
    """Recall of the fast answers against the exact blocked products on the same index: top pairs found
    with the same printed score, and document pairs put in one duplicate group."""
    similarity.LSH_MIN_DOCS = len(index.ids) + 1  # the exact path from here on
    start = time.perf_counter()
    exact_pairs = similarity.most_similar_pairs(index, top=100, jobs=jobs)
    exact_top_s = time.perf_counter() - start
    start = time.perf_counter()
    exact_groups = similarity.duplicate_groups(index, threshold=0.9, jobs=jobs)
    exact_dup_s = time.perf_counter() - start
    exact_groups07 = similarity.duplicate_groups(index, threshold=0.7, jobs=jobs)

    def recall(found, exact) -> float:
        return round(len(set(found) & set(exact)) / max(len(exact), 1), 4)

    return {
        "exact_top100_s": round(exact_top_s, 2),
        "exact_duplicates_s": round(exact_dup_s, 2),
        "top10_recall": recall(pairs, exact_pairs[:10]),
        "related_top10_recall": recall(related10, exact_pairs[:10]),
        "related_top100_recall": recall(related100, exact_pairs),
        "duplicate_pair_recall": recall(grouped_pairs(groups), grouped_pairs(exact_groups)),
        "same_groups": groups == exact_groups,
        "duplicate_07_pair_recall": recall(grouped_pairs(groups07), grouped_pairs(exact_groups07)),
        "exact_07_groups": len(exact_groups07),
        "fast_07_groups": len(groups07),
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
    steps = ["index", "top10_pairs", "duplicates", "related_top10", "related_top100", "duplicates_07"]
    columns = ["jobs", "documents", "terms", "vocabulary", "copies", *(f"{step}_{unit}" for step in steps for unit in ("s", "cpu")),
               "duplicate_groups", "nearest_ms", "base_rss_mb", "peak_rss_mb", "cpu_s"]
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
