"""A corpus's tokens as integer columns (numpy arrays): what phrase discovery and keyword counting run on.

Counting n-grams or terms over two million Token objects costs a Python step (and a tuple of strings)
per token and per n-gram; over columns of word and tag ids it is a handful of numpy passes. Each
distinct word or tag is decided once (is it punctuation, a keyword term), then looked up per token by
indexing an array. numpy is imported only by the commands that count (keywords, phrases).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from jiegui.models import Token, columns_of

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

NO_WORD = 0  # the word id no token has (words[NO_WORD] is ""): a boundary, where counting needs one

_TEXT = attrgetter("text")
_POS = attrgetter("pos")
_START = attrgetter("start")
_END = attrgetter("end")


@dataclass(frozen=True, slots=True)
class TokenColumns:
    """The tokens of several texts, one row per token: its word id, tag id, start and end; the tokens of
    text k are rows `bounds[k]` to `bounds[k + 1]`. `words[id]` and `tags[id]` give the strings, numbered
    in first-seen order."""

    words: list[str]
    tags: list[str]
    word: NDArray[np.int64]
    tag: NDArray[np.int64]
    start: NDArray[np.int64]
    end: NDArray[np.int64]
    bounds: NDArray[np.int64]

    @staticmethod
    def of(texts_tokens: Iterable[Sequence[Token]]) -> TokenColumns:
        """The columns of the texts' tokens. Tokens read from the cache (`columns_of`) are taken from the
        entry's integer columns in a few numpy passes; any other sequence of
        Tokens is read token by token. Either way the result is the same."""
        import numpy as np

        # id of each distinct string, given on first sight by the dict's own length (no Python per token)
        word_ids: defaultdict[str | None, int] = defaultdict()
        word_ids.default_factory = word_ids.__len__
        word_ids[None]  # NO_WORD
        tag_ids: defaultdict[str, int] = defaultdict()
        tag_ids.default_factory = tag_ids.__len__
        texts_tokens = list(texts_tokens)
        lengths = np.array([0, *map(len, texts_tokens)], dtype=np.int64)
        bounds = np.cumsum(lengths)
        # filled text by text (np.fromiter), so that no Python list of every token's field is held
        word, tag, start, end = (np.empty(int(bounds[-1]), dtype=np.int64) for _ in range(4))
        tables: dict[int, tuple[NDArray[np.int64], NDArray[np.int64]]] = {}  # id(entry's table) → ids, lengths
        tag_tables: dict[int, NDArray[np.int64]] = {}
        from_tables = False
        for tokens, first, last in zip(texts_tokens, bounds.tolist(), bounds[1:].tolist()):
            count = last - first
            source = columns_of(tokens)
            if source is not None:
                # The entry's word and tag ids, renumbered into this table's ids (an entry's table lists
                # words in the order its tokens first use them; see _first_seen for the order kept).
                from_tables = True
                if (known := tables.get(id(source.words))) is None:
                    known = tables[id(source.words)] = (
                        np.fromiter(map(word_ids.__getitem__, source.words), dtype=np.int64, count=len(source.words)),
                        np.array(source.lengths, dtype=np.int64),
                    )
                if (tag_table := tag_tables.get(id(source.tags))) is None:
                    tag_table = tag_tables[id(source.tags)] = np.fromiter(
                        map(tag_ids.__getitem__, source.tags), dtype=np.int64, count=len(source.tags))
                table, word_lengths = known
                block = source.block
                local = np.frombuffer(block, dtype="<u4", count=count, offset=4 * count)
                word[first:last] = table[local]
                tag[first:last] = tag_table[np.frombuffer(block, dtype="<u2", count=count, offset=8 * count)]
                start[first:last] = np.frombuffer(block, dtype="<i4", count=count)
                end[first:last] = start[first:last] + word_lengths[local]
                continue
            word[first:last] = np.fromiter(map(word_ids.__getitem__, map(_TEXT, tokens)), dtype=np.int64, count=count)
            tag[first:last] = np.fromiter(map(tag_ids.__getitem__, map(_POS, tokens)), dtype=np.int64, count=count)
            start[first:last] = np.fromiter(map(_START, tokens), dtype=np.int64, count=count)
            end[first:last] = np.fromiter(map(_END, tokens), dtype=np.int64, count=count)
        words: list[str] = ["", *(w for w in word_ids if w is not None)]  # None first: NO_WORD
        tags = list(tag_ids)
        if from_tables:  # a table's words that no token uses, or used first in another order: renumbered
            word, words = _first_seen(word, words, reserved=1)
            tag, tags = _first_seen(tag, tags, reserved=0)
        return TokenColumns(words=words, tags=tags, word=word, tag=tag, start=start, end=end, bounds=bounds)

    def __len__(self) -> int:
        return len(self.word)

    def text_of(self) -> NDArray[np.int64]:
        """The text (index) of each token."""
        import numpy as np

        return np.repeat(np.arange(len(self.bounds) - 1, dtype=np.int64), np.diff(self.bounds))

    def pairs(self) -> NDArray[np.int64]:
        """Each token's (word, tag) as one key: word id × number of tags + tag id."""
        return self.word * max(len(self.tags), 1) + self.tag


