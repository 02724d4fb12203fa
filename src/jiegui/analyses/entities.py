"""Named entities: the places, organisations and people a corpus talks about, merged and counted.

jieba's POS tags alone are noisy (年富力强 as a person, 城市 as a place, most organisations missed), so
each type combines them with a stronger signal:
- PLACE: the gazetteer (`jiegui.analyses.regions`): short forms and abbreviations (平湖, 沪) are mentions of the full
  entity (平湖市, 上海市); jieba's ns only for names shaped like places (莫斯科, 洋山港). County short forms
  need their province named (the scan is given no tokens): jieba's ns on 独山 or 路桥 is no evidence.
- ORG: a word ending in an organisation head (公司, 大学, 委员会 …) taken with its whole chain of name-like
  words before it (上海中医药大学附属曙光医院嘉兴分院) and its parts after it (人民日报国际部), plus well-known
  names without a head (东盟, 新华社), numbered congresses (十五大) and jieba's nt.
- PERSON: a surname and one or two characters, confirmed by a title (书记 …) or a speech verb (表示 …) next
  to it, by a confirmed name it is listed with (、), or by jieba's nr; transliterated names jieba cuts are
  joined (贝瑟/海姆); a name confirmed once counts everywhere in the article.
Overlaps keep the longest span: 上海交通大学 inside 上海交通大学医学院 is not a second mention.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter, deque
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import attrgetter, itemgetter, sub
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar, cast

from jiegui.analysed import AnalysedDocument, as_analysed
from jiegui.collector import collector_paused
from jiegui.errors import JieguiError
from jiegui.models import Document, Entity, EntityType, Mention, Token
from jiegui.lexicon import entries, word_set
from jiegui.text.sentences import sentence_context

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    from jiegui.analyses.regions import Gazetteer, Region, TokenBounds


# Organisation heads: the last word of an organisation's name. Longest first matters only for readability;
# a token qualifies when its text ends with one of these.
ORG_HEADS = entries("org_heads.txt")
# One-character heads (局, 厅, 委 …) make short common words (格局, 大厅): they count only in a word of at
# least three characters (统计局, 发改委) or in a word jieba tags nt.
ORG_CHAR_HEADS = word_set("org_char_heads.txt")
# Words ending in a head character or word that are not organisations (社会, 格局, 互联网, 高校).
NEVER_HEADS = entries("never_heads.txt")
# Organisations known by name (东盟, 新华社, 国家发改委, 华为): data/known_orgs.txt.
KNOWN_ORGS = word_set("known_orgs.txt")
_GOVERNMENT_BODIES = entries("government_bodies.txt")
# Verbs that put an organisation after a place without naming it: 上海成立研究院 is not 上海成立研究院.
_EVENT_VERBS = word_set("event_verbs.txt")
# A minister's or director's title made of the body's name: 国防部长 is the head of 国防部.
_MINISTER_TITLES = ("部长", "局长", "厅长")
_KIND_NOUNS = word_set("kind_nouns.txt")
# Numbered national party congresses: 十五大, 十九大 (not 十大 "the ten biggest").
_CONGRESS = re.compile("(?:十[一二三四五六七八九]|[二三]十[一二三四五六七八九]?)大")
# The end of a dateline glued to the name after it by jieba (７月２７日电/中国国务院, 日讯新华社).
_DATELINE_ENDS = ("日电", "日讯", "电讯")
# Heads that also name a role or a kind of place (国际航运中心, 产业基地): the word before them must not
# be one of these descriptive nouns.
BROAD_HEADS = ("中心", "基地", "总部", "园区", "产业园", "开发区", "网")
ROLE_MODIFIERS = word_set("role_modifiers.txt")
# The chain continues past a head only to a part of that organisation: 附属曙光医院, 嘉兴分院, 驻上海联络处.
SUBUNIT_HEADS = entries("subunit_heads.txt")
# Part of speech of the words an organisation's name is made of.
ORG_MODIFIER_POS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt", "n", "j", "vn", "eng", "b", "an", "nl", "ng", "s", "l"})
# The name must hold a proper word: 嘉兴学院 is an organisation, 外资银行 a kind of one.
PROPER_POS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt", "j", "eng"})
ORG_LINKS = frozenset({"附属", "驻"})
# Leading words that describe rather than name: trimmed off the front of a chain.
ORG_LEAD_TRIM_POS = frozenset({"vn", "an", "b", "l", "s", "ng"})
GENERIC_LEADS = word_set("generic_leads.txt")
ORG_MAX_CHARS = 30
GOVERNMENT_UNITS = frozenset("部委局处署厅")
GENERIC_INSIDE = word_set("generic_inside.txt")
GENERIC_INSTITUTIONS = word_set("generic_institutions.txt")
_GENERIC_INSTITUTION_ENDINGS = tuple(GENERIC_INSTITUTIONS)
# Words jieba tags nt that name a kind of body, not one: 人民法院 (which?), 党组织, 财务部, 交易会.
_GENERIC_NT = GENERIC_INSTITUTIONS | word_set("generic_nt.txt")

TITLES = entries("titles.txt")
SPEECH_VERBS = entries("speech_verbs.txt")
# Common surnames (the most frequent 300 or so), and the compound ones.
SURNAMES = word_set("surnames.txt")
# The hundred most common: a two-character word jieba tags nr with one of these in front is a name (李鹏).
COMMON_SURNAMES = word_set("common_surnames.txt") - frozenset("高文康时向")
COMPOUND_SURNAMES = word_set("compound_surnames.txt")
_COMPOUND_FIRSTS = frozenset(s[0] for s in COMPOUND_SURNAMES)
# Words jieba tags nr that are ordinary words in news prose (a surname character followed by a word).
# Rejected by shape instead where possible; see `_is_person_candidate`.
_NAME_BREAKERS = word_set("name_breakers.txt")
# Place-shaped endings for jieba ns words the gazetteer does not know (莫斯科 needs none: three characters).
PLACE_SUFFIXES = entries("place_suffixes.txt")
_NOT_PLACE_STARTS = word_set("not_place_starts.txt")
_NOT_PLACES = word_set("not_places.txt")
# A jieba ns word made of a place and one of these is the place and an event or a generic noun: 香港回归, 非洲大陆.
_NOT_PLACE_TAILS = ("回归", "大陆", "人民", "政府", "方面", "问题")


class _Span(NamedTuple):
    """An entity found in a text: `text[start:end]`, its type and canonical name. A named tuple: the 10 MB bench
    corpus makes 200,000 of them, and a frozen dataclass's `__init__` (a Python call setting each field, 2.3 times
    slower than making a tuple) was a twentieth of the extraction's time."""

    start: int
    end: int
    type: EntityType
    name: str
    region: Region | None = None  # for places from the gazetteer


def _gazetteer() -> Gazetteer:
    from jiegui.analyses.regions import load_gazetteer

    return load_gazetteer()


