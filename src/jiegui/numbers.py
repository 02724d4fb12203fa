"""Quantities in Chinese text: numerals, magnitudes, units, shares, ranges and qualifiers.

`parse_number` reads one numeral (`1,200`, `１２３`, `1.5万`, `3千万`, `一百二十`, `两千`, `百亿`); pure
Chinese numerals go through cn2an, Arabic digits through `Decimal` (so `183.9亿` is exactly 18390000000).
`find_quantities` scans a text for numbers *with a unit* and normalises each to its base unit; a bare
number, a date (`2016年`, `7月28日`), an ordinal (`第一`) or a name (`G60`, `十三五`) has no unit of
measure and so is not a quantity. `parse_quantity` reads one whole expression (`近1000亿元`).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import lru_cache

import regex

from jiegui.errors import InputError
from jiegui.models import QuantityKind as Kind


class Qualifier(str, Enum):
    approx = "approx"
    over = "over"
    under = "under"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A normalised quantity: `value` (and `value_max` for a range) in the base `unit`.

    `kind` and `qualifier` are plain strings (the values of `Kind` and `Qualifier`) so that they print
    the same in every output format.
    """

    value: float
    value_max: float | None
    unit: str
    kind: str
    qualifier: str | None


@dataclass(frozen=True, slots=True)
class QuantityMatch:
    """A quantity found in a text; `start`/`end` index that text, `text` is the surface (`近1000亿元`)."""

    start: int
    end: int
    text: str
    quantity: Quantity


# ---------------------------------------------------------------- numerals
# Full-width forms mapped one character to one character, so offsets survive the mapping. A comma or
# colon ends a number only after a digit (1,200; 6:20): after a word it is punctuation (嘉宾,1000多人).
_WIDTH = str.maketrans("０１２３４５６７８９．，％／－～：", "0123456789.,%/-~:")
_CN_DIGITS = "〇零一二三四五六七八九两"
_MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
_FEW = "几"  # 十几, 几十, 数百: read as a range with 几 = 1 … 9


