"""Numeric facts: metric, year and region rules on corpus sentences and on sentences written per rule.

Documents are built here from text (segmented with the real Segmenter); regions come from the packaged
gazetteer (regions.load_gazetteer()), so 新埭镇 is inside 平湖市, inside 嘉兴市, as in the real data.
"""
from __future__ import annotations

import pytest
import regex

from jiegui.errors import UnknownRegionError
from jiegui.analyses.facts import SortOrder, document_region, extract_facts, filter_facts, resolve_region, sort_facts
from jiegui.models import Document, Sentence
from jiegui.analyses.regions import load_gazetteer
from jiegui.text.segment import Segmenter


GAZETTEER = load_gazetteer()
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
    # 浙江: a county's short form needs its province named (or a preposition of place: 在平湖).
    text = "浙江平湖积极接轨上海。今年我市新引进高层次人才68名，去年全市实现工业产值近1000亿元。"
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


def test_unknown_region_is_an_error_with_suggestions():
    with pytest.raises(UnknownRegionError, match="火星市"):
        resolve_region("火星市", GAZETTEER)
    with pytest.raises(UnknownRegionError, match="did you mean .*嘉兴市"):
        resolve_region("嘉兴县", GAZETTEER)
    assert resolve_region("平湖", GAZETTEER).path == ("浙江省", "嘉兴市", "平湖市")


def test_a_count_measures_the_noun_right_after_it():
    facts = facts_of("台州市主动要求加入15个城市组成的长三角城市经济协调会。")  # corpus
    assert [(f.text, f.metric, f.region) for f in facts] == [("15个", "城市", "台州")]
    facts = facts_of("嘉善县今年新开通3条公交线路，各方来宾1000多人出席会议。")
    assert [(f.text, f.metric) for f in facts] == [("3条", "公交线路"), ("1000多人", "来宾")]


def test_a_quantity_before_de_measures_the_noun_after_it():
    facts = facts_of("在全国2.2%的国土空间上集聚11.8%的人口和21%的地区生产总值。")  # corpus
    assert [(f.text, f.metric) for f in facts] == [("2.2%", "国土空间"), ("11.8%", "人口"), ("21%", "地区生产总值")]


def test_a_region_after_a_verb_is_part_of_the_object_not_the_owner():
    facts = facts_of("1~9月度假区共引进上海旅游投资项目4个。", title="嘉善县旅游接轨上海")  # corpus, shortened
    assert [(f.text, f.metric, f.region) for f in facts] == [("4个", "旅游投资项目", "嘉善")]
    facts = facts_of("嘉兴“膳博士”鲜猪肉占领上海近1/3猪肉市场。")
    assert [(f.text, f.value, f.region) for f in facts] == [("近1/3", pytest.approx(33.333333), "嘉兴")]


def test_partner_regions_in_runs_and_with_a_modifier_are_not_owners():
    facts = facts_of("我市与沪杭等城市举办科技专场对接会超百次。", title="嘉兴接轨大上海")
    assert [(f.text, f.value, f.qualifier, f.region) for f in facts] == [("超百次", 100, "over", "嘉兴")]


def test_a_partner_list_with_deng_is_partner_throughout():
    facts = facts_of("全县蔬菜供沪苏等长三角城市的销售额达30亿元。", title="嘉善县农业接轨上海")
    assert [(f.text, f.region) for f in facts] == [("30亿元", "嘉善")]


def test_a_clause_without_a_region_takes_the_sentence_subject_not_the_nearest_place():
    text = "目前，海盐县共有2名干部在上海交通大学挂职，6名干部在浦东新区各部门挂职。"
    assert [(f.text, f.region) for f in facts_of(text, title="海盐接轨上海")] == [("2名", "海盐"), ("6名", "海盐")]
    # A place after a preposition says where, not who: 在上海举办 does not make 上海 the subject.
    text = "据统计，浙江嘉善经开区今年赴上海招商300余人次，在上海举办招商活动12场，获得项目信息80个。"
    assert [(f.text, f.region) for f in facts_of(text)] == [("300余人次", "嘉善"), ("12场", "上海"), ("80个", "嘉善")]