def _first_seen(ids: NDArray[np.int64], names: list[str], *, reserved: int) -> tuple[NDArray[np.int64], list[str]]:
    """`ids` (into `names`) renumbered in the order the ids first occur, keeping only the names that
    occur and the first `reserved` ones (NO_WORD): the numbering `TokenColumns.of` gives token by token.
    When the ids already are so numbered (each new id one past the highest before it, and every name
    used), as when whole cache entries are read in order, they are returned as they are."""
    import numpy as np

    if len(ids) == 0:
        return ids, names[:reserved]
    highest = np.maximum.accumulate(ids)
    if (ids[0] == reserved and bool(np.all(ids[1:] <= highest[:-1] + 1))
            and int(highest[-1]) == len(names) - 1):
        return ids, names
    groups = group(ids)
    order = np.argsort(groups.first, kind="stable")
    renumbered = np.empty(len(groups.keys), dtype=np.int64)
    renumbered[order] = np.arange(reserved, reserved + len(order), dtype=np.int64)
    return renumbered[groups.group], [*names[:reserved], *(names[k] for k in groups.keys[order].tolist())]


@dataclass(frozen=True, slots=True)
class Groups:
    """Equal keys grouped (see `group`): the distinct keys in ascending order, how often each occurs, the
    index of its first occurrence, and the group of each key."""

    keys: NDArray[np.int64]
    counts: NDArray[np.int64]
    first: NDArray[np.int64]
    group: NDArray[np.int64]


_DENSE = 4  # keys below this many times their number are grouped by counting, not sorting


def group(keys: NDArray[np.int64]) -> Groups:
    """Group the equal `keys` (non-negative).

    np.unique with return_index and return_inverse argsorts (~0.15 s for two million keys); sorting
    key × n + index instead (a SIMD sort) costs a tenth of that and gives the same groups, each
    occurrence in order. When that product would overflow int64, np.unique does it.
    """
    import numpy as np

    n = len(keys)
    if n and int(keys.max()) < _DENSE * n:
        # Keys of a range not much wider than their number (word ids, (word, tag) pairs): counted into
        # arrays indexed by the key, no sort (2 M keys: 0.01-0.02 s against 0.16-0.40 s sorted).
        counts = np.bincount(keys)
        present = np.flatnonzero(counts)
        first = np.full(len(counts), n, dtype=np.int64)
        np.minimum.at(first, keys, np.arange(n, dtype=np.int64))
        number = np.cumsum(counts > 0) - 1
        return Groups(present, counts[present], first[present], number[keys])
    if n == 0 or (int(keys.max()) + 1) * n >= 1 << 62:
        unique, first, inverse, counts = np.unique(keys, return_index=True, return_inverse=True, return_counts=True)
        return Groups(unique, counts, first, inverse.reshape(-1))
    ordered = np.sort(keys * n + np.arange(n, dtype=np.int64))
    ordered_keys, index = np.divmod(ordered, n)
    starts = np.flatnonzero(np.concatenate(([True], ordered_keys[1:] != ordered_keys[:-1])))
    groups = np.empty(n, dtype=np.int64)
    groups[index] = np.cumsum(np.concatenate(([0], ordered_keys[1:] != ordered_keys[:-1])))
    return Groups(ordered_keys[starts], np.diff(np.append(starts, n)), index[starts], groups)


