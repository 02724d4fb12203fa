"""Numeric facts: every quantity a document states, with what it measures, its year and its region.

The rules, in the order a reader applies them:
- the quantity and its unit come from `numbers.find_quantities` (dates, ordinals and names are not facts);
- `metric` is the noun phrase next to the number in its clause: the nouns right before it (skipping a
  verb or adverb such as 引进, 共, 达到), else the nouns right after it or after the next 的;
- `year` is a calendar year stated in the clause, else in the sentence (nearest first); 今年/去年/前年/
  明年 are resolved against the document's date; years inside 《》 titles do not count;
- `region` is the owner of the number: the nearest region named before it in the clause (a division
  named there that lies inside it is more precise: 在我市投资的浙江某公司); else the subject of the
  sentence, a region opening a clause before the number (目前，桐乡共有…); else the nearest region of
  the sentence; else the subject of the paragraph; else the region the article is about. A region
  introduced as a source or partner (来自上海的, 与上海, 接轨上海, 赴沪, 供沪杭等长三角城市), a verb's
  object (引进上海企业), a comparison's base (浙江的3倍) or an abbreviation inside a common word (浙商)
  is not the owner. 我市/全市/本市/当地 stand for the article's region, 全省/我省 for its province,
  全县/该区/该市… for the last county, district or city named.
"""
from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

import regex

from jiegui.models import Document, Fact
from jiegui.numbers import Kind, QuantityMatch, find_quantities, parse_number
from jiegui.traditional import simplified_tokens, to_simplified

# A region named right after one of these is where something comes from or goes to, not the owner;
# a modifier may stand between (接轨大上海, 对接“大上海”).
_NOT_OWNER_BEFORE = regex.compile(
    r"(?:来自|来源于|从|与|和|同|跟|向|对|赴|往|到|至|接轨|融入|对接|连接|联系|服务|辐射|靠近|毗邻|紧邻|距离?|离|去|及|或"
    r"|供|销往|通往|前往|驻)[大“”\"‘’]{0,2}$"
)
# Verbs after which a region is still the subject's own place (位于平湖的企业), not an object.
# Causatives (使温州到上海的距离…) leave the region the subject of what follows.
_LOCATING_VERBS = frozenset({"位于", "地处", "属于", "是", "有", "为", "在", "地", "坐落", "设在", "落户",
                             "如", "比如", "例如", "像",  # 如广东提出…: “such as”, tagged a verb by jieba
                             "使", "让", "令", "带动", "推动", "促进", "帮助", "助推"})
