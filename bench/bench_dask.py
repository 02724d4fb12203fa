"""Dask benchmark: a generated corpus of many small documents on a local Dask cluster against `--jobs`.

Usage: python bench/bench_dask.py [--documents 200000] [--per-file 500] [--sentences 1 2] [--workers 2]
                                  [--commands corpus facts "similar --duplicates" "show LAST"]
                                  [--modes single jobs dask] [--dir DIR --warm]

The corpus: files of `--per-file` articles each (a headline, a paragraph of `--sentences` MIN MAX sentences
of the bundled corpus recombined, a closing `（来源：…）` that ends the article), so that article
splitting makes the documents. Each command runs in a subprocess three ways: one process, `--jobs N`, and
`--scheduler local --jobs N` (a LocalCluster of N worker processes, started and stopped inside the timed
run). The outputs must be identical (checked). A command is a string split on spaces; `LAST` stands for the
id of the corpus's last document (for `show`). Figures: wall time, and CPU time (user+sys) of the command
and every process it started (RUSAGE_CHILDREN, so the cluster's workers are counted), with the load
average before each run (the machine may be shared), and the peak resident memory of the command's
process and of its largest child process (a pool's or a LocalCluster's worker; sampled every 0.2 s).

By default every run is `--no-cache` (it measures segmentation). `--warm` measures the analysis instead:
the cache (in `--dir`, kept between invocations with the corpus) is filled once by `jiegui corpus --jobs N`
(timed and printed; skipped when an earlier invocation filled it), then every run reads it.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated_text import corpus_sentences

JIEGUI = [sys.executable, "-m", "jiegui"]


def generate_corpus(directory: Path, documents: int, per_file: int, seed: int = 12, sentences: tuple[int, int] = (1, 2)) -> tuple[int, int, str]:
    """Files of `per_file` short articles; returns (files, characters, the last document's id)."""
    rng = random.Random(seed)
    pool = corpus_sentences()
    chars = files = 0
    last = ""
    for first in range(0, documents, per_file):
        articles = []
        for number in range(first, min(documents, first + per_file)):
            body = "".join(rng.choice(pool) for _ in range(rng.randint(*sentences)))
            articles.append(f"嘉兴快讯第{number}号\n\n{body}（来源：《嘉兴日报》2016-{number % 12 + 1}-{number % 28 + 1}）")
        text = "\n\n".join(articles) + "\n"
        folder = directory / f"part{files // 100:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"news{files:05d}.txt").write_text(text, encoding="utf-8")
        last = f"{folder.name}/news{files:05d}#{len(articles)}"
        chars += len(text)
        files += 1
    return files, chars, last


def tree_rss(pid: int) -> dict[int, int]:
    """The resident memory (bytes) of a process and of every process below it (Linux /proc)."""
    found: dict[int, int] = {}
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/statm", encoding="ascii") as statm:
                found[current] = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as children:
                    todo.extend(int(child) for child in children.read().split())
        except (OSError, ValueError):
            continue
    return found


PEAKS: dict[str, int] = {}  # the last run's peak resident memory: of the command's process, of any other


def run(args: list[str], env: dict[str, str], output: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (this command and its children), and a digest of the output (written
    to a file: `segment` prints hundreds of megabytes). The resident memory of the command's process
    and of its children (a pool's or a LocalCluster's workers) is sampled every 0.2 s into PEAKS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    PEAKS.update(client=0, other=0)
    with output.open("wb") as stdout:
        process = subprocess.Popen(args, env=env, stdout=stdout, stderr=subprocess.DEVNULL)
        while process.poll() is None:
            for pid, rss in tree_rss(process.pid).items():
                key = "client" if pid == process.pid else "other"
                PEAKS[key] = max(PEAKS[key], rss)
            time.sleep(0.2)
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, args)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    digest = hashlib.sha256()
    with output.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return wall, cpu, digest.hexdigest()[:12]


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--per-file", type=int, default=500)
    parser.add_argument("--sentences", type=int, nargs=2, default=(1, 2), metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--commands", nargs="+", default=["corpus", "facts"])
    parser.add_argument("--modes", nargs="+", choices=["single", "jobs", "dask"], default=["single", "jobs", "dask"])
    parser.add_argument("--dir", type=Path, help="keep the corpus (and with --warm the cache) here, reused when present")
    parser.add_argument("--warm", action="store_true", help="fill the cache once, then measure warm runs")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"))
    with tempfile.TemporaryDirectory(prefix="jiegui-bench-dask-") as tmp:
        base_dir = args.dir or Path(tmp)
        corpus = base_dir / "corpus"
        stamp = base_dir / "corpus.txt"
        spec = f"{args.documents} {args.per_file} {args.sentences[0]} {args.sentences[1]}"
        if stamp.exists() and stamp.read_text(encoding="utf-8").split("\n")[0] == spec:
            files, chars, last = stamp.read_text(encoding="utf-8").split("\n")[1].split(" ")
        else:
            corpus.mkdir(parents=True, exist_ok=False)
            files, chars, last = generate_corpus(corpus, args.documents, args.per_file, sentences=tuple(args.sentences))
            stamp.write_text(f"{spec}\n{files} {chars} {last}\n", encoding="utf-8")
        env["JIEGUI_CACHE_DIR"] = str(base_dir / "cache")
        print(f"corpus: {args.documents} documents in {files} files, {int(chars) / 1e6:.1f} M characters; "
              f"{os.cpu_count()} cores, {args.workers} processes/workers; {'warm cache' if args.warm else '--no-cache'}")
        output = Path(tmp) / "stdout"
        cache = [] if args.warm else ["--no-cache"]
        filled = base_dir / "cache-filled"
        if args.warm and filled.exists():
            print(f"warm-up: cache filled earlier ({filled.read_text(encoding='utf-8').strip()})", flush=True)
        elif args.warm:
            wall, cpu, _ = run([*JIEGUI, "corpus", "-c", str(corpus), "--json", "--jobs", str(args.workers)], env, output)
            print(f"warm-up: corpus --jobs {args.workers}  wall {wall:7.1f} s   cpu {cpu:7.1f} s", flush=True)
            filled.write_text(f"corpus --jobs {args.workers}: wall {wall:.1f} s, cpu {cpu:.1f} s\n", encoding="utf-8")
        for command in args.commands:
            words = [last if w == "LAST" else w for w in shlex.split(command)]
            base = [*JIEGUI, *words, "-c", str(corpus), "--json", *cache]
            digests = set()
            modes = {"single": ("1 process", []), "jobs": (f"--jobs {args.workers}", ["--jobs", str(args.workers)]),
                     "dask": (f"--scheduler local -j {args.workers}", ["--scheduler", "local", "--jobs", str(args.workers)])}
            for label, extra in (modes[m] for m in args.modes):
                before = load()
                wall, cpu, digest = run(base + extra, env, output)
                digests.add(digest)
                print(f"{command:20} {label:26} wall {wall:7.1f} s   cpu {cpu:7.1f} s   "
                      f"{args.documents / wall:8.0f} docs/s   output {digest} ({output.stat().st_size / 1e6:.1f} MB)   {before}   "
                      f"peak RSS: command {PEAKS['client'] / 1e9:.2f} GB, largest child {PEAKS['other'] / 1e9:.2f} GB", flush=True)
            print(f"{command:20} outputs identical: {len(digests) == 1}")


if __name__ == "__main__":
    main()
