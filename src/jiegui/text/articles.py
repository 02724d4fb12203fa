"""Splitting a cleaned file into articles, and reading each article's title, source and date from its text.

Works on the output of `clean.clean_text`: one paragraph per line.
"""
from __future__ import annotations

import datetime
import itertools
import operator
from dataclasses import dataclass

import regex

from jiegui.text.clean import SOURCE_LABEL, SOURCE_LINE


@dataclass(frozen=True, slots=True)
class Article:
    """One article of a file: `text[start:end]` covers its paragraphs, headline and source line included.

    `date` is ISO: `2016-07-03`, `2016-07` or `2016`. Fields are None when the text does not state them.
    """

    title: str | None
    source: str | None
    date: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Paragraph:
    text: str
    start: int
    end: int


# `（来源：《嘉兴日报》2016-7-3）` closing a paragraph (one level of nested brackets: `钱江晚报（杭州）`)
_TRAILING_SOURCE = regex.compile(rf"[（(]\s*{SOURCE_LABEL}\s*(?P<body>(?:[^（）()]|[（(][^（）()]*[）)])*)[）)]$")
# `2017-07-31 08:16:36 杭州网` / `2017年7月31日 08:16 来源：新华网` under a headline
_DATELINE = regex.compile(
    r"^(?P<date>\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*"
    r"(?:(?:来源|來源|稿源)\s*[:：])?\s*(?P<source>\S{0,30})$"
)
_DATE_AT_END = regex.compile(
    r"(?P<year>(?:19|20)\d{2})\s*(?:[-/.年]\s*(?P<month>\d{1,2})\s*(?:[-/.月]\s*(?P<day>\d{1,2})\s*日?|月)?)?\s*年?$"
)
# bylines are neither titles nor body: 记者：…, 课题主持人：…, 本期嘉宾：…
_BYLINE = regex.compile(
    r"^(?:记者|编辑|作者|通讯员|撰稿|摄影|责任编辑|责编|主编|校对|主持人|嘉宾|本期嘉宾|课题主持人|课题组成员|课题组|执笔|文|图)"
    r"\s*[:：/|]"
)
# `平湖：一路铿锵向前接轨大上海`: a place (2–3 characters, or up to 6 ending in a division suffix), a
# colon and the headline.
_PLACE_HEADLINE = regex.compile(r"^(?:\p{Han}{2,3}|\p{Han}{1,5}[省市县区镇乡村])[:：]\s*\S.{3,}$")
# Text that stops on a clause or sentence mark (。；，：) reads as prose, never as a headline; ？！ may end one.
_PROSE_END = regex.compile(r"[。；;，,：:][”’」』）)]*$")
_STATEMENT_END = regex.compile(r"[。！？!?…；;][”’」』）)]*$")
_MAX_HEADING = 40
_SECTION_LABEL = 6  # a heading this short before another heading labels a section, it is not the title


def split_articles(text: str) -> list[Article]:
    """The articles of a cleaned file; a single-article file gives one Article spanning all its text.

    The rule, from how news compilations are laid out: a new article starts
    - after a paragraph that closes with a source statement `（来源：…）`, or after a `来源：…` line once
      the current article has body text (a source line right under a headline belongs to that headline);
    - at a place-prefixed headline (`平湖：一路铿锵向前接轨大上海`: 2–3 characters or a name ending in
      省市县区镇乡村, a colon, no sentence punctuation, at most 40 characters) once the current article
      has body text.
    Sub-headings inside an article (`发挥平台效应`) follow body paragraphs, not a source line, so they
    do not start articles. An article may end without a source line where the next one starts with a
    place-prefixed headline, or where a place-headlined article stops naming its place (see
    `_split_off_other_place`). In a file of several articles, the front matter (the compilation's own
    title and preface) ends at the first run of two headings after body text.
    """
    paragraphs = _paragraphs(text)
    if not paragraphs:
        return []
    groups: list[list[_Paragraph]] = [[]]
    current_has_body = False  # kept up to date instead of rescanning the group: linear in the file
    for paragraph in paragraphs:
        current = groups[-1]
        if current and current_has_body and _is_place_headline(paragraph.text):
            groups.append([])
            current = groups[-1]
            current_has_body = False
        current.append(paragraph)
        if _TRAILING_SOURCE.search(paragraph.text) or (SOURCE_LINE.match(paragraph.text) and current_has_body):
            groups.append([])
            current_has_body = False
        else:
            current_has_body = current_has_body or _is_body(paragraph)
    groups = [part for group in groups if group for part in _split_off_other_place(group)]
    if len(groups) > 1:
        groups[:1] = _split_off_front_matter(groups[0])
    return [_article(group) for group in groups]


_MIN_TAIL_PARAGRAPHS = 3


def _split_off_other_place(paragraphs: list[_Paragraph]) -> list[list[_Paragraph]]:
    """An article headlined with a place (`平湖：…`) ends at the first sub-heading after which that place
    is never named again, when at least three body paragraphs follow: they are another article whose
    own source line closes both (a compilation that forgot a source line)."""
    place = _headline_place(paragraphs[0].text)
    if place is None:
        return [paragraphs]
    named_from = list(itertools.accumulate((place in p.text for p in reversed(paragraphs)), operator.or_))[::-1]
    for index in range(2, len(paragraphs)):
        tail = paragraphs[index:]
        if not _is_heading(tail[0].text) or named_from[index]:
            continue
        body = [p for p in tail if not _is_heading(p.text) and not _is_metadata(p.text)]
        if len(body) >= _MIN_TAIL_PARAGRAPHS and _has_body(paragraphs[:index]):
            return [paragraphs[:index], tail]
        return [paragraphs]
    return [paragraphs]


