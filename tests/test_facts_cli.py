"""`jiegui facts` end to end: JSON fields as the README documents them, every filter, errors, csv."""
from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from jiegui.cli import app

runner = CliRunner()

# The field table of the README's facts section, in its order.
README_FIELDS = ["doc", "start", "end", "text", "value", "value_max", "unit", "kind", "qualifier", "metric", "year",
                 "region", "region_path", "sentence"]
JIAXING_DOC = "xiao-jiaxing-da-yexin"


def facts(*args: str) -> list[dict]:
    result = runner.invoke(app, ["facts", "--json", *args])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def all_facts(corpus_docs) -> list[dict]:
    return facts()


def test_json_fields_are_the_readme_contract(all_facts):
    assert sorted(all_facts[0]) == sorted(README_FIELDS)
    fact = next(f for f in all_facts if f["text"] == "183.9亿元")
    assert fact == {
        "doc": JIAXING_DOC, "start": fact["start"], "end": fact["start"] + 7, "text": "183.9亿元",
        "value": 18390000000, "value_max": None, "unit": "元", "kind": "money", "qualifier": None,
        "metric": "总投资", "year": 2016, "region": "嘉兴", "region_path": ["浙江省", "嘉兴市"],
        "sentence": "2016年,嘉兴市引进来自上海的内资项目220个,总投资183.9亿元;外资项目117个,实际利用外资14.18亿美元;来自上海投资的浙商项目82个,总投资105亿元。",
    }


def test_no_dates_or_plan_names_among_the_facts(all_facts):
    texts = {f["text"] for f in all_facts}
    assert not texts & {"2016年", "2015年", "十三五", "八八", "G60", "第一"}
    assert all(f["kind"] in {"money", "count", "percent", "area", "length", "weight", "duration", "age", "multiple", "other"}
               for f in all_facts)


def test_region_includes_the_regions_inside_it(all_facts):
    pinghu = facts("--region", "平湖")
    assert pinghu and all(f["region_path"][:3] == ["浙江省", "嘉兴市", "平湖市"] for f in pinghu)
    assert "5000公斤" in {f["text"] for f in pinghu}  # 新埭镇's, a town of 平湖
    jiaxing = facts("--region", "嘉兴市")
    keys = {(f["doc"], f["start"]) for f in jiaxing}
    assert {(f["doc"], f["start"]) for f in pinghu} < keys
    assert len(jiaxing) == sum(f["region_path"][:2] == ["浙江省", "嘉兴市"] for f in all_facts)


def test_unknown_region_is_one_line_with_a_suggestion():
    result = runner.invoke(app, ["facts", "--region", "嘉兴县"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "jiegui: error: unknown region '嘉兴县'; did you mean 嘉兴市?\n"


def test_kind_year_doc_metric_and_min_value(all_facts):
    money_2016 = facts("--kind", "money", "--year", "2016", "--doc", JIAXING_DOC)
    assert [(f["text"], f["value"]) for f in money_2016] == [
        ("183.9亿元", 18390000000), ("14.18亿美元", 1418000000), ("105亿元", 10500000000),
    ]
    investment = facts("--metric", "总投资", "--min-value", "1e10", "--doc", JIAXING_DOC)
    assert [f["text"] for f in investment] == ["183.9亿元", "105亿元"]
    assert all(f["value"] >= 1e10 for f in facts("--min-value", "1e10"))


def test_sort_by_value_largest_first(all_facts):
    by_value = facts("--sort", "value", "--kind", "money")
    values = [f["value"] for f in by_value]
    assert values == sorted(values, reverse=True)
    assert by_value[0]["text"] == "超万亿元"


def test_unknown_doc_and_bad_kind():
    assert runner.invoke(app, ["facts", "--doc", "no-such-doc"]).exit_code == 1
    assert runner.invoke(app, ["facts", "--kind", "volume"]).exit_code == 2


def test_csv_has_the_fields_as_header():
    result = runner.invoke(app, ["facts", "--format", "csv", "--region", "平湖", "--kind", "weight"])
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == README_FIELDS
    assert [(r["text"], r["value"], r["unit"], r["region"]) for r in rows] == [
        ("5000公斤", "5000", "公斤", "新埭"), ("60万吨", "600000", "吨", "平湖"),
    ]


def test_table_shows_readable_values():
    result = runner.invoke(app, ["facts", "--format", "table", "--doc", JIAXING_DOC, "--kind", "money", "--limit", "1"])
    assert result.exit_code == 0
    assert "220亿 元" in result.stdout


def test_region_on_national_news_keeps_the_regions_own_figures(tmp_path):
    (tmp_path / "news.txt").write_text(
        "十四届全国人大三次会议在京开幕\n\n"
        "十四届全国人大三次会议今天在北京开幕。政府工作报告提出，今年国内生产总值增长5%左右，城镇新增就业1200万人以上。\n"
        "2024年，我国国内生产总值达1349084亿元。北京市地区生产总值达4.98万亿元。\n",
        encoding="utf-8",
    )
    rows = facts("-c", str(tmp_path), "--region", "北京")
    assert [(row["text"], row["region"]) for row in rows] == [("4.98万亿元", "北京")]
    assert {row["text"]: row["region"] for row in facts("-c", str(tmp_path))}["1200万人以上"] == "中国"