@dataclass(frozen=True, slots=True)
class _Words:
    """A text's tokens as columns (texts, tags, starts, ends), read once for every rule.

    A rule applies to few of a text's words (those ending in an organisation head, starting with a surname …):
    `where` finds them, so the rules' Python loops visit only those words. Each distinct word (and tag) is
    tested once for everything the rules ask of it, the answers kept as bits (`_word_bits`, `_tag_bits`); a
    text's words are then one C-speed pass of lookups into a numpy array, and each rule's words one mask of
    it. (Over two million tokens, loops that tested every token were most of the command's time; then a
    pass over the words per rule, seven of them, was a seventh.) The rules index the columns, not Token
    objects: tokens read from the cache are read from their entry's columns, and making two million Token
    objects cost a ninth of `jiegui entities` on the 10 MB bench corpus.
    """

    tokens: Sequence[Token]  # as given: for `Gazetteer.scan`
    texts: Sequence[str]
    tags: Sequence[str]
    starts: Sequence[int]
    ends: Sequence[int]
    word_bits: NDArray[np.int64]
    tag_bits: NDArray[np.int64]
    bounds: TokenBounds  # the starts and ends again, as sets too: for `Gazetteer.scan` and `_propagate`
    table: list[str] | None = None  # for tokens read from the cache: the entry's words
    word_ids: NDArray[np.uint32] | None = None  # and each token's word in it
    by_start: dict[int, int] | None = None  # for tokens out of text order only (see `token_at`)

    @classmethod
    def of(cls, tokens: Sequence[Token]) -> _Words:
        """Tokens read from the cache are read from their entry's columns (see `entry_columns`): the bits of
        each word of the entry's table, then indexed by the tokens' word ids; any other tokens one by one."""
        import numpy as np

        from jiegui.analyses.columns import entry_columns, table_values
        from jiegui.analyses.regions import TokenBounds

        columns = entry_columns(tokens)
        if columns is not None:
            bounds = TokenBounds.of_columns(columns.start, columns.end)
            texts: Sequence[str] = _column_strings(columns.words, columns.word)
            tags: Sequence[str] = _column_strings(columns.tags, columns.tag)
            word_bits = table_values(columns.words, _word_bits_of, np.int64)[columns.word]
            tag_bits = table_values(columns.tags, _tag_bits_of, np.int64)[columns.tag]
            table, ids = columns.words, columns.word
        else:
            n = len(tokens)
            texts, tags, starts, ends = zip(*tokens) if n else ((), (), (), ())  # the columns of the named tuples, in C
            bounds = TokenBounds.of_columns(np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64))
            word_bits = np.fromiter(map(_WORD_BITS.__getitem__, texts), dtype=np.int64, count=n)
            tag_bits = np.fromiter(map(_TAG_BITS.__getitem__, tags), dtype=np.int64, count=n)
            table, ids = None, None
        return cls(tokens, texts, tags, bounds.starts, bounds.ends, word_bits, tag_bits, bounds, table, ids,
                   None if bounds.ordered else dict(zip(bounds.starts, range(len(texts)))))

    def token_at(self, position: int) -> int | None:
        """The index of the token that starts at `position` (of several, the last), or None. Tokens in text order
        are found by bisection: a dict of every start (two million on the 10 MB bench corpus) cost more than the
        look-ups."""
        if self.by_start is not None:
            return self.by_start.get(position)
        starts = self.starts
        j = bisect.bisect_left(starts, position)
        return j if j < len(starts) and starts[j] == position else None

    def word_around(self, position: int) -> int | None:
        """The index of the token starting nearest before `position` (or at it), if no more than 8 characters
        before: the word that may hold a one-character place there."""
        by_start = self.by_start
        if by_start is not None:
            p = position
            while p > 0 and p not in by_start and position - p < 8:
                p -= 1
            return by_start.get(p)
        j = bisect.bisect_right(self.starts, position) - 1
        return j if j >= 0 and position - self.starts[j] <= 8 else None

    def where(self, bits: int, tag_bits: int = 0) -> list[int]:
        """Indices of the tokens whose word has one of `bits` or whose tag one of `tag_bits`, in order."""
        import numpy as np

        mask = self.word_bits & bits
        if tag_bits:
            mask |= self.tag_bits & tag_bits
        return cast("list[int]", np.flatnonzero(mask).tolist())

    def where_name_starts(self) -> list[int]:
        """Indices of the tokens a person's name may start with (see `_person_spans`), in order: a word starting
        with a surname or tagged nr, not a function word's tag, that a title before it or jieba's nr may
        confirm, or that starts a name of two words (one character) or a doctrine's (毛泽东思想). A word of two
        or three characters with none of these makes a candidate that nothing confirms: over two million
        tokens, 100,000 such candidates were most of the rule's time."""
        import numpy as np

        bits, tags = self.word_bits, self.tag_bits
        titled = np.zeros(len(bits), dtype=bool)
        titled[1:] = (bits[:-1] & _W_TITLE_END) != 0
        starts = ((bits & _W_SURNAME) | (tags & _T_PERSON)) != 0
        starts &= (tags & _T_FUNCTION) == 0  # no candidate starts with 的, 在, 一 …
        starts &= ((tags & _T_PERSON) | (bits & (_W_ONE_CHAR | _W_DOCTRINE)) != 0) | titled
        return cast("list[int]", np.flatnonzero(starts).tolist())

    def where_tag(self, tag_bits: int) -> list[int]:
        """Indices of the tokens whose tag has one of `tag_bits`, in order."""
        return self.where(0, tag_bits)

    def where_word(self, test: Callable[[str], bool], tag_bits: int) -> list[int]:
        """Indices of the tokens whose tag has one of `tag_bits` and whose text passes `test` (a test that is
        no bit: the gazetteer's), in order. Tokens read from the cache: each word of the entry's table tested
        once, as for the bits (the tags asked for, nouns among them, are a third of a text's words)."""
        import numpy as np

        from jiegui.analyses.columns import table_values

        if self.table is not None and self.word_ids is not None:
            passes = table_values(self.table, test, np.bool_)[self.word_ids]
            return cast("list[int]", np.flatnonzero(passes & ((self.tag_bits & tag_bits) != 0)).tolist())
        indices = self.where_tag(tag_bits)
        return list(compress(indices, map(test, map(self.texts.__getitem__, indices))))

    def flags(self, bits: int, tag_bits: int = 0) -> NDArray[np.bool_]:
        """Per token, whether its word has one of `bits` (and, given `tag_bits`, its tag one of them too)."""
        mask = (self.word_bits & bits) != 0
        if tag_bits:
            mask &= (self.tag_bits & tag_bits) != 0
        return cast("NDArray[np.bool_]", mask)

    def tag_flags(self, tag_bits: int) -> NDArray[np.bool_]:
        """Per token, whether its tag has one of `tag_bits`."""
        return cast("NDArray[np.bool_]", (self.tag_bits & tag_bits) != 0)


def _column_strings(table: list[str], ids: NDArray[np.unsignedinteger[Any]]) -> list[str]:
    """`table[id]` for each of `ids`, as a list: the table as an array of objects indexed at C speed (a third of
    the time of a Python lookup per id)."""
    import numpy as np

    strings = np.empty(len(table), dtype=object)
    strings[:] = table
    return cast("list[str]", strings[ids].tolist())


# What the rules ask of a word, one bit each (see `_word_bits`), and of a tag.
_W_ORG_HEAD = 1  # ends with an organisation's head (`_org_head_kind`) or is shaped like a minister's title (国防部长)
_W_LEVEL = 2  # a level word or a level's body (市, 市委): `_level_body_spans`
_W_TRADE = 4  # a company's trade (科技): `_company_spans`
_W_KNOWN_ORG = 8  # may start a known organisation's name, or end an army (日军) or a congress (十五大)
_W_SURNAME = 16  # starts with a surname
_W_DOT = 32  # a middle dot
_W_TRANSLITERATED = 64  # only characters of transliterated names
_W_STRUCTURE = 128  # may end the name of a structure or a feature (站, 河): `_may_end_structure`
_W_ONE_CHAR = 256  # one character
_W_DOCTRINE = 512  # ends with a doctrine (邓小平理论)
_W_TITLE_END = 1024  # ends with a title (书记): a name may follow
_T_PERSON = 1  # nr, nrfg
_T_PLACE = 2  # ns
_T_FOREIGN_NAME = 4  # nr, nrt, nrfg
_T_NOT_X = 8  # not punctuation
_T_ABBREVIATIONS = 16  # the tags of a word made of places' abbreviations (港台/n, 陕甘/j, 美中/ns, 杭甬/nr)
_T_FUNCTION = 32  # a function word's (的/uj, 在/p, 一/m): no name starts with one


def _word_bits(word: str) -> int:
    return (
        _W_ORG_HEAD * (_org_head_kind(word) is not None or _is_minister_title(word))
        | _W_LEVEL * (word in _LEVEL_TRIGGERS)
        | _W_TRADE * (word in _COMPANY_TRADES)
        | _W_KNOWN_ORG * (word in _KNOWN_ORG_PREFIXES or word[-1] in "军大")
        | _W_SURNAME * _starts_with_surname(word)
        | _W_DOT * (word in _DOTS)
        | _W_TRANSLITERATED * TRANSLITERATION.issuperset(word)
        | _W_STRUCTURE * _may_end_structure(word)
        | _W_ONE_CHAR * (len(word) == 1)
        | _W_DOCTRINE * word.endswith(_DOCTRINES)
        | _W_TITLE_END * _ends_with_title(word)
    )


def _tag_bits(tag: str) -> int:
    return (
        _T_PERSON * (tag in _PERSON_TAGS) | _T_PLACE * (tag == "ns")
        | _T_FOREIGN_NAME * (tag in _FOREIGN_NAME_TAGS) | _T_NOT_X * (tag != "x") | _T_ABBREVIATIONS * (tag in ("ns", "j", "n", "nr"))
        | _T_FUNCTION * (tag in _FUNCTION_POS)
    )


V = TypeVar("V")


class _WordMemo(dict[str, V]):
    """A function of a word, memoised: a corpus repeats its words, so each distinct one is read once and
    `self[word]` (a dict lookup, at C speed inside `map`) answers the rest. What it saves is most a test
    against a long list of affixes (`word.endswith(TITLES)`: 139 of them, some microseconds a call).
    Cleared when it holds 2^18 words, so a huge corpus's vocabulary cannot grow it without end."""

    __slots__ = ("_function",)

    def __init__(self, function: Callable[[str], V]) -> None:
        super().__init__()
        self._function = function

    def __missing__(self, word: str) -> V:
        if len(self) >= 1 << 18:
            self.clear()
        value = self[word] = self._function(word)
        return value


def _memoised(function: Callable[[str], V]) -> Callable[[str], V]:
    """`function` memoised by its word (see `_WordMemo`)."""
    return _WordMemo(function).__getitem__


# Each distinct word's and tag's bits, computed on first sight (the tests read constants defined below).
_WORD_BITS: _WordMemo[int] = _WordMemo(_word_bits)
_TAG_BITS: _WordMemo[int] = _WordMemo(_tag_bits)
_word_bits_of, _tag_bits_of = _WORD_BITS.__getitem__, _TAG_BITS.__getitem__  # one object each: `table_values` keys on it



_HEAD_LAST_CHARS = frozenset(h[-1] for h in ORG_HEADS) | ORG_CHAR_HEADS
_ALL_HEADS = ORG_HEADS + tuple(ORG_CHAR_HEADS)


def _is_org_head(text: str, pos: str) -> bool:
    """Whether the word `text` tagged `pos` is an organisation's head."""
    kind = _org_head_kind(text)
    if kind is None:
        return False
    if kind == "congress":
        return True  # 全国人民代表大会, 第十五次全国代表大会: a body, though 大会 alone is a meeting
    if pos.startswith("v"):
        return False  # 组织/v in 嘉兴市组织专家: a verb, not 组织 the body
    return kind == "head" or (len(text) >= 3 or pos == "nt")  # a one-character head: 统计局, 局/nt


@_memoised
def _org_head_kind(text: str) -> str | None:
    """What ends the word, whatever its tag: "congress" (代表大会), an organisation "head" (公司, 大学), a
    one-"char" head (局, 委), or None (most words; and 社会, 格局: never heads)."""
    if text[-1] not in _HEAD_LAST_CHARS:
        return None  # most words: one set lookup
    if text.endswith("代表大会"):
        return "congress"
    if text.endswith(NEVER_HEADS):
        return None
    if text.endswith(ORG_HEADS):
        return "head"
    return "char" if text[-1] in ORG_CHAR_HEADS else None


def _is_minister_title(word: str) -> bool:
    """国防部长, not 部长 nor 副部长."""
    return word[-1] == "长" and len(word) >= 4 and word.endswith(_MINISTER_TITLES) and not word.startswith("副")


