"""Numeric facts: metric, year and region rules on corpus sentences and on sentences written per rule.

Documents are built here from text (segmented with the real Segmenter). Regions come from a small
gazetteer with the real names and paths of the places these sentences mention, so the owner rules are
tested independently of the full gazetteer's disambiguation; one test runs against the packaged one.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest
import regex

from jiegui.errors import UnknownRegionError
from jiegui.facts import SortOrder, document_region, extract_facts, filter_facts, sort_facts
from jiegui.models import Document, Sentence
from jiegui.segment import Segmenter


@dataclass(frozen=True)
class FakeRegion:
    name: str
    short: str
    code: str | None
    level: str
    path: tuple[str, ...]

    def within(self, other: "FakeRegion") -> bool:
        return self.path[: len(other.path)] == other.path


@dataclass(frozen=True)
class FakeMention:
    start: int
    end: int
    text: str
    region: FakeRegion


_ZJ, _JX, _SH = "浙江省", "嘉兴市", "上海市"
_REGIONS = [
    FakeRegion(_ZJ, "浙江", "33", "province", (_ZJ,)),
    FakeRegion(_SH, "上海", "31", "province", (_SH,)),
    FakeRegion(_JX, "嘉兴", "3304", "city", (_ZJ, _JX)),
    FakeRegion("平湖市", "平湖", "330482", "county", (_ZJ, _JX, "平湖市")),
    FakeRegion("海宁市", "海宁", "330481", "county", (_ZJ, _JX, "海宁市")),
    FakeRegion("桐乡市", "桐乡", "330483", "county", (_ZJ, _JX, "桐乡市")),
    FakeRegion("新埭镇", "新埭", "330482104", "town", (_ZJ, _JX, "平湖市", "新埭镇")),
    FakeRegion("松江区", "松江", "310117", "county", (_SH, "松江区")),
]


class FakeGazetteer:
    def __init__(self) -> None:
        self.names = {}
        for region in _REGIONS:
            self.names[region.name] = region
            self.names[region.short] = region
        self.names["沪"] = self.names["上海"]
        self.pattern = regex.compile("|".join(sorted(self.names, key=len, reverse=True)))

    def scan(self, text: str) -> list[FakeMention]:
        return [FakeMention(m.start(), m.end(), m[0], self.names[m[0]]) for m in self.pattern.finditer(text)]

    def resolve(self, name: str) -> FakeRegion:
        if name not in self.names:
            raise UnknownRegionError(f"unknown region: {name}")
        return self.names[name]


GAZETTEER = FakeGazetteer()
SEGMENTER = Segmenter()


def make_doc(text: str, *, title: str | None = None, date: str | None = None, doc_id: str = "t") -> Document:
    sentences = []
    for i, match in enumerate(regex.finditer(r"[^。！？\n]+[。！？]?", text)):
        sentences.append(Sentence(i, match.start(), match.end(), match[0]))
    return Document(doc_id, title, None, date, "t.txt", text, tuple(sentences), tuple(SEGMENTER.tokenize(text)))


def facts_of(text: str, **kwargs) -> list:
    return extract_facts([make_doc(text, **kwargs)], gazetteer=GAZETTEER)


def test_corpus_sentence_region_is_the_subject_not_the_source():
    text = "2016年，嘉兴市引进来自上海的内资项目220个，总投资183.9亿元。"
    facts = facts_of(text)
    assert [(f.text, f.value, f.unit, f.kind, f.metric, f.year, f.region) for f in facts] == [
        ("220个", 220, "个", "count", "内资项目", 2016, "嘉兴"),
        ("183.9亿元", 18390000000, "元", "money", "总投资", 2016, "嘉兴"),
    ]
    assert facts[0].region_path == ("浙江省", "嘉兴市")
    assert text[facts[1].start:facts[1].end] == "183.9亿元"
    assert facts[0].sentence == text


def test_corpus_sentence_metric_before_and_after_the_number():
    facts = facts_of("来自上海、浙江的各方领导、嘉宾1000多人出席会议，嘉兴与上海签下了30多个涉及园区平台的合作协议。")
    assert [(f.text, f.value, f.qualifier, f.metric, f.region) for f in facts] == [
        ("1000多人", 1000, "approx", "嘉宾", "嘉兴"),  # the article region: 上海、浙江 are sources
        ("30多个", 30, "approx", "合作协议", "嘉兴"),
    ]


def test_pronoun_resolves_to_the_article_region_and_relative_year_to_the_date():
    text = "平湖积极接轨上海。今年我市新引进高层次人才68名，去年全市实现工业产值近1000亿元。"
    facts = facts_of(text, title="平湖：打造接轨上海第一站", date="2017-07-31")
    assert [(f.text, f.metric, f.year, f.region, f.qualifier) for f in facts] == [
        ("68名", "高层次人才", 2017, "平湖", None),
        ("近1000亿元", "工业产值", 2016, "平湖", "under"),
    ]
    assert facts[0].region_path == ("浙江省", "嘉兴市", "平湖市")


def test_province_pronoun_and_inheritance_from_paragraph():
    text = "海宁地处杭嘉湖平原。\n全省耕地面积2024万亩。\n海宁的工业园区面积14.71平方公里。园区企业500家。"
    facts = facts_of(text, title="海宁融杭接沪")
    assert [(f.text, f.value, f.unit, f.kind, f.region) for f in facts] == [
        ("2024万亩", 20240000, "亩", "area", "浙江"),
        ("14.71平方公里", 14.71, "平方公里", "area", "海宁"),
        ("500家", 500, "家", "count", "海宁"),
    ]


def test_town_fact_belongs_to_the_town_and_is_inside_its_county():
    facts = facts_of("新埭镇与松江区合作，新埭镇共建成标准厂房12万平方米。", title="平湖新埭")
    assert [(f.text, f.value, f.unit, f.region) for f in facts] == [("12万平方米", 120000, "平方米", "新埭")]
    pinghu = GAZETTEER.resolve("平湖")
    assert filter_facts(facts, region=pinghu) == facts
    assert filter_facts(facts, region=GAZETTEER.resolve("嘉兴")) == facts
    assert filter_facts(facts, region=GAZETTEER.resolve("松江")) == []


def test_dates_names_and_ordinals_are_not_facts():
    text = "7月28日，嘉兴举行第一次大会，推进“十三五”规划和G60科创走廊建设，08省道于2016年通车。"
    assert facts_of(text) == []


def test_year_in_a_title_is_not_the_facts_year():
    facts = facts_of("《行动计划（2017-2020年）》提出新增项目42个。")
    assert [(f.text, f.year) for f in facts] == [("42个", None)]


def test_year_in_the_clause_wins_over_the_sentence():
    facts = facts_of("2015年引进项目30个，2016年引进项目42个，增长40%。")
    assert [(f.text, f.year) for f in facts] == [("30个", 2015), ("42个", 2016), ("40%", 2016)]


def test_document_region_prefers_the_title_region_the_text_mentions_most():
    doc = make_doc("嘉兴接轨上海。嘉兴与上海合作，嘉兴发展。", title="浙沪共谋 嘉兴筑牢接轨上海桥头堡")
    assert document_region(doc, GAZETTEER).name == "嘉兴市"
    assert document_region(make_doc("没有地名的文章。"), GAZETTEER) is None


def test_filters_and_sorting():
    facts = facts_of("2016年，平湖引进项目42个，总投资220亿元，占比21%。", doc_id="a")
    assert [f.text for f in filter_facts(facts, kind="money")] == ["220亿元"]
    assert [f.text for f in filter_facts(facts, metric="投资")] == ["220亿元"]
    assert [f.text for f in filter_facts(facts, min_value=50)] == ["220亿元"]
    assert filter_facts(facts, year=2015) == []
    assert filter_facts(facts, doc="b") == []
    assert [f.text for f in sort_facts(facts, SortOrder.value)] == ["220亿元", "42个", "21%"]


def test_unknown_region_is_an_error():
    with pytest.raises(UnknownRegionError):
        GAZETTEER.resolve("火星")


def test_packaged_gazetteer_if_present():
    regions = pytest.importorskip("jiegui.regions")
    facts = extract_facts([make_doc("2016年，嘉兴市引进来自上海的内资项目220个。")], gazetteer=regions.load_gazetteer())
    assert [(f.text, f.region_path) for f in facts] == [("220个", ("浙江省", "嘉兴市"))]
