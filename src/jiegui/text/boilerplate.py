"""Furniture: the lead-ins, sign-offs and labels around a document's text that say nothing about its topic.

Two kinds, both found at a document's edges (its first 3 and last 2 paragraphs):
- corpus boilerplate, found from the corpus itself: an edge unit that opens or closes at least
  `MIN_SHARE` of the corpus's documents (and at least `MIN_DOCUMENTS` of them) — `央视网消息（新闻联播）：`
  on every item of a TV news corpus, `国内联播快讯` heading a third of them, `（来源：…）` closing most
  articles of a compilation. An edge unit is a whole short paragraph, a lead-in up to a colon, a bracket
  opening or closing a paragraph, or the unpunctuated tail after a paragraph's last sentence. Units are
  counted exactly and by shape: digits become `#` and what follows a label (`记者 `, `责任编辑：`) `…`, so
  `（记者 张三）` and `（记者 李四）` are one pattern `（记者 …）`;
- bylines and source statements, known by their role word whatever their frequency: a unit whose label is
  记者, 编辑, 来源, 原标题 … (`华商报记者 黄涛`, `原标题：…`, `（总台央视记者 唐颖 王利）`).

Furniture stays in `Document.text`, so every offset still indexes what `jiegui show` prints; its spans
are listed in `Document.furniture` and topic analyses (keywords, phrases) skip the tokens inside them.
Entities and facts still read it: a reporter's name is a person the text names.
A unit that names a source (`X网消息`, `来源：X`, `X记者 …`) or a date (a closing line that is a date)
fills the document's `source` / `date` when the text stated none elsewhere.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

import regex

from jiegui.models import Document, DocumentSummary, FurniturePattern, LazyTokens, Token, TokenTuple

OPENING_PARAGRAPHS = 3
CLOSING_PARAGRAPHS = 2
MAX_LINE = 60  # a whole paragraph longer than this is text, not furniture
MAX_UNIT = 30  # a lead-in, bracket or tail longer than this is text
MIN_DOCUMENTS = 3
MIN_SHARE = 0.1
_Dated = TypeVar("_Dated", Document, DocumentSummary)

# Role words of bylines and source statements (the label before the names or the source).
_ROLE = r"(?:记者|通讯员|特约撰稿|撰稿|编辑|责任编辑|责编|主编|校对|摄影|摄|作者|来源|稿源|原标题|实习生)"
_ROLE_UNIT = regex.compile(rf"^[（(【\[]?\s*[^\s：:（）()]{{0,12}}?{_ROLE}(?:\s|[：:／/]|$)")
_LEAD = regex.compile(rf"^[^。！？!?；;，,]{{1,{MAX_UNIT}}}?[：:]")
_OPEN_BRACKET = regex.compile(rf"^[【（(\[][^【】（）()\[\]]{{1,{MAX_UNIT}}}[】）)\]]")
_CLOSE_BRACKET = regex.compile(rf"[（(【\[](?:[^（）()【】\[\]]|[（(][^（）()]*[）)]){{1,{MAX_UNIT * 2}}}[）)】\]]$")
_TAIL = regex.compile(rf"(?<=[。！？!?”])\s*(?P<tail>[^。！？!?”]{{2,{MAX_UNIT}}})$")
_SENTENCE_END = regex.compile(r"[。！？!?；;，,][”’」』）)]*$")
_DIGITS = regex.compile(r"[0-9０-９〇零一二三四五六七八九十]+")
_SEPARATOR = regex.compile(r"[：:]\s*|\s+")
# `央视网消息（新闻联播）：`, `中新网北京3月5日电`: the source is what comes before 消息/讯/电.
_NEWS_LEAD = regex.compile(r"^(?P<source>[^\s（(：:0-9]{2,12}?)(?:消息|讯|电)")
_SOURCE_LABEL = regex.compile(r"(?:来源|稿源)\s*[：:]\s*(?P<source>[^）)]+)")
_REPORTER = regex.compile(r"^[（(]?\s*(?P<source>[^\s（(：:]{2,14}?)(?:记者|通讯员)")
_NOT_A_SOURCE = frozenset({"本报", "本刊", "本台", "本网", "总台", "特约", "实习"})
_CHINESE_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
_DATE_LINE = regex.compile(
    r"^(?P<year>[0-9〇零一二三四五六七八九]{4})\s*年\s*(?P<month>[0-9一二三四五六七八九十]{1,3})\s*月\s*(?P<day>[0-9十一二三四五六七八九]{1,4})\s*日$"
)


@dataclass(frozen=True, slots=True)
class EdgeUnit:
    """A candidate piece of furniture: `text[start:end]` of a document, at its opening or closing."""

    start: int
    end: int
    text: str
    where: str  # "opening" or "closing"

    @property
    def keys(self) -> tuple[str, ...]:
        """The exact unit and its shape (digits → #, what follows a label → …)."""
        exact = f"{self.where}:{self.text}"
        shaped = _DIGITS.sub("#", self.text)
        label = _SEPARATOR.search(shaped, 1)
        if label is not None and label.end() < len(shaped):
            closing = shaped[-1] if shaped[-1] in "）)】]" and shaped[0] in "（(【[" else ""
            shaped = shaped[: label.end()] + "…" + closing
        shape = f"{self.where}:{shaped}"
        return (exact,) if shape == exact else (exact, shape)


@dataclass(frozen=True, slots=True)
class DocumentEdges:
    """What furniture detection needs of a document: its edge units (a few hundred characters at most)."""

    doc: str
    units: tuple[EdgeUnit, ...]


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped)
            spans.append((start, start + len(stripped)))
        offset += len(line) + 1
    return spans


