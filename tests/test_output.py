import io
import json

import pytest

from jiegui.models import DocumentSummary, Sentence
from jiegui.output.render import Format, render

ROWS = [Sentence(0, 0, 7, "嘉兴接轨上海。"), Sentence(1, 7, 12, "“千人大会”")]


def rendered(fmt, rows=ROWS, **options):
    stream = io.StringIO()
    render(rows, fmt, stream=stream, **options)
    return stream.getvalue()


def test_json_is_an_array_of_objects_with_unescaped_chinese():
    out = rendered(Format.json)
    assert json.loads(out) == [
        {"index": 0, "start": 0, "end": 7, "text": "嘉兴接轨上海。"},
        {"index": 1, "start": 7, "end": 12, "text": "“千人大会”"},
    ]
    assert "嘉兴" in out


def test_empty_json_is_an_empty_array():
    assert json.loads(rendered(Format.json, [])) == []


def test_jsonl_one_object_per_line():
    lines = rendered(Format.jsonl).splitlines()
    assert [json.loads(line)["index"] for line in lines] == [0, 1]


def test_csv_and_tsv():
    assert rendered(Format.csv) == 'index,start,end,text\n0,0,7,嘉兴接轨上海。\n1,7,12,“千人大会”\n'
    assert rendered(Format.tsv).splitlines()[1] == "0\t0\t7\t嘉兴接轨上海。"


def test_csv_header_without_records():
    assert rendered(Format.csv, [], record_type=DocumentSummary) == "id,title,source,date,chars,sentences,duplicates_removed,path\n"


def test_csv_lists_and_none():
    from dataclasses import dataclass

    @dataclass
    class Row:
        name: str
        path: list
        code: str | None

    assert rendered(Format.csv, [Row("平湖", ["浙江省", "嘉兴市"], None)]).splitlines()[1] == "平湖,浙江省|嘉兴市,"


def test_table_shows_text_literally():
    out = rendered(Format.table, [Sentence(0, 0, 9, "[/x 2008/m ]")])
    assert "[/x 2008/m ]" in out


def _read(text, fmt):
    import csv

    return list(csv.reader(io.StringIO(text, newline=""), delimiter="," if fmt is Format.csv else "\t"))


@pytest.mark.parametrize("fmt", [Format.csv, Format.tsv])
def test_carriage_returns_and_newlines_in_names_are_quoted(fmt):
    rows = [DocumentSummary("a\rb", "标题\n第二行", None, None, 3, 1, 0, "dir\r/a\rb.txt")]
    out = rendered(fmt, rows, record_type=DocumentSummary)
    assert _read(out, fmt)[1] == ["a\rb", "标题\n第二行", "", "", "3", "1", "0", "dir\r/a\rb.txt"]


@pytest.mark.parametrize("fmt", [Format.csv, Format.tsv])
@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_cells_start_with_an_apostrophe(fmt, text):
    out = rendered(fmt, [Sentence(0, -5, 7, text)])
    assert _read(out, fmt)[1] == ["0", "-5", "7", "'" + text]  # a negative number stays a number


def test_segment_csv_has_one_row_per_token_and_reads_back_with_default_limits():
    from jiegui.models import SegmentedDocument, TokenRecord

    tokens = [TokenRecord("嘉兴" * 3, "ns", 6 * i, 6 * i + 6) for i in range(30_000)]  # 180,000 characters
    out = rendered(Format.csv, [SegmentedDocument("long", tokens)], record_type=SegmentedDocument)
    rows = _read(out, Format.csv)
    assert rows[0] == ["doc", "token", "pos", "start", "end"]
    assert rows[1] == ["long", "嘉兴嘉兴嘉兴", "ns", "0", "6"] and len(rows) == 30_001
    empty = rendered(Format.csv, [], record_type=SegmentedDocument)
    assert empty == "doc,token,pos,start,end\n"


def test_data_formats_write_nothing_when_a_record_fails():
    def records():
        yield ROWS[0]
        raise RuntimeError("the second file is bad")

    for fmt in (Format.json, Format.csv, Format.tsv, Format.table):
        stream = io.StringIO()
        with pytest.raises(RuntimeError):
            render(records(), fmt, stream=stream)
        assert stream.getvalue() == "", fmt


def _console(width):
    from rich.console import Console

    return Console(file=io.StringIO(), width=width, color_system=None)


def test_table_escapes_control_characters_and_terminal_sequences():
    console = _console(120)
    render([Sentence(0, 0, 9, "标题\x1b]0;pwned\x07\u202eabc\r")], Format.table, stream=io.StringIO(), console=console)
    out = console.file.getvalue()
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out and "\r" not in out
    assert "标题\\x1b]0;pwned\\x07\\u202eabc\\r" in out


@pytest.mark.parametrize("width", [120, 100])
def test_similarity_matrix_fits_the_terminal_with_whole_ids_and_scores(width):
    labels = [f"jiegui-da-shanghai-compilation#{i}" for i in range(1, 23)]
    scores = [[1.0 if i == j else round(0.01 * ((i * j) % 37), 2) for j in range(22)] for i in range(22)]
    console = _console(width)
    from jiegui.output.render import render_matrix

    render_matrix(labels, scores, Format.table, stream=io.StringIO(), console=console)
    lines = console.file.getvalue().splitlines()
    assert max(map(len, lines)) <= width
    assert "…" not in "".join(lines)
    assert all(any(label + " " in line for line in lines) for label in labels)  # each id whole on one line
    assert len(lines) < 80  # 346 lines before: ids folded two characters a line
    numbers = [int(cell) for line in lines if line.startswith("┃") for cell in line.strip("┃ ").split("┃")[2:] if cell.strip().isdigit()]
    assert sorted(numbers) == list(range(1, 23))  # every column shown once, in tables the width holds


def test_corpus_table_keeps_ids_and_numbers_whole():
    rows = [DocumentSummary("jiegui-da-shanghai-compilation#15", "浙沪共谋杭州湾大湾区建设 嘉兴筑牢浙江接轨上海“桥头堡”" * 2,
                            "杭州网", "2017-07-31", 123456, 40, 1, "x")]
    console = _console(120)
    render(rows, Format.table, stream=io.StringIO(), console=console,
           columns=["id", "title", "source", "date", "chars", "sentences", "duplicates_removed"])
    out = console.file.getvalue()
    assert "jiegui-da-shanghai-compilation#15" in out and "123456" in out
    assert max(map(len, out.splitlines())) <= 120
