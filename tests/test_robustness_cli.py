"""The command line under failure: output that cannot be written, signals, bugs, bad option values
(issue 15). Pipes, closed descriptors and signals are tested on real processes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from jiegui.cli import app

from .conftest import CORPUS_DIR

runner = CliRunner()
SAMPLE = (CORPUS_DIR / "xiao-jiaxing-da-yexin.txt").read_text(encoding="utf-8")
COMMANDS = ["corpus", "segment", "keywords", "phrases", "entities", "facts", "similar"]


def jiegui(*args: str, cache: Path, **popen) -> subprocess.Popen:
    env = {**os.environ, "JIEGUI_CACHE_DIR": str(cache)}
    env.pop("JIEGUI_CORPUS", None)
    return subprocess.Popen([sys.executable, "-m", "jiegui", *args], env=env, **popen)


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    """One cache for this module's processes: jieba's dictionary and the corpus are prepared once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    (folder / "a.txt").write_text(SAMPLE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def good_then_bad(tmp_path_factory) -> Path:
    """A folder whose second file fails to load: the run stops after the first has been rendered."""
    folder = tmp_path_factory.mktemp("goodbad")
    (folder / "a.txt").write_text(SAMPLE, encoding="utf-8")
    (folder / "b.txt").write_bytes(bytes(range(256)) * 8)
    return folder


# ---------------------------------------------------------------- item 1: all or nothing
@pytest.mark.parametrize("command", [["corpus", "-f", "json"], ["corpus", "-f", "csv"], ["segment", "-f", "json"],
                                     ["segment", "-f", "tsv"], ["corpus", "-f", "table"]])
def test_a_failure_mid_run_prints_no_half_written_output(good_then_bad, command):
    result = runner.invoke(app, [*command, "-c", str(good_then_bad), "--no-cache"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("jiegui: error: ") and "b.txt" in result.stderr


def test_jsonl_streams_whole_records_then_the_error(good_then_bad):
    # `segment` streams document by document (`corpus` waits for the corpus's furniture, so prints nothing)
    result = runner.invoke(app, ["segment", "-f", "jsonl", "-c", str(good_then_bad), "--no-cache"])
    assert result.exit_code == 1
    assert [json.loads(line)["doc"] for line in result.stdout.splitlines()] == ["a"]
    assert result.stderr.count("\n") == 1 and "b.txt" in result.stderr


# ---------------------------------------------------------------- item 2: closed, full and broken stdout
@pytest.mark.parametrize("command", COMMANDS + [["cache", "info"]])
def test_closed_stdout_is_one_error_line(cache, small_corpus, command):
    args = command if isinstance(command, list) else [command, "-c", str(small_corpus)]
    proc = jiegui(*args, cache=cache, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                  pass_fds=(), preexec_fn=lambda: os.close(1))
    _, err = proc.communicate(timeout=120)
    assert err.decode() == "jiegui: error: cannot write the output: standard output is closed\n"
    assert proc.returncode == 1


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", ["facts", "segment", "corpus"])
def test_full_disk_is_one_error_line(cache, small_corpus, command):
    with open("/dev/full", "w") as full:
        proc = jiegui(command, "-c", str(small_corpus), "--json", cache=cache, stdout=full, stderr=subprocess.PIPE)
        _, err = proc.communicate(timeout=120)
    assert err.decode() == "jiegui: error: cannot write the output: No space left on device\n"
    assert proc.returncode == 1


@pytest.mark.parametrize("command", [["cache", "info"], ["corpus", "-f", "csv"], ["similar", "--matrix", "-f", "csv"]])
def test_closed_pipe_exits_0_for_every_kind_of_command(cache, command):
    proc = jiegui(*command, cache=cache, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.readline()
    proc.stdout.close()
    proc.wait(timeout=120)
    assert proc.stderr.read().decode() == ""
    assert proc.returncode == 0


# ---------------------------------------------------------------- item 3: a bug is one line, or a traceback on request
def test_a_bug_is_one_line_and_its_traceback_only_with_debug(monkeypatch, small_corpus):
    from jiegui.analyses import facts

    def broken(document, **_):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(facts, "document_facts", broken)  # what the command maps over the documents
    result = runner.invoke(app, ["facts", "-c", str(small_corpus)])
    assert result.exit_code == 1
    assert result.stderr == ("jiegui: error: unexpected ZeroDivisionError: division by zero "
                             "(a bug; run with --debug for the traceback)\n")
    result = runner.invoke(app, ["facts", "-c", str(small_corpus), "--debug"])
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr and "in broken" in result.stderr
    assert result.stderr.endswith("(a bug; run with --debug for the traceback)\n")


def test_warnings_other_than_jiebas_are_not_hidden():
    script = (
        "import warnings, jiegui.cli\n"
        "warnings.warn('a warning of ours', UserWarning)\n"
        "warnings.warn_explicit('invalid escape sequence', SyntaxWarning, '/site-packages/jieba/__init__.py', 44)\n"
        "warnings.warn_explicit('old API', DeprecationWarning, 'posseg.py', 1, module='jieba.posseg')\n"
        "warnings.warn_explicit('old API of numpy', DeprecationWarning, 'x.py', 1, module='numpy')\n"
    )
    err = subprocess.run([sys.executable, "-W", "default", "-c", script], capture_output=True, text=True, check=True).stderr
    assert "a warning of ours" in err and "old API of numpy" in err
    assert "invalid escape" not in err and "old API\n" not in err


# ---------------------------------------------------------------- item 4: SIGTERM stops the workers too
def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_sigterm_ends_the_run_and_its_workers(tmp_path, cache):
    corpus = tmp_path / "big"
    corpus.mkdir()
    for index in range(60):  # ~5 M distinct characters: still being read seconds in at ~600 k characters/s
        text = "".join(f"{line}（{index}-{copy}）\n" for copy in range(30) for line in SAMPLE.splitlines() if line.strip())
        (corpus / f"d{index}.txt").write_text(text, encoding="utf-8")
    proc = jiegui("corpus", "-c", str(corpus), "--json", "-j", "2", cache=cache,
                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(workers := _children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(workers) >= 2
    time.sleep(1.0)  # the workers are busy with files
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)  # EOF on stdout: no worker holds it open any more
    assert proc.returncode == 143
    assert err.decode() == "jiegui: error: terminated\n"
    assert out == b""
    assert not list((cache / "documents").glob(".tmp-*"))  # a terminated worker removes its partial entry
    time.sleep(0.5)
    assert [pid for pid in workers if Path(f"/proc/{pid}").exists() and "Z" not in (Path(f"/proc/{pid}/stat").read_text().split(")")[1][:3])] == []


# ---------------------------------------------------------------- item 7: nan and inf are usage errors
def _float_options():
    command = typer.main.get_command(app)
    for name, sub in command.commands.items():
        for param in getattr(sub, "params", []):
            if getattr(param.type, "name", "") in ("float", "float range"):
                yield name, param.opts[0]


FLOAT_OPTIONS = list(_float_options())


def test_every_float_option_is_found():
    assert {opt for _, opt in FLOAT_OPTIONS} >= {"--min-value", "--min-pmi", "--min-entropy", "--min-score", "--threshold"}


@pytest.mark.parametrize("command, option", FLOAT_OPTIONS)
@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e999"])
def test_nan_and_infinity_are_usage_errors(command, option, value):
    result = runner.invoke(app, [command, f"{option}={value}"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"jiegui: error: Invalid value for '{option}'")
    assert result.stderr.count("\n") == 1


# ---------------------------------------------------------------- item 8: a near id is suggested everywhere
@pytest.mark.parametrize("command", [["keywords", "--doc"], ["entities", "--doc"], ["facts", "--doc"],
                                     ["segment", "--doc"], ["show"], ["similar"]])
@pytest.mark.parametrize("near", ["haining", "haining-rong-hang-jie-hou"])
def test_a_near_document_id_is_suggested_by_every_command(command, near):
    result = runner.invoke(app, [*command, near])
    assert result.exit_code == 1
    assert result.stderr == f"jiegui: error: no document with id '{near}'; did you mean haining-rong-hang-jie-hu?\n"


def test_an_id_near_nothing_points_to_the_corpus_listing():
    result = runner.invoke(app, ["keywords", "--doc", "qqqqqq"])
    assert result.stderr == "jiegui: error: no document with id 'qqqqqq'; `jiegui corpus` lists the ids\n"


# ---------------------------------------------------------------- item 10: near-linear on a line without punctuation
@pytest.fixture(scope="module")
def unpunctuated_line(tmp_path_factory):
    from jiegui.corpus import load_corpus

    letters = "".join(ch for ch in SAMPLE if ch.isalnum())
    path = tmp_path_factory.mktemp("line") / "line.txt"
    path.write_text((letters * (1 + 60_000 // len(letters)))[:60_000], encoding="utf-8")
    return load_corpus(path)


def test_facts_and_mentions_on_a_long_unpunctuated_line_are_fast_and_bounded(unpunctuated_line):
    """60,000 characters: 18 s for facts before (quadratic in the places and numbers of the one clause).
    The bound is on this process's CPU time, not the wall clock, so a loaded machine does not fail it; a
    quadratic rule would still take three times the bound."""
    from jiegui.analyses.entities import document_mentions
    from jiegui.analyses.facts import extract_facts
    from jiegui.text.sentences import MAX_CONTEXT

    started = time.process_time()
    facts = extract_facts(unpunctuated_line)
    mentions = document_mentions(unpunctuated_line[0])
    assert time.process_time() - started < 6
    assert len(facts) > 100 and len(mentions) > 1000
    text = unpunctuated_line[0].text
    for item in [*facts, *mentions]:
        assert len(item.sentence) <= MAX_CONTEXT and item.text in item.sentence and item.sentence in text


def test_matrix_limit_prints_that_many_rows_in_every_format():
    result = runner.invoke(app, ["similar", "--matrix", "-n", "2", "--json"])
    data = json.loads(result.stdout)
    assert len(data["ids"]) == 22 and [len(row) for row in data["scores"]] == [22, 22]
    result = runner.invoke(app, ["similar", "--matrix", "-n", "2", "-f", "table"], env={"COLUMNS": "120"})
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    assert {line.split("│")[1].strip() for line in rows} == {"1", "2"}


def test_an_ambiguous_region_warns_which_one_is_used_and_how_to_choose_another():
    result = runner.invoke(app, ["facts", "-r", "朝阳", "--json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert result.stderr == ("jiegui: warning: 朝阳 also names 北京市朝阳区, 吉林省长春市朝阳区; using 辽宁省朝阳市, "
                             "the largest (write 北京市朝阳区 for another)\n")
