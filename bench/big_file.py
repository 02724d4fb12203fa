"""One huge file: CPU time and peak memory of `jiegui corpus --no-cache` on a single file of articles.

Usage: python bench/big_file.py [--size-mb 20] [--keep PATH]

The file is a compilation: articles of 3–8 paragraphs made of random sentences of the bundled corpus
(bench/generated_text.py), each closed by a source statement `（来源：…）`, so it splits into articles
like a newspaper archive. `jiegui corpus` runs in a child process (the jiegui on PYTHONPATH, so an older
checkout can be measured the same way); its user+sys CPU seconds and maximum resident set size come from
os.wait4, and are the figures to compare on a shared machine (wall time is printed too).
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated_text import corpus_sentences, paragraphs


def write_compilation(path: Path, size_mb: float, seed: int = 7) -> int:
    """Write articles until the file holds size_mb megabytes; the number of articles."""
    rng = random.Random(seed)
    stream = paragraphs(rng, corpus_sentences())
    target, written, articles = size_mb * 2**20, 0, 0
    with path.open("w", encoding="utf-8") as handle:
        while written < target:
            articles += 1
            body = [next(stream) for _ in range(rng.randint(3, 8))]
            text = f"接轨上海报道之{articles}\n\n" + "\n\n".join(body) + f"（来源：嘉兴日报 2016-7-{1 + articles % 28}）\n\n"
            handle.write(text)
            written += len(text.encode())
    return articles


def measure(args: list[str]) -> dict:
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(args)} failed: {process.stderr.read().decode()[-2000:]}")
    return {"cpu_s": round(usage.ru_utime + usage.ru_stime, 1), "wall_s": round(wall, 1),
            "peak_rss_mb": round(usage.ru_maxrss / 1024)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=20)
    parser.add_argument("--keep", help="write the file here (and reuse it if it exists)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep) if args.keep else Path(tmp) / "compilation.txt"
        if not path.exists():
            articles = write_compilation(path, args.size_mb)
        else:
            articles = path.read_text(encoding="utf-8").count("（来源：")
        size = path.stat().st_size / 2**20
        chars = len(path.read_text(encoding="utf-8"))
        figures = measure([sys.executable, "-m", "jiegui", "corpus", "-c", str(path), "--no-cache", "--format", "json"])
        print(f"# python {platform.python_version()}, {platform.machine()}; jiegui from {os.environ.get('PYTHONPATH', 'the venv')}")
        print(f"file {size:.1f} MB, {chars} chars, {articles} articles | cpu {figures['cpu_s']} s "
              f"({chars / max(figures['cpu_s'], 1e-9) / 1000:.0f} k chars/s) | wall {figures['wall_s']} s | "
              f"peak RSS {figures['peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
