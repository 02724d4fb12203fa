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


# Every phrase issue 14 found aborting a run (exit 1, tracebacks) or read wrong, in one file.
ADVERSARIAL = """二三十个人来了。百分之七十百分位。营收1234,567元。增长负3.9%，同比下降-2.1%。
一吨半，两米半，三成半，七成六。打八折、七五折、对折、9.5折。168cm，250m，2.4GB，5km。
￥300，$45，€20，300美圆，5306亿台币。18万亿卢布，10.5万字，42万款。五元三毛，两美元又三美分。
百分之百，万分之四，百万分之五。十四届全国人大三次会议，二十届四中全会。唯一一条路。
访问 https://www.test.com/search?q=30%25&p=2020%2C1 。三四十个人，五六千元，十五六岁，一二百人，三四百万元，
一百二三十人，十几二十个，一二万五千人，百分之十几，几十分之一，数十分之一，12345,678人。
本刊每半月出版一期，约半月，近半月。一二十五个，二三十五岁。投资""" + "9" * 5000 + """亿元。
投资""" + "9" * 400 + """元。三五个，一两个，两三个，三四倍，两三个百分点，百分之五六。3亿5千万元，2亿零500万元，1万5千元。
两年半。.5元。2. 5亿元。百分之五万到一四。电话0573-88888888个。三点一四一五九二六五三五八九七九三二三八四六二六四三三八三二七九五零二八八四米。
"""


@pytest.fixture(scope="module")
def adversarial_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("adversarial") / "adversarial.txt"
    path.write_text(ADVERSARIAL, encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_adversarial_phrases_never_fail_a_run(adversarial_file, fmt):
    result = runner.invoke(app, ["facts", "-c", str(adversarial_file), "--format", fmt])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    if fmt == "json":
        found = {(f["text"], f["value"], f["value_max"], f["unit"]) for f in json.loads(result.stdout)}
        assert {("二三十个", 20, 30, "个"), ("负3.9%", -3.9, None, "%"), ("-2.1%", -2.1, None, "%"),
                ("5306亿台币", 530600000000, None, "新台币"), ("两年半", 2.5, None, "年")} <= found
        assert not any(f[0].endswith(("届", "次")) or "99999" in f[0] for f in found)


@pytest.mark.parametrize("command", ["entities", "corpus"])
def test_adversarial_phrases_never_fail_other_commands(adversarial_file, command):
    result = runner.invoke(app, [command, "-c", str(adversarial_file), "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)


def test_debug_shows_a_skipped_number_as_a_warning(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("今年营收百分之七十百分位，利润3亿元。", encoding="utf-8")
    result = runner.invoke(app, ["facts", "-c", str(path), "--no-cache", "--json", "--debug"])
    assert result.exit_code == 0
    assert [f["text"] for f in json.loads(result.stdout)] == ["3亿元"]
    assert result.stderr == "jiegui: warning: a: offset 4: cannot read '百分之七十百' (not a numeral, or larger than any real figure); skipped\n"


def test_traditional_quantities_read_like_simplified(tmp_path):
    path = tmp_path / "trad.txt"
    path.write_text("臺灣去年出口總額達三千億美元，成長百分之五點五，約佔全球貿易的兩成。該公司營收新台幣五百億元，員工兩萬餘人，"
                    "平均年齡三十五歲，廠房面積十二萬平方公尺，產品打八五折出售。\n", encoding="utf-8")
    got = [(f["text"], f["value"], f["unit"], f["qualifier"]) for f in facts("-c", str(path), "--no-cache")]
    assert got == [("三千億美元", 300_000_000_000, "美元", None), ("百分之五點五", 5.5, "%", None), ("兩成", 20, "%", None),
                   ("新台幣五百億元", 50_000_000_000, "新台币", None), ("兩萬餘人", 20_000, "人", "approx"),
                   ("三十五歲", 35, "岁", None), ("十二萬平方公尺", 120_000, "平方米", None), ("打八五折", 85, "%", None)]
