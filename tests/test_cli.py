"""The CLI's contract: exit codes, stdout data vs stderr messages, formats, bad input."""
from __future__ import annotations

import codecs
import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from jiegui.cli import app

from .conftest import CORPUS_DIR

runner = CliRunner()

GBK_TEXT = "平湖市新埭镇引进上海项目12个，总投资达到35亿元。"
BOM_TEXT = "海宁市出台了融杭接沪规划。"


def run(*args: str, input: str | bytes | None = None):
    return runner.invoke(app, list(args), input=input)


def write(path, data: bytes):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@pytest.fixture
def mixed_dir(tmp_path):
    """A small corpus in two encodings, with a hidden file and a non-text file to skip."""
    write(tmp_path / "gbk.txt", GBK_TEXT.encode("gbk"))
    write(tmp_path / "sub" / "bom.txt", codecs.BOM_UTF8 + BOM_TEXT.encode("utf-8"))
    write(tmp_path / ".hidden.txt", "隐藏".encode())
    write(tmp_path / "photo.jpg", b"\xff\xd8\xff\xe0")
    return tmp_path


def command_paths(command=None, path=()):
    """Every command and sub-command of the real app (the click group typer builds), walked recursively, so a
    command added later is checked without anyone listing it here."""
    import typer.main

    command = typer.main.get_command(app) if command is None else command
    for name, sub in getattr(command, "commands", {}).items():
        yield (*path, name)
        yield from command_paths(sub, (*path, name))


COMMAND_PATHS = list(command_paths())


def test_the_walk_finds_the_commands_and_the_sub_commands():
    assert {("corpus",), ("keywords",), ("entities",), ("facts",), ("similar",), ("cache", "clear")} <= set(COMMAND_PATHS)


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_every_command_has_help(path):
    """Each command answers --help with its usage line and a summary of what it does."""
    result = runner.invoke(app, [*path, "--help"], prog_name="jiegui")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Usage: jiegui {' '.join(path)} ")
    summary = result.stdout.split("\n\n")[1].strip()  # the block between the usage line and "Options:"
    assert not summary.startswith("Options:") and len(summary) > 10, f"jiegui {' '.join(path)} has no help text"


def test_corpus_lists_articles_of_bundled_corpus():
    result = run("corpus", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) >= 20
    assert set(rows[0]) == {"id", "title", "source", "date", "chars", "sentences", "duplicates_removed", "path"}
    assert sum(1 for row in rows if row["title"]) >= 19  # an article with no headline has title null
    compilation = {r["title"]: r for r in rows if r["id"].startswith("jiegui-da-shanghai-compilation#")}
    assert len(compilation) >= 15
    assert compilation["嘉兴实施接轨大上海发展战略的调研与思考"]["source"] == "嘉兴日报"
    assert compilation["嘉兴实施接轨大上海发展战略的调研与思考"]["date"] == "2016-07-03"
    assert "平湖：一路铿锵向前接轨大上海" in compilation  # an article that starts with a headline, no source line
    web = {r["id"]: r for r in rows}["jiaxing-qiaotoubao"]
    assert (web["title"], web["source"], web["date"]) == (
        "浙沪共谋杭州湾大湾区建设 嘉兴筑牢浙江接轨上海“桥头堡”", "杭州网", "2017-07-31")
    assert web["duplicates_removed"] == 1  # the web page repeats its lead paragraph


def test_json_is_default_when_piped_and_limit_applies():
    result = run("corpus", "--limit", "2")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 2


@pytest.mark.parametrize("fmt, first", [("csv", "id,title,source,date,chars,sentences,duplicates_removed,path"),
                                        ("tsv", "id\ttitle\tsource\tdate\tchars\tsentences\tduplicates_removed\tpath")])
def test_corpus_csv_tsv_header(fmt, first):
    result = run("corpus", "-f", fmt)
    assert result.stdout.splitlines()[0] == first


def test_gbk_and_bom_files_load_and_skips_are_reported(mixed_dir):
    result = run("corpus", "-c", str(mixed_dir), "--json")
    assert result.exit_code == 0, result.stderr
    rows = {r["id"]: r for r in json.loads(result.stdout)}
    assert set(rows) == {"gbk", "sub/bom"}
    assert "skipping hidden file" in result.stderr and ".hidden.txt" in result.stderr
    assert "photo.jpg: not a text file" in result.stderr
    shown = run("show", "gbk", "-c", str(mixed_dir))
    assert shown.stdout == GBK_TEXT + "\n"
    assert run("show", "sub/bom", "-c", str(mixed_dir)).stdout == BOM_TEXT + "\n"


def test_show_json_has_metadata_and_text():
    result = run("show", "xiao-jiaxing-da-yexin", "--json")
    view = json.loads(result.stdout)[0]
    assert view["id"] == "xiao-jiaxing-da-yexin"
    assert view["text"].startswith("小嘉兴有大野心")
    assert "首页 >" not in view["text"]
    assert view["chars"] == len(view["text"])


def test_show_raw_prints_original():
    result = run("show", "xiao-jiaxing-da-yexin", "--raw")
    assert result.stdout.startswith("首页 > 新闻资讯 > 媒体报道")


