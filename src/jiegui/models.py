"""Typed results shared by every module.

Field names are the JSON/CSV column names: a field added here appears in every output format.
Offsets (`start`, `end`) always index `Document.text`, the cleaned text.
"""
from __future__ import annotations

import bisect
import itertools
import operator
import sys
from array import array
from itertools import repeat
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple, TypeVar, overload

from jiegui.collector import collector_paused


class QuantityKind(str, Enum):
    """What a numeric fact measures (`Fact.kind`).

    This enum and the three below are the choices the CLI offers: defined here, once, so that the CLI
    offers the library's own values without importing the analyses."""

    money = "money"
    count = "count"  # type: ignore[assignment]  # the member is meant to hide str.count
    percent = "percent"
    area = "area"
    length = "length"
    weight = "weight"
    duration = "duration"
    age = "age"
    multiple = "multiple"
    other = "other"


class KeywordMethod(str, Enum):
    """How keywords are ranked (`jiegui.analyses.keywords`): TF-IDF against a background, or TextRank."""

    tfidf = "tfidf"
    textrank = "textrank"


class EntityType(str, Enum):
    """What an entity is (`Mention.type`, `Entity.type`)."""

    PLACE = "PLACE"
    ORG = "ORG"
    PERSON = "PERSON"


class FactOrder(str, Enum):
    """How facts are sorted (`jiegui.analyses.facts.sort_facts`): `doc` text order, `value` largest first."""

    doc = "doc"
    value = "value"


class Token(NamedTuple):
    """A word of a document's text: `text[start:end]`, its part-of-speech tag `pos` (jieba's tag set).

    A named tuple, not a dataclass like the other models: a 10 MB corpus holds two million tokens, and a
    tuple subclass is made at C speed (`tuple.__new__` over zipped columns, see `jiegui.cache`) where a
    frozen dataclass runs a Python `__init__` per token: 2.4× faster to make, same attribute access,
    immutable and hashable alike. Never rendered as a record (`TokenRecord` is).
    """

    text: str
    pos: str
    start: int
    end: int


T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True, slots=True)
class TokenColumnsSource:
    """A document's tokens as the cache entry stores them (see `jiegui.cache`): `block` holds `count`
    int32 starts, then `count` uint32 word ids, then `count` uint16 tag ids, little-endian; ids index
    the entry's `words` and `tags` tables (shared by its documents), `lengths[id]` is len(words[id]).
    What `jiegui.analyses.columns.TokenColumns.of` reads instead of the Token objects."""

    words: list[str]
    tags: list[str]
    lengths: list[int]
    count: int
    block: bytes

    def starts(self) -> list[int]:
        """The tokens' start offsets (read at C speed, no Token object needed)."""
        starts = array("i", self.block[: 4 * self.count])
        if sys.byteorder != "little":  # stored little-endian
            starts.byteswap()
        return starts.tolist()

    def arrays(self) -> tuple[Sequence[int], Sequence[int], Sequence[int]]:
        """The tokens' starts, word ids and tag ids: views of the block (copies, byte-swapped, on a
        big-endian machine)."""
        views: list[Sequence[int]] = []
        count = self.count
        for code, at, size in (("i", 0, 4), ("I", 4 * count, 4), ("H", 8 * count, 2)):
            if sys.byteorder == "little":
                views.append(memoryview(self.block)[at : at + size * count].cast(code))  # type: ignore[call-overload]  # one of i, I, H
            else:
                swapped = array(code, self.block[at : at + size * count])
                swapped.byteswap()
                views.append(swapped)
        return views[0], views[1], views[2]

    def tokens(self, gaps: Iterable[int] | None = None) -> TokenTuple:
        """The Token objects, made at C speed (`tuple.__new__` over zipped columns: no Python call per
        token), with these columns. `gaps`: the tokens (but the last) that end before the next starts,
        when known; then a token's end is the next one's start, the same int object (two million fewer
        made; 10 MB corpus: ~25 % faster)."""
        starts, word_ids, tag_ids = self.arrays()
        lengths = self.lengths
        listed: list[int] = starts.tolist()  # type: ignore[attr-defined]  # a memoryview or an array
        ends: list[int]
        if gaps is None or not listed:
            ends = list(map(operator.add, listed, map(lengths.__getitem__, word_ids)))
        else:
            ends = listed[1:]
            ends.append(listed[-1] + lengths[word_ids[-1]])
            for k in gaps:
                ends[k] = listed[k] + lengths[word_ids[k]]
        fields = zip(map(self.words.__getitem__, word_ids), map(self.tags.__getitem__, tag_ids), listed, ends)
        tokens = TokenTuple(map(tuple.__new__, repeat(Token), fields))
        tokens.columns = self
        return tokens

    def rows(self, ranges: Sequence[tuple[int, int]]) -> TokenColumnsSource:
        """The columns of the tokens of the index ranges [first, last), in order (slices of the block)."""
        block, count = self.block, self.count
        columns = [b"".join(block[at + size * first : at + size * last] for first, last in ranges)
                   for at, size in ((0, 4), (4 * count, 4), (8 * count, 2))]
        return TokenColumnsSource(self.words, self.tags, self.lengths, sum(last - first for first, last in ranges), b"".join(columns))


