"""The places a text names, each marked as a possible owner of its figures or not, and the region an
article is about (see the package docstring for the rules)."""
from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import compress
from operator import attrgetter, itemgetter
from typing import NamedTuple

import regex

from jiegui.analysed import AnalysedDocument, as_analysed
from jiegui.analyses.columns import EntryColumns, entry_columns
from jiegui.analyses.regions import Gazetteer, Region, load_gazetteer
from jiegui.errors import UnknownRegionError
from jiegui.lexicon import entries, word_set
from jiegui.models import Document, Token, token_starts

# A region named right after one of these words is where something comes from or goes to, or a
# comparison's base, not the owner; a modifier may stand between (接轨大上海, 对接“大上海”, 高出同期全国).
_NOT_OWNER_BEFORE = regex.compile(
    "(?:" + "|".join(map(regex.escape, entries("facts_not_owner_before.txt"))) + r")(?:同期|同类)?[大“”\"‘’]{0,2}$"
)
# Words that name the nation as a whole: their figures belong to 中国.
_NATIONAL_WORDS = word_set("facts_national_words.txt")
# Heads that make a place name the name of a structure: lines (贵南高铁) and sites in a place (合肥南站).
_LINES = entries("facts_line_heads.txt")
_LINE_HEADS = frozenset(_LINES)
_SITE = regex.compile(r"[东南西北]?站(?![点位长台稳])|口岸|机场")
_NATIONAL_IN_TITLE = regex.compile(r"我国|全国")
# Verbs after which a region is still the subject's own place (位于平湖的企业), not an object.
_LOCATING_VERBS = word_set("facts_locating_verbs.txt")
# 是浙江的3倍: a region that a multiple is taken of is the base of the comparison, not the owner.
_COMPARISON_BASE = regex.compile(r"的[近约]?[\d.一二两三四五六七八九十百]+多?倍|[近约]?[\d.]+%的")  # 在全国2.2%的国土上: a share of it

_QUOTED = regex.compile(r"“[^”\n]{1,20}”|\"[^\"\n]{1,20}\"")
_VENUE_VERB = regex.compile(r"(?:隆重|胜利|正式|顺利)?(?:召开|开幕|闭幕|举行|举办)")
_LIST_JOINERS = frozenset({"", "、", "和", "及", "与", "等", "以及"})
_TEXT = attrgetter("text")


class PlaceMention(NamedTuple):
    """A place the text names at [start, end): `owner` False when the text introduces it as a source or
    partner (来自上海的, 接轨上海), `venue` True for where a meeting is held (owner in its own clause only).
    A named tuple: a 10 MB corpus names 160 k places, and a frozen dataclass's __init__ cost 1 µs each."""

    start: int
    end: int
    region: Region
    owner: bool
    venue: bool = False


@lru_cache(maxsize=4)
def national_region(gazetteer: Gazetteer) -> Region | None:
    """中国, as the gazetteer has it (None for a gazetteer without it)."""
    try:
        return gazetteer.resolve("中国")
    except UnknownRegionError:  # a gazetteer without China has no national owner
        return None


# Words (a line each) starting with 全国, and ending in a line head.
_NATIONAL_START = regex.compile(r"^全国", regex.MULTILINE)
_LINE_END = regex.compile("(?:" + "|".join(map(regex.escape, _LINES)) + ")$", regex.MULTILINE)


def _matching(words: list[str], pattern: regex.Pattern[str]) -> set[str]:
    """The words in which `pattern` finds a match, each as a line: one regex pass over the words joined by line breaks (a
    Python test per word cost 0.3 s over the 10 MB corpus's 460 k distinct words of its texts). A line
    break inside a word stands there as a space: what the patterns test (a start, an end, a length) is the same."""
    lines = "\n".join(words)
    if lines.count("\n") != len(words) - 1:
        lines = "\n".join(word.replace("\n", " ") for word in words)
    return {words[lines.count("\n", 0, m.start())] for m in pattern.finditer(lines)}


