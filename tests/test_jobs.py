"""`--jobs 2`: the analyses run in a local pool of worker processes and print exactly what one process
prints (jiegui.distributed's PoolWorkers), cold, warm and without the cache."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiegui.cli import app

from .conftest import CORPUS_DIR, write_generated_corpus

# A worker pool that fails must not raise in its own threads either (see corpus.stop_workers)
pytestmark = pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")

runner = CliRunner()

COMMANDS = [["corpus"], ["keywords"], ["entities"], ["facts"], ["similar"], ["corpus", "--furniture"],
            ["entities", "--mentions", "--type", "PLACE"], ["similar", "--duplicates", "--threshold", "0.5"]]


@pytest.fixture(scope="module")
def generated_corpus(tmp_path_factory) -> Path:
    """30 files in nested folders and a compilation, most with a sign-off and a date line."""
    return write_generated_corpus(tmp_path_factory.mktemp("generated"), files=30, seed=18, dated=True)


def run(*args: str):
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


# Every command on the generated corpus (nested folders, a compilation, sign-offs); on the bundled corpus
# the two whose output depends on the whole corpus at once (the suite's time budget: each case segments
# its corpus five times).
JOB_CASES = [("generated", c) for c in COMMANDS] + [("bundled", ["keywords"]), ("bundled", ["facts"])]


@pytest.mark.parametrize("which, command", JOB_CASES, ids=[f"{w}-{' '.join(c)}" for w, c in JOB_CASES])
def test_two_jobs_print_what_one_job_prints(which, command, generated_corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("JIEGUI_CACHE_DIR", str(tmp_path / "cache"))
    corpus = str(CORPUS_DIR if which == "bundled" else generated_corpus)
    one = run(*command, "-c", corpus, "--json", "--no-cache")
    assert one[0] == 0 and one[1], one[2]
    entries = tmp_path / "cache" / "documents"
    assert run(*command, "-c", corpus, "--json", "--no-cache", "-j", "2") == one
    assert not entries.exists() or not any(entries.iterdir())  # --no-cache: nothing written
    assert run(*command, "-c", corpus, "--json", "-j", "2") == one  # cold: the workers write the cache
    written = sorted(p.name for p in entries.iterdir())
    assert len(written) == len(list(Path(corpus).rglob("*.txt")))
    assert run(*command, "-c", corpus, "--json", "-j", "2") == one  # warm: they read it
    assert run(*command, "-c", corpus, "--json", "-j", "1") == one
    assert sorted(p.name for p in entries.iterdir()) == written


def test_the_workers_read_the_cache_when_warm(generated_corpus, tmp_path, monkeypatch):
    """A warm run makes no document again: with every entry's file made unreadable for processing
    (the segmenter broken in the workers, which fork from here), only the cache can serve them."""
    from jiegui.text import segment

    monkeypatch.setenv("JIEGUI_CACHE_DIR", str(tmp_path / "cache"))
    first = run("facts", "-c", str(generated_corpus), "--json", "-j", "2")
    assert first[0] == 0

    def broken(self, text):
        raise RuntimeError("segmented again")

    monkeypatch.setattr(segment.Segmenter, "lazy_tokens", broken)  # what the corpus pipeline segments with
    assert run("facts", "-c", str(generated_corpus), "--json", "-j", "2") == first
    assert run("facts", "-c", str(generated_corpus), "--json", "-j", "2", "--no-cache")[0] == 1


def test_one_document_and_an_unknown_one(generated_corpus):
    for command in (["facts", "--doc", "news03"], ["entities", "--doc", "news03"], ["facts", "--doc", "news"]):
        one = run(*command, "-c", str(generated_corpus), "--json", "--no-cache")
        assert run(*command, "-c", str(generated_corpus), "--json", "--no-cache", "-j", "2") == one
    assert one[0] == 1 and one[2].startswith("jiegui: error: no document with id 'news'")


def test_bad_and_empty_files_are_reported_as_by_one_job(tmp_path):
    (tmp_path / "a.txt").write_text("平湖市新埭镇引进上海项目12个，总投资达到35亿元。", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02\x03binary\x00\xff" * 40)
    (tmp_path / "c.txt").write_text("海宁市出台了融杭接沪规划。", encoding="utf-8")
    (tmp_path / "d.txt").write_bytes(b"")
    for command in (["facts"], ["corpus"], ["entities"]):
        for extra in ([], ["--skip-bad"]):
            one = run(*command, "-c", str(tmp_path), "--json", "--no-cache", *extra)
            assert run(*command, "-c", str(tmp_path), "--json", "--no-cache", "-j", "2", *extra) == one
            assert "b.txt" in one[2] and ("d.txt" in one[2]) == bool(extra)
    assert one[0] == 0 and json.loads(one[1])


def test_a_finished_run_lets_its_workers_end_on_their_own(generated_corpus, monkeypatch):
    """Workers are terminated only when a run stops half-way (Ctrl-C, an error): killed idle, one could
    print a traceback from the middle of reading its next task."""
    from jiegui import corpus

    terminated: list[object] = []
    monkeypatch.setattr(corpus, "_terminate_workers", terminated.append)
    for command in (["corpus"], ["facts"]):
        assert run(*command, "-c", str(generated_corpus), "--json", "-j", "2", "--no-cache")[0] == 0
    assert terminated == []
    (generated_corpus.parent / "bad").mkdir(exist_ok=True)
    bad = generated_corpus.parent / "bad"
    for name in ("a", "b", "c"):
        (bad / f"{name}.txt").write_bytes(b"\x00\x01\x02" * 50)
    assert run("corpus", "-c", str(bad), "--json", "-j", "2", "--no-cache")[0] == 1
    assert len(terminated) == 1


def test_standard_input_is_read_in_this_process():
    text = "平湖市新埭镇引进上海项目12个，总投资达到35亿元。"
    one = runner.invoke(app, ["facts", "-c", "-", "--json"], input=text)
    two = runner.invoke(app, ["facts", "-c", "-", "--json", "-j", "2"], input=text)
    assert (two.exit_code, two.stdout) == (one.exit_code, one.stdout) and one.exit_code == 0


def _stuck() -> None:
    """A task that cannot be stopped by SIGTERM: as a worker blocked on the pool's result queue is."""
    import signal
    import time

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    time.sleep(120)


