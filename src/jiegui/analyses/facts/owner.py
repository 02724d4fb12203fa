"""The owner of a quantity (`Fact.region`): the nearest region named before it in the clause (a division
named there that lies inside it is more precise); else the subject of the sentence; else the nearest
region of the sentence; else the subject of the paragraph; else the region the article (or its roundup
item) is about. 我市/本市 stand for the article's region, 我省 for its province; 全市/全省/该县/当地 for the
nearest place of that kind the paragraph names. After a list of places, 分别 pairs figures with places and
a count of the places goes to the region holding them."""
from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from operator import attrgetter

import regex

from jiegui.analysed import AnalysedDocument
from jiegui.analyses.facts.places import PlaceMention, find_place_mentions, positions_by_region, region_about
from jiegui.analyses.facts.spans import Spans, paragraph_start
from jiegui.analyses.numbers import QuantityMatch
from jiegui.analyses.regions import Gazetteer, Region
from jiegui.errors import UnknownRegionError
from jiegui.lexicon import entries

_PRONOUN_LOOKBACK = 50  # places a pronoun looks back over for its own
# A roundup item's sub-headline: a line in 【】 or ** **, or the （记者…报道） that opens a report.
_ITEM_HEAD = regex.compile(r"^(?:【[^】\n]{2,80}】|\*\*[^*\n]{2,80}\*\*)[ \t]*$|^[（(]记者[^）)\n]{0,40}报道[）)]", regex.MULTILINE)
# What stands between a list of places and a count of them: 江苏、浙江5个省市, 北京、上海等37个口岸.
_COUNT_AFTER_LIST = regex.compile(r"(?:等|共|等地|这|这些)?")
_PRONOUN = regex.compile(r"(?:我|全|本|该)(?:市|区|县|镇|省)|当地|本地")
_SUBJECT_WITHIN = 4  # characters between a clause's start and its subject (今年, 据悉)
_PREPOSITIONS = entries("facts_subject_prepositions.txt")  # 在上海举办…: where, not who
_START = attrgetter("start")  # a mention's, for sorting and bisection (at C speed)


def _is_subject(text: str, start: int, clauses: Spans) -> bool:
    """Whether a region named at `start` opens its clause (目前，桐乡共有…; 今年我市…), as its subject would,
    rather than after a preposition (在上海举办…: where, not who)."""
    clause_start = clauses.around(start)[0]
    return start - clause_start <= _SUBJECT_WITHIN and not text[clause_start:start].endswith(_PREPOSITIONS)


