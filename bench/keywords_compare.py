"""Keywords benchmark: jiegui's top 10 per document next to jieba.analyse.extract_tags, and the speed.

Usage: python bench/keywords_compare.py [--corpus PATH] [--top 10] [--markdown]

For each document it prints jiegui's TF-IDF top N (corpus IDF blended with jieba's background IDF,
keyphrases merged) and jieba's `extract_tags(text, topK=N)` (background IDF only, default settings, as
a user would call it); then the corpus's top 2N (`jiegui keywords`) next to `extract_tags` on all the
text joined; and counts in the per-document lists the terms a reader would reject: stopwords, numbers and
dates, single characters, Latin leftovers of web pages, and fragments (a term of 3+ occurrences that
the text always extends by the same character, such as 融杭接 of 融杭接沪). The speed figures are
wall-clock times of the real command in a subprocess, cache warm, median of 5 runs.
"""
from __future__ import annotations

import argparse
import logging
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def is_fragment(term: str, text: str) -> bool:
    starts = [m.start() for m in re.finditer(re.escape(term), text)]
    if len(starts) < 3:
        return False
    for side in ({text[s - 1 : s] for s in starts}, {text[s + len(term) : s + len(term) + 1] for s in starts}):
        if len(side) == 1 and re.fullmatch(r"\w", next(iter(side)) or "") is not None:
            return True
    return False


def rejects(terms: list[str], text: str, stopwords: frozenset[str]) -> list[str]:
    bad = []
    for term in terms:
        if (
            term in stopwords
            or len(term) < 2
            or re.fullmatch(r"[\d\W_]+|\d+[年月日号]", term)
            or (re.fullmatch(r"[A-Za-z0-9]+", term) and not re.fullmatch(r"[A-Z]{1,6}\d{0,4}|[A-Za-z][a-z]+", term))
            or term.lower() in {"jpg", "png", "gif", "html", "http", "www", "com", "cn"}
            or is_fragment(term, text)
        ):
            bad.append(term)
    return bad


def timed(args: list[str], repeat: int = 5) -> str:
    """Median wall-clock and CPU (user + system) seconds of the command; CPU time does not depend on
    what else the machine is running."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "jiegui", *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return f"{statistics.median(walls):.2f} s wall / {statistics.median(cpus):.2f} s CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=None, help="corpus path (default: the bundled corpus)")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--markdown", action="store_true", help="print the side-by-side table as Markdown")
    args = parser.parse_args()

    import jieba
    import jieba.analyse

    from jiegui.corpus import load_corpus
    from jiegui.keywords import corpus_keywords, document_keywords
    from jiegui.segment import Segmenter

    jieba.setLogLevel(logging.WARNING)
    documents = load_corpus(args.corpus)
    stopwords = Segmenter().stopwords
    start = time.perf_counter()
    ours = document_keywords(documents, top_n=args.top)
    ours_seconds = time.perf_counter() - start
    by_doc: dict[str, list[str]] = {}
    for row in ours:
        by_doc.setdefault(row.doc, []).append(row.term)
    jieba.analyse.extract_tags("预热")  # load jieba's dictionary before timing
    start = time.perf_counter()
    theirs = {d.id: jieba.analyse.extract_tags(d.text, topK=args.top) for d in documents}
    theirs_seconds = time.perf_counter() - start

    bad_ours = bad_theirs = 0
    lines = [f"| document | jiegui keywords (top {args.top}) | jieba extract_tags (top {args.top}) |", "| --- | --- | --- |"]
    for doc in documents:
        mine, jieba_terms = by_doc.get(doc.id, []), theirs[doc.id]
        rejected_mine = rejects(mine, doc.text, stopwords)
        rejected_theirs = rejects(jieba_terms, doc.text, stopwords)
        bad_ours += len(rejected_mine)
        bad_theirs += len(rejected_theirs)

        def cell(terms: list[str], rejected: list[str]) -> str:
            return " ".join(f"~~{t}~~" if t in rejected else t for t in terms)

        lines.append(f"| `{doc.id}` | {cell(mine, rejected_mine)} | {cell(jieba_terms, rejected_theirs)} |")
    if args.markdown:
        print("\n".join(lines))
    else:
        for doc in documents:
            print(f"{doc.id}\n  jiegui: {' '.join(by_doc.get(doc.id, []))}\n  jieba:  {' '.join(theirs[doc.id])}")
    # The whole corpus: jiegui's corpus ranking next to extract_tags on all the text as one document.
    whole = "\n".join(d.text for d in documents)
    corpus_top = 2 * args.top
    mine = [k.term for k in corpus_keywords(documents, top_n=corpus_top)]
    jieba_terms = jieba.analyse.extract_tags(whole, topK=corpus_top)
    print(f"\ncorpus, top {corpus_top}:\n  jiegui keywords:          {' '.join(mine)}"
          f"\n  jieba extract_tags(all):  {' '.join(jieba_terms)}")
    total = args.top * len(documents)
    print(f"\ndocuments: {len(documents)}; rejected terms (stopword, number/date, single character, leftover, "
          f"fragment): jiegui {bad_ours}/{total}, jieba {bad_theirs}/{total}")
    print(f"ranking time in-process: jiegui {ours_seconds:.3f} s (phrase discovery included), "
          f"jieba {theirs_seconds:.3f} s")
    corpus = [] if args.corpus is None else ["--corpus", args.corpus]
    subprocess.run([sys.executable, "-m", "jiegui", "keywords", *corpus], check=True, stdout=subprocess.DEVNULL)
    print(f"cache warm, median of 5: `jiegui keywords` {timed(['keywords', *corpus])}; "
          f"`jiegui keywords --by-doc` {timed(['keywords', '--by-doc', *corpus])}; "
          f"`jiegui corpus` (loading only) {timed(['corpus', *corpus])}; machine load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
