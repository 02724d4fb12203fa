"""Cleaning one decoded file: str → str steps, chained by `clean_text`.

The cleaned text is what every other command sees and what every offset indexes. Steps, in order:
normalise characters (newlines, invisible characters, odd spaces, full-width letters and digits), strip
each line (and its ideographic indentation and Markdown furniture), drop furniture lines (web-page
breadcrumbs, navigation rows, copyright/licence/contact lines, share buttons, image file names, page
numbers, running headers, the footer block around them), close the spaces PDF extraction puts next to
Chinese, then re-join hard-wrapped lines into paragraphs. The result has one paragraph per line, no
blank lines, and `clean_text(clean_text(x)) == clean_text(x)`.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

import regex

from jiegui.text.traditional import to_simplified

# --- characters -----------------------------------------------------------------------------------

# Character classes of fixed code points scan with the standard library's `re` at several times the
# speed of `regex` (a 5 MB corpus: 0.16 s of its cleaning → 0.02 s); the Cc category is U+0000–001F and
# U+007F–009F in every Unicode version (tests/test_clean.py checks every code point against \p{Cc}).
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200d\u2060\ufeff]")
_ODD_SPACE = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Full-width ASCII letters, digits and ％ (U+FF10–FF19, FF21–FF3A, FF41–FF5A, FF05); other full-width
# forms are Chinese punctuation (，：（）) and stay.
_FULL_WIDTH = {cp: cp - 0xFEE0 for cp in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B), 0xFF05]}
_ANY_FULL_WIDTH = re.compile(r"[\uff05\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_FULL_WIDTH_DECIMAL = regex.compile(r"(?<=\d)．(?=\d)")


def normalize_newlines(text: str) -> str:
    """CRLF, CR, form feeds (PDF page breaks) and Unicode line separators become "\\n"."""
    return regex.sub(r"\r\n?|[\f\v\u2028\u2029\x85]", "\n", text)


def remove_invisible(text: str) -> str:
    """Zero-width characters, BOMs, soft hyphens and control characters carry no text."""
    return _INVISIBLE.sub("", text)


def normalize_spaces(text: str) -> str:
    """Tabs, no-break and ideographic spaces become plain spaces (line edges are stripped later)."""
    return _ODD_SPACE.sub(" ", text)


def normalize_width(text: str) -> str:
    """Full-width digits, Latin letters and ％ → half-width (２０１７ → 2017); a full-width point between
    digits becomes a decimal point (２．５ → 2.5). Chinese punctuation is kept."""
    if _ANY_FULL_WIDTH.search(text) is not None:  # str.translate walks every character in Python-level lookups
        text = text.translate(_FULL_WIDTH)
    return _FULL_WIDTH_DECIMAL.sub(".", text) if "．" in text else text


# --- lines ----------------------------------------------------------------------------------------

_MD_HEADING = regex.compile(r"^#{1,6}\s+")
_MD_EMPHASIS = regex.compile(r"^(\*\*|__)(.+)\1$")


def strip_lines(text: str) -> str:
    """Strip every line, including Markdown heading marks and whole-line bold (`**发挥平台效应**`)."""
    lines = []
    for line in text.split("\n"):
        line = line.strip()
        if line[:1] == "#":  # the patterns' first characters: most lines need neither
            line = _MD_HEADING.sub("", line)
        while line[:2] in ("**", "__") and (match := _MD_EMPHASIS.match(line)) is not None:
            line = match.group(2).strip()
        lines.append(line)
    return "\n".join(lines)


_SENTENCE_PUNCT = regex.compile(r"[。！？!?；;，,]")
# The label of a source statement (来源：杭州网, Traditional 來源), written once for every rule that reads one.
SOURCE_LABEL = r"(?:来源|來源|稿源|出处|出處)\s*[:：]"
# `来源: 杭州网 记者 陆烨` as a line (paragraph) of its own, bracketed or not; `body` what it names.
SOURCE_LINE = regex.compile(rf"^[（(]?\s*{SOURCE_LABEL}\s*(?P<body>.*?)[）)]?$")

_FURNITURE_PATTERNS = [
    # breadcrumbs: 首页 > 新闻资讯 > 媒体报道 > …
    regex.compile(r"^(您|你)?(当前|现在)?的?(所在)?位置\s*[:：]"),
    regex.compile(r"^[^>»›\n]{1,30}(\s*[>»›]\s*[^>»›\n]{1,40}){2,}$"),
    # navigation rows: 网站简介 | 网站合作 | 刊登广告 | …
    regex.compile(r"^[^|｜\n]{1,12}(\s*[|｜]\s*[^|｜\n]{1,12}){2,}$"),
    # copyright and disclaimers
    regex.compile(
        r"版权所有|版权声明|免责声明|(?i:all rights reserved|copyright)|©|"
        r"(不得|禁止|严禁)(转载|复制|镜像)|转载请注明|本(网|站)(转载|未注明)|不代表本(网|站)"
    ),
    # registration and licence numbers
    regex.compile(r"ICP\s*(备|证)|备案号|许可证\s*(编号|号)?\s*[:：]|批准文号\s*[:：]|网安备"),
    # contact lines
    regex.compile(r"^(联系|咨询|服务|举报|投诉|客服|新闻|值班)?(电话|热线|传真|邮箱|信箱|E-?mail|地址|QQ)\s*[:：]", regex.I),
    # page widgets
    regex.compile(
        r"^(分享(按钮|到.*)?|一键分享|打印(本页|此文)?|关闭(窗口|本页)?|返回(顶部|首页|列表)|【?\s*(打印|关闭|收藏)\s*】?"
        r"|字号\s*[:：]?.{0,12}|(上|下)一篇\s*[:：].{0,60}|扫一扫.{0,30}|(阅读|浏览|点击)(量|数|次数)?\s*[:：]\s*\d+)$"
    ),
    # image file names and Markdown images
    regex.compile(r"^(\S*/)?[\w.\-~%]+\.(jpe?g|png|gif|bmp|webp|tiff?)(\?\S*)?$", regex.I),
    regex.compile(r"^!\[[^\]]*\]\([^)]*\)$"),
    # page numbers: 43, - 43 -, 第 43 页, 43 / 120, Page 43 of 120
    regex.compile(r"^([-—–]\s*)?\d{1,4}(\s*[-—–])?$|^第\s*\d{1,4}\s*页(\s*[/／,，]?\s*共\s*\d{1,4}\s*页)?$"),
    regex.compile(r"^\d{1,4}\s*[/／]\s*\d{1,4}$|^(?i:page)\s*\d{1,4}(\s*(?i:of)\s*\d{1,4})?$"),
]
# A PDF running header: two short parts pushed to the page's edges (`2017“两会”专题信息      接轨大上海`).
_EDGE_HEADER = regex.compile(r"^\S.{0,30}\S {5,}\S.{0,30}$")
_FURNITURE_MAX_LEN = 200


# The breadcrumb and navigation-row patterns cannot match a line without two of their separators: a line
# holding none skips them, the slowest two (they backtrack over every line).
_WITH_SEPARATORS = {
    (arrows, bars): tuple(p for k, p in enumerate(_FURNITURE_PATTERNS) if (k != 1 or arrows) and (k != 2 or bars))
    for arrows in (False, True) for bars in (False, True)
}


def is_furniture(line: str) -> bool:
    """Whether a stripped line is page furniture rather than text (see `_FURNITURE_PATTERNS`)."""
    if not line or len(line) > _FURNITURE_MAX_LEN:
        return False
    return _is_furniture(line)


@lru_cache(maxsize=1 << 14)
def _is_furniture(line: str) -> bool:
    """`is_furniture` of a line of at most _FURNITURE_MAX_LEN characters, remembered: `clean_text` runs
    its steps twice at least (the second pass finds nothing to change), so each line is judged twice."""
    if SOURCE_LINE.match(line):
        return False
    if _EDGE_HEADER.match(line) and not _SENTENCE_PUNCT.search(line):
        return True
    patterns = _WITH_SEPARATORS[">" in line or "»" in line or "›" in line, "|" in line or "｜" in line]
    return any(pattern.search(line) for pattern in patterns)


def _is_short_label(line: str) -> bool:
    return len(line) <= 20 and not _SENTENCE_PUNCT.search(line) and not SOURCE_LINE.match(line)


def drop_furniture(text: str) -> str:
    """Remove furniture lines, running headers and the footer block of a web page.

    A running header is a short line without sentence punctuation that repeats on 3 or more pages
    (lines); the footer block is the run of short labels (`南湖新闻`, `镇街部门`) mixed with furniture
    lines at the end of the text. Source lines (`来源：杭州网`) are never furniture: they carry metadata.
    """
    lines = text.split("\n")
    # Traditional pages are judged in Simplified (版權所有, ICP備): same lines, same lengths.
    analysed = to_simplified(text).split("\n")
    counts = Counter(line for line in lines if line)
    drop = [
        is_furniture(simple) or (counts[line] >= 3 and _is_short_label(simple))
        for line, simple in zip(lines, analysed)
    ]
    # the footer: from the end, a block of blank lines, furniture and short labels holding furniture
    start, seen_furniture = len(lines), False
    for index in range(len(lines) - 1, -1, -1):
        line = analysed[index]
        if not line or drop[index]:
            seen_furniture = seen_furniture or drop[index]
        elif not _is_short_label(line):
            break
        start = index
    if seen_furniture:
        for index in range(start, len(lines)):
            drop[index] = True
    kept = []
    for line, simple, dropped in zip(lines, analysed, drop):
        if not dropped:
            kept.append(line)
        elif (prose := _prose_of(line, simple)):
            kept.append(prose)
    return "\n".join(kept)


_SENTENCE = regex.compile(r"[^。！？!?]+[。！？!?]*")


def _prose_of(line: str, simple: str) -> str:
    """The sentences of a furniture line that are text: a scraped paragraph may end with the site's
    disclaimer (…发挥重要作用。本网转载出于传递更多信息之目的…), which goes, while the paragraph stays."""
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(simple)]
    if len(sentences) < 2:
        return ""
    return "".join(line[a:b] for a, b in sentences if not is_furniture(simple[a:b].strip())).strip()


# --- spaces next to Chinese ----------------------------------------------------------------------

_HAN = r"\p{Han}"
# Chinese (full-width) punctuation, brackets and quotes: ，。：；！？、（）《》【】「」“”‘’…—·
_CJK_PUNCT = r"\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201f\u2026\u2014\u00b7"
_ALNUM = r"A-Za-z0-9%"
_CJK_SPACE = regex.compile(
    rf"(?<=[{_CJK_PUNCT}])[ ]+(?=[{_HAN}{_CJK_PUNCT}{_ALNUM}])"
    rf"|(?<=[{_HAN}{_CJK_PUNCT}{_ALNUM}])[ ]+(?=[{_CJK_PUNCT}])"
    rf"|(?<={_HAN})[ ]+(?=[{_ALNUM}])"
    rf"|(?<=[{_ALNUM}])[ ]+(?={_HAN})"
)
_SPACE_RUN = regex.compile(r" {2,}")
# Inside a number: before its percent sign (1 %) and around a decimal point between digits (2 .2, 2. 2).
_NUMBER_SPACE = regex.compile(r"(?<=\d)[ ]+(?=%|\.\d)|(?<=\d\.)[ ]+(?=\d+%)")


def close_cjk_spaces(text: str) -> str:
    """Remove the spaces PDF extraction puts between Chinese and digits, Latin or punctuation
    (`2003 年` → `2003年`, `IT 产业` → `IT产业`, `意义， 推进` → `意义，推进`) and inside numbers
    (`1 %` → `1%`, `2 .2 %` → `2.2%`), and collapse runs of spaces. Spaces between Latin words, and
    between two Han characters (`接轨上海 融入都市`), stay.

    The patterns run over the whole text, not line by line (a text's three calls, not three a line): no
    match holds a newline, and a newline next to a match, like a line's edge, is none of the characters
    their lookarounds ask for."""
    if " " in text:
        text = _SPACE_RUN.sub(" ", _CJK_SPACE.sub("", _NUMBER_SPACE.sub("", text)))
    return "\n".join(line.strip() for line in text.split("\n"))


# --- hard wraps -----------------------------------------------------------------------------------

_WINDOW = 12  # lines on each side that define the local wrap width
_MIN_WRAP_WIDTH = 30  # display columns; narrower "wrapped" text is a list, not prose
_MAX_WRAP_WIDTH = 200  # wider lines are paragraphs, not hard wraps
_OPEN_END = regex.compile(rf"[{_HAN}{_ALNUM}，、；：,;:“‘（《【(\-—]$")
_ENDS_WITH_SOURCE = regex.compile(rf"[（(]\s*{SOURCE_LABEL}[^（）()]*[）)]$")


def display_width(line: str) -> int:
    """Columns a line takes in a fixed-width layout: Chinese characters and punctuation count 2."""
    if line.isascii():
        return len(line)
    rest = _wide_runs().sub("", line)  # at C speed: the Han characters and CJK punctuation, 2 columns each
    return 2 * (len(line) - len(rest)) + (len(rest) if rest.isascii() else sum(map(_COLUMNS.__getitem__, rest)))


# Blocks whose every character is East Asian Wide, Fullwidth or Ambiguous (2 columns): CJK unified
# ideographs, CJK punctuation (U+3001–303E), full-width forms, curly quotes. Checked against
# `unicodedata` on first use, so a Python whose Unicode tables differ only loses the shortcut.
_WIDE_BLOCKS = ((0x4E00, 0x9FFF), (0x3001, 0x303E), (0xFF01, 0xFF60), (0x2018, 0x2019), (0x201C, 0x201D))


@lru_cache(maxsize=1)
def _wide_runs() -> regex.Pattern[str]:
    blocks = [
        (first, last) for first, last in _WIDE_BLOCKS
        if all(unicodedata.east_asian_width(chr(c)) in "WFA" for c in range(first, last + 1))
    ]
    if not blocks:
        return regex.compile(r"(?!)")  # matches nothing: every character is looked up
    return regex.compile("[" + "".join(f"\\u{first:04x}-\\u{last:04x}" for first, last in blocks) + "]+")


class _Columns(dict[str, int]):
    """Columns per character, looked up once each: a text repeats a few thousand characters, and the
    per-character `east_asian_width` call was most of the cleaning's time."""

    def __missing__(self, ch: str) -> int:
        columns = self[ch] = 2 if unicodedata.east_asian_width(ch) in "WFA" else 1
        return columns


_COLUMNS = _Columns()


def join_wrapped_lines(text: str) -> str:
    """Re-join lines hard-wrapped inside a paragraph, and drop the blank-line padding between them.

    Blank lines are padding when they separate most consecutive lines (PDF extraction), otherwise they
    are paragraph breaks. A line continues on the next when the text around it is hard-wrapped (at
    least 40% of the 25 lines around it are within 10% of their 80th-percentile width, 30–200 columns)
    and the line is full (within 2 Chinese characters of that width), or nearly full (75%) and cut
    mid-sentence (ending in a character, comma or opening bracket). A line ending with a source
    statement `（来源：…）` always ends its paragraph.
    """
    lines = text.split("\n")
    items: list[str | None] = []  # None marks a paragraph break from a blank line
    transitions = padded = 0
    previous_blank = False
    for line in lines:
        if not line:
            previous_blank = True
            continue
        if items:
            transitions += 1
            padded += previous_blank
        items.append(line)
        previous_blank = False
    # rebuild with hard breaks where blank lines are real paragraph breaks
    blank_is_break = transitions == 0 or padded / transitions < 0.5
    content: list[str] = []
    hard_break_after: set[int] = set()
    previous_blank = False
    for line in lines:
        if not line:
            previous_blank = True
            continue
        if previous_blank and blank_is_break and content:
            hard_break_after.add(len(content) - 1)
        content.append(line)
        previous_blank = False
    widths = [display_width(line) for line in content]

    paragraphs: list[str] = []
    current = ""
    for index, line in enumerate(content):
        current = _join(current, line) if current else line
        if index == len(content) - 1 or index in hard_break_after or not _continues(content, widths, index):
            paragraphs.append(current)
            current = ""
    return "\n".join(paragraphs)


# A line that finishes a statement (。！？…；, closing quotes after it) or announces what follows (：): a
# hard wrap does not cut there, so a short unpunctuated line after it is a heading.
_FINISHED_LINE = regex.compile(r"[。！？!?…；;][”’」』）)】]*$|[：:]$")
# 一、 二． （三） 4. 5、 at the start of a line: an enumerated sub-heading
_ENUMERATOR = regex.compile(r"^(第?[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、．.](?!\d))")


def _continues(lines: list[str], widths: list[int], index: int) -> bool:
    # each test below but the last returns False: the cheap ones on the widths go first (most text is not hard-wrapped)
    window = widths[max(0, index - _WINDOW) : index + _WINDOW + 1]
    if len(window) < 3:
        return False
    reference = _80th_percentile(window)
    if not _MIN_WRAP_WIDTH <= reference <= _MAX_WRAP_WIDTH:
        return False
    if sum(map((0.9 * reference).__le__, window)) < 0.4 * len(window):  # the widths >= 90 % of it, at C speed
        return False
    line = lines[index]
    if _ENDS_WITH_SOURCE.search(line):
        return False
    width, full = widths[index], reference - 4
    if _ENUMERATOR.match(line) and width < full and not _FINISHED_LINE.search(line):
        return False  # a numbered heading stands alone
    following = lines[index + 1]
    if _ENUMERATOR.match(following) and not _FINISHED_LINE.search(following) and widths[index + 1] < full:
        return False
    if (
        _FINISHED_LINE.search(line)
        and widths[index + 1] < 0.75 * reference
        and not _FINISHED_LINE.search(following)
    ):
        return False  # a short unpunctuated line after a finished sentence is a heading
    return width >= full or (width >= 0.75 * reference and _OPEN_END.search(line) is not None)


def _80th_percentile(values: list[int]) -> float:
    """`statistics.quantiles(values, n=5, method="inclusive")[-1]`, the same arithmetic (Python 3.11's
    `statistics.py`) without computing the three cut points not used: it ran for every line."""
    data = sorted(values)
    j, delta = divmod(4 * (len(data) - 1), 5)
    return (data[j] * (5 - delta) + data[j + 1] * delta) / 5


def _join(left: str, right: str) -> str:
    """Chinese wraps join without a space; two Latin words keep one."""
    if regex.match(r"[A-Za-z0-9]", right[0]) and regex.search(r"[A-Za-z]$", left):
        return f"{left} {right}"
    return left + right


# --- the pipeline ---------------------------------------------------------------------------------

STEPS: tuple[Callable[[str], str], ...] = (
    normalize_newlines,
    remove_invisible,
    normalize_spaces,
    normalize_width,
    strip_lines,
    drop_furniture,
    close_cjk_spaces,
    join_wrapped_lines,
)


_MAX_PASSES = 4


def clean_text(raw: str) -> str:
    """The cleaned text of one decoded file: paragraphs separated by one "\\n", no blank lines.

    The steps run until nothing changes (at most a few passes): re-joining wrapped lines changes the
    line widths its own rule looks at, so one pass could leave a join that a second pass would make,
    and cleaning must be idempotent (the cleaned text is what every offset indexes).
    """
    text = raw
    for _ in range(_MAX_PASSES):
        previous = text
        for step in STEPS:
            text = step(text)
        if text == previous:
            break
    return text


def drop_duplicate_paragraphs(text: str) -> tuple[str, int]:
    """Remove exact repeats of a paragraph (the first stays); return the text and how many were removed."""
    seen: set[str] = set()
    kept: list[str] = []
    for paragraph in text.split("\n"):
        if paragraph in seen:
            continue
        seen.add(paragraph)
        kept.append(paragraph)
    return "\n".join(kept), len(text.split("\n")) - len(kept)