class OwnerResolver:
    """The owner (region) of each quantity of one document: the places it names, resolved pronouns
    (我市, 全省, 当地), clause subjects, roundup items and the region the article is about."""

    def __init__(
        self,
        document: AnalysedDocument,
        gazetteer: Gazetteer,
        clauses: Spans,
        quantity_starts: Sequence[int] = (),
    ) -> None:
        """`clauses` the document's clause spans; `quantity_starts` where its quantities start, in order
        (for 分别)."""
        text = self.text = document.text
        self._gazetteer = gazetteer
        self.quantity_starts = list(quantity_starts)
        mentions = find_place_mentions(text, gazetteer, document.stored_tokens)
        self.about = region_about(document.title, mentions, gazetteer)
        named = sorted(mentions, key=_START)
        resolved: list[PlaceMention] = []  # 我市…全市: the second is the first (found in text order, so sorted)
        province = self.about
        if province is not None and province.code:
            province = gazetteer.resolve(province.path[0])
        for match in _PRONOUN.finditer(text):
            region = self._pronoun_region(match[0], match.start(), (named, resolved), province)
            if region is not None:
                mention = PlaceMention(match.start(), match.end(), region, True)
                mentions.append(mention)
                resolved.append(mention)
        self.mentions = sorted(mentions, key=_START)
        self.mention_starts = [m.start for m in self.mentions]
        self.items = self._roundup_items(gazetteer)
        self.item_starts = [start for start, _ in self.items]
        self.owners = [m for m in self.mentions if m.owner]
        self.owner_starts = [m.start for m in self.owners]
        self.sentence_owners = [m for m in self.owners if not m.venue]
        self.sentence_owner_starts = [m.start for m in self.sentence_owners]
        # A clause's subject: an owner named at its start (目前，桐乡共有…; 此次在我市投资…).
        self._inside: dict[tuple[int, Region], list[int]] = {}  # see _most_specific
        self._by_region: dict[int, dict[Region, list[int]]] = {}
        self.subjects: list[PlaceMention] = []
        for m in self.sentence_owners:
            # 嘉兴平湖市新埭镇的…: a place written on to its parent is part of the same subject.
            previous = self.subjects[-1] if self.subjects else None
            chained = previous is not None and previous.end == m.start and m.region.within(previous.region)
            if chained or _is_subject(text, m.start, clauses):
                self.subjects.append(m)
        self.subject_starts = [m.start for m in self.subjects]
        # Where places are named (pronouns included): a metric is never a place.
        self.region_spans = sorted((m.start, m.end) for m in mentions)

    def _pronoun_region(
        self, word: str, at: int, lists: tuple[list[PlaceMention], ...], province: Region | None
    ) -> Region | None:
        """The place 全市, 该县, 当地 stand for: the nearest place of that kind named before it in the same
        paragraph (重庆…全市; 吉林…全省) among `lists` (sorted mentions); else, and first for 我市/本市 (the
        writer's own), the article's region if it is of that kind (我省: its `province`). None rather than
        a place of another kind."""
        suffix = "" if word in ("当地", "本地") else word[-1]

        def fits(region: Region | None) -> bool:
            if region is None or region.level == "other":
                return False  # 当地 after 中国 or 长江 names no place
            return region.name.endswith(suffix) if suffix else True

        about = province if suffix == "省" else self.about
        own = about if fits(about) else None
        if word[0] in "我本" and own is not None:
            return own
        paragraph = paragraph_start(self.text, at)
        nearest = None
        for mentions in lists:
            i = bisect.bisect_left(mentions, at, key=_START) - 1
            # not 沪杭 in 与沪杭…全市; a bounded look back: a paragraph may be a whole book
            for m in itertools.islice((mentions[j] for j in range(i, -1, -1)), _PRONOUN_LOOKBACK):
                if m.start < paragraph:
                    break
                if m.owner and not m.venue and fits(m.region):
                    if nearest is None or m.start > nearest.start:
                        nearest = m
                    break
        return nearest.region if nearest is not None else own

    def owner_of(self, quantity: QuantityMatch, clause: tuple[int, int], sentence: tuple[int, int]) -> Region | None:
        """The region that owns the quantity (see the package docstring for the order of the rules)."""
        position = quantity.start
        # 大幅低于全国（49.5%）, 浙江（12.3%）: a figure in brackets right after a place is that place's,
        # even where the place is a comparison's base.
        if position and self.text[position - 1] in "（(":
            i = bisect.bisect_left(self.mention_starts, position) - 1
            if i >= 0 and self.mentions[i].end == position - 1:
                return self.mentions[i].region
        paragraph = paragraph_start(self.text, sentence[0])
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

    def _roundup_items(self, gazetteer: Gazetteer) -> list[tuple[int, Region | None]]:
        """(start, region) of each item of a roundup of short reports: a text with two or more sub-headlines
        (a line in 【】 or ** **, a paragraph opening with （记者…报道）). Each item is about what its own
        sub-headline and text name, never what another item names; [] for an ordinary article."""
        heads = [(m.start(), m.end()) for m in _ITEM_HEAD.finditer(self.text)]
        if len(heads) < 2:
            return []
        items: list[tuple[int, Region | None]] = []
        bounds = [start for start, _ in heads] + [len(self.text)]
        for (start, head_end), end in zip(heads, bounds[1:]):
            inside = self.mentions[bisect.bisect_left(self.mention_starts, head_end):bisect.bisect_left(self.mention_starts, end)]
            items.append((start, region_about(self.text[start:head_end], inside, gazetteer)))
        return [(0, None if self.about in {r for _, r in items} else self.about), *items]

    def _list_before(self, position: int, lo: int) -> list[PlaceMention]:
        """The places listed last before `position` in [lo, position) (江苏、上海、浙江; 广州和深圳)."""
        i = bisect.bisect_left(self.mention_starts, position) - 1
        if i < 0 or self.mentions[i].start < lo:
            return []
        listed = [self.mentions[i]]
        while i > 0 and self.mentions[i - 1].start >= lo and self.text[self.mentions[i - 1].end:self.mentions[i].start] in ("、", "和", "及"):
            i -= 1
            listed.insert(0, self.mentions[i])
        return listed

    def _list_owner(self, listed: list[PlaceMention], quantity: QuantityMatch, clause: tuple[int, int]) -> Region | None:
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
        paths = [m.region.path for m in listed]
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

    def _most_specific(self, region: Region, owners: list[PlaceMention], starts: list[int], lo: int, i: int) -> Region:
        """A division inside `region` named earlier in the same span is the more precise owner: in
        在我市（平湖）投资设立的浙江某某公司总投资2亿元, 浙江 only names the company's province.

        The nearest such division is found by bisection in the positions of the divisions inside `region`
        (listed once per region): walking back through the span was quadratic on a long unpunctuated line."""
        key = (id(owners), region)
        if key not in self._inside:
            # Each distinct region of the list tested once (a long text has thousands of owners and dozens
            # of regions): comparing every owner's region with each region named cost a million comparisons.
            by_region = self._by_region.get(id(owners))
            if by_region is None:
                by_region = self._by_region[id(owners)] = positions_by_region([owner.region for owner in owners])
            path = region.path
            depth = len(path)
            self._inside[key] = sorted(
                j for other, positions in by_region.items()  # a division, not a bay (the cheap tests first)
                if other.path[:depth] == path and other.level != "other" and other != region for j in positions
            )  # other.path[:depth] == path: other.within(region), inline (a call per pair cost more than the test)
        inside = self._inside[key]
        k = bisect.bisect_left(inside, i) - 1
        if k >= 0 and inside[k] >= bisect.bisect_left(starts, lo):
            return owners[inside[k]].region
        return region