def document_edges(document: Document) -> DocumentEdges:
    """The document's edge units: in each of its first paragraphs, the whole paragraph when short, a
    lead-in up to a colon, an opening bracket; in each of its last, the whole paragraph when short, a
    closing bracket, the unpunctuated tail after the last sentence."""
    text = document.text
    paragraphs = _paragraphs(text)
    units: dict[tuple[int, int, str], EdgeUnit] = {}

    def add(start: int, end: int, where: str) -> None:
        piece = text[start:end].strip()
        if piece:
            start = text.index(piece, start)
            units.setdefault((start, start + len(piece), where), EdgeUnit(start, start + len(piece), piece, where))

    for start, end in paragraphs[:OPENING_PARAGRAPHS]:
        line = text[start:end]
        if len(line) <= MAX_LINE and not _SENTENCE_END.search(line):
            add(start, end, "opening")
        for pattern in (_LEAD, _OPEN_BRACKET):
            if (match := pattern.match(line)) is not None and match.end() < len(line):
                add(start, start + match.end(), "opening")
    for start, end in paragraphs[1:][-CLOSING_PARAGRAPHS:]:  # the headline is no sign-off
        line = text[start:end]
        if len(line) <= MAX_LINE and not line.endswith("。"):
            add(start, end, "closing")
        for pattern in (_CLOSE_BRACKET, _TAIL):
            if (match := pattern.search(line)) is not None and match.start() > 0:
                at = match.start("tail") if "tail" in pattern.groupindex else match.start()
                add(start + at, end, "closing")
    return DocumentEdges(document.id, tuple(sorted(units.values(), key=lambda u: (u.start, -u.end))))


def is_role_unit(unit: EdgeUnit) -> bool:
    """A byline or source statement, whatever the corpus: its label is a role word (记者, 来源, 原标题 …)."""
    return _ROLE_UNIT.match(unit.text) is not None or _DATE_LINE.match(unit.text) is not None


@dataclass(frozen=True)
class Boilerplate:
    """The corpus's frequent edge patterns: key → number of documents, and the first unit seen."""

    counts: dict[str, int]
    examples: dict[str, str]
    documents: int

    def is_furniture(self, unit: EdgeUnit) -> bool:
        return is_role_unit(unit) or any(self.counts.get(key, 0) for key in unit.keys)

    def furniture(self, edges: DocumentEdges) -> tuple[EdgeUnit, ...]:
        return tuple(unit for unit in edges.units if self.is_furniture(unit))

    def patterns(self) -> list[FurniturePattern]:
        """The frequent patterns, most documents first; an exact unit is not listed again under its shape."""
        rows = []
        for key, n in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0])):
            where, _, pattern = key.partition(":")
            rows.append(FurniturePattern(pattern, where, n, round(n / self.documents, 4), self.examples[key]))
        return rows


