"""Numerals and quantities: tables of real expressions with exact values, and round-trip properties."""
from __future__ import annotations

from decimal import Decimal

import cn2an
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jiegui.errors import InputError, NumberError
from jiegui.analyses.numbers import find_quantities, parse_number, parse_quantity


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


# ---------------------------------------------------------------- issue 14: every common form, read right
def _read(text):
    return [(m.text, m.quantity.value, m.quantity.value_max, m.quantity.unit, m.quantity.kind, m.quantity.qualifier)
            for m in find_quantities(text)]


@pytest.mark.parametrize("text, expected", [
    # the issue's table
    ("二三十个人", [("二三十个", 20, 30, "个", "count", "approx")]),
    ("百分之七十百分位", []),  # 七十百 is no numeral: skipped, never an error
    ("营收1234,567元", []),
    ("增长负3.9%", [("负3.9%", -3.9, None, "%", "percent", None)]),
    ("同比下降-2.1%", [("-2.1%", -2.1, None, "%", "percent", None)]),
    ("同比下降2.1%", [("2.1%", 2.1, None, "%", "percent", None)]),  # the verb carries the direction
    ("一吨半", [("一吨半", 1.5, None, "吨", "weight", None)]),
    ("两米半", [("两米半", 2.5, None, "米", "length", None)]),
    ("三成半", [("三成半", 35, None, "%", "percent", None)]),
    ("七成六", [("七成六", 76, None, "%", "percent", None)]),
    ("打八折", [("打八折", 80, None, "%", "percent", None)]),
    ("七五折", [("七五折", 75, None, "%", "percent", None)]),
    ("对折", [("对折", 50, None, "%", "percent", None)]),
    ("9.5折", [("9.5折", 95, None, "%", "percent", None)]),
    ("168cm", [("168cm", 168, None, "厘米", "length", None)]),
    ("250m", [("250m", 250, None, "米", "length", None)]),
    ("2.4GB", [("2.4GB", 2.4, None, "GB", "other", None)]),
    ("5km", [("5km", 5, None, "公里", "length", None)]),
    ("￥300", [("￥300", 300, None, "元", "money", None)]),
    ("$45", [("$45", 45, None, "美元", "money", None)]),
    ("€20", [("€20", 20, None, "欧元", "money", None)]),
    ("300美圆", [("300美圆", 300, None, "美元", "money", None)]),
    ("5306亿台币", [("5306亿台币", 530_600_000_000, None, "新台币", "money", None)]),
    ("18万亿卢布", [("18万亿卢布", 18 * 10**12, None, "卢布", "money", None)]),
    ("10.5万字", [("10.5万字", 105_000, None, "字", "count", None)]),
    ("42万款", [("42万款", 420_000, None, "款", "count", None)]),
    ("五元三毛", [("五元三毛", 5.3, None, "元", "money", None)]),
    ("两美元又三美分", [("两美元又三美分", 2.03, None, "美元", "money", None)]),
    ("百分之百", [("百分之百", 100, None, "%", "percent", None)]),
    ("万分之四", [("万分之四", 0.04, None, "%", "percent", None)]),
    ("百万分之五", [("百万分之五", 0.0005, None, "%", "percent", None)]),
    ("十四届全国人大三次会议", []),
    ("二十届四中全会", []),
    ("唯一一条路", []),
    ("访问 https://www.test.com/search?q=30%25&p=2020%2C1", []),
    # the adversarial families: adjacent digits are ranges
    ("三四十个人", [("三四十个", 30, 40, "个", "count", "approx")]),
    ("五六千元", [("五六千元", 5000, 6000, "元", "money", "approx")]),
    ("十五六岁", [("十五六岁", 15, 16, "岁", "age", "approx")]),
    ("一二百人", [("一二百人", 100, 200, "人", "count", "approx")]),
    ("三四百万元", [("三四百万元", 3_000_000, 4_000_000, "元", "money", "approx")]),
    ("一百二三十人", [("一百二三十人", 120, 130, "人", "count", "approx")]),
    ("十几二十个", [("十几二十个", 11, 20, "个", "count", "approx")]),
    ("一二万五千人", [("一二万五千人", 15_000, 25_000, "人", "count", "approx")]),
    ("三五个", [("三五个", 3, 5, "个", "count", "approx")]),
    ("一两个", [("一两个", 1, 2, "个", "count", "approx")]),
    ("两三个", [("两三个", 2, 3, "个", "count", "approx")]),
    ("七八千人", [("七八千人", 7000, 8000, "人", "count", "approx")]),
    ("三四倍", [("三四倍", 3, 4, "倍", "multiple", "approx")]),
    ("两三个百分点", [("两三个百分点", 2, 3, "个百分点", "percent", "approx")]),
    ("百分之五六", [("百分之五六", 5, 6, "%", "percent", "approx")]),
    ("一二十五个", [("一二十五个", 15, 25, "个", "count", "approx")]),
    ("二三十五岁", [("二三十五岁", 25, 35, "岁", "age", "approx")]),
    # 几/数 and approximations (news-dev ANNOTATION.md: 数十个 = 10…90 approx, 上百架 = 100 over)
    ("百分之十几", [("百分之十几", 11, 19, "%", "percent", "approx")]),
    ("数十个", [("数十个", 10, 90, "个", "count", "approx")]),
    ("几十人", [("几十人", 10, 90, "人", "count", "approx")]),
    ("上百架", [("上百架", 100, None, "架", "count", "over")]),
    ("成千上万人", [("成千上万人", 1000, 10_000, "人", "count", "approx")]),
    ("12345,678人", []),
    # compound magnitudes, halves, odd spacing, codes
    ("3亿5千万元", [("3亿5千万元", 350_000_000, None, "元", "money", None)]),
    ("2亿零500万元", [("2亿零500万元", 205_000_000, None, "元", "money", None)]),
    ("1万5千元", [("1万5千元", 15_000, None, "元", "money", None)]),
    ("两年半", [("两年半", 2.5, None, "年", "duration", None)]),
    ("一个半月", [("一个半月", 1.5, None, "月", "duration", None)]),
    ("一半月", [("一半月", 1.5, None, "月", "duration", None)]),  # found by the property run: KeyError '月'
    ("本刊每半月出版一期", [("半月", 0.5, None, "月", "duration", None)]),
    (".5元", [(".5元", 0.5, None, "元", "money", None)]),
    ("2. 5亿元", [("2. 5亿元", 250_000_000, None, "元", "money", None)]),
    ("百分之五万到一四", []),
    ("0573-88888888个", []),
    ("投资" + "9" * 5000 + "亿元", []),
    ("投资" + "9" * 400 + "元", []),
    ("三点一四一五九二六五三五八九七九三二三八四六二六四三三八三二七九五米", [
        ("三点一四一五九二六五三五八九七九三二三八四六二六四三三八三二七九五米", 3.141592653589793, None, "米", "length", None)]),
    # more of each class
    ("HK$300", [("HK$300", 300, None, "港元", "money", None)]),
    ("3元5角2分", [("3元5角2分", 3.52, None, "元", "money", None)]),
    ("千分之三", [("千分之三", 0.3, None, "%", "percent", None)]),
    ("几十分之一", [("几十分之一", pytest.approx(100 / 90), 10, "%", "percent", "approx")]),
    ("三歲半", [("三歲半", 3.5, None, "岁", "age", None)]),
    ("約兩萬人", [("約兩萬人", 20_000, None, "人", "count", "approx")]),
    ("3億5千萬元", [("3億5千萬元", 350_000_000, None, "元", "money", None)]),
    ("一百公尺", [("一百公尺", 100, None, "米", "length", None)]),
    ("零下5℃", [("零下5℃", -5, None, "℃", "other", None)]),
    ("100公里/小时", [("100公里/小时", 100, None, "公里/小时", "length", None)]),
    ("人民币壹仟元", [("人民币壹仟元", 1000, None, "元", "money", None)]),
    ("三五成群", []), ("一波三折", []), ("四面八方", []), ("第15届", []), ("连续举办三届。", [("三届", 3, None, "届", "count", None)]),
    ("联系 service@test-30.com 或 报告2020.pdf 或 13812345678", []),
    ("外贸保持两位数增长", []), ("两年平均增长8.0%", [("8.0%", 8, None, "%", "percent", None)]), ("中国这十年", []),
    ("其中70%至1347.5亿元", [("70%", 70, None, "%", "percent", None), ("1347.5亿元", 134_750_000_000, None, "元", "money", None)]),
    ("连跨6个万亿元台阶", [("6个", 6, None, "个", "count", None)]),  # six steps of a trillion (news-dev gold)
    ("人民币100万", [("人民币100万", 1_000_000, None, "元", "money", None)]),
    ("人民币100元", [("人民币100元", 100, None, "元", "money", None)]),
    ("三块五", [("三块五", 3.5, None, "元", "money", None)]), ("一块地", []),
    ("五毛钱", [("五毛钱", 0.5, None, "元", "money", None)]),
    ("十五美元三十五美分", [("十五美元三十五美分", 15.35, None, "美元", "money", None)]),
    ("身高1米8的个子", [("1米8", 1.8, None, "米", "length", None)]),
    ("一米七五", [("一米七五", 1.75, None, "米", "length", None)]),
    ("廿五岁", [("廿五岁", 25, None, "岁", "age", None)]),
    ("百岁老人", [("百岁", 100, None, "岁", "age", None)]), ("千人大会", []),
    ("百分百满意", [("百分百", 100, None, "%", "percent", None)]),
    ("超过一半", [("超过一半", 50, None, "%", "percent", "over")]),
    ("2.4GHz", [("2.4GHz", 2.4, None, "GHz", "other", None)]),
    ("100平的房子", [("100平", 100, None, "平方米", "area", None)]), ("四平路", []),
    ("年过八旬", [("八旬", 80, None, "岁", "age", None)]), ("上旬", []),
    ("三公里多", [("三公里多", 3, None, "公里", "length", "approx")]),
    ("50萬泰銖", [("50萬泰銖", 500_000, None, "泰铢", "money", None)]),
    ("今年前2个月，出口增长5%", [("5%", 5, None, "%", "percent", None)]),
    ("连跨三个万亿台阶", [("三个", 3, None, "个", "count", None)]),
    ("这地破万！", [("破万", 10_000, None, "", "other", "over")]),
    ("吸纳40多万农民就业", [("40多万", 400_000, None, "", "other", "approx")]),
    ("投资增速后三名：", []), ("随后3家企业", [("3家", 3, None, "家", "count", None)]),
    ("最快2小时30分", [("2小时30分", 2.5, None, "小时", "duration", None)]),
    ("1235万载重吨", [("1235万载重吨", 12_350_000, None, "载重吨", "weight", None)]),
    ("20省份保险机构", [("20省份", 20, None, "省份", "count", None)]), ("沪苏浙三地", []), ("江浙两省", []),
    ("100印度卢比", [("100印度卢比", 100, None, "印度卢比", "money", None)]),
    ("百分之几", [("百分之几", 1, 9, "%", "percent", "approx")]),
    ("500兆字节", [("500兆字节", 500, None, "MB", "other", None)]), ("5英呎", [("5英呎", 5, None, "英尺", "length", None)]),
    ("外送电力761.75亿度", [("761.75亿度", 76_175_000_000, None, "千瓦时", "other", None)]), ("气温30度", []),
    ("经济总量翻了一番", [("翻了一番", 2, None, "倍", "multiple", None)]),
    ("半价出售", [("半价", 50, None, "%", "percent", None)]),
    ("过千亿元", [("过千亿元", 10**11, None, "元", "money", "over")]), ("过年", []),
    ("5元/斤", [("5元/斤", 5, None, "元/斤", "money", None)]),
])
def test_issue_14_forms(text, expected):
    assert _read(text) == expected