# 是浙江的3倍: a region that a multiple is taken of is the base of the comparison, not the owner.
_COMPARISON_BASE = regex.compile(r"的[近约]?[\d.一二两三四五六七八九十百]+多?倍")
_LIST_JOINERS = frozenset({"", "、", "和", "及", "与", "等", "以及"})
_PRONOUN = regex.compile(r"(?:我|全|本|该)(?:市|区|县|镇|省)|当地|本地")
_YEAR = regex.compile(r"(?<![\d.])(1[5-9]\d\d|20\d\d)[ \u3000]?年(?![代级])|([〇零一二三四五六七八九]{4})年")
_RELATIVE_YEAR = regex.compile(r"今年|去年|前年|明年|上年")
_RELATIVE_OFFSET = {"今年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
_TITLE = regex.compile(r"《[^》\n]{0,80}》")
_SUBJECT_WITHIN = 4  # characters between a clause's start and its subject (今年, 据悉)
_PREPOSITIONS = ("在", "于", "从", "向", "到", "对", "自", "由", "经", "为")
_CLAUSE_END = frozenset("，,；;：:。！？!?\n")
_SENTENCE_END = frozenset("。！？!?\n")
# jieba POS tags of words that can name what is measured (nouns, verbal nouns, abbreviations, idioms,
# distinguishing words such as 高层次/总).
_METRIC_POS = ("n", "nz", "vn", "nt", "ns", "j", "l", "eng", "an", "ng", "b")
_SKIPPABLE_POS = ("v", "d", "p", "u", "c", "r", "m", "q", "f", "a", "ul", "uj")
_METRIC_MAX_TOKENS = 3


class SortOrder(str, Enum):
    doc = "doc"
    value = "value"


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    region: object  # regions.Region
    owner: bool  # False when the text introduces it as a source or partner


def _span_bounds(text: str, position: int, stops: frozenset[str]) -> tuple[int, int]:
    start = position
    while start > 0 and text[start - 1] not in stops:
        start -= 1
    end = position
    while end < len(text) and text[end] not in stops:
        end += 1
    return start, end


def _paragraph_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def _is_subject(text: str, start: int) -> bool:
    """Whether a region named at `start` opens its clause (目前，桐乡共有…; 今年我市…), as its subject would,
    rather than after a preposition (在上海举办…: where, not who)."""
    lead = text[_span_bounds(text, start, _CLAUSE_END)[0]:start]
    return len(lead) <= _SUBJECT_WITHIN and not lead.endswith(_PREPOSITIONS)


def _gazetteer():
    from jiegui.regions import load_gazetteer

    return load_gazetteer()


def _region_mentions(text: str, gazetteer, tokens=None) -> list[_Mention]:
    """Every region named, each marked as a possible owner or not (a source, partner or object)."""
    mentions: list[_Mention] = []
    # 引进上海旅游投资项目4个: a region right after a verb is part of the object, not the owner.
    verb_ends = {t.end for t in tokens or () if t.pos.startswith("v") and t.text not in _LOCATING_VERBS}
    # 浙商 (Zhejiang's business people), 沪剧: an abbreviation inside a common word names no owner.
    in_words = {t.start + i for t in tokens or () if len(t.text) > 1 and not t.pos.startswith(("ns", "j"))
                for i in range(len(t.text))}
    for mention in gazetteer.scan(text) if tokens is None else gazetteer.scan(text, tokens=tokens):
        before = text[max(0, mention.start - 6):mention.start]
        owner = (not _NOT_OWNER_BEFORE.search(before) and mention.start not in verb_ends
                 and not (mention.end - mention.start == 1 and mention.start in in_words)
                 and not _COMPARISON_BASE.match(text, mention.end))
        # 来自上海、浙江的, 与沪杭, 供沪杭等长三角城市: a region listed right after a source or partner is one too.
        if owner and mentions and not mentions[-1].owner and text[mentions[-1].end:mention.start] in _LIST_JOINERS:
            owner = False
        mentions.append(_Mention(mention.start, mention.end, mention.region, owner))
    return mentions


def document_region(
    document: Document, gazetteer=None, *, mentions: list[_Mention] | None = None, text: str | None = None
):
    """The region the article is about: of the regions its title names, the one the text mentions most
    as an owner (ties: the most specific); without a title region, the region the text names most often
    as an owner rather than as a partner. None if the text names no region.

    In 嘉兴接轨上海 the article is about 嘉兴, however often 上海 appears: mentions as a source or partner
    (接轨上海, 来自上海的) count against a region. `mentions` are the text's, if already scanned, and
    `text` the document's text in Simplified characters, if already converted.
    """
    gazetteer = gazetteer or _gazetteer()
    if mentions is None:
        mentions = _region_mentions(text or to_simplified(document.text), gazetteer, document.tokens or None)
    owned = Counter(m.region for m in mentions if m.owner)
    candidates = []
    if document.title:
        # The title is scanned with the names of the places the text names, which support a short form
        # in it (平湖：一路… in a text that names 浙江省 and 嘉兴市).
        context = "、".join(dict.fromkeys(name for m in mentions for name in getattr(m.region, "path", ())))
        title = to_simplified(document.title)
        title_end = len(title)
        candidates = [m.region for m in _region_mentions(title + "\n" + context, gazetteer)
                      if m.owner and m.end <= title_end]
    if candidates:
        score = owned
    else:
        candidates = list(owned)
        score = owned - Counter(m.region for m in mentions if not m.owner)  # keeps positive counts only
    if not candidates:
        return None
    depth = {r: len(getattr(r, "path", ()) or ()) for r in candidates}
    return max(dict.fromkeys(candidates), key=lambda r: (score.get(r, 0), owned.get(r, 0), depth[r]))


def _pronoun_region(word: str, about, gazetteer):
    if about is None:
        return None
    if word.endswith("省"):
        path = getattr(about, "path", ())
        if path:
            try:
                return gazetteer.resolve(path[0])
            except Exception:  # a region outside the gazetteer's provinces: keep the article's own
                return about
    return about


def _years(text: str, doc_year: int | None) -> list[tuple[int, int, int]]:
    """(start, end, year) for every calendar year stated, relative years resolved; titles excluded."""
    titles = [(m.start(), m.end()) for m in _TITLE.finditer(text)]

    def in_title(pos: int) -> bool:
        return any(s <= pos < e for s, e in titles)

    years = []
    for match in _YEAR.finditer(text):
        if in_title(match.start()):
            continue
        years.append((match.start(), match.end(), int(parse_number(match[1] or match[2]))))
    if doc_year is not None:
        for match in _RELATIVE_YEAR.finditer(text):
            if not in_title(match.start()):
                years.append((match.start(), match.end(), doc_year + _RELATIVE_OFFSET[match[0]]))
    years.sort()
    return years


def _nearest(items: Sequence, starts: list[int], lo: int, hi: int, position: int, end: int):
    """The item nearest before `position` within [lo, position), else the first in [end, hi)."""
    i = bisect.bisect_left(starts, position) - 1
    if i >= 0 and starts[i] >= lo:
        return items[i]
    j = bisect.bisect_left(starts, end)
    if j < len(items) and starts[j] < hi:
        return items[j]
    return None


class _DocumentIndex:
    """What the rules need from one document, computed once: tokens, region mentions, years."""

    def __init__(self, document: Document, gazetteer, text: str, tokens: Sequence) -> None:
        """`text` and `tokens` are the document's as analysed: Simplified, same offsets (traditional.py)."""
        self.document = document
        self.text = text
        self.tokens = sorted(tokens, key=lambda t: t.start)
        if not self.tokens and text:
            from jiegui.segment import Segmenter

            self.tokens = Segmenter().tokenize(document.text)
        self.token_starts = [t.start for t in self.tokens]
        mentions = _region_mentions(text, gazetteer, self.tokens)
        self.about = document_region(document, gazetteer, mentions=mentions, text=text)
        named = sorted(mentions, key=lambda m: m.start)
        named_starts = [m.start for m in named]
        for match in _PRONOUN.finditer(text):
            region = _pronoun_region(match[0], self.about, gazetteer)
            if match[0][-1] in "县区镇" or match[0].startswith("该"):
                # 全县, 该区: the county, district or town just named (嘉善…占全县), not the article's city.
                i = bisect.bisect_left(named_starts, match.start()) - 1
                while i >= 0 and not named[i].region.name.endswith(match[0][-1]):
                    i -= 1
                if i >= 0:
                    region = named[i].region
            if region is not None:
                mentions.append(_Mention(match.start(), match.end(), region, True))
        self.owners = sorted((m for m in mentions if m.owner), key=lambda m: m.start)
        self.owner_starts = [m.start for m in self.owners]
        # A clause's subject: an owner named at its start (目前，桐乡共有…; 此次在我市投资…).
        self.subjects = []
        for m in self.owners:
            # 嘉兴平湖市新埭镇的…: a place written on to its parent is part of the same subject.
            previous = self.subjects[-1] if self.subjects else None
            chained = previous is not None and previous.end == m.start and m.region.within(previous.region)
            if chained or _is_subject(text, m.start):
                self.subjects.append(m)
        self.subject_starts = [m.start for m in self.subjects]
        self.region_spans = sorted((m.start, m.end) for m in mentions)
        doc_year = int(document.date[:4]) if document.date and document.date[:4].isdigit() else None
        self.years = _years(text, doc_year)
        self.year_starts = [y[0] for y in self.years]

    def region_for(self, quantity: QuantityMatch, clause: tuple[int, int], sentence: tuple[int, int]):
        position = quantity.start
        paragraph = _paragraph_start(self.document.text, sentence[0])
        levels = ((self.owners, self.owner_starts, clause[0]),
                  (self.subjects, self.subject_starts, sentence[0]),
                  (self.owners, self.owner_starts, sentence[0]),
                  (self.subjects, self.subject_starts, paragraph))
        for owners, starts, lo in levels:
            i = bisect.bisect_left(starts, position) - 1
            if i >= 0 and owners[i].start >= lo:
                return self._most_specific(owners[i].region, owners, starts, lo, i)
        return self.about

    @staticmethod
    def _most_specific(region, owners, starts, lo: int, i: int):
        """A division inside `region` named earlier in the same span is the more precise owner: in
        在我市（平湖）投资设立的浙江某某公司总投资2亿元, 浙江 only names the company's province."""
        for j in range(i - 1, bisect.bisect_left(starts, lo) - 1, -1):
            inner = owners[j].region
            if inner != region and inner.level != "other" and inner.within(region):  # a division, not a bay
                return inner
        return region

    def year_for(self, quantity: QuantityMatch, clause: tuple[int, int], sentence: tuple[int, int]) -> int | None:
        for lo, hi in (clause, sentence):
            found = _nearest(self.years, self.year_starts, lo, hi, quantity.start, quantity.end)
            # A year inside the quantity itself (1800年建城史) is not a time stamp.
            if found is not None and not (quantity.start <= found[0] < quantity.end):
                return found[2]
        return None

    def _is_metric_token(self, token) -> bool:
        # ns is allowed: jieba tags some common nouns (嘉宾) as places; real places are region spans.
        if not token.pos.startswith(_METRIC_POS) or token.pos.startswith(("nr", "m")):
            return False
        if not any("\u4e00" <= ch <= "\u9fff" or ch.isalpha() for ch in token.text):
            return False
        i = bisect.bisect_right(self.region_spans, (token.start, 10**12)) - 1
        return not (i >= 0 and self.region_spans[i][1] > token.start)

    def metric_for(self, quantity: QuantityMatch, clause: tuple[int, int]) -> str | None:
        text = self.text
        first_after = bisect.bisect_left(self.token_starts, quantity.end)
        last_before = bisect.bisect_left(self.token_starts, quantity.start) - 1
        # What a number directly modifies is what it measures: 15座中心城市 (a count and its noun),
        # 11.8%的人口, 14.71平方公里的土地 (any quantity, then 的 and a noun).
        next_pos = self.tokens[first_after].pos if first_after < len(self.tokens) else ""
        # Only a noun right after: 1000人出席会议 (出席会议/l) measures the people, not the meeting.
        if quantity.quantity.kind == Kind.count.value and next_pos.startswith(("n", "j", "eng", "b")):
            modified = self._run_forward(first_after, clause[1], regions_inside=True)
            if modified:
                return modified
        if text.startswith("的", quantity.end):
            modified = self._run_forward(bisect.bisect_left(self.token_starts, quantity.end + 1), clause[1], regions_inside=True)
            if modified:
                return modified
        before = self._run_backward(last_before, clause[0], skip=2)
        if before:
            return before
        after = self._run_forward(first_after, clause[1])
        if after:
            return after
        de = text.find("的", quantity.end, clause[1])
        if de >= 0:
            after = self._run_forward(bisect.bisect_left(self.token_starts, de + 1), clause[1])
            if after:
                return after
        return self._run_backward(last_before, clause[0], skip=_METRIC_MAX_TOKENS * 4)

    def _run_backward(self, index: int, lo: int, *, skip: int) -> str | None:
        run: list = []
        while index >= 0 and self.tokens[index].start >= lo:
            token = self.tokens[index]
            if self._is_metric_token(token):
                run.append(token)
                if len(run) == _METRIC_MAX_TOKENS:
                    break
            elif run:
                break
            elif skip > 0 and token.pos.startswith(_SKIPPABLE_POS):
                skip -= 1
            else:
                break
            index -= 1
        return self._join(list(reversed(run)))

    def _run_forward(self, index: int, hi: int, *, regions_inside: bool = False) -> str | None:
        """The nouns from token `index` on; with `regions_inside`, a place may lead the run (30余家海宁企业 →
        海宁企业) but not end it."""
        run: list = []
        nouns = 0
        while index < len(self.tokens) and self.tokens[index].end <= hi and nouns < _METRIC_MAX_TOKENS:
            token = self.tokens[index]
            if self._is_metric_token(token):
                nouns += 1
            elif not (regions_inside and self._is_region_token(token)):
                break
            run.append(token)
            index += 1
        while run and not self._is_metric_token(run[-1]):
            run.pop()
        return self._join(run)

    def _is_region_token(self, token) -> bool:
        i = bisect.bisect_right(self.region_spans, (token.start, 10**12)) - 1
        return i >= 0 and self.region_spans[i][1] > token.start

    def _join(self, run: list) -> str | None:
        if not run:
            return None
        # Contiguous tokens only: the text between them is the phrase as written.
        return self.document.text[run[0].start:run[-1].end]


def _region_fields(region) -> tuple[str | None, tuple[str, ...]]:
    if region is None:
        return None, ()
    return region.short or region.name, tuple(region.path)


def document_facts(document: Document, *, gazetteer=None) -> list[Fact]:
    """The numeric facts of one document, in text order."""
    gazetteer = gazetteer or _gazetteer()
    original = document.text
    # Traditional text is read in Simplified; what is printed is the original.
    text, tokens = simplified_tokens(original, document.tokens)
    quantities = find_quantities(text, source=document.id)
    if not quantities:
        return []
    index = _DocumentIndex(document, gazetteer, text, tokens)
    sentences = sorted(document.sentences, key=lambda s: s.start)
    sentence_starts = [s.start for s in sentences]
    facts = []
    for match in quantities:
        i = bisect.bisect_right(sentence_starts, match.start) - 1
        if i >= 0 and sentences[i].end > match.start:
            sentence = (sentences[i].start, sentences[i].end)
        else:
            sentence = _span_bounds(text, match.start, _SENTENCE_END)
        clause = _span_bounds(text, match.start, _CLAUSE_END)
        clause = (max(clause[0], sentence[0]), min(clause[1], sentence[1]))
        region, region_path = _region_fields(index.region_for(match, clause, sentence))
        q = match.quantity
        facts.append(Fact(
            doc=document.id, start=match.start, end=match.end, text=original[match.start:match.end],
            value=q.value, value_max=q.value_max, unit=q.unit, kind=q.kind, qualifier=q.qualifier,
            metric=index.metric_for(match, clause), year=index.year_for(match, clause, sentence),
            region=region, region_path=region_path, sentence=original[sentence[0]:sentence[1]].strip(),
        ))
    return facts


def extract_facts(documents: Iterable[Document], *, gazetteer=None) -> list[Fact]:
    """Every numeric fact of every document, document by document, in text order."""
    gazetteer = gazetteer or _gazetteer()
    return [fact for document in documents for fact in document_facts(document, gazetteer=gazetteer)]


def resolve_region(name: str, gazetteer=None):
    """The gazetteer's region for a user-given name (平湖, 平湖市); UnknownRegionError suggests close names."""
    return (gazetteer or _gazetteer()).resolve(name)


def filter_facts(
    facts: Iterable[Fact],
    *,
    region=None,
    kind: Kind | str | None = None,
    year: int | None = None,
    doc: str | None = None,
    metric: str | None = None,
    min_value: float | None = None,
) -> list[Fact]:
    """The facts that pass every given filter. `region` (a Region) keeps facts of it and of every region
    inside it; `metric` is a substring of the metric; `min_value` compares `value` in its base unit."""
    prefix = tuple(region.path) if region is not None else None
    kind_value = kind.value if isinstance(kind, Kind) else kind
    kept = []
    for fact in facts:
        if prefix is not None and tuple(fact.region_path[: len(prefix)]) != prefix:
            continue
        if kind_value is not None and fact.kind != kind_value:
            continue
        if year is not None and fact.year != year:
            continue
        if doc is not None and fact.doc != doc:
            continue
        if metric is not None and (fact.metric is None or metric not in fact.metric):
            continue
        if min_value is not None and fact.value < min_value:
            continue
        kept.append(fact)
    return kept


def sort_facts(facts: Iterable[Fact], order: SortOrder = SortOrder.doc) -> list[Fact]:
    """`doc`: documents in corpus order, facts in text order (stable); `value`: largest value first."""
    facts = list(facts)
    if order is SortOrder.value:
        return sorted(facts, key=lambda f: -f.value)
    return facts