def test_a_worker_that_does_not_stop_is_killed(monkeypatch):
    """Stopping an unfinished run ends every worker, even one that ignores SIGTERM, and returns: a pool
    whose worker hung on its result queue once made a run wait for ever at its end."""
    import threading
    from concurrent.futures import wait

    from jiegui import corpus

    monkeypatch.setattr(corpus, "WORKER_GRACE", 0.5)
    pool = corpus.start_workers(1)
    future = pool.submit(_stuck)
    wait([future], timeout=1)  # started
    (process,) = pool._processes.values()
    stopping = threading.Thread(target=corpus.stop_workers, args=(pool,), kwargs={"finished": False}, daemon=True)
    stopping.start()
    stopping.join(30)
    assert not stopping.is_alive(), "stop_workers still waits for a worker that ignored SIGTERM"
    assert not process.is_alive()


def test_without_jobs_a_large_corpus_is_analysed_in_one_process_per_core(generated_corpus, tmp_path, monkeypatch):
    """No --jobs: entities, facts and similar fork one worker per core once the corpus holds
    AUTOMATIC_JOBS_MIN_CHARS characters (here lowered to the generated corpus's size), and print what one
    process prints; a smaller corpus stays in this process."""
    import os

    from jiegui import distributed
    from jiegui.cli import shared

    monkeypatch.setenv("JIEGUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    forked_jobs = []
    real_forked_map = distributed.forked_map

    def recording_forked_map(documents, function, *, settings, jobs):
        forked_jobs.append(jobs)
        return real_forked_map(documents, function, settings=settings, jobs=jobs)

    monkeypatch.setattr(distributed, "forked_map", recording_forked_map)
    corpus = str(generated_corpus)
    size = sum(len(p.read_text(encoding="utf-8")) for p in generated_corpus.rglob("*.txt"))
    for command in (["entities"], ["facts", "--region", "平湖"], ["similar"]):
        one = run(*command, "-c", corpus, "--json", "-j", "1")
        assert one[0] == 0 and one[1], one[2]
        assert run(*command, "-c", corpus, "--json") == one and forked_jobs == []  # 1 M characters: far more than here
        monkeypatch.setattr(shared, "AUTOMATIC_JOBS_MIN_CHARS", size // 2)
        assert run(*command, "-c", corpus, "--json") == one and forked_jobs == [3]
        forked_jobs.clear()
        monkeypatch.setattr(shared, "AUTOMATIC_JOBS_MIN_CHARS", 1_000_000)