def _org_spans(place_regions: dict[tuple[int, int], Region | None], words: _Words) -> list[_Span]:
    """Organisation names: a head word and the contiguous name-like words before it, continued to the
    organisation's parts (上海中医药大学 附属 曙光医院 嘉兴 分院).

    A name needs a proper word (a place, a name, jieba's nz/j) before its head, or is one word jieba tags
    nt: 外资银行 and 国际航运中心 are kinds of things, not organisations.
    """
    spans = []
    texts, tags, starts, ends = words.texts, words.tags, words.starts, words.ends
    place_starts = {start for start, _ in place_regions}
    n = len(texts)
    resume = 0  # a name's parts after its head are no heads of their own
    for k in words.where(_W_ORG_HEAD):
        if k < resume:
            continue
        head, head_pos, head_end = texts[k], tags[k], ends[k]
        minister = head_pos == "n" and _is_minister_title(head)
        if not (minister or _is_org_head(head, head_pos)):
            continue
        first = _chain_start(words, k)
        if minister:
            if first == k or _names_an_org(words, first, k, place_starts):
                start = starts[first]
                spans.append(_Span(start, head_end - 1, EntityType.ORG, _text_of(texts, first, k)[: head_end - 1 - start]))
            continue  # 国防部长: the minister of 国防部
        if first > 0 and texts[first - 1] == "驻" or not _names_an_org(words, first, k, place_starts):
            # 市政府驻上海联络处: the office of a body named before it, not 上海联络处
            continue
        # 浙江杭州梅苑旅行社, 江苏省苏州宝碟电子有限公司: the places above the one in the name are its address.
        while first + 1 < k and _is_address(place_regions.get((starts[first], ends[first])),
                                            place_regions.get((starts[first + 1], ends[first + 1]))):
            first += 1
        last = k
        probe = k + 1
        linked = False
        while probe < n and starts[probe] == ends[probe - 1]:
            word, pos = texts[probe], tags[probe]
            if word in ORG_LINKS:
                linked = True
            elif _is_org_head(word, pos) or word in ("党组", "党委", "党支部"):
                if not (linked or word.endswith(SUBUNIT_HEADS) or _is_department(word, pos, probe == last + 1)):
                    # Its other parts (人民党议会党团, 人民法院刑事审判二庭), but not a second body: 中共中央国务院,
                    # 中共嘉兴市委嘉兴市人民政府, 省委省政府.
                    between = range(last + 1, probe)
                    if (
                        word in KNOWN_ORGS or word.endswith(_GOVERNMENT_BODIES)
                        or any(tags[b] == "ns" or starts[b] in place_starts for b in between)
                        or texts[last].endswith(_GOVERNMENT_BODIES)
                    ):
                        break
                last, linked = probe, False
            elif pos not in ORG_MODIFIER_POS:
                break
            probe += 1
        start, end = starts[first], ends[last]
        if tags[last] == "nt" and _ends_with_title(texts[last]):
            word = texts[last]
            title = next((t for t in TITLES if word.endswith(t) and len(t) < len(word)), None)
            if title is not None and word[: -len(title)].endswith(_ALL_HEADS):
                end -= len(title)  # 中央政治局常委/nt: the body, without its members
        if end - start <= ORG_MAX_CHARS:
            spans.append(_Span(start, end, EntityType.ORG, _text_of(texts, first, last)[: end - start]))
        resume = last + 1
    return spans


# A place followed by one of these is its party committee or government, even where jieba cuts the
# word elsewhere (海宁/市委书记): 海宁市委, 浙江省政府.
_LOCAL_BODIES = entries("local_bodies.txt")
_local_body_opening = _memoised(lambda after: next((b for b in _LOCAL_BODIES if after.startswith(b)), None))
# The characters a local body may open with (委 for 市委 cut after 市): a place followed by none of them (most)
# is passed over on one look-up, no slice of four characters hashed.
_LOCAL_BODY_FIRSTS = frozenset(b[0] for b in _LOCAL_BODIES) | {"委"}


def _local_government_spans(text: str, places: Sequence[_Span]) -> list[_Span]:
    spans = []
    firsts = _LOCAL_BODY_FIRSTS
    for place in places:
        if place.region is None or place.end - place.start < 2 or text[place.end:place.end + 1] not in firsts:
            continue
        after = text[place.end:place.end + 4]
        body = _local_body_opening(after)
        if body is None:
            # 海宁市委: the place ends in 市 and 委 follows.
            if text[place.end - 1:place.end] in "市县区省镇" and after[:1] == "委" and after[1:2] != "员":
                body = "委"
            else:
                continue
        start = place.start
        if text[max(0, start - 2):start] == "中共":
            start -= 2  # 中共嘉兴市委
        spans.append(_Span(start, place.end + len(body), EntityType.ORG, text[start:place.end + len(body)]))
    return spans


# A body of the place the text is about, named by its level alone (ANNOTATION.md: 市发改局 as written): 市委,
# 市政府, 自治区住房和城乡建设厅, 市市场监管局执法总队.
_LEVEL_WORDS = ("自治区", "自治州", "省", "市", "县", "区", "州")
_LEVEL_BODIES = frozenset(level + body for level in _LEVEL_WORDS for body in ("委", "政府", "人大", "政协", "纪委", "人民政府"))
_LEVEL_TRIGGERS = frozenset(_LEVEL_WORDS) | _LEVEL_BODIES
_BODY_ENDINGS = entries("body_endings.txt")
_BODY_NAME_POS = frozenset({"n", "vn", "an", "a", "zg", "j", "nt", "l", "ng"})


def _level_body_spans(text: str, words: _Words) -> list[_Span]:
    """Bodies named by their level (市委, 自治区卫生健康委) where no place name stands before the level word."""
    spans = []
    texts, tags, starts, ends = words.texts, words.tags, words.starts, words.ends
    n = len(texts)
    for i in words.where(_W_LEVEL):
        t_start = starts[i]
        if i > 0 and ends[i - 1] == t_start and tags[i - 1] not in ("x", "c", "p", "uj", "v", "d"):
            continue  # 上海/市 …, 全/市: the level of a named place, or a description
        j = i
        if texts[i] in _LEVEL_WORDS:
            j = i + 1  # 自治区 住房 和 城乡 建设厅: the body's name runs to its head
            while j < n and j - i <= 6 and starts[j] == ends[j - 1] and not (
                texts[j].endswith(_BODY_ENDINGS) and texts[j] not in NEVER_HEADS
            ):
                if not (tags[j] in _BODY_NAME_POS or texts[j] == "和"):
                    break
                j += 1
            if j >= n or (j == i + 1 and len(texts[j]) == 1) or starts[j] != ends[j - 1] or not (
                texts[j].endswith(_BODY_ENDINGS) and texts[j] not in NEVER_HEADS
            ):
                continue
        # its parts after it: 市药监局 稽查局, 市市场监管局 执法 总队, 省政府 办公厅
        k = j + 1
        while k < n and k - j <= 2 and starts[k] == ends[k - 1] and tags[k] in _BODY_NAME_POS | {"v"}:
            if texts[k].endswith(_BODY_ENDINGS) and texts[k] not in NEVER_HEADS:
                j = k
            k += 1
        spans.append(_Span(t_start, ends[j], EntityType.ORG, text[t_start:ends[j]]))
    return spans


# The trade a company is named by after its brand, where the text gives no 公司: 闻泰通讯, 安天科技.
_COMPANY_TRADES = word_set("company_trades.txt")
_COMPANY_BRAND_POS = frozenset({"nr", "nrfg", "nz", "nrt"})


def _company_spans(words: _Words) -> list[_Span]:
    """Companies named by a brand jieba reads as a name and their trade, standing alone as the text's actor
    (闻泰通讯和德景电子签约; 安天科技、海邻科): followed by a list mark, a conjunction, a verb or the end, not by
    more nouns (王涛科技创新 is no company). A conjunction jieba glued to the brand is cut off (和德景/nr 电子)."""
    spans = []
    texts, tags, starts, ends = words.texts, words.tags, words.starts, words.ends
    n = len(texts)
    for k in words.where(_W_TRADE):
        if k == 0:
            continue
        brand = texts[k - 1]
        if tags[k - 1] not in _COMPANY_BRAND_POS or ends[k - 1] != starts[k]:
            continue
        if k + 1 < n and starts[k + 1] == ends[k] and tags[k + 1] not in ("x", "c", "v", "u", "uj", "p", "d") and texts[k + 1][0] not in "和与及":
            continue
        brand_start = starts[k - 1]
        start = brand_start + 1 if len(brand) == 3 and brand[0] in "和与及" else brand_start
        if ends[k] - start >= 4:
            spans.append(_Span(start, ends[k], EntityType.ORG, (brand + texts[k])[start - brand_start:]))
    return spans


def _text_of(texts: Sequence[str], first: int, last: int) -> str:
    return "".join(texts[first:last + 1])


def _is_address(outer: Region | None, inner: Region | None) -> bool:
    """True if a province is followed by a city or county inside it (浙江 杭州): the province is where the
    organisation is, the city names it."""
    return (
        outer is not None and inner is not None and outer.level == "province"
        and inner.level in ("city", "county") and inner.within(outer)
    )


def _is_department(word: str, pos: str, adjacent_to_head: bool) -> bool:
    """A unit named right after its organisation: 人民日报国际部, 铁道部综治办, 总公司党组; not a second
    organisation standing beside the first (中共中央国务院)."""
    return (
        adjacent_to_head and word not in KNOWN_ORGS
        and (word in ("党组", "党委", "党支部", "编辑部", "书记处") or (pos in ("n", "nt", "j") and len(word) <= 4 and word[-1] in "部办处室科组"))
    )


def _known_org_spans(words: _Words) -> list[_Span]:
    """Organisations known by name (东盟, 新华社, 人民日报), also where jieba cuts them into several words
    (工业/和/信息化/部, 国家/发展/改革/委) but only along its word boundaries (not 华为 in 中华/为); an army
    named by its country at the end of a word (侵华日军); numbered party congresses (十五大)."""
    spans = []
    texts, tags, starts, ends = words.texts, words.tags, words.starts, words.ends
    n = len(texts)
    prefixes = _KNOWN_ORG_PREFIXES
    for i in words.where(_W_KNOWN_ORG):
        text = texts[i]
        if text in prefixes:
            last, name = None, text
            j = i
            while True:
                if name in KNOWN_ORGS:
                    last = j
                j += 1
                if j >= n or starts[j] != ends[j - 1] or len(name) + len(texts[j]) > _KNOWN_ORG_MAX:
                    break
                name += texts[j]
                if name not in prefixes:
                    break
            if last is not None:
                # a ministry's department (司) named after it: 人社部政策研究司, 国家统计局城市司
                for d in range(last + 2, min(last + 5, n)):
                    if any(starts[x] != ends[x - 1] or tags[x] not in ("n", "vn", "v", "ns", "an", "nr") for x in range(last + 1, d + 1)):
                        break
                    if texts[d] == "司":
                        last = d
                        break
                spans.append(_Span(starts[i], ends[last], EntityType.ORG, "".join(texts[i:last + 1])))
        elif len(text) >= 3 and text[-1] == "军" and text[-2:] in KNOWN_ORGS:
            spans.append(_Span(ends[i] - 2, ends[i], EntityType.ORG, text[-2:]))
        elif text[-1] == "大" and tags[i] in ("j", "m", "n") and _CONGRESS.fullmatch(text):
            spans.append(_Span(starts[i], ends[i], EntityType.ORG, text))
    return spans


