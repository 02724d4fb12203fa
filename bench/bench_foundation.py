"""Foundation benchmark: start-up, first and warm runs on the bundled corpus, and throughput.

Usage: python bench/bench_foundation.py [--size-mb 50] [--jobs 1 2]   (--size-mb 0: no throughput run)

Throughput runs `jiegui corpus --no-cache` over a generated corpus (sentences of the bundled corpus
recombined into distinct paragraphs, files of ~120 paragraphs) and compares with jieba's default mode (jieba.lcut) on one
core over the same text, the reference the issue names. Every figure is a wall-clock time of the real
command in a subprocess; peak memory is the child's maximum resident set size.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated_text import corpus_sentences, paragraphs  # noqa: E402

JIEGUI = [sys.executable, "-m", "jiegui"]


def timed(args: list[str], env: dict[str, str], repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_child_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def generate_corpus(directory: Path, size_mb: float, seed: int = 7) -> int:
    rng = random.Random(seed)
    stream = paragraphs(rng, corpus_sentences())
    total = 0
    target = int(size_mb * 1024 * 1024)
    index = 0
    while total < target:
        body = "\n\n".join(next(stream) for _ in range(120))
        data = body.encode("utf-8")
        (directory / f"doc{index:05d}.txt").write_bytes(data)
        total += len(data)
        index += 1
    return sum(len(p.read_text(encoding="utf-8")) for p in directory.glob("*.txt"))


def jieba_reference(directory: Path) -> float:
    code = (
        "import sys,time,jieba,pathlib,logging; jieba.setLogLevel(logging.WARNING); jieba.initialize();"
        "texts=[p.read_text(encoding='utf-8') for p in sorted(pathlib.Path(sys.argv[1]).glob('*.txt'))];"
        "t=time.perf_counter(); [jieba.lcut(x) for x in texts]; print(time.perf_counter()-t)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(directory)], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=50)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "JIEGUI_CACHE_DIR": str(Path(tmp) / "cache")}
        env.pop("JIEGUI_CORPUS", None)
        print(f"jiegui --help:                      {timed([*JIEGUI, '--help'], env, repeat=5):.3f} s (median of 5)")
        print(f"jiegui corpus, first run (cold):    {timed([*JIEGUI, 'corpus'], env):.3f} s")
        print(f"jiegui corpus, repeated (warm):     {timed([*JIEGUI, 'corpus'], env, repeat=5):.3f} s (median of 5)")
        for command in ("keywords", "entities", "facts", "similar"):
            print(f"jiegui {command + ', warm:':<28}{timed([*JIEGUI, command, '--json'], env, repeat=5):.3f} s (median of 5)")

        if args.size_mb <= 0:
            return  # start-up and bundled-corpus figures only
        big = Path(tmp) / "big"
        big.mkdir()
        chars = generate_corpus(big, args.size_mb)
        files = len(list(big.glob("*.txt")))
        size = sum(p.stat().st_size for p in big.glob("*.txt")) / 1024 / 1024
        print(f"generated corpus: {files} files, {size:.1f} MB, {chars:,} characters")
        reference = jieba_reference(big)
        print(f"jieba.lcut (default mode, 1 core):  {reference:7.1f} s  {chars / reference:10,.0f} chars/s  (reference)")
        for jobs in args.jobs:
            seconds = timed([*JIEGUI, "corpus", "-c", str(big), "--no-cache", "--jobs", str(jobs)], env)
            print(f"jiegui corpus --no-cache --jobs {jobs}:  {seconds:7.1f} s  {chars / seconds:10,.0f} chars/s"
                  f"  (clean + articles + sentences + POS tagging)")
        print(f"peak memory of any child process:   {peak_child_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
