"""Quantities in Chinese text: numerals, magnitudes, units, shares, ranges and qualifiers.

`parse_number` reads one numeral (`1,200`, `１２３`, `1.5万`, `3亿5千万`, `一百二十`, `两千`, `百亿`, `二〇一六`);
values are computed with `Decimal`, so `183.9亿` is exactly 18390000000. `find_quantities` scans a text for
numbers *with a unit* and normalises each to its base unit; a bare number, a date (`2016年`, `7月28日`), an
ordinal (`第一`, `十四届全国人大`) or a name (`G60`, `十三五`) has no unit of measure and so is not a
quantity, and URLs, e-mail addresses, file names and phone numbers hold none. `parse_quantity` reads one
whole expression (`近1000亿元`).

Reading never fails on a text: a candidate whose numeral cannot be read (`七十百`, a figure longer than
any real one) is skipped and logged as a warning on the `jiegui.analyses.numbers` logger (the CLI shows it with
--debug). The word lists (units, currencies, counters) are data files in `data/`.
"""
from __future__ import annotations

import logging
import operator
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import regex

from jiegui.errors import NumberError
from jiegui.lexicon import entries, rows, word_set
from jiegui.models import QuantityKind as Kind

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # the library is silent unless the application configures logging


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


class _Unreadable(Exception):
    """A candidate whose numeral cannot be read: skipped by `find_quantities`, logged as a warning."""


# ---------------------------------------------------------------- numerals
# Mapped one character to one character, so offsets survive: full-width forms, the minus sign, and the
# Traditional forms of the numeral, qualifier and unit characters (億 萬 兩 點 約 噸 …) for text read
# without conversion (facts.py converts whole Traditional documents first).
_WIDTH = str.maketrans("０１２３４５６７８９．，％／－～：−億萬兩點幾數個○負餘來歲圓約過將噸釐塊臺項條張隻頭種類處間輛場雙層輪屆幣鎊盧韓歐畝頃週銖馬侖",
                       "0123456789.,%/-~:-亿万两点几数个〇负余来岁圆约过将吨厘块台项条张只头种类处间辆场双层轮届币镑卢韩欧亩顷周铢马仑")
# The characters `_WIDTH` maps, for `_normalise`: none is mapped to another one mapped (so the order of
# the replacements does not matter).
_WIDTH_CHARS = [(chr(k), chr(v)) for k, v in _WIDTH.items()]
assert not {k for k, _ in _WIDTH_CHARS} & {v for _, v in _WIDTH_CHARS}


def _normalise(text: str) -> str:
    """`text.translate(_WIDTH)` for a whole document, seven times faster: `str.translate` looks every
    character up in the table, while each character to map is searched for at C speed (most documents
    hold a few of them: ，：％ and digits)."""
    for char, mapped in _WIDTH_CHARS:
        if char in text:
            text = text.replace(char, mapped)
    return text


_DIGITS = "〇零一二三四五六七八九两壹贰叁肆伍陆柒捌玖"
_DIGIT_VALUES = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2} | {
    ch: i for i, ch in enumerate("壹贰叁肆伍陆柒捌玖", 1)}
_MAGNITUDES = {"十": 10, "百": 100, "千": 1000, "拾": 10, "佰": 100, "仟": 1000, "万": 10_000, "亿": 100_000_000}
_FEW = "几"  # 十几, 几十, 数百: a digit of 1 … 9
# A quantity larger than this is no figure a text states (the world's GDP in yuan is ~10^15): a longer
# numeral is a code, a fuzzer's string or an error, and is skipped.
_LARGEST = Decimal(10) ** 16
_MAX_DIGITS = 20

_NUMERAL_TOKEN = regex.compile(
    rf"(?P<ar>\d+(?:\.\d+)?|\.\d+)|(?P<run>[{_DIGITS}几]*点[〇零一二三四五六七八九]+|[{_DIGITS}几]+)"
    r"|(?P<small>[十百千拾佰仟])|(?P<big>[万亿])"
)


_FEW_THEN_DIGIT = regex.compile(rf"(.+{_FEW})([{_DIGITS}].*)")  # 十几二十: a range of two numerals
_THOUSANDS = regex.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")


