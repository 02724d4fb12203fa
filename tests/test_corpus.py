"""Finding and reading the corpus's files: odd file systems, odd names, odd streams (issue 15)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jiegui.cli import app
from jiegui.corpus import find_sources

runner = CliRunner()
TEXT = "平湖市新埭镇引进上海项目12个，总投资达到35亿元。"
COMPILATION = "平湖：新埭镇引进项目\n平湖市新埭镇引进上海项目12个。\n（来源：平湖日报）\n海宁：长安镇接轨上海\n海宁市长安镇签约项目5个。\n（来源：海宁日报）\n"


def jiegui(*args: str, cache: Path | str, timeout: float = 120, **options) -> subprocess.CompletedProcess:
    env = {**os.environ, "JIEGUI_CACHE_DIR": str(cache)}
    env.pop("JIEGUI_CORPUS", None)
    return subprocess.run([sys.executable, "-m", "jiegui", *args], env=env, capture_output=True, timeout=timeout, **options)


def one_error_line(stderr: bytes | str) -> str:
    text = stderr.decode() if isinstance(stderr, bytes) else stderr
    assert "Traceback" not in text
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert lines[0].startswith("jiegui: error: "), text
    return lines[0]


# ---------------------------------------------------------------- names
@pytest.mark.parametrize("options", [[], ["-j", "2"], ["--no-cache"]])
def test_file_names_that_are_not_utf8_load_with_a_readable_id_and_a_printable_path(tmp_path, options):
    corpus = tmp_path / "corpus"
    (corpus / os.fsdecode(b"\xb5\xd8\xc7\xf8")).mkdir(parents=True)  # 地区, GBK, as a Windows zip leaves it
    (corpus / os.fsdecode(b"gbk\xc6\xbd\xba\xfe.txt")).write_text(TEXT, encoding="utf-8")  # 平湖 in GBK
    (corpus / os.fsdecode(b"\xb5\xd8\xc7\xf8") / "b.txt").write_text("海宁市长安镇签约项目5个。", encoding="utf-8")
    (corpus / os.fsdecode(b"bad\xff.jpg")).write_bytes(b"\xff\xd8")
    done = jiegui("corpus", "-c", str(corpus), "--json", *options, cache=tmp_path / "cache")
    assert done.returncode == 0, done.stderr.decode()
    rows = json.loads(done.stdout)
    assert [r["id"] for r in rows] == ["gbk平湖", "地区/b"]
    assert rows[0]["path"] == f"{corpus}/gbkƽ\\xba\\xfe.txt"  # \xc6\xbd alone is valid UTF-8: ƽ
    assert done.stderr.decode() == f"jiegui: warning: skipping {corpus}/bad\\xff.jpg: not a text file (.txt, .md, .text)\n"
    shown = jiegui("show", "gbk平湖", "-c", str(corpus), "--raw", *options, cache=tmp_path / "cache")
    assert shown.stdout.decode() == TEXT + "\n"


def test_duplicate_stems_and_article_like_names_get_unique_ids(tmp_path):
    for name in ["a.txt", "a.md", "a.text", "b#1.txt", "c.md"]:
        (tmp_path / name).write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.txt").write_text(COMPILATION, encoding="utf-8")
    result = runner.invoke(app, ["corpus", "-c", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.stderr
    ids = [row["id"] for row in json.loads(result.stdout)]
    assert ids == ["a.md", "a.text", "a.txt", "b#1.txt", "b#1", "b#2", "c"]
    shown = runner.invoke(app, ["show", "a.md", "-c", str(tmp_path), "--json"])
    assert json.loads(shown.stdout)[0]["path"] == str(tmp_path / "a.md")
    similar = runner.invoke(app, ["similar", "b#1.txt", "-c", str(tmp_path), "--json"])
    assert similar.exit_code == 0, similar.stderr
    assert {row["b"] for row in json.loads(similar.stdout)} <= set(ids) - {"b#1.txt"}


@pytest.mark.parametrize(
    "relatives, ids",
    [
        (["x.txt", "sub/x.txt"], ["x", "sub/x"]),
        (["x.txt.txt", "x.txt", "x.md"], ["x.txt", "x.txt~2", "x.md"]),  # a full name that is another stem
        (["x#2.txt"], ["x#2"]),  # no file x beside it: no clash
    ],
)
def test_unique_ids_rule(relatives, ids):
    from jiegui.corpus import unique_ids

    assert unique_ids(relatives) == ids


# ---------------------------------------------------------------- what is read
def test_fifo_and_symlink_to_a_device_are_skipped_without_hanging(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    os.mkfifo(tmp_path / "x.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    done = jiegui("corpus", "-c", str(tmp_path), "--json", cache=tmp_path / "cache", timeout=60)
    assert done.returncode == 0
    assert [r["id"] for r in json.loads(done.stdout)] == ["a"]
    assert done.stderr.decode().splitlines() == [
        f"jiegui: warning: skipping {tmp_path}/x.txt: not a regular file (a FIFO, device or socket)",
        f"jiegui: warning: skipping {tmp_path}/zero.txt: not a regular file (a FIFO, device or socket)",
    ]


def test_a_folder_2000_levels_deep_is_walked_without_recursion(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        for _ in range(2000):  # through file descriptors: the full path outgrows PATH_MAX
            os.mkdir("d", dir_fd=fd)
            inner = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
        with open(os.open("deep.txt", os.O_WRONLY | os.O_CREAT, dir_fd=fd), "w", encoding="utf-8") as handle:
            handle.write(TEXT)
    finally:
        os.close(fd)
    try:
        result = runner.invoke(app, ["corpus", "-c", str(tmp_path), "--json", "--no-cache"])
        assert result.exit_code == 0, result.stderr
        ids = [r["id"] for r in json.loads(result.stdout)]
        assert ids[0] == "a"
        assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
        # as deep as the system lets a path go, files are read; deeper, the folder is reported
        assert ids[1:] == ["d/" * 2000 + "deep"] or "File name too long" in result.stderr
    finally:
        subprocess.run(["rm", "-rf", str(tmp_path / "d")], check=True)  # rmtree recurses once per level


def test_an_unreadable_subfolder_is_reported(tmp_path, monkeypatch):
    """Tests run as root, which reads any folder: the refusal is simulated where the walk lists a folder."""
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "b.txt").write_text(TEXT, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    warnings = []
    assert [s.doc_id for s in find_sources(tmp_path, warn=warnings.append)] == ["a"]
    assert warnings == [f"skipping folder {tmp_path}/locked: cannot read it (Permission denied)"]


def test_include_and_exclude_globs(tmp_path):
    for name in ["SOURCE.md", "news/a.txt", "news/b.md", "drafts/c.txt", "d.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(TEXT, encoding="utf-8")

    def ids(*options: str) -> list[str]:
        result = runner.invoke(app, ["corpus", "-c", str(tmp_path), "--json", *options])
        assert result.exit_code == 0, result.stderr
        return [row["id"] for row in json.loads(result.stdout)]

    assert ids() == ["SOURCE", "d", "drafts/c", "news/a", "news/b"]
    assert ids("--exclude", "SOURCE.md") == ["d", "drafts/c", "news/a", "news/b"]
    assert ids("--exclude", "SOURCE.md", "--exclude", "drafts") == ["d", "news/a", "news/b"]
    assert ids("--include", "news/*") == ["news/a", "news/b"]
    assert ids("--include", "*.txt", "--exclude", "news/*") == ["d", "drafts/c"]
    result = runner.invoke(app, ["corpus", "-c", str(tmp_path), "--include", "*.csv"])
    assert result.exit_code == 1 and one_error_line(result.stderr).endswith(f"no text files (.txt, .md, .text) in {tmp_path}")


def test_help_names_the_suffixes_the_corpus_reads():
    from jiegui.corpus import TEXT_SUFFIXES

    help_text = " ".join(runner.invoke(app, ["corpus", "--help"]).stdout.split())
    assert f"searched recursively for {', '.join(TEXT_SUFFIXES)})" in help_text
    assert "--include GLOB" in help_text and "--exclude GLOB" in help_text


# ---------------------------------------------------------------- bad options and streams
@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "klingon"])
def test_encodings_that_are_not_text_encodings_are_usage_errors(tmp_path, encoding):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["corpus", "-c", str(tmp_path / "a.txt"), "--encoding", encoding])
    assert result.exit_code == 2
    assert result.stdout == ""
    line = one_error_line(result.stderr)
    assert f"{encoding!r} is not a text encoding" in line or f"unknown encoding {encoding!r}" in line


@pytest.mark.parametrize("env, args", [({}, ["-c", ""]), ({"JIEGUI_CORPUS": ""}, [])])
def test_an_empty_corpus_path_is_a_usage_error_from_option_and_environment(tmp_path, env, args):
    done = subprocess.run([sys.executable, "-m", "jiegui", "corpus", *args],
                          env={**os.environ, "JIEGUI_CACHE_DIR": str(tmp_path), **env}, capture_output=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2
    assert "the corpus path is empty" in one_error_line(done.stderr)


def test_closed_stdin_is_one_error_line(tmp_path):
    done = jiegui("corpus", "-c", "-", cache=tmp_path, stdin=subprocess.DEVNULL, preexec_fn=lambda: os.close(0))
    assert done.returncode == 1
    assert one_error_line(done.stderr) == "jiegui: error: standard input is closed"


def test_endless_stdin_is_refused_past_the_limit(tmp_path):
    with open("/dev/zero", "rb") as zero:
        done = jiegui("corpus", "-c", "-", cache=tmp_path, stdin=zero, timeout=60)
    assert done.returncode == 1
    assert one_error_line(done.stderr) == "jiegui: error: standard input holds more than 256 MB; save it to a file and pass its path"


@pytest.mark.parametrize("option", ["--userdict", "--stopwords"])
def test_word_files_that_are_folders_or_devices_say_so(tmp_path, option):
    folder = runner.invoke(app, ["segment", "-c", "-", option, str(tmp_path)], input="嘉兴")
    assert folder.exit_code == 1 and one_error_line(folder.stderr).endswith(f"{tmp_path} is a directory, not a file")
    device = runner.invoke(app, ["segment", "-c", "-", option, "/dev/null"], input="嘉兴")
    assert device.exit_code == 1 and "/dev/null is not a regular file" in one_error_line(device.stderr)


# ---------------------------------------------------------------- a cache folder that cannot be used
def _unusable_cache_dirs(tmp_path: Path) -> dict[str, str]:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    return {"a file": str(blocker), "/dev/null": "/dev/null", "under a file": str(blocker / "cache")}


@pytest.mark.parametrize("kind", ["a file", "/dev/null", "under a file"])
def test_an_unusable_cache_dir_is_warned_about_once_and_the_run_goes_on(tmp_path, kind):
    cache = _unusable_cache_dirs(tmp_path)[kind]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "b.txt").write_text(TEXT + "海宁。", encoding="utf-8")
    done = jiegui("corpus", "-c", str(corpus), "--json", cache=cache)
    assert done.returncode == 0, done.stderr.decode()
    assert [r["id"] for r in json.loads(done.stdout)] == ["a", "b"]
    (warning,) = done.stderr.decode().splitlines()
    assert warning.startswith(f"jiegui: warning: cache directory {cache}") and warning.endswith("; running without the cache")
    if kind == "under a file":  # without a cache: built in memory, 2 s a run, so once is enough
        quiet = jiegui("corpus", "-c", str(corpus), "--json", "--no-cache", cache=cache)
        assert quiet.returncode == 0 and quiet.stderr == b""
    for command in (["cache", "info"], ["cache", "clear"]):
        failed = jiegui(*command, cache=cache)
        assert failed.returncode == 1
        assert one_error_line(failed.stderr).startswith(f"jiegui: error: cache directory {cache}")


def test_a_read_only_cache_dir_is_warned_about_and_jieba_stays_quiet(tmp_path, monkeypatch):
    """Root writes anywhere, so the read-only folder is simulated where jiegui asks (os.access)."""
    monkeypatch.setenv("JIEGUI_CACHE_DIR", str(tmp_path / "ro"))
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if str(path).startswith(str(tmp_path / "ro")) else real_access(path, mode, **kw))
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    result = runner.invoke(app, ["corpus", "-c", str(tmp_path / "a.txt"), "--json"])
    assert result.exit_code == 0
    assert result.stderr == f"jiegui: warning: cache directory {tmp_path}/ro cannot be used (Permission denied); running without the cache\n"
    assert not list((tmp_path / "ro").iterdir())


def test_cache_info_into_a_closed_pipe_exits_0(tmp_path):
    """`jiegui cache info | head -1`: the reader has gone before jiegui writes."""
    proc = subprocess.Popen([sys.executable, "-m", "jiegui", "cache", "info"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "JIEGUI_CACHE_DIR": str(tmp_path)})
    proc.stdout.close()
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""


# ---------------------------------------------------------------- huge files: one article at a time
def _compilation(tmp_path: Path, articles: int) -> Path:
    """A file of articles, each closed by a source statement (a new article starts after it)."""
    body = "嘉兴市推进接轨上海示范区建设，{n}号项目今年开工。平湖和海宁的企业签约合作{n}项。"
    path = tmp_path / "huibian.txt"
    path.write_text("\n\n".join(f"接轨上海第{n}篇\n\n{body.format(n=n)}\n\n{body.format(n=n + 1)}（来源：嘉兴日报）"
                                for n in range(1, articles + 1)), encoding="utf-8")
    return path


class _CountingSegmenter:
    """A Segmenter that counts the texts it was asked to segment."""

    def __init__(self) -> None:
        from jiegui.text.segment import Segmenter

        self.inner, self.calls = Segmenter(), 0
        self.settings = self.inner.settings

    def lazy_tokens(self, text: str):
        self.calls += 1
        return self.inner.lazy_tokens(text)


@pytest.mark.parametrize("use_cache", [False, True])
def test_a_compilation_is_segmented_one_article_at_a_time(tmp_path, use_cache):
    from jiegui.corpus import Source, load_source, stream_source

    path = _compilation(tmp_path, 5)
    source = Source(str(path), "huibian")
    segmenter = _CountingSegmenter()
    stream = stream_source(source, segmenter=segmenter, use_cache=use_cache)  # type: ignore[arg-type]
    first = next(stream)
    assert first.id == "huibian#1" and segmenter.calls == 1  # the other four articles are not segmented yet
    rest = list(stream)
    assert segmenter.calls == 5 and [d.id for d in rest] == [f"huibian#{n}" for n in range(2, 6)]
    streamed = [first, *rest]
    assert streamed == load_source(source, segmenter=segmenter.inner, use_cache=False)  # type: ignore[arg-type]
    for doc in streamed:  # offsets index the document's own text
        assert all(doc.text[t.start : t.end] == t.text for t in doc.tokens)
        assert "".join(t.text for t in doc.tokens) == doc.text.replace("\n", "")


def test_a_streamed_file_is_cached_whole_and_an_abandoned_one_not_at_all(tmp_path):
    from jiegui import cache
    from jiegui.corpus import Source, load_source, stream_source
    from jiegui.text.segment import Segmenter

    segmenter = Segmenter()
    path = _compilation(tmp_path, 4)
    source = Source(str(path), "huibian")
    key = cache.cache_key(path.read_bytes(), doc_id="huibian", settings=segmenter.settings.fingerprint(), encoding=None)
    stream = stream_source(source, segmenter=segmenter)
    next(stream)
    stream.close()  # the reader stops after one article: no entry, no temporary file left behind
    assert cache.read(key, str(path), "huibian") is None
    assert not list(cache.entries_dir().glob(".tmp-*"))
    streamed = list(stream_source(source, segmenter=segmenter))
    assert cache.read(key, str(path), "huibian") == streamed == load_source(source, segmenter=segmenter, use_cache=False)


def test_a_run_stopped_while_the_cache_writer_finishes_leaves_no_temporary_file(tmp_path, monkeypatch):
    """SIGTERM or Ctrl-C can land while the main thread waits for the writer to finish the entry; the
    process may then end before the writer thread does (a worker exits at once), so the unfinished
    temporary file must be removed at the moment of the stop, not by the writer."""
    import signal
    import threading

    from jiegui import cache
    from jiegui.corpus import Source, load_source
    from jiegui.text.segment import Segmenter

    real_write_entry = cache._write_entry
    resume = threading.Event()

    def write_entry_interrupted_at_the_end(handle, key, documents):
        documents = list(documents)  # every document has arrived: the main thread now waits in join()
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
        resume.wait(10)
        real_write_entry(handle, key, documents)

    monkeypatch.setattr(cache, "_write_entry", write_entry_interrupted_at_the_end)
    path = _compilation(tmp_path, 2)
    source = Source(str(path), "huibian")
    segmenter = Segmenter()
    with pytest.raises(KeyboardInterrupt):
        load_source(source, segmenter=segmenter)
    assert not list(cache.entries_dir().glob(".tmp-*"))  # gone while the writer is still on it
    resume.set()
    for thread in threading.enumerate():
        if thread.name == "jiegui-cache-writer":
            thread.join(10)
    assert not list(cache.entries_dir().glob(".tmp-*"))
    key = cache.cache_key(path.read_bytes(), doc_id="huibian", settings=segmenter.settings.fingerprint(), encoding=None)
    assert cache.read(key, str(path), "huibian") is None  # the writer could not rename what was removed