def _exact(value: Decimal) -> float:
    """An int when the value is integral (JSON `18390000000`, not `1.839e10`), else a float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _magnitude(suffix: str) -> Decimal:
    """`千万` → 10^7, `万亿` → 10^12: the product of the magnitude characters."""
    factor = Decimal(1)
    for ch in suffix:
        factor *= _MAGNITUDES[ch]
    return factor


def _parse_decimal(text: str) -> Decimal:
    text = text.translate(_WIDTH).strip().replace(" .", ".")
    if "," in text:
        if not regex.match(r"\d{1,3}(?:,\d{3})+(?![\d,])", text):
            raise InputError(f"not a number: {text!r} (thousands separators go every three digits: 1,200)")
        text = text.replace(",", "")
    if not text:
        raise InputError("empty number")
    match = regex.fullmatch(r"(\d+(?:\.\d+)?)([十百千万亿]*)", text)
    if match:
        return Decimal(match[1]) * _magnitude(match[2])
    if regex.fullmatch(rf"[{_CN_DIGITS}十百千万亿点]+", text):
        if text[0] in "十百千万亿" and text[0] != "十":
            text = "一" + text  # 百亿 = 一百亿; cn2an wants the leading digit
        if regex.fullmatch(r"[〇零一二三四五六七八九]{2,}", text):
            # Digit by digit (二〇一六): cn2an reads these too, but only in its "smart" mode.
            return Decimal("".join(str("〇一二三四五六七八九".index(c) if c != "零" else 0) for c in text))
        value = _chinese_integer(text)
        if value is not None:
            return Decimal(value)
        # Decimals (三点五) and irregular forms: cn2an, imported only here because importing it and
        # compiling its patterns costs ~0.4 s, more than the rest of `jiegui facts` on a corpus.
        import cn2an

        try:
            return Decimal(str(cn2an.cn2an(text, "normal")))
        except ValueError:
            pass
    raise InputError(f"not a number: {text!r} (expected e.g. 1,200 or 1.5万 or 一百二十)")


_CN_DIGIT_VALUES = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}


def _chinese_integer(text: str) -> int | None:
    """A regular Chinese integer (一百二十, 两千, 三亿五千万, 一万亿), or None for anything irregular.

    The common case, read without cn2an; None sends the text to cn2an, so both agree by construction
    on what cn2an reads (the round-trip property test checks this one against cn2an.an2cn).
    """
    total = section = current = 0  # the 亿 groups, the 万 groups below 亿, the part below 万
    number: int | None = None
    last_unit = 10_000
    for ch in text:
        if ch in _CN_DIGIT_VALUES:
            if number is not None:
                return None  # 二三, 七八十: not a regular numeral
            number = _CN_DIGIT_VALUES[ch] or None  # 零 is a placeholder
        elif ch in "十百千":
            unit = _MAGNITUDES[ch]
            if unit >= last_unit:
                return None
            current += (1 if number is None else number) * unit
            number, last_unit = None, unit
        elif ch == "万":
            section = (section + current + (number or 0)) * 10_000
            current, number, last_unit = 0, None, 10_000
        elif ch == "亿":
            total = (total + section + current + (number or 0)) * 100_000_000
            section = current = 0
            number, last_unit = None, 10_000
        else:
            return None
    if number is not None and last_unit >= 100 and last_unit < 10_000 and not text.endswith(("零" + text[-1], "〇" + text[-1])):
        return None  # 二百五: colloquial, left to cn2an
    return total + section + current + (number or 0)


def parse_number(text: str) -> float:
    """The value of one numeral: `1,200`, `１２３`, `1.5万` (15000), `3千万`, `一百二十`, `两千`, `百亿`.

    Raises InputError for anything else. Integral values are returned as int.
    """
    return _exact(_parse_decimal(text))


def _parse_range(text: str) -> tuple[Decimal, Decimal | None]:
    """A numeral that may contain 几 (十几 → 11…19, 几百 → 100…900) or start with 数 (数十 = 几十)."""
    if text.startswith("数"):
        text = "几" + text[1:]
    if _FEW not in text:
        return _parse_decimal(text), None
    low = _parse_decimal(text.replace(_FEW, "一"))
    high = _parse_decimal(text.replace(_FEW, "九"))
    return low, high


# ---------------------------------------------------------------- units
def _units() -> dict[str, tuple[str, Decimal, Kind]]:
    """Surface unit → (base unit, factor to the base unit, kind)."""
    table: dict[str, tuple[str, Decimal, Kind]] = {}

    def add(kind: Kind, base: str, *surfaces: str, factor: str = "1") -> None:
        for surface in surfaces or (base,):
            table[surface] = (base, Decimal(factor), kind)

    add(Kind.money, "元", "元", "元人民币", "人民币", "块钱")
    for currency in ("美元", "欧元", "港元", "港币", "日元", "英镑", "韩元"):
        add(Kind.money, currency)
    add(Kind.percent, "%")
    add(Kind.percent, "%", "‰", factor="0.1")
    add(Kind.percent, "个百分点", "个百分点", "百分点")
    add(Kind.area, "平方公里", "平方公里", "平方千米", "km²", "km2")
    add(Kind.area, "平方米", "平方米", "㎡", "m²")
    add(Kind.area, "亩")
    add(Kind.area, "公顷")
    add(Kind.length, "公里", "公里", "千米", "km")
    add(Kind.length, "米")
    add(Kind.length, "厘米")
    add(Kind.length, "海里")
    add(Kind.weight, "吨")
    add(Kind.weight, "公斤", "公斤", "千克", "kg")
    add(Kind.weight, "克")
    add(Kind.weight, "斤")
    add(Kind.duration, "年", "年", "周年")  # 周年 is kept only to reject it: an anniversary is an ordinal
    add(Kind.duration, "月", "个月")
    add(Kind.duration, "周", "周", "个星期", "星期")
    add(Kind.duration, "天", "天", "个工作日", "工作日")
    add(Kind.duration, "小时", "小时", "个小时", "个钟头", "钟头")
    add(Kind.duration, "分钟", "分钟")
    add(Kind.duration, "秒", "秒", "秒钟")
    add(Kind.age, "岁", "岁", "周岁")
    add(Kind.multiple, "倍")
    for word in ("个", "家", "人", "名", "项", "位", "所", "座", "条", "只", "件", "次", "场", "户", "辆",
                 "艘", "套", "台", "张", "种", "类", "届", "份", "处", "栋", "幢", "间", "支", "篇", "部",
                 "本", "列", "趟", "批", "组", "棵", "株", "头", "片", "轮", "架", "层", "人次", "辆次",
                 "架次", "车次", "班次", "余人"):
        add(Kind.count, word)
    table.pop("余人")
    add(Kind.other, "千瓦时", "千瓦时", "度电")
    add(Kind.other, "千瓦")
    add(Kind.other, "兆瓦")
    add(Kind.other, "立方米", "立方米", "方")
    add(Kind.other, "标箱", "标箱", "标准箱", "TEU")
    table.pop("方")
    return table


UNITS = _units()
_UNIT_CHARS = "".join(sorted({ch for unit in UNITS for ch in unit if not ch.isdigit()}))

# Phrases after `N年` that make it a span of time, not a date (1800年建城史, 2000年历史, 5000年之久).
_SPAN_AFTER_YEAR = ("历史", "建城史", "文明史", "发展史", "之久", "时间", "光阴", "岁月")
_NAME_AFTER_SPAN = ("行动", "计划", "规划", "方案", "攻坚", "纲要")
_OPENING_QUOTES = ("“", "\"", "《", "「", "『", "‘")
_QUALIFIER_BEFORE = {
    "不超过": Qualifier.under, "不到": Qualifier.under, "不足": Qualifier.under, "将近": Qualifier.under,
    "接近": Qualifier.under, "近": Qualifier.under, "低于": Qualifier.under, "少于": Qualifier.under,
    "超过": Qualifier.over, "逾": Qualifier.over, "超": Qualifier.over, "不少于": Qualifier.over,
    "不低于": Qualifier.over, "至少": Qualifier.over, "多于": Qualifier.over, "高于": Qualifier.over,
    "上": Qualifier.over,  # only before a bare magnitude, see _PATTERN: 上千家, 上万人
    "大约": Qualifier.approx, "约合": Qualifier.approx, "约": Qualifier.approx, "大概": Qualifier.approx,
}
# 以上 is not "or more" in 以上海为中心 (taking Shanghai as the centre), a frequent construction.
_QUALIFIER_AFTER = {
    "左右": Qualifier.approx, "上下": Qualifier.approx, "以上": Qualifier.over, "之上": Qualifier.over,
    "以下": Qualifier.under, "以内": Qualifier.under, "之内": Qualifier.under,
}


def _alternation(words) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


_AR = r"\d+(?:,\d{3})*(?:[ ]?\.\d+)?"  # 2 .2: a PDF's stray space before the decimal point
_CN = rf"(?:[一二三四五六七八九两十]|[〇零](?=点|[〇零一二三四五六七八九]{{3}})|[几数](?=[十百千万亿]))[{_CN_DIGITS}十百千万亿几]*(?:点[〇零一二三四五六七八九]+)?"
_BARE = r"[百千万](?:[百千]?[万亿])?|亿"  # 百亿, 千万, 万亿: only with a qualifier or a second magnitude
_MAG = r"[十百千]?万亿|[十百千]?[万亿]|[百千](?![克米瓦])"  # 5000千克 is 5000 kg, not 5000千 g
_NUM = rf"(?:{_AR}(?:{_MAG})?|{_CN}|{_BARE})"
_SEP = r"(?:至|到|-|~|—|–|－|～)"
_SP = r"[ \u3000]?"

_PATTERN = regex.compile(
    rf"""
    (?<![A-Za-z0-9_#＃]|\d[ ]?[.,/:：\-]|第[ \u3000]?|[〇零一二三四五六七八九十百千万亿两几])
    (?P<pre>{_alternation(w for w in _QUALIFIER_BEFORE if w != "上")}|上(?=[百千万亿]))?
    (?:
        百分之(?P<pct>{_AR}|{_CN})(?:{_SEP}(?:百分之)?(?P<pct2>{_AR}|{_CN}))?
      | (?P<den>{_AR}|{_CN}|[百千万])分之(?P<numer>{_AR}|{_CN})
      | (?P<fa>\d{{1,2}})/(?P<fb>\d{{1,2}})(?![\d/])
      | (?P<cheng>[一二三四五六七八九两几]|[1-9])成(?!不变|为|立|功|果|本|员|长|熟|都)
      | (?P<num>{_NUM})
        (?:{_SP}(?P<unit1>%|‰))?
        (?:{_SEP}(?P<num2>{_NUM}))?
        (?P<mid>(?<![%‰])(?:多|余|来))?(?P<mag3>(?<=[多余来])(?:{_MAG}))?
        (?P<gemag>(?<![%‰])个(?:多|半)?[万亿](?!分之))?
        {_SP}
        (?:
            (?P<ge>个)(?P<gemid>多|半)(?P<geunit>小时|月|钟头|星期)
          | (?P<half>个?半)(?P<halfunit>小时|个小时|年|天|月|个月)
          | (?P<unit>{_alternation(UNITS)})
        )?
    )
    (?P<post>(?!以上海)(?:{_alternation(_QUALIFIER_AFTER)})|多(?=[的，,。；])|半)?
    """,
    regex.VERBOSE,
)
# 半个小时, 半年: a half with no number before it (上半年, 下半年 are halves of a year, not spans).
_HALF = regex.compile(r"(?<![一二三四五六七八九十两\d个上下前后])半(?P<ge>个)?(?P<unit>小时|月|年|天|钟头)")
# Book, document and plan titles: a number inside《》is part of a name (《三年行动计划》).
_TITLE = regex.compile(r"《[^》\n]{0,80}》")
# A short quoted phrase is a slogan or a name (“两个无差别、三个更好”, “3小时都市圈”).
_SLOGAN = regex.compile(r"[“\"「『‘][^”\"」』’\n]{1,12}[”\"」』’]")
# Words whose presence before a spoken `N个亿` makes it money (在平湖投资10个亿).
_MONEY_CONTEXT = regex.compile(r"投资|资金|资本|产值|收入|销售|营收|税|利润|融资|贷款|基金|规模|花|钱|元")


def _qualifier(pre: str | None, mid: str | None, post: str | None) -> str | None:
    if pre:
        return _QUALIFIER_BEFORE[pre].value
    if mid in ("多", "余", "来"):
        return Qualifier.approx.value
    if post in _QUALIFIER_AFTER:
        return _QUALIFIER_AFTER[post].value
    if post == "多":
        return Qualifier.approx.value
    return None


def _is_chinese(numeral: str) -> bool:
    return not any(ch.isdigit() for ch in numeral)


def _is_date_year(numeral: str, follows: str) -> bool:
    """`2016年`, `二〇一六年`: a calendar year, unless the text says it is a span (`1800年建城史`)."""
    if follows.startswith(_SPAN_AFTER_YEAR):
        return False
    if regex.fullmatch(r"\d{4}", numeral):
        return 1000 <= int(numeral) <= 2199
    if regex.fullmatch(r"\d{2}", numeral):
        return follows.startswith(("上半年", "下半年", "底", "初", "末", "中"))  # 12年前 is "12 years ago"
    return bool(regex.fullmatch(r"[〇零一二三四五六七八九]{4}", numeral))


# `前` that is part of a time word, not "the first N" (目前3家企业 is a count).
_NOT_RANK_BEFORE = ("目前", "此前", "之前", "以前", "提前", "当前", "日前", "眼前", "空前", "年前", "月前", "天前", "先前", "从前", "事前", "会前")


def kind_before_rank(match: regex.Match, text: str, unit_surface: str | None) -> bool:
    """True for `前N名`, `前两个层次`: the first N of a ranking or a list, a reference rather than a count."""
    if match["pre"] or unit_surface is None or UNITS[unit_surface][2] is not Kind.count:
        return False
    start = match.start()
    return text[start - 1:start] == "前" and text[max(0, start - 2):start] not in _NOT_RANK_BEFORE


def _build(match: regex.Match, text: str) -> Quantity | None:
    """The quantity a scanner match denotes, or None when the match is not a measurement."""
    pre, post = match["pre"], match["post"]
    mid = match["mid"] or match["gemid"] or ("多" if match["gemag"] and "多" in match["gemag"] else None)
    qualifier = _qualifier(pre, mid, post)
    follows = text[match.end():match.end() + 4]

    if match["pct"] is not None:
        low = _parse_decimal(match["pct"])
        high = _parse_decimal(match["pct2"]) if match["pct2"] else None
        return Quantity(_exact(low), None if high is None else _exact(high), "%", Kind.percent.value, qualifier)
    if match["den"] is not None:
        den, numer = _parse_decimal(match["den"]), _parse_decimal(match["numer"])
        if den == 0:
            return None
        return Quantity(_exact(numer * 100 / den), None, "%", Kind.percent.value, qualifier)
    if match["fa"] is not None:
        a, b = int(match["fa"]), int(match["fb"])
        if not 0 < a < b <= 10:
            return None
        return Quantity(_exact(Decimal(a) * 100 / b), None, "%", Kind.percent.value, qualifier)
    if match["cheng"] is not None:
        low, high = _parse_range(match["cheng"])
        return Quantity(_exact(low * 10), None if high is None else _exact(high * 10), "%", Kind.percent.value, qualifier)

    numeral, numeral2 = match["num"], match["num2"]
    if match["unit1"]:
        unit_surface = match["unit1"]
    elif match["geunit"]:
        unit_surface = "个" + ("月" if match["geunit"] == "月" else "小时" if match["geunit"] != "星期" else "星期")
    elif match["halfunit"]:
        unit_surface = match["halfunit"]
    else:
        unit_surface = match["unit"]

    if unit_surface == "周年":
        return None  # 诞辰120周年, 建校50周年: which anniversary, an ordinal
    gemag = match["gemag"]
    if gemag and unit_surface is None:
        # 投资10个亿: the spoken form of 10亿, money when the clause speaks of money.
        clause_start = max(text.rfind(ch, 0, match.start()) for ch in "，,。；;：:！？\n") + 1
        if _MONEY_CONTEXT.search(text, clause_start, match.start()) or text.startswith("元", match.end()):
            unit_surface = "元"
    if kind_before_rank(match, text, unit_surface):
        return None
    bare = regex.fullmatch(_BARE, numeral) is not None
    if bare and not pre and len(numeral) < 2:
        return None  # 千人大会, 万家: a lone magnitude character is a word, not a number
    if unit_surface is None and not gemag:
        # A number without a unit is a fact only when it carries 万/亿 (人口1000万).
        if not regex.search(r"[万亿]$", numeral2 or numeral) or _is_chinese(numeral) and not pre:
            return None
        base, factor, kind = "", Decimal(1), Kind.other
    elif unit_surface is None:
        base, factor, kind = "", Decimal(1), Kind.other
    else:
        base, factor, kind = UNITS[unit_surface]

    if kind is Kind.duration and base == "年" and not (pre or mid or post == "多" or match["half"]):
        if _is_date_year(numeral, follows) and (numeral2 is None or _is_date_year(numeral2, follows)):
            return None
    if kind is Kind.duration and base == "年" and text[match.end():match.end() + 1] in ("代", "级", "度"):
        return None  # 90年代, 2016年度
    if (numeral == "一" and numeral2 is None and kind in (Kind.count, Kind.duration, Kind.other)
            and not (pre or mid or post or match["half"] or match["gemid"] or gemag)):
        return None  # 一个, 一家, 一年: an article, not a measurement
    if kind is Kind.duration and follows.startswith(_NAME_AFTER_SPAN):
        return None  # 三年行动计划: the name of a plan
    if text[max(0, match.start() - 1):match.start()] in _OPENING_QUOTES:
        return None  # “两个无差别”, “3小时都市圈”: a slogan or a name
    if kind is Kind.count and _is_chinese(numeral) and follows.startswith("一"):
        return None  # 三位一体, 四个一百: a set phrase, not a count

    low, high = _parse_range(numeral)
    if gemag:  # 10个亿, 1个多亿, 一个半亿
        extra_half = Decimal("0.5") if "半" in gemag else Decimal(0)
        low = (low + extra_half) * _magnitude(gemag[-1])
        high = None if high is None else (high + extra_half) * _magnitude(gemag[-1])
    if match["mag3"]:  # 200多亿元: the magnitude after the qualifier
        low *= _magnitude(match["mag3"])
        high = None if high is None else high * _magnitude(match["mag3"])
    if numeral2 is not None:
        high2 = _parse_range(numeral2)
        # 20至30亿元: the magnitude written once applies to both ends.
        mag2 = regex.search(rf"(?:{_MAG})$", numeral2)
        if mag2 and not regex.search(rf"(?:{_MAG})$", numeral) and not _is_chinese(numeral):
            low *= _magnitude(mag2[0])
        high = high2[1] or high2[0]
        if high < low:
            return None  # 0573-8888: a code, not a range
    extra = Decimal("0.5") if (match["half"] or match["gemid"] == "半") else Decimal(0)
    low = (low + extra) * factor
    high = None if high is None else (high + extra) * factor
    return Quantity(_exact(low), None if high is None else _exact(high), base, kind.value, qualifier)


def find_quantities(text: str) -> list[QuantityMatch]:
    """Every quantity with a unit in `text`, left to right, with offsets into `text`.

    Numbers inside《》titles and short quoted phrases are names, not quantities. A number without a unit
    right before a coordinated one with a unit shares it: `4000万和8000万人次` is two counts of 人次.
    """
    normalised = text.translate(_WIDTH)
    names = [(m.start(), m.end()) for m in _TITLE.finditer(normalised)]
    names += [(m.start(), m.end()) for m in _SLOGAN.finditer(normalised)]
    names.sort()
    found: list[QuantityMatch] = []
    for match in _PATTERN.finditer(normalised):
        if not match[0] or match["pre"] and match.end() == match.end("pre"):
            continue
        if names and _inside(names, match.start()):
            continue
        quantity = _build(match, normalised)
        if quantity is None:
            continue
        start, end = match.start(), match.end()
        while end > start and text[end - 1] in " \u3000":
            end -= 1
        found.append(QuantityMatch(start, end, text[start:end], quantity))
    for match in _HALF.finditer(normalised):
        if any(m.start <= match.start() < m.end for m in found) or names and _inside(names, match.start()):
            continue
        base, factor, kind = UNITS[("个" if match["ge"] and match["unit"] == "月" else "") + match["unit"]]
        found.append(QuantityMatch(match.start(), match.end(), text[match.start():match.end()],
                                   Quantity(0.5, None, base, kind.value, None)))
    found.sort(key=lambda m: m.start)
    return _join_ranges(_share_units(found, normalised), text)


def _join_ranges(found: list[QuantityMatch], text: str) -> list[QuantityMatch]:
    """`5年到10年`, `3万至5万人`: two quantities of one unit joined by a range sign are one range."""
    joined: list[QuantityMatch] = []
    for match in found:
        if joined:
            last = joined[-1]
            a, b = last.quantity, match.quantity
            if (regex.fullmatch(_SEP, text[last.end:match.start]) and a.unit == b.unit and a.kind == b.kind
                    and a.value_max is None and b.value_max is None and a.qualifier is None and b.value > a.value):
                joined[-1] = QuantityMatch(last.start, match.end, text[last.start:match.end],
                                           Quantity(a.value, b.value, a.unit, a.kind, b.qualifier))
                continue
        joined.append(match)
    return joined


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    i = bisect.bisect_right(spans, (position, 10**12)) - 1
    return i >= 0 and spans[i][0] <= position < spans[i][1]


def _share_units(found: list[QuantityMatch], text: str) -> list[QuantityMatch]:
    """`4000万和8000万人次`: a unitless number joined by 和/与/及/或/、 to the next one takes its unit."""
    shared = list(found)
    for i in range(len(shared) - 2, -1, -1):
        this, following = shared[i], shared[i + 1]
        if this.quantity.unit or not following.quantity.unit:
            continue
        if text[this.end:following.start] not in ("和", "与", "及", "或", "、", "至", "到"):
            continue
        if not following.text.rstrip(_UNIT_CHARS).endswith(("万", "亿")):
            continue
        q, f = this.quantity, following.quantity
        base, factor, _ = UNITS.get(following.text[len(following.text.rstrip(_UNIT_CHARS)):], (f.unit, Decimal(1), None))
        value = _exact(Decimal(str(q.value)) * factor)
        shared[i] = QuantityMatch(this.start, this.end, this.text, Quantity(value, q.value_max, f.unit, f.kind, q.qualifier))
    return shared


@lru_cache(maxsize=1024)
def parse_quantity(text: str) -> Quantity:
    """The quantity one expression states: `近1000亿元`, `六成`, `三分之一`, `20至30亿元`, `半个小时`.

    Raises InputError when `text` is not exactly one quantity with a unit.
    """
    stripped = text.strip()
    matches = find_quantities(stripped)
    if len(matches) != 1 or matches[0].start != 0 or matches[0].end != len(stripped):
        raise InputError(f"not a quantity: {text!r} (expected a number with a unit, e.g. 220亿元, 21%, 3个月)")
    return matches[0].quantity
