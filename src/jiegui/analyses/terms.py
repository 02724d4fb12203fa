"""What a keyword may be: the checks a ranked candidate passes, and which candidates are one term.

A candidate is judged on its occurrences in the text ranked (one document, or the corpus), outside
the furniture. It is not a term when
- it is a counter or a magnitude: most of its occurrences follow a numeral or a measure (万标箱 and 标箱
  of 12.5万标箱, 号线 of 22号线, 标准煤 of 万吨标准煤, 小时 of 5个多小时); or a document number's
  prefix (国办发〔2018〕); or it is a count, a numeral and a counter (三省, 一市 of 三省一市, 两地): a
  count refers to things the text names elsewhere and names nothing itself — but a place whose name
  is one (三台 of 三台县, 二七区);
- it is a bound modifier: a word the language hardly knows that the text only writes right before a
  content word (规上 of 规上工业, 国省 of 国省干线): compounds are head-final, the head names the thing;
- it cuts a word: in most occurrences a longer word of the corpus crosses its first or its last
  boundary (业增加值 in 工业增加值, 市市 in 上海市市场, 资额 in 投资额), or every occurrence has the same
  character beside it, in a name (two occurrences) or in the same word (three): a longer compound the
  text repeats that it could not be extended to (莱克斯 of 瑞莱克斯, 开区 of 经开区);
- it is a heading or a label: every occurrence lies in a short line that states nothing (a section
  heading, not the title) or in a paragraph's label (`【实践盘点】`, `第一乐章:`, `专家视角`); or it is a
  headline's statement copied whole (three or more tokens that make most of a segment of a headline).
  Headings are context, not topics;
- it names a source: the document's `source`, a word ending in 记者, or one that most occurrences follow
  with 记者, 消息, 讯, 电 or 报道 (华商报记者, 央视网消息);
- it is used as a verb: most occurrences follow a one-character adverb (不行文, 均设置) or a personal
  pronoun (你能领多少), or half of them
  or more are a verb in use — before 了/着/过 and an object (培育了一批, 织密了), or a word jieba tags a
  verb after an adverb, a modal auxiliary or 在 (积极培育, 大力培育); or it is a verb of going and the
  place it goes to (来平 of 平湖, 赴沪);
- it is a part of a longer name or phrase the text repeats: a word written once before the noun a figure measures (高标准 of
  高标准农田7580万亩), a phrase that says which places a count counts (粤港澳大湾区内地 of …内地9市),
  or a half of a name joined by 与 (中科院上海微系统与信息技术研究所);
- it is cut from the verb it modifies: a short word every occurrence writes right before the same verb
  (易地 of 易地扶贫搬迁, 合理 of 合理增长), or once between a verb and a verb (实现了整村搬迁), and that
  the corpus mostly writes before a verb: an adverbial or the modifier of a nominalised verb;
- it is a verb or a modifier the language knows as one and jieba's dictionary tags as a noun or a name
  (`data/verbs.txt`: 持平/n, 开园/ns, 投产/vn; `data/modifiers.txt`: 壮美/nz, 人均/j, 全自动/nz), unless
  the text mostly nominalises it (项目的落地带来…);
- it is cut in four more ways: every occurrence (2+) precedes the same non-predicate adjective (创历史 of
  创历史同期新高) or the same two words, a noun last (网络 of 网络预约出租汽车); most occurrences lie in a
  short quoted name (云贷 of “科技云贷”); the same character in a one-character or unknown token stands
  before three occurrences or more (计委 of 市卫计委); or it opens with a count (两地游客);
- it is a piece of a word jieba's HMM guessed apart: a two-character name the text always writes before
  the same character, once before a speech verb (郑后 of 郑后成表示); a word the language does not know
  beside another such guess (惠小微 of 普/nr 惠小微/nr); a phrase opening with a one-character noun that
  every occurrence writes after the same character (江清水 of 一江清水); or a name always followed by a
  verb and an organisation's head (首都国际机场 + 协调委员会: shown extended when it occurs 3+ times);
- it is a clause, not a name: its tokens hold a coverb (落实到生产队), an existential verb and its
  object (家门口有活), a count summing up a list it cuts (湖北、重庆两地游客), two verbs, end with a verb
  or with an adjective after a noun (its predicate: 兴川行稳 of …行稳致远), hold an adverb, a time word or
  a number written in digits, or put a verb after a name or after two words, unless right before the
  final noun (预计发送旅客, 梅龙段开通, 北京市公民具备科学素质; not 首都国际机场协调委员会), or open
  with a verb the corpus mostly uses elsewhere (实现利润总额). A term is a noun phrase; a verb may open
  it where the corpus uses the verb mostly there (接轨上海).

Two candidates are one term (variants) when
- one is the other with an administrative suffix (嘉兴 / 嘉兴市, 海宁 / 海宁市) and jieba tags one of
  them a place;
- both are the same set of provinces in one-character abbreviations (沪苏浙, 苏浙沪, 江浙沪: 江 of
  江苏 as in 江浙);
- one is the other followed by a generic head noun (`data/generic_tails.txt`: 工作, 方面, 金额 …) or
  with 大 before one of its words (接轨上海 / 接轨上海工作, 都市圈 / 大都市圈, 接轨上海 / 接轨大上海);
- one holds the other, and most occurrences of the shorter lie inside the longer (历史性 of
  历史性成就 written twice and 历史性变革 once): the longer is shown.
"""
from __future__ import annotations

import bisect
import gzip
import itertools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from itertools import repeat
from typing import TYPE_CHECKING, Protocol

import regex

from jiegui.analyses.columns import TokenColumns, distinct
from jiegui.lexicon import word_set
from jiegui.models import Token, token_starts

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