def test_unreadable_candidate_is_logged_not_raised(caplog):
    with caplog.at_level("WARNING", logger="jiegui.analyses.numbers"):
        assert find_quantities("百分之七十百分位", source="doc-1") == []
    assert "doc-1: offset 0: cannot read '百分之七十百' (not a numeral" in caplog.text


def test_parse_number_raises_its_own_error_never_input_error():
    for text in ("二三十", "七十百", "9" * 30):
        with pytest.raises(NumberError) as info:
            parse_number(text)
        assert not isinstance(info.value, InputError)
    assert parse_number("3亿5千万") == 350_000_000
    assert parse_number("一万五") == 15_000 and parse_number("二百五") == 250 and parse_number("一百零五") == 105


# ---------------------------------------------------------------- property: no text makes reading fail
_PIECES = (list("〇零一二三四五六七八九两十百千万亿0123456789") + list("点.,") + ["分之", "成", "折", "半", "个百分点", "%",
           "负", "-", "−", "－", "几", "多", "余", "数", "来", "左右", "上下", "二三十", "个", "年", "月", "岁", "元", "美元",
           "km", "$", "￥", "届", "第", "次会议", "的", "，", "。", " ", "“", "《", "》", "打", "对", "上", "近", "约",
           "萬", "億", "兩", "點", "://", "@", "又", "毛", "角", "/", "每", "小时", "个半", "翻", "番", "过"])