def find_boilerplate(edges: Iterable[DocumentEdges]) -> Boilerplate:
    """The patterns that open or close at least MIN_SHARE of the documents (and MIN_DOCUMENTS).

    A shape is kept only when it adds documents to its exact units (`（记者 …）` over `（记者 张三）`).
    """
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    exact_of: dict[str, Counter[str]] = defaultdict(Counter)
    total = 0
    for document in edges:
        total += 1
        keys: set[str] = set()
        for unit in document.units:
            exact, *shape = unit.keys
            keys.add(exact)
            examples.setdefault(exact, unit.text)
            for key in shape:
                keys.add(key)
                examples.setdefault(key, unit.text)
                exact_of[key][exact] += 1
        counts.update(keys)
    floor = max(MIN_DOCUMENTS, MIN_SHARE * total)
    frequent = {key: n for key, n in counts.items() if n >= floor}
    for key in list(frequent):
        if key in exact_of and exact_of[key].most_common(1)[0][1] >= frequent[key]:
            del frequent[key]  # every document has the same exact unit: list it once
    return Boilerplate(frequent, {k: examples[k] for k in frequent}, max(total, 1))


def named_source(unit: EdgeUnit) -> str | None:
    """The source a furniture unit names: `央视网消息（…）：` → 央视网, `来源：华商报` → 华商报,
    `华商报记者 黄涛` → 华商报; None for `（记者 张三）` or `本报讯`."""
    from jiegui.text.articles import parse_source

    for pattern in (_SOURCE_LABEL, _NEWS_LEAD, _REPORTER):
        if (match := pattern.search(unit.text) if pattern is _SOURCE_LABEL else pattern.match(unit.text)) is not None:
            source = match.group("source").strip()
            if pattern is _SOURCE_LABEL:
                source = parse_source(source)[0] or ""
                source = source.split()[0] if source else ""
            if len(source) >= 2 and source not in _NOT_A_SOURCE and not _ROLE_UNIT.match(source):
                return source
    return None


def named_date(unit: EdgeUnit) -> str | None:
    """The ISO date of a closing line that is a date: `2018年11月23日`, `二〇〇六年九月七日`."""
    match = _DATE_LINE.match(unit.text)
    if match is None:
        return None
    from jiegui.text.articles import parse_date

    year = "".join(str(_CHINESE_DIGITS.get(c, c)) for c in match.group("year"))
    return parse_date(f"{year}-{_small_number(match.group('month'))}-{_small_number(match.group('day'))}")


def _small_number(text: str) -> str:
    """`十二` → 12, `二十三` → 23, `7` → 7 (months and days)."""
    if text.isdigit():
        return text
    tens, _, units = text.rpartition("十")
    if "十" not in text:
        return str(_CHINESE_DIGITS.get(text, 0))
    return str((_CHINESE_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CHINESE_DIGITS.get(units, 0) if units else 0))


def apply_furniture(document: Document, units: Sequence[EdgeUnit]) -> Document:
    """The document with its furniture spans (a span inside another is not listed), and its source/date
    filled from them if it had none."""
    if not units:
        return document
    spans = {(u.start, u.end) for u in units}
    spans = tuple(sorted(s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)))
    return replace(with_named_metadata(document, units), furniture=spans)


def with_named_metadata(record: _Dated, units: Sequence[EdgeUnit]) -> _Dated:
    """`record` (a Document or its DocumentSummary) with the source and date its furniture names, where it
    states none itself."""
    source = record.source or next((s for u in units if (s := named_source(u))), None)
    date = record.date or next((d for u in units if u.where == "closing" and (d := named_date(u))), None)
    return replace(record, source=source, date=date)


def mark_boilerplate(documents: Sequence[Document]) -> list[Document]:
    """The documents with their furniture marked (see the module's docstring)."""
    edges = [document_edges(d) for d in documents]
    boilerplate = find_boilerplate(edges)
    return [apply_furniture(d, boilerplate.furniture(e)) for d, e in zip(documents, edges)]


def content_tokens(document: Document) -> Sequence[Token]:
    """The document's tokens outside its furniture: a tuple, or `LazyTokens` (made when walked) for
    tokens read from the cache."""
    tokens = document.tokens
    if not document.furniture:
        # the same object when a tuple already (a TokenTuple keeps its columns) or lazy
        return tokens if isinstance(tokens, (tuple, LazyTokens)) else tuple(tokens)
    spans = document.furniture
    if isinstance(tokens, (TokenTuple, LazyTokens)):  # read from the cache: in order, with its columns
        return tokens.outside(spans)
    return tuple(t for t in document.tokens if not any(s <= t.start and t.end <= e for s, e in spans))