def _split_off_front_matter(paragraphs: list[_Paragraph]) -> list[list[_Paragraph]]:
    """A compilation's own title and preface end at the first run of two headings after body text
    (a section label and the first article's headline: `接轨上海综述` / `基本理论`)."""
    body = [_is_body(p) for p in paragraphs]
    body_before = list(itertools.accumulate(body, operator.or_))  # body_before[i]: any body in [0, i]
    body_after = list(itertools.accumulate(reversed(body), operator.or_))[::-1] + [False]  # in [i, end)
    for index in range(1, len(paragraphs) - 1):
        if (
            body_before[index - 1]
            and _is_heading(paragraphs[index].text)
            and _is_heading(paragraphs[index + 1].text)
            and body_after[index + 2]
        ):
            return [paragraphs[:index], paragraphs[index:]]
    return [paragraphs]


def _headline_place(text: str) -> str | None:
    if not _is_place_headline(text):
        return None
    place = regex.split(r"[:：]", text, maxsplit=1)[0]
    return regex.sub(r"[省市县区镇乡村]$", "", place) if len(place) > 2 else place


def _paragraphs(text: str) -> list[_Paragraph]:
    paragraphs, offset = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped)
            paragraphs.append(_Paragraph(stripped, start, start + len(stripped)))
        offset += len(line) + 1
    return paragraphs


def _is_metadata(text: str) -> bool:
    return bool(SOURCE_LINE.match(text) or _DATELINE.match(text) or _BYLINE.match(text))


def _is_heading(text: str) -> bool:
    """A headline or sub-heading: short, not a statement ending in 。；， (a question mark may end one)."""
    return len(text) <= _MAX_HEADING and not _PROSE_END.search(text) and not text.endswith("。") and not _is_metadata(text)


def _is_place_headline(text: str) -> bool:
    return (
        len(text) <= _MAX_HEADING
        and _PLACE_HEADLINE.match(text) is not None
        and not _STATEMENT_END.search(text)
        and not _is_metadata(text)
    )


def _is_body(paragraph: _Paragraph) -> bool:
    return not _is_heading(paragraph.text) and not _is_metadata(paragraph.text)


def _has_body(paragraphs: list[_Paragraph]) -> bool:
    return any(_is_body(p) for p in paragraphs)


def _article(paragraphs: list[_Paragraph]) -> Article:
    source, date = _source_and_date(paragraphs)
    return Article(_title(paragraphs), source, date, paragraphs[0].start, paragraphs[-1].end)


def _title(paragraphs: list[_Paragraph]) -> str | None:
    """The headline: the first heading before the body, or the second when the first is a short section
    label (`专家视角` above `接轨上海 融入都市`). Bylines and datelines are skipped."""
    headings = []
    for paragraph in paragraphs:
        if _is_metadata(paragraph.text):
            continue
        if not _is_heading(paragraph.text):
            break
        headings.append(paragraph.text)
    if not headings:
        return None
    title = headings[1] if len(headings) > 1 and len(headings[0]) <= _SECTION_LABEL else headings[0]
    if (match := regex.fullmatch(r"【(.+)】", title)) is not None:  # a column-style heading 【…】
        title = match.group(1)
    return title


def _source_and_date(paragraphs: list[_Paragraph]) -> tuple[str | None, str | None]:
    """From the article's closing `（来源：…）`, else a `来源：` line, else a dateline under the headline;
    each part (source, date) from the first of these that states it."""
    candidates: list[tuple[str | None, str | None]] = []
    for paragraph in reversed(paragraphs):
        if (match := _TRAILING_SOURCE.search(paragraph.text)) is not None:
            candidates.append(parse_source(match.group("body")))
            break
    for paragraph in paragraphs:
        if (match := SOURCE_LINE.match(paragraph.text)) is not None:
            source, date = parse_source(match.group("body"))
            if source is not None and date is None:
                source = source.split()[0]  # `杭州网 记者 陆烨 张世新 编辑:卢一`
            candidates.append((source, date))
    for paragraph in paragraphs[:4]:
        if (match := _DATELINE.match(paragraph.text)) is not None:
            candidates.append((_strip_title_marks(match.group("source")) or None, parse_date(match.group("date"))))
    source = next((s for s, _ in candidates if s), None)
    date = next((d for _, d in candidates if d), None)
    return source, date


def parse_source(body: str) -> tuple[str | None, str | None]:
    """`《嘉兴日报》2016-7-3` → ('嘉兴日报', '2016-07-03'); `《西部论坛》2006` → ('西部论坛', '2006')."""
    body = body.strip()
    date = None
    if (match := _DATE_AT_END.search(body)) is not None:
        date = _iso_date(match.group("year"), match.group("month"), match.group("day"))
        if date is not None:
            body = body[: match.start()].strip()
    return _strip_title_marks(body) or None, date


def parse_date(text: str) -> str | None:
    """`2016-7-3`, `2016年7月3日`, `2016.07` → ISO (`2016-07-03`, `2016-07`); None if not a real date."""
    match = _DATE_AT_END.search(text.strip())
    return None if match is None else _iso_date(match.group("year"), match.group("month"), match.group("day"))


def _iso_date(year: str, month: str | None, day: str | None) -> str | None:
    try:
        if day is not None and month is not None:
            return datetime.date(int(year), int(month), int(day)).isoformat()
        if month is not None:
            return datetime.date(int(year), int(month), 1).isoformat()[:7]
    except ValueError:
        return None
    return year


def _strip_title_marks(source: str) -> str:
    """`《嘉兴日报》` → `嘉兴日报`, but `郭占恒：《…》` stays whole."""
    source = source.strip(" ，,:：—-")
    if (match := regex.fullmatch(r"《([^《》]+)》", source)) is not None:
        return match.group(1)
    return source
