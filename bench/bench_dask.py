"""Dask benchmark: a generated corpus of many small documents on a local Dask cluster against `--jobs`.

Usage: python bench/bench_dask.py [--documents 200000] [--per-file 500] [--workers 2] [--commands corpus facts]
                                  [--modes single jobs dask]

The corpus: files of `--per-file` articles each (a headline, a paragraph of 1–2 sentences of the bundled
corpus recombined, a closing `（来源：…）` that ends the article), so that article splitting makes the
documents. Each command runs `--no-cache` three ways in a subprocess: one process, `--jobs N`, and
`--scheduler local --jobs N` (a LocalCluster of N worker processes, started and stopped inside the
timed run). The outputs must be identical (checked). Figures: wall time, and CPU time (user+sys) of the
command and every process it started (RUSAGE_CHILDREN, so the cluster's workers are counted).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated_text import corpus_sentences  # noqa: E402

JIEGUI = [sys.executable, "-m", "jiegui"]


def generate_corpus(directory: Path, documents: int, per_file: int, seed: int = 12) -> tuple[int, int]:
    """Files of `per_file` short articles; returns (files, characters)."""
    rng = random.Random(seed)
    sentences = corpus_sentences()
    chars = files = 0
    for first in range(0, documents, per_file):
        articles = []
        for number in range(first, min(documents, first + per_file)):
            body = "".join(rng.choice(sentences) for _ in range(rng.randint(1, 2)))
            articles.append(f"嘉兴快讯第{number}号\n\n{body}（来源：《嘉兴日报》2016-{number % 12 + 1}-{number % 28 + 1}）")
        text = "\n\n".join(articles) + "\n"
        folder = directory / f"part{files // 100:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"news{files:05d}.txt").write_text(text, encoding="utf-8")
        chars += len(text)
        files += 1
    return files, chars


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (this command and its children), and a digest of the output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(args, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, hashlib.sha256(result.stdout).hexdigest()[:12]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--per-file", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--commands", nargs="+", default=["corpus", "facts"])
    parser.add_argument("--modes", nargs="+", choices=["single", "jobs", "dask"], default=["single", "jobs", "dask"])
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    with tempfile.TemporaryDirectory(prefix="jiegui-bench-dask-") as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        files, chars = generate_corpus(corpus, args.documents, args.per_file)
        env["JIEGUI_CACHE_DIR"] = str(Path(tmp) / "cache")
        print(f"corpus: {args.documents} documents in {files} files, {chars / 1e6:.1f} M characters; "
              f"{os.cpu_count()} cores, {args.workers} processes/workers")
        for command in args.commands:
            base = [*JIEGUI, command, "-c", str(corpus), "--json", "--no-cache"]
            digests = set()
            modes = {"single": ("1 process", []), "jobs": (f"--jobs {args.workers}", ["--jobs", str(args.workers)]),
                     "dask": (f"--scheduler local -j {args.workers}", ["--scheduler", "local", "--jobs", str(args.workers)])}
            for label, extra in (modes[m] for m in args.modes):
                wall, cpu, digest = run(base + extra, env)
                digests.add(digest)
                print(f"{command:8} {label:26} wall {wall:7.1f} s   cpu {cpu:7.1f} s   "
                      f"{args.documents / wall:8.0f} docs/s   output {digest}", flush=True)
            print(f"{command:8} outputs identical: {len(digests) == 1}")


if __name__ == "__main__":
    main()