_KNOWN_ORG_PREFIXES = frozenset(name[:k] for name in KNOWN_ORGS for k in range(1, len(name) + 1))
_KNOWN_ORG_MAX = max(map(len, KNOWN_ORGS))


def _chain_start(words: _Words, k: int) -> int:
    """Index of the first word of the name whose head is word k."""
    texts, tags, starts, ends = words.texts, words.tags, words.starts, words.ends
    head = texts[k]
    first = k
    # A known name (国务院, 新华社) takes only proper words before it (中国国务院), not the nouns of the
    # headline it follows (立场新华社).
    whole = head in KNOWN_ORGS
    while first > 0:
        prev, prev_pos = texts[first - 1], tags[first - 1]
        if ends[first - 1] != starts[first] or prev.endswith(_DATELINE_ENDS) or prev == "电":
            break
        if prev in (")", "）"):
            # 喜力酿酒（浙江）有限公司, 中国(上海)自由贸易试验区: a bracketed place inside the name
            opening = _bracketed_places_start(words, first - 1)
            if opening is None or opening == 0 or tags[opening - 1] not in ORG_MODIFIER_POS:
                break
            first = opening - 1
            continue
        if _is_org_head(prev, prev_pos):
            if tags[first] == "m" and texts[first].startswith("第") and head.endswith(("全国代表大会", "人民代表大会")):
                first -= 1  # 中国共产党第十五次全国代表大会: the party's national congress, a body of its own
                continue
            break
        if whole and (head.endswith("社") or not (prev_pos in PROPER_POS or prev_pos == "ns")):
            break  # 新华社 takes no place either: 华盛顿新华社北京３月２日电 is a dateline
        if prev_pos in ORG_MODIFIER_POS or prev in ORG_LINKS or (prev_pos == "m" and prev.startswith("第")):
            first -= 1
        elif (
            first == k and prev_pos == "v" and len(prev) == 2 and len(texts[first]) >= 2 and first >= 2
            and tags[first - 2] == "ns" and ends[first - 2] == starts[first - 1]
            and prev not in _EVENT_VERBS and prev not in GENERIC_LEADS and not texts[first].endswith(BROAD_HEADS)
        ):
            first -= 1  # 香港特区 终审/v 法院, 澳大利亚 收藏/v 协会: jieba tags the name's noun a verb
        elif prev in ("和", "与") and first >= 2 and tags[first] == "vn" and tags[first - 2] == "vn":
            first -= 1  # 发展和改革委员会: 和 inside a name joins two of its nouns
        else:
            break
    # 物流设施开发商美国普洛斯公司: common nouns before a place describe the organisation, they are not its name.
    # 南湖区充分利用/n 嘉兴科技城: so do a place and common nouns before it (jieba tags some verbs nouns).
    for i in range(first + 1, k):
        lead = range(first + 1, i) if tags[first] == "ns" else range(first, i)
        if (tags[i] == "ns" or texts[i] in KNOWN_ORGS) and lead and all(tags[x] in ("n", "vn") for x in lead):
            first = i
            break
    # 电子企业长虹公司: a kind of organisation named before the name.
    for i in range(k - 1, first - 1, -1):
        if texts[i] in _KIND_NOUNS and any(tags[x] in PROPER_POS for x in range(i + 1, k + 1)):
            first = i + 1
            break
    # Trim descriptive words off the front (大型 …, 全市 …, 第四次 …) and the connectives they leave; an ordinal
    # stays only before a congress (第十五次全国代表大会).
    congress = head.endswith(("全国代表大会", "人民代表大会", "党代会"))
    while first < k and (
        tags[first] in ORG_LEAD_TRIM_POS or texts[first] in GENERIC_LEADS or texts[first] in ("和", "与", "附属", "驻")
        or (tags[first] == "m" and texts[first].startswith("第") and not congress)
    ):
        first += 1
    return first


def _bracketed_places_start(words: _Words, close: int) -> int | None:
    """Index of the opening bracket of word `close` when the brackets hold only places (浙江, 浙江·嘉兴)."""
    texts, tags, starts, ends = words.texts, words.tags, words.starts, words.ends
    i = close - 1
    while i >= 0 and (tags[i] == "ns" or texts[i] in ("·", "、")) and ends[i] == starts[i + 1]:
        i -= 1
    if i >= 0 and i < close - 1 and texts[i] in ("(", "（") and ends[i] == starts[i + 1]:
        return i
    return None


def _names_an_org(words: _Words, first: int, k: int, place_starts: set[int]) -> bool:
    texts, tags, starts = words.texts, words.tags, words.starts
    head, head_pos = texts[k], tags[k]
    if head.endswith(("全国代表大会", "人民代表大会")) and (first < k or head_pos == "nt"):
        return True  # 第十五次全国代表大会, 全国人民代表大会
    if first == k:
        if head_pos in ("nz", "j") and len(head) >= 4 and head.endswith(ORG_HEADS):
            return True  # 人民日报/nz: a name jieba knows as one word
        if head_pos == "nt" and k > 0 and texts[k - 1] in _KIND_NOUNS:
            return True  # 电子企业长虹公司: a name in apposition to its kind
        if len(head) >= 3 and head_pos == "n" and head[-1] in GOVERNMENT_UNITS and not head.endswith(BROAD_HEADS):
            return True  # 公安部, 书记处: a government unit named in one word
        # jieba's nt, but not 外资银行 (a kind of bank)
        return (
            head_pos == "nt" and len(head) >= 3
            and not head.endswith(BROAD_HEADS) and not head.endswith(_GENERIC_INSTITUTION_ENDINGS) and head not in _GENERIC_NT
        )
    broad = next((b for b in BROAD_HEADS if head.endswith(b)), None)
    if broad is not None:
        before = head[: -len(broad)] or texts[k - 1]
        if before in ROLE_MODIFIERS or before[-2:] in ROLE_MODIFIERS:
            # 上海国际航运中心 is a role; 上海富甲经济开发区 a name: a proper word other than a place says so.
            named = range(first, k - 1) if head == broad else range(first, k)
            if not any(tags[x] in PROPER_POS and tags[x] != "ns" and starts[x] not in place_starts for x in named):
                return False
    chain = range(first, k + 1)
    if any(texts[x] in GENERIC_INSIDE for x in chain):
        return False  # 长三角地区政府, 江苏三地政府: the governments of a region, not one body
    if len(chain) == 2 and starts[first] in place_starts and (head == broad or head in GENERIC_INSTITUTIONS):
        return False  # 平湖市中心, 上海学校: a place's centre or its schools
    return any(
        starts[x] in place_starts or tags[x] in PROPER_POS and texts[x] not in _NOT_PLACES
        and (tags[x] != "nt" or _is_org_head(texts[x], tags[x]) and texts[x] not in _GENERIC_NT)  # not 乡级人民政府, 高校基层党组织
        for x in chain
    )


# Surnames so rare that the character almost always starts an ordinary word instead (但, 和, 来 …).
_RARE_SURNAMES = word_set("rare_surnames.txt")
# Characters that end common nouns and rarely a given name: 幸福感, 许可证, 杨浦区, 龙井茶, 牛鼻子.
_NOT_NAME_ENDINGS = word_set("not_name_endings.txt")


_DOCTRINES = ("理论", "思想", "主义")
# A name that opens a doctrine's long name (习近平新时代中国特色社会主义思想) is part of that name, no mention of
# the person (news-dev's ANNOTATION.md: nested names count only where they stand alone).
_DOCTRINE_STARTS = ("新时代中国特色社会主义思想",)
# Words after a name-shaped word that make it a place's name: 毛乌素沙地, 贾洼村, 吴忠太阳山.
_PLACE_WORDS_AFTER = word_set("place_words_after.txt")
# Tags of a one-word candidate that a title before it confirms (国务委员罗干/ns); not nouns (主管单位, 院士国家).
_TITLED_WORD_POS = frozenset({"nr", "nrfg", "nrt", "ns", "nz", "j", "ng", "g", "z", "zg"})
# Tags of words that are never part of a name.
_FUNCTION_POS = frozenset({"x", "m", "uj", "ul", "uz", "ud", "ug", "uv", "p", "c", "u", "r", "d", "f", "q", "y", "e", "o", "k", "zg"})
# Title-like words that precede ordinary nouns as often as names (代表 团, 委员 会).
_NOT_TITLES_BEFORE = frozenset({"代表", "委员"})
_SPACES = " \u3000\t"
# Second characters that make a country's or a side's role word of a surname-shaped pair: 马方, 韩方, 美军, 英语.
_ROLE_CHARS = frozenset("方军语籍企侧")
# Honorifics that follow a name (王女士, 小平同志), never precede one: 王女士慕名来到 is not 慕名.
_AFTER_NAME_TITLES = ("先生", "女士", "同志", "小姐", "夫人")
# Words jieba's dictionary tags nr that are ordinary words (谢谢, 陈列, 段时间, 冷却塔): data/jieba_nr_words.txt,
# made by tools/build_jieba_nr_words.py.
_JIEBA_NR_WORDS = word_set("jieba_nr_words.txt")
# Characters of transliterated foreign names (塞迪略, 若斯潘, 卡林顿): a word jieba tags as a name made only
# of these is a foreign person.
TRANSLITERATION = word_set("transliteration.txt")


def _is_person_candidate(name: str) -> bool:
    """Shape of a Chinese personal name: a surname, then one or two characters that do not read as a
    grammatical word (的, 在 …)."""
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        given = name[2:]
    elif name[0] in SURNAMES:
        given = name[1:]
    else:
        return False
    if name.endswith(_AFTER_NAME_TITLES) or (len(name) == 2 and name[1] in _ROLE_CHARS):
        return False  # 罗先生 is a reference, 马方 the Malaysian side, 美军 an army
    # 中 starts given names (许中田) as often as it ends phrases (会议中)
    return 1 <= len(given) <= 2 and not any(ch in _NAME_BREAKERS and not (ch == "中" and j == 0 and len(given) == 2) for j, ch in enumerate(given)) and name[-1] not in _NOT_NAME_ENDINGS