def distinct(keys: NDArray[np.int64]) -> NDArray[np.int64]:
    """The distinct keys, ascending: np.unique(keys) hashes since numpy 2.3, ~40× slower than sorting here."""
    import numpy as np

    if len(keys) and int(keys.max()) < _DENSE * len(keys):
        return np.flatnonzero(np.bincount(keys))  # see `group`
    ordered = np.sort(keys)
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))] if len(ordered) else ordered


@dataclass(frozen=True, slots=True)
class EntryColumns:
    """One text's tokens read from the cache, as its entry stores them (`columns_of`): each token's
    start, end, word id and tag id; `words[id]`, `tags[id]` and `lengths[id]` are the entry's tables (shared
    by its documents: a caller may key what it derives from a table on the table)."""

    start: NDArray[np.int32]
    end: NDArray[np.int64]
    word: NDArray[np.uint32]
    tag: NDArray[np.uint16]
    words: list[str]
    tags: list[str]


_entry_lengths: list[tuple[list[int], NDArray[np.int64]]] = []  # the last entry's word lengths, as an array


def entry_columns(tokens: Sequence[Token]) -> EntryColumns | None:
    """The columns of tokens read from the cache, read from their entry's block without touching a Token
    (two million Token objects spread over the heap cost 0.2 µs each just to read a field); None for any
    other sequence of tokens."""
    source = columns_of(tokens)
    if source is None:
        return None
    import numpy as np

    count, block = source.count, source.block
    word = np.frombuffer(block, dtype="<u4", count=count, offset=4 * count)
    start = np.frombuffer(block, dtype="<i4", count=count)
    if not _entry_lengths or _entry_lengths[0][0] is not source.lengths:  # an entry's documents come one after another
        _entry_lengths[:] = [(source.lengths, np.array(source.lengths, dtype=np.int64))]
    end = start + _entry_lengths[0][1][word]
    return EntryColumns(start, end, word, np.frombuffer(block, dtype="<u2", count=count, offset=8 * count), source.words, source.tags)


def table_values(table: list[str], function: Callable[[str], Any], dtype: type[Any]) -> NDArray[Any]:
    """`function` of each string of a cache entry's word or tag table (`EntryColumns.words`, `.tags`), made once
    per table (kept for the entry's other documents) rather than once per token: what the entities' rules
    and the gazetteer's scan ask of a word or a tag, read per token by indexing with `EntryColumns.word`
    or `.tag`. `function` must be one object kept by its caller (its id is part of the key)."""
    import numpy as np

    key = (id(table), id(function))
    known = _TABLE_VALUES.get(key)
    if known is None or known[0] is not table or known[1] is not function:
        if len(_TABLE_VALUES) >= 64:
            _TABLE_VALUES.clear()
        values = np.fromiter(map(function, table), dtype=dtype, count=len(table))
        known = _TABLE_VALUES[key] = (table, function, values)
    return known[2]


# by the ids of a table and a function, the table and the function kept so that neither id is reused
_TABLE_VALUES: dict[tuple[int, int], tuple[list[str], Callable[[str], Any], NDArray[Any]]] = {}
