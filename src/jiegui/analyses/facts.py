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
  is not the owner. 我市/本市 stand for the article's region, 我省 for its province; 全市/全省/该县/当地 for
  the nearest place of that kind the paragraph names. 我国/全国/国务院 name 中国. The article's region is,
  in a roundup, its item's; several places named equally make it none (the nation if named). A meeting's
  venue owns only its own clause; after a list of places, 分别 pairs figures with places and a count of
  the places goes to the region holding them; railways and stations own their figures.
"""
from __future__ import annotations

import bisect
import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex

from jiegui.analysed import AnalysedDocument, as_analysed
from jiegui.analyses.numbers import Kind, QuantityMatch, find_quantities, parse_number
from jiegui.analyses.regions import Gazetteer, Region, load_gazetteer
from jiegui.errors import UnknownRegionError
from jiegui.models import Document, Fact, FactOrder
from jiegui.text.sentences import sentence_context

# A region named right after one of these is where something comes from or goes to, not the owner;
# a modifier may stand between (接轨大上海, 对接“大上海”).
_NOT_OWNER_BEFORE = regex.compile(
    r"(?:来自|来源于|从|与|和|同|跟|向|对|赴|往|到|至|接轨|融入|对接|连接|联系|服务|辐射|靠近|毗邻|紧邻|距离?|离|去|及|或"
    r"|供|销往|通往|前往|驻"
    # 较全国高, 低于全国, 高出同期全国, 占全国比重: the base of a comparison, not the owner.
    r"|较|比|高于|低于|高出|快于|慢于|超过|占|相当于)(?:同期|同类)?[大“”\"‘’]{0,2}$"
)
# Words that name the nation as a whole: its figures belong to 中国 (2024年，我国国内生产总值…; 全国粮食产量…).
# As words of their own. Not 国家, mostly a designation (国家高新技术企业
# in 天津, 国家战略) rather than the owner, nor 国内, which mostly modifies (国内游客: domestic).
_NATIONAL_WORDS = frozenset({"我国", "全国", "国务院"})
# Heads that make a place name the name of a structure: lines (贵南高铁) and sites in a place (合肥南站).
_LINES = ("高铁", "铁路", "客专", "城际", "高速公路")
_SITE = regex.compile(r"[东南西北]?站(?![点位长台稳])|口岸|机场")
_NATIONAL_IN_TITLE = regex.compile(r"我国|全国")
# Verbs after which a region is still the subject's own place (位于平湖的企业), not an object.
# Causatives (使温州到上海的距离…) leave the region the subject of what follows.
_LOCATING_VERBS = frozenset({"位于", "地处", "属于", "是", "有", "为", "在", "地", "坐落", "设在", "落户",
                             "如", "比如", "例如", "像",  # 如广东提出…: “such as”, tagged a verb by jieba
                             "使", "让", "令", "带动", "推动", "促进", "帮助", "助推"})
# 是浙江的3倍: a region that a multiple is taken of is the base of the comparison, not the owner.
_COMPARISON_BASE = regex.compile(r"的[近约]?[\d.一二两三四五六七八九十百]+多?倍|[近约]?[\d.]+%的")  # 在全国2.2%的国土上: a share of it
_QUOTED = regex.compile(r"“[^”\n]{1,20}”|\"[^\"\n]{1,20}\"")
_PRONOUN_LOOKBACK = 50  # places a pronoun looks back over for its own
_VENUE_VERB = regex.compile(r"(?:隆重|胜利|正式|顺利)?(?:召开|开幕|闭幕|举行|举办)")
# A roundup item's sub-headline: a line in 【】 or ** **, or the （记者…报道） that opens a report.
_ITEM_HEAD = regex.compile(r"^(?:【[^】\n]{2,80}】|\*\*[^*\n]{2,80}\*\*)[ \t]*$|^[（(]记者[^）)\n]{0,40}报道[）)]", regex.MULTILINE)
# What stands between a list of places and a count of them: 江苏、浙江5个省市, 北京、上海等37个口岸.
_COUNT_AFTER_LIST = regex.compile(r"(?:等|共|等地|这|这些)?")
_LIST_JOINERS = frozenset({"", "、", "和", "及", "与", "等", "以及"})
_PRONOUN = regex.compile(r"(?:我|全|本|该)(?:市|区|县|镇|省)|当地|本地")
_YEAR = regex.compile(r"(?<![\d.])(1[5-9]\d\d|20\d\d)[ \u3000]?年(?![代级])|([〇零一二三四五六七八九]{4})年")
_RELATIVE_YEAR = regex.compile(r"今年|去年|前年|明年|上年")
_RELATIVE_OFFSET = {"今年": 0, "去年": -1, "上年": -1, "前年": -2, "明年": 1}
_TITLE = regex.compile(r"《[^》\n]{0,80}》")
_SUBJECT_WITHIN = 4  # characters between a clause's start and its subject (今年, 据悉)
_PREPOSITIONS = ("在", "于", "从", "向", "到", "对", "自", "由", "经", "为")
_CLAUSE_END = frozenset("，,；;：:。！？!?\n")
_SENTENCE_STOPS = frozenset("。！？!?\n")  # characters that end a sentence, for text outside the document's sentences
# jieba POS tags of words that can name what is measured (nouns, verbal nouns, abbreviations, idioms,
# distinguishing words such as 高层次/总).
_METRIC_POS = ("n", "nz", "vn", "nt", "ns", "j", "l", "eng", "an", "ng", "b")
_SKIPPABLE_POS = ("v", "d", "p", "u", "c", "r", "m", "q", "f", "a", "ul", "uj")
_METRIC_MAX_TOKENS = 3


SortOrder = FactOrder  # the name this module has always exported


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int
    end: int
    region: object  # regions.Region
    owner: bool  # False when the text introduces it as a source or partner
    venue: bool = False  # 在北京召开: where a meeting is held, owner in its own clause only


class _Spans:
    """The spans of a text between stop characters (clauses, sentences), found by bisection over the stops'
    positions: a lookup costs O(log n) however long the span (one line of 700,000 characters without
    punctuation has thousands of places and numbers, and walking to the span's ends from each was quadratic)."""

    def __init__(self, text: str, stops: frozenset[str]) -> None:
        pattern = regex.compile("[" + "".join(regex.escape(c) for c in sorted(stops)) + "]")
        self.stops = [m.start() for m in pattern.finditer(text)]
        self.length = len(text)

    def around(self, position: int) -> tuple[int, int]:
        """(start, end) of the span holding `position`: after the last stop before it, up to the next stop."""
        i = bisect.bisect_left(self.stops, position)
        start = self.stops[i - 1] + 1 if i > 0 else 0
        return start, self.stops[i] if i < len(self.stops) else self.length


def _paragraph_start(text: str, position: int) -> int:
    return text.rfind("\n", 0, position) + 1


def _is_subject(text: str, start: int, clauses: _Spans) -> bool:
    """Whether a region named at `start` opens its clause (目前，桐乡共有…; 今年我市…), as its subject would,
    rather than after a preposition (在上海举办…: where, not who)."""
    clause_start = clauses.around(start)[0]
    return start - clause_start <= _SUBJECT_WITHIN and not text[clause_start:start].endswith(_PREPOSITIONS)


@lru_cache(maxsize=4)
def _nation(gazetteer):
    """中国, as the gazetteer has it (None for a gazetteer without it)."""
    try:
        return gazetteer.resolve("中国")
    except UnknownRegionError:  # a gazetteer without China has no national owner
        return None


def _national_words(text: str, tokens, nation) -> list[tuple[int, int, object]]:
    """(start, end, 中国) for every word naming the nation (我国, 全国, 国务院 as words of their own, and
    national bodies: 全国人大); in a title, which has no tokens, 我国 and 全国."""
    if tokens is None:
        return [(m.start(), m.end(), nation) for m in _NATIONAL_IN_TITLE.finditer(text)]
    # 全国人大/nt, 全国政协: a national body speaks for the nation (the targets read out at 全国人大 are 中国's).
    return [(t.start, t.end, nation) for t in tokens
            if t.text in _NATIONAL_WORDS or (t.text.startswith("全国") and t.pos == "nt")]


def _structures(text: str, found: list, tokens) -> list:
    """Named structures as owners of their own figures: a railway named by its ends (贵南高铁, 沪杭高铁,
    大秦铁路) is not the place its name starts with, nor any city it passes; a station or border crossing
    (合肥南站, 霍尔果斯口岸) lies in its place, so its path goes on from that place's."""
    from jiegui.analyses.regions import Region

    lines = []
    tokens = tokens or ()
    for first, second in zip(tokens, tokens[1:]):
        # 贵南/ns 高铁, 京沪/j 高铁, 包银/nr 高铁: two short names, then the kind of line.
        if second.text in _LINES and len(first.text) == 2 and first.pos.startswith(("ns", "j", "nr")) and first.end == second.start:
            lines.append((first.start, second.end))
        elif len(first.text) >= 4 and first.text.endswith(_LINES) and first.pos.startswith(("nz", "ns")):
            lines.append((first.start, first.end))  # 大秦铁路/nz
    kept = [(start, end, Region(text[start:end], text[start:end], None, "other", (text[start:end],))) for start, end in lines]
    in_lines = {i for start, end in lines for i in range(start, end)}
    for start, end, region in found:
        if start in in_lines:
            continue
        head = _SITE.match(text, end)
        if head is not None and end - start >= 2:
            name = text[start:head.end()]
            region, end = Region(name, name, None, "other", (*region.path, name)), head.end()
        kept.append((start, end, region))
    return sorted(kept, key=lambda m: m[0])


def _gazetteer() -> Gazetteer:
    return load_gazetteer()


def _region_mentions(text: str, gazetteer, tokens=None) -> list[_Mention]:
    """Every region named, each marked as a possible owner or not (a source, partner or object)."""
    mentions: list[_Mention] = []
    # 引进上海旅游投资项目4个: a region right after a verb is part of the object, not the owner.
    verb_ends = {t.end for t in tokens or () if t.pos.startswith("v") and t.text not in _LOCATING_VERBS}
    # 浙商 (Zhejiang's business people), 沪剧: an abbreviation inside a common word names no owner.
    in_words = {t.start + i for t in tokens or () if len(t.text) > 1 and not t.pos.startswith(("ns", "j"))
                for i in range(len(t.text))}
    found = [(m.start, m.end, m.region) for m in (gazetteer.scan(text) if tokens is None else gazetteer.scan(text, tokens=tokens))]
    found = _structures(text, found, tokens)
    nation = _nation(gazetteer)
    if nation is not None:
        found += _national_words(text, tokens, nation)
        found.sort(key=lambda m: m[0])
    # “春风江南”小镇, “浙沪产业园”: a place inside a quoted name is part of that name.
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    quote_starts = [q[0] for q in quoted]
    for start, end, region in found:
        mention = _Mention(start, end, region, True)
        before = text[max(0, mention.start - 6):mention.start]
        # 在京开幕, 在北京召开: a meeting's venue owns what is counted in its clause (在上海举办活动12场), not
        # what is said at the meeting, nor is it what the article is about.
        venue = before.endswith(("在", "于")) and _VENUE_VERB.match(text, mention.end) is not None
        q = bisect.bisect_left(quote_starts, start) - 1  # quotes do not nest: only the last one opened before
        in_name = q >= 0 and end < quoted[q][1] and (quoted[q][0] + 1, quoted[q][1] - 1) != (start, end)
        owner = (not in_name and not _NOT_OWNER_BEFORE.search(before) and mention.start not in verb_ends
                 and not (mention.end - mention.start == 1 and mention.start in in_words)
                 and not _COMPARISON_BASE.match(text, mention.end))
        # 中美, 中欧班列: after 中 in a run of abbreviations, the other country is China's partner.
        if owner and mentions and mentions[-1].end == start and text[mentions[-1].start:start] == "中" and end - start == 1:
            owner = False
        # 来自上海、浙江的, 与沪杭, 供沪杭等长三角城市: a region listed right after a source or partner is one too.
        if owner and mentions and not mentions[-1].owner and text[mentions[-1].end:mention.start] in _LIST_JOINERS:
            owner = False
        mentions.append(_Mention(mention.start, mention.end, mention.region, owner, venue))
    return mentions


def document_region(document: AnalysedDocument | Document, gazetteer: Gazetteer | None = None) -> Region | None:
    """The region the article is about: of the regions its title names, the one the text mentions most
    as an owner (ties: the most specific); without a title region, the region the text names most often
    as an owner rather than as a partner. None if the text names no region.

    In 嘉兴接轨上海 the article is about 嘉兴, however often 上海 appears: mentions as a source or partner
    (接轨上海, 来自上海的) count against a region.
    """
    gazetteer = gazetteer or _gazetteer()
    (document,) = as_analysed([document])
    mentions = _region_mentions(document.text, gazetteer, document.tokens or None)
    return _about(document.title, mentions, gazetteer)


def _about(title: str | None, mentions: list[_Mention], gazetteer: Gazetteer) -> Region | None:
    """`document_region` of a text whose region `mentions` are found already; `title` in Simplified."""
    mentions = [m for m in mentions if not m.venue]
    owned = Counter(m.region for m in mentions if m.owner)
    candidates = []
    if title:
        # The title is scanned with the names of the places the text names, which support a short form
        # in it (平湖：一路… in a text that names 浙江省 and 嘉兴市).
        context = "、".join(dict.fromkeys(name for m in mentions for name in m.region.path))
        title_end = len(title)
        candidates = [m.region for m in _region_mentions(title + "\n" + context, gazetteer)
                      if m.owner and not m.venue and m.end <= title_end]
    from_title = bool(candidates)
    if from_title:
        score = owned
    else:
        candidates = list(owned)
        score = owned - Counter(m.region for m in mentions if not m.owner)  # keeps positive counts only
    if not candidates:
        return None
    depth = {r: len(r.path) for r in candidates}
    ranked = sorted(dict.fromkeys(candidates), key=lambda r: (score.get(r, 0), owned.get(r, 0), depth[r]), reverse=True)
    if from_title or len(ranked) == 1 or score.get(ranked[1], 0) < score.get(ranked[0], 0):
        return ranked[0]
    # Several places named equally often (河北、山东、江苏等工业大省…): the text is about none of them, but
    # about the nation if it names it (全国, 我国), else about no region.
    nation = _nation(gazetteer)
    return nation if any(m.region == nation for m in mentions) else None


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

    def __init__(self, document: AnalysedDocument, gazetteer: Gazetteer, quantity_starts: Sequence[int] = ()) -> None:
        """`quantity_starts` where the document's quantities start, in order (for 分别)."""
        self.document = document
        text = self.text = document.text
        self._gazetteer = gazetteer
        self.quantity_starts = list(quantity_starts)
        self.tokens = document.tokens
        self.token_starts = [t.start for t in self.tokens]
        mentions = _region_mentions(text, gazetteer, self.tokens)
        self.about = _about(document.title, mentions, gazetteer)
        named = sorted(mentions, key=lambda m: m.start)
        resolved: list[_Mention] = []  # 我市…全市: the second is the first (found in text order, so sorted)
        province = self.about
        if province is not None and getattr(province, "code", None):
            province = gazetteer.resolve(province.path[0])
        for match in _PRONOUN.finditer(text):
            region = self._pronoun_region(match[0], match.start(), (named, resolved), province)
            if region is not None:
                mention = _Mention(match.start(), match.end(), region, True)
                mentions.append(mention)
                resolved.append(mention)
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.items = self._roundup_items(document, gazetteer)
        self.item_starts = [start for start, _ in self.items]
        self.owners = [m for m in self.mentions if m.owner]
        self.owner_starts = [m.start for m in self.owners]
        self.sentence_owners = [m for m in self.owners if not m.venue]
        self.sentence_owner_starts = [m.start for m in self.sentence_owners]
        # A clause's subject: an owner named at its start (目前，桐乡共有…; 此次在我市投资…).
        self.clauses = _Spans(text, _CLAUSE_END)
        self._inside: dict[tuple[int, object], list[int]] = {}  # see _most_specific
        self.subjects = []
        for m in self.sentence_owners:
            # 嘉兴平湖市新埭镇的…: a place written on to its parent is part of the same subject.
            previous = self.subjects[-1] if self.subjects else None
            chained = previous is not None and previous.end == m.start and m.region.within(previous.region)
            if chained or _is_subject(text, m.start, self.clauses):
                self.subjects.append(m)
        self.subject_starts = [m.start for m in self.subjects]
        self.region_spans = sorted((m.start, m.end) for m in mentions)
        date = document.document.date
        doc_year = int(date[:4]) if date and date[:4].isdigit() else None
        self.years = _years(text, doc_year)
        self.year_starts = [y[0] for y in self.years]

    def _pronoun_region(self, word: str, at: int, lists: tuple[list[_Mention], ...], province):
        """The place 全市, 该县, 当地 stand for: the nearest place of that kind named before it in the same
        paragraph (重庆…全市; 吉林…全省) among `lists` (sorted mentions); else, and first for 我市/本市 (the
        writer's own), the article's region if it is of that kind (我省: its `province`). None rather than
        a place of another kind."""
        suffix = "" if word in ("当地", "本地") else word[-1]

        def fits(region) -> bool:
            if region is None or getattr(region, "level", "") == "other":
                return False  # 当地 after 中国 or 长江 names no place
            return region.name.endswith(suffix) if suffix else True

        about = province if suffix == "省" else self.about
        own = about if fits(about) else None
        if word[0] in "我本" and own is not None:
            return own
        paragraph = _paragraph_start(self.text, at)
        nearest = None
        for mentions in lists:
            i = bisect.bisect_left(mentions, at, key=lambda m: m.start) - 1
            # not 沪杭 in 与沪杭…全市; a bounded look back: a paragraph may be a whole book
            for m in itertools.islice((mentions[j] for j in range(i, -1, -1)), _PRONOUN_LOOKBACK):
                if m.start < paragraph:
                    break
                if m.owner and not m.venue and fits(m.region):
                    if nearest is None or m.start > nearest.start:
                        nearest = m
                    break
        return nearest.region if nearest is not None else own

    def region_for(self, quantity: QuantityMatch, clause: tuple[int, int], sentence: tuple[int, int]):
        position = quantity.start
        # 大幅低于全国（49.5%）, 浙江（12.3%）: a figure in brackets right after a place is that place's,
        # even where the place is a comparison's base.
        if position and self.text[position - 1] in "（(":
            i = bisect.bisect_left(self.mention_starts, position) - 1
            if i >= 0 and self.mentions[i].end == position - 1:
                return self.mentions[i].region
        paragraph = _paragraph_start(self.text, sentence[0])
        levels = ((self.owners, self.owner_starts, clause[0]),
                  (self.subjects, self.subject_starts, sentence[0]),
                  (self.sentence_owners, self.sentence_owner_starts, sentence[0]),
                  (self.subjects, self.subject_starts, paragraph))
        for level, (owners, starts, lo) in enumerate(levels):
            i = bisect.bisect_left(starts, position) - 1
            if i >= 0 and owners[i].start >= lo:
                if level == 0:
                    listed = self._list_before(position, clause[0])
                    between = self.text[listed[-1].end:position] if listed else ""
                    if len(listed) >= 2 and listed[0].owner and ("分别" in between or _COUNT_AFTER_LIST.fullmatch(between)):
                        return self._list_owner(listed, quantity, clause)
                return self._most_specific(owners[i].region, owners, starts, lo, i)
        i = bisect.bisect_right(self.item_starts, position) - 1
        return self.items[i][1] if i >= 0 else self.about

    def _roundup_items(self, document: Document, gazetteer) -> list[tuple[int, object]]:
        """(start, region) of each item of a roundup of short reports: a text with two or more sub-headlines
        (a line in 【】 or ** **, a paragraph opening with （记者…报道）). Each item is about what its own
        sub-headline and text name, never what another item names; [] for an ordinary article."""
        heads = [(m.start(), m.end()) for m in _ITEM_HEAD.finditer(self.text)]
        if len(heads) < 2:
            return []
        items = []
        bounds = [start for start, _ in heads] + [len(self.text)]
        for (start, head_end), end in zip(heads, bounds[1:]):
            inside = self.mentions[bisect.bisect_left(self.mention_starts, head_end):bisect.bisect_left(self.mention_starts, end)]
            items.append((start, _about(self.text[start:head_end], inside, gazetteer)))
        return [(0, None if self.about in {r for _, r in items} else self.about), *items]

    def _list_before(self, position: int, lo: int) -> list[_Mention]:
        """The places listed last before `position` in [lo, position) (江苏、上海、浙江; 广州和深圳)."""
        i = bisect.bisect_left(self.mention_starts, position) - 1
        if i < 0 or self.mentions[i].start < lo:
            return []
        listed = [self.mentions[i]]
        while i > 0 and self.mentions[i - 1].start >= lo and self.text[self.mentions[i - 1].end:self.mentions[i].start] in ("、", "和", "及"):
            i -= 1
            listed.insert(0, self.mentions[i])
        return listed

    def _list_owner(self, listed: list[_Mention], quantity: QuantityMatch, clause: tuple[int, int]):
        """The owner of a quantity after a list of places. 北京、上海、广州和深圳分别上涨1.0%、0.6%、0.5%和
        0.5%: the k-th quantity after 分别 is the k-th place's, when the counts agree. 江苏、上海、浙江等5个省市,
        乌鲁木齐、昌吉、石河子3个高新区: a count of the places themselves, so the region that holds them all
        (新疆), else the article's region unless it is one of them, else none."""
        between = self.text[listed[-1].end:quantity.start]
        if "分别" in between:
            after = listed[-1].end + between.index("分别")
            starts = self.quantity_starts
            quantities = starts[bisect.bisect_left(starts, after):bisect.bisect_left(starts, clause[1])]
            if len(quantities) == len(listed) and quantity.start in quantities:
                return listed[quantities.index(quantity.start)].region
            return None
        paths = [tuple(getattr(m.region, "path", ()) or ()) for m in listed]
        shared = 0
        while all(len(p) > shared + 1 and p[shared] == paths[0][shared] for p in paths):
            shared += 1
        if shared:
            try:
                return self._gazetteer.resolve("".join(paths[0][:shared]))
            except UnknownRegionError:  # a hand-kept place's parents may not read back as one name
                return None
        names = {m.region for m in listed}
        return self.about if self.about not in names else None

    def _most_specific(self, region, owners, starts, lo: int, i: int):
        """A division inside `region` named earlier in the same span is the more precise owner: in
        在我市（平湖）投资设立的浙江某某公司总投资2亿元, 浙江 only names the company's province.

        The nearest such division is found by bisection in the positions of the divisions inside `region`
        (listed once per region): walking back through the span was quadratic on a long unpunctuated line."""
        key = (id(owners), region)
        if key not in self._inside:
            self._inside[key] = [
                j for j, owner in enumerate(owners)  # a division, not a bay
                if owner.region != region and owner.region.level != "other" and owner.region.within(region)
            ]
        inside = self._inside[key]
        k = bisect.bisect_left(inside, i) - 1
        if k >= 0 and inside[k] >= bisect.bisect_left(starts, lo):
            return owners[inside[k]].region
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
        return not self._is_region_token(token)

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
        return self.document.original[run[0].start:run[-1].end]


def _region_fields(region) -> tuple[str | None, tuple[str, ...]]:
    if region is None:
        return None, ()
    return region.short or region.name, tuple(region.path)


def document_facts(document: AnalysedDocument | Document, *, gazetteer: Gazetteer | None = None) -> list[Fact]:
    """The numeric facts of one document, in text order."""
    gazetteer = gazetteer or _gazetteer()
    (document,) = as_analysed([document])
    # Traditional text is read in Simplified; what is printed is the original.
    original, text = document.original, document.text
    quantities = find_quantities(text, source=document.id)
    if not quantities:
        return []
    index = _DocumentIndex(document, gazetteer, [q.start for q in quantities])
    # A quantity outside the document's sentences (a hand-built document without them) has for sentence
    # the span between sentence-ending characters around it.
    sentence_spans = _Spans(text, _SENTENCE_STOPS)
    facts = []
    for match in quantities:
        found = document.sentence_at(match.start)
        sentence = (found.start, found.end) if found is not None else sentence_spans.around(match.start)
        clause = index.clauses.around(match.start)
        clause = (max(clause[0], sentence[0]), min(clause[1], sentence[1]))
        region, region_path = _region_fields(index.region_for(match, clause, sentence))
        q = match.quantity
        facts.append(Fact(
            doc=document.id, start=match.start, end=match.end, text=original[match.start:match.end],
            value=q.value, value_max=q.value_max, unit=q.unit, kind=q.kind, qualifier=q.qualifier,
            metric=index.metric_for(match, clause), year=index.year_for(match, clause, sentence),
            region=region, region_path=region_path, sentence=sentence_context(original, *sentence, match.start).strip(),
        ))
    return facts


def extract_facts(documents: Iterable[AnalysedDocument | Document], *, gazetteer: Gazetteer | None = None) -> list[Fact]:
    """Every numeric fact of every document, document by document, in text order."""
    gazetteer = gazetteer or _gazetteer()
    return [fact for document in as_analysed(documents) for fact in document_facts(document, gazetteer=gazetteer)]


def resolve_region(name: str, gazetteer=None):
    """The gazetteer's region for a user-given name (平湖, 平湖市); UnknownRegionError suggests close names.
    A name several places share means the largest (朝阳 → 辽宁省朝阳市); `region_namesakes` lists the others."""
    return (gazetteer or _gazetteer()).resolve(name)


def region_namesakes(name: str, gazetteer=None) -> list:
    """The places other than `resolve_region(name)` that `name` names (朝阳: 北京市朝阳区, …)."""
    return (gazetteer or _gazetteer()).namesakes(name)


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