quantity_texts = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14).map("".join)


def check_text(text: str) -> None:
    """What every run must hold: no exception, offsets that give the surface, finite values."""
    import math

    for m in find_quantities(text):
        assert text[m.start:m.end] == m.text
        q = m.quantity
        assert math.isfinite(q.value)
        assert q.value_max is None or math.isfinite(q.value_max) and q.value_max >= q.value


@settings(max_examples=400, deadline=None)
@given(quantity_texts)
def test_property_reading_never_fails(text):
    check_text(text)


def test_normalise_maps_every_character_the_width_table_maps():
    # find_quantities replaces the mapped characters one by one: the result must be str.translate's.
    from jiegui.analyses.numbers import _WIDTH, _normalise

    text = "營收１２３．５億元，約４５％；" + "".join(chr(k) for k in _WIDTH) + "平湖"
    assert _normalise(text) == text.translate(_WIDTH)
    assert _normalise("约1.5亿元") == "约1.5亿元"


def test_a_qualifier_start_in_an_ordinary_word_is_no_quantity_and_does_not_hide_one():
    # 上海, 接待, 大约 start like a qualifier (上, 接近, 大约): only the numbers after them are quantities.
    found = find_quantities("上海接待游客大约300万人次，上涨上百亿元")
    assert [(m.text, m.quantity.value, m.quantity.qualifier) for m in found] == [
        ("大约300万人次", 3_000_000, "approx"), ("上百亿元", 10_000_000_000, "over")]