_NUMERAL = regex.compile(r"[0-9０-９.%〇零二三四五六七八九十百千万亿两]")
_MEASURES = frozenset({"m", "mq", "q"})
_MAGNITUDE = regex.compile(r"[0-9万亿千百]")
_APPROXIMATE = "多余来几个"  # between a numeral and its counter: 5个多小时, 20余万吨
_DOCUMENT_NUMBER = regex.compile(r"\p{Han}{0,3}[〔\[［【(（]\d{4}[〕\]］】)）]")
_SOURCE_FOLLOWERS = ("记者", "消息", "讯", "电", "报道", "客户端")
_PLACE_SUFFIXES = "省市县区镇乡"
VERB_TAGS = frozenset({"v", "vd", "vi", "vg"})  # jieba's verb tags (vn, a verb used as a noun, is not one)
_NAMES = frozenset({"ns", "nr", "nrt", "nrfg", "nt"})
# Adverbs and time words make a clause (今天预计…, 努力建设…). Function words do not decide it: jieba
# tags characters of names as prepositions (经 of 嘉善经开区, 与 of …微系统与信息技术研究所).
_CLAUSE_TAGS = frozenset({"d", "ad", "t", "tg"})
_COUNTED = regex.compile(r"[两二三四五六七八九十]+[地省市国方区县]")
_NOUN_TAGS = frozenset({"n", "ng", "nz", "nl", "nt", "ns", "nr", "nrt", "nrfg", "j", "vn"})
_COVERBS = frozenset({"到", "在", "给", "向", "往", "至", "于"})
_LABEL = regex.compile(r"^[【\[［(（]?(?:第[一二三四五六七八九十\d]+|[一二三四五六七八九十\d]+[、.．])?(?P<label>[^【】\[\]［］()（）:：]{2,12})(?:[】\]］)）]|[:：])")
_SHORT_LINE = 20
_SENTENCE_PUNCT = regex.compile(r"[。，,；;！？!?]")
_GOES_ON = regex.compile(r"[^\s\p{P}]|[“‘《「(（]")  # after 了: an object follows, the clause goes on


class TokenIndex:
    """Each text's tokens with their start offsets, for finding the token at a position (bisect).

    With `columns` (the same tokens as integer columns: text k's are those of the columns' text
    `texts[k]`), the tokens around a candidate's occurrences are found by one numpy search for all its
    occurrences and made from the columns at C speed (some 140 000 lookups on a 10 MB corpus): tokens
    read from the cache are then never made whole. `initials`: the `place_initials` of the whole
    texts, when `tokens` are excerpts of them."""

    def __init__(self, tokens: Sequence[Sequence[Token]], columns: TokenColumns | None = None,
                 texts: Sequence[int] | None = None, initials: frozenset[str] | None = None) -> None:
        self.tokens = tokens
        if initials is not None:  # the texts are excerpts: their places were read from the whole texts
            self.__dict__["place_initials"] = initials
        self.starts = [token_starts(text_tokens) for text_tokens in tokens]
        self._columns = columns
        self._texts = list(range(len(tokens)) if texts is None else texts)

    def inside(self, index: int, start: int, end: int) -> list[Token]:
        """The tokens of text `index` within [start, end)."""
        tokens, first = self.tokens[index], bisect.bisect_left(self.starts[index], start)
        return [t for t in tokens[first : bisect.bisect_left(self.starts[index], end)] if t.end <= end]

    @cached_property
    def place_initials(self) -> frozenset[str]:
        """The first characters of the places (ns, two characters or more) the texts name."""
        if (columns := self._columns) is not None:
            rows = self._search[0]
            tags = columns.tag[rows]
            if "ns" not in columns.tags:
                return frozenset()
            words = columns.words
            named = distinct(columns.word[rows][tags == columns.tags.index("ns")]).tolist()
            return frozenset(words[w][0] for w in named if len(words[w]) >= 2)
        return frozenset(t.text[0] for text_tokens in self.tokens for t in text_tokens if t.pos == "ns" and len(t.text) >= 2)

    def at(self, index: int, position: int) -> Token | None:
        """The token of text `index` covering `position`, if any."""
        k = bisect.bisect_right(self.starts[index], position) - 1
        if k < 0:
            return None
        token = self.tokens[index][k]
        return token if position < token.end else None  # token.start <= position: bisect_right

    def covering(self, places: Iterable[tuple[int, int]]) -> list[Token | None]:
        """`at` for each (text index, position), None for a negative position: one search for them all."""
        if self._columns is not None:
            return self._covering_columns(list(places))
        starts, tokens, right = self.starts, self.tokens, bisect.bisect_right
        found: list[Token | None] = []
        for index, position in places:
            k = right(starts[index], position) - 1 if position >= 0 else -1
            token = tokens[index][k] if k >= 0 else None
            found.append(token if token is not None and position < token.end else None)
        return found

    @cached_property
    def _search(self) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], int]:
        """The columns' rows of the texts' tokens in order, each one's key (its start + its text's number ×
        `stride`, ascending), where each text's rows begin among them, and the stride (longer than any
        text: a key never reaches the next text's)."""
        import numpy as np

        columns = self._columns
        assert columns is not None
        bounds = columns.bounds
        rows = np.concatenate([np.arange(bounds[t], bounds[t + 1], dtype=np.int64) for t in self._texts] or [np.zeros(0, dtype=np.int64)])
        sizes = np.array([bounds[t + 1] - bounds[t] for t in self._texts], dtype=np.int64)
        stride = int(columns.end[rows].max(initial=0)) + 2
        keys = columns.start[rows] + np.repeat(np.arange(len(sizes), dtype=np.int64), sizes) * stride
        return rows, keys, np.concatenate(([0], np.cumsum(sizes))), stride

    def _covering_columns(self, places: list[tuple[int, int]]) -> list[Token | None]:
        import numpy as np

        if not places:
            return []
        columns = self._columns
        assert columns is not None
        rows, keys, firsts, stride = self._search
        index, position = np.array(places, dtype=np.int64).reshape(-1, 2).T
        k = np.searchsorted(keys, index * stride + position, side="right") - 1
        found = (position >= 0) & (k >= firsts[index])  # a token of the text starts at or before it
        row = rows[np.where(found, k, 0)]
        found &= position < columns.end[row]
        row = row[found]
        made = iter(map(_new_token, repeat(Token), zip(
            map(columns.words.__getitem__, columns.word[row].tolist()), map(columns.tags.__getitem__, columns.tag[row].tolist()),
            columns.start[row].tolist(), columns.end[row].tolist())))
        return [next(made) if hit else None for hit in found.tolist()]


_new_token = tuple.__new__  # a Token made at C speed (a named tuple's __new__ is a Python function)