class _Words:
    """A text's tokens for the rules that read them, without a Python step per token (a 10 MB corpus has
    two million): a rule looking for a few words (line heads, national words) tests each distinct word
    once and picks out its tokens; a rule about the word at a position finds it by bisection (a text's
    tokens are sorted and do not overlap)."""

    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        self.starts = token_starts(tokens)
        columns = self._columns = entry_columns(tokens)
        if columns is not None:
            self._from_columns(columns)
        else:
            texts = list(map(_TEXT, tokens))  # at C speed
            self.distinct = set(texts)
            self._watch()
            self._at: dict[str, list[int]] = {}
            for i in compress(range(len(texts)), map(self.watched.__contains__, texts)):
                self._at.setdefault(texts[i], []).append(i)

    def _from_columns(self, columns: EntryColumns) -> None:
        """The same from the cache entry's columns (tokens read from the cache): the word ids as stored,
        the distinct words by id, the watched words' tokens by a numpy test (2 M tokens: 0.05 s, the Token
        objects' fields 0.5 s)."""
        import numpy as np

        ids, words = columns.word, columns.words
        used = np.flatnonzero(np.bincount(ids, minlength=len(words))).tolist()
        self.distinct = {words[i] for i in used}
        self._watch()
        hits = np.flatnonzero(np.isin(ids, [i for i in used if words[i] in self.watched])).tolist()
        self._at = {}
        for i, word_id in zip(hits, ids[hits].tolist()):
            self._at.setdefault(words[word_id], []).append(i)

    def _watch(self) -> None:
        """The distinct words the rules look for (national words, line heads, names ending in one), whose
        tokens are found in one pass rather than one per rule."""
        words = list(self.distinct)
        self.national = (self.distinct & _NATIONAL_WORDS) | _matching(words, _NATIONAL_START)
        self.line_heads = self.distinct & _LINE_HEADS
        self.named_lines = {w for w in _matching(words, _LINE_END) if len(w) >= 4}
        self.watched = self.national | self.line_heads | self.named_lines

    def indices(self, chosen: set[str] | frozenset[str]) -> list[int]:
        """The indices of the tokens whose text is one of `chosen`, in order."""
        present = chosen & self.distinct
        if not present <= self.watched:  # a word no rule watches: one more pass
            return list(compress(range(len(self.tokens)), map(chosen.__contains__, map(_TEXT, self.tokens))))
        return sorted(i for word in present for i in self._at[word])

    def after_verb(self, position: int) -> bool:
        """True if a verb (not a locating one: 位于) ends at `position`."""
        i = bisect.bisect_left(self.starts, position) - 1
        if i < 0:
            return False
        token = self.tokens[i]
        return token.end == position and token.pos.startswith("v") and token.text not in _LOCATING_VERBS

    def after_verbs(self, positions: list[int]) -> list[bool]:
        """`after_verb` of each position: for tokens read from the cache, in a few numpy passes over the
        entry's columns (a text names a place every 30 tokens; a bisection and a Token each cost 1 µs)."""
        columns = self._columns
        if columns is None or not positions or not len(columns.start):
            return [self.after_verb(position) for position in positions]
        import numpy as np

        at = np.asarray(positions, dtype=np.int64)
        before = np.searchsorted(columns.start, at, side="left") - 1  # the token starting last before
        token = np.maximum(before, 0)
        verb_tags = np.array([tag.startswith("v") for tag in columns.tags], dtype=bool)
        verbs = (before >= 0) & (columns.end[token] == at) & verb_tags[columns.tag[token]]
        found: list[bool] = verbs.tolist()
        for k in np.flatnonzero(verbs).tolist():  # the few verbs: not a locating one (位于)
            found[k] = columns.words[columns.word[token[k]]] not in _LOCATING_VERBS
        return found

    def in_word(self, position: int) -> bool:
        """True if `position` lies inside a word of two or more characters that is not a place name (ns, j)."""
        i = bisect.bisect_right(self.starts, position) - 1
        if i < 0:
            return False
        token = self.tokens[i]
        return position < token.start + len(token.text) and len(token.text) > 1 and not token.pos.startswith(("ns", "j"))


