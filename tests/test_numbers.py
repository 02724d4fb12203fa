"""Numerals and quantities: tables of real expressions with exact values, and round-trip properties."""
from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiegui.errors import InputError, NumberError
from jiegui.numbers import find_quantities, parse_number, parse_quantity


@pytest.mark.parametrize("text, value", [
    ("1,200", 1200), ("１２３", 123), ("1.5万", 15000), ("3千万", 30_000_000), ("183.9亿", 18_390_000_000),
    ("一百二十", 120), ("两千", 2000), ("百亿", 10_000_000_000), ("一万亿", 10**12), ("二〇一六", 2016),
    ("零点五", 0.5), ("1万亿", 10**12),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "1,2345"])
def test_parse_number_rejects(text):
    with pytest.raises(NumberError):
        parse_number(text)


@pytest.mark.parametrize("text, value, value_max, unit, kind, qualifier", [
    ("220亿元", 22_000_000_000, None, "元", "money", None),
    ("14.18亿美元", 1_418_000_000, None, "美元", "money", None),
    ("近1000亿元", 100_000_000_000, None, "元", "money", "under"),
    ("500家", 500, None, "家", "count", None),
    ("1.5万人", 15000, None, "人", "count", None),
    ("30多个", 30, None, "个", "count", "approx"),
    ("200多亿元", 20_000_000_000, None, "元", "money", "approx"),
    ("十几个", 11, 19, "个", "count", "approx"),
    ("上千家", 1000, None, "家", "count", "over"),
    ("21%", 21, None, "%", "percent", None),
    ("六成", 60, None, "%", "percent", None),
    ("九成以上", 90, None, "%", "percent", "over"),
    ("百分之六十", 60, None, "%", "percent", None),
    ("千分之五", 0.5, None, "%", "percent", None),
    ("5个百分点", 5, None, "个百分点", "percent", None),
    ("14.71平方公里", 14.71, None, "平方公里", "area", None),
    ("2024亩", 2024, None, "亩", "area", None),
    ("120余公里", 120, None, "公里", "length", "approx"),
    ("60万吨", 600_000, None, "吨", "weight", None),
    ("5000千克", 5000, None, "公斤", "weight", None),
    ("30多年", 30, None, "年", "duration", "approx"),
    ("半个小时", 0.5, None, "小时", "duration", None),
    ("2个多小时", 2, None, "小时", "duration", "approx"),
    ("两个半小时", 2.5, None, "小时", "duration", None),
    ("3个月", 3, None, "月", "duration", None),
    ("近10年", 10, None, "年", "duration", "under"),
    ("60岁左右", 60, None, "岁", "age", "approx"),
    ("1.5倍", 1.5, None, "倍", "multiple", None),
    ("20至30亿元", 2_000_000_000, 3_000_000_000, "元", "money", None),
    ("3-5年", 3, 5, "年", "duration", None),
    ("超过500家", 500, None, "家", "count", "over"),
    ("逾百亿元", 10_000_000_000, None, "元", "money", "over"),
    ("约3000万人次", 30_000_000, None, "人次", "count", "approx"),
    ("投资10个亿", 1_000_000_000, None, "元", "money", None),
    ("1个多亿元", 100_000_000, None, "元", "money", "approx"),
    ("一个半亿元", 150_000_000, None, "元", "money", None),
    ("上万人", 10_000, None, "人", "count", "over"),
    ("1/4", 25, None, "%", "percent", None),
])
def test_parse_quantity(text, value, value_max, unit, kind, qualifier):
    q = parse_quantity(text.removeprefix("投资")) if not text.startswith("投资") else find_quantities(text)[0].quantity
    assert (q.value, q.value_max, q.unit, q.kind, q.qualifier) == (value, value_max, unit, kind, qualifier)