_PERSON_TAGS = frozenset({"nr", "nrfg"})


def _starts_with_surname(word: str) -> bool:
    return word[0] in SURNAMES or (word[0] in _COMPOUND_FIRSTS and word[:2] in COMPOUND_SURNAMES)


def _person_spans(text: str, words: _Words) -> list[_Span]:
    """People: surname-shaped words confirmed by a title or speech verb beside them, by jieba's nr, or by
    a confirmed name they are listed with (肖杨、束怀德、高昌礼、梁国庆等出席)."""
    spans = []
    texts, tags, starts, ends = words.texts, words.tags, words.starts, words.ends
    n = len(texts)
    # (start, end, first token, last token, confirmed); several candidates may start at one token.
    candidates: list[tuple[int, int, int, int, bool]] = []
    for i in words.where_name_starts():
        word, pos = texts[i], tags[i]
        first_char = word[0]
        if first_char not in SURNAMES and not (first_char in _COMPOUND_FIRSTS and word[:2] in COMPOUND_SURNAMES):
            # every candidate starts with a surname, but a given name alone before 同志 is a person (小平同志)
            if pos in ("nr", "nrfg") and 2 <= len(word) <= 3 and i + 1 < n and texts[i + 1] == "同志":
                spans.append(_Span(starts[i], ends[i], EntityType.PERSON, word))
            continue
        # jieba keeps 邓小平理论, 毛泽东思想 as one word: the name is the person (as MSRA annotates it).
        if pos in ("nr", "nrfg", "n") and word.endswith(_DOCTRINES):
            stem = word[: -2]
            if 2 <= len(stem) <= 3 and _is_person_candidate(stem) and stem[0] in COMMON_SURNAMES:
                spans.append(_Span(starts[i], starts[i] + len(stem), EntityType.PERSON, stem))
                continue
        found = []
        if 2 <= len(word) <= 3 and (pos in ("nr", "nrfg") or not pos.startswith("v")):
            found.append((i, i))  # 罗干/ns, 李鹏/nr; any tag, but only nr counts without a title
        # jieba often splits a name it does not know: 朱/nr 建军/n, 徐/nr 自强/v, 刘家/nrfg 琛/g.
        if i + 1 < n and starts[i + 1] == ends[i] and word[0] in SURNAMES:
            nxt, nxt_pos = texts[i + 1], tags[i + 1]
            if len(word) == 1 and 1 <= len(nxt) <= 2 and nxt_pos not in _FUNCTION_POS and not _opens_title(nxt):
                found.append((i, i + 1))
            elif len(word) == 2 and pos in ("nr", "nrfg") and len(nxt) == 1 and (nxt_pos not in _FUNCTION_POS or nxt == word[1]):
                after_word = texts[i + 2] if i + 2 < n else None
                if after_word is None or tags[i + 2] == "x" or _starts_with_title(after_word) or after_word in SPEECH_VERBS or nxt == word[1]:
                    found.append((i, i + 1))  # 蒋民宽、 刘家琛强调: the one character closes the name; 孙彬/nrfg 彬/zg
        for a, b in found:
            start, end = starts[a], ends[b]
            name = text[start:end]
            if not _person_shaped(name):
                continue
            # a byline spaces its names from their titles: 记者 吴婷婷 通讯员 王一涵
            before = texts[a - 1] if a > 0 and not text[ends[a - 1]:start].strip(_SPACES) else None
            after = texts[b + 1] if b + 1 < n and not text[end:starts[b + 1]].strip(_SPACES) else None
            if text.startswith(_DOCTRINE_STARTS, end) or after is not None and after in _PLACE_WORDS_AFTER and starts[b + 1] == end:
                continue  # 毛乌素/nr 沙地, 习近平/nrfg 新时代中国特色社会主义思想
            titled_before = (
                before is not None and _ends_with_title(before)
                and not before.endswith(_AFTER_NAME_TITLES) and before not in _NOT_TITLES_BEFORE
            )
            titled_after = after is not None and (_starts_with_title(after) or after in SPEECH_VERBS)
            jieba_name = a == b and pos in ("nr", "nrfg") and _jieba_name_is_a_name(name) and name[0] not in _RARE_SURNAMES
            if name[0] in _RARE_SURNAMES and not (a == b and pos in ("nr", "nrfg")):
                confirmed = False  # 高/a 水平, 和/c 政策: only jieba's nr, confirmed, makes these a name
            elif a == b and pos not in ("nr", "nrfg"):
                confirmed = titled_before and pos in _TITLED_WORD_POS  # 国务委员罗干/ns; not 中方/… before 代表
            else:
                confirmed = titled_before or titled_after or jieba_name
            candidates.append((start, end, a, b, confirmed))
    # A name listed with a confirmed one is a name too: 、 joins people (李登海、冯长根、白春礼).
    confirmed_ends = {c[1] for c in candidates if c[4]}
    confirmed_starts = {c[0] for c in candidates if c[4]}
    for _ in range(3):
        changed = False
        for j, (start, end, a, b, ok) in enumerate(candidates):
            if ok or not (tags[a] in ("nr", "nrfg") or len(texts[a]) == 1):
                continue
            listed = (a >= 2 and texts[a - 1] == "、" and ends[a - 2] in confirmed_ends) or (
                b + 2 < n and texts[b + 1] == "、" and starts[b + 2] in confirmed_starts
            )
            if listed:
                candidates[j] = (start, end, a, b, True)
                confirmed_ends.add(end)
                confirmed_starts.add(start)
                changed = True
        if not changed:
            break
    taken_until = -1
    for start, end, a, b, ok in sorted(candidates, key=lambda c: (c[0], -c[4], c[0] - c[1])):
        if ok and start >= taken_until:
            spans.append(_Span(start, end, EntityType.PERSON, text[start:end]))
            taken_until = end
    return spans


# Words that open a title, never a given name: 城市司/… 司首席统计师 is no 司首席.
_TITLE_STARTS = ("首席", "副", "常务", "执行") + TITLES
# The tests the loop above makes of each word beside a candidate, memoised by word (TITLES is 139 words long).
_opens_title = _memoised(lambda word: word.startswith(_TITLE_STARTS))
_starts_with_title = _memoised(lambda word: word.startswith(TITLES))
_ends_with_title = _memoised(lambda word: word.endswith(TITLES))
_person_shaped = _memoised(_is_person_candidate)


def _jieba_name_is_a_name(name: str) -> bool:
    """Whether jieba's nr alone makes a name: three characters, or two with a common surname that are not one
    of the ordinary words jieba's dictionary tags nr (谢谢, 陈列, 顾客 …)."""
    if len(name) == 3:
        return name not in _JIEBA_NR_WORDS and not name.endswith(_AFTER_NAME_TITLES)
    return name[0] in COMMON_SURNAMES and name not in _JIEBA_NR_WORDS


_DOTS = frozenset("·•・")
_FOREIGN_NAME_TAGS = frozenset({"nr", "nrt", "nrfg"})


def _foreign_person_spans(text: str, words: _Words) -> list[_Span]:
    """Transliterated names: a run of words made only of transliteration characters, one of them tagged
    as a name (贝瑟/nrt 海姆/nrt, 罗季奥/nr 诺夫/nrt: jieba cuts names it does not know), or parts joined by a
    middle dot (萨/nr 塔基/nrt ·/x 阿齐兹/nr, 亚历山大·卡尔德)."""
    import numpy as np

    spans = []
    texts, tags, starts, ends = words.texts, words.tags, words.starts, words.ends
    n = len(texts)
    foreign_flags, name_flags = words.flags(_W_TRANSLITERATED, _T_NOT_X), words.tag_flags(_T_FOREIGN_NAME)
    foreign, name_tag = cast("list[bool]", foreign_flags.tolist()), cast("list[bool]", name_flags.tolist())
    # A run starts at a foreign word, a name, or a word before a middle dot; the loop visits only those.
    before_dots = [i - 1 for i in words.where(_W_DOT) if i > 0]
    resume = 0
    for i in sorted({*cast("list[int]", np.flatnonzero(foreign_flags | name_flags).tolist()), *before_dots}):
        if i < resume:
            continue
        if not (foreign[i] or name_tag[i]) and not (
            i + 2 < n and texts[i + 1] in _DOTS and len(texts[i]) == 1 and tags[i] not in _FUNCTION_POS
            and starts[i + 1] == ends[i] and starts[i + 2] == ends[i + 1]
            and (foreign[i + 2] or name_tag[i + 2])
        ):
            continue  # but 简/a ·/x 迪安/ns ·/x 米勒/nrt: a one-character name before a dot
        j = i
        while j + 1 < n and starts[j + 1] == ends[j]:
            if foreign[j + 1]:
                j += 1
            elif (
                texts[j + 1] in _DOTS and j + 2 < n and starts[j + 2] == ends[j + 1]
                and (foreign[j + 2] or name_tag[j + 2])
            ):
                j += 2  # 乔治/nr ·/x 马歇/nr, 阿兰/ns ·/x 陈/nr
            else:
                break
        start, end = starts[i], ends[j]
        dotted = any(word in _DOTS for word in texts[i:j + 1])
        resume = j + 1
        if not dotted and not all(foreign[i:j + 1]):
            continue
        named = any(name_tag[i:j + 1])
        if (dotted or (named and end - start >= 3)) and text[end - 1] not in _NOT_NAME_ENDINGS:
            if dotted or j > i or tags[i] == "nrt" or tags[i] == "nr":
                spans.append(_Span(start, end, EntityType.PERSON, text[start:end]))
    return spans


# Characters that make a word with an abbreviation without hiding it: 来华, 驻京, 访美, 中方, 中外, 两国.
# The verbs of going and staying (data/go_verbs.txt, as for the gazetteer), and 方, 外.
_ABBREVIATION_COMPANIONS = word_set("go_verbs.txt") | frozenset("方外")