def test_show_compilation_article_has_no_hard_wraps_or_pdf_gaps(docs_by_id):
    ids = [i for i in docs_by_id if i.startswith("jiegui-da-shanghai-compilation#")]
    for doc_id in ids:
        text = run("show", doc_id).stdout
        assert " 年" not in text and "年 " not in text, doc_id
        for line in text.splitlines()[1:]:  # the headline is short by nature
            # a hard-wrapped PDF line is about 30 characters without a sentence end
            assert not (28 <= len(line) <= 34 and line[-1] not in "。！？”）】》：；…" and len(text.splitlines()) > 3), (doc_id, line)


def test_stdin_corpus():
    result = run("segment", "-c", "-", "--json", input="嘉兴全面接轨上海。".encode())
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0]["doc"] == "stdin"
    assert [t["token"] for t in rows[0]["tokens"]] == ["嘉兴", "全面", "接轨上海", "。"]
    assert rows[0]["tokens"][2] == {"token": "接轨上海", "pos": "n", "start": 4, "end": 8}


def test_segment_pos_table():
    result = run("segment", "-c", "-", "-f", "table", "--pos", input="漕河泾开发区海宁分区".encode())
    assert "漕河泾开发区/nt" in result.stdout


@pytest.mark.parametrize(
    "setup, args, message",
    [
        (None, ["-c", "/no/such/dir"], "no such file or directory: /no/such/dir"),
        ("empty.txt", [], "empty.txt: empty file"),
        ("binary.txt", [], "binary.txt: binary file, not text"),
        ("emptydir", [], "no text files"),
        ("gbk.txt", ["--encoding", "utf-8"], "gbk.txt: cannot be decoded as utf-8"),
        ("blank.txt", [], "blank.txt: empty file"),
    ],
)
def test_bad_input_gives_one_line_and_exit_1(tmp_path, setup, args, message):
    files = {
        "empty.txt": b"",
        "binary.txt": b"\x00\x01\x02PK\x03\x04" * 20,
        "gbk.txt": GBK_TEXT.encode("gbk"),
        "blank.txt": " \n\n  \n".encode(),
    }
    if setup == "emptydir":
        target = tmp_path / "nothing"
        target.mkdir()
        args = ["-c", str(target)]
    elif setup:
        target = write(tmp_path / setup, files[setup])
        args = ["-c", str(target), *args]
    result = run("corpus", *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_skip_bad_warns_and_goes_on(tmp_path):
    write(tmp_path / "a.txt", GBK_TEXT.encode("gbk"))
    write(tmp_path / "b.txt", b"\x00\x01\x02" * 50)
    assert run("corpus", "-c", str(tmp_path)).exit_code == 1
    result = run("corpus", "-c", str(tmp_path), "--skip-bad", "--json")
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)] == ["a"]
    assert "warning: skipping" in result.stderr and "b.txt: binary file" in result.stderr


def test_parallel_jobs_give_the_same_documents_and_skips(tmp_path):
    """--jobs 2: workers send documents back encoded; the parent rebuilds exactly what one process makes."""
    from jiegui.corpus import load_corpus

    for name in ("haining-rong-hang-jie-hu", "nanhu-jiegui-shanghai", "jiaxing-qiaotoubao"):
        write(tmp_path / f"{name}.txt", (CORPUS_DIR / f"{name}.txt").read_bytes())
    write(tmp_path / "gbk.txt", GBK_TEXT.encode("gbk"))
    write(tmp_path / "z-binary.txt", b"\x00\x01\x02" * 50)
    warnings: list[str] = []
    serial = load_corpus(tmp_path, use_cache=False, skip_bad=True, warn=warnings.append)
    parallel = load_corpus(tmp_path, use_cache=False, skip_bad=True, jobs=2, warn=warnings.append)
    assert [d.id for d in parallel] == ["gbk", "haining-rong-hang-jie-hu", "jiaxing-qiaotoubao", "nanhu-jiegui-shanghai"]
    assert parallel == serial
    assert len(warnings) == 2 and all("z-binary.txt: binary file" in w for w in warnings)
    result = run("corpus", "-c", str(tmp_path), "--skip-bad", "--jobs", "2", "--json")
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)] == [d.id for d in serial]


def test_empty_file_inside_a_corpus_is_skipped_with_a_warning(tmp_path):
    write(tmp_path / "a.txt", GBK_TEXT.encode("gbk"))
    write(tmp_path / "empty.txt", b"")
    result = run("corpus", "-c", str(tmp_path), "--json")
    assert result.exit_code == 0
    assert [r["id"] for r in json.loads(result.stdout)] == ["a"]
    assert result.stderr == f"jiegui: warning: skipping {tmp_path / 'empty.txt'}: empty file\n"