def _exact(value: Decimal) -> float:
    """An int when the value is integral (JSON `18390000000`, not `1.839e10`), else a float."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _run_value(run: str, zero_allowed: bool) -> tuple[Decimal, Decimal] | None:
    """A run of Chinese digits: one digit, a range of two adjacent digits (三五 = 3…5, 一两, 十五六's 五六),
    a decimal (三点五), or a number read digit by digit (二〇一六). None for anything else (二一, 一一)."""
    if "点" in run:
        whole, fraction = run.split("点")
        if _FEW in run or len(whole) > 1 and not zero_allowed:
            return None
        digits = "".join(str(_DIGIT_VALUES[c]) for c in whole) or "0"
        value = Decimal(digits + "." + "".join(str(_DIGIT_VALUES[c]) for c in fraction))
        return value, value
    if len(run) == 1:
        if run == _FEW:
            return Decimal(1), Decimal(9)
        return Decimal(_DIGIT_VALUES[run]), Decimal(_DIGIT_VALUES[run])
    if _FEW in run:
        return None
    values = [_DIGIT_VALUES[c] for c in run]
    if len(values) == 2 and 0 < values[0] < values[1] <= values[0] + 2:
        return Decimal(values[0]), Decimal(values[1])  # 三五个, 一两个, 七八千: a range
    if zero_allowed and (len(values) >= 3 or 0 in values) and len(values) <= _MAX_DIGITS:
        value = Decimal("".join(map(str, values)))  # 二〇一六, 一九九八: digit by digit
        return value, value
    return None


def _combine(items: list[tuple[str, Decimal, bool]]) -> Decimal | None:
    """The value of a numeral's items: (kind, value, single digit) with kind num, zero, small or big.

    The usual grouping: 十百千 inside a group, 万 and 亿 close one (3亿5千万, 2亿零500万, 1万5千, 一万亿); a
    single digit after a magnitude abbreviates the next lower one (一万五 = 15000, 三千五, 二百五).
    """
    total = section = current = Decimal(0)
    number: Decimal | None = None
    number_single = False
    after: tuple[str | None, Decimal] = (None, Decimal(1))
    last_small: Decimal | None = None
    previous: tuple[str | None, Decimal] = (None, Decimal(1))
    for kind, value, single in items:
        if kind == "num":
            if number is not None:
                return None
            number, number_single, after = value, single, previous
        elif kind == "zero":
            if number is not None:
                return None
        elif kind == "small":
            if last_small is not None and value >= last_small:
                return None  # 七十百: not a numeral
            current += (Decimal(1) if number is None else number) * value
            number, last_small = None, value
        else:
            group = current + (number or 0)
            if number is None and last_small is None and not (total or section):
                group = Decimal(1)  # 万人, 亿元: a magnitude alone
            if value == 10_000:
                section = (section + group) * value
            else:
                total = (total + section + group) * value
                section = Decimal(0)
            current, number, last_small = Decimal(0), None, None
        previous = (kind, value)
    if number is not None:
        if after[0] in ("small", "big") and number_single:
            number *= after[1] / 10  # 一万五, 三千五, 十五 (× 1)
        current += number
    return total + section + current


@lru_cache(maxsize=4096)
def _numeral(text: str) -> tuple[Decimal, Decimal | None] | None:
    """(low, high) of one numeral, high None unless the numeral is itself a range (二三十, 十几, 数百);
    None when it cannot be read or is larger than any real figure."""
    text = text.translate(_WIDTH).replace(",", "").replace(" ", "").replace("廿", "二十").replace("卅", "三十")
    if text.startswith("数"):
        text = _FEW + text[1:]
    split = _FEW_THEN_DIGIT.fullmatch(text)
    if split:  # 十几二十: from 十几 to 二十
        low, high = _numeral(split[1]), _numeral(split[2])
        if low is None or high is None or high[0] <= low[0]:
            return None
        return low[0], high[1] or high[0]
    items_low: list[tuple[str, Decimal, bool]] = []
    items_high: list[tuple[str, Decimal, bool]] = []
    ranged = False
    position = 0
    for token in _NUMERAL_TOKEN.finditer(text):
        if token.start() != position:
            return None
        position = token.end()
        if token["ar"]:
            if len(token["ar"]) > _MAX_DIGITS:
                return None
            value = Decimal(token["ar"])
            item = ("num", value, len(token["ar"]) == 1)
            items_low.append(item)
            items_high.append(item)
        elif token["run"]:
            run = token["run"]
            if run[0] in "零〇" and items_low and items_low[-1][0] in ("small", "big", "num"):
                items_low.append(("zero", Decimal(0), False))  # 一百零五, 2亿零500万: a placeholder
                items_high.append(("zero", Decimal(0), False))
                run = run.lstrip("零〇")
                if not run:
                    continue
            followed = position < len(text)
            pair = _run_value(run, zero_allowed=not followed and not items_low)
            if pair is None:
                return None
            ranged = ranged or pair[0] != pair[1]
            single = len(run) == 1 or len(run) == 2 and pair[0] != pair[1]
            items_low.append(("num", pair[0], single))
            items_high.append(("num", pair[1], single))
        else:
            kind = "small" if token["small"] else "big"
            item = (kind, Decimal(_MAGNITUDES[token[0]]), False)
            items_low.append(item)
            items_high.append(item)
    if position != len(text) or not items_low:
        return None
    low = _combine(items_low)
    if low is None or low >= _LARGEST:
        return None
    if not ranged:
        return low, None
    high = _combine(items_high)
    if high is None or high >= _LARGEST or high <= low:
        return None
    return low, high


def parse_number(text: str) -> float:
    """The value of one numeral: `1,200`, `１２３`, `1.5万` (15000), `3亿5千万`, `一百二十`, `两千`, `百亿`.

    Raises NumberError for anything else (including a range such as `二三十`). Integral values are
    returned as int.
    """
    stripped = text.translate(_WIDTH).strip()
    if "," in stripped and not _THOUSANDS.fullmatch(stripped):
        raise NumberError(f"not a number: {text!r} (thousands separators go every three digits: 1,200)")
    read = _numeral(stripped) if stripped else None
    if read is None or read[1] is not None:
        raise NumberError(f"not a number: {text!r} (expected e.g. 1,200 or 1.5万 or 一百二十)")
    return _exact(read[0])


# ---------------------------------------------------------------- units
def _units() -> tuple[dict[str, tuple[str, Decimal, Kind]], dict[str, tuple[str, Decimal]]]:
    """Surface unit → (base unit, factor to the base unit, kind), and currency symbol → (base, factor)."""
    table: dict[str, tuple[str, Decimal, Kind]] = {}
    symbols: dict[str, tuple[str, Decimal]] = {}
    for surface, base, factor, kind in rows("units.tsv"):
        table[surface] = (base, Decimal(factor), Kind(kind))
    for (word,) in rows("counters.txt"):
        table[word] = (word, Decimal(1), Kind.count)
    for surface, base, factor, position in rows("currencies.tsv"):
        if position == "before":
            symbols[surface] = (base, Decimal(factor))
        else:
            table[surface] = (base, Decimal(factor), Kind.money)
    return table, symbols


UNITS, _SYMBOLS = _units()
_UNIT_CHARS = "".join(sorted({ch for unit in UNITS for ch in unit if not ch.isdigit()}))
# 美分, 便士: a subunit written after its main unit adds to it (两美元又三美分 = 2.03 美元).
_SUBUNITS = frozenset(s for s, (_, factor, kind) in UNITS.items() if kind is Kind.money and factor < 1)

# Phrases after `N年` that make it a span of time, not a date (1800年建城史, 2000年历史, 5000年之久).
_SPAN_AFTER_YEAR = entries("span_after_year.txt")
_NAME_AFTER_SPAN = ("行动", "计划", "规划", "方案", "攻坚", "纲要")
_AVERAGE_AFTER = ("平均", "年均", "月均", "日均")
_OPENING_QUOTES = ("“", "\"", "《", "「", "『", "‘")
_QUALIFIER_BEFORE = {word: Qualifier(q) for word, side, q in rows("qualifiers.tsv") if side == "before"}
_QUALIFIER_AFTER = {word: Qualifier(q) for word, side, q in rows("qualifiers.tsv") if side == "after"}


def _alternation(words: Iterable[str]) -> str:
    """Longest first; a Latin unit only where no letter follows (5m, not the m of 5mm or of 5 mini)."""
    return "|".join(regex.escape(w) + ("(?![A-Za-z])" if w[-1].isascii() and w[-1].isalpha() else "")
                    for w in sorted(words, key=len, reverse=True))


_AR = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:(?:[ ]?\.|\.[ ]?)\d+)?|\.\d+"  # 2 .2 and 2. 2: a PDF's stray space
_MAG = r"[十百千]?万亿|[十百千]?[万亿]|百(?!分)|千(?![克米瓦])"  # 5000千克 is 5000 kg, not 5000千 g
_CN_CHARS = rf"{_DIGITS}十百万亿几拾佰仟廿卅"
_CN = (rf"(?:[一二三四五六七八九两十壹贰叁肆伍柒捌玖拾廿卅]|[〇零](?=点|[〇零一二三四五六七八九]{{3}})|[几数](?=[十百千万亿]))"
       rf"(?:[{_CN_CHARS}]|千(?![克米瓦]))*(?:点[〇零一二三四五六七八九]+)?")
_BARE = r"[百千万](?:[百千]?[万亿])?|亿"  # 百亿, 千万, 万亿: only with a qualifier or a second magnitude
# One numeral: Arabic with magnitudes, continued by lower groups (3亿5千万, 2亿零500万, 1万5千, 1万5), or
# Chinese, or a bare magnitude.
_NUM = (rf"(?:(?:{_AR})(?:{_MAG})?(?:(?<=[万亿千])零?(?:\d+(?:\.\d+)?(?:{_MAG})|[一二三四五六七八九两][千百](?:[万亿])?"
        rf"|\d(?![\d.])))*|{_CN}|{_BARE})")
_SEP = r"(?:至|到|-|~|—|–|－|～)"
_SP = r"[ \u3000]?"
_SIGN = r"(?:(?<![胜正抱自欺担辜肩])负|零下|(?<![A-Za-z\d)）\]])-(?=\.?\d))"
_CHENG_WORDS = "|".join(map(regex.escape, entries("cheng_words.txt")))
_ZHE_WORDS = "|".join(map(regex.escape, entries("zhe_words.txt")))
_HALF_WORDS = "|".join(map(regex.escape, entries("half_words.txt")))
# Units, currencies and symbols are named lists (regex's \L<…>: the longest item matches, and a list compiles
# far faster than an alternation of ~400 words); a Latin item must not run on into more letters (5m, 5 mini).
_NO_MORE_LETTERS = r"(?!(?<=[A-Za-z])[A-Za-z])"
_UNIT_FIRST = regex.escape("".join(sorted({unit[0] for unit in UNITS})))
# A rate keeps its compound unit (100公里/小时, 5元/斤, 3000元每平方米): what the amount is per.
_PER = _alternation(entries("rate_units.txt"))

# Every character a quantity can start with, checked first: most positions of a text fail on it at once.
# After the qualifier and the sign, what follows starts with one of `_SECOND` (a numeral, a share, a
# currency symbol): checked at once too, so that a qualifier's first character in an ordinary
# word (上, 接, 大, 高: a third of the candidates) fails without trying the numeral in each branch.
# Written as three branches, a numeral first (most candidates), not (?:pre)?(?:sign)?[second]: the same
# test, and the whole pattern's scan 2.6 → 2.2 s CPU over the 10 MB corpus and news-dev (best of 3).
_SECOND_CHARS = set(_CN_CHARS + "千0123456789.数负零-百分成打对半翻") | {w[0] for w in _SYMBOLS}
_FIRST_CHARS = _SECOND_CHARS | {w[0] for w in _QUALIFIER_BEFORE}
_FIRST = regex.escape("".join(sorted(_FIRST_CHARS)))
_SECOND = regex.escape("".join(sorted(_SECOND_CHARS)))
_PRE = f"{_alternation(w for w in _QUALIFIER_BEFORE if w not in '上过破')}|[上过破](?=[百千万亿])"

# Every character a numeral is written with: a fraction (三分之一) is tried only where 分之 follows a run
# of them, not at every number (reading the numeral and failing on 分之 cost a quarter of a match).
_NUMERAL_CHARS = regex.escape("".join(sorted(set("0123456789,. " + _CN_CHARS + "千点数"))))
# The numeral inlined at each use: a (?&numeral) group call made the regex module's scan 2–3× slower.
_NUMERAL = f"(?:{_NUM})"
# The units, currencies and symbols a match names: the pattern's named lists (\L<units>, …).
_LISTS = {
    "units": list(UNITS),
    "currencies": [s for s, (_, _, kind) in UNITS.items() if kind is Kind.money],
    "symbols": list(_SYMBOLS),
}
# \w, read alike by `re` and `regex`: re's counts the "other numbers" (², ①, ㈠: str.isalnum) as word
# characters, regex's does not; those a Chinese text may hold are left out (see `_engines_agree`).
_WORD = r"[^\W²³¹¼-¾⁰⁴-⁹₀-₉⅐-⅟↉①-⒛⓪-⓿❶-➓㆒-㆕㈠-㈩㉈-㉏㉑-㉟㊀-㊉㊱-㊿]"
# A match follows no letter, digit or numeral character (the negative lookbehinds, one per width, so
# that the standard library's `re` compiles them too: see `_fast_pattern`).
_PATTERN_SOURCE = rf"""
    (?=[{_FIRST}])(?=[{_SECOND}]|(?:{_PRE})(?:{_SIGN})?[{_SECOND}]|(?:{_SIGN})[{_SECOND}])
    (?<![A-Za-z0-9_#＃$￥¥€£〇零二三四五六七八九十百千万亿两几壹贰叁肆伍陆柒捌玖拾佰仟第])(?<!\d[.,/:：\-])(?<!\d[ ][.,/:：\-])
    (?<!第[ \u3000])(?<!(?<![唯统之同单划专不逐归合])一)
    (?!(?<=[唯统之同单划专不逐归合])一)
    (?P<pre>{_PRE})?
    (?P<sign>{_SIGN})?
    (?:
        (?P<sym>\L<symbols>){_NO_MORE_LETTERS}{_SP}(?P<symnum>{_NUMERAL})(?P<symmid>多|余)?(?P<symmag>(?<=[多余])(?:{_MAG}))?
        (?:{_SP}(?P<symunit>\L<currencies>){_NO_MORE_LETTERS})?
      | 百分之{_SP}(?P<pct>{_NUMERAL}|几)(?:{_SEP}(?:百分之)?(?P<pct2>{_NUMERAL}))?
      | (?P<whole>百分百|一半(?!{_HALF_WORDS}))
      | (?=[{_NUMERAL_CHARS}]*+分之)(?P<den>{_NUMERAL})分之(?P<numer>{_NUMERAL})
      | (?P<fa>\d{{1,2}})/(?P<fb>\d{{1,2}})(?![\d/])
      | (?P<cheng>[一二三四五六七八九两几]{{1,2}}|十|\d(?:\.\d)?|10)成
        (?P<chengtail>半|[一二三四五六七八九](?![{_CN_CHARS}\d成]))?(?!{_CHENG_WORDS})
      | (?<!波)(?P<da>打)?(?P<zhe>[一二三四五六七八九]{{1,2}}|\d(?:\.\d)?(?![\d.])|[1-9]\d(?![\d.]))折(?!{_ZHE_WORDS})
      | (?P<duizhe>打?对折|半价)(?!{_ZHE_WORDS})
      | 翻了?(?P<fan>[一两二三四五]|\d)番
      | (?:
            (?P<many>成百上千|成千上万|成千上百|数以(?:十|百|千|万|亿|百万|千万)计)
          | (?P<num>{_NUMERAL})
            (?:{_SP}(?P<unit1>%|‰))?
            (?:{_SEP}(?P<sign2>{_SIGN})?(?P<num2>{_NUMERAL})(?(unit1)(?={_SP}[%‰]|(?!{_WORD}|\.))|))?
            (?P<mid>(?<![%‰])(?:多|余|来))?(?P<mag3>(?<=[多余来])(?:{_MAG}))?
            (?P<gemag>(?<![%‰])个(?:多|半)?[万亿](?![万亿]|分之))?
        )
        {_SP}
        (?:
            (?P<ge>个)(?P<gemid>多|半)(?P<geunit>小时|月|钟头|星期)
          | (?P<half>个?半)(?P<halfunit>小时|个小时|年|天|月|个月)
          | (?P<yuan>元|块)(?:又|零)?(?:(?P<jiao>[一二三四五六七八九两]|\d)[角毛](?:(?P<fen>[一二三四五六七八九两]|\d)分?)?
                                     |(?P<fen2>[一二三四五六七八九两]|\d)分|(?<=块)(?P<jiao2>[一二三四五六七八九]|\d)(?!{_WORD}|钱))钱?
          | 米(?P<mtail>[一二三四五六七八九]{{1,2}}|\d{{1,2}})(?![\d{_CN_CHARS}{_UNIT_FIRST}])
          | (?P<unit>\L<units>){_NO_MORE_LETTERS}(?P<uhalf>半(?!{_HALF_WORDS}))?(?:[/每](?P<per>{_PER}))?
            (?:(?<=小时)(?P<minutes>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})分(?:钟)?)?
        )?
    )
    (?P<post>(?!以上海)(?:{_alternation(_QUALIFIER_AFTER)})|多(?=[的，,。；;.!?！？\n]|$))?
    """


@lru_cache(maxsize=1)
def _regex_pattern() -> regex.Pattern[str]:
    """The pattern for the regex module (compiled on first use, 0.13 s: `_scan` needs it only for a text
    `re` reads otherwise)."""
    return regex.compile(_PATTERN_SOURCE, regex.VERBOSE, units=_LISTS["units"], currencies=_LISTS["currencies"],
                         symbols=_LISTS["symbols"])


class _Parts(NamedTuple):
    """A `_PATTERN_SOURCE` match's offsets and named groups (in the pattern's order), read by attribute: the regex
    module looks a group up by name in ~0.5 µs, and reading one match takes some thirty groups. A group
    is typed as the regex stubs type one (`str | Any`): a group its form requires (a fraction's
    numerator) is read without a None check."""

    start: int
    end: int
    pre: str | Any
    sign: str | Any
    sym: str | Any
    symnum: str | Any
    symmid: str | Any
    symmag: str | Any
    symunit: str | Any
    pct: str | Any
    pct2: str | Any
    whole: str | Any
    den: str | Any
    numer: str | Any
    fa: str | Any
    fb: str | Any
    cheng: str | Any
    chengtail: str | Any
    da: str | Any
    zhe: str | Any
    duizhe: str | Any
    fan: str | Any
    many: str | Any
    num: str | Any
    unit1: str | Any
    sign2: str | Any
    num2: str | Any
    mid: str | Any
    mag3: str | Any
    gemag: str | Any
    ge: str | Any
    gemid: str | Any
    geunit: str | Any
    half: str | Any
    halfunit: str | Any
    yuan: str | Any
    jiao: str | Any
    fen: str | Any
    fen2: str | Any
    jiao2: str | Any
    mtail: str | Any
    unit: str | Any
    uhalf: str | Any
    per: str | Any
    minutes: str | Any
    post: str | Any


# ---------------------------------------------------------------- scanning
# The regex module's scan of the pattern costs ~17 µs a match (a match reads 44 groups) and, where it
# fails, ~3 µs at each of the 400 k positions of a 10 MB corpus that pass its first test (上海, 接轨, 新的).
# The standard library's `re` runs the same pattern (`_fast_pattern`) at a third of that: its `finditer`
# over the whole corpus 0.55 s, against 0.8 s for trying regex only where a partial match on the
# surrounding characters allowed one (which cost ~80 µs for each distinct triple of characters: 0.4 s on
# 226 k characters of real text).


@lru_cache(maxsize=1)
def _fast_pattern() -> re.Pattern[str]:
    """The pattern for `re`, its named lists spelt out as alternations (longest first, the order in which
    regex tries a list's items): the same matches. Compiled on first use (0.1 s)."""
    source = _PATTERN_SOURCE
    for name, words in _LISTS.items():
        source = source.replace(rf"\L<{name}>", "(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + ")")
    pattern = re.compile(source, re.VERBOSE)
    assert _Parts._fields[2:] == tuple(sorted(pattern.groupindex, key=pattern.groupindex.__getitem__)), "_Parts must list the groups"
    return pattern


# The two engines' \d and \w follow different Unicode versions (regex's is newer) and definitions (re's \w
# is str.isalnum, regex's the Unicode word property: a combining mark): a text holding a character they
# read differently (as the pattern reads it: `_WORD`) is scanned with `_regex_pattern()`. Each character
# is tested once, on first sight: `_read_apart` holds 0 (not tested yet), 1 (alike) or 2 (apart).
_CLASSES = rf"(\d)?({_WORD})?"
_CLASSES_RE, _CLASSES_REGEX = re.compile(_CLASSES), regex.compile(_CLASSES)


@lru_cache(maxsize=1)
def _read_apart() -> NDArray[np.uint8]:
    """A table over every code point, filled by `_engines_agree`."""
    import sys

    import numpy as np

    return np.zeros(sys.maxunicode + 1, dtype=np.uint8)


def _engines_agree(text: str) -> bool:
    """Whether `re` and `regex` read every character of `text` alike (see above): a lookup per character
    over its code points, at numpy's speed."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    table = _read_apart()
    status = table[codes]
    untested = np.unique(codes[status == 0]).tolist()
    for code in untested:
        char = chr(code)
        alike = cast("re.Match[str]", _CLASSES_RE.match(char)).groups() == cast("regex.Match[str]", _CLASSES_REGEX.match(char)).groups()
        table[code] = 1 if alike else 2
    return not bool(((table[codes] if untested else status) == 2).any())


def _scan(text: str) -> list[re.Match[str] | regex.Match[str]]:
    """`list(_regex_pattern().finditer(text))`, found with `re` where it reads the text alike (see above)."""
    pattern = _fast_pattern() if _engines_agree(text) else _regex_pattern()
    return list(pattern.finditer(text))


# Tests on parts of a match, compiled once (find_quantities reads ~10^5 matches on a 10 MB corpus), with
# `re` where they need nothing of regex's (a call costs 0.6-0.8 µs, against 1.4 µs).
_ENDS_IN_BIG = re.compile(r"[万亿]$")
_ENDS_IN_MAG = re.compile(rf"(?:{_MAG})$")
_BARE_ONLY = re.compile(_BARE)
_SEP_ONLY = re.compile(_SEP)
_MANY = {"成百上千": ("100", "1000"), "成千上万": ("1000", "10000"), "成千上百": ("100", "1000")}
# 半个小时, 半年, 半月: a half with no number before it (上半年, 下半年, 大半年 are parts of a year, not spans).
_HALF = regex.compile(r"(?<![〇零一二三四五六七八九十两\d个上下前后大多过])半(?P<ge>个)?(?P<unit>小时|钟头|月|年|天|星期|周)")
_HALF_UNITS = {"小时": "小时", "钟头": "小时", "月": "月", "年": "年", "天": "天", "星期": "周", "周": "周"}
# Book, document and plan titles: a number inside《》is part of a name (《三年行动计划》).
_TITLE = regex.compile(r"《[^》\n]{0,80}》")
# A short quoted phrase is a slogan or a name (“两个无差别、三个更好”, “3小时都市圈”).
_SLOGAN = regex.compile(r"[“\"「『‘][^”\"」』’\n]{1,12}[”\"」』’]")
# Strings that hold no facts: URLs, e-mail addresses, file names, phone numbers.
_NOT_PROSE = regex.compile(
    r"(?:https?|ftp)://[!-~]+|www\.[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
    r"|[A-Za-z0-9_.-]+\.(?:pdf|docx?|xlsx?|pptx?|txt|csv|json|xml|html?|jpe?g|png|gif|zip|rar|7z|mp[34]|avi|mov|exe|apk)(?![A-Za-z])"
    r"|(?<![\d-])0\d{2,3}-\d{7,8}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)",
    regex.IGNORECASE,
)
# Every character a `_NOT_PROSE` match can hold (same flag: what case-folds into ASCII too), and the
# characters one of its forms needs (a URL :// or www., an e-mail @, a file name .; a phone number is
# 11 long): the pattern runs only over the runs of such characters that can hold a match, which no
# match crosses (its alternation costs 0.35 s over a 10 MB corpus, scanning these runs 0.03 s).
_PROSE_RUN = regex.compile(r"[!-~\d]{4,}", regex.IGNORECASE)
_NOT_PROSE_NEEDS = (".", "@", ":")
_NOT_PROSE_SHORTEST_WITHOUT = 11


def _not_prose(text: str) -> list[tuple[int, int]]:
    """The spans of `_NOT_PROSE.finditer(text)`, read only inside the runs that can hold one."""
    spans = []
    for run in _PROSE_RUN.finditer(text):
        chars = run[0]
        if len(chars) >= _NOT_PROSE_SHORTEST_WITHOUT or any(c in chars for c in _NOT_PROSE_NEEDS):
            spans += [(m.start(), m.end()) for m in _NOT_PROSE.finditer(text, run.start(), run.end())]
    return spans
# Words whose presence before a spoken `N个亿` makes it money (在平湖投资10个亿).
_MONEY_CONTEXT = re.compile(r"投资|资金|资本|产值|收入|销售|营收|税|利润|融资|贷款|基金|规模|花|钱|元")
# Place nouns used as counters (counters.txt): a count only after Arabic digits.
_PLACE_COUNTERS = word_set("place_counters.txt")
# 十四届全国人大三次会议, 五次全会: a session's number is part of its name.
_SESSION_AFTER = re.compile(r"(?:全体)?会议|全会|大会|常委会")
_CLAUSE_PUNCT = "，,。；;：:！？!?、)）\n"


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


_FOUR_DIGITS = regex.compile(r"\d{4}")
_TWO_DIGITS = regex.compile(r"\d{2}")
_FOUR_CHINESE_DIGITS = regex.compile(r"[〇零一二三四五六七八九]{4}")


def _is_date_year(numeral: str, follows: str) -> bool:
    """`2016年`, `二〇一六年`: a calendar year, unless the text says it is a span (`1800年建城史`)."""
    if follows.startswith(_SPAN_AFTER_YEAR):
        return False
    if _FOUR_DIGITS.fullmatch(numeral):
        return 1000 <= int(numeral) <= 2199
    if _TWO_DIGITS.fullmatch(numeral):
        return follows.startswith(("上半年", "下半年", "底", "初", "末", "中"))  # 12年前 is "12 years ago"
    return _FOUR_CHINESE_DIGITS.fullmatch(numeral) is not None


# `前` that is part of a time word, not "the first N" (目前3家企业 is a count).
_NOT_RANK_BEFORE = entries("not_rank_before.txt")


# `后` that means "after" or "then", not "the last N" (随后3家企业, 先后3次 are counts).
_NOT_LAST_BEFORE = entries("not_last_before.txt")


def kind_before_rank(parts: _Parts, text: str, unit_surface: str | None) -> bool:
    """True for `前N名`, `前两个层次`, `今年前2个月`: the first N of a ranking, a list or a year, a reference
    rather than a count or a duration."""
    if parts.pre or unit_surface is None or UNITS[unit_surface][2] not in (Kind.count, Kind.duration):
        return False
    kind_is_count = UNITS[unit_surface][2] is Kind.count
    start = parts.start
    if text[max(0, start - 3):start] in ("今年前", "去年前", "明年前", "当年前", "同年前", "上年前", "全年前"):
        return True  # 今年前2个月: the year's first months (年前 alone is "before the new year" or "… years ago")
    if kind_is_count and text[start - 1:start] == "后" and text[max(0, start - 2):start] not in _NOT_LAST_BEFORE:
        return True  # 增速后三名: the last N of a ranking
    return text[start - 1:start] == "前" and text[max(0, start - 2):start] not in _NOT_RANK_BEFORE


_LEADING_ZERO = regex.compile(r"0\d")


def _read(numeral: str) -> tuple[Decimal, Decimal | None]:
    """`_numeral`, raising _Unreadable; a leading zero (0573, 007) is a code, not a quantity."""
    if _LEADING_ZERO.match(numeral):
        raise _Unreadable("a code with a leading zero")
    read = _numeral(numeral)
    if read is None:
        raise _Unreadable("not a numeral, or larger than any real figure")
    return read


def _percent(low: Decimal, high: Decimal | None, qualifier: str | None) -> Quantity:
    return Quantity(_exact(low), None if high is None else _exact(high), "%", Kind.percent.value, qualifier)


def _approx(high: Decimal | None, qualifier: str | None) -> str | None:
    """A numeral that is itself a range (二三十, 十几, 数百) is approximate unless the text says more."""
    return qualifier or (Qualifier.approx.value if high is not None else None)


_SHARE_GROUPS = ("pct", "den", "fa", "cheng", "zhe", "duizhe", "whole", "fan")
_share_groups = operator.itemgetter(*(_Parts._fields.index(name) for name in _SHARE_GROUPS))


def _share(parts: _Parts, qualifier: str | None) -> Quantity | None:
    """百分之…, N分之M, a/b, 成, 折, 一半: a share, in %; 翻N番: a multiple."""
    if parts.pct is not None:
        low, high = _read(parts.pct)
        if parts.pct2:
            low2, high2 = _read(parts.pct2)
            if high is not None or (high2 or low2) <= low:
                raise _Unreadable("a percentage range that does not rise")
            return _percent(low, high2 or low2, qualifier)
        return _percent(low, high, _approx(high, qualifier))
    if parts.den is not None:
        den_low, den_high = _read(parts.den)
        numer, numer_high = _read(parts.numer)
        if den_low == 0 or numer_high is not None:
            return None
        if den_high is None:
            return _percent(numer * 100 / den_low, None, qualifier)
        return _percent(numer * 100 / den_high, numer * 100 / den_low, _approx(den_high, qualifier))  # 几十分之一
    if parts.fa is not None:
        a, b = int(parts.fa), int(parts.fb)
        if not 0 < a < b <= 10:
            return None
        return _percent(Decimal(a) * 100 / b, None, qualifier)
    if parts.cheng is not None:
        low, high = _read(parts.cheng)
        tail = parts.chengtail
        extra = Decimal(5) if tail == "半" else Decimal(_DIGIT_VALUES[tail]) if tail else Decimal(0)
        if extra and high is not None:
            return None
        if low > 10 or high is not None and high > 10:
            return None
        return _percent(low * 10 + extra, None if high is None else high * 10, _approx(high, qualifier))
    if parts.zhe is not None:
        zhe = parts.zhe
        if _is_chinese(zhe):  # 八折 = 80 %, 七五折 = 75 %
            value = Decimal(sum(_DIGIT_VALUES[c] * 10 ** (1 - i) for i, c in enumerate(zhe)))
        else:  # 9.5折 = 95 %, 85折 = 85 %
            value = Decimal(zhe) * (10 if Decimal(zhe) < 10 else 1)
        return _percent(value, None, qualifier) if 0 < value < 100 else None
    if parts.duizhe is not None or parts.whole == "一半":
        return _percent(Decimal(50), None, qualifier)
    if parts.whole is not None:  # 百分百
        return _percent(Decimal(100), None, qualifier)
    if parts.fan is not None:  # 翻一番 = ×2, 翻两番 = ×4
        times = 2 ** (_DIGIT_VALUES.get(parts.fan) or int(parts.fan))
        return Quantity(times, None, "倍", Kind.multiple.value, qualifier)
    return None


def _build(parts: _Parts, text: str) -> Quantity | None:
    """The quantity a scanner match denotes, or None when the match is not a measurement.

    Raises _Unreadable when a numeral in it cannot be read.
    """
    pre, post = parts.pre, parts.post
    mid = parts.mid or parts.gemid or parts.symmid or (
        "多" if parts.gemag and "多" in parts.gemag else None)
    qualifier = _qualifier(pre, mid, post)
    quantity = _measure(parts, text, qualifier, mid)
    if quantity is None or not parts.sign and not parts.sign2:
        return quantity
    # 负3.9%, 下降-2.1%: a written sign makes the value negative (a verb such as 下降 does not).
    value = -quantity.value if parts.sign else quantity.value
    value_max = quantity.value_max
    if value_max is not None and (parts.sign and not parts.num2 and not parts.pct2 or parts.sign2):
        value_max = -value_max
    if value_max is not None and value_max < value:
        value, value_max = value_max, value
    return Quantity(value, value_max, quantity.unit, quantity.kind, quantity.qualifier)


def _measure(parts: _Parts, text: str, qualifier: str | None, mid: str | None) -> Quantity | None:
    """The quantity of a match before its sign is applied; see `_build`."""
    pre, post = parts.pre, parts.post
    if _share_groups(parts).count(None) < len(_SHARE_GROUPS):
        return _share(parts, qualifier)
    if parts.sym is not None:
        base, factor = _SYMBOLS[parts.sym]
        if parts.symunit and not (UNITS[parts.symunit][0] == "元" and base != "元"):
            base, factor = UNITS[parts.symunit][:2]  # 人民币100元, US$100美元; 新台币500元 stays 新台币
        low, high = _read(parts.symnum)
        if parts.symmag:  # $3多万
            magnitude = _read(parts.symmag)[0]
            low, high = low * magnitude, None if high is None else high * magnitude
        return Quantity(_exact(low * factor), None if high is None else _exact(high * factor), base,
                        Kind.money.value, _approx(high, qualifier))
    follows = text[parts.end:parts.end + 4]
    numeral, numeral2 = parts.num, parts.num2
    if parts.unit1:
        unit_surface = parts.unit1
    elif parts.geunit:
        unit_surface = {"月": "个月", "星期": "个星期"}.get(parts.geunit, "小时")
    elif parts.halfunit:
        unit_surface = {"月": "个月"}.get(parts.halfunit, parts.halfunit)
    elif parts.yuan:
        unit_surface = "元"
    elif parts.mtail:
        unit_surface = "米"
    else:
        unit_surface = parts.unit

    many = parts.many
    if many is not None:  # 成千上万人, 数以万计: with a unit only
        if unit_surface is None or unit_surface not in UNITS:
            return None
        # 数以万计: 数万 always reads as a range (10000–90000)
        low, high = (Decimal(v) for v in _MANY[many]) if many in _MANY else cast("tuple[Decimal, Decimal]", _read("数" + many[2:-1]))
        base, factor, kind = UNITS[unit_surface]
        return Quantity(_exact(low * factor), _exact(high * factor), base, kind.value, qualifier or Qualifier.approx.value)
    if unit_surface == "周年":
        return None  # 诞辰120周年, 建校50周年: which anniversary, an ordinal
    if unit_surface == "届" and follows[:1] not in _CLAUSE_PUNCT and follows[:1] != "":
        return None  # 十四届全国人大, 二十届四中全会: a session's number names it
    if unit_surface == "次" and _SESSION_AFTER.match(text, parts.end) and text[parts.start - 1:parts.start] in tuple("大协会届委"):
        return None  # 人大三次会议, 十五届五次全会
    gemag = parts.gemag
    if gemag and unit_surface is None:
        # 投资10个亿: the spoken form of 10亿, money when the clause speaks of money.
        clause_start = max(text.rfind(ch, 0, parts.start) for ch in "，,。；;：:！？\n") + 1
        if _MONEY_CONTEXT.search(text, clause_start, parts.start) or text.startswith("元", parts.end):
            unit_surface = "元"
    if kind_before_rank(parts, text, unit_surface):
        return None
    if unit_surface is None and not gemag:
        # A number without a unit is a fact only when it carries 万/亿 (人口1000万).
        if not _ENDS_IN_BIG.search(parts.mag3 or numeral2 or numeral) or _is_chinese(numeral) and not pre:
            return None
        base, factor, kind = "", Decimal(1), Kind.other
    elif unit_surface is None:
        base, factor, kind = "", Decimal(1), Kind.other
    else:
        base, factor, kind = UNITS[unit_surface]
    half = parts.half or parts.uhalf
    if _BARE_ONLY.fullmatch(numeral) and not pre and (len(numeral) < 2 and kind is not Kind.age
                                                        or text[parts.start - 1:parts.start] == "个"):
        return None  # 千人大会, 万家: a lone magnitude character is a word (百岁 is an age); 三个万亿台阶: a step

    if (kind is Kind.duration and base == "年" and not (pre or mid or post == "多" or half)
            and _is_date_year(numeral, follows) and (numeral2 is None or _is_date_year(numeral2, follows))):
        return None
    if kind is Kind.duration and base == "年" and text[parts.end:parts.end + 1] in ("代", "级", "度"):
        return None  # 90年代, 2016年度
    if (numeral == "一" and numeral2 is None and kind in (Kind.count, Kind.duration, Kind.other)
            and not (pre or mid or post or half or parts.gemid or gemag)):
        return None  # 一个, 一家, 一年: an article, not a measurement
    if kind is Kind.duration and follows.startswith(_NAME_AFTER_SPAN):
        return None  # 三年行动计划: the name of a plan
    if kind is Kind.duration and not pre and (follows.startswith(_AVERAGE_AFTER)
                                              or text[parts.start - 1:parts.start] in ("这", "那")):
        return None  # 两年平均增长, 十年年均: the window of an average; 这十年: a period named, not measured
    if unit_surface in ("平", "平方") and _is_chinese(numeral):
        return None  # 100平 is 100 平方米, but 四平 and 太平 are places
    if unit_surface in _PLACE_COUNTERS and _is_chinese(numeral):
        return None  # 15市, 54国 count places; 两地, 江浙两省, 三市 refer to the places just named
    if unit_surface == "度" and not _ENDS_IN_BIG.search(parts.mag3 or numeral2 or numeral):
        return None  # 761.75亿度 is electricity (kWh); 30度 is a temperature or an angle
    if unit_surface == "位" and follows[:1] == "数":
        return None  # 两位数增长: a number of digits
    if text[max(0, parts.start - 1):parts.start] in _OPENING_QUOTES:
        return None  # “两个无差别”, “3小时都市圈”: a slogan or a name
    if kind is Kind.count and _is_chinese(numeral) and follows[:1] and follows[0] in "一二三四五六七八九两":
        return None  # 三位一体, 四面八方, 四个一百: a set phrase, not a count

    low, high = _read(numeral)
    ranged = high is not None
    if gemag:  # 10个亿, 1个多亿, 一个半亿
        extra_half = Decimal("0.5") if "半" in gemag else Decimal(0)
        low = (low + extra_half) * _MAGNITUDES[gemag[-1]]
        high = None if high is None else (high + extra_half) * _MAGNITUDES[gemag[-1]]
    if parts.mag3:  # 200多亿元: the magnitude after the qualifier
        magnitude = _read(parts.mag3)[0]
        low *= magnitude
        high = None if high is None else high * magnitude
    if numeral2 is not None:
        low2, high2 = _read(numeral2)
        # 20至30亿元: the magnitude written once applies to both ends.
        mag2 = _ENDS_IN_MAG.search(numeral2)
        if mag2 and not _ENDS_IN_MAG.search(numeral) and not _is_chinese(numeral) and not _is_chinese(numeral2):
            low *= _read(mag2[0])[0]
        if ranged:
            raise _Unreadable("a range of ranges")
        high = high2 or low2
        if high <= low and not parts.sign and not parts.sign2:
            return None  # 0573-8888, 2020-1: a code, not a range
    extra = Decimal("0.5") if half or parts.gemid == "半" else Decimal(0)
    if parts.minutes:  # 2小时30分 = 2.5 小时
        minutes = _read(parts.minutes)[0]
        if minutes >= 60:
            return None
        extra += minutes / 60
    if parts.mtail:  # 1米8 = 1.8 米, 一米七五 = 1.75 米
        tail = parts.mtail
        digits = tail if not _is_chinese(tail) else "".join(str(_DIGIT_VALUES[c]) for c in tail)
        extra += Decimal("0." + digits)
    if parts.yuan:  # 五元三毛, 3元5角2分
        for group, share in (("jiao", "0.1"), ("jiao2", "0.1"), ("fen", "0.01"), ("fen2", "0.01")):
            if getattr(parts, group):
                digit = getattr(parts, group)
                extra += Decimal(_DIGIT_VALUES[digit] if digit in _DIGIT_VALUES else int(digit)) * Decimal(share)
    low = (low + extra) * factor
    high = None if high is None else (high + extra) * factor
    if parts.per:
        per = {"h": "小时", "s": "秒", "度": "千瓦时"}.get(parts.per, parts.per)
        base += "/" + (UNITS[per][0] if per in UNITS and UNITS[per][2] is not Kind.count else per)
    if abs(low) >= _LARGEST or high is not None and abs(high) >= _LARGEST:
        raise _Unreadable("larger than any real figure")
    return Quantity(_exact(low), None if high is None else _exact(high), base, kind.value,
                    _approx(high if ranged else None, qualifier))


def find_quantities(text: str, *, source: str | None = None) -> list[QuantityMatch]:
    """Every quantity with a unit in `text`, left to right, with offsets into `text`.

    Numbers inside《》titles, short quoted phrases, URLs, e-mail addresses, file names and phone
    numbers are not quantities. A number without a unit right before a coordinated one with a unit
    shares it: `4000万和8000万人次` is two counts of 人次. Never raises on a text: a candidate that cannot be
    read is skipped with a warning on this module's logger, which names `source` (a document id) if given.
    """
    normalised = _normalise(text)
    names = [(m.start(), m.end()) for m in _TITLE.finditer(normalised)]
    names += [(m.start(), m.end()) for m in _SLOGAN.finditer(normalised)]
    names += _not_prose(normalised)
    names.sort()
    found: list[QuantityMatch] = []
    matches = _scan(normalised)
    spans = [match.span() for match in matches]
    # A match with its first or last character inside a name: tested for all matches at once.
    named = _inside(names, [start for start, _ in spans]) | _inside(names, [end - 1 for _, end in spans])
    for match, (start, end), in_name in zip(matches, spans, named.tolist()):
        parts = _Parts._make((start, end, *match.groups()))
        if start == end or parts.pre and end == match.end("pre"):
            continue
        if in_name:
            continue
        try:
            quantity = _build(parts, normalised)
        except (_Unreadable, ArithmeticError) as exc:  # Decimal errors are ArithmeticErrors
            log.warning("%soffset %d: cannot read %r (%s); skipped", f"{source}: " if source else "",
                        start, match[0], exc)
            continue
        if quantity is None:
            continue
        while end > start and text[end - 1] in " \u3000":
            end -= 1
        found.append(QuantityMatch(start, end, text[start:end], quantity))
    for match in _HALF.finditer(normalised):
        if any(m.start <= match.start() < m.end for m in found) or _inside(names, [match.start()])[0]:
            continue
        found.append(QuantityMatch(match.start(), match.end(), text[match.start():match.end()],
                                   Quantity(0.5, None, _HALF_UNITS[match["unit"]], Kind.duration.value, None)))
    found.sort(key=lambda m: m.start)
    return _join_ranges(_share_units(found, normalised), text)


def _join_ranges(found: list[QuantityMatch], text: str) -> list[QuantityMatch]:
    """`5年到10年`, `3万至5万人`: two quantities of one unit joined by a range sign are one range;
    `两美元又三美分`: an amount and its subunit are one amount."""
    joined: list[QuantityMatch] = []
    for match in found:
        if joined:
            last = joined[-1]
            a, b = last.quantity, match.quantity
            between = text[last.end:match.start]
            if (_SEP_ONLY.fullmatch(between) and a.unit == b.unit and a.kind == b.kind
                    and a.value_max is None and b.value_max is None and a.qualifier is None and b.value > a.value):
                joined[-1] = QuantityMatch(last.start, match.end, text[last.start:match.end],
                                           Quantity(a.value, b.value, a.unit, a.kind, b.qualifier))
                continue
            if (between in ("", "又", "零") and a.kind == b.kind == Kind.money.value and a.unit == b.unit
                    and a.value_max is None and b.value_max is None and match.text.endswith(tuple(_SUBUNITS))
                    and not last.text.endswith(tuple(_SUBUNITS))):
                total = _exact(Decimal(str(a.value)) + Decimal(str(b.value)))
                joined[-1] = QuantityMatch(last.start, match.end, text[last.start:match.end],
                                           Quantity(total, None, a.unit, a.kind, a.qualifier))
                continue
        joined.append(match)
    return joined


def _inside(spans: list[tuple[int, int]], positions: list[int]) -> NDArray[np.bool_]:
    """For each position, whether it lies in the last of the sorted `spans` that starts at or before it
    (a numpy bool array): one pass for all of a text's matches, not a bisection each."""
    import numpy as np

    at = np.asarray(positions, dtype=np.int64)
    if not spans:
        return np.zeros(len(at), dtype=bool)
    bounds = np.asarray(spans, dtype=np.int64)
    last = np.searchsorted(bounds[:, 0], at, side="right") - 1
    inside: NDArray[np.bool_] = (last >= 0) & (bounds[np.maximum(last, 0), 1] > at)
    return inside


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
        _, factor, _ = UNITS.get(following.text[len(following.text.rstrip(_UNIT_CHARS)):], (f.unit, Decimal(1), None))
        value = _exact(Decimal(str(q.value)) * factor)
        shared[i] = QuantityMatch(this.start, this.end, this.text, Quantity(value, q.value_max, f.unit, f.kind, q.qualifier))
    return shared


@lru_cache(maxsize=1024)
def parse_quantity(text: str) -> Quantity:
    """The quantity one expression states: `近1000亿元`, `六成`, `三分之一`, `20至30亿元`, `半个小时`.

    Raises NumberError when `text` is not exactly one quantity with a unit.
    """
    stripped = text.strip()
    matches = find_quantities(stripped)
    if len(matches) != 1 or matches[0].start != 0 or matches[0].end != len(stripped):
        raise NumberError(f"not a quantity: {text!r} (expected a number with a unit, e.g. 220亿元, 21%, 3个月)")
    return matches[0].quantity
