"""Time `jiegui report` on the bundled corpus and on a generated 150-document corpus.

Usage: python bench/bench_report.py [--docs 150] [--repeat 3] [--seed 7]

Each run is a fresh `jiegui report` process (what a user waits for). "cold" starts from an empty cache
dir: every file is cleaned and segmented and vl-convert bundles the charts' JavaScript (kept in the cache
dir afterwards); "warm" is the median of --repeat runs after it; each as wall time and, in brackets, the
process's CPU time (user + system), which is what counts on a shared machine. Then, with a warm cache and
in a fresh process, the CPU time of each step: loading the corpus, computing the sections (build_report)
and drawing the page (render_report), imports included.
The generated documents are headline + 4-10 paragraphs recombined from the bundled corpus's sentences +
a source line with a date, so every section has data.
"""
from __future__ import annotations

import argparse
import json
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated_text import REPO, corpus_sentences, paragraphs  # noqa: E402


def generate_corpus(directory: Path, docs: int, seed: int) -> None:
    rng = random.Random(seed)
    sentences = corpus_sentences()
    stream = paragraphs(rng, sentences)
    papers = ["嘉兴日报", "浙江日报", "东方早报", "钱江晚报", "解放日报"]
    for number in range(docs):
        headline = rng.choice(sentences).rstrip("。！？")[:24]
        body = "\n".join(next(stream) for _ in range(rng.randint(4, 10)))
        source = f"（来源：《{rng.choice(papers)}》{rng.randint(2010, 2019)}-{rng.randint(1, 12)}-{rng.randint(1, 28)}）"
        (directory / f"doc{number:03d}.txt").write_text(f"{headline}\n{body}\n{source}\n", encoding="utf-8")


def timed_run(corpus: Path, output: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one `jiegui report` process: on a shared machine the
    wall time includes waiting for a core, the CPU time does not."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "jiegui", "report", "-c", str(corpus), "-o", str(output)],
                   check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def steps(corpus: Path) -> dict[str, float]:
    """CPU time of each step, in this process (imports included, as in a fresh command)."""
    from jiegui.output import report
    from jiegui.corpus import load_corpus

    figures = {}
    start = time.process_time()
    documents = load_corpus(corpus)
    figures["load"] = time.process_time() - start
    start = time.process_time()
    data = report.build_report(report.report_inputs(documents))
    figures["build"] = time.process_time() - start
    start = time.process_time()
    page = report.render_report(data)
    figures["render"] = time.process_time() - start
    figures["documents"] = len(documents)
    figures["page_mb"] = len(page.encode()) / 1e6
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--steps", type=Path, help=argparse.SUPPRESS)  # internal: time the steps on this corpus
    args = parser.parse_args()
    if args.steps is not None:
        print(json.dumps(steps(args.steps)))
        return
    print(f"# {platform.processor() or platform.machine()}, Python {platform.python_version()}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "generated"
        generated.mkdir()
        generate_corpus(generated, args.docs, args.seed)
        print(f"# load average before: {os.getloadavg()[0]:.1f}; wall (CPU) seconds; steps in CPU seconds")
        print("| corpus | documents | cold | warm (median) | load | sections | page | page size |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, corpus in (("bundled", REPO / "corpus"), (f"generated, {args.docs} files", generated)):
            cache = Path(tmp) / f"cache-{len(name)}"
            env = {**os.environ, "JIEGUI_CACHE_DIR": str(cache), "PYTHONPATH": str(REPO / "src")}
            output = Path(tmp) / "report.html"
            cold = timed_run(corpus, output, env)
            runs = [timed_run(corpus, output, env) for _ in range(args.repeat)]
            warm = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
            # the steps in a fresh process too, so that each corpus pays its own imports
            s = json.loads(subprocess.run([sys.executable, __file__, "--steps", str(corpus)], env=env, check=True,
                                          capture_output=True, text=True).stdout)
            print(f"| {name} | {s['documents']} | {cold[0]:.1f} s ({cold[1]:.1f}) | {warm[0]:.1f} s ({warm[1]:.1f}) "
                  f"| {s['load']:.2f} s | {s['build']:.2f} s "
                  f"| {s['render']:.2f} s | {s['page_mb']:.1f} MB |", flush=True)


if __name__ == "__main__":
    main()