def test_corpus_of_only_bad_files_is_an_empty_corpus(tmp_path):
    write(tmp_path / "b.txt", b"\x00\x01\x02" * 50)
    result = run("corpus", "-c", str(tmp_path), "--skip-bad", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == f"jiegui: error: empty corpus: no documents in {tmp_path}"


def test_unknown_document_id():
    result = run("show", "no-such-doc")
    assert result.exit_code == 1
    assert "no document with id 'no-such-doc'" in result.stderr


@pytest.mark.parametrize(
    "args, message",
    [
        (["corpus", "--no-such-option"], "No such option: --no-such-option"),
        (["corpus", "--format", "xml"], "Invalid value for '--format' / '-f': 'xml' is not one of"),
        (["corpus", "--limit", "-1"], "Invalid value for '--limit' / '-n': -1 is not in the range x>=0."),
        (["no-such-command"], "No such command 'no-such-command'."),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(f"jiegui: error: {message}")
    assert result.stderr.rstrip().endswith("--help)")


def test_no_arguments_show_the_help_and_exit_2():
    result = run()
    assert result.exit_code == 2
    assert "Usage: jiegui [OPTIONS] COMMAND" in result.output and "facts" in result.output


def test_empty_result_is_success(tmp_path):
    result = run("corpus", "-c", str(CORPUS_DIR), "--limit", "0", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []


def test_module_entry_point_and_no_jieba_noise(tmp_path):
    env_cache = {"JIEGUI_CACHE_DIR": str(tmp_path / "cache")}
    import os

    proc = subprocess.run(
        [sys.executable, "-m", "jiegui", "segment", "-c", "-"],
        input="嘉兴接轨上海".encode(), capture_output=True, env={**os.environ, **env_cache}, timeout=120,
    )
    assert proc.returncode == 0
    assert json.loads(proc.stdout)[0]["doc"] == "stdin"
    assert proc.stderr == b""  # jieba's "Building prefix dict" lines never reach the user


def test_user_dictionary_and_missing_dictionary(tmp_path):
    userdict = write(tmp_path / "dict.txt", "新埭镇 10 ns\n".encode())
    text = "新埭镇的企业".encode()
    result = run("segment", "-c", "-", "--json", "--userdict", str(userdict), "--no-cache", input=text)
    assert [t["token"] for t in json.loads(result.stdout)[0]["tokens"]][0] == "新埭镇"
    missing = run("segment", "-c", "-", "--userdict", str(tmp_path / "nope.txt"), input=text)
    assert missing.exit_code == 1
    assert "file not found" in missing.stderr


@pytest.mark.parametrize("command", [["--help"], ["corpus"], ["keywords"], ["entities"], ["facts"]])
def test_commands_import_only_what_they_need(command):
    """Start-up: only `similar` needs scikit-learn (and numpy, scipy), which cost ~0.8 s to import (numpy alone
    0.1 s: `keywords` and `phrases` count with it, `entities` and `facts` scan for places with it), and only
    `report` the charting packages, and only `--scheduler` dask; a command printing JSON and no message does not need rich either
    (typer's help does)."""
    heavy = ("numpy", "scipy", "sklearn", "altair", "vl_convert", "jsonschema", "narwhals", "dask", "distributed", "fsspec")
    heavy += () if command == ["--help"] else ("rich",)
    if command in (["keywords"], ["entities"], ["facts"]):
        # keywords counts n-grams and terms over numpy columns (analyses/columns.py), entities and facts find the
        # gazetteer's candidate positions with numpy (regions._StartsFinder): 0.1 s to import
        heavy = tuple(m for m in heavy if m != "numpy")
    code = (
        "import sys\nfrom jiegui.cli import app\n"
        f"try:\n    app({command!r} + ([] if {command!r} == ['--help'] else ['--json', '--limit', '1']))\n"
        "except SystemExit:\n    pass\n"
        f"print(' '.join(m for m in {heavy!r} if m in sys.modules), file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stderr.strip().splitlines()[-1:] in ([], [""]), result.stderr
    assert result.stdout


def _enums_in(annotation) -> list[type]:
    import enum
    import typing

    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return [annotation]
    return [e for arg in typing.get_args(annotation) for e in _enums_in(arg)]


def _all_commands(typer_app):
    for command in typer_app.registered_commands:
        yield command
    for group in typer_app.registered_groups:
        yield from _all_commands(group.typer_instance)


def test_command_choices_are_the_librarys_enums_not_copies():
    """A choice a command offers is the library's own enum (models.py, or output's Format): a copy in
    the CLI would drift from the values the library accepts."""
    import inspect

    offered = {
        enum_class
        for command in _all_commands(app)
        for parameter in inspect.signature(command.callback).parameters.values()
        for enum_class in _enums_in(parameter.annotation)
    }
    assert {e.__name__ for e in offered} >= {"EntityType", "FactOrder", "KeywordMethod", "QuantityKind", "Format"}
    assert {e.__module__ for e in offered} == {"jiegui.models", "jiegui.output.render"}


def test_every_cli_module_is_imported_so_a_new_command_module_registers_itself():
    """Adding a command group is one new module in jiegui/cli/: the package imports every module it holds."""
    import pkgutil

    import jiegui.cli

    modules = [m.name for m in pkgutil.iter_modules(jiegui.cli.__path__)]
    assert {"corpus", "keywords", "similar", "facts", "entities", "report", "shared"} <= set(modules)
    for name in modules:
        assert f"jiegui.cli.{name}" in sys.modules, name