def test_a_place_written_on_to_its_parent_is_one_subject():
    facts = facts_of("目前，嘉兴平湖市新埭镇的蔬菜基地，每天有3000公斤蔬菜运往上海。")
    assert [(f.text, f.region, f.region_path) for f in facts] == [
        ("3000公斤", "新埭", ("浙江省", "嘉兴市", "平湖市", "新埭镇")),
    ]


def test_a_division_named_in_the_clause_is_more_precise_than_a_province_in_a_company_name():
    facts = facts_of("此次在我市投资设立的浙江某某机械有限公司总投资3亿元。", title="平湖招商引资")
    assert [(f.text, f.region) for f in facts] == [("3亿元", "平湖")]


def test_abbreviation_inside_a_common_word_and_comparison_base_are_not_owners():
    facts = facts_of("嘉兴市引进浙商回归项目40个。", title="嘉兴")
    assert [(f.text, f.region) for f in facts] == [("40个", "嘉兴")]
    facts = facts_of("如今江苏实际利用外资是浙江的2倍多，广东是福建的3倍。")
    assert [(f.text, f.region) for f in facts] == [("2倍多", "江苏"), ("3倍", "广东")]


def test_a_county_pronoun_is_the_county_just_named_not_the_article_city():
    text = "嘉兴接轨上海成效明显。嘉善的临沪产业园已有企业200家，占全县工业产值的比重达到近40%。"
    facts = facts_of(text, title="嘉兴接轨上海")
    assert [(f.text, f.region) for f in facts] == [("200家", "嘉善"), ("近40%", "嘉善")]


def test_article_region_from_a_title_short_form_and_from_owner_minus_partner_mentions():
    text = "全市已累计从上海引进内资项目55个。平湖积极接轨上海，对接上海，服务上海。上海企业落户平湖。"
    doc = make_doc(text, title="平湖：一路铿锵向前接轨大上海")
    assert document_region(doc, GAZETTEER).name == "平湖市"
    facts = extract_facts([doc], gazetteer=GAZETTEER)
    assert [(f.text, f.region, f.region_path) for f in facts] == [("55个", "平湖", ("浙江省", "嘉兴市", "平湖市"))]
    # No region in the title: 上海 is named more often, but mostly as the partner.
    assert document_region(make_doc(text, title="主要成效"), GAZETTEER).name == "平湖市"


def test_spoken_hundred_millions_are_money_in_a_money_clause():
    facts = facts_of("最近“茉知华”回到家乡，在平湖投资10个亿，建立了工业城。")  # corpus
    assert [(f.text, f.value, f.unit, f.kind, f.metric, f.region) for f in facts] == [
        ("10个亿", 1_000_000_000, "元", "money", "投资", "平湖"),
    ]


def test_corpus_document_facts(docs_by_id):
    """The 嘉兴 article's headline figures, end to end from the bundled corpus."""
    doc = docs_by_id["xiao-jiaxing-da-yexin"]
    facts = {f.text: f for f in extract_facts([doc], gazetteer=GAZETTEER)}
    assert (facts["183.9亿元"].value, facts["183.9亿元"].metric, facts["183.9亿元"].year, facts["183.9亿元"].region) == (
        18_390_000_000, "总投资", 2016, "嘉兴")
    assert (facts["14.18亿美元"].unit, facts["14.18亿美元"].metric) == ("美元", "实际利用外资")
    assert (facts["5000公斤"].kind, facts["5000公斤"].region, facts["5000公斤"].region_path) == (
        "weight", "新埭", ("浙江省", "嘉兴市", "平湖市", "新埭镇"))
    assert (facts["1800年"].kind, facts["1800年"].year) == ("duration", None)
    assert "2016年" not in facts and "十三五" not in facts


