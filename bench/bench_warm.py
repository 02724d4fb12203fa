"""Warm benchmark: the commands on a 10 MB corpus whose documents are already in the cache.

Usage: python bench/bench_warm.py [--size-mb 10] [--runs 3] [--dir DIR] [--jobs N] [--commands corpus keywords ...]

The corpus is generated text (sentences of the bundled corpus recombined into distinct paragraphs, files
of ~120 paragraphs: bench/bench_foundation.py's corpus), the cache is warmed by one `jiegui corpus` run,
and read once by `load_corpus` (untimed: a run records the files and entries it read, by their stat, so
that the next reads neither re-hashes the files nor re-checks the entries' tokens: jiegui.known_files;
the first read after a cold run costs what the load row cost before that), then every command runs
`--runs` times in a subprocess (`--format json`, output discarded). Reported per
command: the median wall-clock time and the median CPU time (user + sys of the child, from
os.wait4), and the child's peak resident set size. "load" is the cache read
alone: `load_corpus` in a fresh process, start-up excluded (timed inside the child).

`--jobs N` runs every command with `--jobs N` (CPU time then counts the worker processes too: os.wait4
reports a child with its waited-for children), and "load" with `load_corpus(jobs=N)`. `--jobs 0` runs
them without the option, as a user would: entities, facts and similar then use one process per core on
a corpus of 1 M characters or more.

With --dir the corpus and cache are kept in DIR (re-used when present), so that runs before and after a
change measure the same text; otherwise a temporary folder is used.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_foundation import generate_corpus  # noqa: E402

JIEGUI = [sys.executable, "-m", "jiegui"]
COMMANDS = {
    "corpus": ["corpus"],
    "keywords": ["keywords"],
    "entities": ["entities"],
    "facts": ["facts"],
    "similar": ["similar"],
}
LOAD = (  # CPU: this process's and its reaped workers' (os.times), start-up excluded
    "import os, sys, time; t = sum(os.times()[:4]); w = time.perf_counter();"
    "from jiegui.corpus import load_corpus; docs = load_corpus(sys.argv[1], jobs=int(sys.argv[2]));"
    "print(sum(os.times()[:4]) - t, time.perf_counter() - w, len(docs), sum(len(d.tokens) for d in docs))"
)


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Wall seconds, CPU seconds (user + sys) and peak RSS (MB) of one child process, and its stdout."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        child = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=errors)
        out = child.stdout.read()
        child.stdout.close()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            errors.seek(0)
            raise SystemExit(f"{' '.join(args[2:])} failed: {errors.read().decode(errors='replace').strip()[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.decode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="keep the corpus and cache here")
    parser.add_argument("--jobs", type=int, default=1, help="run every command with --jobs N (0: without --jobs)")
    parser.add_argument("--commands", nargs="+", default=["load", *COMMANDS], choices=["load", *COMMANDS])
    args = parser.parse_args()

    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = args.dir or Path(tmp)
        corpus = root / "corpus"
        env = {**os.environ, "JIEGUI_CACHE_DIR": str(root / "cache")}
        env.pop("JIEGUI_CORPUS", None)
        if not corpus.is_dir():
            corpus.mkdir(parents=True)
            generate_corpus(corpus, args.size_mb)
        files = sorted(corpus.glob("*.txt"))
        size = sum(p.stat().st_size for p in files)
        chars = sum(len(p.read_text(encoding="utf-8")) for p in files)
        wall, cpu, _, _ = run([*JIEGUI, "corpus", "-c", str(corpus), "--jobs", "2"], env)
        time.sleep(2)  # jiegui.known_files remembers only files at least 2 s old (entries just written)
        run([sys.executable, "-c", LOAD, str(corpus), "1"], env)
        print(f"corpus: {len(files)} files, {size / 2**20:.1f} MB, {chars / 1e6:.2f} M chars; "
              f"warming the cache took {wall:.1f} s wall (or nothing, when already warm)")
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        print(f"{'command':<10} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}   (median of {args.runs})")
        for name in args.commands:
            walls, cpus, peaks = [], [], []
            for _ in range(args.runs):
                if name == "load":
                    _, _, peak, out = run([sys.executable, "-c", LOAD, str(corpus), str(max(args.jobs, 1))], env)
                    cpu, wall, documents, tokens = out.split()
                    walls.append(float(wall))
                    cpus.append(float(cpu))
                else:
                    wall, cpu, peak, _ = run([*JIEGUI, *COMMANDS[name], "-c", str(corpus), "--format", "json", *jobs], env)
                    walls.append(wall)
                    cpus.append(cpu)
                peaks.append(peak)
            extra = f"   {documents} documents, {tokens} tokens; start-up excluded" if name == "load" else ""
            print(f"{name:<10} {statistics.median(walls):8.2f} {statistics.median(cpus):8.2f} {max(peaks):8.0f}{extra}",
                  flush=True)


if __name__ == "__main__":
    main()
