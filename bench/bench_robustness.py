"""Big and odd input: time and peak memory of `jiegui corpus` on each case, in a fresh process.

Usage: python bench/bench_robustness.py [--big-mb 100] [--small-files 100000] [--jobs 2] [--file-system-only]
       python bench/bench_robustness.py --long-lines 100000,700000   # only: every command on one long line

Cases: one big file (sentences of the bundled corpus recombined into distinct paragraphs), one 1 MB line without punctuation,
many small files, an empty file, a file of only punctuation; and odd file systems: a folder 2,000 levels
deep, a FIFO and a symlink to /dev/zero among the files, standard input from /dev/zero. Peak memory is the maximum resident set
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
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "rc": proc.returncode, "stderr": proc.stderr.decode()[-300:],
                  "peak_mb": usage.ru_maxrss / 1024, "cpu": usage.ru_utime + usage.ru_stime}))
"""


def measure(args: list[str], env: dict[str, str], stdin: str | None = None) -> dict:
    with open(stdin or os.devnull, "rb") as source:
        out = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "jiegui", *args],
                             env=env, stdin=source, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def file_system_cases(root: Path, sentences: list[str]) -> list[tuple[str, Path | str, list[str], str | None]]:
    """Folders and streams that once hung, crashed or ran out of memory (issue 15)."""
    deep = root / "deep"
    deep.mkdir()
    (deep / "a.txt").write_text(sentences[0], encoding="utf-8")
    fd = os.open(deep, os.O_RDONLY)
    for _ in range(2000):  # through file descriptors: the full path outgrows what a path may hold
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(fd)
    odd = root / "odd"
    odd.mkdir()
    (odd / "a.txt").write_text(sentences[1], encoding="utf-8")
    os.mkfifo(odd / "fifo.txt")
    (odd / "zero.txt").symlink_to("/dev/zero")
    return [("a folder 2,000 levels deep", deep, [], None),
            ("a FIFO and a symlink to /dev/zero named .txt", odd, [], None),
            ("standard input from /dev/zero", "-", [], "/dev/zero")]




LONG_LINE_COMMANDS = [["corpus"], ["segment"], ["show", "line"], ["keywords"], ["phrases"], ["entities"],
                      ["entities", "--mentions"], ["facts"], ["similar"]]


def long_lines(sizes: list[int], sentences: list[str]) -> None:
    """Every command on one line of N characters without punctuation (the corpus's letters and digits, in
    order): time must grow near-linearly with N. CPU time (user + system, the process and its workers) is
    printed too: on a shared machine it varies less than the wall-clock time. The first `corpus` run segments (cold cache); the
    commands after it read the cache, as a user's second command does."""
    letters = "".join(ch for ch in "".join(sentences) if ch.isalnum())
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            env = {**os.environ, "JIEGUI_CACHE_DIR": str(root / "cache")}
            line = root / "line.txt"
            line.write_text((letters * (1 + size // len(letters)))[:size], encoding="utf-8")
            for index, command in enumerate(LONG_LINE_COMMANDS):
                result = measure([*command, "-c", str(line), "--json"], env)
                label = " ".join(command) + (" (cold: segmenting)" if index == 0 else "")
                note = result["stderr"].strip().splitlines()[-1] if result["rc"] else ""
                print(f"{size:>9,} chars  {label:28s} exit {result['rc']}  {result['seconds']:7.1f} s  "
                      f"cpu {result['cpu']:7.1f} s  peak {result['peak_mb']:6.0f} MB  {note}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big-mb", type=float, default=100)
    parser.add_argument("--small-files", type=int, default=100_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--long-lines", help="comma-separated sizes: run only every command on a line this long")
    parser.add_argument("--file-system-only", action="store_true", help="Only the odd file-system cases (seconds).")
    args = parser.parse_args()
    rng = random.Random(11)
    sentences = corpus_sentences()
    if args.long_lines:
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
        long_lines([int(n) for n in args.long_lines.split(",")], sentences)
        return
    stream = paragraphs(rng, sentences)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {**os.environ, "JIEGUI_CACHE_DIR": str(root / "cache")}
        measure(["corpus", "-c", "-"], env, stdin=__file__)  # warm up: jieba's dictionary cache built once
        for label, path, extra, stdin in file_system_cases(root, sentences):
            report(label, measure(["corpus", "-c", str(path), "--json", *extra], env, stdin))
        subprocess.run(["rm", "-rf", str(root / "deep")], check=True)  # shutil.rmtree recurses once per level
        if args.file_system_only:
            return
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
            report(label, measure(["corpus", "-c", str(path), "--json", *extra], env))


def report(label: str, result: dict) -> None:
    note = result["stderr"].strip().splitlines()[-1] if result["stderr"].strip() else ""
    print(f"{label:45s} exit {result['rc']}  {result['seconds']:8.1f} s  peak {result['peak_mb']:7.0f} MB  {note}")


if __name__ == "__main__":
    main()