def test_traditional_text_is_read_in_simplified_and_reported_in_its_own_characters():
    text = "臺灣的經濟成長率達到3.5%，臺北市人口約260萬人，總投資逾12億元。"
    facts = facts_of(text, title="臺灣經濟")
    assert [(f.text, f.value, f.unit, f.qualifier, f.region) for f in facts] == [
        ("3.5%", 3.5, "%", None, "台湾"),
        ("約260萬人", 2_600_000, "人", "approx", "台北"),
        ("逾12億元", 1_200_000_000, "元", "over", "台北"),
    ]
    assert all(text[f.start:f.end] == f.text for f in facts)
    assert facts[0].sentence == text


def test_national_figures_belong_to_china_and_a_comparison_base_does_not_own():
    text = "2024年，我国国内生产总值达1349084亿元。江苏增速较全国高1.8个百分点。"
    assert [(f.text, f.region) for f in facts_of(text)] == [("1349084亿元", "中国"), ("1.8个百分点", "江苏")]
    # 20多个国家: countries, not the nation.
    assert [(f.text, f.region) for f in facts_of("浙江产品出口到20多个国家。")] == [("20多个", "浙江")]


def test_pronouns_resolve_within_the_paragraph_and_never_to_the_nation():
    text = ("全国多地出现强降雨。\n受台风影响，吉林中北部出现暴雨，全省16条河流超警戒水位。\n"
            "江西吉安泰和县遭遇强降雨，当地共转移群众300人。")
    facts = facts_of(text, title="台风北上 各地全力应对")
    assert [(f.text, f.region) for f in facts] == [("16条", "吉林"), ("300人", "泰和")]


def test_an_article_naming_several_places_equally_is_about_none_of_them():
    text = "规模以上工业增加值同比增长3%。河北、山东、江苏等工业大省工业增速显著高于全国水平。"
    assert [(f.text, f.region) for f in facts_of(text, title="一季度工业发展实现平稳开局")] == [("3%", "中国")]
    text = "规模以上工业增加值同比增长3%。河北、山东、江苏等工业大省工业增速较快。"
    assert [(f.text, f.region) for f in facts_of(text, title="一季度工业发展实现平稳开局")] == [("3%", None)]


def test_a_railway_owns_its_figures_and_a_partner_after_zhong_does_not():
    facts = facts_of("贵南高铁正线全长482公里。")
    assert [(f.text, f.region, f.region_path) for f in facts] == [("482公里", "贵南高铁", ("贵南高铁",))]
    facts = facts_of("今年全国中欧班列累计开行1.7万列。")
    assert [(f.text, f.region) for f in facts] == [("1.7万列", "中国")]


def test_respective_figures_follow_the_list_and_a_count_of_listed_places_is_the_enclosing_region():
    text = "北京、上海、广州和深圳分别上涨1.0%、0.6%、0.5%和0.4%。"
    assert [(f.text, f.region) for f in facts_of(text)] == [
        ("1.0%", "北京"), ("0.6%", "上海"), ("0.5%", "广州"), ("0.4%", "深圳"),
    ]
    text = "同意乌鲁木齐、昌吉、石河子3个高新技术产业开发区建设国家自主创新示范区。"
    assert [(f.text, f.region) for f in facts_of(text)] == [("3个", "新疆")]
    text = "江苏、上海、辽宁、山东、浙江5个省市的造船完工量占全国的90.1%。"
    assert [(f.text, f.region) for f in facts_of(text, title="我国造船三大指标同步增长")][0] == ("5个", "中国")


def test_a_hand_kept_region_prints_its_usual_short_form():
    facts = facts_of("今年前三季度，长三角地区进出口12.62万亿元。")
    assert [(f.text, f.region, f.region_path) for f in facts] == [("12.62万亿元", "长三角", ("长江三角洲",))]