@dataclass(frozen=True)
class Occurrences:
    """Where a candidate occurs: (text index, start) pairs over `texts`, with the texts' tokens. The
    checks ask for the tokens beside each occurrence many times over (a frequent candidate has thousands
    of occurrences): `before` and `after` find them once."""

    term: str
    texts: Sequence[str]
    places: list[tuple[int, int]]
    index: TokenIndex

    def tokens_of(self, index: int, start: int) -> list[Token]:
        """The tokens inside one occurrence."""
        return self.index.inside(index, start, start + len(self.term))

    @cached_property
    def before(self) -> list[Token | None]:
        """For each place, the token covering the character before it (None at a text's start or in a gap)."""
        return self.index.covering((i, s - 1) for i, s in self.places)

    @cached_property
    def after(self) -> list[Token | None]:
        """For each place, the token covering the character right after the occurrence, if any."""
        n = len(self.term)
        return self.index.covering((i, s + n) for i, s in self.places)


def term_places(term: str, texts: Sequence[str], end: tuple[int, int] | None = None) -> Iterator[tuple[int, int]]:
    """(text index, offset) of the occurrences of `term`, left to right, not overlapping (as re.finditer);
    with `end` (text, offset), those that start before it."""
    step = len(term) or 1  # the empty term occurs at every offset, the end included
    for i, text in enumerate(texts):
        at = text.find(term)
        while at >= 0:
            if end is not None and (i, at) >= end:
                return
            yield i, at
            at = text.find(term, at + step)


def find_occurrences(
    term: str, texts: Sequence[str], index: TokenIndex, furniture: Sequence[Sequence[tuple[int, int]]],
    end: tuple[int, int] | None = None,
) -> Occurrences:
    """The places of `term` outside the furniture (`term_places`: before `end`, when given)."""
    places = [(i, at) for i, at in term_places(term, texts, end)
              if not (spans := furniture[i]) or not any(s <= at < e for s, e in spans)]
    return Occurrences(term, texts, places, index)


def _at_least(flags: Iterable[bool], needed: int, total: int) -> bool:
    """At least `needed` of the `total` flags are true. Reads them lazily and stops once the answer is
    known: the checks below run per occurrence, and a frequent candidate has thousands."""
    if needed <= 0:
        return True
    misses = total - needed  # false flags it can afford
    for flag in flags:
        if flag:
            needed -= 1
            if not needed:
                return True
        else:
            misses -= 1
            if misses < 0:
                return False
    return False