def _abbreviation_stands(text: str, word_start: int, word_end: int, at: int, gazetteer: Gazetteer) -> bool:
    """Whether a one-character abbreviation inside a longer jieba word stands for its place: in a run of
    abbreviations (中日关系, 港澳同胞) or beside a verb of going or 方 (在京举行, 来华, 中方); not alone in an
    ordinary word (基本法, 双休日, 矢志不渝) nor doubled (日日夜夜). The word is text[word_start:word_end]."""
    start, end = at, at + 1
    while start > word_start and gazetteer.abbreviation(text[start - 1]) is not None:
        start -= 1
    while end < word_end and gazetteer.abbreviation(text[end]) is not None:
        end += 1
    if end - start >= 2:
        return len(set(text[start:end])) > 1
    return (at > word_start and text[at - 1] in _ABBREVIATION_COMPANIONS) or (at + 1 < word_end and text[at + 1] in _ABBREVIATION_COMPANIONS)


@lru_cache(maxsize=4)
def _abbreviation_word_test(chars: frozenset[str]) -> Callable[[str], bool]:
    """Whether a word is two to four of a gazetteer's abbreviation characters (港台, 陕甘, 美中), memoised."""
    return _memoised(lambda word: 2 <= len(word) <= 4 and chars.issuperset(word))


_GEOGRAPHIC_WORDS = ("湾", "河", "岛", "半岛", "海峡", "群岛")  # after a place: 大阪湾, 渥太华河 (see `_place_spans`)
_GEOGRAPHIC_FIRSTS = frozenset(word[0] for word in (*_GEOGRAPHIC_WORDS, "城", "市"))


def _place_spans(text: str, gazetteer: Gazetteer, words: _Words) -> list[_Span]:
    # A foreign or hand-kept name starting inside a word is part of that word: 海地 in 沿海/地区; so is an
    # abbreviation inside a word of other characters: 法 in 基本法, 日 in 双休日 or 日日夜夜 (not 华 in 来华).
    token_at, starts_word = words.token_at, words.bounds.starts_word
    texts, tags, starts, ends = words.texts, words.tags, words.starts, words.ends
    spans = []
    dropped: set[int] = set()
    new, place = tuple.__new__, EntityType.PLACE  # a _Span made as a tuple: its own __new__ is a Python call
    for start, end, _, region in gazetteer.scan(text, tokens=words.tokens, bounds=words.bounds):
        if end - start >= 2:
            if region.level == "other" and not starts_word(start):
                continue
        else:
            w = words.word_around(start)
            if w is not None and len(texts[w]) >= 2 and start < ends[w] and not _abbreviation_stands(text, starts[w], ends[w], start, gazetteer):
                dropped.add(start)
                continue
            if start - 1 in dropped:
                continue  # 基本法中: 中 was counted for its run with 法, which belongs to 基本法
        spans.append(new(_Span, (start, end, place, region.name, region)))
    # Abbreviations jieba reads as one word: 港台/n, 陕甘/j, 美中/ns, 杭甬/nr.
    # the gazetteer's places, in order and apart: a word's start is covered if the last place starting before it ends after it
    scanned_starts, scanned_ends = [m.start for m in spans], [m.end for m in spans]
    for i in words.where_word(_abbreviation_word_test(gazetteer.abbreviation_chars()), _T_ABBREVIATIONS):
        if tags[i] not in ("ns", "j", "n", "nr"):
            continue  # 港/j is a port, 美/ns beauty, 新华/nz a name
        word, word_start = texts[i], starts[i]
        k = bisect.bisect_right(scanned_starts, word_start) - 1
        if k >= 0 and word_start < scanned_ends[k]:
            continue
        regions = cast("list[Region]", [gazetteer.abbreviation(ch) for ch in word])  # read only if all(regions)
        if (
            all(regions) and len(set(word)) == len(word) and not gazetteer.is_ordinary_word(word)
            and not any(ch == "中" and j > 0 and regions[j - 1].level != "other" for j, ch in enumerate(word))
        ):  # 浙中, 湘中: the middle of a province, not 中国
            spans.extend(
                _Span(word_start + j, word_start + j + 1, EntityType.PLACE, region.name, region) for j, region in enumerate(regions)
            )
    # A place and a geographic word after it: 大阪湾, 渥太华河 (another place), 广州城, 巴塞罗那市 (the same one).
    for i, span in enumerate(spans):
        if span.end - span.start < 2 or text[span.end:span.end + 1] not in _GEOGRAPHIC_FIRSTS:
            continue  # most places: no such word after them (the text's next character says so, without a look-up)
        a = token_at(span.end)
        if a is None:
            continue
        after = texts[a]
        if after in _GEOGRAPHIC_WORDS:
            spans[i] = _Span(span.start, ends[a], EntityType.PLACE, text[span.start:ends[a]])
        elif after == "城" or (after == "市" and span.region is not None and span.region.level == "other"):
            spans[i] = _Span(span.start, ends[a], EntityType.PLACE, span.name, span.region)
    # 中方, 英方, 美方 (the Chinese side …) and 中外: a country's abbreviation in a word of its own.
    covered_starts = {m.start for m in spans}
    for side in "方外":
        j = text.find(side, 1)
        while j > 0:
            t = token_at(j - 1)
            if t is not None and ends[t] == j + 1 and starts[t] not in covered_starts:
                region = gazetteer.abbreviation(texts[t][0])
                if region is not None and (region.level == "other" or texts[t] == "港方"):
                    spans.append(_Span(starts[t], starts[t] + 1, EntityType.PLACE, region.name, region))
            j = text.find(side, j + 1)
    # jieba's ns word that extends one gazetteer name is the longer place: 北海道, 马拉维湖, 杭州湾新区.
    # (By the spans' positions, found by bisection: comparing each token with each span was quadratic.)
    by_start = {m.start: k for k, m in enumerate(spans)}
    span_starts = sorted(by_start)
    place_words = words.where_tag(_T_PLACE)
    for i in place_words:
        k = by_start.get(starts[i])
        if k is None:
            continue  # most tokens: no bisection for them
        word, word_start, word_end = texts[i], starts[i], ends[i]
        following = bisect.bisect_right(span_starts, word_start)
        if (
            word_end > spans[k].end and len(word) >= 3
            and not (following < len(span_starts) and span_starts[following] < word_end)
            and not word.endswith(("城市", "都市", "地区", "市区", "道路") + _NOT_PLACE_TAILS) and word not in _NOT_PLACES
        ):
            spans[k] = _Span(word_start, word_end, EntityType.PLACE, word)
    covered = [False] * (len(text) + 1)
    for span in spans:
        covered[span.start:span.end] = [True] * (span.end - span.start)
    for i in place_words:
        word = texts[i]
        if len(word) < 3 or word in _NOT_PLACES:
            continue
        word_start, word_end = starts[i], ends[i]
        if any(covered[word_start:word_end]):
            continue
        # jieba's ns on words the gazetteer lacks: foreign places (莫斯科) and named features (九龙山);
        # not 百强县, 各省市, 都市区 (a count or a generic word in front) nor 城市/地区 phrases.
        if word[0] in _NOT_PLACE_STARTS or word.endswith(("城市", "都市", "地区", "市区", "道路")):
            continue
        spans.append(_Span(word_start, word_end, EntityType.PLACE, word))
    return spans


# Words that end the name of a place people built or a named feature: stations, airports, railways, ports,
# bridges, reservoirs, rivers, scenic areas, villages (上海虹桥站, 郑州新郑国际机场, 贵南高铁, 阿拉山口口岸, 丹江口库区).
STRUCTURE_HEADS = word_set("structure_heads.txt")
_STRUCTURE_HEAD_ENDINGS = tuple(STRUCTURE_HEADS)
# Words inside such a name besides proper words: 上海至苏州至湖州高铁, 沪宁沿江高铁, 郑州航空口岸, 磨憨铁路口岸.
_STRUCTURE_LINKS = word_set("structure_links.txt")
_STRUCTURE_NAME_POS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "j", "n", "ng", "g", "yg", "b", "eng"})
_PROPER_OR_PLACE_POS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "eng"})
# Two-character jieba ns words ending like a river or a mountain that name none (江河, 山河, 高山).
_NOT_FEATURES = word_set("not_features.txt")
# Kinds of structure, not names (高速铁路, 智慧口岸).
_GENERIC_STRUCTURES = word_set("generic_structures.txt")
_NUMERALS = frozenset("一二三四五六七八九十两百千万几数")
# The parts of China named by direction: 东部地区, 西南地区, and in a list ending with one (东部、中部、西部、东北地区).
REGION_DIRECTIONS = word_set("region_directions.txt")


def _is_proper_name_word(word: str, pos: str) -> bool:
    """A word that names something: jieba's place, name or proper-noun tags on two characters or more, never a
    count (四大); not jieba's abbreviations (深化/j, 建成投产/j: the places among them, 沪宁, are found as places)."""
    return pos in _PROPER_OR_PLACE_POS and len(word) >= 2 and word[0] not in _NUMERALS


def _is_address_place(span: _Span | None, word: str, end: int) -> bool:
    """A place written as an address (the word `word` ending at `end`): a province (not the four cities at that
    level: 上海虹桥站), or a place with its suffix (鹤岗市)."""
    return span is not None and span.end == end and (
        (span.region is not None and span.region.level == "province" and not span.region.name.endswith("市")) or word[-1] in "省市县区"
    )


@lru_cache(maxsize=4096)
def _names_a_division(gazetteer: Gazetteer, word: str) -> bool:
    """Whether the gazetteer reads `word`, taken as a place word of its own, as a division (昆山, 独山: a county's
    short form, no mountain). Scanning is cheap; `resolve` would look for close names on a miss. Memoised: a
    corpus asks of the same few words again and again."""
    return bool(gazetteer.scan(word, tokens=[Token(word, "ns", 0, len(word))]))


def _may_end_structure(word: str) -> bool:
    """Whether one of `_structure_spans`'s cases may apply to the word, whatever its tag and neighbours: a
    head (站), a word ending with one (南京站), two characters ending like a river or mountain (汾河), 地区."""
    return (
        word in STRUCTURE_HEADS or (len(word) >= 3 and word.endswith(_STRUCTURE_HEAD_ENDINGS))
        or (len(word) == 2 and word[-1] in "河江湖山") or word.endswith("地区")
    )