@pytest.mark.parametrize("text", [
    pytest.param("2016年", id="year"), pytest.param("二〇一六年", id="chinese-year"),
    pytest.param("2017-2020年", id="year-range"), pytest.param("7月28日", id="date"),
    pytest.param("第一", id="ordinal"), pytest.param("第 16 个", id="spaced-ordinal"),
    pytest.param("十三五", id="plan-name"), pytest.param("G60", id="road-name"),
    pytest.param("08省道", id="road"), pytest.param("1351发展战略", id="strategy"),
    pytest.param("一个", id="article"), pytest.param("三位一体", id="set-phrase"),
    pytest.param("三年行动计划", id="plan-title"), pytest.param("“两个无差别”", id="slogan"),
    pytest.param("90年代", id="decade"), pytest.param("零部件", id="word"), pytest.param("千人大会", id="lone-magnitude"),
    pytest.param("一成不变", id="idiom"), pytest.param("2017-07-31 08:16:36", id="timestamp"),
    pytest.param("今年下半年开始招生", id="half-of-year"), pytest.param("踏上一场别样的旅程", id="shang-is-not-over"),
    pytest.param("世界排名前50名的银行", id="top-n-rank"), pytest.param("第三层次是前两个层次以外的地区", id="first-n-reference"),
    pytest.param("纪念茅盾诞辰120周年", id="anniversary"), pytest.param("《试点三年实施计划》", id="book-title"),
    pytest.param("“两个无差别、三个更好”", id="quoted-slogan"), pytest.param("一个以上海为核心的都市圈", id="yi-shanghai"),
])
def test_not_quantities(text):
    assert find_quantities(text) == []


def test_find_quantities_offsets_in_a_corpus_sentence():
    text = "嘉兴市引进来自上海的内资项目220个，总投资183.9亿元；外资项目14个，总投资14.18亿美元。"
    found = find_quantities(text)
    assert [(m.text, text[m.start:m.end]) for m in found] == [
        ("220个", "220个"), ("183.9亿元", "183.9亿元"), ("14个", "14个"), ("14.18亿美元", "14.18亿美元"),
    ]


def test_spaced_pdf_numbers_and_year_spans():
    found = find_quantities("在全国 2.2%的国土空间上集聚 11.8%的人口，已有1800年建城史和5000年之久的文明。")
    assert [(m.text, m.quantity.value) for m in found] == [("2.2%", 2.2), ("11.8%", 11.8), ("1800年", 1800), ("5000年", 5000)]


def test_spoken_yi_without_money_context_is_a_bare_number():
    [m] = find_quantities("人口超过1个亿")
    assert (m.text, m.quantity.value, m.quantity.unit, m.quantity.kind) == ("超过1个亿", 100_000_000, "", "other")


def test_unitless_number_shares_the_unit_of_the_coordinated_one():
    text = "设计保障容量分别是每年4000万和8000万人次，目前3家企业，其中15.9%来自上海。"
    assert [(m.text, m.quantity.value, m.quantity.unit, m.quantity.qualifier) for m in find_quantities(text)] == [
        ("4000万", 40_000_000, "人次", None), ("8000万人次", 80_000_000, "人次", None), ("3家", 3, "家", None),
        ("15.9%", 15.9, "%", None),
    ]


def test_parse_quantity_rejects_non_quantities():
    with pytest.raises(NumberError, match="not a quantity"):
        parse_quantity("2016年")
    with pytest.raises(NumberError):
        parse_quantity("220个和300家")


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_round_trip_chinese_numerals(n):
    assert parse_number(cn2an.an2cn(n)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**15))
def test_round_trip_grouped_arabic(n):
    assert parse_number(f"{n:,}") == n
    assert parse_number(f"{n}".translate(str.maketrans("0123456789", "０１２３４５６７８９"))) == n


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from([("万", 10**4), ("亿", 10**8), ("千万", 10**7), ("", 1)]))
def test_round_trip_magnitudes_and_money(d, magnitude):
    suffix, factor = magnitude
    expected = d * factor
    q = parse_quantity(f"{d}{suffix}元")
    assert Decimal(str(q.value)) == expected
    assert (q.unit, q.kind) == ("元", "money")