_START, _END = operator.itemgetter(2), operator.itemgetter(3)  # Token.start, Token.end


class TokenTuple(tuple[Token, ...]):
    """The Token objects of a document read from the cache, with the entry's columns they were made from
    (`columns`): a plain tuple in every other way (indexing at C speed, equal to and hashed like the
    tuple of the same tokens). Analyses that count over integer columns read `columns` rather than
    walking the tokens again. A slice, a copy or a pickle is a plain tuple."""

    columns: TokenColumnsSource

    def outside(self, spans: Sequence[tuple[int, int]]) -> TokenTuple:
        """The tokens not inside any of the spans (span start ≤ token start, token end ≤ span end), with
        their columns."""
        kept = _kept_rows(spans, self, _START, _END)
        return _rows_of(self, kept, self.columns.rows(kept))

    def __reduce__(self) -> tuple[type[tuple[Token, ...]], tuple[tuple[Token, ...]]]:
        return tuple, (tuple(self),)


def _kept_rows(spans: Sequence[tuple[int, int]], rows: Sequence[R], start: Callable[[R], int], end: Callable[[R], int]) -> list[tuple[int, int]]:
    """The index ranges [first, last) of the tokens (`rows`, with their `start` and `end`) not inside any
    of the spans. The tokens are in order and apart (the cache checks it), so those inside a span are one
    run, found by bisection: no step per token (two million tokens)."""
    inside = []
    for span_start, span_end in spans:
        first = bisect.bisect_left(rows, span_start, key=start)
        last = bisect.bisect_right(rows, span_end, lo=first, key=end)
        if first < last:
            inside.append((first, last))
    kept, at = [], 0
    for first, last in sorted(inside):
        if first > at:
            kept.append((at, first))
        at = max(at, last)
    if at < len(rows):
        kept.append((at, len(rows)))
    return kept


def _rows_of(tokens: Sequence[Token], kept: Sequence[tuple[int, int]], columns: TokenColumnsSource) -> TokenTuple:
    """The tokens of the index ranges `kept`, in order, with their `columns`."""
    rows = TokenTuple(itertools.chain.from_iterable(tokens[first:last] for first, last in kept))
    rows.columns = columns
    return rows


def columns_of(tokens: Sequence[Token]) -> TokenColumnsSource | None:
    """The cache entry's columns of tokens read from the cache (a `TokenTuple` or `LazyTokens`), None for
    any other sequence of tokens: what the counting analyses read instead of the Token objects."""
    columns = tokens.columns if isinstance(tokens, (TokenTuple, LazyTokens)) else None
    return columns if columns is not None and columns.count == len(tokens) else None


def token_starts(tokens: Sequence[Token]) -> list[int]:
    """Where each token starts, for lookups by bisection: from the cache entry's columns for tokens read
    from the cache (two million tokens: 0.02 s, no Token object touched), else from the tokens at C speed."""
    if (columns := columns_of(tokens)) is not None:
        return columns.starts()
    return list(map(operator.attrgetter("start"), tokens))


