"""Big and odd input: time and peak memory of `jiegui corpus` on each case, in a fresh process.

Usage: python bench/bench_robustness.py [--big-mb 100] [--small-files 100000] [--jobs 2]

Cases: one big file (sentences of the bundled corpus recombined into distinct paragraphs), one 1 MB line without punctuation,
many small files, an empty file, a file of only punctuation. Peak memory is the maximum resident set
size of the jiegui process or any of its workers (getrusage of waited-for children), so it is measured,
not estimated.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated_text import corpus_sentences, paragraphs  # noqa: E402

MEASURE = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "rc": proc.returncode, "stderr": proc.stderr.decode()[-300:],
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def measure(args: list[str], env: dict[str, str]) -> dict:
    out = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "jiegui", *args],
                         env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-mb", type=float, default=100)
    parser.add_argument("--small-files", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    rng = random.Random(11)
    sentences = corpus_sentences()
    stream = paragraphs(rng, sentences)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {**os.environ, "JIEGUI_CACHE_DIR": str(root / "cache")}
        cases: list[tuple[str, Path, list[str]]] = []

        big = root / "big.txt"
        with big.open("w", encoding="utf-8") as handle:
            while handle.tell() < args.big_mb * 1024 * 1024:
                handle.write(next(stream) + "\n")
        cases.append((f"one {big.stat().st_size / 2**20:.0f} MB file", big, []))

        line = root / "line.txt"
        letters = "".join(ch for ch in "".join(sentences) if ch.isalnum())
        line.write_text((letters * (1 + 350_000 // len(letters)))[:350_000], encoding="utf-8")  # ~1 MB in UTF-8
        cases.append((f"one {line.stat().st_size / 2**20:.1f} MB line without punctuation", line, []))

        small = root / "small"
        small.mkdir()
        for index in range(args.small_files):
            (small / f"{index:06d}.txt").write_text(next(stream), encoding="utf-8")
        cases.append((f"{args.small_files:,} small files, --jobs {args.jobs}", small, ["--jobs", str(args.jobs)]))

        empty = root / "empty.txt"
        empty.write_bytes(b"")
        cases.append(("an empty file", empty, []))
        punct = root / "punct.txt"
        punct.write_text("，。！？……——“”\n" * 1000, encoding="utf-8")
        cases.append(("a file of only punctuation", punct, []))

        for label, path, extra in cases:
            result = measure(["corpus", "-c", str(path), "--json", *extra], env)
            note = result["stderr"].strip().splitlines()[-1] if result["rc"] else ""
            print(f"{label:45s} exit {result['rc']}  {result['seconds']:8.1f} s  peak {result['peak_mb']:7.0f} MB  {note}")


if __name__ == "__main__":
    main()
