import io
import json

from jiegui.models import DocumentSummary, Sentence
from jiegui.output import Format, render

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
