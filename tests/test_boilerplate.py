"""Furniture: corpus boilerplate found from the documents' edges, bylines and source lines, and what
`jiegui corpus`, `jiegui show` and the keywords make of them."""
from __future__ import annotations

import functools
import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from jiegui.text.boilerplate import document_edges, find_boilerplate, is_role_unit, mark_boilerplate, named_source
from jiegui.cli import app
from jiegui.models import Document
from jiegui.text.segment import Segmenter

from .conftest import DATA_DIR

runner = CliRunner()
LIANBO = DATA_DIR / "keywords-lianbo"  # eight TV news items written for these tests, each opening with the lead-in
LEAD_IN = "央视网消息（新闻联播）："


@functools.lru_cache(maxsize=1)
def segmenter() -> Segmenter:
    return Segmenter()  # one for the module: each new Segmenter loads jieba's dictionary again


def make_doc(doc_id: str, text: str) -> Document:
    return Document(doc_id, None, None, None, doc_id, text, (), tuple(segmenter().tokenize(text)))


@pytest.fixture(scope="module")
def lianbo():
    from jiegui.corpus import load_corpus

    return load_corpus(LIANBO)


def test_a_lead_in_that_opens_every_document_is_furniture_and_names_the_source(lianbo):
    assert len(lianbo) == 8
    for doc in lianbo:
        at = doc.text.index(LEAD_IN)
        assert (at, at + len(LEAD_IN)) in doc.furniture, doc.id  # offsets index the unchanged text
        assert doc.source == "央视网"


def test_furniture_tokens_leave_the_keywords(lianbo):
    from jiegui.analyses.keywords import corpus_keywords

    terms = [k.term for k in corpus_keywords(lianbo, top_n=20)]
    assert not {"央视网消息", "新闻联播", "央视网", "消息"} & set(terms), terms
    # The same documents without their furniture marks: the lead-in tops the ranking (what the test guards).
    unmarked = [replace(d, furniture=()) for d in lianbo]
    assert [k.term for k in corpus_keywords(unmarked, top_n=2)] == ["央视网消息", "新闻联播"]


def test_corpus_command_fills_the_source_and_lists_the_pattern():
    result = runner.invoke(app, ["corpus", "--corpus", str(LIANBO), "--json"])
    assert result.exit_code == 0, result.stderr
    assert {row["source"] for row in json.loads(result.stdout)} == {"央视网"}
    result = runner.invoke(app, ["corpus", "--corpus", str(LIANBO), "--furniture", "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"pattern": LEAD_IN, "where": "opening", "documents": 8, "share": 1.0, "example": LEAD_IN}
    ]


def test_show_prints_the_furniture_it_keeps():
    result = runner.invoke(app, ["show", "01-chunyun", "--corpus", str(LIANBO)])
    assert result.exit_code == 0, result.stderr
    assert LEAD_IN in result.stdout


def test_closing_source_lines_of_the_bundled_compilation(corpus_docs):
    patterns = find_boilerplate(document_edges(d) for d in corpus_docs).patterns()
    assert [(p.pattern, p.where, p.documents) for p in patterns] == [("（来源：…）", "closing", 15)]


def test_a_pattern_needs_three_documents_and_a_tenth_of_the_corpus():
    two = [make_doc(f"d{i}", f"{title}\n{LEAD_IN}今天天气晴朗，气温回升。") for i, title in enumerate(["春耕", "夏收"])]
    assert find_boilerplate(map(document_edges, two)).counts == {}
    three = [*two, make_doc("d2", f"秋种\n{LEAD_IN}今天有小雨。")]
    assert find_boilerplate(map(document_edges, three)).counts == {f"opening:{LEAD_IN}": 3}
    words = "甲乙丙丁戊己庚辛壬癸"
    body = [make_doc(f"e{i}", f"{a}{b}新闻\n正文讲的是{a}{b}的事。") for i, (a, b) in enumerate((a, b) for a in words for b in words[:3])]
    assert find_boilerplate(map(document_edges, [*three, *body])).counts == {}  # 3 of 33: under a tenth


@pytest.mark.parametrize(
    "text, unit, source",
    [
        ("标题\n正文说明情况。\n最后一段内容。 华商报记者 黄涛", "华商报记者 黄涛", "华商报"),
        ("标题\n正文说明情况。\n（总台央视记者 唐颖 王利）", "（总台央视记者 唐颖 王利）", "总台央视"),
        ("标题\n原标题：另一个标题\n正文说明情况。\n结尾。", "原标题：另一个标题", None),
        ("标题\n正文说明情况。\n结尾。（记者 张三）", "（记者 张三）", None),
        ("标题\n来源：宁夏日报\n正文说明情况。\n结尾。", "来源：宁夏日报", "宁夏日报"),
    ],
)
def test_bylines_and_source_lines_are_furniture_in_any_corpus(text, unit, source):
    edges = document_edges(make_doc("d", text))
    roles = [u for u in edges.units if is_role_unit(u)]
    assert {u.text for u in roles} >= {unit} and all(u.text in unit for u in roles)  # 原标题： inside its line
    assert named_source(next(u for u in roles if u.text == unit)) == source
    (marked,) = mark_boilerplate([make_doc("d", text)])
    at = text.index(unit)
    assert marked.source == source and marked.furniture == ((at, at + len(unit)),)


def test_a_closing_date_line_fills_the_date():
    (doc,) = mark_boilerplate([make_doc("d", "国务院关于某事的通知\n各省人民政府：\n现将有关事项通知如下。\n国务院办公厅\n二〇〇六年九月七日")])
    assert doc.date == "2006-09-07"
    (doc,) = mark_boilerplate([make_doc("d", "批复\n同意。\n国务院\n2018年11月23日")])
    assert doc.date == "2018-11-23"


def test_a_document_that_states_its_source_keeps_it(docs_by_id):
    assert docs_by_id["jiaxing-qiaotoubao"].source == "杭州网"
    assert docs_by_id["jiegui-da-shanghai-compilation#2"].source == "东方早报"


def test_phrases_leave_the_furniture_out(lianbo):
    """`jiegui phrases` on the TV news items: the lead-in, on all eight, is no phrase of the corpus."""
    from jiegui.analyses.phrases import discover_phrases

    terms = {p.term for p in discover_phrases(lianbo, min_count=3)}
    assert not {"央视网消息", "新闻联播", "央视网"} & terms, terms
    unmarked = {p.term for p in discover_phrases([replace(d, furniture=()) for d in lianbo], min_count=3)}
    assert {"央视网消息", "新闻联播"} & unmarked, unmarked  # what the test guards
    result = runner.invoke(app, ["phrases", "--corpus", str(LIANBO), "--json"])
    assert result.exit_code == 0, result.stderr
    assert not {"央视网消息", "新闻联播"} & {row["term"] for row in json.loads(result.stdout)}