def _spans(matches):
    return [(m.span(), m.groups()) for m in matches]


@settings(max_examples=400, deadline=None)
@given(quantity_texts)
@example("分之一一")  # found by hypothesis: the lookbehind after a 一 reads two characters back
@example("三分之一一倍")
def test_property_scan_finds_what_the_pattern_finds(text):
    # _scan runs the pattern with the standard library's re (its named lists spelt out, its lookbehinds
    # one per width): it must find exactly the regex pattern's own matches.
    from jiegui.analyses.numbers import _regex_pattern, _normalise, _scan

    text = _normalise(text)
    assert _spans(_scan(text)) == _spans(_regex_pattern().finditer(text))


def test_scan_finds_what_the_pattern_finds_on_the_bundled_corpus():
    from jiegui.analyses.numbers import _regex_pattern, _normalise, _scan
    from jiegui.corpus import load_corpus

    texts = [_normalise(d.text) for d in load_corpus()]
    texts += ["第3次", "2016年第二季度", "¥300", "a-5%", "约-3%", "上百亿", "接近1万", "零下5度", "\x001万元", "x"]
    assert all(_spans(_scan(text)) == _spans(_regex_pattern().finditer(text)) for text in texts)


def test_scan_reads_like_the_pattern_where_the_engines_read_characters_apart():
    # _scan matches with the standard library's re where re and regex read every character of the text
    # alike, else with regex itself: a combining mark (\w for regex only), ² and ① (\w for re only).
    from jiegui.analyses.numbers import _regex_pattern, _WORD, _engines_agree, _scan

    for text in ["3块5\u0301", "3块5²", "3块5①", "5%至6\u0301", "5%至6²", "5%至6①", "3块5a", "12.5%，①②"]:
        assert _spans(_scan(text)) == _spans(_regex_pattern().finditer(text))
    assert _engines_agree("增长12.5%，①②²")
    assert not _engines_agree("增长12.5%\u0301")
    # The characters _WORD leaves out are none of regex's \w: the pattern means for regex what \w meant.
    import regex

    left_out = [chr(c) for c in range(0x10000) if regex.match(r"\w", chr(c)) and not regex.match(_WORD, chr(c))]
    assert left_out == []