def test_a_meetings_venue_does_not_own_what_is_said_there():
    text = "全国人大会议在北京开幕。政府工作报告提出，国内生产总值增长5%左右，城镇新增就业1200万人以上。"
    facts = facts_of(text, title="全国人大会议在京开幕")
    assert [(f.text, f.region) for f in facts] == [("5%左右", "中国"), ("1200万人以上", "中国")]
    text = "浙江省人代会在杭州开幕。\n政府工作报告提出，今年生产总值增长6%左右。"
    assert [(f.text, f.region) for f in facts_of(text, title="省人代会在杭州开幕")] == [("6%左右", "浙江")]
    # In its own clause the venue is where things are counted.
    assert [(f.text, f.region) for f in facts_of("浙江在杭州举办招商活动12场。")] == [("12场", "杭州")]


def test_each_item_of_a_roundup_is_its_own_scope():
    text = ("【台风“摩羯”在广东徐闻登陆】\n今年第11号台风在广东徐闻沿海登陆。广东已转移群众57万人。\n"
            "【前7个月全国铁路完成固定资产投资3713亿元】\n记者从国铁集团获悉，铁路完成固定资产投资3713亿元，同比增长10.7%。\n"
            "（记者 王明 江西吉安报道）在江西吉安泰和县，当地30万亩早稻已收割完毕。")
    facts = [(f.text, f.region) for f in facts_of(text, title="国内联播快讯") if f.unit != "月"]
    assert facts == [("57万人", "广东"), ("3713亿元", "中国"), ("3713亿元", "中国"), ("10.7%", "中国"), ("30万亩", "泰和")]


def test_a_figure_in_brackets_after_a_place_is_that_places():
    facts = facts_of("广东规上工业利润同比增长16.3%，大幅低于全国（49.5%）。")
    assert [(f.text, f.region) for f in facts] == [("16.3%", "广东"), ("49.5%", "中国")]


def test_a_place_inside_a_quoted_name_is_part_of_the_name():
    facts = facts_of("浙江平湖的“春风江南”小镇项目总投资70亿元。")
    assert [(f.text, f.region) for f in facts] == [("70亿元", "平湖")]


def test_a_national_body_speaks_for_the_nation():
    # 全国人大常委会/nt, 全国政协/nt: a word of its own that starts with 全国 and names a body.
    assert [(f.text, f.region) for f in facts_of("全国人大常委会审议通过了该法，参会代表150人。")] == [("150人", "中国")]
    assert [(f.text, f.region) for f in facts_of("全国政协委员200人出席。")] == [("200人", "中国")]


def test_place_words_read_from_the_cache_columns_equal_those_read_from_the_tokens(tmp_path):
    """Tokens read from the cache (LazyTokens) give the place rules their starts and watched words from
    the entry's columns: the same as the Token objects give, and the same facts."""
    from jiegui.analyses.facts.places import _Words
    from jiegui.corpus import load_corpus
    from jiegui.models import columns_of
    from tests.conftest import write_generated_corpus

    root = write_generated_corpus(tmp_path, files=4, seed=5, dated=True)
    load_corpus(root)  # cold: writes the entries
    documents = load_corpus(root)
    assert all(columns_of(d.tokens) is not None for d in documents)
    verbs_seen = False
    for document in documents:
        cached, plain = _Words(document.tokens), _Words(tuple(document.tokens))
        assert cached.starts == plain.starts and cached.distinct == plain.distinct
        assert cached.watched == plain.watched and cached._at == plain._at
        assert any(cached._at.values()) or not cached.watched
        # after_verbs reads the columns in numpy; plain tokens go through after_verb, one by one
        positions = [*plain.starts, *(t.end for t in document.tokens), len(document.text) + 1]
        assert cached._columns is not None and plain._columns is None
        assert cached.after_verbs(positions) == plain.after_verbs(positions)
        verbs_seen = verbs_seen or True in plain.after_verbs(positions)
    assert verbs_seen and any(_Words(d.tokens).national for d in documents)
    plain_documents = [d.__class__(**{**{f: getattr(d, f) for f in d.__dataclass_fields__}, "tokens": tuple(d.tokens)}) for d in documents]
    assert extract_facts(documents, gazetteer=GAZETTEER) == extract_facts(plain_documents, gazetteer=GAZETTEER)