class LazyTuple(Sequence[T]):
    """A tuple made on first use: how documents read from the cache hold their tokens and sentences.

    Making two million Token objects costs seconds, more than reading the cache entry that holds them;
    a command that never looks at the tokens (`jiegui corpus`) never makes them. The first access by
    index, slice or iteration calls `make` once and keeps its tuple, so walking the items many times
    costs what walking a tuple does. Equal to (and hashed like) that tuple, so a document read from the
    cache equals the one processed fresh. The cyclic garbage collector is paused while the items are
    made: they form no cycles, and with millions of objects alive its passes cost more than the objects
    themselves (two million tokens: 2.7 s of CPU with it running, 1.0 s without); in the CLI the items
    are then frozen out of its sight (`jiegui.collector.keep_what_is_made`).
    """

    __slots__ = ("_length", "_make", "_items")

    def __init__(self, length: int, make: Callable[[], tuple[T, ...]]) -> None:
        self._length = length
        self._make: Callable[[], tuple[T, ...]] | None = make
        self._items: tuple[T, ...] | None = None

    def _all(self) -> tuple[T, ...]:
        if self._items is None:
            assert self._make is not None
            with collector_paused(made=True):  # see the class docstring
                self._items = self._make()
            self._make = None  # the columns it would have read can go
        return self._items

    def __len__(self) -> int:
        return self._length

    def as_tuple(self) -> tuple[T, ...]:
        """The items, made now if not yet: what code that indexes them one by one should hold."""
        return self._all()

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[T, ...]: ...
    def __getitem__(self, index: int | slice) -> T | tuple[T, ...]:
        return self._all()[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._all())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyTuple):
            return self._all() == other._all()
        if isinstance(other, tuple):
            return self._all() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._all())

    def __repr__(self) -> str:
        return f"LazyTuple({self._all()!r})"

    def __reduce__(self) -> tuple[type[tuple[T, ...]], tuple[tuple[T, ...]]]:
        """Pickled (to a --scheduler worker or back) as the plain tuple it stands for: its maker is a
        closure over the cache entry's columns, which must not travel."""
        return tuple, (self._all(),)


_new_token = tuple.__new__  # Token(...) at C speed: a named tuple's __new__ is a Python function


class LazyTokens(LazyTuple[Token]):
    """The tokens of a document read from the cache: the entry's integer columns (`columns`) at once, the
    Token objects when something walks them (a `TokenTuple` with the same columns, see `LazyTuple`).
    Loading a corpus then makes no Token (a 10 MB corpus: two million, 0.8 s) and the counting analyses
    (keywords, phrases) read the columns alone. A token asked for by index, or a short slice, before the
    tokens are made is made alone from the columns (keywords look at the tokens around a candidate's
    occurrences only); once as many have been asked for as a quarter of the document's tokens, all are
    made, so walking them index by index costs what it does on a tuple."""

    __slots__ = ("columns", "_views", "_asked")

    def __init__(self, columns: TokenColumnsSource, make: Callable[[], tuple[Token, ...]] | None = None) -> None:
        super().__init__(columns.count, make or columns.tokens)
        self.columns = columns
        self._views: tuple[Sequence[int], Sequence[int], Sequence[int]] | None = None
        self._asked = 0

    @overload
    def __getitem__(self, index: int) -> Token: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Token, ...]: ...
    def __getitem__(self, index: int | slice) -> Token | tuple[Token, ...]:
        if self._items is not None:
            return self._items[index]
        if type(index) is int:  # the common case first, inline: keywords ask for some 170 000 tokens
            if self._asked < self._length >> 2:
                self._asked += 1
                return self._one(index)
        elif type(index) is slice:
            wanted = range(self._length)[index]
            if self._asked + len(wanted) <= self._length >> 2:
                self._asked += len(wanted)
                return tuple(map(self._one, wanted))
        return self._all()[index]

    def _one(self, k: int) -> Token:
        """Token k, made from the columns (IndexError as a tuple raises it)."""
        if self._views is None:
            self._views = self.columns.arrays()
        starts, word_ids, tag_ids = self._views
        word, start, columns = word_ids[k], starts[k], self.columns
        return _new_token(Token, (columns.words[word], columns.tags[tag_ids[k]], start, start + columns.lengths[word]))

    def as_tuple(self) -> TokenTuple:
        return self._all()  # type: ignore[return-value]  # the makers make TokenTuples

    def outside(self, spans: Sequence[tuple[int, int]]) -> LazyTokens:
        """`TokenTuple.outside` on the columns: the tokens not inside any of the spans, made (when walked)
        from this document's Token objects, which are then made once for both."""
        columns = self.columns
        starts, word_ids, _ = columns.arrays()
        lengths = columns.lengths
        kept = _kept_rows(spans, range(columns.count), starts.__getitem__, lambda k: starts[k] + lengths[word_ids[k]])
        rows = columns.rows(kept)
        return LazyTokens(rows, lambda: _rows_of(self.as_tuple(), kept, rows))


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