def _national_words(text: str, words: _Words | None, nation: Region) -> list[tuple[int, int, Region]]:
    """(start, end, 中国) for every word naming the nation (我国, 全国, 国务院 as words of their own, and
    national bodies: 全国人大); in a title, which has no tokens, 我国 and 全国."""
    if words is None:
        return [(m.start(), m.end(), nation) for m in _NATIONAL_IN_TITLE.finditer(text)]
    # 全国人大/nt, 全国政协: a national body speaks for the nation (the targets read out at 全国人大 are 中国's).
    national = (words.tokens[i] for i in words.indices(words.national))
    return [(t.start, t.end, nation) for t in national
            if t.text in _NATIONAL_WORDS or (t.text.startswith("全国") and t.pos == "nt")]


def _structures(text: str, found: list[tuple[int, int, Region]], words: _Words | None) -> list[tuple[int, int, Region]]:
    """Named structures as owners of their own figures: a railway named by its ends (贵南高铁, 沪杭高铁,
    大秦铁路) is not the place its name starts with, nor any city it passes; a station or border crossing
    (合肥南站, 霍尔果斯口岸) lies in its place, so its path goes on from that place's."""
    lines = []
    tokens = words.tokens if words is not None else ()
    # The pairs of words whose second is a line head or whose first ends with one: the only ones that can be a line.
    firsts = sorted({i - 1 for i in words.indices(words.line_heads) if i > 0}
                    | {i for i in words.indices(words.named_lines) if i < len(tokens) - 1}
                    ) if words is not None else []
    for first, second in ((tokens[i], tokens[i + 1]) for i in firsts):
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
    return sorted(kept, key=itemgetter(0))


@lru_cache(maxsize=65536)
def _not_owner_after(before: str) -> bool:
    """Whether `before` (the six characters before a place) ends with a word that makes the place no owner
    (接轨, 来自): memoised, as a corpus's places stand after the same strings again and again."""
    return _NOT_OWNER_BEFORE.search(before) is not None


def positions_by_region(regions: Sequence[Region]) -> dict[Region, list[int]]:
    """The positions of each distinct region in `regions`, in order of first sight. A Region's hash is a
    Python call that hashes its fields (a µs); a text's places are mostly the same few gazetteer objects,
    so they are grouped by identity first and only the distinct objects are hashed."""
    by_object: dict[int, list[int]] = {}
    for j, region in enumerate(regions):
        by_object.setdefault(id(region), []).append(j)
    by_region: dict[Region, list[int]] = {}
    for positions in by_object.values():  # in order of first sight, so equal regions merge in theirs
        by_region.setdefault(regions[positions[0]], []).extend(positions)
    return by_region


def _count(regions: Sequence[Region]) -> Counter[Region]:
    """`Counter(regions)`, each distinct object hashed once (see `positions_by_region`)."""
    return Counter({region: len(positions) for region, positions in positions_by_region(regions).items()})


def default_gazetteer() -> Gazetteer:
    """The packaged gazetteer (loaded once), for calls that give none."""
    return load_gazetteer()