def _structure_spans(text: str, places: Sequence[_Span], place_chars: bytearray, gazetteer: Gazetteer, words: _Words) -> list[_Span]:
    """Named structures and features: a head (站, 机场, 高铁, 口岸, 水库, 河 …) after contiguous name-like words,
    from the first proper word or place among them (春节期间上海虹桥站 → 上海虹桥站); one word jieba tags a
    place or name that ends with a head (南京站/nt, 大秦铁路/nz, 三家村/ns); jieba's two-character rivers and
    mountains the gazetteer lacks (汾河, 清江); the regions named by direction (东部地区, 西南地区; 东部、中部 listed before one).
    `place_chars[i]` is 1 where the `places` cover position i (`text_spans` has them already)."""
    texts, tags, starts, ends = words.texts, words.tags, words.starts, words.ends
    place_at = {s.start: s for s in places if s.region is not None}
    spans = []
    for k in words.where(_W_STRUCTURE):
        word, pos, head_start, head_end = texts[k], tags[k], starts[k], ends[k]
        if word in STRUCTURE_HEADS:
            first = None
            i = k - 1
            while i >= 0 and k - i <= 8 and ends[i] == starts[i + 1]:
                proper = _is_proper_name_word(texts[i], tags[i]) or starts[i] in place_at
                if not (proper or tags[i] in _STRUCTURE_NAME_POS or texts[i] in _STRUCTURE_LINKS):
                    break
                if proper:
                    first = i
                i -= 1
            if first is None or texts[first] in _STRUCTURE_LINKS or (word in ("河", "湖", "江") and k - first > 1):
                continue  # 星海/ns 湖, 梧桐/ns 河: a river's name is one word
            # The address before the name: a province, or a place written with its suffix (黑龙江鹤岗市关门嘴子水库,
            # 河南郑州航空口岸); a village is named by its last word (广西陆川新旺村).
            while first < k - 1 and texts[first + 1] not in _STRUCTURE_LINKS and (
                word == "村" or _is_address_place(place_at.get(starts[first]), texts[first], ends[first])
            ):
                first += 1
            if word in ("铁路", "高铁") and k - first == 1 and starts[first] in place_at:
                continue  # 贵阳到南宁铁路, 长三角铁路: a place's railways
            spans.append(_Span(starts[first], head_end, EntityType.PLACE, text[starts[first]:head_end]))
        elif (
            pos in ("ns", "nt", "nz") and len(word) >= 3 and word.endswith(_STRUCTURE_HEAD_ENDINGS)
            and word[0] not in "各全本该每这此" and word not in _NOT_PLACES and word not in _GENERIC_STRUCTURES
            and (not word.endswith("站") or word.endswith(("南站", "北站", "东站", "西站")) or head_start in place_at)
        ):  # 南京站, not 加油站
            spans.append(_Span(head_start, head_end, EntityType.PLACE, word))  # 南京站/nt, 大秦铁路/nz, 北运河/ns
        elif (
            pos == "ns" and len(word) == 2 and word[-1] in "河江湖山" and word not in _NOT_FEATURES
            and word[0] not in _NOT_PLACE_STARTS and word[0] not in "海江河湖山水"
            and not place_chars[head_start] and not place_chars[head_end - 1] and not _names_a_division(gazetteer, word)
        ):  # not 平湖, a city the gazetteer knows
            spans.append(_Span(head_start, head_end, EntityType.PLACE, word))  # 汾河, 清江
        elif word.endswith("地区") and (word[:-2] in REGION_DIRECTIONS or (
            word == "地区" and k > 0 and texts[k - 1] in REGION_DIRECTIONS and ends[k - 1] == head_start
        )):
            start = head_start if word != "地区" else starts[k - 1]
            if start not in place_at:  # the gazetteer's own region (东北地区 → 东北) is named by the gazetteer
                spans.append(_Span(start, head_end, EntityType.PLACE, text[start:head_end]))
            i = k - 1 if word != "地区" else k - 2
            while i >= 1 and texts[i] == "、" and texts[i - 1] in REGION_DIRECTIONS:
                spans.append(_Span(starts[i - 1], ends[i - 1], EntityType.PLACE, texts[i - 1]))
                i -= 2
    return spans


def _propagate(text: str, spans: list[_Span], words: _Words) -> list[_Span]:
    """A person or organisation recognised once counts wherever the article repeats the name as whole words
    (华为 again, not 华为 in 中华/为民)."""
    start_flags, end_flags = words.bounds.start_flags, words.bounds.end_flags  # see `TokenBounds.starts_word`
    start_end, end_end = len(start_flags), len(end_flags)
    new = tuple.__new__  # a _Span made as a tuple: its own __new__ is a Python call
    extra = []
    names = {(s.name, s.type) for s in spans if s.type is not EntityType.PLACE and len(s.name) >= 2}
    for name, type_ in names:
        length = len(name)
        start = text.find(name)
        while start >= 0:
            end = start + length
            if start < start_end and start_flags[start] == 1 and end < end_end and end_flags[end] == 1:
                extra.append(new(_Span, (start, end, type_, name, None)))
            start = text.find(name, end)
    return spans + extra


def _longest_first(spans: Iterable[_Span]) -> list[_Span]:
    """Non-overlapping spans, the longest winning (an organisation over the place it starts with); of two
    spans of one type over the same characters, the one given first (duplicates are dropped in order, not
    through a set, whose order changes with the hash seed from run to run).

    Duplicates are told by their fields with the region by identity: a gazetteer makes one Region per place
    (its rows are distinct), and hashing a Region (its five fields as a tuple, in a Python call) was most of
    the cost of hashing a span.

    Only spans that overlap others compete: the spans in text order fall into groups, each starting where no
    span before it reaches, and each group is decided on its own (`_choose_longest`); a span alone in its
    group (most) is kept as it is, with no sort key or interval search made for it."""
    unique = {(s.start, s.end, s.type, s.name, id(s.region)): s for s in spans}  # in order of first occurrence
    ordered = sorted(unique.values(), key=_START)  # stable: spans starting together stay in that order
    chosen: list[_Span] = []
    group: list[_Span] = []
    reach = -1  # the furthest end of the group's spans
    for span in ordered:
        start = span.start
        if start >= reach and (not group or start > group[-1].start):
            # no span of the group reaches this one: the group is decided
            if len(group) == 1:
                chosen.append(group[0])
            elif group:
                chosen.extend(_choose_longest(group))
            group = [span]
            reach = span.end
        else:
            group.append(span)
            reach = max(reach, span.end)
    if len(group) == 1:
        chosen.append(group[0])
    elif group:
        chosen.extend(_choose_longest(group))
    return chosen


def _choose_longest(group: list[_Span]) -> list[_Span]:
    """Of overlapping spans given in text order (those starting together in the order first given), the
    longest first, then by type and start, each kept unless it overlaps one kept before; in text order."""
    priority = _PRIORITY
    chosen: list[_Span] = []
    taken: list[tuple[int, int]] = []  # sorted disjoint intervals
    # keys made by C-level maps, no call per span; ties in the order given (the index)
    starts = list(map(_START, group))
    keys = zip(map(sub, starts, map(_END, group)), map(priority.__getitem__, map(_TYPE, group)), starts, range(len(group)))
    for span in map(group.__getitem__, map(itemgetter(3), sorted(keys))):
        i = bisect.bisect_left(taken, (span.start, span.start))
        if i > 0 and taken[i - 1][1] > span.start:
            continue
        if i < len(taken) and taken[i][0] < span.end:
            continue
        taken.insert(i, (span.start, span.end))
        chosen.append(span)
    return sorted(chosen, key=_START)


_START = itemgetter(0)  # a _Span's start
_PRIORITY = {EntityType.ORG: 0, EntityType.PLACE: 1, EntityType.PERSON: 2}  # of overlapping spans as long


def _listed_official_spans(text: str) -> list[_Span]:
    """People in a line-per-person list of officials, a name then a space then the post (尤 权 国务院副秘书长,
    刘金国 公安部副部长): a two-character name is padded with a space to the width of three (王 伟)."""
    spans = []
    for m in _OFFICIAL_LINE.finditer(text):
        surname, given, post = m.group("surname"), m.group("given"), m.group("post")
        if surname in SURNAMES and post.rstrip().endswith(TITLES + ("长",)) and given[-1] not in _NOT_NAME_ENDINGS:
            name = surname + given.strip(_SPACES)
            spans.append(_Span(m.start("surname"), m.end("given"), EntityType.PERSON, name))
    return spans


# A line: an optional role (主 任：, 成 员：), a name of two or three characters, spaces, the post.
_OFFICIAL_LINE = re.compile(
    r"(?m)^[ \u3000]*(?:[\u4e00-\u9fff][\u4e00-\u9fff \u3000]{0,4}[：:][ \u3000]*)?"
    r"(?P<surname>[\u4e00-\u9fff])(?P<given>[ \u3000][\u4e00-\u9fff]|[\u4e00-\u9fff]{1,2})[ \u3000]+(?P<post>[^\n ]{2,30})[ \u3000]*$"
)


def text_spans(text: str, tokens: Sequence[Token], *, gazetteer: Gazetteer | None = None) -> list[_Span]:
    """The entity spans of one text, in order (what `document_mentions` and the benchmark use)."""
    gazetteer = gazetteer or _gazetteer()
    words = _Words.of(tokens)
    places = _place_spans(text, gazetteer, words)
    place_regions = {(s.start, s.end): s.region for s in places}
    # A three-character name jieba reads as one word hides the abbreviations inside it: 王沪宁 (not 沪, 宁).
    names = {(words.starts[i], words.ends[i]) for i in words.where_tag(_T_PERSON) if len(words.texts[i]) == 3}
    people = _person_spans(text, words) + _foreign_person_spans(text, words) + _listed_official_spans(text)
    one_char_places = sorted(s.start for s in places if s.end - s.start == 1)  # by bisection: a text names hundreds
    place_starts = {s.start for s in places}
    hidden = {
        (p.start, p.end) for p in people
        if (p.start, p.end) in names and _starts_inside(one_char_places, p.start, p.end)
        and p.start not in place_starts  # 苏锡常/nr is 苏州, 无锡, 常州
    }
    if hidden:
        places = [s for s in places if not (s.end - s.start == 1 and any(a <= s.start < b for a, b in hidden))]
        place_regions = {(s.start, s.end): s.region for s in places}
    place_chars = bytearray(len(text) + 1)  # 1 where a place is: a flag per position, set by slices at C speed
    for s in places:
        place_chars[s.start:s.end] = b"\x01" * (s.end - s.start)
    # A place's short form is no person even where the gazetteer needed more context: 吴忠 of 吴忠市.
    place_stems = {
        text[s.start:s.end - 1] for s in places
        if s.region is not None and s.end - s.start >= 3 and text[s.end - 1] in "市县区州盟旗镇乡村"
    }
    people = [
        s for s in people
        if place_chars.find(1, s.start, s.end) < 0  # 苏锡常 is 苏州, 无锡, 常州
        and s.name not in place_stems
    ]
    spans = (
        places + _structure_spans(text, places, place_chars, gazetteer, words)
        + _org_spans(place_regions, words) + _known_org_spans(words) + _local_government_spans(text, places)
        + _level_body_spans(text, words) + _company_spans(words) + people
    )
    return _longest_first(_propagate(text, spans, words))