_SENTENCE_FIELDS = vars(Sentence)  # its slots' descriptors, which set a field at C speed


def sentences_of(text: str, starts: Sequence[int], ends: Sequence[int]) -> tuple[Sentence, ...]:
    """The sentences of `text` with these spans, numbered from 0, as `map(Sentence, …)` makes them but
    without a Python `__init__` call per sentence: each slot is filled over all of them by its
    descriptor (a 10 MB corpus reads 130 000 sentences from the cache: 2× faster)."""
    made = tuple(map(object.__new__, repeat(Sentence, len(starts))))
    texts = map(text.__getitem__, map(slice, starts, ends))
    for name, values in (("index", range(len(starts))), ("start", starts), ("end", ends), ("text", texts)):
        deque(map(_SENTENCE_FIELDS[name].__set__, made, values), maxlen=0)
    return made


class LazySentences(LazyTuple[Sentence]):
    """The sentences of a document read from the cache: their spans (`starts`, `ends`, in order: the cache
    checks it) at once, the Sentence objects (each with its text, a copy of the document's) when
    something walks them (`LazyTuple`). Keywords need only the spans (a 10 MB corpus: 130 000 sentences,
    0.1 s to make)."""

    __slots__ = ("starts", "ends")

    def __init__(self, starts: Sequence[int], ends: Sequence[int], make: Callable[[], tuple[Sentence, ...]]) -> None:
        super().__init__(len(starts), make)
        self.starts, self.ends = starts, ends


def sentence_bounds(sentences: Sequence[Sentence]) -> tuple[Sequence[int], Sequence[int]]:
    """Where each sentence starts and ends: the spans `LazySentences` hold (a document segmented in this
    run or read from the cache), no Sentence made; else read from the sentences."""
    if isinstance(sentences, LazySentences):
        return sentences.starts, sentences.ends
    return list(map(_SENTENCE_START, sentences)), list(map(_SENTENCE_END, sentences))


_SENTENCE_START, _SENTENCE_END = operator.attrgetter("start"), operator.attrgetter("end")


@dataclass(frozen=True, slots=True)
class Document:
    """One article: a single-article file, or one article of a compilation file.

    `id` is `<file-stem>` or `<file-stem>#<n>` (n from 1). `date` is ISO (`2016-07-03`, `2016-07` or
    `2016`) when the text states it, else None.
    """

    id: str
    title: str | None
    source: str | None
    date: str | None
    path: str
    text: str
    sentences: Sequence[Sentence] = ()  # a tuple, or a LazyTuple when read from the cache
    tokens: Sequence[Token] = ()  # likewise
    duplicates_removed: int = 0
    # Spans of `text` that are furniture (lead-ins, bylines, sign-offs; see `jiegui.text.boilerplate`): kept in
    # the text so that offsets stay exact, skipped by the topic analyses. Set on the corpus, not cached.
    furniture: tuple[tuple[int, int], ...] = ()

    @property
    def chars(self) -> int:
        return len(self.text)


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """The row `jiegui corpus` prints for a document."""

    id: str
    title: str | None
    source: str | None
    date: str | None
    chars: int
    sentences: int
    duplicates_removed: int
    path: str


@dataclass(frozen=True, slots=True)
class FurniturePattern:
    """A lead-in, label or sign-off that opens or closes many documents of the corpus (`jiegui corpus
    --furniture`): `pattern` as written, or its shape (`（记者 …）`, digits as `#`); `where` opening or
    closing; `documents` how many documents it opens/closes, `share` that number over all documents;
    `example` the first occurrence."""

    pattern: str
    where: str
    documents: int
    share: float
    example: str


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """A token as `jiegui segment` prints it."""

    token: str
    pos: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SegmentedDocument:
    doc: str
    tokens: list[TokenRecord]