def find_place_mentions(text: str, gazetteer: Gazetteer, tokens: Sequence[Token] | None = None) -> list[PlaceMention]:
    """Every region named, each marked as a possible owner or not (a source, partner or object)."""
    mentions: list[PlaceMention] = []
    words = _Words(tokens) if tokens is not None else None
    found = [(m.start, m.end, m.region) for m in (gazetteer.scan(text) if tokens is None else gazetteer.scan(text, tokens=tokens))]
    found = _structures(text, found, words)
    nation = national_region(gazetteer)
    if nation is not None:
        found += _national_words(text, words, nation)
        found.sort(key=itemgetter(0))
    # “春风江南”小镇, “浙沪产业园”: a place inside a quoted name is part of that name.
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    quote_starts = [q[0] for q in quoted]
    after_verb = words.after_verbs([start for start, _, _ in found]) if words is not None else [False] * len(found)
    for (start, end, region), verb_before in zip(found, after_verb):
        before = text[max(0, start - 6):start]
        # 在京开幕, 在北京召开: a meeting's venue owns what is counted in its clause (在上海举办活动12场), not
        # what is said at the meeting, nor is it what the article is about.
        venue = before.endswith(("在", "于")) and _VENUE_VERB.match(text, end) is not None
        q = bisect.bisect_left(quote_starts, start) - 1  # quotes do not nest: only the last one opened before
        in_name = q >= 0 and end < quoted[q][1] and (quoted[q][0] + 1, quoted[q][1] - 1) != (start, end)
        # 引进上海旅游投资项目4个: a region right after a verb is part of the object, not the owner; 浙商
        # (Zhejiang's business people), 沪剧: an abbreviation inside a common word names no owner.
        owner = (not in_name and not _not_owner_after(before)
                 and not (words is not None and (verb_before or end - start == 1 and words.in_word(start)))
                 and not _COMPARISON_BASE.match(text, end))
        # 中美, 中欧班列: after 中 in a run of abbreviations, the other country is China's partner.
        if owner and mentions and mentions[-1].end == start and text[mentions[-1].start:start] == "中" and end - start == 1:
            owner = False
        # 来自上海、浙江的, 与沪杭, 供沪杭等长三角城市: a region listed right after a source or partner is one too.
        if owner and mentions and not mentions[-1].owner and text[mentions[-1].end:start] in _LIST_JOINERS:
            owner = False
        mentions.append(PlaceMention(start, end, region, owner, venue))
    return mentions


def document_region(document: AnalysedDocument | Document, gazetteer: Gazetteer | None = None) -> Region | None:
    """The region the article is about: of the regions its title names, the one the text mentions most
    as an owner (ties: the most specific); without a title region, the region the text names most often
    as an owner rather than as a partner. None if the text names no region.

    In 嘉兴接轨上海 the article is about 嘉兴, however often 上海 appears: mentions as a source or partner
    (接轨上海, 来自上海的) count against a region.
    """
    gazetteer = gazetteer or default_gazetteer()
    (document,) = as_analysed([document])
    mentions = find_place_mentions(document.text, gazetteer, document.tokens or None)
    return region_about(document.title, mentions, gazetteer)


def region_about(title: str | None, mentions: list[PlaceMention], gazetteer: Gazetteer) -> Region | None:
    """`document_region` of a text whose region `mentions` are found already; `title` in Simplified."""
    mentions = [m for m in mentions if not m.venue]
    owned = _count([m.region for m in mentions if m.owner])
    candidates = []
    if title:
        # The title is scanned with the names of the places the text names, which support a short form
        # in it (平湖：一路… in a text that names 浙江省 and 嘉兴市).
        context = "、".join(dict.fromkeys(name for m in mentions for name in m.region.path))
        title_end = len(title)
        candidates = [m.region for m in find_place_mentions(title + "\n" + context, gazetteer)
                      if m.owner and not m.venue and m.end <= title_end]
    from_title = bool(candidates)
    if from_title:
        score = owned
    else:
        candidates = list(owned)
        score = owned - _count([m.region for m in mentions if not m.owner])  # keeps positive counts only
    if not candidates:
        return None
    depth = {r: len(r.path) for r in candidates}
    ranked = sorted(dict.fromkeys(candidates), key=lambda r: (score.get(r, 0), owned.get(r, 0), depth[r]), reverse=True)
    if from_title or len(ranked) == 1 or score.get(ranked[1], 0) < score.get(ranked[0], 0):
        return ranked[0]
    # Several places named equally often (河北、山东、江苏等工业大省…): the text is about none of them, but
    # about the nation if it names it (全国, 我国), else about no region.
    nation = national_region(gazetteer)
    return nation if any(m.region == nation for m in mentions) else None