def _starts_inside(starts: list[int], start: int, end: int) -> bool:
    """Whether one of sorted `starts` lies strictly inside (start, end)."""
    i = bisect.bisect_right(starts, start)
    return i < len(starts) and starts[i] < end


def _select(documents: Iterable[AnalysedDocument | Document], doc: str | None) -> list[AnalysedDocument]:
    from jiegui.corpus import select_documents

    return as_analysed(select_documents(documents, doc))


def _types(types: Collection[EntityType | str] | None) -> set[EntityType] | None:
    if types is None:
        return None
    try:
        return {EntityType(str(getattr(t, "value", t)).upper()) for t in types}
    except ValueError:
        raise JieguiError(f"unknown entity type in {list(types)}: use PLACE, ORG or PERSON") from None


def document_mentions(document: AnalysedDocument | Document, *, gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Every entity mention of one document, in text order."""
    (prepared,) = as_analysed([document])
    with collector_paused():
        return [mention for mention, _ in _document_mentions(prepared, gazetteer or _gazetteer())]


def _document_mentions(document: AnalysedDocument, gazetteer: Gazetteer) -> list[tuple[Mention, _Span]]:
    """Traditional text is read in its Simplified form (same offsets: the gazetteer and jieba's tags are
    Simplified); surfaces, sentences and the names of organisations and people are the original's."""
    text = document.original
    named = _named_spans(document, gazetteer)
    spans = [span for span, _, _ in named]
    sentences = []
    for span in spans:
        s = document.sentence_at(span.start)
        sentences.append(sentence_context(text, s.start, s.end, span.start) if s is not None and s.end >= span.end else "")
    # Made field by field through the slots' descriptors, at C speed: a frozen dataclass's __init__ is a Python
    # call setting each field (3 µs a mention; 160,000 mentions on the 10 MB bench corpus).
    mentions = list(map(object.__new__, repeat(Mention, len(spans))))
    for field, values in (
        ("doc", repeat(document.id)), ("start", map(_START, spans)), ("end", map(_END, spans)), ("text", map(_SURFACE, named)),
        ("name", map(_NAME, named)), ("type", map(_TYPE_VALUES.__getitem__, map(_TYPE, spans))), ("sentence", sentences),
    ):
        deque(map(_MENTION_FIELDS[field].__set__, mentions, values), maxlen=0)
    return list(zip(mentions, spans))


_MENTION_FIELDS = vars(Mention)  # its slots' descriptors
_END, _TYPE = itemgetter(1), itemgetter(2)  # a _Span's end and type
_SURFACE, _NAME = itemgetter(1), itemgetter(2)  # of a named span (`_named_spans`)


def _named_spans(document: AnalysedDocument, gazetteer: Gazetteer) -> list[tuple[_Span, str, str]]:
    """Each span of the document with its surface (the original's text) and its name: the surface, unless
    the span is a place of the gazetteer or its name is not what the text writes (see `_document_mentions`)."""
    text, simplified = document.original, document.text
    spans = text_spans(simplified, document.stored_tokens, gazetteer=gazetteer)
    if text is simplified:  # the surface is the name where the name is what the text writes: the name then
        return [(span, text[span.start:span.end], span.name) for span in spans]
    named = []
    for span in spans:
        surface = text[span.start:span.end]
        name = surface if span.region is None and span.name == simplified[span.start:span.end] else span.name
        named.append((span, surface, name))
    return named


_TYPE_VALUES = {t: t.value for t in EntityType}  # an enum member's .value is a Python-level property


def extract_mentions(
    documents: Iterable[AnalysedDocument | Document],
    *,
    types: Sequence[EntityType | str] | None = None,
    doc: str | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[Mention]:
    """The mentions of every document (or of document `doc` only), optionally of some types only.

    Raises JieguiError if `doc` names no document of the corpus.
    """
    wanted = _types(types)
    gazetteer = gazetteer or _gazetteer()
    with collector_paused():
        return [
            mention
            for document in _select(documents, doc)
            for mention, span in _document_mentions(document, gazetteer)
            if wanted is None or span.type in wanted
        ]


def extract_entities(
    documents: Iterable[AnalysedDocument | Document],
    *,
    types: Sequence[EntityType | str] | None = None,
    doc: str | None = None,
    min_count: int = 1,
    gazetteer: Gazetteer | None = None,
) -> list[Entity]:
    """One row per entity: mentions with the same canonical name, type (and place) merged; most mentioned
    first, then by type and name.

    `aliases` are the other surfaces seen (平湖, 沪), most frequent first; places from the gazetteer carry
    their `region_path` and division `code`. Raises JieguiError for a bad `doc` or `min_count`.
    """
    if min_count < 1:
        raise JieguiError(f"min_count must be at least 1, not {min_count}")
    wanted = _types(types)
    gazetteer = gazetteer or _gazetteer()
    keyed = (pair for document in _select(documents, doc) for pair in keyed_names(document, types=wanted, gazetteer=gazetteer))
    with collector_paused():
        return merge_mentions(keyed, min_count=min_count)


# (canonical name, type, region path): mentions with one key are one entity
EntityKey = tuple[str, EntityType, tuple[str, ...]]


def keyed_mentions(
    document: AnalysedDocument | Document,
    *,
    types: Sequence[EntityType | str] | set[EntityType] | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[tuple[Mention, EntityKey, str | None]]:
    """One document's mentions (of `types`), each with the key `merge_mentions` groups by and its division
    code: what a worker sends back for `extract_entities` (jiegui.distributed)."""
    wanted = _types(types)
    (analysed,) = as_analysed([document])
    with collector_paused():
        return [
            (mention, *_key_and_code(span))
            for mention, span in _document_mentions(analysed, gazetteer or _gazetteer())
            if wanted is None or span.type in wanted
        ]


class NamedMention(NamedTuple):
    """What `merge_mentions` reads of a mention: its document, surface and name. Entities need no
    sentence: finding each mention's sentence and making its Mention (a frozen dataclass) was a
    twentieth of `jiegui entities` on the 10 MB bench corpus."""

    doc: str
    text: str
    name: str


def keyed_names(
    document: AnalysedDocument | Document,
    *,
    types: Sequence[EntityType | str] | set[EntityType] | None = None,
    gazetteer: Gazetteer | None = None,
) -> list[tuple[NamedMention, EntityKey, str | None]]:
    """`keyed_mentions` without the sentences: what `merge_mentions` needs to make the entities."""
    wanted = _types(types)
    (analysed,) = as_analysed([document])
    doc_id, new = analysed.id, tuple.__new__  # a named tuple made as a tuple: its own __new__ is a Python call
    with collector_paused():
        return [
            (new(NamedMention, (doc_id, surface, name)), *_key_and_code(span))
            for span, surface, name in _named_spans(analysed, gazetteer or _gazetteer())
            if wanted is None or span.type in wanted
        ]


def _key_and_code(span: _Span) -> tuple[EntityKey, str | None]:
    """The span's entity key (see `EntityKey`) and its division code."""
    region = span.region
    if region is None:
        return (span.name, span.type, ()), None
    return (span.name, span.type, region.path), region.code


class _MentionLike(Protocol):
    """What merging reads of a mention (a Mention or a NamedMention)."""

    @property
    def doc(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def name(self) -> str: ...


M = TypeVar("M", bound=_MentionLike)


_FIRST = itemgetter(0)
_MENTION_NAME, _MENTION_TEXT, _MENTION_DOC = attrgetter("name"), attrgetter("text"), attrgetter("doc")


def merge_mentions(keyed: Iterable[tuple[M, EntityKey, str | None]], *, min_count: int = 1) -> list[Entity]:
    """The entities of keyed mentions given in corpus order (see `extract_entities`)."""
    groups: dict[EntityKey, list[tuple[M, str | None]]] = {}
    for mention, key, code in keyed:
        groups.setdefault(key, []).append((mention, code))
    entities = []
    for (_, type_, path), group in groups.items():
        if len(group) < min_count:
            continue
        # Simplified and Traditional writings of one name are one entity, shown as most mentions write it.
        # Counted only where they differ: most entities' mentions write one name and one surface (two thirds of the
        # 1,693 entities of news-dev + MSRA + bundled have one mention; two Counters each were 40 % of the merging).
        mentions = list(map(_FIRST, group))  # read through C-level getters: 160,000 mentions on the 10 MB bench corpus
        names = list(map(_MENTION_NAME, mentions))
        name = names[0] if names.count(names[0]) == len(names) else Counter(names).most_common(1)[0][0]
        texts = list(map(_MENTION_TEXT, mentions))
        if texts.count(texts[0]) == len(texts):
            aliases: tuple[str, ...] = () if texts[0] == name else (texts[0],)
        else:
            surfaces = Counter(texts)
            aliases = tuple(s for s, _ in sorted(surfaces.items(), key=lambda kv: (-kv[1], kv[0])) if s != name)
        docs = tuple(dict.fromkeys(map(_MENTION_DOC, mentions)))
        entities.append(Entity(name, _TYPE_VALUES[type_], len(group), docs, aliases, path, group[0][1]))
    entities.sort(key=lambda e: (-e.count, e.type, e.name))
    return entities