def _most(flags: Iterable[bool], total: int) -> bool:
    """More than half of the `total` flags are true (none: False)."""
    return _at_least(flags, total // 2 + 1, total)


def is_counter(occ: Occurrences) -> bool:
    """Most occurrences follow a numeral or a measure (吨标准煤 after 万吨): a unit, counter or magnitude
    (万标箱, 号线, 小时, 标准煤); or precede a
    bracketed year: the prefix of a document number (国办发〔2018〕15号)."""
    n = len(occ.term)

    def after_a_number(i: int, s: int, before: Token | None) -> bool:
        text = occ.texts[i]
        approximate = s
        while approximate > 0 and text[approximate - 1] in _APPROXIMATE:  # 5个多小时, 20余万吨
            approximate -= 1
        if approximate < s and approximate > 0 and _NUMERAL.match(text[approximate - 1]):
            return True
        measure = (
            before is not None and before.pos in _MEASURES and _MAGNITUDE.search(before.text) and before.text[-1] not in "年月日号"
        )
        return s > 0 and (_NUMERAL.match(occ.texts[i][s - 1]) is not None or bool(measure))

    total = len(occ.places)
    return _most((after_a_number(i, s, before) for (i, s), before in zip(occ.places, occ.before)), total) or _most(
        (_DOCUMENT_NUMBER.match(occ.texts[i], s + n) is not None for i, s in occ.places), total
    )


_COUNT_NUMERALS = "0-9０-９〇零一二三四五六七八九十百千万两几"


@lru_cache(maxsize=1)
def _count_pattern() -> regex.Pattern[str]:
    counters = sorted(word_set("counters.txt") | word_set("place_counters.txt"), key=len, reverse=True)
    return regex.compile(f"(?:[{_COUNT_NUMERALS}]+(?:{'|'.join(map(regex.escape, counters))}))+")


@lru_cache(maxsize=1)
def _numeral_place_names() -> frozenset[str]:
    """The gazetteer's names that read as a count (二七区, 三台 of 三台县): full names, and the short
    names of counties and above (a town's short name, 一市 of 一市镇, is no name without its suffix)."""
    names: set[str] = set()
    path = resources.files("jiegui").joinpath("data/gazetteer.tsv.gz")
    with gzip.open(str(path), "rt", encoding="utf-8") as lines:
        for line in lines:
            if not line.startswith("#"):
                fields = line.rstrip("\n").split("\t")
                forms = fields[3:5] if fields[2] in ("province", "city", "county") else fields[3:4]
                names.update(name for name in forms if _count_pattern().fullmatch(name))
    return frozenset(names)


def is_count(term: str) -> bool:
    """A numeral and a counter (`data/counters.txt`, `data/place_counters.txt`), or a run of them: 三省,
    一市, 三省一市, 两地, 15市. A quantity phrase refers to things the text names elsewhere (the three
    provinces): it is no topic. A place named by a count is a name (二七区, 三台 of 三台县: the
    gazetteer's names)."""
    return _count_pattern().fullmatch(term) is not None and term not in _numeral_place_names()


def opens_with_count(occ: Occurrences) -> bool:
    """A phrase whose first token is a count (`is_count`: 两地游客 of 湖北、重庆两地游客, 鄂渝两地游客): the
    count refers to the things the text names before it, so the phrase names nothing by itself."""
    if not occ.places:
        return False
    tokens = occ.tokens_of(*occ.places[0])
    return len(tokens) >= 2 and is_count(tokens[0].text)


_ADVERBS = frozenset({"d", "df"})
_NAME_WORDS = frozenset({"nr", "nrt", "nrfg", "ns", "j"})
_HEADS = frozenset({"n", "ng", "nz", "nt", "vn"})


_PERSONAL_PRONOUNS = frozenset({"我", "你", "您", "他", "她", "它", "我们", "你们", "他们", "她们", "它们", "咱们"})


def is_predicate(occ: Occurrences) -> bool:
    """At least half the occurrences (most, for the one-character adverb alone) are used as a predicate:
    - after a one-character adverb (不行文, 均设置, 将开园): an adverb modifies a predicate, never a noun,
      so the candidate is used as a verb here, whatever jieba tagged it (most occurrences);
    - before an aspect particle 了, 着 or 过 that the clause goes on after (培育了一批, 织密了“八纵八横”):
      aspect marks a verb;
    - a word jieba tags as a verb (培育/vn, 突破/vn) after an adverb of any length, a modal auxiliary or
      an adverbial of effort (`data/predicate_markers.txt`: 积极培育, 大力培育, 能够培育) or after the
      progressive 在 (也在培育…).
    Also when most occurrences follow a personal pronoun (你能领多少): a pronoun is a subject, and
    modifies a noun only through 的; what follows it is its predicate.
    A noun is hardly ever used so; a verb the text uses so half the time is a verb it sometimes
    nominalises (培育发展), no term. Longer "adverbs" of jieba's are often attributes of a noun
    (特别国债, 长期贷款): they count only before a verb."""
    n = len(occ.term)
    markers = word_set("predicate_markers.txt")

    def after_adverb(s: int, before: Token | None) -> bool:
        return before is not None and before.end == s and before.pos in _ADVERBS and len(before.text) == 1

    def after_subject(s: int, before: Token | None) -> bool:
        return before is not None and before.end == s and before.text in _PERSONAL_PRONOUNS

    def predicative(i: int, s: int, before: Token | None) -> bool:
        text = occ.texts[i]
        if text[s + n : s + n + 1] in ("了", "着", "过") and _GOES_ON.match(text, s + n + 1):
            return True
        if before is None or before.end != s:  # checked before the tokens inside, which cost more to find
            return False
        own = occ.tokens_of(i, s)
        if len(own) != 1 or own[0].pos not in VERB_TAGS | {"vn"}:
            return False
        return before.pos in ("d", "ad", "df") or before.text in markers or before.text == "在"

    total = len(occ.places)
    starts = [s for _, s in occ.places]
    adverbial = list(map(after_adverb, starts, occ.before))
    if _most(adverbial, total) or _most(map(after_subject, starts, occ.before), total):
        return True
    verbal = (adverb or predicative(i, s, before) for (i, s), before, adverb in zip(occ.places, occ.before, adverbial))
    return _at_least(verbal, max(1, (total + 1) // 2), total)  # verbal > 0 and 2 * verbal >= total


_NOMINAL_BEFORE = frozenset("的之这该此其")


def is_listed_word(occ: Occurrences) -> bool:
    """A verb of `data/verbs.txt` or a modifier of `data/modifiers.txt`: words jieba's dictionary tags as
    nouns or names (持平/n, 开园/ns, 投产/vn; 壮美/nz, 美丽/ns, 人均/j), made by tools/build_verbs.py from
    words listed by kind — unless most occurrences are nominalised: after 的, 之 or a demonstrative, and the
    head of their phrase, no noun after them (项目的落地带来就业; not 的创新型企业, an attribute still).
    A predicate or a modifier names no topic, whatever the tagger called it (小麦产量基本持平, 即将开园,
    粮食合计增产; 十年壮美画卷, 全自动分拣设备)."""
    if not occ.places or (occ.term not in word_set("verbs.txt") and occ.term not in word_set("modifiers.txt")):
        return False

    def nominal(i: int, s: int, after: Token | None) -> bool:
        return s > 0 and occ.texts[i][s - 1] in _NOMINAL_BEFORE and (after is None or after.pos not in _NOUN_TAGS)

    return not _most((nominal(i, s, after) for (i, s), after in zip(occ.places, occ.after)), len(occ.places))


_QUOTES = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"'}
_QUOTED_NAME = 10  # a quoted span this short, without punctuation, is a name or term, not a quotation
_IN_QUOTE = regex.compile(r"[^\s\p{P}]*")


def in_quoted_name(occ: Occurrences) -> bool:
    """Most occurrences lie inside a longer quoted span of at most ten characters and no punctuation
    (“科技云贷”, which jieba cut 科技/云贷): quotation marks around so short a span mark a name or a term
    as one unit (a product, a slogan: “强富美高”); a part of it is a cut word."""
    n = len(occ.term)

    def inside(i: int, s: int) -> bool:
        text = occ.texts[i]
        left = _IN_QUOTE.match(text[max(0, s - _QUOTED_NAME) : s][::-1])
        right = _IN_QUOTE.match(text, s + n)
        if left is None or right is None:
            return False
        opening, closing = s - left.end() - 1, right.end()
        if opening < 0 or closing >= len(text) or _QUOTES.get(text[opening]) != text[closing]:
            return False
        return n < closing - opening - 1 <= _QUOTED_NAME

    return _most((inside(i, s) for i, s in occ.places), len(occ.places))


def is_bound_modifier(occ: Occurrences, known: Callable[[str], bool]) -> bool:
    """A single word the language hardly knows (not `known`: below the median of jieba's background IDF,
    or in jiegui's dictionary) that every occurrence writes right before a noun: the modifier of a
    compound the text does not repeat whole (规上 of 规上工业, 国省 of 国省干线, 三义 of 三义国际机场).
    Chinese compounds are head-final: the head names the thing. (Not before a verb: a subject precedes
    its verb too, 暑运 of 7月暑运开始, as well as a modifier, 整村 of 整村搬迁.) A name (a place, a person, an
    abbreviation) stays a name before a noun (长江三角洲地区区域规划)."""
    if not occ.places or known(occ.term):
        return False
    for (i, s), after in zip(occ.places, occ.after):
        own = occ.tokens_of(i, s)
        if len(own) != 1 or own[0].pos in _NAME_WORDS or after is None or after.start != s + len(occ.term):
            return False
        if after.pos not in _HEADS:
            return False
    return True


_WORD_CHAR = regex.compile(r"[^\W\d_]")
_HAN = regex.compile(r"\p{Han}+")
_FUNCTION_CHARS = frozenset("的了在和与及等是为对把被将从向于以到由并或也都就又还而其这那我该各每个之")
# A verb, number, measure or time word beside a term is a boundary (2008年 + 北京奥运会…).
_NOT_COMPOUNDING = frozenset({"v", "vd", "vi", "vg", "m", "mq", "q", "t", "tg", "x"})
_NAME_TAGS = frozenset({"nr", "nrt", "nrfg", "nz", "ns", "nt", "j"})
_COMPOUND_HEADS = frozenset({"n", "ng", "nz", "vn"})
# Before a verbal noun a noun may be its subject or object (成员国 + 进出口7282亿元), so the rule for a
# single occurrence asks for a noun proper.
_SIMPLE_NOUNS = frozenset({"n", "ng", "nz"})
_MEASURED = regex.compile(r"(?:为|达|约)?\d")


def in_recurring_string(occ: Occurrences, known: Callable[[str], bool] | None = None) -> bool:
    """Every occurrence (two or more) is followed by the same noun of two characters or more (头部 of
    头部企业, 网络 of 网络预约出租汽车, 人均可支配 of 人均可支配收入38612元: the head of a compound the
    term modifies; a word a figure follows is a noun), or the only occurrence of a word that is no name
    by the noun a figure measures (高标准 of 高标准农田7580万亩); or every occurrence has
    the same character on one side — in a name (two occurrences or more), or in
    the same word, not a verb, number, time or function word (three or more): the term is part of a
    longer compound the text repeats (莱克斯 of 瑞莱克斯, which jieba cut 上/海瑞/莱克斯 and 浙江/瑞/莱克斯;
    开区 of 嘉善经开区) and was not extended to it (see `keywords.extend_fragment`). A verb or a function word beside it is a
    boundary (构建 + 新发展格局先行区), and so are different words (工业/产业 + 增加值)."""
    n = len(occ.term)
    if not occ.places:
        return False
    def follower(i: int, s: int, token: Token | None) -> tuple[str, str] | None:
        if token is None or token.start != s + n:
            return None
        # A word a figure follows is what the figure measures, a noun whatever jieba tagged it (收入38612元).
        measured = _MEASURED.match(occ.texts[i], token.end) is not None
        return token.text, "n" if measured else token.pos

    same: tuple[str, str] | None = None  # the follower of every occurrence, if they all have the same
    for (i, s), token in zip(occ.places, occ.after):
        following = follower(i, s, token)
        if following is None or (same is not None and following != same):
            same = None
            break
        same = following
    if same is not None:
        word, tag = same
        if len(occ.places) == 1:
            # Once, before the noun a figure measures (高标准 of 高标准农田7580万亩): the figure measures
            # the compound, the candidate is its modifier. A name stays a name (河南 + 粮食产量…).
            i, s = occ.places[0]
            own = occ.tokens_of(i, s)
            token = occ.after[0]
            return (
                token is not None and len(token.text) >= 2 and token.pos in _SIMPLE_NOUNS
                and _MEASURED.match(occ.texts[i], token.end) is not None
                and token.text not in generic_tails() and not any(t.pos in _NAME_TAGS for t in own)
            )
        if len(word) >= 2 and tag in _COMPOUND_HEADS | {"b"} and word not in generic_tails():
            # the same head noun after every occurrence: 头部 of 头部企业, 人均可支配 of …收入; or the same
            # non-predicate adjective (b), which only modifies a noun after it: 创历史 of 创历史同期新高
            return True
    if len(occ.places) < 2:
        return False
    if (words_after := _same_two_words_after(occ)) is not None:
        # A name stays a name before the same two words (长三角 + 一体化 发展), but not before a verb and an
        # organisation's head: it is the scope of the organisation's name (首都国际机场 + 协调 委员会).
        (_, verb_tag), (head, _) = words_after
        if not any(t.pos in _NAME_TAGS for t in occ.tokens_of(*occ.places[0])) or names_a_body(verb_tag, head):
            return True
    for before, beside in ((True, occ.before), (False, occ.after)):
        chars, tags, words = set(), set(), set()
        for (i, s), token in zip(occ.places, beside):
            at = s - 1 if before else s + n
            chars.add(occ.texts[i][at : at + 1] if at >= 0 else "")
            if len(chars) > 1:
                break  # different characters: no longer compound on this side
            tags.add(None if token is None else token.pos)
            words.add(None if token is None else token.text)
        if len(chars) != 1 or not _WORD_CHAR.match(char := next(iter(chars))) or char in _FUNCTION_CHARS or None in tags:
            continue
        if words & generic_tails():
            continue  # 资源共享 + 方面: a generic tail is no part of the term
        if tags <= _NAME_TAGS or (len(occ.places) >= 3 and len(words) == 1 and not tags & _NOT_COMPOUNDING):
            return True
        # 江清水 of 一江清水 (这一/r 江/n 清水/n, 一/m 江/ns 清水/n): a phrase that opens with a one-character
        # noun binds it to the character before as readily as to the word after; the same character
        # before every occurrence starts the string the text repeats. (An adjective opens a compound:
        # 新 of 取得新突破.)
        if before and len(first := occ.tokens_of(*occ.places[0])) >= 2 and len(first[0].text) == 1 and first[0].pos in _SIMPLE_NOUNS | _NAME_TAGS:
            return True
        # 计委 of 市卫计委 (jieba: 市卫/计委, 卫/计委): the same character, three times or more, in a token
        # that is that character alone or no word of the language, is a piece of a word the term was cut
        # from; a place's suffix (嘉兴市 + 人民政府) or a known word beside it is a boundary.
        if (
            known is not None and len(occ.places) >= 3 and char not in _PLACE_SUFFIXES and not tags & _NOT_COMPOUNDING
            and all(w is not None and (len(w) == 1 or not known(w)) for w in words)
        ):
            return True
    return False


def _same_two_words_after(occ: Occurrences) -> tuple[tuple[str, str], tuple[str, str]] | None:
    """The same two words (2+ characters each, no adverb or time word first, a noun second; each as text
    and tag) right after every occurrence: 网络 + 预约 出租汽车 four times, 线下实际 + 提供 服务. The term
    modifies a compound the text repeats whole, and is cut from it. (Not before a predicate: 柴油价格 +
    分别 上涨.)"""
    n, seen = len(occ.term), set()
    for (i, s), first in zip(occ.places, occ.after):
        second = occ.index.at(i, first.end) if first is not None and first.start == s + n else None
        if first is None or second is None or second.start != first.end or len(first.text) < 2 or len(second.text) < 2:
            return None
        if first.pos in _CLAUSE_TAGS or second.pos not in _COMPOUND_HEADS:
            return None
        seen.add(((first.text, first.pos), (second.text, second.pos)))
    return next(iter(seen)) if len(seen) == 1 else None


def names_a_body(verb_tag: str, head: str) -> bool:
    """A verb before an organisation's head names what the body does (协调 委员会 of
    首都国际机场协调委员会): the two belong to the name, they are no predicate."""
    return verb_tag in VERB_TAGS and head in word_set("org_heads.txt")


_SPEECH_VERBS = word_set("speech_verbs.txt")
_PERSON_TAGS = frozenset({"nr", "nrfg"})
# Tags of a one-character word that stands on its own after a name: an adverb, preposition, particle …
_FUNCTION_TAGS = frozenset({"x", "m", "uj", "ul", "uz", "ud", "ug", "uv", "p", "c", "u", "r", "d", "f", "q", "y", "e", "o", "k"})


def cuts_name(occ: Occurrences) -> bool:
    """A two-character name (jieba's nr) that every occurrence writes right before the same one character,
    and at least one occurrence then before a speech verb (郑后 of 郑后成表示 and 郑后成分析表示, which
    jieba cut 郑后/nr 成/v): a given name has one or two characters, and the character the text always
    writes between the name and what the person says is the name's last (as `entities` reads names)."""
    n = len(occ.term)
    if not occ.places or n != 2:
        return False
    same: str | None = None
    spoken = False
    for (i, s), after in zip(occ.places, occ.after):
        own = occ.tokens_of(i, s)
        if len(own) != 1 or own[0].pos not in _PERSON_TAGS:
            return False
        if after is None or after.start != s + n or len(after.text) != 1 or after.pos in _FUNCTION_TAGS:
            return False
        if after.text in _FUNCTION_CHARS or (same is not None and after.text != same):
            return False
        same = after.text
        verb = occ.index.at(i, after.end)
        spoken = spoken or (verb is not None and verb.start == after.end and verb.text in _SPEECH_VERBS)
    return spoken


# Places, organisations, abbreviations: jieba's dictionary holds them, they are no HMM guess (桐乡市/ns).
_KNOWN_NAME_TAGS = frozenset({"ns", "nt", "nz", "j", "nrt"})


def in_unknown_run(occ: Occurrences, known: Callable[[str], bool]) -> bool:
    """One word the language does not know (not `known`: a dictionary word; no place, organisation or
    abbreviation) that most occurrences write touching another such word, or a one-character name piece
    (惠小微 of 普惠小微: jieba 普/nr 惠小微/nr; 量质 齐升). jieba cuts a run of characters its dictionary does
    not cover with an HMM, which guesses where words end; a guessed word beside another guess is a piece of
    one unknown word, not a term, unless the text also writes it apart."""
    if not occ.places or known(occ.term):
        return False
    n = len(occ.term)

    def piece(token: Token) -> bool:
        """A token touching the occurrence that the HMM may have guessed."""
        if not _HAN.fullmatch(token.text):
            return False
        if len(token.text) == 1:
            return token.pos in _PERSON_TAGS  # the HMM's guess of a surname
        return token.pos not in _KNOWN_NAME_TAGS and not known(token.text)

    def in_run(k: int) -> bool:
        i, s = occ.places[k]
        own = occ.tokens_of(i, s)
        if len(own) != 1 or own[0].start != s or own[0].end != s + n or own[0].pos in _KNOWN_NAME_TAGS:
            return False
        before, after = occ.before[k], occ.after[k]
        return (before is not None and before.end == s and piece(before)) or (
            after is not None and after.start == s + n and piece(after)
        )

    return _most(map(in_run, range(len(occ.places))), len(occ.places))


_OBJECT_FRAME = frozenset({"了", "在"})


class Segmented(Protocol):
    """A segmented text: a Document, or an AnalysedDocument (read-only attributes)."""

    @property
    def text(self) -> str: ...

    @property
    def tokens(self) -> Sequence[Token]: ...


def _before_verb(token: Token | None, end: int) -> bool:
    """`token` starts at `end` and is a verb of two characters or more (a generic tail, 工作, is a noun's)."""
    return (
        token is not None and token.start == end and token.pos in VERB_TAGS | {"vn"} and len(token.text) >= 2
        and token.text not in generic_tails()
    )


def verbs_after(term: str, documents: Sequence[Segmented], end: tuple[int, int] | None = None) -> Counter[str | None]:
    """How often each verb follows `term` in `documents` (as `_before_verb`; None: no verb): a count, so
    that a corpus's batches answer it one by one and their answers are summed. With `end` (document,
    offset), the occurrences that start before it only."""
    verbs: Counter[str | None] = Counter()
    for i, at in term_places(term, [d.text for d in documents], end):
        after = at + len(term)
        tokens = documents[i].tokens
        k = bisect.bisect_left(tokens, after, key=lambda t: t.start)
        token = tokens[k] if k < len(tokens) else None
        verbs[token.text if token is not None and _before_verb(token, after) else None] += 1
    return verbs


def modifies_next_verb(occ: Occurrences, verbs_of: Callable[[str], Counter[str | None]], known: Callable[[str], bool]) -> bool:
    """A short word (one token, at most three characters, no name) that every occurrence writes right
    before the same verb (易地 of 易地扶贫搬迁 twice, 合理 of 合理增长 twice), or, written once, a word the
    language hardly knows (not `known`) before a verb while itself after a verb, 了 or 在 (整村 of
    实现了整村搬迁, 保产 of 在保产保供: a verb in object position heads its object; a common word there
    only if the corpus writes it before that verb most of the time, three times or more: 高质量 of
    推动高质量发展, not 项目 of 抓好项目建设), and that the corpus mostly writes before a verb (`verbs_of`: its
    `verbs_after`): an
    adverbial or the modifier of a nominalised verb, cut from that unit. A subject is followed by
    different verbs where the text writes it twice or more, and by nothing verbal before it (暑运 of
    7月暑运开始); a noun the corpus also uses as a head is a term (信贷 of 信贷投放 twice, 信贷结构,
    信贷总量)."""
    n = len(occ.term)
    if not occ.places or n > 3:
        return False
    followers: set[str] = set()
    for (i, s), after in zip(occ.places, occ.after):
        if after is None or not _before_verb(after, s + n):  # before the tokens inside, which cost more to find
            return False
        own = occ.tokens_of(i, s)
        if len(own) != 1 or own[0].pos in _NAME_TAGS:
            return False
        followers.add(after.text)
    if len(followers) != 1:
        return False
    verbs = list(verbs_of(occ.term).elements())  # their order does not matter: only counted
    if len(occ.places) == 1:
        i, s = occ.places[0]
        before = occ.before[0]
        if before is None or before.end != s or not (before.pos in VERB_TAGS or before.text in _OBJECT_FRAME):
            return False
        if known(occ.term):  # a common word: only where the corpus writes it before this verb most of the time
            return len(verbs) >= 3 and _most((v in followers for v in verbs), len(verbs))
    return _most((v is not None for v in verbs), len(verbs))


def before_counted_places(occ: Occurrences) -> bool:
    """A phrase that is no name, most of whose occurrences a count of places follows (粤港澳大湾区内地 of
    粤港澳大湾区内地9市, `data/place_counters.txt`): it says which places are counted, cut from the
    phrase that names them. A name before a count stays a name (京津冀三省市: its last word is a name)."""
    if not occ.places:
        return False
    i, s = occ.places[0]
    own = occ.tokens_of(i, s)
    if len(own) < 2 or own[-1].pos in _NAME_TAGS:
        return False
    pattern, end = _place_count_pattern(), len(occ.term)
    return _most((pattern.match(occ.texts[i], s + end) is not None for i, s in occ.places), len(occ.places))


@lru_cache(maxsize=1)
def _place_count_pattern() -> regex.Pattern[str]:
    counters = sorted(word_set("place_counters.txt"), key=len, reverse=True)
    return regex.compile(f"[{_COUNT_NUMERALS}]+(?:{'|'.join(map(regex.escape, counters))})")


_JOINS = "与和及"
_CONTEXT = 16
_BREAK = regex.compile(r"[\s\p{P}]")


def in_coordinated_name(occ: Occurrences) -> bool:
    """Every occurrence (two or more) is the same part of one longer name that joins two parts with
    与, 和 or 及 and ends in an organisation's head word (`data/org_heads.txt`): 中科院上海微系统 and
    信息技术研究所 of 中科院上海微系统与信息技术研究所, which jieba and phrase discovery cut at 与.
    The text repeats the whole name; the halves are not terms."""
    if len(occ.places) < 2:
        return False

    def common(shared: str | None, context: str) -> str:
        if shared is None:
            return context
        k = 0
        while k < min(len(shared), len(context)) and shared[k] == context[k]:
            k += 1
        return shared[:k]

    n = len(occ.term)
    right = left = None  # the context every occurrence shares on each side (the left one reversed)
    for i, s in occ.places:
        text = occ.texts[i]
        right = common(right, _BREAK.split(text[s + n : s + n + _CONTEXT], maxsplit=1)[0])
        left = common(left, _BREAK.split(text[max(0, s - _CONTEXT) : s][::-1], maxsplit=1)[0])
        if not right and not left:
            return False  # nothing shared on either side: no name around it
    assert right is not None and left is not None  # two places or more
    left = left[::-1]
    heads = word_set("org_heads.txt")
    if right[:1] and right[0] in _JOINS:  # the first part: the name's head follows the join
        return any(head in right[1:] for head in heads)
    if left[-1:] and left[-1] in _JOINS and len(left) >= 3:  # the second part: it holds the head
        return any(head in occ.term + right for head in heads)
    return False


def goes_to_place(occ: Occurrences) -> bool:
    """A two-character word made of a verb of going (`data/go_verbs.txt`: 来, 赴, 驻 …) and the first
    character of a place: a province's abbreviation (赴沪, 来京) or a place the text names (来平 of 平湖,
    来桐 of 桐乡: 上海专家来平坐诊). It is the verb and its goal, a clause; the place is the term."""
    term = occ.term
    if len(term) != 2 or term[0] not in word_set("go_verbs.txt"):
        return False
    return term[1] in province_characters()[0] or term[1] in occ.index.place_initials


def cuts_word(occ: Occurrences, vocabulary: frozenset[str] | set[str]) -> bool:
    """Most occurrences have a longer word of the vocabulary across their first or last boundary: a word
    that starts before the term and ends inside it, or starts inside it and ends after it."""
    n, term = len(occ.term), occ.term
    if n < 2:
        return False

    def crossed(left: str, right: str) -> bool:
        """Whether a word crosses a boundary, given the (up to) three characters before and after."""
        for before in range(1, 4):
            for inside in range(1, min(n, 4)):
                if before <= len(left) and left[len(left) - before :] + term[:inside] in vocabulary:
                    return True
                if before <= len(right) and term[n - inside :] + right[:before] in vocabulary:
                    return True
        return False

    known: dict[tuple[str, str], bool] = {}  # a frequent candidate has the same neighbours many times

    def crossed_at(i: int, s: int) -> bool:
        text = occ.texts[i]
        beside = text[max(0, s - 3) : s], text[s + n : s + n + 3]
        if (answer := known.get(beside)) is None:
            answer = known[beside] = crossed(*beside)
        return answer

    return _most((crossed_at(i, s) for i, s in occ.places), len(occ.places))


def is_heading(occ: Occurrences) -> bool:
    """Every occurrence lies in a section heading or a label: a paragraph's leading 【label】 or label
    before a colon (【实践盘点】, 第一乐章:), or a short line that states nothing (no sentence punctuation)
    other than the text's first line, its title."""
    if not occ.places:
        return False
    for i, s in occ.places:
        text = occ.texts[i]
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", s)
        raw = text[line_start : len(text) if line_end < 0 else line_end]
        line = raw.strip()
        at = s - (line_start + raw.index(line[:1])) if line else 0
        label = _LABEL.match(line)
        in_label = label is not None and at + len(occ.term) <= label.end()
        in_heading = line_start > 0 and len(line) <= _SHORT_LINE and not _SENTENCE_PUNCT.search(line)
        if not (in_label or in_heading):
            return False
    return True


_HEADLINE = 80  # a compilation's headline may join two or three items' headlines
_STATEMENT = regex.compile(r"[。！？!?；;]")
_SEGMENTS = regex.compile(r"[\s:：!！?？,，、“”\"]+")


def is_headline_clause(occ: Occurrences) -> bool:
    """A run of three or more tokens that is, in one of its occurrences, most (2/3) of a segment of a headline
    (the text's first line, or a line of at most 40 characters that ends no sentence; cut at spaces,
    colons, commas, quotes): the
    headline's statement copied into the text (书写新时代重庆高质量发展新篇章), not a name."""
    for i, s in occ.places:
        if len(occ.tokens_of(i, s)) < 3:
            return False
        text = occ.texts[i]
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", s)
        line = text[line_start : len(text) if line_end < 0 else line_end].strip()
        headline = line_start == 0 or (len(line) <= _HEADLINE // 2 and not _STATEMENT.search(line))
        if headline and len(line) <= _HEADLINE and any(
            occ.term in segment and len(occ.term) * 3 >= len(segment) * 2 for segment in _SEGMENTS.split(line)
        ):
            return True
    return False


def names_source(occ: Occurrences, sources: set[str]) -> bool:
    """The document's source, a 记者 byline word, or a name most occurrences follow with 记者, 消息 …"""
    term = occ.term
    if term in sources or term.endswith("记者"):
        return True
    end = len(term)
    return _most((occ.texts[i].startswith(_SOURCE_FOLLOWERS, s + end) for i, s in occ.places), len(occ.places))


def is_clause(occ: Occurrences, word_counts: Mapping[str, int], usual_tags: Mapping[str, str] | None = None) -> bool:
    """The candidate's tokens (in its first occurrence) read as a clause rather than a name; a verb may
    open a term only where the text uses it mostly in that term (接轨 of 接轨上海, not 实现 of
    实现利润总额 nor 开展 of 开展网约车…): `word_counts` are the texts' token counts, `usual_tags` each
    word's most frequent tag: a word is a verb if either tag says so (落实 tagged a adjective once)."""
    if not occ.places:
        return False
    tokens = occ.tokens_of(*occ.places[0])
    # 家门口有活, 有活: an existential verb and its object (jieba tags 有活 a verbal noun).
    if any(len(t.text) == 2 and t.text[0] == "有" and t.pos in VERB_TAGS | {"vn"} for t in tokens):
        return True
    if len(tokens) < 2:
        return False
    usual = usual_tags or {}
    listed = word_set("verbs.txt")  # verbs jieba tags as nouns (落户/n): verbs here
    tags = [
        "v" if t.text in listed else usual[t.text] if t.pos not in VERB_TAGS and usual.get(t.text) in VERB_TAGS else t.pos
        for t in tokens
    ]
    verbs = [k for k, tag in enumerate(tags) if tag in VERB_TAGS]
    if tags[0] in VERB_TAGS and word_counts.get(tokens[0].text, 0) >= 2 * len(occ.places):
        return True
    counted = any(t.pos == "m" and regex.search(r"\d", t.text) for t in tokens)  # 连续11年, 2021两岸…
    # 湖北、重庆两地游客: a count after the first word sums up a list the candidate cuts.
    i, s = occ.places[0]
    listed = s > 0 and occ.texts[i][s - 1] in "、和与及"
    counted = counted or (listed and any(_COUNTED.fullmatch(t.text) for t in tokens[1:]))
    # 落实到生产队: a coverb inside joins a verb to its goal or place; no noun compound holds one.
    if any(t.text in _COVERBS for t in tokens[1:-1]):
        return True
    if counted or len(verbs) >= 2 or tags[-1] in VERB_TAGS or any(tag in _CLAUSE_TAGS for tag in tags):
        return True
    # 兴川行稳: an adjective after a noun is its predicate; compounds are head-final, their modifiers precede.
    if tokens[-1].pos == "a" and tokens[-2].pos in _NOUN_TAGS:
        return True
    # A verb right before the final noun makes a compound head (协调委员会 of 首都国际机场协调委员会).
    predicates = [k for k in verbs if k < len(tags) - 2 or tags[-1] in VERB_TAGS]
    return any(k >= 2 or (k == 1 and tags[0] in _NAMES) for k in predicates)


# ---------------------------------------------------------------- variants
def generic_tails() -> frozenset[str]:
    return word_set("generic_tails.txt")


@lru_cache(maxsize=1)
def province_characters() -> tuple[Mapping[str, frozenset[str]], frozenset[str]]:
    """Character → the provinces it may stand for in a run of abbreviations (沪 → 上海市; 江 → 江苏省 or
    江西省, the first character of their names, as in 江浙沪), and the provinces' short names. Read from
    the gazetteer's header: its abbreviation lines and its province rows, which come first."""
    chars: dict[str, set[str]] = {}
    shorts: set[str] = set()
    path = resources.files("jiegui").joinpath("data/gazetteer.tsv.gz")
    names: dict[str, str] = {}
    with gzip.open(str(path), "rt", encoding="utf-8") as lines:
        for line in lines:
            fields = line.rstrip("\n").split("\t")
            if line.startswith("#abbr"):
                chars.setdefault(fields[1], set()).add(fields[2])
            elif not line.startswith("#"):
                if fields[2] != "province":
                    break
                names[fields[0]] = fields[4]
                shorts.add(fields[4])
    for code, short in names.items():
        chars.setdefault(short[0], set()).add(code)
    province_codes = set(names)
    return {c: frozenset(codes & province_codes) for c, codes in chars.items() if codes & province_codes}, frozenset(shorts)


def _province_sets(term: str) -> set[frozenset[str]]:
    chars, shorts = province_characters()
    if not 2 <= len(term) <= 4 or term in shorts or any(c not in chars for c in term):
        return set()
    return {frozenset(choice) for choice in itertools.product(*(chars[c] for c in term)) if len(set(choice)) == len(term)}


def are_variants(a: str, b: str, tags: Mapping[str, str]) -> bool:
    """True if `a` and `b` are one term (see the module's docstring); `tags` gives a word's usual POS."""
    short, long = sorted((a, b), key=len)
    if long[:-1] == short and long[-1] in _PLACE_SUFFIXES and len(short) >= 2:
        return "ns" in (tags.get(short), tags.get(long))
    if long.startswith(short) and long[len(short):] in generic_tails():
        return True
    if len(long) == len(short) + 1 and len(short) >= 2 and any(
        long[k] == "大" and long[:k] + long[k + 1 :] == short for k in range(len(long))
    ):
        return True  # 大都市圈 / 都市圈, 接轨大上海 / 接轨上海
    return len(a) == len(b) and a != b and bool(_province_sets(a) & _province_sets(b))