@dataclass(frozen=True, slots=True)
class DocumentView:
    """`jiegui show --format json`: a document's metadata and the text its offsets index."""

    id: str
    title: str | None
    source: str | None
    date: str | None
    path: str
    chars: int
    duplicates_removed: int
    text: str


@dataclass(frozen=True, slots=True)
class Keyword:
    """A ranked term of the corpus (`doc` None) or of one document. Higher `score` = more characteristic.

    `count` is the term's occurrences (in `doc`, or in the corpus), `df` the number of documents of the
    corpus containing it; `rank` starts at 1 within each ranking. `aliases` are the other forms merged
    into this row (嘉兴市 under 嘉兴, 江浙沪 under 沪苏浙, 接轨上海工作 under 接轨上海); `count` and
    `df` cover all forms.
    """

    term: str
    score: float
    count: int
    df: int
    doc: str | None
    rank: int
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Phrase:
    """A multi-word term the corpus uses as a unit, found statistically (see `jiegui.analyses.phrases`).

    `parts` are its jieba tokens; `pmi` (bits) is the lowest pointwise mutual information over the ways to
    split it in two; `left_entropy` / `right_entropy` (bits) measure how freely it combines with its
    neighbours. Higher `score` = more phrase-like.
    """

    term: str
    parts: tuple[str, ...]
    pos: str
    count: int
    df: int
    pmi: float
    left_entropy: float
    right_entropy: float
    score: float


@dataclass(frozen=True, slots=True)
class Pair:
    """Two documents (or a query `a` and a document `b`) and how alike they are.

    `score` is the cosine similarity of their TF-IDF vectors: 0 = no content word in common, 1 = the
    same word profile; higher is more alike. `shared_terms` are the terms that contribute most to the
    score (largest product of the two weights), strongest first: why they are alike.
    """

    a: str
    b: str
    score: float
    shared_terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Near-duplicate documents: linked by pairs scoring at least the threshold (single linkage).

    `min_score` is the weakest of the links that hold the group together, `max_score` the strongest.
    """

    group: int
    documents: tuple[str, ...]
    min_score: float
    max_score: float


@dataclass(frozen=True, slots=True)
class SimilarityMatrix:
    """Every document's cosine similarity with every other: `scores[i][j]` for `ids[i]`, `ids[j]`."""

    ids: tuple[str, ...]
    scores: tuple[tuple[float, ...], ...]


@dataclass(frozen=True, slots=True)
class Fact:
    """A numeric fact: one quantity stated in a document, normalised, with its metric, year and region.

    `value` (and `value_max` for a range such as 20至30亿元) is in the base `unit` (183.9亿元 →
    18390000000 元; 六成 → 60 %). `kind` is money, count, percent, area, length, weight, duration, age,
    multiple or other; `qualifier` approx, over, under or None. `region` is the owner's name as a reader
    says it (平湖), `region_path` its full names from the province down.
    """

    doc: str
    start: int
    end: int
    text: str
    value: float
    value_max: float | None
    unit: str
    kind: str
    qualifier: str | None
    metric: str | None
    year: int | None
    region: str | None
    region_path: tuple[str, ...]
    sentence: str


@dataclass(frozen=True, slots=True)
class Mention:
    """One place, organisation or person named in a document: `text[start:end]` of document `doc`.

    `name` is the entity's canonical name (平湖市 for the surface 平湖, 上海市 for 沪), `type` PLACE, ORG or
    PERSON, `sentence` the sentence it stands in.
    """

    doc: str
    start: int
    end: int
    text: str
    name: str
    type: str
    sentence: str


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity of the corpus: its mentions merged. `count` is the number of mentions, `docs` the ids of
    the documents naming it (first-mention order), `aliases` the other surfaces seen (most frequent
    first). Places from the gazetteer carry `region_path` (full names from the province down) and the
    NBS division `code`; other entities have `()` and None.
    """

    name: str
    type: str
    count: int
    docs: tuple[str, ...]
    aliases: tuple[str, ...]
    region_path: tuple[str, ...]
    code: str | None
